//! `korolev serve` over real HTTP on 127.0.0.1: the Spaceflight News API v4, Open Notify, the
//! knowledge API and the portal, against a store holding the seeds and the sample corpus.
#![allow(clippy::unwrap_used)]

mod common;
use common::*;
use serde_json::Value;
use std::collections::{BTreeSet, HashSet, VecDeque};
use std::path::Path;
use std::process::Command;

fn ok_json(addr: &str, path: &str) -> Value {
    let r = get(addr, path);
    assert_eq!(r.status, 200, "{path}: {}", r.body);
    assert!(r
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    r.json()
}

fn ids(page: &Value) -> Vec<i64> {
    page["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .collect()
}

#[test]
fn the_server_speaks_snapi_open_notify_the_knowledge_api_and_the_portal() {
    if skip_without_shared() {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let extra = tempfile::tempdir().unwrap();
    std::fs::write(extra.path().join("hostile.html"), HOSTILE).unwrap();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus");
    let ingest = Command::new(env!("CARGO_BIN_EXE_korolev"))
        .arg("--data-dir")
        .arg(data.path())
        .arg("ingest")
        .arg(&corpus)
        .arg(seeds_dir())
        .arg(extra.path())
        .output()
        .unwrap();
    assert!(ingest.status.success(), "{}", stderr(&ingest));
    let server = start(data.path());
    let addr = server.addr.as_str();

    snapi_articles(addr);
    snapi_filters(addr);
    snapi_addresses_are_safe(addr);
    snapi_errors(addr);
    open_notify(addr);
    knowledge_api(addr);
    portal(addr);
    found_and_shared(addr);
    every_internal_link_answers(addr);
}

/// What crawlers and link previews read: robots.txt, the paged sitemap, and each page's
/// description, canonical address and cards.
fn found_and_shared(addr: &str) {
    let base = format!("http://{addr}");
    let robots = get(addr, "/robots.txt");
    assert_eq!(robots.status, 200);
    assert!(robots
        .header("content-type")
        .unwrap()
        .starts_with("text/plain"));
    assert!(robots.body.contains("User-agent: *") && robots.body.contains("Disallow: /search"));
    assert!(
        robots
            .body
            .contains(&format!("Sitemap: {base}/sitemap.xml")),
        "{}",
        robots.body
    );

    let index = get(addr, "/sitemap.xml");
    assert_eq!(index.status, 200);
    assert!(index
        .header("content-type")
        .unwrap()
        .starts_with("application/xml"));
    assert!(index.body.contains("<sitemapindex"), "{}", index.body);
    let files: Vec<String> = index
        .body
        .split("<loc>")
        .skip(1)
        .map(|p| p.split("</loc>").next().unwrap().to_string())
        .collect();
    assert!(
        files.contains(&format!("{base}/sitemap/pages.xml")),
        "{files:?}"
    );
    assert!(
        files.contains(&format!("{base}/sitemap/articles-1.xml")),
        "{files:?}"
    );
    let pages = get(addr, "/sitemap/pages.xml");
    assert_eq!(pages.status, 200);
    for loc in ["/expeditions/63", "/people/jonny-kim", "/launches"] {
        assert!(
            pages.body.contains(&format!("<loc>{base}{loc}</loc>")),
            "sitemap lacks {loc}"
        );
    }
    // Every launch the knowledge API lists (crewed or not) is in it, and every address listed
    // answers.
    let launches = ok_json(addr, "/api/v1/launches?limit=100");
    for l in launches["results"].as_array().unwrap() {
        let loc = format!("<loc>{base}/launches/{}</loc>", l["id"].as_str().unwrap());
        assert!(pages.body.contains(&loc), "sitemap lacks {loc}");
    }
    for loc in pages.body.split("<loc>").skip(1) {
        let loc = loc.split("</loc>").next().unwrap();
        let path = loc.strip_prefix(&base).unwrap().replace("&amp;", "&");
        assert_eq!(get(addr, &path).status, 200, "{loc}");
    }
    let articles = get(addr, "/sitemap/articles-1.xml");
    assert_eq!(articles.status, 200);
    let newest = ok_json(addr, "/v4/articles?limit=1")["results"][0]["id"].clone();
    assert!(
        articles
            .body
            .contains(&format!("<loc>{base}/articles/{newest}</loc><lastmod>")),
        "{}",
        articles.body
    );
    assert_eq!(get(addr, "/sitemap/articles-99999.xml").status, 404);
    assert_eq!(get(addr, "/sitemap/articles-x.xml").status, 404);

    // A canonical address drops what does not choose the page, and never follows Host.
    let (_, _, launches_page) = request(
        addr,
        "GET",
        "/launches?utm_source=x&page=1",
        &[("Host", "evil.example")],
    );
    let launches_page = String::from_utf8(launches_page).unwrap();
    assert!(
        launches_page.contains(&format!(
            "<link rel=\"canonical\" href=\"{base}/launches\">"
        )),
        "{launches_page}"
    );
    assert!(!launches_page.contains("evil.example"), "{launches_page}");

    let home = get(addr, "/");
    for part in [
        "<meta name=\"description\" content=\"Spaceflight news",
        &format!("<link rel=\"canonical\" href=\"{base}/\">"),
        "<meta property=\"og:type\" content=\"website\">",
        "<meta property=\"og:title\" content=\"Spaceflight news and missions\">",
        "<meta name=\"twitter:card\"",
    ] {
        assert!(home.body.contains(part), "home lacks {part}");
    }
    let article = get(addr, &format!("/articles/{newest}"));
    assert!(article
        .body
        .contains("<meta property=\"og:type\" content=\"article\">"));
    assert!(article.body.contains(&format!(
        "<link rel=\"canonical\" href=\"{base}/articles/{newest}\">"
    )));
    let expedition = get(addr, "/expeditions/63");
    assert!(
        expedition.body.contains("<meta name=\"description\" content=\"Expedition 63 to the International Space Station, 2020-04-09"),
        "{}",
        expedition.body
    );
    assert!(expedition.body.contains("Christopher Cassidy"));
    let missing = get(addr, "/no/such/page");
    assert!(missing
        .body
        .contains("<meta name=\"robots\" content=\"noindex\">"));
    assert!(!missing.body.contains("rel=\"canonical\""));
    let search = get(addr, "/search?q=soyuz");
    assert!(search
        .body
        .contains("<meta name=\"robots\" content=\"noindex\">"));
}

fn snapi_articles(addr: &str) {
    let page = ok_json(addr, "/v4/articles");
    let keys: BTreeSet<&str> = page
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        BTreeSet::from(["count", "next", "previous", "results"])
    );
    let total = page["count"].as_u64().unwrap();
    assert_eq!(total, 49, "43 corpus pages, 5 seeds, 1 hostile page");
    assert!(page["previous"].is_null());
    assert!(page["next"].as_str().unwrap().contains("offset=10"));
    assert_eq!(
        page["results"].as_array().unwrap().len(),
        10,
        "limit 10 by default"
    );

    // Exact fields and types, as SNAPI gives them.
    let a = &page["results"][0];
    let fields: BTreeSet<&str> = a.as_object().unwrap().keys().map(String::as_str).collect();
    let want = [
        "id",
        "title",
        "authors",
        "url",
        "image_url",
        "news_site",
        "summary",
        "published_at",
        "updated_at",
        "featured",
        "launches",
        "events",
    ];
    assert_eq!(fields, want.into_iter().collect());
    assert!(a["id"].is_i64());
    for f in [
        "title",
        "url",
        "news_site",
        "summary",
        "published_at",
        "updated_at",
    ] {
        assert!(a[f].is_string(), "{f}: {}", a[f]);
    }
    assert!(a["image_url"].is_string());
    assert!(a["published_at"].as_str().unwrap().ends_with('Z'));
    assert!(a["featured"].is_boolean());
    assert!(a["authors"].is_array() && a["launches"].is_array() && a["events"].is_array());

    // Newest first; pages of 7 never overlap and together hold every article once.
    let mut seen = Vec::new();
    let mut offset = 0;
    while offset < total as usize {
        let p = ok_json(addr, &format!("/v4/articles/?limit=7&offset={offset}"));
        seen.extend(ids(&p));
        offset += 7;
    }
    let unique: HashSet<i64> = seen.iter().copied().collect();
    assert_eq!((seen.len(), unique.len()), (total as usize, total as usize));
    let all = ok_json(addr, "/v4/articles?limit=500");
    let dates: Vec<&str> = all["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["published_at"].as_str().unwrap())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "newest first");
    let asc = ok_json(addr, "/v4/articles?limit=500&ordering=published_at");
    let mut reversed = ids(&asc);
    reversed.reverse();
    assert_eq!(
        reversed,
        ids(&all),
        "ascending is the exact reverse, ties included"
    );

    // Slash or not, format=json and unknown parameters change nothing.
    for path in ["/v4/articles/", "/v4/articles?format=json&colour=blue"] {
        assert_eq!(ids(&ok_json(addr, path)), ids(&page), "{path}");
    }
    // One by id, the same as in the list.
    let one = ok_json(addr, &format!("/v4/articles/{}/", a["id"]));
    assert_eq!(&one, a);
    assert_eq!(ok_json(addr, &format!("/v4/articles/{}", a["id"])), one);

    let info = ok_json(addr, "/v4/info/");
    assert!(info["version"].is_string());
    let sites = info["news_sites"].as_array().unwrap();
    assert!(sites.iter().any(|s| s == "Hostile Herald"), "{sites:?}");
    // None of these pages lives under a /blog or /report path.
    assert_eq!(ok_json(addr, "/v4/blogs")["count"], 0);
    assert_eq!(ok_json(addr, "/v4/reports/")["count"], 0);
}

fn snapi_filters(addr: &str) {
    let titles = |p: &Value| -> Vec<String> {
        p["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["title"].as_str().unwrap().to_lowercase())
            .collect()
    };
    let p = ok_json(addr, "/v4/articles?title_contains=soyuz%20ms-16&limit=100");
    assert!(p["count"].as_u64().unwrap() >= 1);
    assert!(
        titles(&p).iter().all(|t| t.contains("soyuz ms-16")),
        "{:?}",
        titles(&p)
    );
    let one = ok_json(
        addr,
        "/v4/articles?title_contains_one=starliner,nauka&limit=100",
    );
    assert!(titles(&one)
        .iter()
        .all(|t| t.contains("starliner") || t.contains("nauka")));
    assert!(one["count"].as_u64().unwrap() >= 2);
    let all = ok_json(
        addr,
        "/v4/articles?title_contains_all=soyuz,launch&limit=100",
    );
    assert!(titles(&all)
        .iter()
        .all(|t| t.contains("soyuz") && t.contains("launch")));

    let site = ok_json(addr, "/v4/articles?news_site=Hostile%20Herald");
    assert_eq!(site["count"], 1);
    let total = ok_json(addr, "/v4/articles")["count"].as_u64().unwrap();
    let without = ok_json(addr, "/v4/articles?news_site_exclude=Hostile%20Herald");
    assert_eq!(without["count"].as_u64().unwrap(), total - 1);

    let in_2020 = ok_json(
        addr,
        "/v4/articles?published_at_gte=2020-01-01&published_at_lt=2021-01-01T00:00:00Z&limit=100",
    );
    assert!(in_2020["count"].as_u64().unwrap() >= 5);
    for a in in_2020["results"].as_array().unwrap() {
        assert!(
            a["published_at"].as_str().unwrap().starts_with("2020-"),
            "{a}"
        );
    }

    // Articles that tell of a launch carry korolev's launch ids; the filter finds them.
    let with = ok_json(addr, "/v4/articles?has_launch=true&limit=100");
    let n_with = with["count"].as_u64().unwrap();
    assert!(n_with >= 10);
    for a in with["results"].as_array().unwrap() {
        assert!(!a["launches"].as_array().unwrap().is_empty(), "{a}");
        assert_eq!(a["launches"][0]["provider"], "korolev");
    }
    let none = ok_json(addr, "/v4/articles?has_launch=false&limit=100");
    assert_eq!(none["count"].as_u64().unwrap() + n_with, total);
    // The filter and the field agree both ways.
    for a in none["results"].as_array().unwrap() {
        assert!(a["launches"].as_array().unwrap().is_empty(), "{a}");
    }
    // SNAPI's launch ids are UUIDs: ours are version 5 of korolev's id, and the filter takes
    // either.
    let uuid = korolev_web::launch_uuid("soyuz-ms-12");
    assert_eq!(uuid.len(), 36);
    assert_eq!(&uuid[14..15], "5", "{uuid}");
    let ms12 = ok_json(addr, "/v4/articles?launch=soyuz-ms-12&limit=100");
    assert!(ms12["count"].as_u64().unwrap() >= 2);
    for a in ms12["results"].as_array().unwrap() {
        assert!(a["launches"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["launch_id"] == uuid.as_str()));
    }
    let by_uuid = ok_json(
        addr,
        &format!("/v4/articles?launch={}&limit=100", uuid.to_uppercase()),
    );
    assert_eq!(by_uuid["count"], ms12["count"]);
    let unknown = "/v4/articles?launch=00000000-0000-5000-8000-000000000000";
    assert_eq!(ok_json(addr, unknown)["count"], 0);
    assert_eq!(ok_json(addr, "/v4/articles?is_featured=true")["count"], 0);
    assert_eq!(
        ok_json(addr, "/v4/articles?has_event=false")["count"],
        total
    );
    // The search looks in titles and summaries, whatever the case.
    let search = ok_json(addr, "/v4/articles?search=KONONENKO&limit=100");
    assert!(search["count"].as_u64().unwrap() >= 2);
    // Several terms: each must be found, in either field (as SNAPI's search does); the
    // short one ("ms") is matched without the trigram index, the long one with it.
    let soyuz = ok_json(addr, "/v4/articles?search=soyuz&limit=500");
    let both: Vec<i64> = soyuz["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| {
            let text = format!("{} {}", a["title"], a["summary"]).to_lowercase();
            text.contains("crew") && text.contains("ms")
        })
        .map(|a| a["id"].as_i64().unwrap())
        .collect();
    let found = ok_json(addr, "/v4/articles?search=Soyuz%20crew,MS&limit=500");
    assert!(!both.is_empty() && both.len() < soyuz["results"].as_array().unwrap().len());
    assert_eq!(ids(&found), both);
}

/// Every address an answer gives is an absolute http(s) URL: none is script, a file of the
/// server, or a local path; links to other pages are built on the server's own address,
/// whatever `Host` the request names.
fn snapi_addresses_are_safe(addr: &str) {
    let all = ok_json(addr, "/v4/articles?limit=100");
    let results = all["results"].as_array().unwrap();
    assert_eq!(results.len(), 49);
    let web = |v: &Value| {
        v.as_str()
            .is_some_and(|s| s.starts_with("http://") || s.starts_with("https://"))
    };
    for a in results {
        assert!(web(&a["url"]), "url {}", a["url"]);
        assert!(
            a["image_url"] == "" || web(&a["image_url"]),
            "{}",
            a["image_url"]
        );
    }
    let hostile = ok_json(addr, "/v4/articles?news_site=Hostile%20Herald");
    let h = &hostile["results"][0];
    let own = format!("http://{addr}/articles/{}", h["id"]);
    assert_eq!(
        h["url"],
        own.as_str(),
        "a script URL gives way to the page here"
    );
    assert_eq!(h["image_url"], "", "a file path gives way to no image");
    // The page on the portal opens.
    assert_eq!(get(addr, &format!("/articles/{}", h["id"])).status, 200);

    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(20)))
        .unwrap();
    write!(
        s,
        "GET /v4/articles?limit=2 HTTP/1.0\r\nHost: evil.example\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    assert!(!answer.contains("evil.example"), "{answer}");
    assert!(
        answer.contains(&format!("\"next\":\"http://{addr}/v4/articles?")),
        "{answer}"
    );
}

fn snapi_errors(addr: &str) {
    // As Django REST Framework answers a bad filter: the parameter, with what is wrong.
    for (path, parameter) in [
        (
            "/v4/articles?published_at_gte=yesterday",
            "published_at_gte",
        ),
        ("/v4/articles?updated_at_lt=2024-13-45", "updated_at_lt"),
        ("/v4/articles?has_launch=maybe", "has_launch"),
        ("/v4/articles?ordering=title", "ordering"),
    ] {
        let r = get(addr, path);
        assert_eq!(r.status, 400, "{path}");
        let e = r.json();
        let why = e[parameter]
            .as_array()
            .unwrap_or_else(|| panic!("{path}: {e}"));
        assert_eq!(e.as_object().unwrap().len(), 1, "{path}: {e}");
        assert!(why[0].is_string(), "{path}: {e}");
    }
    assert_eq!(
        get(addr, "/v4/articles?published_at_gte=yesterday").json()["published_at_gte"][0],
        "Enter a valid date/time."
    );
    // A limit or offset that is not a fitting number is the default, as SNAPI pages.
    let page = |q: &str| {
        let r = get(addr, &format!("/v4/articles?{q}"));
        assert_eq!(r.status, 200, "{q}");
        r.json()["results"].as_array().unwrap().len()
    };
    let default = page("");
    assert!(default > 0);
    for q in [
        "limit=abc",
        "limit=-1",
        "limit=0",
        "limit=",
        "offset=-5",
        "offset=ten",
    ] {
        assert_eq!(page(q), default, "{q}");
    }
    assert_eq!(page("limit=2"), default.min(2));
    // An item that is not there, whatever its id.
    for path in [
        "/v4/articles/999999",
        "/v4/articles/abc",
        "/v4/blogs/999999",
    ] {
        let r = get(addr, path);
        assert_eq!(r.status, 404, "{path}");
        let model = if path.contains("blogs") {
            "Blog"
        } else {
            "Article"
        };
        assert_eq!(
            r.json(),
            serde_json::json!({"detail": format!("No {model} matches the given query.")}),
            "{path}"
        );
    }
    // korolev's own API stays strict.
    let r = get(addr, "/api/v1/launches?limit=-1");
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"], "bad_parameter");
    assert!(!get(addr, "/v4/info").body.contains("\"unknown\""));
}

fn open_notify(addr: &str) {
    let a = ok_json(addr, "/astros.json?at=2019-05-01");
    assert_eq!(a["message"], "success");
    assert_eq!(a["number"], 6);
    let names: BTreeSet<&str> = a["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            assert_eq!(p["craft"], "ISS");
            p["name"].as_str().unwrap()
        })
        .collect();
    assert!(
        names.contains("Anne McClain") && names.contains("Oleg Kononenko"),
        "{names:?}"
    );
    let today = ok_json(addr, "/astros.json");
    assert_eq!(
        today["number"].as_u64().unwrap() as usize,
        today["people"].as_array().unwrap().len()
    );
    let r = get(addr, "/astros.json?at=2019-13-01");
    assert_eq!(r.status, 400);
    assert!(r.json()["message"].as_str().unwrap().starts_with("at"));
}

fn knowledge_api(addr: &str) {
    let x = ok_json(addr, "/api/v1/expeditions/63");
    assert_eq!(x["id"], 63);
    assert_eq!(
        (x["start"].as_str(), x["end"].as_str()),
        (Some("2020-04-09"), Some("2020-10-22"))
    );
    let commander = &x["crew"][0];
    assert_eq!(commander["role"]["role"], "Commander");
    assert_eq!(commander["astronaut"]["name"], "Christopher Cassidy");
    assert_eq!(commander["astronaut"]["id"], "christopher-cassidy");
    assert_eq!(commander["astronaut"]["agency"]["id"], "nasa");
    let list = ok_json(addr, "/api/v1/expeditions/?limit=3&offset=2");
    assert_eq!(list["results"].as_array().unwrap().len(), 3);
    assert!(list["previous"].is_string() && list["next"].is_string());
    // An ongoing expedition has no end.
    let all = ok_json(addr, "/api/v1/expeditions?limit=500");
    let last = all["results"].as_array().unwrap().last().unwrap().clone();
    assert!(last["end"].is_null());
    assert_eq!(get(addr, "/api/v1/expeditions/999").status, 404);
    assert_eq!(get(addr, "/api/v1/expeditions/x").status, 400);

    let launch = ok_json(addr, "/api/v1/launches/soyuz-ms-12");
    assert_eq!(launch["date"], "2019-03-14");
    assert_eq!(launch["status"], "done");
    assert_eq!(launch["launch_vehicle"], "Soyuz-FG");
    let facts = ok_json(addr, "/api/v1/facts?limit=5");
    assert!(facts["count"].as_u64().unwrap() > 100);
    assert!(facts["results"][0]["evidence"][0]["text"].is_string());
    let astronauts = ok_json(addr, "/api/v1/astronauts?limit=500");
    assert!(astronauts["count"].as_u64().unwrap() >= 50);
    assert_eq!(
        ok_json(addr, "/api/v1/astronauts/anne-mcclain")["name"],
        "Anne McClain"
    );
    assert!(ok_json(addr, "/api/v1/entities")["count"].as_u64().unwrap() > 100);
}

fn portal(addr: &str) {
    // The icon browsers ask for unprompted, and the one the pages name.
    for path in ["/favicon.ico", "/static/favicon.svg"] {
        let icon = get(addr, path);
        assert_eq!(icon.status, 200, "{path}");
        assert_eq!(icon.header("content-type"), Some("image/svg+xml"), "{path}");
    }
    let home = get(addr, "/");
    assert_eq!(home.status, 200);
    assert!(home.body.contains("/static/favicon.svg"));
    assert!(home
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    let csp = home.header("content-security-policy").unwrap();
    assert!(
        csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert_eq!(home.header("x-content-type-options"), Some("nosniff"));
    for part in ["<main", "Latest news", "Launches", "<nav", "lang=\"en\""] {
        assert!(home.body.contains(part), "home lacks {part}");
    }
    assert!(!home.body.contains("<script"), "the portal runs no script");
    // The mission is the last expedition the facts know, with its crew linked: current while
    // within a stay's length of its start, else said to be the last known; as of the news.
    assert!(
        home.body.contains("Current mission") || home.body.contains("Last known mission"),
        "{}",
        home.body
    );
    assert!(
        home.body.contains("As the news told it on"),
        "{}",
        home.body
    );
    assert!(
        home.body.contains("href=\"/expeditions/73\""),
        "{}",
        home.body
    );
    assert!(home.body.contains("href=\"/people/jonny-kim\""));

    let x = get(addr, "/expeditions/63");
    assert_eq!(x.status, 200);
    for part in [
        "Christopher Cassidy",
        "Commander",
        "2020-04-09",
        "Soyuz MS-16",
        "Facts and their sources",
    ] {
        assert!(x.body.contains(part), "expedition page lacks {part}");
    }
    let month = get(addr, "/news/2020/10");
    assert_eq!(month.status, 200);
    assert!(
        month.body.contains("href=\"/news/2020/10/14\""),
        "calendar links the 14th"
    );
    assert_eq!(get(addr, "/news/2020/13").status, 400);
    assert_eq!(get(addr, "/news/2020/02/30").status, 400);

    // The hostile page's markup is text, never markup.
    let id = ok_json(addr, "/v4/articles?news_site=Hostile%20Herald")["results"][0]["id"].clone();
    let page = get(addr, &format!("/articles/{id}"));
    assert_eq!(page.status, 200);
    let escaped = ["&lt;script&gt;alert(1)", "&#60;script&#62;alert(1)"];
    assert!(
        escaped.iter().any(|e| page.body.contains(e)),
        "{}",
        page.body
    );
    assert!(!page.body.contains("<script") && !page.body.contains("<img src=x"));

    let missing = get(addr, "/no/such/page");
    assert_eq!(missing.status, 404);
    assert!(missing
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    assert!(missing.body.contains("Page not found"));
    assert_eq!(get(addr, "/people/nobody-at-all").status, 404);
    assert_eq!(get(addr, "/launches?year=abc").status, 400);
    let ms = get(addr, "/launches?year=2019&vehicle=soyuz-fg");
    assert!(ms.body.contains("Soyuz MS-12") && !ms.body.contains("Soyuz MS-16"));
    // The list is paged in the store: a count, and past the last page nothing.
    let all = get(addr, "/launches");
    let count = all.body.split("Launches 1–").nth(1).unwrap_or("");
    let (shown, total) = count.split_once(" of ").unwrap();
    let total: usize = total.split(',').next().unwrap().parse().unwrap();
    assert!(
        total >= 2 && shown.parse::<usize>().unwrap() == total.min(100),
        "{count}"
    );
    assert_eq!(get(addr, "/launches?page=0").status, 400);
    let past = get(addr, "/launches?page=9999");
    assert_eq!(past.status, 200);
    assert!(past.body.contains("No launches match"));
    let crafted = get(addr, "/launches?spacecraft=ms%2012");
    assert!(crafted.body.contains("Soyuz MS-12") && !crafted.body.contains("Soyuz MS-16"));
}

/// Every link inside the portal, followed from the home page, answers 200.
fn every_internal_link_answers(addr: &str) {
    let mut queue = VecDeque::from(["/".to_string()]);
    let mut seen: HashSet<String> = queue.iter().cloned().collect();
    while let Some(path) = queue.pop_front() {
        let r = get(addr, &path);
        assert_eq!(r.status, 200, "{path}");
        if !r
            .header("content-type")
            .unwrap_or("")
            .starts_with("text/html")
        {
            continue;
        }
        for part in r.body.split("href=\"").skip(1) {
            let href = part.split('"').next().unwrap().replace("&amp;", "&");
            if !href.starts_with('/') || href.starts_with("//") || !seen.insert(href.clone()) {
                continue;
            }
            queue.push_back(href);
        }
        assert!(seen.len() < 5000, "the portal links without end");
    }
    assert!(seen.len() > 100, "only {} pages reached", seen.len());
}

#[test]
fn an_article_in_russian_is_marked_as_russian() {
    let pages = tempfile::tempdir().unwrap();
    let page = "<!doctype html><html lang=\"ru\"><head><meta charset=\"utf-8\"><title>Экипаж вернулся на Землю</title></head>\
        <body><article><h1>Экипаж вернулся на Землю</h1><p>Спускаемый аппарат корабля приземлился в степи, \
        и поисковые группы быстро добрались до экипажа, который чувствует себя хорошо после долгого полёта.</p>\
        <p>Космонавты провели на станции более полугода, выполнили множество научных экспериментов \
        и два выхода в открытый космос, а теперь им предстоит пройти реабилитацию.</p></article></body></html>";
    std::fs::write(pages.path().join("ru.html"), page).unwrap();
    let data = tempfile::tempdir().unwrap();
    let out = korolev(data.path(), &["ingest", pages.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let server = start_with(data.path(), &["--no-fetch"]);
    let id = get(&server.addr, "/v4/articles/").json()["results"][0]["id"].clone();
    let article = get(&server.addr, &format!("/articles/{id}"));
    assert_eq!(article.status, 200);
    assert!(
        article
            .body
            .contains("<article aria-labelledby=\"article-title\" lang=\"ru\">"),
        "{}",
        article.body
    );
}

#[test]
fn undated_pages_are_marked_and_listed_below_the_dated_news() {
    let pages = tempfile::tempdir().unwrap();
    let dated = week_page(
        "A dated week aboard",
        "<meta property=\"article:published_time\" content=\"2021-03-04T10:00:00Z\">",
    );
    std::fs::write(pages.path().join("dated.html"), dated).unwrap();
    std::fs::write(
        pages.path().join("undated.html"),
        week_page("An undated week aboard", ""),
    )
    .unwrap();
    let data = tempfile::tempdir().unwrap();
    let out = korolev(data.path(), &["ingest", pages.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let server = start_with(data.path(), &["--no-fetch"]);
    let home = get(&server.addr, "/").body;
    let latest = home.find("Latest news").unwrap();
    let undated_heading = home.find(">Undated</h2>").expect("an Undated section");
    let dated_at = home.find("A dated week aboard").unwrap();
    let undated_at = home.find("An undated week aboard").unwrap();
    // The undated page, stored now, is not above the page of 2021.
    assert!(
        latest < dated_at && dated_at < undated_heading && undated_heading < undated_at,
        "{home}"
    );
    // The calendar is of the newest dated news's month, not of when the undated page was seen.
    assert!(
        home.contains("<h2 id=\"cal-title\"><a href=\"/news/2021/03\">"),
        "{home}"
    );
    let id = get(&server.addr, "/v4/articles?search=undated").json()["results"][0]["id"].clone();
    let article = get(&server.addr, &format!("/articles/{id}")).body;
    assert!(
        article.contains("date unknown") && !article.contains("<time"),
        "{article}"
    );
}

#[test]
fn lead_images_are_shown_where_they_can_be_and_never_where_they_cannot() {
    let pages = tempfile::tempdir().unwrap();
    let with_image = |day: u32, image: &str| {
        format!(
            "<meta property=\"article:published_time\" content=\"2021-03-0{day}T10:00:00Z\">\
             <meta property=\"og:image\" content=\"{image}\">"
        )
    };
    let lead = "https://images.nasa.gov/iss/lead.jpg";
    for (name, title, head) in [
        ("a.html", "A week with a picture", with_image(5, lead)),
        (
            "b.html",
            "A week with a made-up picture",
            with_image(4, "https://cdn.example.com/x.jpg"),
        ),
        (
            "c.html",
            "A week with a script for a picture",
            with_image(3, "javascript:alert(1)"),
        ),
    ] {
        std::fs::write(pages.path().join(name), week_page(title, &head)).unwrap();
    }
    let data = tempfile::tempdir().unwrap();
    let out = korolev(data.path(), &["ingest", pages.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let article = |addr: &str, words: &str| {
        let found = get(addr, &format!("/v4/articles?title_contains={words}")).json();
        get(addr, &format!("/articles/{}", found["results"][0]["id"])).body
    };

    let server = start_with(data.path(), &["--no-fetch"]);
    let home = get(&server.addr, "/").body;
    assert_eq!(home.matches("<img").count(), 1, "{home}");
    assert!(
        home.contains(&format!(
            "<img class=\"thumb\" src=\"{lead}\" alt=\"\" width=\"160\" height=\"90\" loading=\"lazy\""
        )),
        "{home}"
    );
    let a = article(&server.addr, "with%20a%20picture");
    assert!(
        a.contains(&format!("<figure class=\"lead\"><img src=\"{lead}\" alt=\"The lead image of “A week with a picture”")),
        "{a}"
    );
    assert!(
        a.contains(&format!("<meta property=\"og:image\" content=\"{lead}\">")),
        "{a}"
    );
    for words in ["made-up%20picture", "script%20for"] {
        let page = article(&server.addr, words);
        assert!(
            !page.contains("<img") && !page.contains("og:image"),
            "{page}"
        );
    }

    // Plain-http images are let in by the policy only where the portal itself is plain http.
    let csp = get(&server.addr, "/")
        .header("content-security-policy")
        .unwrap()
        .to_string();
    assert!(csp.contains("img-src 'self' https: http: data:"), "{csp}");
    drop(server);
    let server = start_with(
        data.path(),
        &["--no-fetch", "--public-url", "https://news.korolev.space"],
    );
    let csp = get(&server.addr, "/")
        .header("content-security-policy")
        .unwrap()
        .to_string();
    assert!(csp.contains("img-src 'self' https: data:"), "{csp}");
    drop(server);

    let server = start_with(data.path(), &["--no-fetch", "--images", "off"]);
    for page in [
        get(&server.addr, "/").body,
        article(&server.addr, "with%20a%20picture"),
    ] {
        assert!(
            !page.contains("<img") && !page.contains("og:image"),
            "{page}"
        );
    }
    drop(server);

    let wrong = korolev_within(
        data.path(),
        &["serve", "--no-fetch", "--images", "copied"],
        std::time::Duration::from_secs(20),
    );
    assert!(!wrong.status.success());
    assert!(
        stderr(&wrong).contains("give linked, cached or off"),
        "{}",
        stderr(&wrong)
    );
}
