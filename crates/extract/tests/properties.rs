//! Properties of HTML extraction over generated pages: it never panics, it is deterministic,
//! and everything it outputs is text of the page, in the page's order (a subsequence of the
//! page's text content: nothing invented, nothing reordered).

use korolev_extract::{dom, extract, Input};
use proptest::prelude::*;

const WORDS: &[&str] = &[
    "Soyuz",
    "MS-27",
    "launch",
    "crew",
    "docked",
    "Baikonur",
    "the",
    "and",
    "of",
    "station",
    "Союз",
    "экипаж",
    "стартовал",
    "宇宙",
    "ステーション",
    "Crew-9",
    "&amp;",
    "&lt;b&gt;",
    "&#8212;",
    "&nbsp;",
    "&eacute;t&eacute;",
    "&bogus;",
    "a<b",
    "2025-04-08",
    "Share",
    "Advertisement",
    ",",
    ".",
    "«",
    "»",
];
const TAGS: &[&str] = &[
    "div",
    "p",
    "article",
    "main",
    "section",
    "nav",
    "aside",
    "footer",
    "header",
    "span",
    "a",
    "h1",
    "h2",
    "ul",
    "li",
    "table",
    "tr",
    "td",
    "blockquote",
    "pre",
    "figure",
    "figcaption",
    "b",
    "em",
    "form",
    "button",
    "noscript",
    "svg",
    "time",
];
const CLASSES: &[&str] = &[
    "content",
    "article-body",
    "sidebar",
    "comments",
    "share",
    "related",
    "entry",
    "promo",
    "x",
    "post",
    "menu",
];

/// Random page markup: nested elements with classes, text with references, stray tags,
/// comments and raw-text elements.
fn node() -> impl Strategy<Value = String> {
    let text = prop::collection::vec(prop::sample::select(WORDS), 0..30).prop_map(|w| w.join(" "));
    let leaf = prop_oneof![
        6 => text,
        1 => Just("<br>".to_string()),
        1 => Just("<!-- a comment <p>not text</p> -->".to_string()),
        1 => Just("<script>var s = '</div><p>no';</script>".to_string()),
        1 => Just("<style>p { color: red }</style>".to_string()),
        1 => Just("</p></div>".to_string()),
        1 => Just("<img src=x.jpg alt=\"a picture\">".to_string()),
    ];
    leaf.prop_recursive(6, 200, 8, |inner| {
        (
            prop::sample::select(TAGS),
            prop::option::of(prop::sample::select(CLASSES)),
            prop::collection::vec(inner, 0..8),
            any::<bool>(),
        )
            .prop_map(|(tag, class, kids, close)| {
                let attr = class.map(|c| format!(" class=\"{c}\"")).unwrap_or_default();
                let end = if close {
                    format!("</{tag}>")
                } else {
                    String::new()
                };
                format!("<{tag}{attr}>{}{end}", kids.concat())
            })
    })
}

fn page() -> impl Strategy<Value = String> {
    (node(), prop::option::of(prop::sample::select(WORDS))).prop_map(|(body, title)| {
        let title = title
            .map(|t| format!("<title>{t}</title>"))
            .unwrap_or_default();
        format!("<!doctype html><html><head>{title}</head><body>{body}</body></html>")
    })
}

/// Whether the non-whitespace characters of `needle` appear in order in `hay`.
fn is_subsequence(needle: &str, hay: &str) -> bool {
    let mut hay = hay.chars().filter(|c| !c.is_whitespace());
    needle
        .chars()
        .filter(|c| !c.is_whitespace())
        .all(|c| hay.any(|h| h == c))
}

fn run(html: &str) -> Result<(String, Option<String>), korolev_extract::ExtractError> {
    extract(&Input {
        bytes: html.as_bytes(),
        name: "page.html",
        content_type: None,
        url: None,
        published: None,
    })
    .map(|e| (e.article.body(), e.article.title))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn body_is_a_subsequence_of_the_page_text(html in page()) {
        if let Ok((body, _)) = run(&html) {
            let d = dom::parse(&html);
            let text = d.text_content(dom::ROOT);
            prop_assert!(is_subsequence(&body, &text), "body {body:?}\nnot in page text {text:?}");
        }
    }

    #[test]
    fn extraction_is_deterministic(html in page()) {
        let a = run(&html).map_err(|e| e.to_string());
        let b = run(&html).map_err(|e| e.to_string());
        prop_assert_eq!(a, b);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
        for name in ["page.html", "page.txt"] {
            let _ = extract(&Input { bytes: &bytes, name, content_type: None, url: None, published: None });
        }
    }
}

#[test]
fn subsequence_check_itself() {
    assert!(is_subsequence("a c", "a b c"));
    assert!(!is_subsequence("c a", "a b c"));
}

proptest! {
    /// The byte-wise whitespace collapse says what splitting on every Unicode space says.
    #[test]
    fn whitespace_collapses_as_unicode_defines_it(
        s in "[a-zé \\t\\n\\r\\u{0b}\\u{0c}\\u{85}\\u{a0}\\u{1680}\\u{2000}-\\u{200b}\\u{2028}\\u{2029}\\u{202f}\\u{205f}\\u{3000}\\u{e100}ア]{0,40}"
    ) {
        let expected = s
            .split(char::is_whitespace)
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        prop_assert_eq!(dom::collapse_whitespace(&s), expected);
    }
}
