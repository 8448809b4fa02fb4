//! HTML to lines: a small, forgiving tokenizer and a flattener that turns block elements into
//! lines, remembers which zone of the page each line came from, and collects the metadata the
//! page declares (`<title>`, OpenGraph, `<meta>`, JSON-LD, `<time>`, canonical link).
//!
//! No spec DOM is built: the flattener keeps a stack of open elements and nothing else, so
//! malformed markup (unclosed tags, stray end tags) degrades to slightly different lines, never
//! to an error. Nesting depth is capped so that hostile pages cannot make the stack grow
//! without bound.

use crate::date::{parse_date_line, PartialDate};
use crate::page::{Hints, Zone};

/// Deepest element nesting that is tracked; deeper elements are treated as inline.
pub const MAX_DEPTH: usize = 512;

#[derive(Debug, PartialEq, Eq)]
enum Token<'a> {
    Start {
        name: String,
        attrs: Vec<(String, String)>,
        self_closing: bool,
    },
    End {
        name: String,
    },
    Text(&'a str),
    /// The content of a raw-text element (`<script>`, `<style>`, `<title>`, `<textarea>`).
    Raw {
        name: String,
        attrs: Vec<(String, String)>,
        text: &'a str,
    },
}

struct Tokenizer<'a> {
    src: &'a str,
    pos: usize,
}

const RAW_TEXT: [&str; 7] = [
    "script", "style", "title", "textarea", "xmp", "noembed", "noframes",
];

impl<'a> Tokenizer<'a> {
    fn new(src: &'a str) -> Self {
        Tokenizer { src, pos: 0 }
    }

    fn find_ci(&self, from: usize, needle: &str) -> Option<usize> {
        let hay = self.src.as_bytes();
        let nee = needle.as_bytes();
        if nee.is_empty() || hay.len() < nee.len() {
            return None;
        }
        (from..=hay.len() - nee.len()).find(|&i| hay[i..i + nee.len()].eq_ignore_ascii_case(nee))
    }

    fn tag_name(&self, mut i: usize) -> (String, usize) {
        let bytes = self.src.as_bytes();
        let start = i;
        while i < bytes.len()
            && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'-' | b':' | b'_'))
        {
            i += 1;
        }
        (self.src[start..i].to_ascii_lowercase(), i)
    }

    /// Parses attributes from `i` up to the closing `>`; returns them, whether the tag was
    /// self-closing, and the index after `>`.
    fn attributes(&self, mut i: usize) -> (Vec<(String, String)>, bool, usize) {
        let bytes = self.src.as_bytes();
        let mut attrs = Vec::new();
        let mut self_closing = false;
        loop {
            while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
                self_closing = bytes[i] == b'/';
                i += 1;
            }
            if i >= bytes.len() {
                return (attrs, self_closing, i);
            }
            if bytes[i] == b'>' {
                return (attrs, self_closing, i + 1);
            }
            self_closing = false;
            let start = i;
            while i < bytes.len()
                && !bytes[i].is_ascii_whitespace()
                && !matches!(bytes[i], b'=' | b'>' | b'/')
            {
                i += 1;
            }
            if i == start {
                // A lone '=' or similar junk: skip it.
                i += 1;
                continue;
            }
            let name = self.src[start..i].to_ascii_lowercase();
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            let mut value = String::new();
            if i < bytes.len() && bytes[i] == b'=' {
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                if i < bytes.len() && (bytes[i] == b'"' || bytes[i] == b'\'') {
                    let quote = bytes[i];
                    let vstart = i + 1;
                    let vend = self.src[vstart..]
                        .bytes()
                        .position(|b| b == quote)
                        .map_or(bytes.len(), |p| vstart + p);
                    value = decode_entities(&self.src[vstart..vend]);
                    i = (vend + 1).min(bytes.len());
                } else {
                    let vstart = i;
                    while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
                        i += 1;
                    }
                    value = decode_entities(&self.src[vstart..i]);
                }
            }
            if attrs.len() < 64 {
                attrs.push((name, value));
            }
        }
    }
}

impl<'a> Iterator for Tokenizer<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        let bytes = self.src.as_bytes();
        loop {
            if self.pos >= bytes.len() {
                return None;
            }
            let start = self.pos;
            if bytes[start] != b'<' {
                let end = self.src[start..]
                    .find('<')
                    .map_or(bytes.len(), |p| start + p);
                self.pos = end;
                return Some(Token::Text(&self.src[start..end]));
            }
            let next = bytes.get(start + 1).copied().unwrap_or(b' ');
            if self.src[start..].starts_with("<!--") {
                self.pos = self
                    .find_ci(start + 4, "-->")
                    .map_or(bytes.len(), |p| p + 3);
                continue;
            }
            if next == b'!' || next == b'?' {
                self.pos = self.src[start..]
                    .find('>')
                    .map_or(bytes.len(), |p| start + p + 1);
                continue;
            }
            if next == b'/' {
                let (name, after) = self.tag_name(start + 2);
                self.pos = self.src[after..]
                    .find('>')
                    .map_or(bytes.len(), |p| after + p + 1);
                if name.is_empty() {
                    continue;
                }
                return Some(Token::End { name });
            }
            if !next.is_ascii_alphabetic() {
                // A bare '<' in text.
                let end = self.src[start + 1..]
                    .find('<')
                    .map_or(bytes.len(), |p| start + 1 + p);
                self.pos = end;
                return Some(Token::Text(&self.src[start..end]));
            }
            let (name, after) = self.tag_name(start + 1);
            let (attrs, self_closing, after) = self.attributes(after);
            self.pos = after;
            if RAW_TEXT.contains(&name.as_str()) && !self_closing {
                let close = format!("</{name}");
                let end = self.find_ci(after, &close).unwrap_or(bytes.len());
                self.pos = self.src[end..]
                    .find('>')
                    .map_or(bytes.len(), |p| end + p + 1);
                return Some(Token::Raw {
                    name,
                    attrs,
                    text: &self.src[after..end],
                });
            }
            return Some(Token::Start {
                name,
                attrs,
                self_closing,
            });
        }
    }
}

/// Decodes character references: numeric ones and the named ones news pages use.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
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
    out
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
        _ => return None,
    })
}

const BLOCK: [&str; 40] = [
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "br",
    "caption",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "td",
    "th",
    "tr",
    "ul",
    "html",
    "time",
];

/// Elements whose whole content is never text of the page.
const SKIPPED: [&str; 11] = [
    "head", "svg", "math", "template", "iframe", "object", "canvas", "noscript", "select",
    "button", "video",
];

const VOID: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

struct Open {
    name: String,
    zone: Option<Zone>,
    skip: bool,
    byline: bool,
}

/// The flattened page: lines with their zone and heading level, and the page's own metadata.
pub struct Flattened {
    pub lines: Vec<(String, Zone, Option<u8>)>,
    pub hints: Hints,
}

fn attr<'v>(attrs: &'v [(String, String)], name: &str) -> Option<&'v str> {
    attrs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

const BOILERPLATE_CLASSES: [&str; 12] = [
    "menu",
    "navbar",
    "sidebar",
    "breadcrumb",
    "share",
    "social",
    "cookie",
    "related",
    "comments",
    "subscribe",
    "footer",
    "banner",
];

fn zone_of(name: &str, attrs: &[(String, String)], inside_main: bool) -> Option<Zone> {
    let role = attr(attrs, "role").unwrap_or("");
    if matches!(name, "article" | "main")
        || role == "main"
        || attr(attrs, "itemprop") == Some("articleBody")
    {
        return Some(Zone::Main);
    }
    if matches!(name, "nav" | "aside" | "form")
        || matches!(
            role,
            "navigation" | "banner" | "contentinfo" | "complementary" | "search"
        )
        || (!inside_main && matches!(name, "header" | "footer"))
    {
        return Some(Zone::Boilerplate);
    }
    let classes = format!(
        "{} {}",
        attr(attrs, "class").unwrap_or(""),
        attr(attrs, "id").unwrap_or("")
    )
    .to_lowercase();
    let boiler = classes
        .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
        .any(|w| BOILERPLATE_CLASSES.contains(&w));
    boiler.then_some(Zone::Boilerplate)
}

struct Flattener {
    lines: Vec<(String, Zone, Option<u8>)>,
    current: String,
    stack: Vec<Open>,
    hints: Hints,
    h1: Option<String>,
    doc_title: Option<String>,
    og_title: Option<String>,
    time_datetime: Option<PartialDate>,
    meta_date: Option<PartialDate>,
    ld_date: Option<PartialDate>,
    ld_headline: Option<String>,
    ld_authors: Vec<String>,
    meta_authors: Vec<String>,
    byline_authors: Vec<String>,
    byline_text: Option<String>,
}

impl Flattener {
    fn zone(&self) -> Zone {
        // The innermost explicit zone wins: an <aside> inside an <article> is boilerplate.
        self.stack
            .iter()
            .rev()
            .find_map(|o| o.zone)
            .unwrap_or(Zone::Unknown)
    }

    fn inside_main(&self) -> bool {
        self.stack.iter().any(|o| o.zone == Some(Zone::Main))
    }

    fn skipping(&self) -> bool {
        self.stack.iter().any(|o| o.skip)
    }

    fn heading(&self) -> Option<u8> {
        self.stack.iter().rev().find_map(|o| {
            let b = o.name.as_bytes();
            (b.len() == 2 && b[0] == b'h' && (b'1'..=b'6').contains(&b[1])).then(|| b[1] - b'0')
        })
    }

    fn flush(&mut self) {
        let text: String = self
            .current
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        self.current.clear();
        let text = text
            .trim_matches(|c: char| c.is_whitespace() || c == '\u{ad}')
            .to_string();
        if text.is_empty() {
            return;
        }
        let heading = self.heading();
        if heading == Some(1)
            && self.h1.is_none()
            && (self.inside_main() || self.zone() != Zone::Boilerplate)
        {
            self.h1 = Some(text.clone());
        }
        let zone = self.zone();
        self.lines.push((text, zone, heading));
    }

    fn text(&mut self, s: &str) {
        if self.skipping() {
            return;
        }
        let decoded = decode_entities(s);
        if let Some(buf) = self.byline_text.as_mut() {
            buf.push_str(&decoded);
        }
        // <pre> keeps its line breaks.
        if self.stack.iter().any(|o| o.name == "pre") && decoded.contains('\n') {
            let mut parts = decoded.split('\n').peekable();
            while let Some(part) = parts.next() {
                self.current.push_str(part);
                if parts.peek().is_some() {
                    self.flush();
                }
            }
        } else {
            self.current.push_str(&decoded);
        }
    }

    fn meta(&mut self, attrs: &[(String, String)]) {
        let key = attr(attrs, "property")
            .or_else(|| attr(attrs, "name"))
            .or_else(|| attr(attrs, "itemprop"));
        let (Some(key), Some(content)) = (key, attr(attrs, "content")) else {
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
            "og:image" | "twitter:image" | "og:image:url" => {
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
            | "dc.date"
            | "dc.date.issued"
            | "datepublished"
            | "sailthru.date"
            | "parsely-pub-date"
                if self.meta_date.is_none() =>
            {
                self.meta_date = parse_any_date(content);
            }
            "author" | "article:author" | "dc.creator" | "parsely-author"
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
        let Ok(value) = serde_json::from_str::<serde_json::Value>(text.trim()) else {
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
                let is_article = ["Article", "NewsArticle", "BlogPosting", "Report", "WebPage"]
                    .iter()
                    .any(|k| kind.contains(k));
                if is_article {
                    if let Some(h) = map.get("headline").and_then(|h| h.as_str()) {
                        self.ld_headline.get_or_insert_with(|| h.trim().to_string());
                    }
                    if let Some(d) = map.get("datePublished").and_then(|d| d.as_str()) {
                        if self.ld_date.is_none() {
                            self.ld_date = parse_any_date(d);
                        }
                    }
                    if let Some(a) = map.get("author") {
                        let names = ld_names(a);
                        if self.ld_authors.is_empty() {
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

    fn start(&mut self, name: String, attrs: Vec<(String, String)>, self_closing: bool) {
        match name.as_str() {
            "meta" => return self.meta(&attrs),
            "link" => {
                let rel = attr(&attrs, "rel").unwrap_or("").to_ascii_lowercase();
                if rel.split_whitespace().any(|r| r == "canonical") {
                    if let Some(href) = attr(&attrs, "href") {
                        self.hints.canonical_url = Some(href.trim().to_string());
                    }
                }
                return;
            }
            "html" => {
                if let Some(lang) = attr(&attrs, "lang").filter(|l| !l.trim().is_empty()) {
                    self.hints.lang = Some(lang_code(lang));
                }
            }
            "img" if self.hints.image_url.is_none() && self.inside_main() && !self.skipping() => {
                self.hints.image_url = attr(&attrs, "src").map(str::to_string);
            }
            "time" if self.time_datetime.is_none() && !self.skipping() => {
                self.time_datetime = attr(&attrs, "datetime").and_then(parse_any_date);
            }
            _ => {}
        }
        if BLOCK.contains(&name.as_str()) {
            self.flush();
        }
        if VOID.contains(&name.as_str()) || self_closing {
            return;
        }
        if self.stack.len() >= MAX_DEPTH {
            return;
        }
        let hidden = attrs
            .iter()
            .any(|(k, v)| k == "hidden" || (k == "aria-hidden" && v == "true"));
        let skip = SKIPPED.contains(&name.as_str()) || hidden;
        let zone = zone_of(&name, &attrs, self.inside_main());
        let rel = attr(&attrs, "rel").unwrap_or("");
        let class = attr(&attrs, "class").unwrap_or("").to_ascii_lowercase();
        let byline = rel == "author"
            || class
                .split_whitespace()
                .any(|c| c == "author" || c == "byline" || c == "author-name");
        if byline && self.byline_text.is_none() {
            self.byline_text = Some(String::new());
        }
        self.stack.push(Open {
            name,
            zone,
            skip,
            byline,
        });
    }

    fn end(&mut self, name: &str) {
        // Close up to the matching element; an end tag with no open element is ignored.
        let Some(pos) = self.stack.iter().rposition(|o| o.name == name) else {
            return;
        };
        if BLOCK.contains(&name)
            || self.stack[pos..]
                .iter()
                .any(|o| BLOCK.contains(&o.name.as_str()))
        {
            self.flush();
        }
        let closed: Vec<Open> = self.stack.drain(pos..).collect();
        // A byline element just closed: its whole text, "By" dropped, names the author.
        if closed.iter().any(|o| o.byline) && !self.stack.iter().any(|o| o.byline) {
            if let Some(text) = self.byline_text.take() {
                let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                let name = text
                    .trim_start_matches("By ")
                    .trim_start_matches("by ")
                    .trim();
                if !name.is_empty()
                    && name.split_whitespace().count() <= 6
                    && self.byline_authors.is_empty()
                {
                    self.byline_authors.push(name.to_string());
                }
            }
        }
    }
}

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

/// Strips a site name from a document title: "Title | Site", "Title - Site", "Site: Title".
fn clean_title(title: &str, site: Option<&str>, h1: Option<&str>) -> String {
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some(h1) = h1 {
        if title.contains(h1) {
            return h1.to_string();
        }
    }
    for sep in [" | ", " — ", " – ", " - ", " :: ", " » "] {
        if let Some((left, right)) = title.rsplit_once(sep) {
            if site.is_some_and(|s| right.trim().eq_ignore_ascii_case(s.trim()))
                || right.split_whitespace().count() <= 3
            {
                return left.trim().to_string();
            }
        }
    }
    title
}

/// Flattens an HTML page into lines and metadata.
pub fn flatten(src: &str) -> Flattened {
    let mut f = Flattener {
        lines: Vec::new(),
        current: String::new(),
        stack: Vec::new(),
        hints: Hints::default(),
        h1: None,
        doc_title: None,
        og_title: None,
        time_datetime: None,
        meta_date: None,
        ld_date: None,
        ld_headline: None,
        ld_authors: Vec::new(),
        meta_authors: Vec::new(),
        byline_authors: Vec::new(),
        byline_text: None,
    };
    for token in Tokenizer::new(src) {
        match token {
            Token::Text(t) => f.text(t),
            Token::Start {
                name,
                attrs,
                self_closing,
            } => f.start(name, attrs, self_closing),
            Token::End { name } => f.end(&name),
            Token::Raw { name, attrs, text } => match name.as_str() {
                "title" if f.doc_title.is_none() => {
                    f.doc_title =
                        Some(decode_entities(text).trim().to_string()).filter(|t| !t.is_empty());
                }
                "script"
                    if attr(&attrs, "type")
                        .is_some_and(|t| t.eq_ignore_ascii_case("application/ld+json")) =>
                {
                    f.json_ld(text);
                }
                "textarea" | "xmp" if !f.skipping() => {
                    f.flush();
                    f.text(text);
                    f.flush();
                }
                _ => {}
            },
        }
    }
    f.flush();

    let site = f.hints.site_name.clone();
    let title = f
        .ld_headline
        .clone()
        .or_else(|| f.og_title.clone())
        .map(|t| clean_title(&t, site.as_deref(), f.h1.as_deref()))
        .or_else(|| f.h1.clone())
        .or_else(|| {
            f.doc_title
                .as_deref()
                .map(|t| clean_title(t, site.as_deref(), None))
        });
    f.hints.title = title;
    f.hints.published = f.ld_date.or(f.meta_date).or(f.time_datetime);
    f.hints.authors = [f.ld_authors, f.meta_authors, f.byline_authors]
        .into_iter()
        .find(|a| !a.is_empty())
        .unwrap_or_default();
    Flattened {
        lines: f.lines,
        hints: f.hints,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokenizer_survives_malformed_markup() {
        let src = "<p class=x>one<br>two</p></div><b>three <i>four</b> & five < six <!-- gone --> <script>if (a<b) {}</script>";
        let f = flatten(src);
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
        let f = flatten(src);
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
                ("Союз МС-17 на старте", Zone::Main),
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
            flatten(src).hints.authors,
            vec!["Daniel Harper".to_string()]
        );
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
        let f = flatten(&src);
        assert_eq!(f.lines.len(), 1);
    }
}
