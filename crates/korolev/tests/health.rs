//! `/health`: 200 while the store answers at the schema this korolev writes and the fetch
//! scheduler goes round; 503, saying why, when the store is at another schema.
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
