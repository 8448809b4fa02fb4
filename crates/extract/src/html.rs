//! HTML to lines and metadata.
//!
//! The page is parsed into a tree ([`crate::dom`]), the article is chosen in it
//! ([`crate::readable`]), and the tree is then flattened into lines: one per block of text,
//! each marked with the zone it came from (the article, page furniture, or unknown when no
//! article was found). Metadata is read from the tree in order of trust: JSON-LD, OpenGraph and
//! `<meta>`, `<time>`, then bylines and the first heading.

use crate::date::{parse_date_line, PartialDate};
use crate::dom::{self, collapse_whitespace, contains_ignore_ascii_case, Data, Dom, Tag, ROOT};
use crate::page::{Hints, Zone};
use crate::readable::{self, Selection};
use std::collections::{HashMap, HashSet};

pub use crate::dom::MAX_DEPTH;

/// The flattened page: lines with their zone and heading level, and the page's own metadata.
pub struct Flattened {
    pub lines: Vec<(String, Zone, Option<u8>)>,
    pub hints: Hints,
    /// The article was found by scoring: lines in [`Zone::Main`] are its body.
    pub article_found: bool,
    /// The page went past a limit of the tree builder.
    pub too_deep: bool,
    pub too_many_nodes: bool,
}

/// Decodes character references: numeric ones and the named ones news pages use.
pub fn decode_entities(s: &str) -> String {
    decode_entities_cow(s).into_owned()
}

/// [`decode_entities`] without a copy when there is nothing to decode.
pub fn decode_entities_cow(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('&') {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .map(|p| p + 1);
        let (name, consumed) = match end {
            Some(e) if rest[e..].starts_with(';') => (&rest[1..e], e + 1),
            Some(e) => (&rest[1..e], e),
            None => (&rest[1..], rest.len()),
        };
        if let Some(c) = entity(name) {
            out.push(c);
            rest = &rest[consumed..];
        } else {
            out.push('&');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = if let Some(hex) = num.strip_prefix(['x', 'X']) {
            u32::from_str_radix(hex, 16).ok()?
        } else {
            num.parse().ok()?
        };
        return Some(
            char::from_u32(code)
                .filter(|&c| c != '\0')
                .unwrap_or('\u{FFFD}'),
        );
    }
    Some(match name {
        "amp" | "AMP" => '&',
        "lt" | "LT" => '<',
        "gt" | "GT" => '>',
        "quot" | "QUOT" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "mdash" => '—',
        "ndash" => '–',
        "hellip" => '…',
        "laquo" => '«',
        "raquo" => '»',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "bdquo" => '„',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "deg" => '°',
        "middot" => '·',
        "bull" => '•',
        "times" => '×',
        "shy" => '\u{ad}',
        "eacute" => 'é',
        "euro" => '€',
        "larr" => '←',
        "rarr" => '→',
        "thinsp" => '\u{2009}',
        "ensp" => '\u{2002}',
        "emsp" => '\u{2003}',
        _ => {
            return MORE_ENTITIES
                .binary_search_by(|(n, _)| n.cmp(&name))
                .ok()
                .map(|i| MORE_ENTITIES[i].1)
        }
    })
}

/// Named references of letters and signs, sorted by name for binary search.
const MORE_ENTITIES: &[(&str, char)] = &[
    ("Aacute", '\u{c1}'),
    ("Acirc", '\u{c2}'),
    ("Agrave", '\u{c0}'),
    ("Aring", '\u{c5}'),
    ("Atilde", '\u{c3}'),
    ("Auml", '\u{c4}'),
    ("Ccedil", '\u{c7}'),
    ("Dagger", '\u{2021}'),
    ("Delta", '\u{394}'),
    ("Eacute", '\u{c9}'),
    ("Ecirc", '\u{ca}'),
    ("Egrave", '\u{c8}'),
    ("Euml", '\u{cb}'),
    ("Iacute", '\u{cd}'),
    ("Icirc", '\u{ce}'),
    ("Igrave", '\u{cc}'),
    ("Iuml", '\u{cf}'),
    ("Ntilde", '\u{d1}'),
    ("OElig", '\u{152}'),
    ("Oacute", '\u{d3}'),
    ("Ocirc", '\u{d4}'),
    ("Ograve", '\u{d2}'),
    ("Omega", '\u{3a9}'),
    ("Oslash", '\u{d8}'),
    ("Otilde", '\u{d5}'),
    ("Ouml", '\u{d6}'),
    ("Prime", '\u{2033}'),
    ("Scaron", '\u{160}'),
    ("Uacute", '\u{da}'),
    ("Ucirc", '\u{db}'),
    ("Ugrave", '\u{d9}'),
    ("Uuml", '\u{dc}'),
    ("Yacute", '\u{dd}'),
    ("aacute", '\u{e1}'),
    ("acirc", '\u{e2}'),
    ("acute", '\u{b4}'),
    ("aelig", '\u{e6}'),
    ("agrave", '\u{e0}'),
    ("alpha", '\u{3b1}'),
    ("aring", '\u{e5}'),
    ("asymp", '\u{2248}'),
    ("atilde", '\u{e3}'),
    ("auml", '\u{e4}'),
    ("beta", '\u{3b2}'),
    ("brvbar", '\u{a6}'),
    ("ccedil", '\u{e7}'),
    ("cedil", '\u{b8}'),
    ("cent", '\u{a2}'),
    ("circ", '\u{2c6}'),
    ("curren", '\u{a4}'),
    ("dagger", '\u{2020}'),
    ("darr", '\u{2193}'),
    ("delta", '\u{3b4}'),
    ("divide", '\u{f7}'),
    ("eacute", '\u{e9}'),
    ("ecirc", '\u{ea}'),
    ("egrave", '\u{e8}'),
    ("eth", '\u{f0}'),
    ("euml", '\u{eb}'),
    ("frac12", '\u{bd}'),
    ("frac14", '\u{bc}'),
    ("frac34", '\u{be}'),
    ("gamma", '\u{3b3}'),
    ("ge", '\u{2265}'),
    ("hearts", '\u{2665}'),
    ("iacute", '\u{ed}'),
    ("icirc", '\u{ee}'),
    ("iexcl", '\u{a1}'),
    ("igrave", '\u{ec}'),
    ("infin", '\u{221e}'),
    ("iquest", '\u{bf}'),
    ("iuml", '\u{ef}'),
    ("larr", '\u{2190}'),
    ("le", '\u{2264}'),
    ("lrm", '\u{200e}'),
    ("lsaquo", '\u{2039}'),
    ("macr", '\u{af}'),
    ("micro", '\u{b5}'),
    ("minus", '\u{2212}'),
    ("mu", '\u{3bc}'),
    ("ne", '\u{2260}'),
    ("not", '\u{ac}'),
    ("ntilde", '\u{f1}'),
    ("oacute", '\u{f3}'),
    ("ocirc", '\u{f4}'),
    ("oelig", '\u{153}'),
    ("ograve", '\u{f2}'),
    ("omega", '\u{3c9}'),
    ("ordf", '\u{aa}'),
    ("ordm", '\u{ba}'),
    ("oslash", '\u{f8}'),
    ("otilde", '\u{f5}'),
    ("ouml", '\u{f6}'),
    ("para", '\u{b6}'),
    ("permil", '\u{2030}'),
    ("pi", '\u{3c0}'),
    ("plusmn", '\u{b1}'),
    ("pound", '\u{a3}'),
    ("prime", '\u{2032}'),
    ("rarr", '\u{2192}'),
    ("rlm", '\u{200f}'),
    ("rsaquo", '\u{203a}'),
    ("sbquo", '\u{201a}'),
    ("scaron", '\u{161}'),
    ("sect", '\u{a7}'),
    ("sigma", '\u{3c3}'),
    ("sup2", '\u{b2}'),
    ("sup3", '\u{b3}'),
    ("szlig", '\u{df}'),
    ("thorn", '\u{fe}'),
    ("tilde", '\u{2dc}'),
    ("trade", '\u{2122}'),
    ("uacute", '\u{fa}'),
    ("uarr", '\u{2191}'),
    ("ucirc", '\u{fb}'),
    ("ugrave", '\u{f9}'),
    ("uml", '\u{a8}'),
    ("uuml", '\u{fc}'),
    ("yacute", '\u{fd}'),
    ("yen", '\u{a5}'),
    ("yuml", '\u{ff}'),
    ("zwj", '\u{200d}'),
    ("zwnj", '\u{200c}'),
];

fn ld_names(v: &serde_json::Value) -> Vec<String> {
    match v {
        serde_json::Value::String(s) => vec![s.trim().to_string()],
        serde_json::Value::Array(items) => items.iter().flat_map(ld_names).collect(),
        serde_json::Value::Object(map) => map
            .get("name")
            .and_then(|n| n.as_str())
            .map(|n| vec![n.trim().to_string()])
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// Dates as metadata writes them: ISO 8601 first, then the forms pages print.
fn parse_any_date(s: &str) -> Option<PartialDate> {
    PartialDate::parse_iso(s).or_else(|| parse_date_line(s))
}

/// "en-US" → "en", "ru_RU" → "ru".
fn lang_code(s: &str) -> String {
    s.trim()
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// The longest document title whose parts are looked for in the page.
const MAX_HEADLINE_BYTES: usize = 1024;

/// How many headline candidates a page's markup gives at most.
const HEADINGS_KEPT: usize = 48;

/// Whether an element may hold the headline, and how surely: 0 for a heading or an element
/// whose class or id says "headline" (older pages mark their headline so, in a `td` or a
/// `div`), 1 for one that says "title" (a site's title is one too).
fn headline_rank(dom: &Dom<'_>, id: u32, tag: Tag) -> Option<u8> {
    if matches!(tag, Tag::H1 | Tag::H2 | Tag::H3) {
        return Some(0);
    }
    if !matches!(
        tag,
        Tag::Div | Tag::Span | Tag::Td | Tag::P | Tag::Font | Tag::B | Tag::Strong | Tag::A
    ) {
        return None;
    }
    ["class", "id"]
        .iter()
        .filter_map(|a| {
            let v = dom.attr_raw(id, a)?;
            if contains_ignore_ascii_case(v, "subtitle") || contains_ignore_ascii_case(v, "subhead")
            {
                None
            } else if contains_ignore_ascii_case(v, "headline") {
                Some(0)
            } else if contains_ignore_ascii_case(v, "title") {
                Some(1)
            } else {
                None
            }
        })
        .min()
}

/// The headline a document title wraps: of the candidates from the page's headings that the
/// title holds (of two words or more, compared without case), the surest, then the longest;
/// as "Site » Headline", "Headline - Section - Site" or "Site: Headline" write it.
fn heading_within<'h>(title: &str, headings: &'h [(u8, String)]) -> Option<&'h str> {
    let title = collapse_whitespace(title).to_lowercase();
    headings
        .iter()
        .map(|(rank, h)| (*rank, h.trim()))
        .filter(|(_, h)| h.split_whitespace().count() >= 2)
        .filter(|(_, h)| title.contains(&collapse_whitespace(h).to_lowercase()))
        .min_by_key(|&(rank, h)| (rank, std::cmp::Reverse(h.len())))
        .map(|(_, h)| h)
}

/// What stands between a headline and the site's name, section or date in a document title.
const TITLE_SEPARATORS: [&str; 13] = [
    " | ", " - ", " – ", " — ", " -- ", " :: ", " : ", ": ", " » ", " « ", " > ", " ~ ", " / ",
];

/// The headline a document title wraps, as the page itself shows it: of the runs of the
/// title's parts between separators ("Site - Headline - Section"), the one that is a whole
/// line of the page — a line of the article or a heading before one of the page's furniture
/// (a tagline), then the longest. The whole title counts too: a page that shows its title as
/// it is keeps it whole. `shown` maps each line to its rank: 0 a heading, 1 the article or
/// unknown, 2 furniture.
fn shown_part<'t>(title: &'t str, shown: &HashMap<String, u8>) -> Option<&'t str> {
    let title = title.trim();
    // Where each part starts and ends in the title.
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    let mut at = 0;
    while let Some((off, sep)) = TITLE_SEPARATORS
        .iter()
        .filter_map(|sep| title[at..].find(sep).map(|off| (off, *sep)))
        .min_by_key(|&(off, sep)| (off, std::cmp::Reverse(sep.len())))
    {
        cuts.push((at, at + off));
        at += off + sep.len();
        if cuts.len() > 12 {
            break;
        }
    }
    cuts.push((at, title.len()));
    let mut best: Option<(u8, &str)> = None;
    for i in 0..cuts.len() {
        for j in i..cuts.len() {
            let part = title[cuts[i].0..cuts[j].1].trim();
            if part.split_whitespace().count() < 2 {
                continue;
            }
            let Some(&rank) = shown.get(&collapse_whitespace(part).to_lowercase()) else {
                continue;
            };
            if best.is_none_or(|(r, b)| {
                (rank, std::cmp::Reverse(part.len())) < (r, std::cmp::Reverse(b.len()))
            }) {
                best = Some((rank, part));
            }
        }
    }
    best.map(|(_, part)| part)
}

/// The most words of a document title that may be only the site's name.
const SITE_NAME_WORDS: usize = 4;

/// The heading the article opens with: of the headings (or lines the markup calls a
/// headline) just before its first line of text, the nearest that reads as a headline —
/// three words or more, not a date or a byline.
fn opening_heading<'l>(
    lines: &'l [(String, Zone, Option<u8>)],
    headlines: &HashSet<String>,
) -> Option<&'l str> {
    let first = lines.iter().position(|(text, zone, h)| {
        *zone == Zone::Main && h.is_none() && !headlines.contains(text)
    })?;
    lines[..first]
        .iter()
        .rev()
        .take_while(|(text, _, h)| h.is_some_and(|level| level <= 3) || headlines.contains(text))
        .map(|(text, _, _)| text.as_str())
        .find(|text| {
            let worded = text
                .split_whitespace()
                .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 2)
                .count();
            let lower = text.to_lowercase();
            let first = lower.split_whitespace().next().unwrap_or("");
            // A clock time ("3:29 PM") marks a dateline.
            let clock = text.as_bytes().windows(4).any(|w| {
                w[0].is_ascii_digit()
                    && w[1] == b':'
                    && w[2].is_ascii_digit()
                    && w[3].is_ascii_digit()
            });
            worded >= 3
                && text.len() <= MAX_HEADLINE_BYTES
                && !clock
                && !first.ends_with(':')
                && !["by", "posted", "share"].contains(&first)
                && crate::date::parse_date_line(text).is_none()
        })
}

/// Whether two texts share a word of four letters or more, in any case.
fn shares_a_word(a: &str, b: &str) -> bool {
    let words = |t: &str| -> Vec<String> {
        t.split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() >= 4)
            .map(str::to_lowercase)
            .collect()
    };
    let b = words(b);
    words(a).iter().any(|w| b.contains(w))
}

/// Strips a site name from a document title: "Title | Site", "Title - Site", "Site: Title".
fn clean_title(title: &str, site: Option<&str>, h1: Option<&str>) -> String {
    let title = collapse_whitespace(title);
    // The page's own heading, when the document title merely wraps it.
    if let Some(h1) = h1.filter(|h| h.split_whitespace().count() >= 2 && h.len() * 2 >= title.len())
    {
        if title.contains(h1) {
            return h1.to_string();
        }
    }
    let is_site = |s: &str| site.is_some_and(|n| s.trim().eq_ignore_ascii_case(n.trim()));
    for sep in [" | ", " — ", " – ", " - ", " :: ", " » ", ": "] {
        if let Some((left, right)) = title.rsplit_once(sep) {
            let short_tail = sep != ": " && right.split_whitespace().count() <= 3;
            if is_site(right) || short_tail {
                return left.trim().to_string();
            }
        }
        if let Some((left, right)) = title.split_once(sep) {
            if is_site(left) {
                return right.trim().to_string();
            }
        }
    }
    title
}

struct Lines<'d, 'a> {
    dom: &'d Dom<'a>,
    sel: &'d Selection,
    lines: Vec<(String, Zone, Option<u8>)>,
    raw: String,
    zone: Zone,
    heading: Option<u8>,
}

impl Lines<'_, '_> {
    fn zone_of(&self, id: u32) -> Zone {
        let i = id as usize;
        if self.sel.keep[i] {
            Zone::Main
        } else if self.sel.root.is_some() || self.sel.furniture[i] {
            Zone::Boilerplate
        } else {
            Zone::Unknown
        }
    }

    fn flush(&mut self) {
        if self.raw.trim().is_empty() {
            self.raw.clear();
            return;
        }
        let text = collapse_whitespace(&self.raw);
        self.raw.clear();
        let text = text.trim_matches('\u{ad}').to_string();
        if text.is_empty() {
            return;
        }
        let zone = if self.zone == Zone::Main && is_ad_label(&text) {
            Zone::Boilerplate
        } else {
            self.zone
        };
        self.lines.push((text, zone, self.heading));
    }

    fn walk(&mut self, id: u32, in_pre: bool) {
        for child in self.dom.children(id) {
            if !self.sel.live[child as usize] {
                continue;
            }
            match &self.dom.nodes[child as usize].data {
                Data::Text(_) => {
                    let zone = self.zone_of(child);
                    if zone != self.zone && !self.raw.trim().is_empty() {
                        self.flush();
                    }
                    self.zone = zone;
                    // Each text node is decoded on its own, as a browser does: a reference
                    // never spans two nodes.
                    let text = decode_entities_cow(self.dom.raw_text(child));
                    if in_pre && text.contains('\n') {
                        let mut parts = text.split('\n').peekable();
                        while let Some(part) = parts.next() {
                            self.raw.push_str(part);
                            if parts.peek().is_some() {
                                self.flush();
                            }
                        }
                    } else {
                        self.raw.push_str(&text);
                    }
                }
                Data::Element { tag, .. } => {
                    let tag = *tag;
                    if tag.is_block() {
                        self.flush();
                    }
                    let saved = self.heading;
                    if let Some(level) = tag.heading_level() {
                        self.heading = Some(level);
                    }
                    if tag == Tag::Img {
                        continue;
                    }
                    self.walk(child, in_pre || tag == Tag::Pre);
                    if tag.is_block() {
                        self.flush();
                    } else if !self.raw.ends_with(char::is_whitespace) && is_spaced_inline(tag) {
                        self.raw.push(' ');
                    }
                    self.heading = saved;
                }
            }
        }
    }
}

/// A line that only labels an advertisement slot: "Advertisement", "ADVERT", "Реклама".
fn is_ad_label(text: &str) -> bool {
    const LABELS: &[&str] = &[
        "advertisement",
        "advert",
        "advertising",
        "ad",
        "ads",
        "sponsored",
        "sponsored content",
        "story continues below advertisement",
        "article continues below advertisement",
        "continue reading below",
        "anzeige",
        "werbung",
        "publicidade",
        "publicidad",
        "publicité",
        "pubblicità",
        "реклама",
        "広告",
    ];
    text.chars().count() <= 40
        && LABELS.contains(
            &text
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
                .as_str(),
        )
}

/// Inline elements whose end separates words (table cells and the like are blocks already).
fn is_spaced_inline(tag: Tag) -> bool {
    matches!(tag, Tag::Label | Tag::Output | Tag::Q | Tag::Cite)
}

#[derive(Default)]
struct Meta {
    hints: Hints,
    h1: Option<String>,
    /// The page's headings and the elements its markup names a headline or title, in page
    /// order (up to [`HEADINGS_KEPT`]), each with its rank (see [`headline_rank`]): the
    /// candidates for the headline.
    headings: Vec<(u8, String)>,
    doc_title: Option<String>,
    og_title: Option<String>,
    time_datetime: Option<PartialDate>,
    meta_date: Option<PartialDate>,
    ld_date: Option<PartialDate>,
    ld_headline: Option<String>,
    ld_authors: Vec<String>,
    meta_authors: Vec<String>,
    byline_authors: Vec<String>,
    first_img: Option<String>,
}

impl Meta {
    fn meta(&mut self, dom: &Dom<'_>, id: u32) {
        let key = dom
            .attr(id, "property")
            .or_else(|| dom.attr(id, "name"))
            .or_else(|| dom.attr(id, "itemprop"));
        let (Some(key), Some(content)) = (key, dom.attr(id, "content")) else {
            return;
        };
        let content = content.trim();
        if content.is_empty() {
            return;
        }
        match key.to_ascii_lowercase().as_str() {
            "og:title" | "twitter:title" => {
                self.og_title.get_or_insert_with(|| content.to_string());
            }
            "og:site_name" | "application-name" => {
                self.hints
                    .site_name
                    .get_or_insert_with(|| content.to_string());
            }
            "og:image" | "twitter:image" | "og:image:url" | "og:image:secure_url" => {
                self.hints
                    .image_url
                    .get_or_insert_with(|| content.to_string());
            }
            "og:url" => {
                self.hints
                    .canonical_url
                    .get_or_insert_with(|| content.to_string());
            }
            "article:published_time"
            | "date"
            | "pubdate"
            | "publishdate"
            | "publish-date"
            | "dc.date"
            | "dc.date.issued"
            | "dcterms.date"
            | "datepublished"
            | "sailthru.date"
            | "parsely-pub-date"
            | "og:published_time"
                if self.meta_date.is_none() =>
            {
                self.meta_date = parse_any_date(content);
            }
            "author" | "article:author" | "dc.creator" | "parsely-author" | "sailthru.author"
                if !content.starts_with("http")
                    && !self.meta_authors.iter().any(|a| a == content) =>
            {
                self.meta_authors.push(content.to_string());
            }
            "og:locale" | "language" | "content-language" | "dc.language" => {
                self.hints.lang.get_or_insert_with(|| lang_code(content));
            }
            _ => {}
        }
    }

    fn json_ld(&mut self, text: &str) {
        let text = decode_cdata(text.trim());
        let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else {
            return;
        };
        self.visit_ld(&value, 0);
    }

    fn visit_ld(&mut self, v: &serde_json::Value, depth: usize) {
        if depth > 8 {
            return;
        }
        match v {
            serde_json::Value::Array(items) => {
                items.iter().for_each(|i| self.visit_ld(i, depth + 1))
            }
            serde_json::Value::Object(map) => {
                let kind = map.get("@type").map(|t| t.to_string()).unwrap_or_default();
                let is_article = ["Article", "NewsArticle", "BlogPosting", "Report", "Posting"]
                    .iter()
                    .any(|k| kind.contains(k));
                let is_page = kind.contains("WebPage");
                if is_article || is_page {
                    if let Some(h) = map.get("headline").and_then(|h| h.as_str()) {
                        if is_article || self.ld_headline.is_none() {
                            self.ld_headline = Some(h.trim().to_string());
                        }
                    }
                    if let Some(d) = map.get("datePublished").and_then(|d| d.as_str()) {
                        if self.ld_date.is_none() || is_article {
                            self.ld_date = parse_any_date(d).or(self.ld_date);
                        }
                    }
                    if let Some(a) = map.get("author") {
                        let names: Vec<String> =
                            ld_names(a).into_iter().filter(|n| !n.is_empty()).collect();
                        if self.ld_authors.is_empty() && !names.is_empty() {
                            self.ld_authors = names;
                        }
                    }
                }
                if let Some(graph) = map.get("@graph") {
                    self.visit_ld(graph, depth + 1);
                }
            }
            _ => {}
        }
    }

    fn read(&mut self, dom: &Dom<'_>, sel: &Selection) {
        let mut byline_end = 0u32;
        for id in 1..dom.nodes.len() as u32 {
            let Some(tag) = dom.tag(id) else {
                continue;
            };
            let live = sel.live[id as usize];
            match tag {
                Tag::Meta => self.meta(dom, id),
                Tag::Link => {
                    let rel = dom.attr(id, "rel").unwrap_or_default().to_ascii_lowercase();
                    if rel.split_whitespace().any(|r| r == "canonical") {
                        if let Some(href) = dom.attr(id, "href") {
                            self.hints.canonical_url = Some(href.trim().to_string());
                        }
                    }
                }
                Tag::Html => {
                    if let Some(lang) = dom.attr(id, "lang").filter(|l| !l.trim().is_empty()) {
                        self.hints.lang = Some(lang_code(&lang));
                    }
                }
                Tag::Title if self.doc_title.is_none() => {
                    self.doc_title = Some(dom.text_content(id)).filter(|t| !t.is_empty());
                }
                Tag::Script => {
                    let is_ld = dom
                        .attr_raw(id, "type")
                        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"));
                    if is_ld {
                        let text: String = dom.children(id).map(|c| dom.raw_text(c)).collect();
                        self.json_ld(&text);
                    }
                }
                Tag::Time if live && self.time_datetime.is_none() => {
                    self.time_datetime =
                        dom.attr(id, "datetime").as_deref().and_then(parse_any_date);
                }
                Tag::Img if live && sel.keep[id as usize] && self.first_img.is_none() => {
                    self.first_img = dom
                        .attr(id, "src")
                        .filter(|s| !s.starts_with("data:") && !s.trim().is_empty());
                }
                Tag::H1 if live && self.h1.is_none() && !sel.furniture[id as usize] => {
                    self.h1 = Some(dom.text_content(id)).filter(|t| !t.is_empty());
                }
                _ => {}
            }
            if live && self.headings.len() < HEADINGS_KEPT {
                if let Some(rank) = headline_rank(dom, id, tag) {
                    let text = dom.text_content(id);
                    if (2..=40).contains(&text.split_whitespace().count()) {
                        self.headings.push((rank, text));
                    }
                }
            }
            if live && id >= byline_end && self.byline_authors.is_empty() && is_byline(dom, id) {
                byline_end = dom.subtree_end(id);
                let text = dom.text_content(id);
                let name = strip_by(&text);
                if !name.is_empty()
                    && name.split_whitespace().count() <= 6
                    && !name.chars().any(|c| c.is_ascii_digit())
                {
                    self.byline_authors.push(name.to_string());
                }
            }
        }
    }
}

/// Words that name a desk or a role, not a person: "Staff", "Editorial Team", "Admin".
const NOT_A_PERSON: &[&str] = &[
    "staff",
    "team",
    "desk",
    "editor",
    "editors",
    "editorial",
    "admin",
    "administrator",
    "newsroom",
    "redaction",
    "redação",
    "редакция",
    "webmaster",
    "contributor",
    "contributors",
    "press",
    "office",
    "service",
    "services",
    "department",
];

/// A name as a person writes it: one to five words, capitalised, no digits, no desk words.
fn is_person_name(name: &str) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    (1..=5).contains(&words.len())
        && !name
            .chars()
            .any(|c| c.is_ascii_digit() || c == '@' || c == '/')
        && words.iter().all(|w| {
            let lower = w
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase();
            !NOT_A_PERSON.contains(&lower.as_str())
        })
        && words
            .iter()
            .any(|w| w.chars().next().is_some_and(|c| c.is_uppercase()))
}

/// Splits "Jane Doe and John Roe", "Jane Doe, John Roe" into names, "By" dropped.
fn split_names(list: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for entry in list {
        let entry = strip_by(&entry).to_string();
        for part in entry
            .split([',', ';', '&', '|'])
            .flat_map(|p| p.split(" and "))
        {
            let name = collapse_whitespace(part);
            if !name.is_empty() && !out.contains(&name) {
                out.push(name);
            }
        }
    }
    out
}

/// The authors, by trust (JSON-LD, then `<meta>`, then the visible byline): the first source
/// that names people; a desk name ("Staff") only when no source names a person.
fn choose_authors(sources: [Vec<String>; 3]) -> Vec<String> {
    let sources: Vec<Vec<String>> = sources.into_iter().map(split_names).collect();
    for names in &sources {
        let people: Vec<String> = names
            .iter()
            .filter(|n| is_person_name(n))
            .cloned()
            .collect();
        if !people.is_empty() {
            return people;
        }
    }
    sources
        .into_iter()
        .find(|a| !a.is_empty())
        .unwrap_or_default()
}

fn is_byline(dom: &Dom<'_>, id: u32) -> bool {
    if dom
        .attr_raw(id, "rel")
        .is_some_and(|r| r.eq_ignore_ascii_case("author"))
        || dom
            .attr_raw(id, "itemprop")
            .is_some_and(|r| r.eq_ignore_ascii_case("author"))
    {
        return true;
    }
    dom.attr_raw(id, "class").is_some_and(|c| {
        c.split_ascii_whitespace().any(|c| {
            [
                "author",
                "byline",
                "author-name",
                "byline__name",
                "article-author",
            ]
            .iter()
            .any(|name| c.eq_ignore_ascii_case(name))
        })
    })
}

fn strip_by(text: &str) -> &str {
    let t = text.trim();
    for prefix in ["By ", "by ", "BY ", "Автор: ", "Por ", "Von "] {
        if let Some(rest) = t.strip_prefix(prefix) {
            return rest.trim();
        }
    }
    t
}

/// `<![CDATA[ … ]]>` around a script body.
fn decode_cdata(s: &str) -> &str {
    s.strip_prefix("<![CDATA[")
        .and_then(|r| r.strip_suffix("]]>"))
        .map_or(s, str::trim)
}

/// Flattens an HTML page into lines and metadata. `url` is where the page was found; it and
/// the page's canonical URL make relative addresses absolute.
pub fn flatten(src: &str, url: Option<&str>) -> Flattened {
    let dom = dom::parse(src);
    let sel = readable::select(&dom);
    let mut lines = Lines {
        dom: &dom,
        sel: &sel,
        lines: Vec::new(),
        raw: String::new(),
        zone: Zone::Unknown,
        heading: None,
    };
    lines.walk(ROOT, false);
    lines.flush();
    let lines = lines.lines;

    let mut m = Meta::default();
    m.read(&dom, &sel);
    let site = m.hints.site_name.clone();
    // By trust, the first candidate that is not just the site's name.
    let not_site = |t: &String| {
        !t.is_empty()
            && !site
                .as_deref()
                .is_some_and(|s| t.eq_ignore_ascii_case(s.trim()))
    };
    // The headline is the part of a title that the page shows as a line, else a heading the
    // title holds, else the title without the site's name around it. A title longer than
    // any headline is only cleaned: looking for its parts in the page would cost its length
    // many times over.
    let titles = [&m.ld_headline, &m.og_title, &m.doc_title];
    let longest = titles
        .iter()
        .filter_map(|t| t.as_deref())
        .map(str::len)
        .filter(|&n| n <= MAX_HEADLINE_BYTES)
        .max()
        .unwrap_or(0);
    let mut shown: HashMap<String, u8> = HashMap::new();
    for (text, zone, heading) in &lines {
        // Only a line as short as a title can be a part of one.
        if text.len() > longest {
            continue;
        }
        let rank = match (zone, heading) {
            (Zone::Boilerplate, _) => 2,
            (_, Some(_)) => 0,
            _ => 1,
        };
        let r = shown
            .entry(collapse_whitespace(text).to_lowercase())
            .or_insert(rank);
        *r = (*r).min(rank);
    }
    // A line the markup calls a heading or a headline ranks as one.
    for (rank, text) in &m.headings {
        if *rank == 0 {
            shown.insert(collapse_whitespace(text).to_lowercase(), 0);
        }
    }
    let found = |t: &str| {
        if t.len() > MAX_HEADLINE_BYTES {
            return None;
        }
        shown_part(t, &shown)
            .map(collapse_whitespace)
            .or_else(|| heading_within(t, &m.headings).map(collapse_whitespace))
    };
    let cleaned =
        |t: &str| found(t).unwrap_or_else(|| clean_title(t, site.as_deref(), m.h1.as_deref()));
    let title = [m.ld_headline.clone(), m.og_title.clone()]
        .into_iter()
        .flatten()
        .map(|t| cleaned(&t))
        .find(not_site)
        .or_else(|| found(m.doc_title.as_deref()?))
        .or_else(|| m.h1.clone().filter(not_site))
        .or_else(|| m.doc_title.as_deref().map(cleaned).filter(not_site));
    // A title of a few words that shares none with the heading the article opens with names
    // the site, not the story ("The Sports Network" over "McDonald scores a pair as Blues
    // rout Jackets"): the heading is the headline.
    let headlines: HashSet<String> = m
        .headings
        .iter()
        .filter(|(rank, _)| *rank == 0)
        .map(|(_, text)| collapse_whitespace(text))
        .collect();
    // Only a document title is taken for the site's name: a page's own headline metadata is not.
    let from_metadata = m.ld_headline.is_some() || m.og_title.is_some();
    let title = match (title, opening_heading(&lines, &headlines)) {
        (Some(t), Some(h))
            if !from_metadata
                && t.split_whitespace().count() <= SITE_NAME_WORDS
                && !shares_a_word(&t, h) =>
        {
            Some(collapse_whitespace(h))
        }
        (t, _) => t,
    };
    m.hints.title = title;
    m.hints.published = m.ld_date.or(m.meta_date).or(m.time_datetime);
    m.hints.authors = choose_authors([m.ld_authors, m.meta_authors, m.byline_authors]);
    if m.hints.image_url.is_none() {
        m.hints.image_url = m.first_img;
    }
    let canonical = m
        .hints
        .canonical_url
        .as_deref()
        .and_then(|c| crate::url::resolve(url, c));
    let base = url.or(canonical.as_deref());
    let image = m
        .hints
        .image_url
        .as_deref()
        .and_then(|i| crate::url::resolve(base, i).or_else(|| Some(i.to_string())));
    if canonical.is_some() {
        m.hints.canonical_url = canonical;
    }
    m.hints.image_url = image;
    Flattened {
        lines,
        hints: m.hints,
        article_found: sel.root.is_some(),
        too_deep: dom.too_deep,
        too_many_nodes: dom.truncated,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokenizer_survives_malformed_markup() {
        let src = "<p class=x>one<br>two</p></div><b>three <i>four</b> & five < six <!-- gone --> <script>if (a<b) {}</script>";
        let f = flatten(src, None);
        let texts: Vec<&str> = f.lines.iter().map(|(t, _, _)| t.as_str()).collect();
        assert_eq!(texts, vec!["one", "two", "three four & five < six"]);
    }

    #[test]
    fn zones_and_metadata() {
        let src = r#"<html lang="ru-RU"><head><title>Союз МС-17 на старте | Новости</title>
            <meta property="og:site_name" content="Новости"><link rel="canonical" href="https://example.org/a/1">
            <script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2020-10-14T08:45:00+03:00","author":{"name":"Анна Смирнова"}}</script>
            </head><body><nav><a href="/">Главная</a></nav><article><h1>Союз МС-17 на старте</h1>
            <p>Текст&nbsp;статьи.</p><aside>Поделиться</aside></article><footer>© 2020</footer></body></html>"#;
        let f = flatten(src, None);
        assert_eq!(f.hints.title.as_deref(), Some("Союз МС-17 на старте"));
        assert_eq!(f.hints.lang.as_deref(), Some("ru"));
        assert_eq!(f.hints.authors, vec!["Анна Смирнова".to_string()]);
        assert_eq!(
            f.hints.published.map(|d| d.to_string()).as_deref(),
            Some("2020-10-14T08:45:00+03:00")
        );
        assert_eq!(
            f.hints.canonical_url.as_deref(),
            Some("https://example.org/a/1")
        );
        let zones: Vec<(&str, Zone)> = f.lines.iter().map(|(t, z, _)| (t.as_str(), *z)).collect();
        assert_eq!(
            zones,
            vec![
                ("Главная", Zone::Boilerplate),
                // The headline is the title, not a paragraph of the body.
                ("Союз МС-17 на старте", Zone::Boilerplate),
                ("Текст статьи.", Zone::Main),
                ("Поделиться", Zone::Boilerplate),
                ("© 2020", Zone::Boilerplate),
            ]
        );
    }

    #[test]
    fn byline_names_the_author_when_no_metadata_does() {
        let src = r#"<article><h1>Crew-8 arrives</h1><p class="byline">By <span>Daniel Harper</span></p><p>Text.</p></article>"#;
        assert_eq!(
            flatten(src, None).hints.authors,
            vec!["Daniel Harper".to_string()]
        );
    }

    #[test]
    fn paragraph_structure_is_kept() {
        let src = "<article><p>Crew-10 launched from Florida on a Falcon 9 rocket, and it docked a day later.</p>            <h2>What they carry</h2><ul><li>Food and water</li><li>Two new experiments</li></ul>            <blockquote>It was a smooth ride, the commander said after docking.</blockquote>            <p>Second<br>line</p></article>";
        let f = flatten(src, None);
        let main: Vec<(&str, Option<u8>)> = f
            .lines
            .iter()
            .filter(|(_, z, _)| *z == Zone::Main)
            .map(|(t, _, h)| (t.as_str(), *h))
            .collect();
        assert_eq!(
            main,
            vec![
                ("Crew-10 launched from Florida on a Falcon 9 rocket, and it docked a day later.", None),
                ("What they carry", Some(2)),
                ("Food and water", None),
                ("Two new experiments", None),
                ("It was a smooth ride, the commander said after docking.", None),
                ("Second", None),
                ("line", None),
            ]
        );
    }

    #[test]
    fn titles_lose_the_site_name_wherever_it_stands() {
        let site = Some("Orbital Desk");
        assert_eq!(
            clean_title("Crew-9 lands | Orbital Desk", site, None),
            "Crew-9 lands"
        );
        assert_eq!(
            clean_title("Orbital Desk: Soyuz MS-27 reaches the station", site, None),
            "Soyuz MS-27 reaches the station"
        );
        assert_eq!(
            clean_title("Orbital Desk - Soyuz MS-27 reaches the station", site, None),
            "Soyuz MS-27 reaches the station"
        );
        // A one-word heading elsewhere on the page does not replace the title.
        assert_eq!(
            clean_title("Soyuz MS-27 reaches the station", site, Some("News")),
            "Soyuz MS-27 reaches the station"
        );
        // A colon inside a headline is kept.
        assert_eq!(
            clean_title("Expedition 72: a new crew settles in", None, None),
            "Expedition 72: a new crew settles in"
        );
        // og:title that is only the site's name is not the title.
        let f = flatten(
            "<html><head><meta property=og:site_name content=\"Orbital Desk\"><meta property=og:title content=\"Orbital Desk\">\
             <title>Progress MS-29 docks | Orbital Desk</title></head><body><p>Text.</p></body></html>",
            None,
        );
        assert_eq!(f.hints.title.as_deref(), Some("Progress MS-29 docks"));
    }

    #[test]
    fn a_title_that_only_names_the_site_gives_way_to_the_opening_heading() {
        let title = |html: &str| flatten(html, None).hints.title;
        let page = |doc_title: &str, heading: &str| {
            format!(
                "<html><head><title>{doc_title}</title></head><body><div class=nav><a href=/>Home</a></div>\
                 <div class=story>{heading}<p>The cargo ship reached the station on Sunday after a two-day flight, \
                 and the crew opened its hatch the next morning, with a clause or two more.</p>\
                 <p>It brought food, water and experiments, and it will stay for a month.</p></div></body></html>"
            )
        };
        assert_eq!(
            title(&page(
                "The Orbit Network",
                "<h3>Cargo ship reaches the station</h3>"
            ))
            .as_deref(),
            Some("Cargo ship reaches the station")
        );
        // The markup's own headline class counts as a heading.
        assert_eq!(
            title(&page(
                "OrbitNews.com",
                "<span class=article_headline>Cargo ship reaches the station</span>"
            ))
            .as_deref(),
            Some("Cargo ship reaches the station")
        );
        // A dateline or a byline above the text is not a headline; a long title is a headline.
        for heading in [
            "<h3>Monday, October 22, 2012 3:29 PM</h3>",
            "<h3>By Ann Lee, staff writer</h3>",
        ] {
            assert_eq!(
                title(&page("The Orbit Network", heading)).as_deref(),
                Some("The Orbit Network"),
                "{heading}"
            );
        }
        assert_eq!(
            title(&page(
                "Crew opens the hatch of the new freighter",
                "<h3>Cargo ship reaches the station</h3>"
            ))
            .as_deref(),
            Some("Crew opens the hatch of the new freighter")
        );
    }

    #[test]
    fn the_headline_is_the_part_of_the_title_the_page_shows() {
        let title = |html: &str| flatten(html, None).hints.title;
        let body = "<p>The cargo ship reached the station on Sunday after a two-day flight, \
                    and the crew opened its hatch the next morning.</p>";
        // Site first, with a separator a headline may hold too; the page shows the headline.
        let page = format!(
            "<title>Orbit Weekly - Cargo ship reaches the station</title>\
             <div class=masthead>Orbit Weekly</div><b>Cargo ship reaches the station</b>{body}"
        );
        assert_eq!(
            title(&page).as_deref(),
            Some("Cargo ship reaches the station")
        );
        // A title the page shows whole stays whole, separator and all.
        let page = format!(
            "<title>Station log - the week in orbit</title><p>Station log - the week in orbit</p>{body}"
        );
        assert_eq!(
            title(&page).as_deref(),
            Some("Station log - the week in orbit")
        );
        // A headline marked so in the markup, which the title holds with the site's tagline.
        let page = format!(
            "<title>Cargo ship docks - Orbit Weekly - News of the station every day</title>\
             <div class=sitetitle>News of the station every day</div>\
             <div class=headline1>Cargo ship docks</div> 01/13/08 - <a href=/s>Station</a>{body}"
        );
        assert_eq!(title(&page).as_deref(), Some("Cargo ship docks"));
    }

    #[test]
    fn advertisement_labels_are_not_article_text() {
        assert!(is_ad_label("ADVERTISEMENT"));
        assert!(is_ad_label("- Реклама -"));
        assert!(!is_ad_label(
            "Advertisement revenue fell by a third in 2019."
        ));
        let f = flatten(
            "<article><p>The crew of Expedition 72 took on a cargo ship, and unloaded it over the week that followed.</p>\
             <div>Advertisement</div><p>The ship will stay at the station until the spring, and then leave with waste.</p></article>",
            None,
        );
        let main: Vec<&str> = f
            .lines
            .iter()
            .filter(|(_, z, _)| *z == Zone::Main)
            .map(|(t, _, _)| t.as_str())
            .collect();
        assert_eq!(main.len(), 2, "{main:?}");
    }

    #[test]
    fn entities_decode() {
        assert_eq!(
            decode_entities("a &amp; b &#8212; &#x41; &unknown; &"),
            "a & b — A &unknown; &"
        );
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let src = "<div>".repeat(100_000) + "deep" + &"</div>".repeat(100_000);
        let f = flatten(&src, None);
        assert!(f.too_deep);
        assert_eq!(f.lines.len(), 1);
    }
}
