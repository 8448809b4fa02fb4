//! The index on a fixed corpus: ranking, snippets, every query form, facets, English and
//! Russian, entity filters, folded duplicates, and a rebuild of a damaged index.
#![allow(clippy::unwrap_used)]

use korolev_search::{Doc, Query, SearchIndex};

const DAY: i64 = 86_400;
/// 2025-01-01.
const NOW: i64 = 1_735_689_600;

fn doc(id: i64, site: &str, title: &str, body: &str, days_ago: i64) -> Doc {
    Doc {
        id,
        title: title.into(),
        body: body.into(),
        site: site.into(),
        authors: Vec::new(),
        lang: Some("en".into()),
        published: NOW - days_ago * DAY,
        dated: true,
        entities: Vec::new(),
        updated: 0,
        ..Doc::default()
    }
}

const RELEASE: &str = "The Soyuz MS-26 spacecraft carrying Aleksey Ovchinin, Ivan Vagner and \
    Donald Pettit docked to the Rassvet module of the International Space Station three hours \
    after launch from the Baikonur Cosmodrome in Kazakhstan on Wednesday.";

fn corpus() -> Vec<Doc> {
    let mut about = doc(
        1,
        "Orbital Agency Newsroom",
        "Soyuz MS-26 docks with three crew members",
        RELEASE,
        100,
    );
    about.entities = vec![
        "person/donald-pettit".into(),
        "spacecraft/soyuz-ms-26".into(),
    ];
    about.authors = vec!["Marta Ilyina".into()];
    let mut syndicated = doc(
        2,
        "Low Orbit Daily",
        "Soyuz MS-26 crew arrives at the station",
        RELEASE,
        100,
    );
    syndicated.entities = about.entities.clone();
    let once = doc(
        3,
        "Low Orbit Daily",
        "Station crew prepares for a spacewalk",
        "Two astronauts readied their suits for a spacewalk to replace a battery. The Soyuz \
         attached to the station was not affected by the work, managers said.",
        30,
    );
    let mut russian = doc(
        4,
        "Роскосмос",
        "Корабль Союз МС-26 пристыковался к станции",
        "Космонавты Алексей Овчинин и Иван Вагнер прибыли на станцию. Стыковка корабля \
         прошла в автоматическом режиме.",
        100,
    );
    russian.lang = Some("ru".into());
    russian.entities = vec!["person/aleksey-ovchinin".into()];
    let mut undated = doc(
        5,
        "Orbital Agency Newsroom",
        "Crew Dragon Freedom returns the Crew-9 astronauts",
        "The Crew Dragon Freedom splashed down off the coast of Florida with the crew of \
         Crew-9 after a long mission. Recovery teams reached the capsule within an hour.",
        0,
    );
    undated.dated = false;
    vec![about, syndicated, once, russian, undated]
}

fn index() -> (tempfile::TempDir, SearchIndex) {
    let dir = tempfile::tempdir().unwrap();
    let (index, fresh) = SearchIndex::open(dir.path()).unwrap();
    assert!(fresh);
    index.put(&corpus(), (1, 5)).unwrap();
    (dir, index)
}

fn ask(index: &SearchIndex, text: &str) -> Vec<i64> {
    let q = Query {
        text: text.into(),
        now: NOW,
        limit: 20,
        ..Query::default()
    };
    index
        .search(&q)
        .unwrap()
        .hits
        .iter()
        .map(|h| h.id)
        .collect()
}

#[test]
fn the_page_about_a_thing_ranks_above_one_that_mentions_it_once() {
    let (_d, index) = index();
    // The two pages about the Soyuz are one story (folded); the one that names it in passing
    // comes after.
    let found = ask(&index, "soyuz");
    assert!(matches!(found.first(), Some(1 | 2)), "{found:?}");
    assert_eq!(
        found.iter().position(|&i| i == 3),
        Some(found.len() - 1),
        "{found:?}"
    );
}

#[test]
fn the_same_story_on_two_sites_is_one_hit_with_also_on() {
    let (_d, index) = index();
    let q = Query {
        text: "rassvet".into(),
        now: NOW,
        ..Query::default()
    };
    let found = index.search(&q).unwrap();
    assert_eq!(found.total, 2);
    assert_eq!(found.hits.len(), 1, "{:?}", found.hits);
    let also: Vec<i64> = found.hits[0].also.iter().map(|a| a.0).collect();
    assert_eq!(also.len(), 1);
    assert!(also[0] == 1 || also[0] == 2);
}

#[test]
fn every_query_form_narrows_as_it_says() {
    let (_d, index) = index();
    assert_eq!(ask(&index, "\"battery\""), vec![3]);
    assert_eq!(ask(&index, "\"replace a battery\""), vec![3]);
    assert!(ask(&index, "\"battery replace\"").is_empty());
    let without = ask(&index, "crew -spacewalk");
    assert!(!without.contains(&3) && !without.is_empty(), "{without:?}");
    assert_eq!(ask(&index, "title:spacewalk"), vec![3]);
    let site = ask(&index, "soyuz site:\"low orbit daily\"");
    assert!(
        site.iter().all(|i| [2, 3].contains(i)) && !site.is_empty(),
        "{site:?}"
    );
    let not_site = ask(&index, "soyuz -site:\"low orbit daily\"");
    assert!(not_site.iter().all(|i| ![2, 3].contains(i)), "{not_site:?}");
    assert_eq!(ask(&index, "author:ilyina"), vec![1]);
    assert_eq!(ask(&index, "lang:ru"), vec![4]);
    // 2024-10-28 is 65 days before NOW: the spacewalk story (30 days ago) only.
    assert_eq!(ask(&index, "crew after:2024-10-28"), vec![3]);
    assert!(!ask(&index, "crew before:2024-10-28").contains(&3));
    assert!(index
        .search(&Query {
            text: "after:someday".into(),
            ..Query::default()
        })
        .is_err());
}

#[test]
fn russian_and_english_words_are_found_by_their_other_forms() {
    let (_d, index) = index();
    // "станцию" in the text, "станции" in the title; "корабль" / "корабля".
    assert_eq!(ask(&index, "станция"), vec![4]);
    assert_eq!(ask(&index, "корабли"), vec![4]);
    // English: "docked" found by "docking", case and stop words ignored.
    assert_eq!(ask(&index, "The DOCKING")[0], 1);
    // An accent is folded away.
    assert_eq!(ask(&index, "Baïkonur").len(), 1);
}

#[test]
fn entities_filter_and_stand_for_names_in_the_other_script() {
    let (_d, index) = index();
    let q = |entities: Vec<&str>, also: Vec<&str>, text: &str| Query {
        text: text.into(),
        entities: entities.into_iter().map(String::from).collect(),
        also_entities: also.into_iter().map(String::from).collect(),
        now: NOW,
        limit: 20,
        ..Query::default()
    };
    let ids = |query: Query| -> Vec<i64> {
        let mut v: Vec<i64> = index
            .search(&query)
            .unwrap()
            .hits
            .iter()
            .flat_map(|h| std::iter::once(h.id).chain(h.also.iter().map(|a| a.0)))
            .collect();
        v.sort();
        v
    };
    assert_eq!(ids(q(vec!["person/donald-pettit"], vec![], "")), vec![1, 2]);
    // "Ovchinin" in Latin script finds the Russian article through the entity it names.
    let latin = ids(q(vec![], vec!["person/aleksey-ovchinin"], "ovchinin"));
    assert!(latin.contains(&4), "{latin:?}");
    assert!(latin.contains(&1), "{latin:?}");
    // An exclusion holds against what the entity brings in too.
    let without = ids(q(
        vec![],
        vec!["person/aleksey-ovchinin"],
        "ovchinin -стыковка",
    ));
    assert!(!without.contains(&4), "{without:?}");
    assert!(without.contains(&1), "{without:?}");
}

#[test]
fn facets_count_what_matched() {
    let (_d, index) = index();
    let found = index
        .search(&Query {
            text: "soyuz".into(),
            now: NOW,
            ..Query::default()
        })
        .unwrap();
    let count = |facets: &[korolev_search::Facet], v: &str| {
        facets.iter().find(|f| f.value == v).map(|f| f.count)
    };
    assert_eq!(count(&found.sites, "Low Orbit Daily"), Some(2));
    assert_eq!(count(&found.sites, "Orbital Agency Newsroom"), Some(1));
    assert_eq!(count(&found.langs, "en"), Some(3));
    assert_eq!(count(&found.entities, "spacecraft/soyuz-ms-26"), Some(2));
    assert_eq!(found.months.iter().map(|m| m.count).sum::<u64>(), 3);
    // Not asked for, not counted; the hits are the same.
    let bare = index
        .search(&Query {
            text: "soyuz".into(),
            now: NOW,
            facets: false,
            ..Query::default()
        })
        .unwrap();
    assert!(bare.sites.is_empty() && bare.entities.is_empty());
    assert_eq!(bare.hits, found.hits);
}

#[test]
fn snippets_mark_what_matched_and_escape_the_rest() {
    let (_d, index) = index();
    let q = Query {
        text: "spacewalk".into(),
        now: NOW,
        ..Query::default()
    };
    let s = index
        .snippets(
            &q,
            "A <b>bold</b> spacewalk story",
            "Before <script>x</script> the spacewalks began.",
        )
        .unwrap();
    assert!(s.body.contains("<mark>spacewalks</mark>"), "{}", s.body);
    assert!(!s.body.contains("<script>"), "{}", s.body);
    assert!(s.title.contains("&lt;b&gt;"), "{}", s.title);
    assert!(s.title.contains("<mark>spacewalk</mark>"), "{}", s.title);
}

#[test]
fn a_damaged_index_is_made_afresh_and_a_fresh_one_starts_empty() {
    let dir = tempfile::tempdir().unwrap();
    {
        let (index, _) = SearchIndex::open(dir.path()).unwrap();
        index.put(&corpus(), (9, 9)).unwrap();
        assert_eq!(index.watermark(), (9, 9));
    }
    let (again, fresh) = SearchIndex::open(dir.path()).unwrap();
    assert!(!fresh);
    assert_eq!(again.len(), 5);
    drop(again);
    // Its metadata is lost.
    std::fs::write(dir.path().join("search/meta.json"), b"{ not json").unwrap();
    let (rebuilt, fresh) = SearchIndex::open(dir.path()).unwrap();
    assert!(fresh);
    assert_eq!(rebuilt.len(), 0);
    assert_eq!(rebuilt.watermark(), (i64::MIN, i64::MIN));
}
