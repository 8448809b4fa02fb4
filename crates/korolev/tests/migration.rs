//! A store from before the merged facts were kept (schema 7) is brought up to date when it is
//! opened; a migration killed at any moment leaves a sound store, and running again finishes
//! it with the same answers as a migration never interrupted.
#![allow(clippy::unwrap_used)]

mod common;

use common::{korolev, stdout};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

const AT: &str = "2025-06-01";

fn knowledge(dir: &Path) -> String {
    let out = korolev(dir, &["knowledge", "--json", "--at", AT]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    stdout(&out)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

#[test]
fn a_migration_killed_at_any_moment_finishes_on_the_next_run() {
    let fresh = common::corpus_store("");
    let want = knowledge(fresh.path());
    let current: i64 = rusqlite::Connection::open(fresh.path().join("korolev.sqlite3"))
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert!(want.contains("\"facts\":[{"), "{want}");

    // The same store as schema 7 left it: no facts kept, no claim grouped.
    {
        let db = rusqlite::Connection::open(fresh.path().join("korolev.sqlite3")).unwrap();
        db.execute_batch(
            "DELETE FROM facts; DELETE FROM tallies; UPDATE claims SET group_key = NULL;
             PRAGMA user_version = 7; PRAGMA wal_checkpoint(TRUNCATE);",
        )
        .unwrap();
    }
    let old = tempfile::tempdir().unwrap();
    copy_dir(fresh.path(), old.path());
    assert_eq!(knowledge(fresh.path()), want, "an uninterrupted migration");

    // From before it starts to after it ends (about 20 to 70 ms into a run of a debug build).
    for delay_ms in [0, 10, 20, 30, 40, 50, 60, 70, 80, 120] {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(old.path(), dir.path());
        let mut child = Command::new(env!("CARGO_BIN_EXE_korolev"))
            .arg("--data-dir")
            .arg(dir.path())
            .args(["knowledge", "--json", "--at", AT])
            .env_remove("KOROLEV_DATA_DIR")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        // SIGKILL: no chance to clean up.
        let _ = child.kill();
        let _ = child.wait();
        let db = rusqlite::Connection::open(dir.path().join("korolev.sqlite3")).unwrap();
        let version: i64 = db
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        // Each step is one transaction: a kill leaves the version of a step done.
        assert!(
            (7..=current).contains(&version),
            "killed after {delay_ms} ms: schema {version}, not one of 7 to {current}"
        );
        drop(db);
        eprintln!("killed after {delay_ms} ms: schema {version}");
        assert_eq!(knowledge(dir.path()), want, "killed after {delay_ms} ms");
        let db = rusqlite::Connection::open(dir.path().join("korolev.sqlite3")).unwrap();
        let check: String = db
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok", "killed after {delay_ms} ms");
    }
}
