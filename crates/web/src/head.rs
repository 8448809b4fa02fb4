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
    /// The head of the page at `uri` on `app`'s public address: its canonical address is its
    /// path with only the parameters that choose what a page shows ([`canonical_query`]).
    pub(crate) fn new(app: &App, uri: &Uri, title: impl Into<String>, description: &str) -> Head {
        let query = canonical_query(uri.query().unwrap_or(""));
        let sep = if query.is_empty() { "" } else { "?" };
        Head {
            title: title.into(),
            description: describe(description),
            canonical: Some(format!("{}{}{sep}{query}", app.public_url, uri.path())),
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

/// The parameters of a portal page's query that choose what it shows (the launches' filters,
/// the page of a list, a search's words and facets), in the order given, without empty ones,
/// repeats or the first page; anything else (`utm_source`, a typo) is not part of its address.
fn canonical_query(query: &str) -> String {
    const CHOOSING: [&str; 9] = [
        "q",
        "site",
        "month",
        "entity",
        "lang",
        "year",
        "vehicle",
        "spacecraft",
        "page",
    ];
    let mut seen = Vec::new();
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
        if !CHOOSING.contains(&k.as_ref()) || v.is_empty() || seen.contains(&k) {
            continue;
        }
        if k == "page" && v == "1" {
            continue;
        }
        out.append_pair(&k, &v);
        seen.push(k);
    }
    out.finish()
}

/// A description from a text: its whitespace collapsed, cut at a word to about
/// [`DESCRIPTION_CHARS`] characters, with an ellipsis where it was cut.
pub(crate) fn describe(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let whole =
        words.iter().map(|w| w.chars().count()).sum::<usize>() + words.len().saturating_sub(1);
    if whole <= DESCRIPTION_CHARS {
        return words.join(" ");
    }
    // Cut: the words that fit with room for the ellipsis.
    let room = DESCRIPTION_CHARS - 1;
    let mut out = String::new();
    let mut len = 0;
    for word in words {
        let more = word.chars().count() + usize::from(len > 0);
        if len + more > room {
            break;
        }
        if len > 0 {
            out.push(' ');
        }
        out.push_str(word);
        len += more;
    }
    if out.is_empty() {
        out = text
            .split_whitespace()
            .next()
            .unwrap_or("")
            .chars()
            .take(room)
            .collect();
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_canonical_address_keeps_what_chooses_the_page() {
        assert_eq!(canonical_query(""), "");
        assert_eq!(canonical_query("utm_source=x&page=1"), "");
        assert_eq!(
            canonical_query("year=2024&utm_campaign=y&vehicle=Soyuz+2&page=2&year=2020"),
            "year=2024&vehicle=Soyuz+2&page=2"
        );
        assert_eq!(canonical_query("spacecraft=&page=3"), "page=3");
    }

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
        // A text that fits only without the ellipsis is cut before the last word.
        let edge = format!("a {} c", "b".repeat(DESCRIPTION_CHARS - 2));
        let d = describe(&edge);
        assert!(
            d.chars().count() <= DESCRIPTION_CHARS && d.ends_with('…'),
            "{d}"
        );
        let fits = format!("a {} c", "b".repeat(DESCRIPTION_CHARS - 4));
        assert_eq!(describe(&fits), fits);
        let one = "x".repeat(500);
        assert_eq!(describe(&one).chars().count(), DESCRIPTION_CHARS);
    }
}
