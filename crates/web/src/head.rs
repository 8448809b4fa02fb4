//! What a page says of itself in its `<head>`: to search engines (a description, its canonical
//! address, whether to index it) and to the sites a link to it is shared on (OpenGraph and
//! Twitter cards: title, description, image).

use crate::App;
use axum::http::Uri;

/// Words a description keeps: search engines show about this many characters.
const DESCRIPTION_CHARS: usize = 160;

pub(crate) struct Head {
    pub(crate) title: String,
    pub(crate) description: String,
    /// The page's own absolute address; None on pages that are not a place (errors).
    pub(crate) canonical: Option<String>,
    /// An absolute http(s) image that stands for the page.
    pub(crate) image: Option<String>,
    /// OpenGraph's type: "article" for an article, else "website".
    pub(crate) kind: &'static str,
    /// Pages that search engines should not index: errors and search results.
    pub(crate) noindex: bool,
}

impl Head {
    /// The head of the page at `uri` (its path and query, as asked) on `app`'s public address.
    pub(crate) fn new(app: &App, uri: &Uri, title: impl Into<String>, description: &str) -> Head {
        let here = uri.path_and_query().map_or(uri.path(), |p| p.as_str());
        Head {
            title: title.into(),
            description: describe(description),
            canonical: Some(format!("{}{here}", app.public_url)),
            image: None,
            kind: "website",
            noindex: false,
        }
    }

    /// The head of an error page: no address of its own, not to be indexed.
    pub(crate) fn error(title: &str, description: &str) -> Head {
        Head {
            title: title.to_string(),
            description: describe(description),
            canonical: None,
            image: None,
            kind: "website",
            noindex: true,
        }
    }

    /// An article, with the image that leads it where the portal shows one
    /// ([`crate::App::lead_image`]: an absolute URL on the web).
    pub(crate) fn article(mut self, image: Option<String>) -> Head {
        self.kind = "article";
        self.image = image;
        self
    }

    pub(crate) fn noindex(mut self) -> Head {
        self.noindex = true;
        self
    }
}

/// A description from a text: its whitespace collapsed, cut at a word to about
/// [`DESCRIPTION_CHARS`] characters, with an ellipsis where it was cut.
pub(crate) fn describe(text: &str) -> String {
    let mut out = String::new();
    for word in text.split_whitespace() {
        let len = out.chars().count() + word.chars().count() + 1;
        if len > DESCRIPTION_CHARS {
            if out.is_empty() {
                out = word.chars().take(DESCRIPTION_CHARS - 1).collect();
            }
            out.push('…');
            return out;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_description_is_cut_at_a_word() {
        assert_eq!(
            describe("  The crew\n of  Expedition 73. "),
            "The crew of Expedition 73."
        );
        let long = "word ".repeat(100);
        let d = describe(&long);
        assert!(d.ends_with("word…"), "{d}");
        assert!(d.chars().count() <= DESCRIPTION_CHARS, "{d}");
        let one = "x".repeat(500);
        assert_eq!(describe(&one).chars().count(), DESCRIPTION_CHARS);
    }
}
