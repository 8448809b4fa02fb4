//! The five seed pages of ../shared/seeds, ingested into a real store: every expedition, crew
//! role and launch they carry, exactly; titles and dates; no furniture in article bodies.
#![allow(clippy::unwrap_used)]

mod common;
use common::*;
use serde_json::Value;
use std::collections::BTreeSet;

fn export_after_ingest() -> (tempfile::TempDir, Vec<Value>) {
    let dir = tempfile::tempdir().unwrap();
    let out = korolev(
        dir.path(),
        &["ingest", "--quiet", seeds_dir().to_str().unwrap()],
    );
    assert!(out.status.success(), "ingest failed: {}", stderr(&out));
    let out = korolev(dir.path(), &["export", "--json"]);
    assert!(out.status.success(), "export failed: {}", stderr(&out));
    let docs = json_lines(&stdout(&out));
    assert_eq!(docs.len(), 5);
    (dir, docs)
}

#[test]
fn seeds_give_every_expedition_crew_role_exactly() {
    if skip_without_shared() {
        return;
    }
    let (_dir, docs) = export_after_ingest();
    let mut crews = BTreeSet::new();
    for doc in &docs {
        for c in doc["claims"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["kind"] == "crew_member")
        {
            let person = entity_name(doc, c["subject"].as_str().unwrap());
            let expedition = entity_name(doc, c["object"].as_str().unwrap());
            crews.insert((expedition, c["role"].as_str().unwrap().to_string(), person));
        }
    }
    let expected: BTreeSet<(String, String, String)> = [
        ("Expedition 58", "commander", "Oleg Kononenko"),
        ("Expedition 58", "flight_engineer", "David Saint-Jacques"),
        ("Expedition 58", "flight_engineer", "Anne McClain"),
        ("Expedition 59", "commander", "Oleg Kononenko"),
        ("Expedition 59", "flight_engineer", "David Saint-Jacques"),
        ("Expedition 59", "flight_engineer", "Anne McClain"),
        ("Expedition 59", "flight_engineer", "Aleksey Ovchinin"),
        ("Expedition 59", "flight_engineer", "Nick Hague"),
        ("Expedition 59", "flight_engineer", "Christina Koch"),
        ("Expedition 63", "commander", "Christopher Cassidy"),
        ("Expedition 63", "flight_engineer", "Anatoly Ivanishin"),
        ("Expedition 63", "flight_engineer", "Ivan Vagner"),
    ]
    .into_iter()
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    .collect();
    assert_eq!(crews, expected);
}

#[test]
fn seeds_give_every_ticker_launch_exactly() {
    if skip_without_shared() {
        return;
    }
    let (_dir, docs) = export_after_ingest();
    let mut launches = BTreeSet::new();
    for doc in &docs {
        // Launches told in prose are tested in tests/prose_facts.rs.
        for c in doc["claims"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["kind"] == "launch" && c["evidence"]["extractor"] != "prose")
        {
            launches.insert((
                c["date"].as_str().unwrap().to_string(),
                c["date_precision"].as_str().unwrap().to_string(),
                entity_name(doc, c["object"].as_str().unwrap()),
                entity_name(doc, c["subject"].as_str().unwrap()),
                c["status"].as_str().unwrap().to_string(),
            ));
            // Evidence points at the ticker lines of the page.
            assert!(
                c["evidence"]["text"].as_str().unwrap().contains(" is "),
                "{c}"
            );
            assert_eq!(c["evidence"]["extractor"], "launch-ticker");
        }
    }
    let expected: BTreeSet<_> = [
        ("2018-11-16", "day", "Soyuz-FG", "Progress MS-10", "done"),
        ("2018-12-03", "day", "Soyuz-FG", "Soyuz MS-11", "done"),
        ("2019-03-14", "day", "Soyuz-FG", "Soyuz MS-12", "done"),
        ("2019-04-04", "day", "Soyuz-2.1a", "Progress MS-11", "done"),
        ("2020-07-23", "day", "Soyuz-2.1a", "Progress MS-15", "done"),
        ("2020-10", "month", "Soyuz-2.1a", "Soyuz MS-17", "planned"),
    ]
    .into_iter()
    .map(|(a, b, c, d, e)| {
        (
            a.to_string(),
            b.to_string(),
            c.to_string(),
            d.to_string(),
            e.to_string(),
        )
    })
    .collect();
    assert_eq!(launches, expected);
}

#[test]
fn seed_spellings_are_kept_as_aliases_with_their_source() {
    if skip_without_shared() {
        return;
    }
    let (_dir, docs) = export_after_ingest();
    let mut aliases = BTreeSet::new();
    for doc in &docs {
        let source = doc["document"]["source"]
            .as_str()
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap()
            .to_string();
        for e in doc["entities"].as_array().unwrap() {
            for a in e["aliases"].as_array().unwrap() {
                aliases.insert((
                    e["name"].as_str().unwrap().to_string(),
                    a.as_str().unwrap().to_string(),
                    source[..3].to_string(),
                ));
            }
        }
    }
    for expected in [
        ("Anne McClain", "Ann McClain", "001"),
        ("Anne McClain", "Ann McClain", "002"),
        ("David Saint-Jacques", "David Saint-Jaques", "001"),
        ("Aleksey Ovchinin", "Ovchinin Alexey", "002"),
        ("Ivan Vagner", "Ivan Wagner", "000"),
        ("Expedition 63", "ISS-63", "000"),
    ] {
        let expected = (
            expected.0.to_string(),
            expected.1.to_string(),
            expected.2.to_string(),
        );
        assert!(
            aliases.contains(&expected),
            "missing alias {expected:?} in {aliases:#?}"
        );
    }
    // Canonical spellings are not aliases of themselves.
    assert!(!aliases.iter().any(|(name, alias, _)| name == alias));
}

#[test]
fn seed_titles_and_dates_are_found_where_the_page_has_them() {
    if skip_without_shared() {
        return;
    }
    let (_dir, docs) = export_after_ingest();
    let by_prefix = |p: &str| doc_with_source(&docs, &format!("/{p}_"));
    let article = |p: &str| {
        let a = &by_prefix(p)["article"];
        (
            a["title"].as_str().map(String::from),
            a["published_at"].as_str().map(String::from),
            a["date_precision"].as_str().map(String::from),
        )
    };
    assert_eq!(
        article("002"),
        (
            Some("The legendary Ball is back!".into()),
            Some("2018-08-31".into()),
            Some("day".into())
        )
    );
    assert_eq!(
        article("004"),
        (
            Some("Roscosmos and NASA discuss partner projects at Baikonur (VIDEO)".into()),
            Some("2025-04-08T08:27".into()),
            Some("minute".into())
        )
    );
    assert_eq!(
        article("001"),
        (
            Some("RSC Energia develops partnerships in the field of science and education".into()),
            Some("2018-02-09".into()),
            Some("day".into())
        )
    );
    assert_eq!(
        article("003"),
        (
            Some("Roscosmos and NASA Collaborate on ISS Missions Today".into()),
            None,
            None
        )
    );
    // 000 is a letter under a mission box: no title line, and its ticker's "October, 2020"
    // is not the article's date.
    assert_eq!(article("000"), (None, None, None));
    for d in &docs {
        assert_eq!(d["article"]["lang"], "en");
    }
}

#[test]
fn no_furniture_survives_in_article_bodies() {
    if skip_without_shared() {
        return;
    }
    let (_dir, docs) = export_after_ingest();
    let furniture = [
        "icon bookmark",
        "News Archive",
        "Mon Tue Wed Thu Fri Sat Sun",
        "Previous Article",
        "Next Article",
        "Winter Rain and Brakes",
        "football bans",
        "Write a Comment",
        "Leave a Comment",
        "commenting policy",
        "Podcasts",
        "13:56",
        "0:00",
        "OSZAR",
        "ISS crew:",
        "Flight engineers:",
        "is launched",
        "is planned",
        "Main tasks",
        "Планета",
    ];
    for d in &docs {
        let body = d["article"]["body"].as_str().unwrap();
        assert!(!body.is_empty());
        for f in furniture {
            assert!(
                !body.contains(f),
                "{f:?} survived in {}",
                d["document"]["source"]
            );
        }
        // Day-grid rows of the archive calendar.
        for para in body.split("\n\n") {
            assert!(
                !para.split_whitespace().all(|w| w.parse::<u8>().is_ok()),
                "calendar row {para:?}"
            );
        }
        // The title is not repeated as the first paragraph.
        if let Some(t) = d["article"]["title"].as_str() {
            assert!(
                !body.starts_with(t),
                "title repeated in body of {}",
                d["document"]["source"]
            );
        }
    }
    // And the article itself is kept: first and last paragraphs of two seeds.
    let body = |p: &str| {
        doc_with_source(&docs, &format!("/{p}_"))["article"]["body"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(body("004").starts_with("The meeting touched upon"));
    assert!(body("004")
        .trim_end()
        .ends_with("resolution of the conflict."));
    assert!(body("003")
        .trim_end()
        .ends_with("evolving space infrastructure and mission objectives."));
}

#[test]
fn facts_without_a_store_match_the_export() {
    if skip_without_shared() {
        return;
    }
    let (dir, docs) = export_after_ingest();
    let out = korolev(
        dir.path(),
        &["facts", "--json", seeds_dir().to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let facts = json_lines(&stdout(&out));
    assert_eq!(facts, docs);
    assert_eq!(facts[0]["schema"], "korolev.facts/2");
}

#[test]
fn evidence_spans_point_at_the_text_they_quote() {
    if skip_without_shared() {
        return;
    }
    let (_dir, docs) = export_after_ingest();
    for d in &docs {
        let path = seeds_dir().join(
            d["document"]["source"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap(),
        );
        let page: Vec<char> = std::fs::read_to_string(path)
            .unwrap()
            .replace("\r\n", "\n")
            .chars()
            .collect();
        for e in d["entities"].as_array().unwrap() {
            for m in e["mentions"].as_array().unwrap() {
                let (s, t) = (
                    m["start"].as_u64().unwrap() as usize,
                    m["end"].as_u64().unwrap() as usize,
                );
                let quoted: String = page[s..t].iter().collect();
                assert_eq!(quoted, m["text"].as_str().unwrap());
            }
        }
    }
}

#[test]
fn ingesting_twice_changes_nothing() {
    if skip_without_shared() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let seeds = seeds_dir();
    let first = korolev(dir.path(), &["ingest", seeds.to_str().unwrap()]);
    assert!(first.status.success());
    assert!(
        stderr(&first).contains("read 5 · new 5 · revised 0 · unchanged 0 · failed 0"),
        "{}",
        stderr(&first)
    );
    let before = stdout(&korolev(dir.path(), &["export", "--json"]));
    let second = korolev(dir.path(), &["ingest", seeds.to_str().unwrap()]);
    assert!(second.status.success());
    assert!(
        stderr(&second).contains("read 5 · new 0 · revised 0 · unchanged 5 · failed 0"),
        "{}",
        stderr(&second)
    );
    assert_eq!(stdout(&korolev(dir.path(), &["export", "--json"])), before);
}
