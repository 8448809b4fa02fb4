//! A page as lines, and the split of those lines into article, blocks and furniture.
//!
//! Both text dumps and HTML arrive here as lines (HTML after flattening, with the zone each
//! line came from). Blocks are found first, then furniture, then the article's title and date
//! and its body. Positions are character offsets into the page text: the lines joined by
//! `\n`, which is what evidence spans point into.

use crate::blocks::{parse_launch_entry, parse_mission_box, Block};
use crate::date::{parse_date_line, DatePrecision, PartialDate};
use crate::furniture;

/// Where in an HTML page a line came from. Text pages have only `Unknown`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    Unknown,
    /// Inside `<article>`, `<main>` or an element marked as the article body.
    Main,
    /// Inside `<nav>`, `<aside>`, a page-level `<header>`/`<footer>`, or a form.
    Boilerplate,
}

/// A range of the page text in characters, and the 1-based line it starts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub line: usize,
}

impl Span {
    pub fn cover(a: Span, b: Span) -> Span {
        Span {
            start: a.start.min(b.start),
            end: a.end.max(b.end),
            line: a.line.min(b.line),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    pub zone: Zone,
    /// 1–6 for a heading line of HTML.
    pub heading: Option<u8>,
    /// 1-based line number in the page text.
    pub number: usize,
    /// Character offset of the line's first character in the page text.
    pub start: usize,
}

impl Line {
    pub fn span(&self) -> Span {
        Span {
            start: self.start,
            end: self.start + self.text.chars().count(),
            line: self.number,
        }
    }

    /// The span of `len` bytes of this line's text from byte `at`.
    pub fn sub_span(&self, at: usize, len: usize) -> Span {
        let before = self.text.get(..at).map_or(0, |s| s.chars().count());
        let inside = self.text.get(at..at + len).map_or(0, |s| s.chars().count());
        Span {
            start: self.start + before,
            end: self.start + before + inside,
            line: self.number,
        }
    }
}

/// Builds numbered lines from `(text, zone, heading)` triples and returns them with the page
/// text they index into.
pub fn number_lines(raw: Vec<(String, Zone, Option<u8>)>) -> (Vec<Line>, String) {
    let mut lines = Vec::with_capacity(raw.len());
    let mut page = String::new();
    let mut offset = 0;
    for (i, (text, zone, heading)) in raw.into_iter().enumerate() {
        if i > 0 {
            page.push('\n');
            offset += 1;
        }
        page.push_str(&text);
        let len = text.chars().count();
        lines.push(Line {
            text,
            zone,
            heading,
            number: i + 1,
            start: offset,
        });
        offset += len;
    }
    (lines, page)
}

/// One paragraph of the article body and where it stands in the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    pub text: String,
    pub span: Span,
}

/// What a page's own markup says about it (HTML `<meta>`, JSON-LD, `<time>`); text pages
/// have none of it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hints {
    pub title: Option<String>,
    pub published: Option<PartialDate>,
    pub authors: Vec<String>,
    pub lang: Option<String>,
    pub site_name: Option<String>,
    pub canonical_url: Option<String>,
    pub image_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    pub title: Option<String>,
    pub title_span: Option<Span>,
    pub published: Option<PartialDate>,
    pub authors: Vec<String>,
    pub lang: Option<String>,
    pub site_name: Option<String>,
    pub canonical_url: Option<String>,
    pub image_url: Option<String>,
    pub paragraphs: Vec<Paragraph>,
}

impl Article {
    /// The clean body: paragraphs separated by blank lines.
    pub fn body(&self) -> String {
        let mut out = String::new();
        for (i, p) in self.paragraphs.iter().enumerate() {
            if i > 0 {
                out.push_str("\n\n");
            }
            out.push_str(&p.text);
        }
        out
    }
}

/// A line that could be an article's title: a short capitalised line that does not end like
/// a sentence fragment and is not a date.
pub fn title_like(text: &str) -> bool {
    let t = text.trim();
    let chars = t.chars().take(221).count();
    let words = t.split_whitespace().take(33).count();
    (8..=220).contains(&chars)
        && (2..=32).contains(&words)
        && !t.ends_with([',', ';', ':', '.', '-', '–'])
        && t.chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || "\"«“'".contains(c))
        && parse_date_line(t).is_none()
}

/// "By Jane Doe", "Author: Jane Doe", "Автор: Иван Петров" → the names.
fn byline(text: &str) -> Option<Vec<String>> {
    let t = text.trim();
    let rest = [
        "By ",
        "by ",
        "Author: ",
        "Authors: ",
        "Автор: ",
        "Авторы: ",
        "Текст: ",
    ]
    .iter()
    .find_map(|p| t.strip_prefix(p))?;
    let names: Vec<String> = rest
        .split([',', '&'])
        .flat_map(|s| s.split(" and "))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    let plausible = !names.is_empty()
        && names.iter().all(|n| {
            n.split_whitespace().count() <= 5 && n.chars().next().is_some_and(char::is_uppercase)
        });
    plausible.then_some(names)
}

/// Splits numbered lines into the article and the page's blocks. When `trusted_main` is set,
/// the lines in [`Zone::Main`] are an article chosen from the markup: the text-page furniture
/// rules are not applied to them.
pub fn segment(lines: &[Line], hints: Hints, trusted_main: bool) -> (Article, Vec<Block>) {
    let n = lines.len();
    let mut used = vec![false; n];
    let mut blocks = Vec::new();

    // 1. Blocks, anywhere on the page.
    let mut i = 0;
    while i < n {
        if let Some((mbox, end)) = parse_mission_box(lines, i) {
            used[i..end].iter_mut().for_each(|u| *u = true);
            blocks.push(Block::MissionBox(mbox));
            i = end;
            continue;
        }
        if let Some((entry, first)) = parse_launch_entry(lines, i) {
            used[first..=i].iter_mut().for_each(|u| *u = true);
            blocks.push(Block::Launch(entry));
        }
        i += 1;
    }

    // 2. Furniture.
    // An article chosen from markup is checked for furniture on its own lines only: markup
    // cannot say that a plain paragraph reads "Share" or "Previous story".
    let marks = if trusted_main {
        let main: Vec<usize> = (0..n).filter(|&i| lines[i].zone == Zone::Main).collect();
        let sub: Vec<Line> = main.iter().map(|&i| lines[i].clone()).collect();
        let sub_marks = furniture::mark(&sub);
        let mut marks = furniture::Marks {
            furniture: vec![None; n],
            ends_article: vec![false; n],
        };
        for (k, &i) in main.iter().enumerate() {
            marks.furniture[i] = sub_marks.furniture[k];
            marks.ends_article[i] = sub_marks.ends_article[k];
        }
        marks
    } else {
        furniture::mark(lines)
    };
    let has_main = lines
        .iter()
        .any(|l| l.zone == Zone::Main && !l.text.trim().is_empty());
    let candidate = |i: usize| {
        !used[i]
            && marks.furniture[i].is_none()
            && !lines[i].text.trim().is_empty()
            && if has_main {
                lines[i].zone == Zone::Main
            } else {
                lines[i].zone != Zone::Boilerplate
            }
    };
    // The article ends at the first prev/next link or comment prompt after it started.
    let mut cands: Vec<usize> = Vec::new();
    for i in 0..n {
        if marks.ends_article[i] && !cands.is_empty() && !trusted_main {
            break;
        }
        if candidate(i) {
            cands.push(i);
        }
    }

    // 3. Title, date and byline.
    let mut title = hints.title.clone();
    let mut title_idx: Option<usize> = None;
    let mut published = hints.published;
    let mut date_idx: Option<usize> = None;
    let date_pos = cands
        .iter()
        .position(|&i| parse_date_line(&lines[i].text).is_some());
    if let Some(p) = date_pos {
        date_idx = Some(p);
        if published.is_none() {
            published = parse_date_line(&lines[cands[p]].text);
        }
    }
    if let Some(t) = &title {
        title_idx = cands.iter().position(|&i| same_text(&lines[i].text, t));
    } else if let Some(p) = date_pos {
        // The title stands just above the date, or (on some sites) just below it.
        let above = (p.saturating_sub(2)..p)
            .rev()
            .find(|&q| title_like(&lines[cands[q]].text));
        let below = (p + 1..(p + 3).min(cands.len())).find(|&q| title_like(&lines[cands[q]].text));
        title_idx = above.or(below);
    } else if let Some(&first) = cands.first() {
        // No date line: a title-like first line followed by a longer paragraph.
        let longer_follows = cands
            .get(1)
            .is_some_and(|&s| lines[s].text.trim().chars().count() > 80);
        if title_like(&lines[first].text) && longer_follows {
            title_idx = Some(0);
        }
    }
    if title.is_none() {
        title = title_idx.map(|q| lines[cands[q]].text.trim().to_string());
    }
    let title_span = title_idx.map(|q| lines[cands[q]].span());

    // 4. Body: after the title and the date when they head the page, minus their repeats.
    // In an article chosen from markup, a title far down is a caption or a repeat: it is
    // dropped below, but does not cut what comes before it.
    if trusted_main && title_idx.is_some_and(|t| t > 2) {
        title_idx = None;
    }
    let header_end = match (title_idx, date_idx) {
        (Some(t), Some(d)) if d <= t + 2 && t <= d + 2 => t.max(d) + 1,
        (Some(t), _) => t + 1,
        (None, Some(d)) if d <= 2 => d + 1,
        _ => 0,
    };
    let mut authors = hints.authors;
    let mut paragraphs = Vec::new();
    for (k, &i) in cands.iter().enumerate().skip(header_end) {
        let text = lines[i].text.trim();
        if title.as_deref().is_some_and(|t| same_text(text, t)) || Some(k) == date_idx {
            continue;
        }
        if k < header_end + 3 && paragraphs.is_empty() {
            if let Some(names) = byline(text) {
                if authors.is_empty() {
                    authors = names;
                }
                continue;
            }
        }
        paragraphs.push(Paragraph {
            text: text.to_string(),
            span: lines[i].span(),
        });
    }
    // A stray date line inside the header region of an HTML page is not a paragraph either.
    if published.is_some_and(|d| d.precision() >= DatePrecision::Day) {
        paragraphs.retain(|p| parse_date_line(&p.text).is_none());
    }

    let article = Article {
        title,
        title_span,
        published,
        authors,
        lang: hints.lang,
        site_name: hints.site_name,
        canonical_url: hints.canonical_url,
        image_url: hints.image_url,
        paragraphs,
    };
    (article, blocks)
}

/// Equal after collapsing whitespace and ignoring case (compared without allocating: this
/// runs for every line of a page).
fn same_text(a: &str, b: &str) -> bool {
    normalized_chars(a).eq(normalized_chars(b))
}

fn normalized_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    s.split_whitespace()
        .flat_map(|w| std::iter::once(' ').chain(w.chars()))
        .flat_map(char::to_lowercase)
}
