//! The merged facts the store keeps page by page are those a merge of every claim from
//! scratch gives: random subsets of the bundled corpus (and of copies of it under another
//! site, so that many documents tell of one thing), stored in random orders with documents
//! removed along the way.
#![allow(clippy::unwrap_used)]

use korolev_facts::knowledge::source_of;
use korolev_facts::merge::merge;
use korolev_facts::model::DocumentFacts;
use korolev_pipeline::{process, Hints};
use korolev_store::Store;
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

/// Every page of the bundled corpus as the pipeline reads it, and a copy of each as a
/// mirror site would publish it: another document with the same claims, of another source.
fn documents() -> &'static Vec<(Vec<u8>, DocumentFacts)> {
    static DOCS: OnceLock<Vec<(Vec<u8>, DocumentFacts)>> = OnceLock::new();
    DOCS.get_or_init(|| {
        let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus");
        let mut paths = Vec::new();
        let mut dirs = vec![corpus];
        while let Some(dir) = dirs.pop() {
            for e in std::fs::read_dir(&dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    dirs.push(p);
                } else {
                    paths.push(p);
                }
            }
        }
        paths.sort();
        assert!(paths.len() > 20, "the bundled corpus is missing");
        let mut out = Vec::new();
        for p in paths {
            let bytes = std::fs::read(&p).unwrap();
            let name = p.to_string_lossy().into_owned();
            let id = korolev_store::document_id(&bytes);
            let facts = process(&name, &bytes, id, &Hints::default()).unwrap().facts;
            let mut mirrored = bytes.clone();
            mirrored.extend_from_slice(b"\n<!-- mirrored -->\n");
            let mut copy = facts.clone();
            let copy_id = korolev_store::document_id(&mirrored);
            copy.document.id.clone_from(&copy_id);
            copy.article.site_name = Some("Mirror".into());
            for c in &mut copy.claims {
                c.evidence.document.clone_from(&copy_id);
            }
            out.push((bytes, facts));
            out.push((mirrored, copy));
        }
        out
    })
}

/// The facts of `present` merged in memory from their claims.
fn merged(present: &BTreeMap<usize, ()>) -> Vec<korolev_facts::merge::Fact> {
    let docs = documents();
    let sources: Vec<(usize, String)> = present
        .keys()
        .map(|&i| {
            let d = &docs[i].1;
            let a = &d.article;
            (
                i,
                source_of(
                    a.site_name.as_deref(),
                    a.canonical_url.as_deref(),
                    &d.document.id,
                ),
            )
        })
        .collect();
    merge(
        sources
            .iter()
            .flat_map(|(i, s)| docs[*i].1.claims.iter().map(move |c| (c, s.as_str()))),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn kept_facts_equal_facts_merged_from_scratch(
        ops in prop::collection::vec((0usize..1000, prop::bool::weighted(0.25)), 1..80)
    ) {
        let docs = documents();
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let mut present = BTreeMap::new();
        for (pick, remove) in ops {
            let i = pick % docs.len();
            let (bytes, facts) = &docs[i];
            if remove {
                let removed = store.delete(&facts.document.id).unwrap();
                prop_assert_eq!(removed, present.remove(&i).is_some());
            } else {
                store.put(bytes, facts).unwrap();
                present.insert(i, ());
            }
        }
        let kept = store.facts().unwrap();
        let want = merged(&present);
        prop_assert_eq!(kept.len(), want.len());
        for (k, w) in kept.iter().zip(&want) {
            prop_assert_eq!(k, w);
        }
        let rebuilt = store.rebuild_facts(|_, _| {}).unwrap();
        prop_assert!(rebuilt.differed.is_empty(), "differed: {:?}", rebuilt.differed);
        prop_assert_eq!(store.facts().unwrap(), want);
    }
}

/// Removing every document leaves no facts, and storing them again gives the same facts.
#[test]
fn facts_follow_documents_out_and_back_in() {
    let docs = documents();
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    for (bytes, facts) in docs {
        store.put(bytes, facts).unwrap();
    }
    let all = store.facts().unwrap();
    assert!(all.len() > 50, "{} facts", all.len());
    assert!(
        all.iter().any(|f| f.sources >= 2),
        "the mirror adds sources"
    );
    for (_, facts) in docs {
        assert!(store.delete(&facts.document.id).unwrap());
    }
    assert!(store.facts().unwrap().is_empty());
    for (bytes, facts) in docs.iter().rev() {
        store.put(bytes, facts).unwrap();
    }
    assert_eq!(store.facts().unwrap(), all);
}
