//! Hostile page shapes, each named after the input: extraction gives a result or an error
//! that names the limit, and keeps what text there is. (Found while hardening the tree
//! builder: some of these were once slow, none may panic.)

use korolev_extract::{extract, ExtractError, Input};

fn run(html: &str) -> Result<String, ExtractError> {
    extract(&Input {
        bytes: html.as_bytes(),
        name: "page.html",
        content_type: None,
        url: None,
        published: None,
    })
    .map(|e| e.article.body())
}

const PROSE: &str = "The Soyuz MS-27 crew docked with the station, opened the hatches, and joined Expedition 72 for an eight-month stay.";

#[test]
fn stray_end_tags_under_deep_nesting() {
    let html = "<div>".repeat(511) + &"</span>".repeat(200_000) + PROSE;
    assert_eq!(run(&html), Ok(PROSE.to_string()));
}

#[test]
fn nesting_past_the_depth_limit() {
    let html = "<div>".repeat(600) + PROSE;
    assert_eq!(run(&html), Err(ExtractError::TooDeep { limit: 512 }));
}

#[test]
fn a_class_attribute_of_a_million_words() {
    let html = format!(
        "<div class=\"{}\"><p>{PROSE}</p></div>",
        "share ".repeat(1_000_000)
    );
    // Only the first 512 bytes of a class list are read; the prose is still found.
    assert!(run(&html).is_ok());
}

#[test]
fn unterminated_comment_script_and_attribute() {
    assert_eq!(
        run(&format!("<p>{PROSE}</p><!-- never closed <p>hidden</p>")),
        Ok(PROSE.to_string())
    );
    assert_eq!(
        run(&format!("<p>{PROSE}</p><script>var a = '<p>x</p>';")),
        Ok(PROSE.to_string())
    );
    // An attribute value that never closes swallows the rest of the page, as in a browser.
    assert_eq!(
        run(&format!("<p>{PROSE}</p><a href=\"x>never")),
        Ok(PROSE.to_string())
    );
}

#[test]
fn a_stray_nul_byte_and_a_lone_angle_bracket_at_the_end() {
    let html = format!("<html><body><article><p>{PROSE}\u{0}</p></article></body></html><");
    assert_eq!(run(&html), Ok(PROSE.to_string()));
    // NULs from the first bytes on are a binary file, not a page.
    assert_eq!(
        run("\u{0}\u{0}\u{0}\u{0}<p>x</p>"),
        Err(ExtractError::Binary)
    );
}

#[test]
fn references_split_by_a_tag_are_not_joined() {
    // "&am" + "p;" must not become "&": each text node is decoded on its own.
    let html = format!("<p>{PROSE} R&am<b></b>p;D</p>");
    let body = run(&html).unwrap_or_default();
    assert!(body.ends_with("R&amp;D"), "{body:?}");
}

#[test]
fn a_title_of_two_megabytes_full_of_separators() {
    // Its parts are not looked for in the page (that would cost its length many times over);
    // the article is still found.
    let html = format!(
        "<title>{}</title><p>{PROSE}</p><p>x - y | z</p>",
        "word - word | ".repeat(150_000)
    );
    assert!(run(&html).is_ok_and(|body| body.contains(PROSE)));
}
