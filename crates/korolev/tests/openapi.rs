//! korolev's own OpenAPI document (`/api/v1/openapi.json`): it is served, it describes every
//! route of the knowledge API, its docs page reads it to people, and schemathesis — generating
//! requests from the document, valid and invalid, and checking every answer against it —
//! finds no failure.
//!
//! schemathesis is a Python tool: `KOROLEV_SCHEMATHESIS` names its `st` command, else `st`
//! on the PATH. Without it the schemathesis test says so and passes, unless
//! `KOROLEV_REQUIRE_SCHEMATHESIS=1` (CI sets it and installs schemathesis), where it fails.
#![allow(clippy::unwrap_used)]

mod common;
use common::*;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn the_document_describes_every_route_and_its_docs_page_reads_it() {
    let data = corpus_store("");
    let server = start_with(data.path(), &["--no-fetch"]);
    let doc = get(&server.addr, "/api/v1/openapi.json");
    assert_eq!(doc.status, 200);
    let doc = doc.json();
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["servers"][0]["url"], format!("http://{}", server.addr));
    for path in [
        "/astros.json",
        "/api/v1/expeditions",
        "/api/v1/expeditions/{id}",
        "/api/v1/astronauts",
        "/api/v1/astronauts/{slug}",
        "/api/v1/launches",
        "/api/v1/launches/{id}",
        "/api/v1/entities",
        "/api/v1/facts",
    ] {
        let op = &doc["paths"][path]["get"];
        assert!(op["responses"]["200"].is_object(), "{path}: {op}");
        // Each path the document names answers (a list, or one item the list names).
        let asked = match path {
            "/api/v1/expeditions/{id}" => "/api/v1/expeditions/63".to_string(),
            "/api/v1/astronauts/{slug}" | "/api/v1/launches/{id}" => {
                let list = path.trim_end_matches("/{slug}").trim_end_matches("/{id}");
                let first = get(&server.addr, &format!("{list}?limit=1")).json();
                format!("{list}/{}", first["results"][0]["id"].as_str().unwrap())
            }
            p => p.to_string(),
        };
        assert_eq!(get(&server.addr, &asked).status, 200, "{asked}");
    }
    // Confidences read as they print, not widened from 32 bits.
    let facts = get(&server.addr, "/api/v1/facts?limit=50").body;
    let confidences: Vec<&str> = facts
        .split("\"confidence\":")
        .skip(1)
        .map(|rest| rest.split([',', '}']).next().unwrap())
        .collect();
    assert!(!confidences.is_empty(), "{facts}");
    assert!(confidences.iter().all(|c| c.len() <= 6), "{confidences:?}");
    let docs = get(&server.addr, "/api/v1/docs");
    assert_eq!(docs.status, 200);
    assert!(
        docs.body.contains("<code>GET /api/v1/facts</code>"),
        "{}",
        docs.body
    );
    assert!(docs.body.contains("id=\"model-Fact\""), "{}", docs.body);
    assert!(!docs.body.contains("<script"), "{}", docs.body);
}

/// schemathesis's `st`, if it can be found.
fn schemathesis() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("KOROLEV_SCHEMATHESIS") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("st"))
        .find(|p| p.is_file())
}

#[test]
fn schemathesis_finds_no_failure_in_the_api_against_its_document() {
    let Some(st) = schemathesis() else {
        assert!(
            std::env::var("KOROLEV_REQUIRE_SCHEMATHESIS").as_deref() != Ok("1"),
            "KOROLEV_REQUIRE_SCHEMATHESIS=1 but no schemathesis (st on the PATH, or KOROLEV_SCHEMATHESIS)"
        );
        eprintln!(
            "skipped: no schemathesis; pip install schemathesis, or set KOROLEV_SCHEMATHESIS"
        );
        return;
    };
    let data = corpus_store("");
    let server = start_with(data.path(), &["--no-fetch"]);
    // schemathesis keeps a cache where it runs: somewhere of its own.
    let scratch = tempfile::tempdir().unwrap();
    let mut child = Command::new(&st)
        .current_dir(scratch.path())
        .args([
            "run",
            &format!("http://{}/api/v1/openapi.json", server.addr),
            "--checks",
            "all",
            "--max-examples",
            "60",
            "--seed",
            "1",
            "--no-color",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{}: {e}", st.display()));
    // Bounded: a run that hangs is a failure, not a stuck suite.
    let deadline = Instant::now() + Duration::from_secs(600);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("schemathesis ran for more than 10 minutes");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let out = child.wait_with_output().unwrap();
    let report = format!("{}{}", stdout(&out), stderr(&out));
    assert!(out.status.success(), "{report}");
    assert!(report.contains("passed"), "{report}");
    assert!(!report.contains("failures"), "{report}");
}
