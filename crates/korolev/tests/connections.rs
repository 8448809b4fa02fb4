//! What clients can hold of a server: a slow or silent client is dropped after the header
//! timeout, past the connection cap a client is answered 503 at once, and in both cases the
//! others are served. Everything on 127.0.0.1, bounded in count and time.
#![allow(clippy::unwrap_used)]

mod common;
use common::*;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// Whether the server has closed `s` (a read gives end of file or a reset) within `limit`.
fn closed_within(s: &mut TcpStream, limit: Duration) -> bool {
    s.set_read_timeout(Some(limit)).unwrap();
    let mut buf = [0u8; 512];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e) => {
                return !matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                )
            }
        }
    }
}

#[test]
fn slow_clients_are_dropped_after_the_header_timeout_while_others_are_served() {
    let data = tempfile::tempdir().unwrap();
    let server = start_with(data.path(), &["--header-timeout", "2"]);
    let addr = server.addr.as_str();
    // 500 clients that send the start of a request and then nothing more.
    let mut slow: Vec<TcpStream> = (0..500)
        .map(|_| {
            let mut s = TcpStream::connect(addr).unwrap();
            s.write_all(b"GET /v4/info HTTP/1.1\r\nHost: x\r\n")
                .unwrap();
            s
        })
        .collect();
    // Meanwhile the server answers others at once.
    let start = Instant::now();
    let info = get(addr, "/v4/info");
    assert_eq!(info.status, 200);
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
    // After the timeout every slow client has been let go.
    std::thread::sleep(Duration::from_millis(2500));
    let mut dropped = 0;
    for s in &mut slow {
        dropped += usize::from(closed_within(s, Duration::from_millis(500)));
    }
    assert_eq!(dropped, 500);
    // A client that keeps a connection open and idle after an answer is let go too.
    let mut idle = TcpStream::connect(addr).unwrap();
    idle.write_all(b"GET /v4/info HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut first = [0u8; 12];
    idle.read_exact(&mut first).unwrap();
    assert_eq!(&first, b"HTTP/1.1 200");
    assert!(closed_within(&mut idle, Duration::from_secs(5)));
}

#[test]
fn past_the_connection_cap_a_client_is_refused_at_once_and_service_resumes() {
    let data = tempfile::tempdir().unwrap();
    let server = start_with(data.path(), &["--max-connections", "20"]);
    let addr = server.addr.as_str();
    // Twenty clients hold every connection the server allows.
    let held: Vec<TcpStream> = (0..20).map(|_| TcpStream::connect(addr).unwrap()).collect();
    std::thread::sleep(Duration::from_millis(300));
    let start = Instant::now();
    let refused = get(addr, "/v4/info");
    assert_eq!(refused.status, 503, "{}", refused.body);
    assert_eq!(refused.header("retry-after"), Some("1"));
    assert!(
        start.elapsed() < Duration::from_secs(1),
        "{:?}",
        start.elapsed()
    );
    drop(held);
    // Once they are gone, service resumes.
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let r = get(addr, "/v4/info");
        if r.status == 200 {
            break;
        }
        assert!(Instant::now() < deadline, "still refused: {}", r.body);
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A store with the bundled corpus in it.
fn corpus_store() -> tempfile::TempDir {
    let data = tempfile::tempdir().unwrap();
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus");
    let out = korolev(
        data.path(),
        &["ingest", "--quiet", corpus.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    data
}

#[test]
fn a_stuffed_query_costs_milliseconds_and_is_folded_or_refused_by_name() {
    let data = corpus_store();
    let server = start(data.path());
    let addr = server.addr.as_str();
    let plain = get(addr, "/v4/articles?has_launch=true&limit=100").json();
    // One parameter two thousand times is that parameter once.
    let stuffed = format!("/v4/articles?limit=100{}", "&has_launch=true".repeat(2000));
    let hammer: Vec<_> = (0..4)
        .map(|_| {
            let (addr, path) = (addr.to_string(), stuffed.clone());
            std::thread::spawn(move || {
                let start = Instant::now();
                let r = get(&addr, &path);
                (r, start.elapsed())
            })
        })
        .collect();
    // Meanwhile an unrelated request is answered at once.
    let start = Instant::now();
    assert_eq!(get(addr, "/v4/info").status, 200);
    let info_took = start.elapsed();
    for h in hammer {
        let (r, took) = h.join().unwrap();
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.json()["count"], plain["count"]);
        assert!(took < Duration::from_secs(2), "{took:?}");
    }
    assert!(info_took < Duration::from_secs(1), "{info_took:?}");
    assert!(plain["count"].as_u64().unwrap() > 0);

    // Too many words, too many parameters, a NUL: 400 naming what, no database message.
    let words: Vec<String> = (0..1000).map(|i| format!("w{i}")).collect();
    let many_words = format!("/v4/articles?title_contains_one={}", words.join(","));
    let many_params: String = (0..100).map(|i| format!("p{i}=1&")).collect();
    for (path, names) in [
        (many_words.as_str(), "at most 32"),
        (
            &format!("/v4/articles?{many_params}") as &str,
            "more than 64 parameters",
        ),
        ("/v4/articles?search=a%00b", "control character"),
    ] {
        let r = get(addr, path);
        assert_eq!(r.status, 400, "{path}: {}", r.body);
        assert!(r.body.contains(names), "{path}: {}", r.body);
        assert!(!r.body.to_lowercase().contains("sql"), "{}", r.body);
    }
}

#[test]
fn a_client_past_its_rate_is_answered_429_with_retry_after() {
    let data = tempfile::tempdir().unwrap();
    // One request every two seconds, in bursts of one.
    let server = start_with(data.path(), &["--rate-limit", "0.5"]);
    let addr = server.addr.as_str();
    assert_eq!(get(addr, "/v4/info").status, 200);
    let limited = get(addr, "/v4/info");
    assert_eq!(limited.status, 429, "{}", limited.body);
    assert!(limited.header("retry-after").is_some());
    assert!(limited.body.contains("rate_limited"), "{}", limited.body);
    // The bucket fills again.
    std::thread::sleep(Duration::from_millis(2100));
    assert_eq!(get(addr, "/v4/info").status, 200);
    // Without the option, no limit.
    let open = start(data.path());
    let statuses: Vec<u16> = (0..20)
        .map(|_| get(&open.addr, "/v4/info").status)
        .collect();
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
}
