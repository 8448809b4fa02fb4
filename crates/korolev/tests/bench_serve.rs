//! `korolev bench serve` on a small generated store: every route it loads answers 200 (else
//! the run fails), and the report names each with its figures.
#![allow(clippy::unwrap_used)]

mod common;
use common::*;

#[test]
fn bench_serve_fills_a_store_and_reports_every_route() {
    let data = tempfile::tempdir().unwrap();
    let store = data.path().join("bench");
    let run = || {
        korolev(
            data.path(),
            &[
                "bench",
                "serve",
                "--articles",
                "120",
                "--seconds",
                "0.2",
                "--connections",
                "2",
                "--store",
                store.to_str().unwrap(),
            ],
        )
    };
    let first = run();
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(stderr(&first).contains("generating 120 articles"));
    let out = stdout(&first);
    assert!(out.contains("120 articles"), "{out}");
    let rows: Vec<&str> = out.lines().filter(|l| l.starts_with("korolev ")).collect();
    for route in [
        "/static/site.css",
        "/v4/articles/?limit=10",
        "search=soyuz",
        "search=recycler",
        "/expeditions/",
        "/articles/",
    ] {
        let row = rows
            .iter()
            .find(|r| r.contains(route))
            .unwrap_or_else(|| panic!("no row for {route} in\n{out}"));
        let rps: f64 = row.split_whitespace().nth(2).unwrap().parse().unwrap();
        assert!(rps > 0.0, "{row}");
    }
    assert!(out.contains("peak RSS"), "{out}");

    // The store is kept: a second run generates nothing.
    let second = run();
    assert!(second.status.success(), "{}", stderr(&second));
    assert!(
        !stderr(&second).contains("generating"),
        "{}",
        stderr(&second)
    );
}
