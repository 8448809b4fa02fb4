//! What the facts tests share: the facts of a text page written in the test.
#![allow(dead_code)]

use korolev_extract::{extract, Input, PartialDate};
use korolev_facts::gazetteer::Gazetteer;
use korolev_facts::model::{DocumentFacts, DocumentInfo};

/// The facts of a text page: a short title line, then `body`, read with `page` as the page's
/// date.
pub fn page_facts(body: &str, page: Option<&str>) -> DocumentFacts {
    let text = format!("Station news\n\n{body}\n");
    let x = extract(&Input {
        bytes: text.as_bytes(),
        name: "page.txt",
        content_type: None,
        url: None,
        published: page.and_then(PartialDate::parse_iso),
    })
    .expect("the page extracts");
    let info = DocumentInfo {
        id: "page".into(),
        source: "page.txt".into(),
        format: "text".into(),
        encoding: "UTF-8".into(),
        bytes: text.len(),
    };
    korolev_facts::document_facts(info, &x, Gazetteer::builtin())
}
