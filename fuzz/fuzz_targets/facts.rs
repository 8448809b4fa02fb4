//! Any bytes, as text and as HTML: the facts of the extracted page come out, never a panic
//! or a hang, the same each time, with every claim's evidence inside the page's text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let g = korolev_facts::gazetteer::Gazetteer::builtin();
    for name in ["page.txt", "page.html"] {
        let input = korolev_extract::Input {
            bytes: data,
            name,
            content_type: None,
            url: None,
            published: korolev_extract::PartialDate::parse_iso("2024-02-14"),
        };
        let Ok(x) = korolev_extract::extract(&input) else {
            continue;
        };
        let info = || korolev_facts::model::DocumentInfo {
            id: "fuzz".into(),
            source: name.into(),
            format: String::new(),
            encoding: String::new(),
            bytes: data.len(),
        };
        let first = korolev_facts::document_facts(info(), &x, g);
        let again = korolev_facts::document_facts(info(), &x, g);
        assert_eq!(first, again, "facts are not deterministic");
        let chars = x.page_text.chars().count();
        for c in &first.claims {
            assert!(c.evidence.start <= c.evidence.end && c.evidence.end <= chars);
        }
        for e in &first.entities {
            assert!(e.mentions.len() <= 64);
        }
    }
});
