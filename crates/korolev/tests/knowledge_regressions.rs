//! Regression tests for the knowledge that once read wrong, each on pages written here and
//! served by the real `korolev serve` on 127.0.0.1: launch rows without a craft, a rocket shown
//! as a spacecraft and one flight shown twice; an expedition page giving a crew member's latest
//! flight instead of the one that took them to that expedition; people in space on 2020-01-01
//! who had landed, and people still "aboard" in 2099; an article listing people that only its
//! sidebar names.
#![allow(clippy::unwrap_used)]

mod common;
use common::*;
use serde_json::Value;
use std::collections::BTreeSet;

/// A news page of a made-up site: one article, dated, optionally with a sidebar.
fn page(title: &str, published: &str, body: &[&str], sidebar: &str) -> String {
    let paragraphs: String = body.iter().map(|p| format!("<p>{p}</p>")).collect();
    format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta property="og:site_name" content="Test Orbit News">
<meta property="article:published_time" content="{published}T12:00:00Z"></head>
<body>{sidebar}<main><article><h1>{title}</h1>{paragraphs}</article></main></body></html>"#
    )
}

const PAGES: &[(&str, &str, &str, &[&str])] = &[
    (
        "ms11.html",
        "Soyuz MS-11 takes a new crew up",
        "2018-12-03",
        &["Soyuz MS-11 launched on December 3, 2018 from Baikonur with Oleg Kononenko, Anne McClain and David Saint-Jacques aboard."],
    ),
    (
        "x58.html",
        "Expedition 58 begins",
        "2018-12-20",
        &["Expedition 58 begins with Oleg Kononenko in command, with flight engineers Anne McClain and David Saint-Jacques."],
    ),
    (
        "ms12.html",
        "Soyuz MS-12 reaches orbit",
        "2019-03-14",
        &["Soyuz MS-12 launched from Baikonur on March 14, 2019 with Aleksey Ovchinin, Nick Hague and Christina Koch aboard."],
    ),
    (
        "ms13.html",
        "Soyuz MS-13 lifts off",
        "2019-07-20",
        &["Soyuz MS-13 lifted off from Baikonur on July 20, 2019 with Aleksandr Skvortsov, Luca Parmitano and Andrew Morgan aboard."],
    ),
    (
        "x60.html",
        "Six aboard for Expedition 60",
        "2019-07-21",
        &["Aleksey Ovchinin commands Expedition 60 with Nick Hague, Christina Koch, Aleksandr Skvortsov, Luca Parmitano and Andrew Morgan."],
    ),
    (
        "x61.html",
        "Expedition 61 starts with Luca Parmitano in command",
        "2019-10-03",
        &["His crew includes Aleksandr Skvortsov, Andrew Morgan, Christina Koch, Oleg Skripochka and Jessica Meir."],
    ),
    (
        "ms24.html",
        "Soyuz MS-24 brings Kononenko back",
        "2023-09-15",
        &["Soyuz MS-24 launched on September 15, 2023 from Baikonur with Oleg Kononenko, Nikolai Chub and Loral O'Hara aboard."],
    ),
    (
        "crew8-launch.html",
        "Crew-8 launches",
        "2024-03-04",
        &["NASA's SpaceX Crew-8 mission launched March 3 from Kennedy Space Center on a Falcon 9 rocket.",
          "The Crew Dragon Endeavour docked to the station on March 5."],
    ),
    (
        "crew8-docks.html",
        "Crew-8 arrives",
        "2024-03-06",
        &["Crew-8 docked to the Harmony module on March 5 after a launch on March 3."],
    ),
    (
        "falcon.html",
        "A busy week at the Cape",
        "2024-02-02",
        &["A Falcon 9 rocket lifted off from Cape Canaveral on Feb. 1 carrying a batch of satellites."],
    ),
];

/// A page whose sidebar names a crew that its article does not.
fn sidebar_page() -> String {
    page(
        "Progress MS-15 is at the station",
        "2020-07-23",
        &["Progress MS-15 docked to the Pirs module on July 23, 2020 after a fast trip."],
        r#"<aside class="mission-box"><h2>ISS-63 mission</h2><h3>ISS crew:</h3><p>Commander -</p><p>Christopher Cassidy</p><p>Flight engineers:</p><ul><li>Anatoly Ivanishin</li><li>Ivan Vagner</li></ul></aside>"#,
    )
}

fn ok(addr: &str, path: &str) -> common::Response {
    let r = get(addr, path);
    assert_eq!(r.status, 200, "{path}: {}", r.body);
    r
}

fn names(astros: &Value) -> BTreeSet<String> {
    astros["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn knowledge_that_read_wrong_reads_right() {
    let pages = tempfile::tempdir().unwrap();
    for (file, title, day, body) in PAGES {
        std::fs::write(pages.path().join(file), page(title, day, body, "")).unwrap();
    }
    std::fs::write(pages.path().join("sidebar.html"), sidebar_page()).unwrap();
    let data = tempfile::tempdir().unwrap();
    let ingest = korolev(data.path(), &["ingest", pages.path().to_str().unwrap()]);
    assert!(ingest.status.success(), "{}", stderr(&ingest));
    let server = start(data.path());
    let addr = server.addr.as_str();

    // People in space on 2020-01-01: Expedition 61's crew, not the Soyuz MS-12 crew that
    // landed before it began.
    let jan = ok(addr, "/astros.json?at=2020-01-01").json();
    let want: BTreeSet<String> = [
        "Aleksandr Skvortsov",
        "Andrew Morgan",
        "Christina Koch",
        "Jessica Meir",
        "Luca Parmitano",
        "Oleg Skripochka",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(names(&jan), want, "{jan}");
    // Far past the last fact, nobody is known to be aboard.
    let far = ok(addr, "/astros.json?at=2099-01-01").json();
    assert_eq!(far["number"], 0, "{far}");

    // Launches: every row has a craft, no rocket stands as one, and Crew-8 is one flight.
    let launches = ok(addr, "/api/v1/launches?limit=100").json();
    let rows = launches["results"].as_array().unwrap();
    assert!(!rows.is_empty());
    for r in rows {
        assert!(r["spacecraft"].is_string(), "a launch without a craft: {r}");
        assert_ne!(r["name"], "Falcon 9", "a rocket as a spacecraft: {r}");
    }
    let crew8: Vec<&Value> = rows.iter().filter(|r| r["mission"] == "Crew-8").collect();
    assert_eq!(crew8.len(), 1, "{crew8:#?}");
    assert_eq!(crew8[0]["date"], "2024-03-03");
    assert_eq!(crew8[0]["spacecraft"], "Crew Dragon Endeavour");
    let html = ok(addr, "/launches").body;
    assert_eq!(html.matches("Crew-8 ·").count(), 1, "{html}");
    assert!(!html.contains(">Falcon 9</a></td><td>"), "{html}");

    // Expedition 58's commander flew up on Soyuz MS-11, not on his later Soyuz MS-24.
    let x58 = ok(addr, "/expeditions/58").body;
    // The crew table's row, not the page's description in <head>.
    let line = x58
        .split("<main")
        .nth(1)
        .unwrap_or_default()
        .lines()
        .find(|l| l.contains("Oleg Kononenko"))
        .unwrap_or_else(|| panic!("{x58}"));
    assert!(line.contains("Soyuz MS-11"), "{line}");
    assert!(!line.contains("Soyuz MS-24"), "{line}");

    // The article lists what it names, not the sidebar's crew.
    let found = ok(addr, "/v4/articles?title_contains=Progress").json();
    let id = found["results"][0]["id"].as_i64().unwrap();
    let article = ok(addr, &format!("/articles/{id}")).body;
    let listed = article
        .split("In this article")
        .nth(1)
        .unwrap_or_else(|| panic!("{article}"));
    assert!(listed.contains("Progress MS-15"), "{listed}");
    assert!(!listed.contains("Christopher Cassidy"), "{listed}");
    assert!(!listed.contains("Ivan Vagner"), "{listed}");
}
