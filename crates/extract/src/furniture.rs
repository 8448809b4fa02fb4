//! Page furniture: the lines a site prints around every article that are not the article.
//!
//! Icon strips, archive calendars, "Previous Article / Next Article", comment prompts and
//! policies, podcast players, share and bookmark words, breadcrumb crumbs. Rules here look at
//! the shape of a line and its neighbours, never at a particular site: the same calendar or
//! comment prompt looks alike on every site that has one.

use crate::date::{parse_date_line, DatePrecision};
use crate::page::Line;

/// Why a line was dropped; kept so that tests and `--explain` can say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Furniture {
    IconStrip,
    Calendar,
    PrevNext,
    Comments,
    Podcast,
    Share,
    Crumb,
}

const WEEKDAYS: [&str; 14] = [
    "mon", "tue", "wed", "thu", "fri", "sat", "sun", "пн", "вт", "ср", "чт", "пт", "сб", "вс",
];

fn words_lower(line: &str) -> Vec<String> {
    line.split(|c: char| c.is_whitespace() || c == '|' || c == '•' || c == '·')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn is_weekday_header(line: &str) -> bool {
    let count = line.split_whitespace().take(9).count();
    if !(5..=8).contains(&count) || line.split_whitespace().any(|w| w.chars().count() > 3) {
        return false;
    }
    let ws = words_lower(line);
    ws.len() >= 5
        && ws.len() <= 8
        && ws
            .iter()
            .all(|w| WEEKDAYS.iter().any(|d| w.starts_with(d)) && w.chars().count() <= 3)
}

/// A row of a month grid: only day numbers 1–31 (and the no-break spaces of empty cells).
fn is_day_grid_row(line: &str) -> bool {
    let mut any = false;
    for w in line
        .split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
    {
        match w.parse::<u8>() {
            Ok(1..=31) => any = true,
            _ => return false,
        }
    }
    any || (!line.is_empty() && line.chars().all(|c| c.is_whitespace()) && line.contains('\u{a0}'))
}

fn is_archive_heading(line: &str) -> bool {
    if line.len() > 40 {
        return false;
    }
    let l = line.trim().trim_end_matches(':').to_lowercase();
    matches!(
        l.as_str(),
        "news archive" | "archive" | "архив новостей" | "архив" | "calendar" | "календарь"
    )
}

fn is_icon_strip(line: &str) -> bool {
    line.as_bytes()
        .windows(4)
        .filter(|w| w.eq_ignore_ascii_case(b"icon"))
        .count()
        >= 5
}

fn is_prev_next(line: &str) -> bool {
    if line.len() > 60 {
        return false;
    }
    let l = line
        .trim()
        .trim_matches(['«', '»', '‹', '›', '<', '>', '←', '→', ' '])
        .to_lowercase();
    matches!(
        l.as_str(),
        "previous article"
            | "next article"
            | "previous"
            | "next"
            | "previous post"
            | "next post"
            | "предыдущая статья"
            | "следующая статья"
            | "предыдущая новость"
            | "следующая новость"
    )
}

fn is_comment_prompt(line: &str) -> bool {
    if line.len() > 60 {
        return false;
    }
    let l = line.trim().trim_end_matches([':', '.', '!']).to_lowercase();
    if matches!(
        l.as_str(),
        "write a comment"
            | "leave a comment"
            | "add a comment"
            | "post a comment"
            | "comments"
            | "leave a reply"
            | "оставить комментарий"
            | "комментарии"
            | "написать комментарий"
            | "добавить комментарий"
    ) {
        return true;
    }
    // "Comments (3)", "3 comments"
    let without_digits: String = l
        .chars()
        .filter(|c| !c.is_ascii_digit() && !matches!(c, '(' | ')'))
        .collect();
    matches!(
        without_digits.trim(),
        "comments" | "comment" | "комментарии" | "комментариев"
    )
}

/// A notice to readers about commenting rules: long enough to look like prose, but about
/// registering, policies and moderation of comments.
fn is_comment_policy(line: &str) -> bool {
    if !(line.contains("omment") || line.contains("омментар") || line.contains("ОММЕНТАР"))
    {
        return false;
    }
    let l = line.to_lowercase();
    if l.len() > 1200 {
        return false;
    }
    let about_comments = l.contains("comment") || l.contains("комментар");
    let rules = [
        "policy",
        "register",
        "sign in",
        "log in",
        "moderat",
        "правила",
        "регистрац",
    ];
    about_comments && rules.iter().any(|w| l.contains(w))
}

fn is_podcast(line: &str) -> bool {
    if line.len() > 40 {
        return false;
    }
    let l = line.trim().to_lowercase();
    if matches!(
        l.as_str(),
        "podcasts" | "podcast" | "listen" | "подкасты" | "подкаст" | "слушать"
    ) {
        return true;
    }
    // Player timers: "0:00", "13:56", "1:02:33".
    let parts: Vec<&str> = l.split(':').collect();
    (2..=3).contains(&parts.len())
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit()))
}

const SHARE_WORDS: [&str; 24] = [
    "share",
    "bookmark",
    "print",
    "tweet",
    "email",
    "e-mail",
    "facebook",
    "twitter",
    "vk",
    "telegram",
    "whatsapp",
    "reddit",
    "linkedin",
    "copy",
    "link",
    "like",
    "x",
    "ok",
    "поделиться",
    "закладки",
    "печать",
    "в",
    "вконтакте",
    "одноклассники",
];

/// "Tags: ISS Crew", "Теги: МКС": a short list of topic links.
fn is_tag_list(line: &str) -> bool {
    if line.split_whitespace().nth(12).is_some() {
        return false;
    }
    let l = line.trim().to_lowercase();
    ["tags:", "topics:", "теги:", "метки:", "темы:"]
        .iter()
        .any(|p| l.starts_with(p))
        && l.split_whitespace().nth(12).is_none()
}

fn is_share_strip(line: &str) -> bool {
    if line.split_whitespace().nth(12).is_some() {
        return false;
    }
    let ws = words_lower(line);
    !ws.is_empty()
        && ws.len() <= 12
        && ws.iter().all(|w| {
            SHARE_WORDS.contains(&w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-'))
        })
        && ws
            .iter()
            .any(|w| matches!(w.as_str(), "share" | "bookmark" | "поделиться" | "tweet"))
}

/// A breadcrumb or a trailing crumb like "Home » News »" or "OSZAR »": a few words ending in,
/// or separated by, a breadcrumb arrow.
fn is_crumb(line: &str) -> bool {
    let t = line.trim();
    let words = t.split_whitespace().take(9).count();
    let arrows = t.matches(['»', '›']).count();
    (1..=8).contains(&words)
        && arrows >= 1
        && (t.ends_with(['»', '›']) || arrows * 2 >= words.saturating_sub(1))
        && !t.contains('«')
}

/// Marks furniture lines. `ends_article[i]` is set at lines after which the article cannot
/// go on (prev/next links, comment prompts and policies): the body stops there.
pub struct Marks {
    pub furniture: Vec<Option<Furniture>>,
    pub ends_article: Vec<bool>,
}

/// Longest line any furniture rule can match (a comment policy runs to a few hundred
/// characters, Cyrillic at two bytes each).
const MAX_FURNITURE_BYTES: usize = 1000;

pub fn mark(lines: &[Line]) -> Marks {
    let n = lines.len();
    let mut furniture = vec![None; n];
    let mut ends_article = vec![false; n];
    let next_nonblank = |from: usize| (from..n).find(|&j| !lines[j].text.trim().is_empty());
    let prev_nonblank = |to: usize| (0..to).rev().find(|&j| !lines[j].text.trim().is_empty());

    let mut i = 0;
    while i < n {
        let text = lines[i].text.trim();
        // Furniture is short; a long line is prose and need not be lowercased five times.
        if text.is_empty() || text.len() > MAX_FURNITURE_BYTES {
            i += 1;
            continue;
        }
        if is_icon_strip(text) {
            furniture[i] = Some(Furniture::IconStrip);
        } else if is_weekday_header(text) {
            furniture[i] = Some(Furniture::Calendar);
            // The month heading above the grid ("August 2020") and the archive heading above it.
            if let Some(p) = prev_nonblank(i) {
                if parse_date_line(&lines[p].text)
                    .is_some_and(|d| d.precision() <= DatePrecision::Month)
                {
                    furniture[p] = Some(Furniture::Calendar);
                    if let Some(pp) =
                        prev_nonblank(p).filter(|&pp| is_archive_heading(&lines[pp].text))
                    {
                        furniture[pp] = Some(Furniture::Calendar);
                    }
                }
            }
            let mut j = i + 1;
            while j < n && (is_day_grid_row(&lines[j].text) || lines[j].text.trim().is_empty()) {
                if !lines[j].text.trim().is_empty() {
                    furniture[j] = Some(Furniture::Calendar);
                }
                j += 1;
            }
            i = j;
            continue;
        } else if is_archive_heading(text) {
            furniture[i] = Some(Furniture::Calendar);
        } else if is_prev_next(text) {
            furniture[i] = Some(Furniture::PrevNext);
            ends_article[i] = true;
            // The linked title that follows "Previous Article".
            if let Some(j) = next_nonblank(i + 1).filter(|&j| !is_prev_next(&lines[j].text)) {
                if lines[j].text.trim().chars().count() <= 200 && !is_comment_prompt(&lines[j].text)
                {
                    furniture[j] = Some(Furniture::PrevNext);
                    i = j + 1;
                    continue;
                }
            }
        } else if is_comment_prompt(text) || is_comment_policy(text) {
            furniture[i] = Some(Furniture::Comments);
            ends_article[i] = true;
        } else if is_podcast(text) {
            furniture[i] = Some(Furniture::Podcast);
        } else if is_share_strip(text) || is_tag_list(text) {
            furniture[i] = Some(Furniture::Share);
        } else if is_crumb(text) {
            furniture[i] = Some(Furniture::Crumb);
        }
        i += 1;
    }
    Marks {
        furniture,
        ends_article,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_of_furniture() {
        assert!(is_weekday_header("Mon Tue Wed Thu Fri Sat Sun"));
        assert!(is_weekday_header("Пн Вт Ср Чт Пт Сб Вс"));
        assert!(!is_weekday_header("Monday was a busy day for the crew"));
        assert!(is_day_grid_row("\u{a0} \u{a0} 1 2"));
        assert!(is_day_grid_row("24 25 26 27 28 29 30"));
        assert!(!is_day_grid_row("2019 2020"));
        assert!(is_podcast("13:56"));
        assert!(!is_podcast("At 13:56 the engines fired"));
        assert!(is_crumb("OSZAR »"));
        assert!(is_crumb("Home › News › Launches"));
        assert!(!is_crumb("He said «yes» to the flight"));
        assert!(is_share_strip("Share Tweet Email"));
        assert!(!is_share_strip("Share the news"));
        assert!(is_comment_prompt("Comments (3)"));
        assert!(is_comment_policy(
            "Dear readers! To leave comments you will need to register. Please read our commenting policy"
        ));
    }
}
