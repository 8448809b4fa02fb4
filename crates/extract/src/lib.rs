//! korolev's extraction core: the bytes of one page in, its article and structured blocks out.
//!
//! Pure and deterministic: no I/O, no clocks, no global state. The caller reads files or
//! fetches pages and hands over bytes; this crate decides the charset, tells HTML from text,
//! drops the page furniture, finds title, date, authors and language, and parses the blocks a
//! spaceflight page carries (mission box, launch ticker). What the names in those blocks *mean*
//! is decided by `korolev-facts`.

pub mod blocks;
pub mod charset;
pub mod date;
pub mod dom;
pub mod eval;
pub mod furniture;
pub mod html;
pub mod page;
pub mod readable;
pub mod url;

pub use blocks::{Block, CrewEntry, CrewRole, LaunchEntry, LaunchStatus, MissionBox, Spanned};
pub use date::{DatePrecision, PartialDate};
pub use page::{Article, Paragraph, Span};

/// Name and version of this extractor, recorded with every claim it gives rise to.
pub const EXTRACTOR: &str = "korolev-extract";
pub const EXTRACTOR_VERSION: &str = "1";

/// Largest document accepted, in bytes. Bigger inputs get [`ExtractError::TooLarge`].
pub const MAX_DOCUMENT_BYTES: usize = 32 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Text,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Text => "text",
        }
    }
}

/// Why a document could not be extracted. The caller names the input when it reports one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    #[error("the document is empty")]
    Empty,
    #[error("the document is binary data, not text or HTML")]
    Binary,
    #[error("the document is {:.1} MB, over the {:.1} MB limit", *size as f64 / 1e6, *limit as f64 / 1e6)]
    TooLarge { size: usize, limit: usize },
    #[error("the document has no readable text")]
    NoText,
    #[error("the document nests elements deeper than {limit} levels")]
    TooDeep { limit: usize },
    #[error("the document has more than {limit} HTML nodes")]
    TooManyNodes { limit: usize },
}

/// What the caller knows about a document besides its bytes.
#[derive(Debug, Clone, Default)]
pub struct Input<'a> {
    pub bytes: &'a [u8],
    /// File name or URL: its extension helps tell HTML from text.
    pub name: &'a str,
    /// HTTP `Content-Type`, when fetched.
    pub content_type: Option<&'a str>,
    /// Where the page was found: relative links in its metadata are resolved against it, and
    /// an absolute http(s) URL stands for the page's canonical URL when the page names none.
    pub url: Option<&'a str>,
    /// The page's publication date as the caller knows it (a feed's date, `--published-at`):
    /// it takes the place of any date read from the page.
    pub published: Option<PartialDate>,
}

/// One extracted document.
#[derive(Debug, Clone)]
pub struct Extracted {
    pub format: Format,
    pub encoding: &'static str,
    /// Byte sequences that were invalid in the detected charset and were replaced.
    pub replaced_bytes: usize,
    /// The page as lines; every span points into it.
    pub page_text: String,
    pub article: Article,
    pub blocks: Vec<Block>,
}

/// Tells HTML from text: by the name's extension, the content type, then the first bytes.
pub fn sniff_format(input: &Input<'_>, text: &str) -> Format {
    let name = input.name.to_ascii_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    if name.ends_with(".html") || name.ends_with(".htm") || name.ends_with(".xhtml") {
        return Format::Html;
    }
    if name.ends_with(".txt") {
        return Format::Text;
    }
    if input
        .content_type
        .is_some_and(|c| dom::contains_ignore_ascii_case(c, "html"))
    {
        return Format::Html;
    }
    let head: String = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .take(512)
        .collect::<String>()
        .to_ascii_lowercase();
    if head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || head.starts_with("<?xml") && head.contains("<html")
    {
        return Format::Html;
    }
    let tags = [
        "<head", "<body", "<div", "<p>", "<p ", "<article", "<title", "<meta ",
    ];
    if head.starts_with('<') && tags.iter().any(|t| head.contains(t)) {
        return Format::Html;
    }
    Format::Text
}

/// Extracts one document.
pub fn extract(input: &Input<'_>) -> Result<Extracted, ExtractError> {
    let bytes = input.bytes;
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(ExtractError::TooLarge {
            size: bytes.len(),
            limit: MAX_DOCUMENT_BYTES,
        });
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ExtractError::Empty);
    }
    if charset::looks_binary(bytes) {
        return Err(ExtractError::Binary);
    }
    let declared = input
        .content_type
        .and_then(charset::from_content_type)
        .or_else(|| {
            let probably_html = sniff_format(
                input,
                &String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]),
            ) == Format::Html;
            if probably_html {
                charset::declared_in_html(bytes)
            } else {
                None
            }
        });
    let decoded = charset::decode(bytes, declared);
    let format = sniff_format(input, &decoded.text);
    let (raw_lines, hints, trusted) = match format {
        Format::Html => {
            let flat = html::flatten(&decoded.text, input.url);
            if flat.too_deep {
                return Err(ExtractError::TooDeep {
                    limit: dom::MAX_DEPTH,
                });
            }
            if flat.too_many_nodes {
                return Err(ExtractError::TooManyNodes {
                    limit: dom::MAX_NODES,
                });
            }
            (flat.lines, flat.hints, flat.article_found)
        }
        Format::Text => {
            let lines = decoded
                .text
                .trim_start_matches('\u{feff}')
                .lines()
                .map(|l| (l.trim_end().to_string(), page::Zone::Unknown, None))
                .collect();
            (lines, page::Hints::default(), false)
        }
    };
    let (lines, page_text) = page::number_lines(raw_lines);
    if lines.iter().all(|l| l.text.trim().is_empty()) {
        return Err(ExtractError::NoText);
    }
    let (mut article, blocks) = page::segment(&lines, hints, trusted);
    if let Some(date) = input.published {
        article.published = Some(date);
    }
    if article.canonical_url.is_none() {
        article.canonical_url = input.url.filter(|u| url::is_web_url(u)).map(str::to_string);
    }
    if article.lang.is_none() {
        // Some hundreds of characters tell the language as well as the whole body does.
        let mut sample = article.title.clone().unwrap_or_default();
        for p in &article.paragraphs {
            if sample.len() >= 800 {
                break;
            }
            sample.push('\n');
            sample.push_str(&p.text);
        }
        article.lang = detect_lang(&sample);
    }
    Ok(Extracted {
        format,
        encoding: decoded.encoding,
        replaced_bytes: decoded.replaced,
        page_text,
        article,
        blocks,
    })
}

/// The language of a text as an ISO 639-1 code where one exists, when detection is reliable.
pub fn detect_lang(text: &str) -> Option<String> {
    let end = text.char_indices().nth(800).map_or(text.len(), |(i, _)| i);
    let info = whatlang::detect(&text[..end])?;
    if !info.is_reliable() {
        return None;
    }
    let code = info.lang().code();
    let two = match code {
        "eng" => "en",
        "rus" => "ru",
        "ukr" => "uk",
        "deu" => "de",
        "fra" => "fr",
        "spa" => "es",
        "ita" => "it",
        "por" => "pt",
        "jpn" => "ja",
        "cmn" => "zh",
        "kor" => "ko",
        "pol" => "pl",
        "nld" => "nl",
        "bel" => "be",
        "bul" => "bg",
        "kaz" => "kk",
        other => other,
    };
    Some(two.to_string())
}

/// Whether a body sent with this HTTP content type is a page korolev reads (HTML, XHTML, plain
/// text, XML); an empty type is tried.
pub fn is_page_type(content_type: &str) -> bool {
    let t = content_type.split(';').next().unwrap_or("").trim();
    [
        "",
        "text/html",
        "application/xhtml+xml",
        "text/plain",
        "application/xml",
        "text/xml",
    ]
    .iter()
    .any(|k| t.eq_ignore_ascii_case(k))
}
