//! How text is cut into terms, how a typed query is read, and the fingerprint that finds the
//! same story told twice.

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer,
    Stemmer, StopWordFilter, TextAnalyzer,
};
use tantivy::Index;

/// Words of English or Russian text.
pub(crate) const WORDS: &str = "korolev_words";
/// A whole value (a site's name), lowercased.
pub(crate) const KEYWORD: &str = "korolev_keyword";

/// The longest query read, in bytes, and the most terms in it.
const MOST_QUERY_BYTES: usize = 1_000;
pub(crate) const MOST_TERMS: usize = 32;
/// The most brackets a query may nest.
const MOST_BRACKETS: usize = 8;

pub(crate) fn register(index: &Index) {
    let mut words = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .dynamic();
    // Each stop list and stemmer leaves the other language's words as they are.
    for language in [Language::English, Language::Russian] {
        if let Some(stop) = StopWordFilter::new(language) {
            words = words.filter_dynamic(stop);
        }
    }
    let words = words
        .filter_dynamic(Stemmer::new(Language::English))
        .filter_dynamic(Stemmer::new(Language::Russian))
        .build();
    index.tokenizers().register(WORDS, words);
    index.tokenizers().register(
        KEYWORD,
        TextAnalyzer::builder(RawTokenizer::default())
            .filter(LowerCaser)
            .build(),
    );
}

/// `&`, `<`, `>`, `"` and `'` as HTML entities.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The year and month of a unix time.
fn civil_month(unix: i64) -> (i64, i64) {
    let z = unix.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m)
}

/// "2024-03" of a unix time.
pub(crate) fn month_of(unix: i64) -> String {
    let (y, m) = civil_month(unix);
    format!("{y:04}-{m:02}")
}

/// The start (unix seconds) of `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, and of the period after it.
fn period(s: &str) -> Option<(i64, i64)> {
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str, digits: usize| -> Option<i64> {
        (p.len() == digits && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    let day = |y, m, d| days_from_civil(y, m, d) * 86_400;
    match parts.as_slice() {
        [y] => {
            let y = num(y, 4)?;
            Some((day(y, 1, 1), day(y + 1, 1, 1)))
        }
        [y, m] => {
            let (y, m) = (num(y, 4)?, num(m, 2)?);
            (1..=12).contains(&m).then(|| {
                let next = if m == 12 {
                    day(y + 1, 1, 1)
                } else {
                    day(y, m + 1, 1)
                };
                (day(y, m, 1), next)
            })
        }
        [y, m, d] => {
            let (y, m, d) = (num(y, 4)?, num(m, 2)?, num(d, 2)?);
            ((1..=12).contains(&m) && (1..=31).contains(&d))
                .then(|| (day(y, m, d), day(y, m, d) + 86_400))
        }
        _ => None,
    }
}

/// A typed query taken apart: the words for tantivy's parser, and what korolev reads itself.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Plan {
    pub(crate) words: String,
    /// `site:`, `author:`, `lang:`, `title:` with their values.
    pub(crate) fields: Vec<(String, String)>,
    /// `-site:` and `-author:`.
    pub(crate) excluded_fields: Vec<(String, String)>,
    pub(crate) after: Option<i64>,
    pub(crate) before: Option<i64>,
}

impl Plan {
    /// Whether the words hold a term that is not excluded.
    pub(crate) fn positive_words(&self) -> bool {
        split(&self.words).iter().any(|t| !t.starts_with('-'))
    }
}

/// Splits on white space, keeping a quoted run (`site:"Low Orbit Daily"`, `"the crew"`) whole.
pub(crate) fn split(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                cur.push(c);
            }
            c if c.is_whitespace() && !quoted => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Reads a typed query; an error says what cannot be read.
pub(crate) fn plan(text: &str) -> Result<Plan, String> {
    if text.len() > MOST_QUERY_BYTES {
        return Err(format!(
            "the query is {} bytes long; give at most {MOST_QUERY_BYTES}",
            text.len()
        ));
    }
    let text: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.matches('(').count() > MOST_BRACKETS {
        return Err(format!("the query has more than {MOST_BRACKETS} brackets"));
    }
    let terms = split(&text);
    if terms.len() > MOST_TERMS {
        return Err(format!(
            "the query has {} terms; give at most {MOST_TERMS}",
            terms.len()
        ));
    }
    let mut plan = Plan::default();
    let mut words = Vec::new();
    for t in terms {
        let (negated, bare) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t.as_str()),
        };
        let Some((key, value)) = bare.split_once(':') else {
            words.push(t);
            continue;
        };
        let value = value.trim_matches('"').trim().to_string();
        let key = key.to_ascii_lowercase();
        match key.as_str() {
            "after" | "before" if !negated => {
                let (start, _) = period(&value).ok_or_else(|| {
                    format!("{key}:{value}: give a date as YYYY, YYYY-MM or YYYY-MM-DD")
                })?;
                if key == "after" {
                    plan.after = Some(start);
                } else {
                    plan.before = Some(start);
                }
            }
            "site" | "author" if negated && !value.is_empty() => {
                plan.excluded_fields.push((key, value));
            }
            "site" | "author" | "lang" | "title" if !negated && !value.is_empty() => {
                plan.fields.push((key, value));
            }
            // Anything else with a colon is words ("ISS:" in a pasted title).
            _ => words.push(t.replace(':', " ")),
        }
    }
    plan.words = words.join(" ");
    Ok(plan)
}

/// FNV-1a, 64 bits: a fixed hash, the same in every process and version.
fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A 64-bit simhash of a text's words: texts that differ in a few words differ in a few bits.
/// 0 for a text too short to tell.
pub(crate) fn simhash(text: &str) -> u64 {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    if words.len() < 8 {
        return 0;
    }
    let mut weights = [0i32; 64];
    for word in &words {
        let h = fnv(word.as_bytes());
        for (bit, w) in weights.iter_mut().enumerate() {
            if h >> bit & 1 == 1 {
                *w += 1;
            } else {
                *w -= 1;
            }
        }
    }
    weights
        .iter()
        .enumerate()
        .filter(|(_, w)| **w > 0)
        .fold(0u64, |acc, (bit, _)| acc | 1 << bit)
}

/// Whether two fingerprints are of the same story.
pub(crate) fn near(a: u64, b: u64) -> bool {
    a != 0 && b != 0 && (a ^ b).count_ones() <= 3
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_and_periods_are_the_calendars() {
        assert_eq!(month_of(0), "1970-01");
        assert_eq!(month_of(1_709_251_200), "2024-03"); // 2024-03-01
        assert_eq!(month_of(1_709_251_199), "2024-02");
        assert_eq!(period("2024").map(|p| p.0), Some(1_704_067_200));
        assert_eq!(period("2024-03").map(|p| p.0), Some(1_709_251_200));
        assert_eq!(period("2024-02-29").map(|p| p.1), Some(1_709_251_200));
        assert_eq!(period("2024-13"), None);
        assert_eq!(period("24"), None);
    }

    #[test]
    fn a_query_is_taken_apart() {
        let p = plan(r#"soyuz "docking port" -progress site:"Low Orbit Daily" -author:kim after:2024 lang:ru ISS:"#)
            .unwrap_or_default();
        assert_eq!(p.words, r#"soyuz "docking port" -progress ISS "#);
        assert_eq!(
            p.fields,
            vec![
                ("site".to_string(), "Low Orbit Daily".to_string()),
                ("lang".to_string(), "ru".to_string())
            ]
        );
        assert_eq!(
            p.excluded_fields,
            vec![("author".to_string(), "kim".to_string())]
        );
        assert_eq!(p.after, Some(1_704_067_200));
        assert!(plan("after:soon").is_err());
        assert!(plan(&"a ".repeat(40)).is_err());
        assert!(plan(&"a".repeat(2_000)).is_err());
    }

    #[test]
    fn the_same_story_is_near_and_another_is_not() {
        let a = "The Soyuz MS-27 spacecraft docked to the Rassvet module of the station at \
                 10:57 a.m. with three crew members aboard after a two-orbit flight.";
        let b = "The Soyuz MS-27 spacecraft docked to the Rassvet module of the station at \
                 10:57 a.m. with three crew members aboard after a two-orbit trip.";
        let c = "NASA selected a new class of astronaut candidates who will begin two years \
                 of training in Houston next month before any flight assignment.";
        assert!(near(simhash(a), simhash(b)));
        assert!(!near(simhash(a), simhash(c)));
        assert_eq!(simhash("too short"), 0);
    }
}
