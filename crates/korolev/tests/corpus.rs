//! The bundled sample corpus, through `korolev demo`: what the demo promises to find.
#![allow(clippy::unwrap_used)]

mod common;
use common::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

fn demo_export() -> (String, Vec<Value>) {
    let dir = tempfile::tempdir().unwrap();
    let out = korolev(dir.path(), &["demo", "--quiet", "--no-serve"]);
    assert!(out.status.success(), "demo failed: {}", stderr(&out));
    let summary = stdout(&out);
    let export = korolev(dir.path(), &["export", "--json"]);
    (summary, json_lines(&stdout(&export)))
}

#[test]
fn the_corpus_covers_expeditions_58_to_72_in_several_charsets() {
    let (summary, docs) = demo_export();
    assert!(docs.len() >= 40, "{} pages", docs.len());
    assert!(summary.contains("failed 0"), "{summary}");
    let encodings: BTreeSet<&str> = docs
        .iter()
        .map(|d| d["document"]["encoding"].as_str().unwrap())
        .collect();
    assert!(
        encodings.contains("UTF-8") && encodings.contains("windows-1251"),
        "{encodings:?}"
    );
    assert!(
        encodings.iter().any(|e| e.starts_with("KOI8")),
        "{encodings:?}"
    );
    let formats: BTreeSet<&str> = docs
        .iter()
        .map(|d| d["document"]["format"].as_str().unwrap())
        .collect();
    assert_eq!(formats, BTreeSet::from(["html", "text"]));

    let mut commanders: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for d in &docs {
        for c in d["claims"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["role"] == "commander")
        {
            commanders
                .entry(entity_name(d, c["object"].as_str().unwrap()).to_string())
                .or_default()
                .insert(entity_name(d, c["subject"].as_str().unwrap()).to_string());
        }
        // Every page has a title and a date, and its body is not empty.
        assert!(
            d["article"]["title"].is_string(),
            "{}",
            d["document"]["source"]
        );
        assert!(
            d["article"]["published_at"].is_string(),
            "{}",
            d["document"]["source"]
        );
        assert!(!d["article"]["body"].as_str().unwrap().is_empty());
    }
    for n in 58..=72 {
        assert!(
            commanders.contains_key(&format!("Expedition {n}")),
            "no commander for Expedition {n}: {commanders:?}"
        );
    }
    assert_eq!(
        commanders["Expedition 64"],
        BTreeSet::from(["Sergey Ryzhikov".to_string()])
    );
    // The mission box names Williams; the prose of 2025-03-16 tells that Ovchinin took over.
    assert_eq!(
        commanders["Expedition 72"],
        BTreeSet::from([
            "Aleksey Ovchinin".to_string(),
            "Sunita Williams".to_string()
        ])
    );
}

#[test]
fn russian_pages_resolve_to_the_same_people_and_craft() {
    let (_, docs) = demo_export();
    let koi8 = doc_with_source(&docs, "2021-02-15-progress-ms-16.htm");
    assert_eq!(
        koi8["article"]["title"],
        "Грузовой корабль Прогресс МС-16 доставил топливо и воду"
    );
    let ryzhikov = koi8["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "person/sergey-ryzhikov")
        .unwrap();
    assert_eq!(ryzhikov["aliases"], serde_json::json!(["Сергей Рыжиков"]));
    let launches: BTreeSet<(String, String, String)> = docs
        .iter()
        .flat_map(|d| {
            d["claims"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|c| {
                    c["kind"] == "launch"
                        && c["status"] == "done"
                        && c["date"].is_string()
                        && c["object"].is_string()
                })
                .map(move |c| {
                    (
                        c["date"].as_str().unwrap().to_string(),
                        entity_name(d, c["object"].as_str().unwrap()).to_string(),
                        entity_name(d, c["subject"].as_str().unwrap()).to_string(),
                    )
                })
        })
        .collect();
    for expected in [
        ("2020-10-14", "Soyuz-2.1a", "Soyuz MS-17"),
        ("2020-05-30", "Falcon 9", "Crew Dragon Endeavour"),
        ("2024-06-05", "Atlas V", "Starliner"),
        ("2024-09-28", "Falcon 9", "Crew-9"),
        ("2019-09-25", "Soyuz-FG", "Soyuz MS-15"),
    ] {
        let e = (
            expected.0.to_string(),
            expected.1.to_string(),
            expected.2.to_string(),
        );
        assert!(launches.contains(&e), "missing {e:?}");
    }
    // One entity per craft, whichever language named it.
    let ids: BTreeSet<&str> = docs
        .iter()
        .flat_map(|d| {
            d["entities"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["id"].as_str().unwrap())
        })
        .collect();
    assert!(
        !ids.iter()
            .any(|id| id.contains("soiuz") || id.contains("союз")),
        "{ids:?}"
    );
}
