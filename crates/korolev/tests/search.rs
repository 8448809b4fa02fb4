//! Search against the real server and binary: the API and the portal rank, mark and escape,
//! find a name in either script, fold the same story from two sites, narrow by facets, and
//! find an article within a second of its ingest; `korolev search` and `korolev reindex`.
#![allow(clippy::unwrap_used)]

mod common;
use common::*;
use std::path::Path;
use std::time::{Duration, Instant};

fn search(addr: &str, query: &str) -> serde_json::Value {
    let q: String = url_encode(query);
    let r = get(addr, &format!("/api/v1/search?q={q}"));
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

/// Waits until the server has indexed its store (it fills a new index in the background).
fn indexed(addr: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while search(addr, "station")["count"] == 0 {
        assert!(Instant::now() < deadline, "the index was not filled");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn titles(page: &serde_json::Value) -> Vec<String> {
    page["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["title"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_api_ranks_marks_and_finds_a_name_in_either_script() {
    let data = corpus_store("");
    let server = start_with(data.path(), &["--no-fetch"]);
    indexed(&server.addr);
    let page = search(&server.addr, "kononenko");
    let found = titles(&page);
    // The article that names him in its title and text comes before those that tell of him
    // once or through the knowledge base.
    assert!(found[0].contains("Kononenko"), "{found:?}");
    let first = &page["results"][0];
    assert!(
        first["snippet_html"]
            .as_str()
            .unwrap()
            .contains("<mark>Kononenko</mark>"),
        "{first}"
    );
    assert!(
        first["page"].as_str().unwrap().contains("/articles/"),
        "{first}"
    );
    // The Russian article that names him in Cyrillic only is found by the Latin spelling, and
    // the Latin ones by the Cyrillic.
    assert!(
        found.iter().any(|t| t.starts_with("Союз МС-25")),
        "{found:?}"
    );
    let cyrillic = titles(&search(&server.addr, "Кононенко"));
    assert!(
        cyrillic
            .iter()
            .any(|t| t.contains("Kononenko sets a record")),
        "{cyrillic:?}"
    );
    // Facets count the matches, with entity names.
    let facets = &page["facets"];
    let langs: Vec<&str> = facets["langs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["value"].as_str().unwrap())
        .collect();
    assert!(langs.contains(&"ru") && langs.contains(&"en"), "{facets}");
    let kononenko = facets["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["value"] == "person/oleg-kononenko")
        .unwrap_or_else(|| panic!("{facets}"));
    assert_eq!(kononenko["name"], "Oleg Kononenko");
    // Narrowed by a facet, only that site's articles.
    let site = facets["sites"][0]["value"].as_str().unwrap().to_string();
    let narrowed = get(
        &server.addr,
        &format!("/api/v1/search?q=kononenko&site={}", url_encode(&site)),
    )
    .json();
    let narrowed = narrowed["results"].as_array().unwrap();
    assert!(!narrowed.is_empty());
    assert!(narrowed.iter().all(|r| r["news_site"] == site.as_str()));
    // Narrowed to a launch, by SNAPI's UUID: only articles that tell of it.
    let article = get(&server.addr, "/v4/articles/?limit=100").json();
    let (told, uuid) = article["results"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|a| {
            let l = a["launches"].as_array()?.first()?;
            Some((a["id"].as_i64()?, l["launch_id"].as_str()?.to_string()))
        })
        .unwrap();
    let by_launch = get(
        &server.addr,
        &format!("/api/v1/search?launch={uuid}&limit=100"),
    )
    .json();
    let ids: Vec<i64> = by_launch["results"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| {
            std::iter::once(r["id"].as_i64().unwrap()).chain(
                r["also"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x["id"].as_i64().unwrap()),
            )
        })
        .collect();
    assert!(ids.contains(&told), "{by_launch}");
    for id in &ids {
        let a = get(&server.addr, &format!("/v4/articles/{id}/")).json();
        assert!(
            a["launches"]
                .as_array()
                .unwrap()
                .iter()
                .any(|l| l["launch_id"] == uuid.as_str()),
            "{a}"
        );
    }
    // A misspelt name: nothing, and the name put right.
    let misspelt = search(&server.addr, "kononeko");
    assert_eq!(misspelt["count"], 0);
    assert_eq!(misspelt["did_you_mean"], "kononenko", "{misspelt}");
    let portal = get(&server.addr, "/search?q=kononeko");
    assert!(
        portal
            .body
            .contains("Did you mean <a href=\"/search?q=kononenko\">kononenko</a>"),
        "{}",
        portal.body
    );
    // A query that cannot be read is a 400 naming it.
    let bad = get(&server.addr, "/api/v1/search?q=soyuz%20after:soon");
    assert_eq!(bad.status, 400, "{}", bad.body);
    assert!(
        bad.json()["message"].as_str().unwrap().starts_with("q:"),
        "{}",
        bad.body
    );
    let bad = get(&server.addr, "/api/v1/search?q=soyuz&month=2024");
    assert_eq!(bad.status, 400, "{}", bad.body);
}

#[test]
fn the_portal_searches_from_every_page_and_escapes_what_it_shows() {
    let data = corpus_store("2020");
    // A page whose title and text carry markup, as text: shown marked, never as markup.
    let pages = tempfile::tempdir().unwrap();
    let hostile = write(
        pages.path(),
        "x.html",
        &page_html(
            "Wire",
            "Quixotry &lt;script&gt;alert(1)&lt;/script&gt; update",
            "The quixotry payload &lt;img src=x onerror=alert(2)&gt; reached the station \
             along with other cargo for the crew to unpack over the coming days.",
        ),
    );
    let out = korolev(data.path(), &["ingest", &hostile]);
    assert!(out.status.success(), "{}", stderr(&out));
    let server = start_with(data.path(), &["--no-fetch"]);
    indexed(&server.addr);
    let marked = get(&server.addr, "/search?q=quixotry");
    assert!(
        marked.body.contains("<mark>Quixotry</mark>"),
        "{}",
        marked.body
    );
    assert!(marked.body.contains("&lt;script&gt;"), "{}", marked.body);
    assert!(!marked.body.contains("<script>alert"), "{}", marked.body);
    assert!(!marked.body.contains("<img src=x"), "{}", marked.body);
    let home = get(&server.addr, "/");
    assert!(home.body.contains(r#"action="/search""#), "no search box");
    let empty = get(&server.addr, "/search");
    assert_eq!(empty.status, 200);
    assert!(
        empty.body.contains("Type what you are looking for"),
        "{}",
        empty.body
    );
    let found = get(&server.addr, "/search?q=soyuz");
    assert_eq!(found.status, 200);
    assert!(found.body.contains("<mark>"), "{}", found.body);
    assert!(found.body.contains("matching articles"), "{}", found.body);
    let hostile = get(
        &server.addr,
        "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
    );
    assert_eq!(hostile.status, 200);
    assert!(!hostile.body.contains("<script>alert"), "{}", hostile.body);
    assert!(!hostile.body.contains("<img src=x"), "{}", hostile.body);
    assert!(hostile.body.contains("Nothing matched"), "{}", hostile.body);
}

fn page_html(site: &str, title: &str, body: &str) -> String {
    format!(
        "<html><head><title>{title}</title><meta property=\"og:site_name\" content=\"{site}\">\
         <meta property=\"article:published_time\" content=\"2026-11-20T10:00:00Z\"></head>\
         <body><article><h1>{title}</h1><p>{body}</p></article></body></html>"
    )
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

#[test]
fn an_article_is_found_within_a_second_of_its_ingest_and_the_same_story_is_one_result() {
    let data = corpus_store("2020");
    let server = start_with(data.path(), &["--no-fetch"]);
    indexed(&server.addr);
    let pages = tempfile::tempdir().unwrap();
    let release = "The zephyrine experiment module was attached to the station's truss by the \
        robotic arm on Tuesday, and controllers confirmed power and data links to the new \
        hardware after a checkout lasting most of the afternoon.";
    let one = write(
        pages.path(),
        "a.html",
        &page_html("Agency Wire", "Zephyrine module installed", release),
    );
    let out = korolev(data.path(), &["ingest", &one]);
    assert!(out.status.success(), "{}", stderr(&out));
    let stored = Instant::now();
    let mut seen = None;
    while stored.elapsed() < Duration::from_secs(5) {
        if search(&server.addr, "zephyrine")["count"] == 1 {
            seen = Some(stored.elapsed());
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let seen = seen.expect("not found within five seconds of its ingest");
    assert!(seen < Duration::from_secs(1), "found after {seen:?}");

    // The same release on another site: one result, also on the other.
    let two = write(
        pages.path(),
        "b.html",
        &page_html("Orbit Gazette", "New module on the truss", release),
    );
    let out = korolev(data.path(), &["ingest", &two]);
    assert!(out.status.success(), "{}", stderr(&out));
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut page = search(&server.addr, "zephyrine");
    while page["count"] != 2 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
        page = search(&server.addr, "zephyrine");
    }
    assert_eq!(page["count"], 2, "{page}");
    let results = page["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "{page}");
    assert_eq!(results[0]["also"].as_array().unwrap().len(), 1, "{page}");
    // The news lists fold it too: the home page lists one, also on the other site.
    let home = get(&server.addr, "/").body;
    assert_eq!(
        home.matches("<p class=\"also\">Also on").count(),
        1,
        "{home}"
    );
    let listed = home.matches("Zephyrine module installed").count()
        + home.matches("New module on the truss").count();
    assert_eq!(listed, 1, "{home}");

    // While the server keeps the index, a reindex from the shell is refused, saying why.
    let refused = korolev(data.path(), &["reindex"]);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert!(
        stderr(&refused).contains("running korolev serve"),
        "{}",
        stderr(&refused)
    );
    drop(server);

    // From the shell, once it is stopped.
    let out = korolev(data.path(), &["reindex"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("indexed"), "{}", stderr(&out));
    let out = korolev(data.path(), &["search", "zephyrine", "module"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("2 matching articles"), "{text}");
    assert!(
        text.contains("[Zephyrine]") || text.contains("[zephyrine]"),
        "{text}"
    );
    assert!(text.contains("also on"), "{text}");
    let json = korolev(data.path(), &["search", "--json", "zephyrine"]);
    let lines = json_lines(&stdout(&json));
    assert_eq!(lines.len(), 1, "{}", stdout(&json));
    assert_eq!(lines[0]["also"].as_array().unwrap().len(), 1);
}

#[test]
fn a_lost_index_is_rebuilt_from_the_store() {
    let data = corpus_store("2020");
    let out = korolev(data.path(), &["search", "soyuz"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let before = stdout(&out);
    std::fs::remove_dir_all(data.path().join("search")).unwrap();
    let out = korolev(data.path(), &["search", "soyuz"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), before);
    let checked = korolev(data.path(), &["check"]);
    assert!(
        stdout(&checked).contains("ok      search: 7 of 7 articles indexed"),
        "{}",
        stdout(&checked)
    );
    // Damaged: its metadata is garbage.
    std::fs::write(data.path().join("search/meta.json"), b"\x00garbage").unwrap();
    let server = start_with(data.path(), &["--no-fetch"]);
    let deadline = Instant::now() + Duration::from_secs(5);
    while search(&server.addr, "soyuz")["count"] == 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(search(&server.addr, "soyuz")["count"].as_u64().unwrap() > 0);
}
