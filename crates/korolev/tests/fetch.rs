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
    /// Waited before answering: a slow server.
    pause: Duration,
}

fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
    Reply {
        status: 200,
        headers: vec![("Content-Type".into(), content_type.into())],
        body: body.into(),
        pause: Duration::ZERO,
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
        pause: Duration::ZERO,
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
        std::thread::sleep(reply.pause);
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
    if !data.join("korolev.sqlite3").exists() {
        return Vec::new();
    }
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
    // A redirect to another host is asked of that host's robots.txt.
    let other = Site::start();
    other.put(
        "/robots.txt",
        ok("text/plain", "User-agent: korolev\nDisallow: /private/\n"),
    );
    site.put(
        "/elsewhere",
        status(302, &[("Location", &other.url("/private/page"))]),
    );
    site.put(
        "/feed.xml",
        rss(
            &site,
            &[
                ("/loop", "Loop"),
                ("/gone", "Gone"),
                ("/img", "Image"),
                ("/elsewhere", "Elsewhere"),
            ],
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
    assert!(
        err.contains("robots.txt of 127.0.0.1 does not allow it"),
        "{err}"
    );
    let asked: Vec<String> = other.hits().iter().map(|h| h.path.clone()).collect();
    assert_eq!(asked, ["/robots.txt"]);
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
            "The Progress MS-31 cargo spacecraft docked to the Poisk module of the \
             International Space Station on Friday, November 27, 2026.",
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
    // Its facts too, on the API and on its page.
    let facts = get(&server.addr, "/api/v1/facts?limit=100");
    assert!(facts.body.contains("Progress MS-31"), "{}", facts.body);
    let article = list["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Cargo ship docks at the station")
        .map(|a| a["id"].clone())
        .unwrap();
    let shown = get(&server.addr, &format!("/articles/{article}"));
    assert!(shown.body.contains("Progress MS-31"), "{}", shown.body);
    // The sources page lists the configured feed with its health, read afresh each time.
    let sources = get(&server.addr, "/sources");
    assert_eq!(header(&sources.headers, "cache-control"), Some("no-store"));
    let row = sources
        .body
        .split("<tr")
        .find(|r| r.contains(&feed))
        .unwrap_or_default();
    assert!(
        row.contains("<td data-label=\"State\">enabled</td>")
            && row.contains("<td data-label=\"Health\">fetched ")
            && row.contains("s ago"),
        "{}",
        sources.body
    );
    assert!(row.contains("2 pages stored"), "{}", sources.body);
}

/// An RSS 0.91 feed and an RSS 1.0 (RDF) one, each naming one page.
fn old_feeds(site: &Site) -> (Reply, Reply) {
    let rss091 = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE rss PUBLIC \"-//Netscape Communications//DTD RSS 0.91//EN\" \
         \"http://my.netscape.com/publish/formats/rss-0.91.dtd\"><rss version=\"0.91\"><channel>\
         <title>Old</title><link>{0}</link><description>d</description><language>en-us</language>\
         <item><title>Old item</title><link>{1}</link></item></channel></rss>",
        site.url("/"),
        site.url("/news/old")
    );
    let rdf = format!(
        "<?xml version=\"1.0\"?><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" \
         xmlns=\"http://purl.org/rss/1.0/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\
         <channel rdf:about=\"{0}\"><title>R</title><link>{0}</link><description>d</description>\
         <items><rdf:Seq><rdf:li rdf:resource=\"{1}\"/></rdf:Seq></items></channel>\
         <item rdf:about=\"{1}\"><title>RDF item</title><link>{1}</link><dc:date>2026-11-30T10:00:00Z</dc:date></item>\
         </rdf:RDF>",
        site.url("/rdf.xml"),
        site.url("/news/rdf")
    );
    (
        ok("application/rss+xml", rss091),
        ok("application/rdf+xml", rdf),
    )
}

#[test]
fn old_feed_formats_deflate_slow_and_oversized_answers() {
    let site = Site::start();
    site.put("/robots.txt", status(404, &[]));
    let (rss091, rdf) = old_feeds(&site);
    site.put("/rss091.xml", rss091);
    site.put("/rdf.xml", rdf);
    site.put(
        "/rss.xml",
        rss(
            &site,
            &[("/news/deflated", "Deflated"), ("/news/huge", "Huge")],
        ),
    );
    let mut slow = rss(&site, &[("/news/never", "Never")]);
    slow.pause = Duration::from_secs(4);
    site.put("/slow.xml", slow);
    for (path, title) in [
        ("/news/old", "Old format feed story about the station"),
        ("/news/rdf", "RDF feed story about a cargo ship"),
    ] {
        site.put(path, page(&site, path, title, title));
    }
    let plain = page(
        &site,
        "/news/deflated",
        "Deflated story about a spacewalk",
        "Packed.",
    );
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(&plain.body).unwrap();
    let mut deflated = ok("text/html; charset=utf-8", z.finish().unwrap());
    deflated
        .headers
        .push(("Content-Encoding".into(), "deflate".into()));
    site.put("/news/deflated", deflated);
    let huge = format!(
        "<html><body><article><h1>Huge</h1><p>{}</p></article></body></html>",
        "Too long a page. ".repeat(10_000)
    );
    site.put("/news/huge", ok("text/html", huge));

    // A sitemap index naming a Google News sitemap, whose page is behind two redirects, and
    // a sitemap that is gone.
    site.put(
        "/index.xml",
        ok(
            "application/xml",
            format!(
                "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\
                 <sitemap><loc>{}</loc></sitemap><sitemap><loc>{}</loc></sitemap></sitemapindex>",
                site.url("/news-map.xml"),
                site.url("/gone-map.xml")
            ),
        ),
    );
    site.put(
        "/news-map.xml",
        ok(
            "application/xml",
            format!(
                "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
                 xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\"><url><loc>{}</loc>\
                 <news:news><news:publication><news:name>Site</news:name>\
                 <news:language>en</news:language></news:publication>\
                 <news:publication_date>2026-11-30T10:00:00Z</news:publication_date>\
                 <news:title>Mapped</news:title></news:news></url></urlset>",
                site.url("/hop1")
            ),
        ),
    );
    site.put("/hop1", status(301, &[("Location", "/hop2")]));
    site.put("/hop2", status(307, &[("Location", "/news/mapped")]));
    site.put(
        "/news/mapped",
        page(
            &site,
            "/news/mapped",
            "Mapped story about a crew handover",
            "Mapped.",
        ),
    );
    let data = tempfile::tempdir().unwrap();
    let mut t =
        String::from("[fetch]\ndelay = \"0s\"\ntimeout = \"2s\"\nmax_page_bytes = 100000\n");
    t.push_str(&format!(
        "\n[[sources]]\nurl = \"{}\"\nkind = \"sitemap\"\n",
        site.url("/index.xml")
    ));
    for path in ["/rss091.xml", "/rdf.xml", "/rss.xml", "/slow.xml"] {
        t.push_str(&format!(
            "\n[[sources]]\nurl = \"{}\"\nkind = \"feed\"\n",
            site.url(path)
        ));
    }
    std::fs::write(data.path().join("korolev.toml"), t).unwrap();
    let started = Instant::now();
    let out = korolev_within(data.path(), &["fetch"], Duration::from_secs(60));
    let err = stderr(&out);
    // The slow feed is given up at the timeout, the others go on.
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(started.elapsed() < Duration::from_secs(30), "{err}");
    assert!(err.contains("timed out"), "{err}");
    assert!(err.contains("larger than 100000 bytes"), "{err}");
    assert!(err.contains("sources 5 (unchanged 0, failed 1)"), "{err}");
    assert_eq!(
        articles(data.path()),
        [
            site.url("/news/deflated"),
            site.url("/news/mapped"),
            site.url("/news/old"),
            site.url("/news/rdf")
        ]
    );
    let hits = site.hits();
    assert!(hits.iter().all(|h| h.path != "/news/never"), "{hits:?}");
    // Every item was handled (the page too large is passed over for good, as a 404 is): the
    // feed's validators are kept, and the next fetch asks for the feed alone, conditionally.
    let before = hits.len();
    let again = korolev_within(
        data.path(),
        &["fetch", &site.url("/rss.xml")],
        Duration::from_secs(60),
    );
    assert!(again.status.success(), "{}", stderr(&again));
    let asked: Vec<(String, bool)> = site.hits()[before..]
        .iter()
        .map(|h| (h.path.clone(), h.conditional))
        .collect();
    assert_eq!(asked, [("/rss.xml".to_string(), true)]);
}

#[test]
fn podcast_episodes_are_kept_and_played_from_their_source() {
    let site = Site::start();
    site.put("/robots.txt", status(404, &[]));
    let feed = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\" xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\">\
         <channel><title>Station Talk</title><link>{0}</link>\
         <item><title>Episode 12: Life aboard</title><link>{1}</link>\
         <pubDate>Mon, 30 Nov 2026 10:00:00 GMT</pubDate>\
         <enclosure url=\"{2}\" type=\"audio/mpeg\" length=\"1000\"/><itunes:duration>41:05</itunes:duration></item>\
         <item><title>Not a podcast</title><link>{3}</link></item>\
         <item><title>Bad audio</title><link>{1}</link><enclosure url=\"javascript:alert(1)\" type=\"audio/mpeg\"/></item>\
         </channel></rss>",
        site.url("/"),
        site.url("/podcast/12"),
        site.url("/audio/ep12.mp3"),
        site.url("/news/plain")
    );
    site.put("/podcast.xml", ok("application/rss+xml", feed));
    site.put(
        "/podcast/12",
        page(
            &site,
            "/podcast/12",
            "Life aboard the station",
            "NASA astronaut Jonny Kim talks about his days aboard the International Space Station.",
        ),
    );
    site.put(
        "/news/plain",
        page(&site, "/news/plain", "A plain story", "Plain."),
    );
    let data = tempfile::tempdir().unwrap();
    let url = site.url("/podcast.xml");
    config(data.path(), &[(&url, "feed")], "0s");
    let out = korolev_within(data.path(), &["fetch"], Duration::from_secs(60));
    assert!(out.status.success(), "{}", stderr(&out));
    // The audio itself is never downloaded: browsers play it from its source.
    assert!(site.hits().iter().all(|h| !h.path.starts_with("/audio/")));

    let server = start_with(data.path(), &["--no-fetch"]);
    let list = get(&server.addr, "/podcasts");
    assert_eq!(list.status, 200);
    let body = &list.body;
    assert!(body.contains("Episode 12: Life aboard"), "{body}");
    assert!(body.contains("41 min"), "{body}");
    assert!(body.contains("30 November 2026"), "{body}");
    assert!(
        body.contains(&format!(
            "<audio controls preload=\"none\" src=\"{}\">",
            site.url("/audio/ep12.mp3")
        )),
        "{body}"
    );
    assert!(!body.contains("javascript:"), "{body}");
    assert!(!body.contains("Not a podcast"), "{body}");
    assert!(body.contains("Episodes 1–1 of 1"), "{body}");
    // The episode links to the article korolev read from its page, which plays it too.
    let article = body
        .split("href=\"/articles/")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap()
        .to_string();
    let page = get(&server.addr, &format!("/articles/{article}"));
    assert!(
        page.body.contains("Life aboard the station"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("<h2 id=\"listen-title\">Listen</h2>"),
        "{}",
        page.body
    );
    // And the person it names lists it.
    let person = get(&server.addr, "/people/jonny-kim");
    assert_eq!(person.status, 200, "{}", person.body);
    assert!(
        person.body.contains("Episode 12: Life aboard"),
        "{}",
        person.body
    );
    assert_eq!(get(&server.addr, "/podcasts?page=9").status, 404);
    assert_eq!(get(&server.addr, "/podcasts?page=x").status, 400);
    // A server that fetches nothing says so on its sources page, with what was fetched before.
    let sources = get(&server.addr, "/sources");
    assert_eq!(sources.status, 200);
    assert!(sources.body.contains("--no-fetch"), "{}", sources.body);
    assert!(sources.body.contains("Fetched before"), "{}", sources.body);
    assert!(sources.body.contains(&url), "{}", sources.body);
}

/// Counts the documents a store holds, revisions included.
fn documents(data: &std::path::Path) -> usize {
    let out = korolev(data, &["export", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    json_lines(&stdout(&out)).len()
}

#[test]
fn a_fetch_killed_at_any_point_loses_nothing_and_repeats_nothing_stored() {
    let site = Site::start();
    site.put("/robots.txt", status(404, &[]));
    let paths: Vec<String> = (0..10).map(|i| format!("/news/{i}")).collect();
    let items: Vec<(&str, &str)> = paths.iter().map(|p| (p.as_str(), "Item")).collect();
    site.put("/rss.xml", rss(&site, &items));
    let subjects = [
        "cooling loops",
        "a cargo ship",
        "a spacewalk",
        "the solar arrays",
        "a reboost",
        "the water recycler",
        "a crew handover",
        "the robotic arm",
        "a student call",
        "a science freezer",
    ];
    for (i, p) in paths.iter().enumerate() {
        let mut reply = page(
            &site,
            p,
            &format!("Station report {i}: {}", subjects[i]),
            &format!("Report {i} tells of {}.", subjects[i]),
        );
        reply.pause = Duration::from_millis(200);
        site.put(p, reply);
    }
    let data = tempfile::tempdir().unwrap();
    let feed = site.url("/rss.xml");
    config(data.path(), &[(&feed, "feed")], "0s");
    let pages_asked = |from: usize| -> Vec<String> {
        site.hits()[from..]
            .iter()
            .map(|h| h.path.clone())
            .filter(|p| p.starts_with("/news/"))
            .collect()
    };
    // Killed once the feed is read, then in the middle of a page, then a few pages on.
    for kill_after in [0, 1, 3] {
        let stored_before = articles(data.path());
        let from = site.hits().len();
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_korolev"))
            .arg("--data-dir")
            .arg(data.path())
            .args(["fetch", "-q"])
            .env_remove("KOROLEV_CONFIG")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        let feed_read = || site.hits()[from..].iter().any(|h| h.path == "/rss.xml");
        while !(feed_read() && pages_asked(from).len() >= kill_after)
            && Instant::now() < deadline
            && child.try_wait().unwrap().is_none()
        {
            std::thread::sleep(Duration::from_millis(10));
        }
        std::thread::sleep(Duration::from_millis(100));
        child.kill().unwrap();
        child.wait().unwrap();
        // Nothing stored before this run was asked for again.
        let asked = pages_asked(from);
        for url in &stored_before {
            let path = url.trim_start_matches(&site.url(""));
            assert!(
                !asked.iter().any(|a| a == path),
                "{path} asked again: {asked:?}"
            );
        }
        let stored = articles(data.path());
        assert!(stored.len() >= stored_before.len(), "{stored:?}");
        assert_eq!(documents(data.path()), stored.len(), "a page stored twice");
    }
    let from = site.hits().len();
    let stored_before = articles(data.path());
    assert!(
        stored_before.len() < 10,
        "the kills came too late: {stored_before:?}"
    );
    let last = korolev_within(data.path(), &["fetch"], Duration::from_secs(60));
    assert!(last.status.success(), "{}", stderr(&last));
    let stored = articles(data.path());
    let want: Vec<String> = {
        let mut w: Vec<String> = paths.iter().map(|p| site.url(p)).collect();
        w.sort();
        w
    };
    assert_eq!(stored, want);
    assert_eq!(documents(data.path()), 10);
    // The last run asked only for what was not stored yet, each once.
    let asked = pages_asked(from);
    assert_eq!(asked.len(), 10 - stored_before.len(), "{asked:?}");
}

/// A news page of our own words whose lead image is at `image`.
fn pictured(site: &Site, path: &str, title: &str, image: &str, words: &str) -> Reply {
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <meta property=\"og:image\" content=\"{image}\"><link rel=\"canonical\" href=\"{}\"></head>\
         <body><article><h1>{title}</h1><p>{words}</p><p>Engineers on the ground followed the \
         work from the control centre and planned what comes next.</p></article></body></html>",
        site.url(path)
    );
    ok("text/html; charset=utf-8", body)
}

#[test]
fn lead_images_kept_by_the_fetcher_are_served_by_the_portal_and_nothing_else_is() {
    let site = Site::start();
    site.put(
        "/robots.txt",
        ok("text/plain", "User-agent: *\nDisallow: /private/\n"),
    );
    // The first bytes of a PNG, then anything: korolev reads the kind, not the picture.
    let png: Vec<u8> = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR-rest-of-the-picture".to_vec();
    // A server that calls its HTML an image.
    site.put("/img/lead.png", ok("image/png", png.clone()));
    site.put(
        "/img/fake.png",
        ok("image/png", "<html><script>alert(1)</script></html>"),
    );
    site.put("/private/secret.png", ok("image/png", png.clone()));
    let stories = [
        (
            "/news/a",
            "A pictured day",
            site.url("/img/lead.png"),
            "The crew checked the cooling loops of the station and recorded a video for students.",
        ),
        (
            "/news/b",
            "A day with a fake picture",
            site.url("/img/fake.png"),
            "A cargo ship undocked from the aft port and burned up over the Pacific on Tuesday.",
        ),
        (
            "/news/c",
            "A day with a forbidden picture",
            site.url("/private/secret.png"),
            "Two cosmonauts spent seven hours outside installing a new airlock and a radiator.",
        ),
        (
            "/news/d",
            "A day with a missing picture",
            site.url("/img/gone.png"),
            "Flight surgeons reviewed the medical data of the crew after a year in orbit.",
        ),
    ];
    for (path, title, image, words) in &stories {
        site.put(path, pictured(&site, path, title, image, words));
    }
    let items: Vec<(&str, &str)> = stories.iter().map(|(p, t, _, _)| (*p, *t)).collect();
    site.put("/rss.xml", rss(&site, &items));
    let data = tempfile::tempdir().unwrap();
    let feed = site.url("/rss.xml");
    config(data.path(), &[(&feed, "feed")], "0s");
    let toml = std::fs::read_to_string(data.path().join("korolev.toml")).unwrap();
    let toml = toml.replacen("[fetch]\n", "[fetch]\nkeep_images = true\n", 1);
    std::fs::write(data.path().join("korolev.toml"), toml).unwrap();
    let out = korolev_within(data.path(), &["fetch"], Duration::from_secs(60));
    assert!(out.status.success(), "{}", stderr(&out));
    let asked = |path: &str| site.hits().iter().filter(|h| h.path == path).count();
    assert_eq!(asked("/img/lead.png"), 1);
    assert_eq!(asked("/private/secret.png"), 0, "robots.txt forbids it");

    let server = start_with(data.path(), &["--no-fetch", "--images", "cached"]);
    let find = |words: &str| {
        let found = get(
            &server.addr,
            &format!("/v4/articles?title_contains={words}"),
        )
        .json();
        get(
            &server.addr,
            &format!("/articles/{}", found["results"][0]["id"]),
        )
        .body
    };
    let a = find("pictured%20day");
    let src = a
        .split("<figure class=\"lead\"><img src=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or_else(|| panic!("no lead image: {a}"))
        .to_string();
    let path = src
        .strip_prefix(&format!("http://{}", server.addr))
        .unwrap_or_else(|| panic!("{src} is not served here"))
        .to_string();
    assert!(path.starts_with("/images/"), "{src}");
    let (code, headers, body) = request(&server.addr, "GET", &path, &[]);
    assert_eq!(code, 200);
    assert_eq!(header(&headers, "content-type"), Some("image/png"));
    assert_eq!(header(&headers, "x-content-type-options"), Some("nosniff"));
    assert_eq!(body, png);
    let home = get(&server.addr, "/").body;
    assert_eq!(home.matches("<img").count(), 1, "{home}");
    assert!(home.contains(&format!("src=\"{src}\"")), "{home}");
    for words in ["fake%20picture", "forbidden%20picture", "missing%20picture"] {
        let page = find(words);
        assert!(!page.contains("<img"), "{page}");
    }
    for bad in [
        "/images/00000000000000000000000000000000",
        "/images/..%2f..%2fetc",
        "/images/x",
    ] {
        assert_eq!(get(&server.addr, bad).status, 404, "{bad}");
    }
    drop(server);

    // A second fetch of unchanged pages asks for no image again.
    let out = korolev_within(data.path(), &["fetch"], Duration::from_secs(60));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(asked("/img/lead.png"), 1);
    assert_eq!(asked("/img/fake.png"), 1);

    // Served as linked, the portal sends readers to the site; copies are not served then.
    let server = start_with(data.path(), &["--no-fetch"]);
    let home = get(&server.addr, "/").body;
    assert!(
        home.contains(&format!("src=\"{}\"", site.url("/img/lead.png"))),
        "{home}"
    );
    assert_eq!(home.matches("<img").count(), 4, "{home}");
    assert_eq!(get(&server.addr, &path).status, 404);
}
