//! Any bytes, as HTML and as text: extraction returns a result or an error, never panics or
//! hangs, and is deterministic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for (name, url) in [("page.html", Some("https://example.org/news/a.html")), ("page.txt", None)] {
        let input = korolev_extract::Input {
            bytes: data,
            name,
            content_type: None,
            url,
            published: None,
        };
        let first = korolev_extract::extract(&input);
        let again = korolev_extract::extract(&input);
        match (first, again) {
            (Ok(a), Ok(b)) => {
                assert_eq!(a.article.body(), b.article.body());
                assert_eq!(a.page_text, b.page_text);
            }
            (Err(a), Err(b)) => assert_eq!(a, b),
            _ => panic!("extraction is not deterministic"),
        }
    }
});
