//! Web archives: `korolev ingest` reads a WARC file (plain, or gzipped record by record) and
//! stores each page it holds under its target URI; what is not a page is passed over, and a
//! damaged record is named without losing the records before it.
#![allow(clippy::unwrap_used)]

mod common;
use common::*;
use std::io::Write;

/// One WARC/1.1 record of `kind` about `uri`, its block typed `content_type`.
fn record(n: u32, kind: &str, uri: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-{n:012}>\r\n\
         WARC-Date: 2024-03-01T10:00:00Z\r\nWARC-Target-URI: {uri}\r\nContent-Type: {content_type}\r\n\
         Content-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

fn page(title: &str, words: &str) -> String {
    let para = format!("<p>{words}, and the crew went on with the work of the week, with experiments, maintenance and a call with students on the ground.</p>");
    format!(
        "<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{para}{para}{para}</article></body></html>"
    )
}

fn http(head: &str, body: &[u8]) -> Vec<u8> {
    let mut r = format!("HTTP/1.1 {head}\r\n\r\n").into_bytes();
    r.extend_from_slice(body);
    r
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

/// The records of one crawl: three pages (one chunked and gzipped), and what is not a page.
fn records() -> Vec<Vec<u8>> {
    let a = gzip(
        page(
            "Soyuz MS-99 reaches the station",
            "The Soyuz docked at the Rassvet module",
        )
        .as_bytes(),
    );
    let mut chunked = format!("{:x}\r\n", 100).into_bytes();
    chunked.extend_from_slice(&a[..100]);
    chunked.extend_from_slice(format!("\r\n{:x}\r\n", a.len() - 100).as_bytes());
    chunked.extend_from_slice(&a[100..]);
    chunked.extend_from_slice(b"\r\n0\r\n\r\n");
    let b = page(
        "Cargo ship leaves the station",
        "The cargo ship undocked and burned up over the Pacific",
    );
    let c = page(
        "Spacewalk replaces a battery",
        "Two astronauts spent six hours outside the station",
    );
    vec![
        record(1, "warcinfo", "", "application/warc-fields", b"software: korolev test\r\n"),
        record(2, "request", "https://news.example/soyuz", "application/http; msgtype=request", b"GET /soyuz HTTP/1.1\r\nHost: news.example\r\n\r\n"),
        record(3, "response", "https://news.example/soyuz", "application/http; msgtype=response",
            &http("200 OK\r\nContent-Type: text/html; charset=utf-8\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip", &chunked)),
        record(4, "response", "https://news.example/old", "application/http; msgtype=response",
            &http("301 Moved Permanently\r\nLocation: https://news.example/soyuz", b"")),
        record(5, "response", "https://news.example/logo.png", "application/http; msgtype=response",
            &http("200 OK\r\nContent-Type: image/png", b"\x89PNG\r\n\x1a\n")),
        record(6, "response", "https://news.example/cargo", "application/http; msgtype=response",
            &http("200 OK\r\nContent-Type: text/html", b.as_bytes())),
        record(7, "metadata", "https://news.example/cargo", "application/warc-fields", b"fetchTimeMs: 12\r\n"),
        record(8, "resource", "https://news.example/spacewalk", "text/html", c.as_bytes()),
    ]
}

/// The addresses SNAPI gives the stored articles, with their publication times.
fn urls(data: &std::path::Path) -> Vec<(String, String)> {
    let server = start(data);
    let page = get(&server.addr, "/v4/articles/?limit=100").json();
    let mut urls: Vec<(String, String)> = page["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let s = |k: &str| a[k].as_str().unwrap().to_string();
            (s("url"), s("published_at"))
        })
        .collect();
    urls.sort();
    urls
}

#[test]
fn the_pages_of_a_warc_are_stored_under_their_addresses() {
    let input = tempfile::tempdir().unwrap();
    let plain = input.path().join("crawl.warc");
    std::fs::write(&plain, records().concat()).unwrap();
    let data = tempfile::tempdir().unwrap();
    let out = korolev(data.path(), &["ingest", plain.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("read 3 · new 3"), "{err}");
    assert!(err.contains("5 record(s) passed over"), "{err}");
    let want = [
        "https://news.example/cargo",
        "https://news.example/soyuz",
        "https://news.example/spacewalk",
    ];
    // Undated pages are listed when they were archived, not when they were stored.
    let want: Vec<(String, String)> = want
        .iter()
        .map(|u| (u.to_string(), "2024-03-01T10:00:00Z".to_string()))
        .collect();
    assert_eq!(urls(data.path()), want);

    // A page's own hints do not apply to an archive's many pages.
    let out = korolev(
        data.path(),
        &[
            "ingest",
            "--url",
            "https://x.example/",
            plain.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("each record of"), "{}", stderr(&out));

    // The same crawl gzipped record by record, as Common Crawl writes it: the same pages,
    // already stored.
    let gz = input.path().join("crawl.warc.gz");
    let members: Vec<u8> = records().iter().flat_map(|r| gzip(r)).collect();
    std::fs::write(&gz, members).unwrap();
    let again = korolev(data.path(), &["ingest", gz.to_str().unwrap()]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        stderr(&again).contains("read 3 · new 0 · revised 0 · unchanged 3"),
        "{}",
        stderr(&again)
    );
}

#[test]
fn a_damaged_record_is_named_and_the_records_before_it_are_kept() {
    let input = tempfile::tempdir().unwrap();
    let path = input.path().join("cut.warc");
    let mut bytes = records().concat();
    // A record that says it is longer than what follows: the archive was cut off.
    let cut = record(
        9,
        "resource",
        "https://news.example/cut",
        "text/html",
        page("Cut", "Cut off").as_bytes(),
    );
    bytes.extend_from_slice(&cut[..cut.len() - 120]);
    std::fs::write(&path, bytes).unwrap();
    let data = tempfile::tempdir().unwrap();
    let out = korolev(data.path(), &["ingest", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("cut.warc record 9 (https://news.example/cut)"),
        "{err}"
    );
    assert!(err.contains("truncated"), "{err}");
    assert!(err.contains("new 3"), "{err}");

    // What crawlers write besides pages: a DNS answer recorded as a response, a header whose
    // address is not UTF-8, lines ending in LF alone. Passed over or read; never a panic.
    let odd = input.path().join("odd.warc");
    let mut bytes = record(
        10,
        "response",
        "dns:news.example",
        "text/dns",
        b"20240301100000\nnews.example. 300 IN A 192.0.2.1\n",
    );
    let mut latin = record(
        11,
        "resource",
        "https://news.example/caf\u{e9}",
        "text/html",
        page("Odd address", "The address has a byte that is not UTF-8").as_bytes(),
    );
    let at = latin
        .windows(4)
        .position(|w| w == "caf\u{e9}".as_bytes().get(..4).unwrap())
        .unwrap();
    latin.splice(at + 3..at + 5, [0xe9u8]);
    bytes.extend_from_slice(&latin);
    let lf = String::from_utf8(record(
        12,
        "resource",
        "https://news.example/lf",
        "text/html",
        page("Line feeds only", "Written by a tool that ends lines in LF").as_bytes(),
    ))
    .unwrap()
    .replace("\r\n", "\n");
    bytes.extend_from_slice(lf.as_bytes());
    std::fs::write(&odd, bytes).unwrap();
    let fresh = tempfile::tempdir().unwrap();
    let out = korolev(fresh.path(), &["ingest", odd.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("read 2 · new 2") && err.contains("1 record(s) passed over"),
        "{err}"
    );

    // A file of no line breaks at all is refused, not read into memory as one header line.
    let endless = input.path().join("endless.warc");
    std::fs::write(&endless, vec![b'W'; 300 * 1024]).unwrap();
    let out = korolev(data.path(), &["ingest", endless.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("endless.warc record 1"),
        "{}",
        stderr(&out)
    );
}
