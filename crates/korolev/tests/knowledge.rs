//! Merged knowledge through the real binary: `korolev knowledge` over a store and
//! `korolev facts --knowledge` over pages.
#![allow(clippy::unwrap_used)]

mod common;
use common::*;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus")
}

fn knowledge_json(dir: &Path, at: &str) -> Value {
    let out = korolev(dir, &["knowledge", "--json", "--at", at]);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

fn fact<'a>(k: &'a Value, kind: &str, subject: &str) -> Vec<&'a Value> {
    k["facts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == kind && f["subject"] == subject)
        .collect()
}

fn aboard(k: &Value) -> BTreeSet<String> {
    k["aboard"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["person"].as_str().unwrap().to_string())
        .collect()
}

fn expedition(k: &Value, n: u64) -> &Value {
    k["expeditions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["number"] == n)
        .unwrap()
}

#[test]
fn the_corpus_merges_into_expeditions_launches_and_who_is_aboard() {
    let dir = tempfile::tempdir().unwrap();
    let demo = korolev(dir.path(), &["demo", "--quiet", "--no-serve"]);
    assert!(demo.status.success(), "{}", stderr(&demo));
    let k = knowledge_json(dir.path(), "2019-05-01");
    assert_eq!(k["schema"], "korolev.knowledge/1");
    assert_eq!(k["at"], "2019-05-01");

    // Soyuz MS-12: a planned ticker entry and two reports of the launch are one done launch.
    let ms12 = fact(&k, "launch", "spacecraft/soyuz-ms-12");
    assert_eq!(ms12.len(), 1, "{ms12:#?}");
    let f = ms12[0];
    assert_eq!(f["date"], "2019-03-14");
    assert_eq!(f["status"], "done");
    assert!(f["sources"].as_u64().unwrap() >= 2);
    assert!(f["conflicts"].as_array().unwrap().is_empty());
    let n_evidence = f["evidence"].as_array().unwrap().len() as u64;
    assert!(n_evidence >= f["sources"].as_u64().unwrap());
    assert!(f["confidence"].as_f64().unwrap() > 0.9);

    // Expedition 59 ran from the MS-12 launch; 63 from MS-16's to the day a page says 64 began
    // ("Expedition 64 began with Sergey Ryzhikov in command", 22 October 2020).
    let x59 = expedition(&k, 59);
    assert_eq!(x59["start"], "2019-03-14");
    assert_eq!(x59["end"], "2019-07-20");
    let x63 = expedition(&k, 63);
    assert_eq!(
        (&x63["start"], &x63["end"]),
        (&"2020-04-09".into(), &"2020-10-22".into())
    );
    assert_eq!(x63["crew"][0]["role"], "commander");
    assert_eq!(x63["crew"][0]["person"], "person/christopher-cassidy");

    // On 1 May 2019 the MS-11 and MS-12 crews were aboard, and nobody else.
    let want: BTreeSet<String> = [
        "oleg-kononenko",
        "anne-mcclain",
        "david-saint-jacques",
        "aleksey-ovchinin",
        "nick-hague",
        "christina-koch",
    ]
    .iter()
    .map(|p| format!("person/{p}"))
    .collect();
    assert_eq!(aboard(&k), want);

    // A year and a half later the MS-17 crew is up and the 2019 crews are home.
    let later = aboard(&knowledge_json(dir.path(), "2020-12-01"));
    for p in ["sergey-ryzhikov", "sergey-kud-sverchkov", "kathleen-rubins"] {
        assert!(later.contains(&format!("person/{p}")), "{later:?}");
    }
    assert!(!later.contains("person/anne-mcclain"), "{later:?}");
    assert!(aboard(&knowledge_json(dir.path(), "2018-11-01")).is_empty());

    // The store and the pages read directly give the same knowledge.
    let direct = Command::new(env!("CARGO_BIN_EXE_korolev"))
        .args(["facts", "--knowledge", "--json", "--at", "2019-05-01"])
        .arg(corpus_dir())
        .output()
        .unwrap();
    assert!(direct.status.success(), "{}", stderr(&direct));
    let direct: Value = serde_json::from_str(&stdout(&direct)).unwrap();
    assert_eq!(direct["facts"], k["facts"]);
    assert_eq!(direct["expeditions"], k["expeditions"]);
    assert_eq!(direct["aboard"], k["aboard"]);

    // People read it too: crews with dates, merged launches, who is aboard.
    let human = stdout(&korolev(dir.path(), &["knowledge", "--at", "2019-05-01"]));
    assert!(
        human.contains("Expedition 63  2020-04-09 – 2020-10-22"),
        "{human}"
    );
    assert!(
        human.contains("Aboard the station on 2019-05-01"),
        "{human}"
    );
    assert!(human.contains("Soyuz MS-12"), "{human}");
}

/// A small news page of `site` saying that Soyuz MS-16 launched on `day`.
fn page(site: &str, day: &str, published: &str) -> String {
    format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Soyuz MS-16 is in orbit</title>
<meta property="og:site_name" content="{site}">
<meta property="article:published_time" content="{published}T10:00:00Z">
</head><body><article><h1>Soyuz MS-16 is in orbit</h1>
<p>The Soyuz MS-16 spacecraft launched on {day} from Baikonur with Anatoly Ivanishin, Ivan Vagner and Christopher Cassidy aboard.</p>
<p>The crew will spend six months on the International Space Station.</p>
</article></body></html>"#
    )
}

#[test]
fn independent_sites_raise_confidence_and_disagreements_show_as_conflicts() {
    let pages = tempfile::tempdir().unwrap();
    let write = |name: &str, body: String| std::fs::write(pages.path().join(name), body).unwrap();
    write("a1.html", page("Alpha News", "April 9, 2020", "2020-04-09"));
    write("a2.html", page("Alpha News", "9 April 2020", "2020-04-10"));
    write("b.html", page("Beta Orbit", "April 9, 2020", "2020-04-11"));
    write(
        "c.html",
        page("Gamma Space", "April 10, 2020", "2020-04-12"),
    );
    let data = tempfile::tempdir().unwrap();
    let ingest = korolev(data.path(), &["ingest", pages.path().to_str().unwrap()]);
    assert!(ingest.status.success(), "{}", stderr(&ingest));

    let k = knowledge_json(data.path(), "2020-05-01");
    let launches = fact(&k, "launch", "spacecraft/soyuz-ms-16");
    assert_eq!(launches.len(), 1, "{launches:#?}");
    let f = launches[0];
    // Three sites, not four documents: Alpha's two pages count once.
    assert_eq!(f["sources"], 3);
    assert_eq!(f["evidence"].as_array().unwrap().len(), 4);
    // Three of the four pages say the 9th; the 10th is kept beside it as a conflict.
    assert_eq!(f["date"], "2020-04-09");
    let conflict = &f["conflicts"][0];
    assert_eq!(conflict["field"], "date");
    let values: Vec<(&str, usize)> = conflict["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v[0].as_str().unwrap(), v[1].as_array().unwrap().len()))
        .collect();
    assert_eq!(values, [("2020-04-09", 3), ("2020-04-10", 1)]);
    let confidence = f["confidence"].as_f64().unwrap();
    assert!(confidence > 0.99, "three sources: {confidence}");
    assert_eq!(aboard(&k).len(), 3);

    let human = stdout(&korolev(data.path(), &["knowledge"]));
    assert!(
        human.contains("conflict in date: 2020-04-09 (3 documents) vs 2020-04-10 (1 document)"),
        "{human}"
    );
}

#[test]
fn knowledge_names_a_bad_day_and_says_when_the_store_is_empty() {
    let data = tempfile::tempdir().unwrap();
    let out = korolev(data.path(), &["knowledge", "--at", "2020-13-01"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("--at \"2020-13-01\""),
        "{}",
        stderr(&out)
    );
    let out = korolev(data.path(), &["knowledge", "--at", "2020-06"]);
    assert_eq!(out.status.code(), Some(2));

    // No store: said, and none is made.
    let out = korolev(data.path(), &["knowledge"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no store in"), "{}", stderr(&out));
    assert!(!data.path().join("korolev.sqlite3").exists());
    // A store that holds nothing.
    let empty = tempfile::tempdir().unwrap();
    let made = korolev(data.path(), &["ingest", empty.path().to_str().unwrap()]);
    assert!(
        data.path().join("korolev.sqlite3").exists(),
        "{}",
        stderr(&made)
    );
    let out = korolev(data.path(), &["knowledge"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("holds no facts yet"),
        "{}",
        stdout(&out)
    );
    let k = knowledge_json(data.path(), "2020-06-01");
    assert!(k["facts"].as_array().unwrap().is_empty());
    assert!(k["aboard"].as_array().unwrap().is_empty());
}
