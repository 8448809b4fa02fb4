//! `korolev fetch` against a real HTTP server on 127.0.0.1: feeds of several formats, a
//! gzipped sitemap, robots.txt, redirects, faults, conditional requests, spacing.
#![allow(clippy::unwrap_used)]

mod common;
use common::*;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One answer of the test site; an ETag is given and honoured for every 200.
#[derive(Clone)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
    Reply {
        status: 200,
        headers: vec![("Content-Type".into(), content_type.into())],
        body: body.into(),
    }
}

fn status(code: u16, headers: &[(&str, &str)]) -> Reply {
    Reply {
        status: code,
        headers: headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        body: Vec::new(),
    }
}

/// A request the site saw.
#[derive(Clone, Debug)]
struct Hit {
    path: String,
    at: Instant,
    conditional: bool,
    user_agent: String,
}

#[derive(Clone)]
struct Site {
    addr: String,
    routes: Arc<Mutex<HashMap<String, Reply>>>,
    hits: Arc<Mutex<Vec<Hit>>>,
}

impl Site {
    fn start() -> Site {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let site = Site {
            addr: listener.local_addr().unwrap().to_string(),
            routes: Default::default(),
            hits: Default::default(),
        };
        let s = site.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming().flatten() {
                let s = s.clone();
                std::thread::spawn(move || s.answer(conn));
            }
        });
        site
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn put(&self, path: &str, reply: Reply) {
        self.routes.lock().unwrap().insert(path.into(), reply);
    }

    fn hits(&self) -> Vec<Hit> {
        self.hits.lock().unwrap().clone()
    }

    fn answer(&self, conn: std::net::TcpStream) {
        conn.set_read_timeout(Some(Duration::from_secs(5))).ok();
        let mut reader = BufReader::new(conn.try_clone().unwrap());
        let mut line = String::new();
        if reader.read_line(&mut line).is_err() {
            return;
        }
        let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
        let mut headers = HashMap::new();
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
            }
        }
        self.hits.lock().unwrap().push(Hit {
            path: path.clone(),
            at: Instant::now(),
            conditional: headers.contains_key("if-none-match"),
            user_agent: headers.get("user-agent").cloned().unwrap_or_default(),
        });
        let reply = self
            .routes
            .lock()
            .unwrap()
            .get(&path)
            .cloned()
            .unwrap_or_else(|| status(404, &[]));
        let etag = format!("\"{:x}\"", {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            reply.body.hash(&mut h);
            h.finish()
        });
        let (code, body) = if reply.status == 200
            && headers.get("if-none-match").map(String::as_str) == Some(etag.as_str())
        {
            (304, Vec::new())
        } else {
            (reply.status, reply.body.clone())
        };
        let mut out = format!(
            "HTTP/1.1 {code} X\r\nContent-Length: {}\r\nConnection: close\r\n",
            body.len()
        );
        if reply.status == 200 {
            out.push_str(&format!("ETag: {etag}\r\n"));
        }
        for (k, v) in &reply.headers {
            out.push_str(&format!("{k}: {v}\r\n"));
        }
        out.push_str("\r\n");
        let mut conn = conn;
        let _ = conn.write_all(out.as_bytes());
        let _ = conn.write_all(&body);
    }
}

/// A news page of our own words, with its canonical address.
fn page(site: &Site, path: &str, title: &str, words: &str) -> Reply {
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <link rel=\"canonical\" href=\"{}\"></head><body><nav><a href=\"/\">Home</a></nav>\
         <article><h1>{title}</h1><p>{words} The crew spent the day checking the station's \
         cooling loops and recording a video for students on the ground.</p><p>Engineers on the \
         ground followed the work from the control centre and planned the next spacewalk for the \
         following week, when the new solar array arrives on a cargo ship.</p></article></body></html>",
        site.url(path)
    );
    ok("text/html; charset=utf-8", body)
}

fn rss(site: &Site, items: &[(&str, &str)]) -> Reply {
    let mut x = String::from(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Site</title><link>/</link>",
    );
    for (path, title) in items {
        x.push_str(&format!(
            "<item><title>{title}</title><link>{}</link><pubDate>Mon, 30 Nov 2026 10:00:00 GMT</pubDate></item>",
            site.url(path)
        ));
    }
    x.push_str("</channel></rss>");
    ok("application/rss+xml", x)
}

fn config(dir: &std::path::Path, sources: &[(&str, &str)], delay: &str) {
    let mut t =
        format!("[fetch]\ncontact = \"ops@example.org\"\ndelay = \"{delay}\"\ntimeout = \"2s\"\n");
    for (url, kind) in sources {
        t.push_str(&format!(
            "\n[[sources]]\nurl = \"{url}\"\nkind = \"{kind}\"\nevery = \"10s\"\n"
        ));
    }
    std::fs::write(dir.join("korolev.toml"), t).unwrap();
}

fn articles(data: &std::path::Path) -> Vec<String> {
    let out = korolev(data, &["export", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut urls: Vec<String> = json_lines(&stdout(&out))
        .iter()
        .map(|d| {
            d["article"]["canonical_url"]
                .as_str()
                .unwrap_or("")
                .to_string()
        })
        .collect();
    urls.sort();
    // A revision is a document of its own, of the same article.
    urls.dedup();
    urls
}

#[test]
fn feeds_and_sitemaps_are_followed_politely_and_a_second_fetch_only_asks_conditionally() {
    let site = Site::start();
    site.put(
        "/robots.txt",
        ok("text/plain", "User-agent: *\nDisallow: /private/\n"),
    );
    site.put(
        "/rss.xml",
        rss(
            &site,
            &[
                ("/news/one", "One"),
                ("/private/two", "Two"),
                ("/moved", "Moved"),
            ],
        ),
    );
    site.put(
        "/atom.xml",
        ok(
            "application/atom+xml",
            format!(
                "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>A</title><id>a</id><updated>2026-11-30T10:00:00Z</updated>\
                 <entry><title>Three</title><id>3</id><updated>2026-11-30T10:00:00Z</updated><link href=\"{}\"/></entry></feed>",
                site.url("/news/three")
            ),
        ),
    );
    site.put(
        "/feed.json",
        ok(
            "application/feed+json",
            format!(
                "{{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"J\",\"items\":[{{\"id\":\"4\",\"url\":\"{}\",\"title\":\"Four\"}}]}}",
                site.url("/news/four")
            ),
        ),
    );
    let sitemap = format!(
        "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><url><loc>{}</loc><lastmod>2026-11-29</lastmod></url></urlset>",
        site.url("/news/five")
    );
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(sitemap.as_bytes()).unwrap();
    site.put(
        "/sitemap.xml.gz",
        ok("application/gzip", gz.finish().unwrap()),
    );
    site.put(
        "/broken.xml",
        ok("application/rss+xml", "<rss><channel><item>"),
    );
    site.put("/moved", status(301, &[("Location", "/news/final")]));
    for (path, title) in [
        ("/news/one", "Station crew tests cooling loops"),
        ("/news/three", "Cargo ship leaves the station"),
        ("/news/four", "Spacewalk planned for next week"),
        ("/news/five", "New solar array reaches orbit"),
        ("/news/final", "Moved story about the station"),
        ("/private/two", "Private"),
    ] {
        site.put(path, page(&site, path, title, title));
    }
    let data = tempfile::tempdir().unwrap();
    let (rss_url, atom_url, json_url, map_url, broken_url) = (
        site.url("/rss.xml"),
        site.url("/atom.xml"),
        site.url("/feed.json"),
        site.url("/sitemap.xml.gz"),
        site.url("/broken.xml"),
    );
    config(
        data.path(),
        &[
            (&rss_url, "feed"),
            (&atom_url, "feed"),
            (&json_url, "feed"),
            (&map_url, "sitemap"),
            (&broken_url, "feed"),
        ],
        "150ms",
    );

    let first = korolev_within(data.path(), &["fetch"], Duration::from_secs(60));
    let err = stderr(&first);
    // The broken feed fails the run, and only that source.
    assert_eq!(first.status.code(), Some(1), "{err}");
    assert!(err.contains("not a feed"), "{err}");
    assert!(
        err.contains("sources 5 (unchanged 0, failed 1) · pages new 5"),
        "{err}"
    );
    let stored = articles(data.path());
    let want: Vec<String> = [
        "/news/final",
        "/news/five",
        "/news/four",
        "/news/one",
        "/news/three",
    ]
    .iter()
    .map(|p| site.url(p))
    .collect();
    assert_eq!(stored, want);

    let hits = site.hits();
    // robots.txt asked once, first; what it disallows never asked for.
    assert_eq!(hits[0].path, "/robots.txt");
    assert_eq!(hits.iter().filter(|h| h.path == "/robots.txt").count(), 1);
    assert!(hits.iter().all(|h| !h.path.starts_with("/private/")));
    assert!(hits
        .iter()
        .all(|h| h.user_agent.starts_with("korolev/") && h.user_agent.contains("ops@example.org")));
    // One host: one request at a time, 150 ms apart at least.
    for w in hits.windows(2) {
        let gap = w[1].at.duration_since(w[0].at);
        assert!(
            gap >= Duration::from_millis(140),
            "{} then {} after {gap:?}",
            w[0].path,
            w[1].path
        );
    }

    // Again: the listings are asked for with their validators, robots.txt not at all, and
    // nothing new is stored.
    let before = site.hits().len();
    let second = korolev_within(data.path(), &["fetch"], Duration::from_secs(60));
    let err = stderr(&second);
    assert!(err.contains("pages new 0 · revised 0"), "{err}");
    let again = &site.hits()[before..];
    assert!(again.iter().all(|h| h.path != "/robots.txt"), "{again:?}");
    assert!(
        again
            .iter()
            .filter(|h| h.path != "/broken.xml")
            .all(|h| h.conditional),
        "{again:?}"
    );
    assert_eq!(articles(data.path()), want);

    // A page that changed, listed as changed: a new revision of the same article.
    let changed = format!(
        "<urlset><url><loc>{}</loc><lastmod>2099-01-01</lastmod></url></urlset>",
        site.url("/news/five")
    );
    site.put("/sitemap.xml.gz", ok("application/xml", changed));
    site.put(
        "/news/five",
        page(
            &site,
            "/news/five",
            "New solar array reaches orbit",
            "Updated: it unfolded.",
        ),
    );
    let third = korolev_within(data.path(), &["fetch", &map_url], Duration::from_secs(60));
    let err = stderr(&third);
    assert!(third.status.success(), "{err}");
    assert!(err.contains("pages new 0 · revised 1"), "{err}");
    assert_eq!(articles(data.path()), want);

    // The sources' health is kept and shown.
    let list = korolev(data.path(), &["sources", "list"]);
    let out = stdout(&list);
    assert!(out.contains("failing (2 in a row): not a feed"), "{out}");
    assert!(
        out.contains("fetched 0s ago") || out.contains("fetched 1s ago"),
        "{out}"
    );
}

#[test]
fn faults_are_the_sources_own_and_never_fatal() {
    let site = Site::start();
    site.put("/robots.txt", status(404, &[]));
    // A host of its own: one that asks to be left alone is left alone, all of it.
    let busy_site = Site::start();
    busy_site.put("/busy.xml", status(429, &[("Retry-After", "3600")]));
    site.put("/loop", status(302, &[("Location", "/loop2")]));
    site.put("/loop2", status(302, &[("Location", "/loop")]));
    site.put(
        "/feed.xml",
        rss(
            &site,
            &[("/loop", "Loop"), ("/gone", "Gone"), ("/img", "Image")],
        ),
    );
    site.put("/img", ok("image/png", vec![0u8; 64]));
    let data = tempfile::tempdir().unwrap();
    let dead = "http://127.0.0.1:9/feed.xml".to_string();
    let (busy, feed) = (busy_site.url("/busy.xml"), site.url("/feed.xml"));
    config(
        data.path(),
        &[(&busy, "feed"), (&feed, "feed"), (&dead, "feed")],
        "0s",
    );
    let out = korolev_within(data.path(), &["fetch"], Duration::from_secs(60));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("HTTP 429"), "{err}");
    assert!(
        err.contains("cannot reach the host")
            || err.contains("robots.txt of 127.0.0.1 cannot be read"),
        "{err}"
    );
    assert!(err.contains("redirect loop"), "{err}");
    assert!(err.contains("HTTP 404"), "{err}");
    assert!(err.contains("not a page (image/png)"), "{err}");
    assert!(err.contains("sources 3 (unchanged 0, failed 2)"), "{err}");
    let list = stdout(&korolev(data.path(), &["sources", "list"]));
    // The busy host is left alone for as long as it asked.
    assert!(list.contains("failing (1 in a row): HTTP 429"), "{list}");
    assert!(
        list.contains("next in 59m") || list.contains("next in 1h"),
        "{list}"
    );
}

/// Polls SNAPI's article list until it counts `n` articles, for at most `limit`.
fn wait_for_articles(addr: &str, n: u64, limit: Duration) -> serde_json::Value {
    let deadline = Instant::now() + limit;
    loop {
        let list = get(addr, "/v4/articles/?limit=10").json();
        if list["count"].as_u64() == Some(n) || Instant::now() > deadline {
            return list;
        }
        std::thread::sleep(Duration::from_millis(250));
    }
}

#[test]
fn a_server_follows_its_sources_and_shows_new_items_without_a_restart() {
    let site = Site::start();
    site.put("/robots.txt", status(404, &[]));
    site.put("/rss.xml", rss(&site, &[("/news/a", "A")]));
    site.put(
        "/news/a",
        page(
            &site,
            "/news/a",
            "Crew returns to Earth",
            "The crew landed.",
        ),
    );
    let data = tempfile::tempdir().unwrap();
    let feed = site.url("/rss.xml");
    config(data.path(), &[(&feed, "feed")], "0s");
    let server = start(data.path());
    let list = wait_for_articles(&server.addr, 1, Duration::from_secs(20));
    assert_eq!(list["count"], 1, "{list}");
    assert_eq!(list["results"][0]["url"], site.url("/news/a"));

    // A new item on the site: seen at the source's next round (every 10 s), no restart.
    site.put(
        "/news/b",
        page(
            &site,
            "/news/b",
            "Cargo ship docks at the station",
            "It docked.",
        ),
    );
    site.put(
        "/rss.xml",
        rss(&site, &[("/news/b", "B"), ("/news/a", "A")]),
    );
    let list = wait_for_articles(&server.addr, 2, Duration::from_secs(40));
    assert_eq!(list["count"], 2, "{list}");
    let titles: Vec<&str> = list["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["title"].as_str())
        .collect();
    assert!(
        titles.contains(&"Cargo ship docks at the station"),
        "{titles:?}"
    );
    let page = get(&server.addr, "/");
    assert!(
        page.body.contains("Cargo ship docks at the station"),
        "{}",
        page.body
    );
}
