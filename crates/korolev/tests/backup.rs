//! Backups of a store while it is fed, and restores: a backup taken during an ingest restores
//! to a store SQLite finds sound that serves what the backup serves; a restore into the store
//! of a running server is what that server answers next; the store it replaces is kept.
#![allow(clippy::unwrap_used)]

mod common;
use common::*;
use std::path::Path;
use std::process::{Command, Stdio};

/// Routes whose answers two servers of the same store must give alike.
const ROUTES: [&str; 7] = [
    "/v4/articles/?limit=100",
    "/api/v1/facts?limit=100",
    "/api/v1/expeditions",
    "/api/v1/astronauts",
    "/api/v1/launches",
    "/2.3.0/expeditions/",
    // A portal page; not the home page, whose news list folds by the search index, which
    // each server fills on its own time.
    "/expeditions",
];

/// Fails naming the first route whose answers differ, and where.
fn assert_same(a: &[(u16, String)], b: &[(u16, String)]) {
    for ((route, x), y) in ROUTES.iter().zip(a).zip(b) {
        assert_eq!(x.0, y.0, "{route}");
        if x.1 != y.1 {
            let at =
                x.1.bytes()
                    .zip(y.1.bytes())
                    .take_while(|(p, q)| p == q)
                    .count();
            let near = |s: &str| {
                s.get(at.saturating_sub(80)..(at + 80).min(s.len()))
                    .unwrap_or("")
                    .to_string()
            };
            panic!(
                "{route} differs at byte {at}: {:?} / {:?}",
                near(&x.1),
                near(&y.1)
            );
        }
    }
}

/// Each route's status and body, the server's own address taken out of links.
fn answers(server: &Server) -> Vec<(u16, String)> {
    ROUTES
        .iter()
        .map(|r| {
            let a = get(&server.addr, r);
            (a.status, a.body.replace(&server.addr, "HOST"))
        })
        .collect()
}

fn article_count(server: &Server) -> u64 {
    get(&server.addr, "/v4/articles/?limit=1").json()["count"]
        .as_u64()
        .unwrap()
}

/// `n` short, distinct pages, enough that ingesting them takes a while.
fn write_pages(dir: &Path, n: usize) {
    for i in 0..n {
        let body = format!(
            "<html><head><title>Station bulletin {i}</title></head><body><article>\
             <h1>Station bulletin {i}</h1><p>Bulletin number {i} of the station log tells \
             of experiment {i} in the laboratory module, run by the crew over {} hours.</p>\
             <p>The results of run {i} go to the ground teams for study.</p>\
             </article></body></html>",
            i % 24 + 1
        );
        std::fs::write(dir.join(format!("bulletin-{i:05}.html")), body).unwrap();
    }
}

fn check_passes(data: &Path) {
    let out = korolev(data, &["check"]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(
        stdout(&out).contains("ok      integrity"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_backup_taken_during_an_ingest_restores_to_a_sound_store_that_serves_the_same() {
    let data = corpus_store("");
    let before = article_count(&start_with(data.path(), &["--no-fetch"]));
    let pages = tempfile::tempdir().unwrap();
    write_pages(pages.path(), 1500);
    let mut ingest = Command::new(env!("CARGO_BIN_EXE_korolev"))
        .arg("--data-dir")
        .arg(data.path())
        .arg("ingest")
        .arg(pages.path())
        .env_remove("KOROLEV_DATA_DIR")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let backups = tempfile::tempdir().unwrap();
    let articles_in = |backup: &Path| -> u64 {
        rusqlite::Connection::open(backup.join("korolev.sqlite3"))
            .unwrap()
            .query_row("SELECT count(*) FROM articles", [], |r| r.get(0))
            .unwrap()
    };
    // Backups until one holds some but not all of the ingest, taken while it still runs.
    let mut during = None;
    for i in 0..200 {
        let dest = backups.path().join(format!("b{i}"));
        let out = korolev(data.path(), &["backup", dest.to_str().unwrap()]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(stdout(&out).contains("backed up"), "{}", stdout(&out));
        if ingest.try_wait().unwrap().is_some() {
            break;
        }
        if articles_in(&dest) > before {
            during = Some(dest);
            break;
        }
        std::fs::remove_dir_all(&dest).unwrap();
    }
    assert!(ingest.wait().unwrap().success());
    let during = during.expect("the ingest ended before a backup was done: make it longer");

    // Restored into a new data directory: sound, and serving what the backup serves.
    let restored = tempfile::tempdir().unwrap();
    let out = korolev(restored.path(), &["restore", during.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    check_passes(restored.path());
    check_passes(&during);
    let from_backup = start_with(&during, &["--no-fetch"]);
    let from_restored = start_with(restored.path(), &["--no-fetch"]);
    assert_same(&answers(&from_backup), &answers(&from_restored));
    let mid = article_count(&from_restored);
    let after = article_count(&start_with(data.path(), &["--no-fetch"]));
    assert!(before < mid && mid <= after, "{before} {mid} {after}");
}

#[test]
fn a_restore_into_a_served_store_is_what_the_server_answers_next_and_the_old_store_is_kept() {
    let full = corpus_store("");
    let backup = tempfile::tempdir().unwrap();
    let dest = backup.path().join("full");
    let out = korolev(full.path(), &["backup", dest.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    // A backup never overwrites one.
    let again = korolev(full.path(), &["backup", dest.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2), "{}", stderr(&again));
    assert!(
        stderr(&again).contains("exists already"),
        "{}",
        stderr(&again)
    );

    let small = corpus_store("2020");
    let server = start_with(small.path(), &["--no-fetch"]);
    let small_count = article_count(&server);
    let original = answers(&start_with(full.path(), &["--no-fetch"]));
    // A store is replaced only when asked to.
    let refused = korolev(small.path(), &["restore", dest.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains("--force"), "{}", stderr(&refused));
    let out = korolev(
        small.path(),
        &["restore", "--force", dest.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    // The server sees the store change as it sees an ingest: within its watch of the store.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while answers(&server) != original && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_same(&answers(&server), &original);
    assert!(article_count(&server) > small_count);
    check_passes(small.path());

    // The store it replaced was backed up beside it first, and serves what it did.
    let kept: Vec<_> = std::fs::read_dir(small.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("before-restore-")
        })
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(
        article_count(&start_with(&kept[0], &["--no-fetch"])),
        small_count
    );

    // Not a backup: said, naming it, and the store stays.
    let junk = backup.path().join("junk.sqlite3");
    std::fs::write(&junk, vec![b'x'; 8192]).unwrap();
    let bad = korolev(
        small.path(),
        &["restore", "--force", junk.to_str().unwrap()],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("junk.sqlite3"), "{}", stderr(&bad));
    assert_same(&answers(&server), &original);
}
