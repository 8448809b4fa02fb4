//! Facts from prose, through the real binary: the seed facts the issue names, and the gold set
//! scored by `korolev eval facts` above its floor.
#![allow(clippy::unwrap_used)]

mod common;
use common::*;
use serde_json::Value;

fn facts_of(seed: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let path = std::fs::read_dir(seeds_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_str().unwrap().starts_with(seed))
        .unwrap();
    let out = korolev(dir.path(), &["facts", "--json", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    json_lines(&stdout(&out)).remove(0)
}

fn claims<'a>(doc: &'a Value, kind: &str) -> Vec<&'a Value> {
    doc["claims"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == kind)
        .collect()
}

fn has_entity(doc: &Value, id: &str) -> bool {
    doc["entities"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["id"] == id)
}

#[test]
fn seed_004_launch_crew_officials_and_sites() {
    if skip_without_shared() {
        return;
    }
    let doc = facts_of("004_");
    let launch = claims(&doc, "launch")
        .into_iter()
        .find(|c| c["subject"] == "spacecraft/soyuz-ms-27" && c["date"] == "2025-04-08")
        .expect("Soyuz MS-27 launch on Tuesday 2025-04-08");
    assert_eq!(launch["date_precision"], "day");
    assert_eq!(launch["status"], "done");
    let people: Vec<&str> = launch["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert_eq!(
        people,
        [
            "person/sergey-ryzhikov",
            "person/alexey-zubritsky",
            "person/jonny-kim"
        ]
    );
    assert!(launch["evidence"]["text"]
        .as_str()
        .unwrap()
        .contains("Tuesday"));
    let office = |person: &str| {
        claims(&doc, "appointment")
            .into_iter()
            .find(|c| c["subject"] == person)
            .map(|c| {
                (
                    c["object"].as_str().unwrap_or("").to_string(),
                    c["detail"].as_str().unwrap().to_string(),
                )
            })
    };
    assert_eq!(
        office("person/dmitry-bakanov"),
        Some(("agency/roscosmos".into(), "ceo".into()))
    );
    assert_eq!(
        office("person/kenneth-bowersox").map(|(o, _)| o).as_deref(),
        Some("agency/nasa")
    );
    for id in ["site/baiterek", "launch_vehicle/soyuz-5", "site/baikonur"] {
        assert!(has_entity(&doc, id), "{id}");
    }
    // "Jonathan Kim" is the gazetteer's Jonny Kim, not a new person.
    assert!(!has_entity(&doc, "person/jonathan-kim"));
}

#[test]
fn seed_003_agreement_and_craft() {
    if skip_without_shared() {
        return;
    }
    let doc = facts_of("003_");
    let a = claims(&doc, "agreement");
    assert!(
        a.iter().any(|c| c["subject"] == "agency/nasa"
            && c["object"] == "agency/roscosmos"
            && c["date"] == "2022-07-15"),
        "{a:#?}"
    );
    assert!(has_entity(&doc, "spacecraft/soyuz-ms-22"));
    assert!(has_entity(&doc, "spacecraft/progress-ms-21"));
}

#[test]
fn seed_001_agreement_energia_and_tomsk() {
    if skip_without_shared() {
        return;
    }
    let doc = facts_of("001_");
    let a = claims(&doc, "agreement");
    assert!(
        a.iter().any(|c| c["subject"] == "agency/rsc-energia"
            && c["object"] == "agency/tomsk-province-administration"
            && c["date"] == "2018-02-09"
            && c["date_precision"] == "day"),
        "{a:#?}"
    );
}

#[test]
fn gold_set_scores_above_the_floor() {
    if skip_without_shared() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus");
    let out = korolev(
        dir.path(),
        &[
            "eval",
            "facts",
            corpus.to_str().unwrap(),
            seeds_dir().to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let report = stdout(&out);
    assert!(report.starts_with("48 pages"), "{report}");
    // The "all" line of the claims table: gold found right precision recall F1.
    let all = report
        .lines()
        .find(|l| l.trim_start().starts_with("all"))
        .unwrap();
    let nums: Vec<f64> = all
        .split_whitespace()
        .skip(1)
        .map(|x| x.parse().unwrap())
        .collect();
    let (precision, recall) = (nums[3], nums[4]);
    assert!(precision >= 0.95 && recall >= 0.85, "{report}");
}

#[test]
fn eval_names_a_gold_file_that_does_not_parse() {
    let dir = tempfile::tempdir().unwrap();
    let gold = dir.path().join("bad.gold");
    std::fs::write(&gold, "== page\nlaunch spacecraft/x colour=red\n").unwrap();
    let out = korolev(
        dir.path(),
        &["eval", "facts", "--gold", gold.to_str().unwrap()],
    );
    assert!(!out.status.success());
    assert!(stderr(&out).contains("gold line 2"), "{}", stderr(&out));
}

/// The shared space-news development set (real NASA texts), scored in its own annotation
/// schema: above the floor the issue sets, field by field.
#[test]
fn space_news_set_scores_above_the_floor() {
    if skip_without_shared() {
        return;
    }
    let gold = shared_dir().join("data/space-news/gold.jsonl");
    let dir = tempfile::tempdir().unwrap();
    let out = korolev(
        dir.path(),
        &["eval", "facts", "--gold", gold.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let report = stdout(&out);
    let row = |field: &str| -> (f64, f64, f64) {
        let line = report
            .lines()
            .find(|l| l.split_whitespace().next() == Some(field))
            .unwrap_or_else(|| panic!("no {field} row in {report}"));
        let n: Vec<f64> = line
            .split_whitespace()
            .skip(1)
            .take(3)
            .map(|x| x.parse().unwrap())
            .collect();
        (n[0], n[1], n[2])
    };
    let (p, _, f1) = row("micro");
    assert!(p >= 0.92 && f1 >= 0.92, "{report}");
    for field in korolev_facts::annotation::MAIN_FIELDS {
        assert!(row(field).2 >= 0.75, "{field}: {report}");
    }
}
