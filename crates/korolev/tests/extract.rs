//! `korolev extract`: the article and its metadata from pages written for these tests, and
//! from the seeds, through the real binary.
#![allow(clippy::unwrap_used)]

mod common;

use common::{json_lines, korolev, seeds_dir, skip_without_shared, stderr, stdout};
use std::path::Path;

fn extract_json(dir: &Path, file: &str, html: &[u8], extra: &[&str]) -> serde_json::Value {
    let path = dir.join(file);
    std::fs::write(&path, html).unwrap();
    let mut args = vec!["extract", "--json"];
    args.extend_from_slice(extra);
    let p = path.to_str().unwrap();
    args.push(p);
    let out = korolev(dir, &args);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut lines = json_lines(&stdout(&out));
    assert_eq!(lines.len(), 1);
    lines.remove(0)
}

const JSON_LD_PAGE: &str = r##"<!doctype html><html lang="en-GB"><head>
<title>Progress MS-29 docks with the station | Orbital Desk</title>
<meta property="og:site_name" content="Orbital Desk">
<meta property="og:title" content="Progress MS-29 docks with the station | Orbital Desk">
<meta property="og:image" content="/img/ms29.jpg">
<meta name="author" content="Orbital Desk Staff">
<link rel="canonical" href="/news/2024/11/progress-ms-29">
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
 {"@type":"WebPage","name":"Orbital Desk"},
 {"@type":"NewsArticle","headline":"Progress MS-29 docks with the station",
  "datePublished":"2024-11-23T10:31:00+03:00",
  "author":[{"@type":"Person","name":"Irina Sokolova"},{"@type":"Person","name":"Tom Hale"}]}]}
</script></head><body>
<header><nav><a href="/">Home</a> <a href="/launches">Launches</a></nav></header>
<main><article><h1>Progress MS-29 docks with the station</h1>
<p class="byline">By Irina Sokolova and Tom Hale</p>
<div class="article-body">
<p>The cargo ship reached the aft port of the Zvezda module two days after its launch from Baikonur, carrying fuel, water, food and scientific equipment for the crew.</p>
<p>Docking took place in automatic mode, and the hatches are to be opened later in the day, after the crew checks the seals between the two vehicles.</p>
<figure><img src="dock.jpg" alt="The cargo ship approaching"><figcaption>The ship on final approach.</figcaption></figure>
<p>The previous freighter, which had spent six months at the station, undocked last week and burned up over the Pacific, as planned.</p>
</div>
<div class="share-tools"><a href="#">Share</a> <a href="#">Post</a></div>
</article></main>
<aside class="related"><h2>Related</h2><ul><li><a href="/a">Soyuz MS-26 lands</a></li><li><a href="/b">Crew-9 arrives</a></li></ul></aside>
<footer>© 2024 Orbital Desk</footer></body></html>"##;

#[test]
fn json_ld_metadata_wins_and_addresses_are_resolved() {
    let tmp = tempfile::tempdir().unwrap();
    let url = "https://orbital.example/news/2024/11/progress-ms-29?ref=rss";
    let r = extract_json(
        tmp.path(),
        "a.html",
        JSON_LD_PAGE.as_bytes(),
        &["--url", url],
    );
    assert_eq!(r["url"], url);
    assert_eq!(r["title"], "Progress MS-29 docks with the station");
    assert_eq!(r["published_at"], "2024-11-23T10:31:00+03:00");
    assert_eq!(r["date_precision"], "second");
    assert_eq!(
        r["authors"],
        serde_json::json!(["Irina Sokolova", "Tom Hale"])
    );
    assert_eq!(r["lang"], "en");
    assert_eq!(r["site_name"], "Orbital Desk");
    assert_eq!(
        r["canonical_url"],
        "https://orbital.example/news/2024/11/progress-ms-29"
    );
    assert_eq!(r["image_url"], "https://orbital.example/img/ms29.jpg");
    let text = r["text"].as_str().unwrap();
    let paragraphs: Vec<&str> = text.split("\n\n").collect();
    assert_eq!(paragraphs.len(), 3, "{text}");
    assert!(paragraphs[0].starts_with("The cargo ship reached the aft port"));
    assert!(paragraphs[2].ends_with("as planned."));
    for furniture in [
        "Home",
        "Share",
        "Related",
        "Soyuz MS-26 lands",
        "final approach",
        "©",
        "By Irina",
    ] {
        assert!(!text.contains(furniture), "{furniture:?} in {text}");
    }
}

const BYLINE_PAGE: &str = r#"<html><head><title>Crew-9 splashes down off Florida - Space Wire</title>
<meta property="og:site_name" content="Space Wire"><meta name="author" content="Staff">
</head><body><div id="page"><div class="content">
<h1>Crew-9 splashes down off Florida</h1>
<div class="meta"><span class="author">By Maria Lopez</span> <time datetime="2025-03-18T21:57:00Z">March 18</time></div>
<p>The Dragon capsule Freedom splashed down in the Gulf of America, ending a mission that lasted far longer than the eight days first planned for two of its crew.</p>
<p>Recovery teams reached the capsule within minutes, and the four crew members were helped out onto the deck of the recovery ship for the first medical checks.</p>
</div></div></body></html>"#;

#[test]
fn a_person_in_the_byline_beats_a_staff_label_and_title_loses_the_site_name() {
    let tmp = tempfile::tempdir().unwrap();
    let r = extract_json(tmp.path(), "b.html", BYLINE_PAGE.as_bytes(), &[]);
    assert_eq!(r["title"], "Crew-9 splashes down off Florida");
    assert_eq!(r["authors"], serde_json::json!(["Maria Lopez"]));
    assert_eq!(r["published_at"], "2025-03-18T21:57:00Z");
    assert_eq!(r["site_name"], "Space Wire");
    assert_eq!(r["url"], serde_json::Value::Null);
    let text = r["text"].as_str().unwrap();
    assert!(text.starts_with("The Dragon capsule Freedom"), "{text}");
    assert!(!text.contains("Maria Lopez"), "{text}");
}

#[test]
fn a_visible_date_line_dates_a_page_without_metadata() {
    let tmp = tempfile::tempdir().unwrap();
    let page = "<html><body><div class=post><h2>Soyuz MS-12 lifts off</h2><p>14 March 2019</p>\
        <p>The Soyuz-FG rocket lifted off from Baikonur with three crew members aboard, \
        bound for the International Space Station after a six-hour flight.</p>\
        <p>The spacecraft reached orbit about nine minutes later, and the crew reported that they felt well.</p></div></body></html>";
    let r = extract_json(tmp.path(), "c.html", page.as_bytes(), &[]);
    assert_eq!(r["published_at"], "2019-03-14");
    assert_eq!(r["date_precision"], "day");
    let text = r["text"].as_str().unwrap();
    assert!(text.starts_with("The Soyuz-FG rocket"), "{text}");
}

#[test]
fn windows_1251_page_with_meta_charset() {
    let tmp = tempfile::tempdir().unwrap();
    let page = "<html><head><meta charset=\"windows-1251\"><title>Стыковка</title></head><body><article>\
        <p>Транспортный корабль «Прогресс МС-29» пристыковался к служебному модулю «Звезда» \
        Международной космической станции в автоматическом режиме.</p>\
        <p>Корабль доставил на станцию топливо, воду, продукты и оборудование для научных экспериментов.</p>\
        </article></body></html>";
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(page);
    let r = extract_json(tmp.path(), "d.html", &bytes, &[]);
    assert_eq!(r["lang"], "ru");
    assert!(r["text"]
        .as_str()
        .unwrap()
        .contains("«Прогресс МС-29» пристыковался"));
}

#[test]
fn seeds_give_titles_and_dates_with_precision() {
    if skip_without_shared() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = korolev(
        tmp.path(),
        &[
            "extract",
            "--json",
            seeds_dir()
                .join("004_0ab93f9235e1e3a8.txt")
                .to_str()
                .unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let r = &json_lines(&stdout(&out))[0];
    assert_eq!(r["published_at"], "2025-04-08T08:27");
    assert_eq!(r["date_precision"], "minute");
    assert!(r["title"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(r["text"].as_str().unwrap().contains("Soyuz MS-27"));
}

#[test]
fn bad_inputs_are_named_and_the_rest_still_extracted() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("empty.html"), b"").unwrap();
    let deep = "<div>".repeat(5000);
    std::fs::write(tmp.path().join("deep.html"), deep).unwrap();
    std::fs::write(tmp.path().join("ok.html"), BYLINE_PAGE).unwrap();
    std::fs::write(tmp.path().join("wide.html"), "<p>x".repeat(1_100_000)).unwrap();
    let out = korolev(
        tmp.path(),
        &["extract", "--json", tmp.path().to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("empty.html") && err.contains("empty"), "{err}");
    assert!(
        err.contains("deep.html") && err.contains("deeper than 512"),
        "{err}"
    );
    let lines = json_lines(&stdout(&out));
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["title"], "Crew-9 splashes down off Florida");
    // --url names one page: with a directory it is refused, clearly.
    let out = korolev(
        tmp.path(),
        &[
            "extract",
            "--url",
            "https://x.example/",
            tmp.path().to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--url"));
}

#[test]
fn bench_extract_scores_against_ground_truth() {
    let tmp = tempfile::tempdir().unwrap();
    let bench = tmp.path().join("bench");
    std::fs::create_dir_all(bench.join("html")).unwrap();
    std::fs::write(bench.join("html/a.html"), BYLINE_PAGE).unwrap();
    // The reference of page b is text the page does not hold: F1 0 there.
    std::fs::write(bench.join("html/b.html"), BYLINE_PAGE).unwrap();
    let gold_a = "The Dragon capsule Freedom splashed down in the Gulf of America, ending a mission that lasted far longer than the eight days first planned for two of its crew.\nRecovery teams reached the capsule within minutes, and the four crew members were helped out onto the deck of the recovery ship for the first medical checks.";
    let gt = serde_json::json!({
        "a": {"articleBody": gold_a},
        "b": {"articleBody": "Entirely different words here"},
    });
    std::fs::write(bench.join("ground-truth.json"), gt.to_string()).unwrap();
    let out = korolev(
        tmp.path(),
        &["bench", "extract", bench.to_str().unwrap(), "--rounds", "1"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let row = text.lines().find(|l| l.starts_with("korolev ")).unwrap();
    let cols: Vec<&str> = row.split_whitespace().collect();
    // F1 is the mean of 1.0 (page a) and 0.0 (page b).
    assert_eq!(cols[1], "0.5000", "{text}");
    assert!(cols[4].parse::<f64>().unwrap() > 0.0, "{text}");

    // A directory without ground truth is timed, not scored.
    let out = korolev(
        tmp.path(),
        &[
            "bench",
            "extract",
            bench.join("html").to_str().unwrap(),
            "--rounds",
            "1",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("F1 not measured"));
}
