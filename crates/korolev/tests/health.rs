//! Operating korolev: `/health` answers 200 while the store answers at the schema this korolev
//! writes and the fetch scheduler goes round, 503 saying why when not; `korolev --version`
//! names the commit it was built from.
#![allow(clippy::unwrap_used)]

mod common;
use common::*;

#[test]
fn health_says_ok_then_failing_when_the_store_is_not_at_this_korolevs_schema() {
    let data = corpus_store("2020");
    let server = start(data.path());
    let ok = get(&server.addr, "/health");
    assert_eq!(ok.status, 200, "{}", ok.body);
    let v = ok.json();
    assert_eq!(v["status"], "ok");
    assert_eq!(v["store"]["ok"], true);
    assert_eq!(v["store"]["schema"], v["store"]["expected"]);
    // A server that fetches reports its scheduler; one that does not, nothing of it.
    assert_eq!(v["fetch"]["running"], true, "{v}");
    assert_eq!(header(&ok.headers, "cache-control"), Some("no-store"));
    let quiet = start_with(data.path(), &["--no-fetch"]);
    let v = get(&quiet.addr, "/health").json();
    assert!(v.get("fetch").is_none(), "{v}");

    // Another korolev, newer, upgrades the store under the running servers.
    let db = data.path().join("korolev.sqlite3");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let expected: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    conn.execute_batch(&format!("PRAGMA user_version = {}", expected + 1))
        .unwrap();
    drop(conn);
    let failing = get(&server.addr, "/health");
    assert_eq!(failing.status, 503, "{}", failing.body);
    let v = failing.json();
    assert_eq!(v["status"], "failing");
    assert_eq!(v["store"]["ok"], false);
    assert_eq!(v["store"]["schema"], expected + 1);
}

#[test]
fn the_version_names_the_commit_it_was_built_from() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_korolev"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = stdout(&out);
    let prefix = format!("korolev {} (commit ", env!("CARGO_PKG_VERSION"));
    assert!(text.starts_with(&prefix), "{text}");
    let commit = text[prefix.len()..].trim().trim_end_matches(')');
    let head = std::process::Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    match head {
        Some(head) => assert_eq!(commit, head),
        None => assert_eq!(commit, "unknown"),
    }
}

#[test]
fn check_finds_a_damaged_store_and_a_bad_config_key() {
    let data = corpus_store("2020");
    let out = korolev(data.path(), &["check"]);
    let text = stdout(&out);
    assert!(out.status.success(), "{text}{}", stderr(&out));
    assert!(
        text.contains("ok      integrity: SQLite finds the file sound"),
        "{text}"
    );
    assert!(text.contains("ok      store:"), "{text}");

    std::fs::write(
        data.path().join("korolev.toml"),
        "[fetch]\ndelay = \"forever\"\n",
    )
    .unwrap();
    // Pages in the middle of the file overwritten, as a failing disk leaves them.
    let db = data.path().join("korolev.sqlite3");
    let mut bytes = std::fs::read(&db).unwrap();
    assert!(bytes.len() > 40_000);
    for b in &mut bytes[8_192..40_000] {
        *b = 0x5a;
    }
    std::fs::write(&db, bytes).unwrap();
    let out = korolev(data.path(), &["check"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}{}", stderr(&out));
    assert!(
        text.contains("FAILING integrity") || text.contains("FAILING store"),
        "{text}"
    );
    assert!(text.contains("FAILING config"), "{text}");
    assert!(text.contains("fetch.delay"), "{text}");

    let missing = tempfile::tempdir().unwrap();
    let nowhere = missing.path().join("none");
    let out = korolev(&nowhere, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("no store at"), "{}", stdout(&out));
    assert!(!nowhere.exists(), "check made a store");
}

#[test]
fn commands_say_what_is_missing_and_the_demo_leaves_nothing_behind() {
    let parent = tempfile::tempdir().unwrap();
    let nowhere = parent.path().join("typo");
    for args in [&["serve"][..], &["export"], &["knowledge"], &["reextract"]] {
        let out = korolev(&nowhere, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&out).contains("no store in"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    assert!(
        !nowhere.exists(),
        "a store was made for a mistyped directory"
    );
    // A data directory that is a file is said once.
    let file = parent.path().join("file");
    std::fs::write(&file, "x").unwrap();
    let out = korolev(&file, &["ingest", "-"]);
    let err = stderr(&out);
    assert_eq!(err.matches("File exists").count(), 1, "{err}");

    // A taken port is said before the corpus is read.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_korolev"))
        .args(["demo", "--quiet", "--bind", &addr])
        .env_remove("KOROLEV_DATA_DIR")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot listen on"),
        "{}",
        stderr(&out)
    );
    assert!(
        !stdout(&out).contains("bundled sample corpus"),
        "{}",
        stdout(&out)
    );

    // The demo's own store is removed when its portal stops.
    let mut demo = std::process::Command::new(env!("CARGO_BIN_EXE_korolev"))
        .args(["demo", "--quiet", "--bind", "127.0.0.1:0"])
        .env_remove("KOROLEV_DATA_DIR")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    use std::io::BufRead;
    let mut lines = std::io::BufReader::new(demo.stdout.take().unwrap()).lines();
    let mut store = None;
    for line in lines.by_ref() {
        let line = line.unwrap();
        if let Some(rest) = line.trim().strip_prefix("store: ") {
            store = rest.split(' ').next().map(std::path::PathBuf::from);
        }
        if line.contains("serving") {
            break;
        }
    }
    let store = store.expect("the demo names its store");
    assert!(store.exists());
    let pid = demo.id().to_string();
    std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    demo.wait().unwrap();
    assert!(
        !store.parent().unwrap().exists(),
        "{} left behind",
        store.display()
    );
}
