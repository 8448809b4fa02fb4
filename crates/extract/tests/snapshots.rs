//! Snapshots of what extraction makes of every HTML page of the sample corpus: title, date,
//! authors, language, site, canonical URL and the clean text. A change in extraction shows up
//! as a reviewable diff (`cargo insta review`, or `INSTA_UPDATE=always` to accept).

use korolev_extract::{extract, Input};
use std::path::{Path, PathBuf};

fn corpus_pages() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus");
    let mut pages = Vec::new();
    let mut dirs = vec![root];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("corpus directory").flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "html") {
                pages.push(path);
            }
        }
    }
    pages.sort();
    pages
}

fn render(path: &Path) -> String {
    let bytes = std::fs::read(path).expect("corpus page");
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("page.html");
    let e = match extract(&Input {
        bytes: &bytes,
        name,
        content_type: None,
        url: None,
        published: None,
    }) {
        Ok(e) => e,
        Err(err) => return format!("error: {err}\n"),
    };
    let a = &e.article;
    let opt = |v: Option<&str>| v.unwrap_or("-").to_string();
    format!(
        "title: {}\npublished: {}\nauthors: {}\nlang: {}\nsite: {}\ncanonical: {}\nimage: {}\nencoding: {}\n\n{}\n",
        opt(a.title.as_deref()),
        a.published
            .map(|d| format!("{d} ({})", d.precision().as_str()))
            .unwrap_or_else(|| "-".into()),
        a.authors.join("; "),
        opt(a.lang.as_deref()),
        opt(a.site_name.as_deref()),
        opt(a.canonical_url.as_deref()),
        opt(a.image_url.as_deref()),
        e.encoding,
        a.body()
    )
}

#[test]
fn corpus_html_pages() {
    let pages = corpus_pages();
    assert!(
        pages.len() >= 20,
        "expected the sample corpus, found {}",
        pages.len()
    );
    for page in pages {
        let name = page
            .file_stem()
            .and_then(|n| n.to_str())
            .unwrap_or("page")
            .to_string();
        insta::assert_snapshot!(name, render(&page));
    }
}
