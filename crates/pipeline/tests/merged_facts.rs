//! The merged facts the store keeps page by page are those a merge of every claim from
//! scratch gives: random subsets of the bundled corpus (and of copies of it under another
//! site, so that many documents tell of one thing), stored in random orders, revised (new
//! bytes for an article stored before) and removed along the way.
#![allow(clippy::unwrap_used)]

use korolev_facts::knowledge::source_of;
use korolev_facts::merge::merge;
use korolev_facts::model::DocumentFacts;
use korolev_pipeline::{process, Hints};
use korolev_store::{identity, Store, Stored};
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::OnceLock;

/// Every page of the bundled corpus as the pipeline reads it, and a copy of each as a
/// mirror site would publish it: another article with the same claims, of another source.
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
        for (n, p) in paths.iter().enumerate() {
            let bytes = std::fs::read(p).unwrap();
            let name = p.to_string_lossy().into_owned();
            let id = korolev_store::document_id(&bytes);
            let facts = process(&name, &bytes, id, &Hints::default()).unwrap().facts;
            let mut mirror = variant(&facts, &bytes, &format!("mirror {n}"));
            mirror.1.article.site_name = Some("Mirror".into());
            mirror.1.article.canonical_url = Some(format!("https://mirror.example/news/{n}"));
            out.push((bytes, facts));
            out.push(mirror);
        }
        out
    })
}

/// `facts` as another document: its bytes followed by `mark`, its claims now of that one.
fn variant(facts: &DocumentFacts, bytes: &[u8], mark: &str) -> (Vec<u8>, DocumentFacts) {
    let mut bytes = bytes.to_vec();
    bytes.extend_from_slice(format!("\n<!-- {mark} -->\n").as_bytes());
    let id = korolev_store::document_id(&bytes);
    let mut copy = facts.clone();
    copy.document.id.clone_from(&id);
    for c in &mut copy.claims {
        c.evidence.document.clone_from(&id);
    }
    (bytes, copy)
}

/// Revision `v` of document `i`'s article: the text of another page under `i`'s address.
fn revision(i: usize, v: usize) -> (Vec<u8>, DocumentFacts) {
    let docs = documents();
    let (bytes, facts) = &docs[(i + v + 1) % docs.len()];
    let (bytes, mut facts) = variant(facts, bytes, &format!("revision {v} of {i}"));
    let of = &docs[i].1;
    facts.document.source.clone_from(&of.document.source);
    facts
        .article
        .canonical_url
        .clone_from(&of.article.canonical_url);
    (bytes, facts)
}

/// The facts of the documents `current` merged in memory from their claims.
fn merged(current: &BTreeMap<String, DocumentFacts>) -> Vec<korolev_facts::merge::Fact> {
    let sources: Vec<(&DocumentFacts, String)> = current
        .values()
        .map(|d| {
            let a = &d.article;
            let s = source_of(
                a.site_name.as_deref(),
                a.canonical_url.as_deref(),
                &d.document.id,
            );
            (d, s)
        })
        .collect();
    merge(
        sources
            .iter()
            .flat_map(|(d, s)| d.claims.iter().map(move |c| (c, s.as_str()))),
    )
}

#[derive(Debug, Clone)]
enum Op {
    Put(usize),
    Revise(usize, usize),
    Delete(usize),
}

fn op() -> impl Strategy<Value = Op> {
    (0usize..1000, 0usize..3, 0u8..10).prop_map(|(i, v, k)| match k {
        0..=4 => Op::Put(i),
        5..=7 => Op::Revise(i, v),
        _ => Op::Delete(i),
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn kept_facts_equal_facts_merged_from_scratch(ops in prop::collection::vec(op(), 1..80)) {
        let docs = documents();
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        // Each article's current revision, and every document stored and not removed.
        let mut current: BTreeMap<String, DocumentFacts> = BTreeMap::new();
        let mut seen: BTreeSet<String> = BTreeSet::new();
        for op in ops {
            let (bytes, facts) = match op {
                Op::Put(i) => docs[i % docs.len()].clone(),
                Op::Revise(i, v) => revision(i % docs.len(), v),
                Op::Delete(i) => {
                    let d = &docs[i % docs.len()].1;
                    let who = identity(&d.document, &d.article);
                    let removed = store.delete(
                        &current.get(&who).map_or(String::new(), |c| c.document.id.clone()),
                    ).unwrap();
                    prop_assert_eq!(removed, current.contains_key(&who));
                    if let Some(c) = current.remove(&who) {
                        seen.remove(&c.document.id);
                    }
                    continue;
                }
            };
            let who = identity(&facts.document, &facts.article);
            let want = if seen.contains(&facts.document.id) {
                Stored::Unchanged
            } else if current.contains_key(&who) {
                Stored::Revised
            } else {
                Stored::New
            };
            prop_assert_eq!(store.put(&bytes, &facts).unwrap(), want);
            if want != Stored::Unchanged {
                seen.insert(facts.document.id.clone());
                current.insert(who, facts);
            }
        }
        prop_assert_eq!(store.counts().unwrap().articles, current.len() as u64);
        let kept = store.facts().unwrap();
        let want = merged(&current);
        prop_assert_eq!(kept.len(), want.len());
        for (k, w) in kept.iter().zip(&want) {
            prop_assert_eq!(k, w);
        }
        listed_as_merged(&store, &want)?;
        let rebuilt = store.rebuild_facts(|_, _| {}).unwrap();
        prop_assert!(rebuilt.differed.is_empty(), "differed: {:?}", rebuilt.differed);
        prop_assert_eq!(store.facts().unwrap(), want);
    }
}

/// What the store lists a page at a time (the count, the crew facts, the launches by date,
/// the people who flew) is what the facts merged from scratch give.
fn listed_as_merged(
    store: &Store,
    want: &[korolev_facts::merge::Fact],
) -> Result<(), TestCaseError> {
    use korolev_facts::model::ClaimKind;
    let (total, first) = store.facts_page(0, 5).unwrap();
    prop_assert_eq!(total, want.len() as u64);
    prop_assert_eq!(&first[..], &want[..want.len().min(5)]);
    let flew =
        |f: &korolev_facts::merge::Fact| !f.people.is_empty() || f.kind == ClaimKind::CrewMember;
    let crews: Vec<_> = want.iter().filter(|f| flew(f)).cloned().collect();
    prop_assert_eq!(&store.crew_facts().unwrap(), &crews);
    let k = korolev_facts::knowledge::Knowledge::named(want.to_vec(), Vec::new());
    let launches: Vec<(String, korolev_facts::merge::Fact)> = k
        .launches()
        .into_iter()
        .map(|(id, f)| {
            // Lists give a fact without its evidence (its count stays).
            let mut brief = f.clone();
            brief.evidence.clear();
            (id, brief)
        })
        .collect();
    let (n, listed) = store
        .launches(&korolev_store::LaunchQuery {
            limit: 1000,
            ..Default::default()
        })
        .unwrap();
    prop_assert_eq!(n, launches.len() as u64);
    prop_assert_eq!(listed, launches);
    let mut people: Vec<&str> = crews
        .iter()
        .flat_map(|f| {
            let member = (f.kind == ClaimKind::CrewMember).then_some(f.subject.as_str());
            f.people.iter().map(String::as_str).chain(member)
        })
        .collect();
    people.sort_unstable();
    people.dedup();
    let (_, astronauts) = store.entities_page(true, 0, 1000).unwrap();
    let astronauts: Vec<&str> = astronauts.iter().map(|e| e.id.as_str()).collect();
    prop_assert!(
        astronauts.iter().all(|a| people.binary_search(a).is_ok()),
        "{astronauts:?} flew, of {people:?}"
    );
    Ok(())
}

/// Removing every document leaves no facts, and storing them again gives the same facts.
#[test]
fn facts_follow_documents_out_and_back_in() {
    let docs = documents();
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    for (bytes, facts) in docs {
        assert_eq!(store.put(bytes, facts).unwrap(), Stored::New);
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

/// `korolev reextract`: documents an older extraction read are read again from their stored
/// bytes; the articles keep their numbers, the facts follow, a second run has nothing to do.
#[test]
fn reextraction_reads_the_stored_bytes_again() {
    let docs: Vec<&(Vec<u8>, DocumentFacts)> = documents().iter().step_by(2).take(12).collect();
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    for (bytes, facts) in &docs {
        let hints = Hints::default();
        let done = korolev_pipeline::ingest(&mut store, &facts.document.source, bytes, &hints);
        assert_eq!(done.unwrap().stored, Stored::New);
    }
    let numbers = |store: &Store| {
        let q = korolev_store::NewsQuery {
            limit: 100,
            ..korolev_store::NewsQuery::default()
        };
        let mut n: Vec<(String, i64)> = store
            .news(&q)
            .unwrap()
            .1
            .into_iter()
            .map(|n| (n.document_id, n.id))
            .collect();
        n.sort();
        n
    };
    let before = numbers(&store);
    let facts = store.facts().unwrap();
    assert_eq!(
        korolev_pipeline::reextract(&mut store, false, |_, _| {})
            .unwrap()
            .done,
        0
    );
    // An older extraction found in three pages what is in others.
    for k in 0..3 {
        let (_, wrong) = docs[k + 5];
        let mut old = wrong.clone();
        old.document.clone_from(&docs[k].1.document);
        for c in &mut old.claims {
            c.evidence.document.clone_from(&old.document.id);
        }
        assert!(store.replace_facts(&old, "korolev 0.0.0 rules 0").unwrap());
    }
    assert_ne!(store.facts().unwrap(), facts);
    let mut seen = Vec::new();
    let done = korolev_pipeline::reextract(&mut store, false, |n, of| seen.push((n, of))).unwrap();
    assert_eq!((done.done, done.failed.len()), (3, 0));
    assert_eq!(seen.last(), Some(&(3, 3)));
    assert_eq!(store.facts().unwrap(), facts);
    assert_eq!(numbers(&store), before);
    assert_eq!(
        store.rebuild_facts(|_, _| {}).unwrap().differed,
        Vec::<String>::new()
    );
    assert_eq!(
        korolev_pipeline::reextract(&mut store, false, |_, _| {})
            .unwrap()
            .done,
        0
    );
    let all = korolev_pipeline::reextract(&mut store, true, |_, _| {}).unwrap();
    assert_eq!(all.done, docs.len() as u64);
    assert_eq!(store.facts().unwrap(), facts);
}

/// A page read with a fetch's hints (a charset from its Content-Type, a feed's title and
/// author) reads the same when it is extracted again.
#[test]
fn reextraction_reads_a_page_with_the_hints_it_was_fetched_with() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    // No title, no author, and bytes that are Windows-1251 only the header says.
    let mut page = b"<html><body><article><p>".to_vec();
    page.extend_from_slice(&[0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2]); // "Привет"
    page.extend_from_slice(
        b" The crew tested the station's cooling loops for most of the day and \
          recorded a video for students on the ground.</p></article></body></html>",
    );
    let hints = Hints {
        url: Some("https://news.example/a".into()),
        content_type: Some("text/html; charset=windows-1251".into()),
        title: Some("Feed title".into()),
        authors: vec!["A. Writer".into()],
        ..Hints::default()
    };
    korolev_pipeline::ingest(&mut store, "https://news.example/a", &page, &hints).unwrap();
    let read = |store: &Store| {
        let id = korolev_store::document_id(&page);
        let f = store.document_facts(&id).unwrap().unwrap();
        (
            f.article.title.clone(),
            f.article.authors.clone(),
            f.article.body.clone(),
        )
    };
    let first = read(&store);
    assert_eq!(first.0.as_deref(), Some("Feed title"));
    assert!(first.2.contains("Привет"), "{}", first.2);
    let all = korolev_pipeline::reextract(&mut store, true, |_, _| {}).unwrap();
    assert_eq!(all.done, 1);
    assert_eq!(read(&store), first);
}
