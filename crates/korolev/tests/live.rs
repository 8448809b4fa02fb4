//! A server that sees every write: pages ingested by another process while `korolev serve`
//! runs show on the APIs and the portal within moments, without a restart.
#![allow(clippy::unwrap_used)]

mod common;
use common::*;
use std::path::Path;
use std::time::{Duration, Instant};

#[test]
fn pages_ingested_while_serving_answer_on_every_route_without_a_restart() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus");
    let years = |ys: &[&str]| -> Vec<String> {
        ys.iter()
            .map(|y| corpus.join(y).to_str().unwrap().to_string())
            .collect()
    };
    let data = tempfile::tempdir().unwrap();
    let ingest = |paths: Vec<String>| {
        let mut args = vec!["ingest".to_string(), "--quiet".to_string()];
        args.extend(paths);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = korolev(data.path(), &args);
        assert!(out.status.success(), "{}", stderr(&out));
    };
    ingest(years(&["2018", "2019", "2020", "2021", "2022"]));
    let server = start(data.path());
    let addr = server.addr.as_str();
    let count = |path: &str| get(addr, path).json()["count"].as_u64().unwrap();
    let (articles, launches) = (count("/v4/articles"), count("/api/v1/launches"));
    let expedition_72 = || get(addr, "/expeditions/72").status;
    assert_eq!(expedition_72(), 404);
    let aboard_2025 = || get(addr, "/astros.json?at=2025-05-01").json()["number"].as_u64();
    let before = aboard_2025();

    // Another process ingests the later years.
    ingest(years(&["2023", "2024", "2025"]));
    let start = Instant::now();
    loop {
        let seen = count("/v4/articles") > articles
            && count("/api/v1/launches") > launches
            && expedition_72() == 200
            && aboard_2025() != before
            && get(addr, "/launches").body.contains("Soyuz MS-27");
        if seen {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(1),
            "the new pages did not show within a second"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    eprintln!(
        "new pages answered on every route {:?} after the ingest",
        start.elapsed()
    );
    // The crew of the new expedition is on its page and in the knowledge API.
    let page = get(addr, "/expeditions/72").body;
    assert!(page.contains("Williams"), "{page}");
    let api = get(addr, "/api/v1/expeditions?limit=100").body;
    assert!(api.contains("\"name\":\"Expedition 72\""), "{api}");
}
