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

#[test]
fn bench_fetch_fetches_every_page_and_reports_beside_file_ingest() {
    let data = tempfile::tempdir().unwrap();
    let out = korolev(
        data.path(),
        &["bench", "fetch", "--pages", "30", "--sites", "2"],
    );
    // The run fails unless every page was fetched and stored.
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("30 generated pages"), "{text}");
    for row in [
        "feed items parsed",
        "ingest from files",
        "fetch and ingest, one site at a time",
        "fetch and ingest, four sites at once",
    ] {
        let line = text
            .lines()
            .find(|l| l.starts_with(row))
            .unwrap_or_default();
        let figure = line[row.len()..]
            .split_whitespace()
            .find_map(|w| w.parse::<f64>().ok());
        assert!(figure.is_some_and(|f| f > 0.0), "{row}: {text}");
    }
    // Nothing changed: the second fetch asks for the two feeds only and stores nothing.
    assert!(text.contains("(2 requests in"), "{text}");
    assert!(text.contains("0 pages new)"), "{text}");
}
