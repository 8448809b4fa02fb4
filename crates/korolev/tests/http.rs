//! HTTP as clients expect it: any origin may read (CORS, OPTIONS), answers carry a validator
//! that a client sends back for a 304, compression when asked, HEAD.
#![allow(clippy::unwrap_used)]

mod common;
use common::*;
use std::io::Read;

#[test]
fn cors_validators_compression_and_head() {
    let data = corpus_store("2020");
    let server = start(data.path());
    let addr = server.addr.as_str();
    let path = "/v4/articles/?limit=5";

    // Any origin may read, and may ask first.
    let (status, h, body) = request(addr, "GET", path, &[("Origin", "https://app.example")]);
    assert_eq!(status, 200);
    assert_eq!(header(&h, "access-control-allow-origin"), Some("*"));
    let plain = body;
    let preflight = request(
        addr,
        "OPTIONS",
        path,
        &[
            ("Origin", "https://app.example"),
            ("Access-Control-Request-Method", "GET"),
        ],
    );
    assert!(preflight.0 < 300, "OPTIONS answered {}", preflight.0);
    let methods = header(&preflight.1, "access-control-allow-methods").unwrap();
    assert!(methods.contains("GET"), "{methods}");

    // A validator, given back, is a 304 with no body; another is the answer again.
    let etag = header(&h, "etag").unwrap().to_string();
    assert!(etag.starts_with("W/\""), "{etag}");
    assert_eq!(header(&h, "cache-control"), Some("no-cache"));
    let (status, h2, body) = request(addr, "GET", path, &[("If-None-Match", &etag)]);
    assert_eq!((status, body.len()), (304, 0));
    assert_eq!(header(&h2, "etag"), Some(etag.as_str()));
    let (status, _, body) = request(addr, "GET", path, &[("If-None-Match", "W/\"other\"")]);
    assert_eq!(status, 200);
    assert_eq!(body, plain);
    // The portal's pages carry one too.
    let (status, h, _) = request(addr, "GET", "/", &[]);
    assert_eq!(status, 200);
    assert!(header(&h, "etag").is_some());

    // Compressed when asked, the same answer once inflated.
    let (status, h, body) = request(addr, "GET", path, &[("Accept-Encoding", "gzip")]);
    assert_eq!(status, 200);
    assert_eq!(header(&h, "content-encoding"), Some("gzip"));
    assert!(body.len() < plain.len());
    let mut inflated = Vec::new();
    flate2::read::GzDecoder::new(body.as_slice())
        .read_to_end(&mut inflated)
        .unwrap();
    assert_eq!(inflated, plain);

    // HEAD: the headers of GET, no body.
    let (status, h, body) = request(addr, "HEAD", path, &[]);
    assert_eq!((status, body.len()), (200, 0));
    assert!(header(&h, "content-type").unwrap().contains("json"));
}
