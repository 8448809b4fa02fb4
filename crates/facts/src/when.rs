//! Dates in prose, English and Russian: absolute ("July 15, 2022", "15 июля 2022 года",
//! "July of 1975", "in September") and relative to the page's date ("on Monday", "Tuesday's
//! launch", "last year", "next month", "later this month", "в прошлом году").
//!
//! A date is only ever as precise as the text: "next month" is a month, "last year" a year.
//! Nothing relative is resolved without the page's date, and a day is never made up.

use crate::text::Tok;
use korolev_extract::date::month_number;
use korolev_extract::PartialDate;

/// Which way an expression points from the page's date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tense {
    Past,
    Future,
    /// Not said: the clause's tense decides.
    Open,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub date: PartialDate,
    /// How the expression itself leans ("later this month" is future).
    pub tense: Tense,
    /// Token range of the expression.
    pub start: usize,
    pub end: usize,
}

/// Words after which a date is a limit, not the time of the event ("through 2026").
const LIMITS: [&str; 6] = ["through", "until", "till", "до", "по", "since"];

const WEEKDAYS: [(&str, u32); 14] = [
    ("monday", 0),
    ("tuesday", 1),
    ("wednesday", 2),
    ("thursday", 3),
    ("friday", 4),
    ("saturday", 5),
    ("sunday", 6),
    ("понедельник", 0),
    ("вторник", 1),
    ("среду", 2),
    ("четверг", 3),
    ("пятницу", 4),
    ("субботу", 5),
    ("воскресенье", 6),
];

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
pub fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y } as i64;
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// Seconds since 1970-01-01T00:00Z now (0 on a clock set before it).
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Today's date in UTC, "2026-11-21".
pub fn today() -> String {
    iso_utc(unix_now())[..10].to_string()
}

/// `s` when it is a whole day, "2020-06-01"; `None` for anything else.
pub fn parse_day(s: &str) -> Option<String> {
    let d = korolev_extract::PartialDate::parse_iso(s.trim())?;
    (d.precision() == korolev_extract::DatePrecision::Day).then(|| d.to_string())
}

/// Seconds since 1970-01-01T00:00Z of a date: its first moment in UTC when it has no time
/// ("2020-10" is 2020-10-01T00:00Z), corrected by its offset when it has one.
pub fn unix_seconds(d: &korolev_extract::PartialDate) -> i64 {
    let days = days_from_civil(
        d.year,
        u32::from(d.month.unwrap_or(1)),
        u32::from(d.day.unwrap_or(1)),
    );
    let time = i64::from(d.hour.unwrap_or(0)) * 3600
        + i64::from(d.minute.unwrap_or(0)) * 60
        + i64::from(d.second.unwrap_or(0));
    days * 86_400 + time - i64::from(d.offset_minutes.unwrap_or(0)) * 60
}

/// "2020-10-14T05:45:00Z" for seconds since 1970.
pub fn iso_utc(secs: i64) -> String {
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let t = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        t / 3600,
        t / 60 % 60,
        t % 60
    )
}

/// Days since 1970-01-01 of an ISO day ("2020-06-01"); 0 when it is not one.
pub fn days_from_civil_iso(day: &str) -> i64 {
    korolev_extract::PartialDate::parse_iso(day).map_or(0, |d| unix_seconds(&d).div_euclid(86_400))
}

/// The civil date of a day count since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i32, u8, u8) {
    let z = z + 719468;
    let era = if z >= 0 { z } else { z - 146096 } / 146097;
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let y = (yoe + era * 400) as i32 + i32::from(m <= 2);
    (y, m, d)
}

fn valid_day(y: i32, m: u8, d: u8) -> bool {
    (1..=12).contains(&m) && d >= 1 && {
        let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        let len = days_from_civil(ny, nm.into(), 1) - days_from_civil(y, m.into(), 1);
        i64::from(d) <= len
    }
}

/// English month names, January first, as pages print dates.
pub const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn year_word(t: &Tok) -> Option<i32> {
    if t.word && t.text.len() == 4 && t.text.bytes().all(|b| b.is_ascii_digit()) {
        let y: i32 = t.text.parse().ok()?;
        return (1900..=2200).contains(&y).then_some(y);
    }
    None
}

fn day_word(t: &Tok) -> Option<u8> {
    if t.word && t.text.len() <= 2 && t.text.bytes().all(|b| b.is_ascii_digit()) {
        let d: u8 = t.text.parse().ok()?;
        return (1..=31).contains(&d).then_some(d);
    }
    None
}

fn month_word(t: &Tok) -> Option<u8> {
    if !t.word {
        return None;
    }
    // "mid-March", "early-April", "late-May": the month of the time they tell.
    let bare = part_of_month(&t.text).map_or(t.text.as_str(), |(_, m)| m);
    // "may" and "march" are also English words: a month is capitalised in English.
    if !t.cyrillic && !bare.starts_with(char::is_uppercase) {
        return None;
    }
    month_number(bare)
}

/// "mid-March" → ("mid", "March").
fn part_of_month(word: &str) -> Option<(&str, &str)> {
    let (head, rest) = word.split_once('-')?;
    matches!(head.to_lowercase().as_str(), "mid" | "early" | "late").then_some((head, rest))
}

/// The page's day, when the page's date is at least that precise.
fn page_day(page: Option<PartialDate>) -> Option<(i32, u8, u8)> {
    let p = page?;
    Some((p.year, p.month?, p.day?))
}

fn shift_month(y: i32, m: u8, by: i32) -> (i32, u8) {
    let n = y * 12 + i32::from(m) - 1 + by;
    (n.div_euclid(12), (n.rem_euclid(12) + 1) as u8)
}

/// What dates in a text are read against: the page's own date, and the day that gives a year
/// to a day and month written without one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reference {
    /// The page's publication date: "yesterday", "on Monday", "next month" need it.
    pub page: Option<PartialDate>,
    /// The page's date when known, else the latest full date the text itself writes (an
    /// editor's note "updated March 2, 2024"): "Sunday, March 3" takes its year from it when
    /// the weekday fits, or without a weekday, the year that puts the day nearest to it.
    pub anchor: Option<PartialDate>,
    /// Years the text writes ("in 2024"): without an anchor, a day written with its weekday
    /// takes the one of them whose calendar fits.
    pub years: Vec<i32>,
    /// The years of the latest flight the text names (a mission, a one-flight craft, an
    /// expedition), from the gazetteer: without an anchor or a fitting year of the text, a
    /// day written with its weekday takes the one year near them whose calendar fits.
    pub era: Option<(i32, i32)>,
}

impl Reference {
    pub fn of_page(page: Option<PartialDate>) -> Reference {
        Reference {
            page,
            anchor: page,
            years: Vec::new(),
            era: None,
        }
    }

    /// Whether an anchor from [`era_placed_day`] would be used: the text has no date of its
    /// own and names a flight of a known year.
    pub fn wants_era_anchor(&self, era: Option<(i32, i32)>) -> bool {
        self.anchor.is_none() && era.is_some()
    }

    /// Takes `era`, and `anchor` (the latest [`era_placed_day`] of the text) when the text
    /// has no date of its own.
    pub fn with_era_anchor(
        mut self,
        era: Option<(i32, i32)>,
        anchor: Option<PartialDate>,
    ) -> Reference {
        self.era = era;
        if self.wants_era_anchor(era) {
            self.anchor = anchor;
        }
        self
    }
}

/// Builds a text's [`Reference`] one piece at a time, so that a long text need not be held as
/// tokens all at once.
pub struct ReferenceBuilder {
    page: Option<PartialDate>,
    dated: Option<PartialDate>,
    years: Vec<i32>,
}

impl ReferenceBuilder {
    pub fn new(page: Option<PartialDate>) -> ReferenceBuilder {
        ReferenceBuilder {
            page,
            dated: None,
            years: Vec::new(),
        }
    }

    /// Reads piece number `k` of the text (the title is 0).
    pub fn piece(&mut self, k: usize, toks: &[Tok]) {
        // The date of a text is at its head (a dateline, the lede) or in an editor's note;
        // a full date further down may be history ("launched May 6, 2002").
        let lead: Vec<&str> = toks
            .iter()
            .filter(|t| t.word)
            .take(2)
            .map(Tok::lc)
            .collect();
        let dated = k < 3
            || lead
                .first()
                .is_some_and(|w| *w == "editor" || w.starts_with("update"));
        if dated && self.page.is_none() {
            self.dated = later(self.dated, latest_full_date(toks));
        }
        self.years.extend(toks.iter().filter_map(year_word));
        // The years a text writes are few; a page that writes thousands keeps them bounded.
        if self.years.len() > 4096 {
            self.years.sort_unstable();
            self.years.dedup();
        }
    }

    pub fn finish(mut self) -> Reference {
        // The years the text writes, latest first.
        self.years.sort_unstable_by(|a, b| b.cmp(a));
        self.years.dedup();
        Reference {
            page: self.page,
            anchor: self.page.or(self.dated),
            years: self.years,
            era: None,
        }
    }
}

/// The later of two dates (by their ISO form, so a day sorts after its month).
pub fn later(a: Option<PartialDate>, b: Option<PartialDate>) -> Option<PartialDate> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if b.to_string() > a.to_string() { b } else { a }),
        (a, b) => a.or(b),
    }
}

/// The latest day that `toks` write with a weekday but no year, placed by `era`: a text with
/// no date of its own takes the latest of its pieces' as its anchor (see
/// [`Reference::with_era_anchor`]).
pub fn era_placed_day(era: Option<(i32, i32)>, toks: &[Tok]) -> Option<PartialDate> {
    let placed = Reference {
        era,
        ..Reference::default()
    };
    let mut best: Option<PartialDate> = None;
    for i in 0..toks.len() {
        // From the weekday on: "Thursday, May 2".
        if !is_weekday(&toks[i]) {
            continue;
        }
        let window = i..toks.len().min(i + 8);
        let Some(f) = find(toks, window.clone(), &placed, false) else {
            continue;
        };
        // Only days that the era placed: one written with its year is history as likely as
        // not.
        let written = find(toks, window, &Reference::default(), false).is_some();
        if !written && f.date.precision() == korolev_extract::DatePrecision::Day {
            best = later(best, Some(f.date));
        }
    }
    best
}

/// The latest day that `toks` write in full, with its year ("March 2, 2024", "2 March 2024").
pub fn latest_full_date(toks: &[Tok]) -> Option<PartialDate> {
    let mut best: Option<PartialDate> = None;
    for i in 0..toks.len() {
        // A full date starts with its month ("March 2, 2024") or its day ("2 March 2024").
        let t = &toks[i];
        if !(t.text.starts_with(|c: char| c.is_ascii_digit()) || month_word(t).is_some()) {
            continue;
        }
        let Some(f) = find(toks, i..toks.len().min(i + 6), &Reference::default(), false) else {
            continue;
        };
        if f.start == i
            && f.date.precision() == korolev_extract::DatePrecision::Day
            && best.is_none_or(|b| f.date.to_string() > b.to_string())
        {
            best = Some(f.date);
        }
    }
    best
}

/// The weekday (Monday = 0) of a civil date.
fn weekday(y: i32, m: u8, d: u8) -> u32 {
    (days_from_civil(y, m.into(), d.into()) + 3).rem_euclid(7) as u32
}

/// The year of a day and month written without one: one whose calendar fits the weekday the
/// text gives, nearest the anchor; without a weekday, the year that puts the day nearest it.
fn year_for(m: u8, d: u8, weekday_given: Option<u32>, at: &Reference) -> Option<i32> {
    let Some(a) = at.anchor else {
        // No full date anywhere: the one year the text writes, checked against the weekday
        // when there is one.
        let Some(w) = weekday_given else {
            return match at.years.as_slice() {
                [only] if valid_day(*only, m, d) => Some(*only),
                _ => None,
            };
        };
        // Only the latest year: earlier ones are as likely history.
        let fits = |y: i32| valid_day(y, m, d) && weekday(y, m, d) == w;
        if let Some(&latest) = at.years.first().filter(|&&y| fits(y)) {
            return Some(latest);
        }
        // Else the flight the text is about: a weekday recurs on a day and month only five
        // or more years apart, so at most one year within a year of the flight's fits.
        let (first, last) = at.era.filter(|(f, l)| l - f <= 2)?;
        let mut fitting = (first - 1..=last + 1).filter(|&y| fits(y));
        return match (fitting.next(), fitting.next()) {
            (Some(y), None) => Some(y),
            _ => None,
        };
    };
    let target = days_from_civil(
        a.year,
        u32::from(a.month.unwrap_or(7)),
        u32::from(a.day.unwrap_or(1)),
    );
    let mut best: Option<(i64, i32)> = None;
    for y in [a.year, a.year - 1, a.year + 1] {
        if !valid_day(y, m, d) || weekday_given.is_some_and(|w| weekday(y, m, d) != w) {
            continue;
        }
        let distance = (days_from_civil(y, m.into(), d.into()) - target).abs();
        // A month-precise or year-precise anchor cannot tell a year apart from the next.
        if a.day.is_none() && y != a.year && weekday_given.is_none() {
            continue;
        }
        if best.is_none_or(|(b, _)| distance < b) {
            best = Some((distance, y));
        }
    }
    best.map(|(_, y)| y)
}

/// Whether `t` names a day of the week ("Thursday", "Thu.", "четверг").
fn is_weekday(t: &Tok) -> bool {
    let w = t.lc().trim_end_matches('.');
    t.word
        && WEEKDAYS
            .iter()
            .any(|(n, _)| *n == w || n.len() > 3 && w.len() >= 3 && n.starts_with(w) && !t.cyrillic)
}

/// The weekday named just before token `i` ("Monday, May 6", "Tuesday March 5").
fn weekday_before(toks: &[Tok], i: usize, floor: usize) -> Option<u32> {
    let mut j = i;
    while j > floor {
        j -= 1;
        let t = &toks[j];
        if t.is(",") {
            continue;
        }
        let w = t.lc();
        let w = w.trim_end_matches('.');
        return WEEKDAYS
            .iter()
            .find(|(n, _)| {
                *n == w || n.len() > 3 && w.len() >= 3 && n.starts_with(w) && !t.cyrillic
            })
            .map(|&(_, wd)| wd);
    }
    None
}

/// Words that end like verbs and are not ("during", "hundred").
const NOT_VERBS: [&str; 22] = [
    "during",
    "including",
    "following",
    "according",
    "regarding",
    "concerning",
    "morning",
    "evening",
    "something",
    "nothing",
    "anything",
    "everything",
    "building",
    "ceiling",
    "training",
    "meeting",
    "briefing",
    "upcoming",
    "ongoing",
    "hundred",
    "speed",
    "indeed",
];

/// The date expression of `toks[range]` that belongs to the word at `at_word`: the first one
/// after it, else the last one before it ("Selected in 1998, she first launched on the shuttle
/// Discovery in 2006" is 2006; "On March 14, SpaceX launched" is March 14).
pub fn nearest(
    toks: &[Tok],
    range: std::ops::Range<usize>,
    at_word: usize,
    at: &Reference,
    future: bool,
) -> Option<Found> {
    if let Some(f) = find(toks, at_word.max(range.start)..range.end, at, future) {
        return Some(f);
    }
    let before = range.start..at_word.min(range.end);
    let mut last = None;
    let mut from = before.start;
    while from < before.end {
        match find(toks, from..before.end, at, future) {
            Some(f) => {
                from = f.end.max(from + 1);
                last = Some(f);
            }
            None => break,
        }
    }
    // A date before the word is its own only when no other verb stands between them
    // ("Selected as an astronaut in 1998, she has logged 322 days, first launching on …").
    last.filter(|f| {
        !(f.end..before.end).any(|k| {
            let t = &toks[k];
            let w = t.lc();
            t.word
                && !t.upper
                && (matches!(w, "is" | "are" | "was" | "were" | "has" | "have" | "had")
                    || w.chars().count() > 4
                        && (w.ends_with("ed") || w.ends_with("ing"))
                        && !NOT_VERBS.contains(&w))
        })
    })
}

/// Finds the first date expression in `toks[range]`, read against `at` (see [`Reference`]).
/// `future` says whether the clause speaks of what is to come, which settles "on Monday" and
/// "in September".
pub fn find(
    toks: &[Tok],
    range: std::ops::Range<usize>,
    at: &Reference,
    future: bool,
) -> Option<Found> {
    let page = at.page;
    let w = |i: usize| -> &str {
        if range.contains(&i) {
            toks[i].lc()
        } else {
            ""
        }
    };
    // "through 2026" is a limit; "updated Feb. 28, 2024" is when the text changed, not when
    // anything happened.
    let limited = |i: usize| {
        i > range.start && LIMITS.contains(&w(i - 1))
            || (i.saturating_sub(2).max(range.start)..i)
                .any(|k| matches!(w(k), "updated" | "published" | "posted" | "revised"))
    };
    for i in range.clone() {
        let t = &toks[i];
        if !t.word {
            continue;
        }
        let found = |date, tense, end| {
            Some(Found {
                date,
                tense,
                start: i,
                end,
            })
        };
        // Month-first: "July 15, 2022", "February 9", "July of 1975", "July 1975".
        if let Some(m) = month_word(t) {
            if limited(i) {
                continue;
            }
            // "Feb. 14": the dot of an abbreviated month.
            let at_day = if toks.get(i + 1).is_some_and(|t| t.is(".")) {
                i + 2
            } else {
                i + 1
            };
            let next = toks.get(at_day).filter(|_| range.contains(&at_day));
            if let Some(d) = next.and_then(day_word) {
                let mut j = at_day + 1;
                if toks.get(j).is_some_and(|t| t.is(",")) {
                    j += 1;
                }
                let year = toks
                    .get(j)
                    .filter(|_| range.contains(&j))
                    .and_then(year_word);
                let y = match year {
                    Some(y) => y,
                    None => year_for(m, d, weekday_before(toks, i, range.start), at)?,
                };
                if valid_day(y, m, d) {
                    return found(
                        PartialDate::day(y, m, d),
                        Tense::Open,
                        if year.is_some() { j + 1 } else { at_day + 1 },
                    );
                }
            }
            let mut j = i + 1;
            if w(j) == "of" {
                j += 1;
            }
            if let Some(y) = toks
                .get(j)
                .filter(|_| range.contains(&j))
                .and_then(year_word)
            {
                return found(PartialDate::month(y, m), Tense::Open, j + 1);
            }
            // A month alone, after "in" / "в" or told as part of it ("no earlier than
            // mid-March"): the nearest such month in the clause's direction from the text's
            // date, or in the one year the text writes.
            let part = part_of_month(&t.text).is_some()
                || i > range.start && matches!(w(i - 1), "mid" | "early" | "late");
            let lead_in = i > range.start
                && matches!(
                    w(i - 1),
                    "in" | "в" | "во" | "than" | "for" | "by" | "during"
                );
            if part || lead_in {
                let reference = at.anchor.or(page);
                let Some((py, pm)) = reference.and_then(|p| p.month.map(|pm| (p.year, pm))) else {
                    if let [only] = at.years.as_slice() {
                        return found(PartialDate::month(*only, m), Tense::Open, i + 1);
                    }
                    continue;
                };
                let y = if future {
                    if m >= pm {
                        py
                    } else {
                        py + 1
                    }
                } else if m <= pm {
                    py
                } else {
                    py - 1
                };
                return found(PartialDate::month(y, m), Tense::Open, i + 1);
            }
            continue;
        }
        // Day-first: "15 July 2022", "15 июля 2022 года".
        if let (Some(d), Some(m)) = (
            day_word(t),
            toks.get(i + 1)
                .filter(|_| range.contains(&(i + 1)))
                .and_then(month_word),
        ) {
            if limited(i) {
                continue;
            }
            let year = toks
                .get(i + 2)
                .filter(|_| range.contains(&(i + 2)))
                .and_then(year_word);
            let y = match year {
                Some(y) => y,
                None => year_for(m, d, weekday_before(toks, i, range.start), at)?,
            };
            if valid_day(y, m, d) {
                let end = if year.is_some() { i + 3 } else { i + 2 };
                return found(PartialDate::day(y, m, d), Tense::Open, end);
            }
            continue;
        }
        // A year after "in" / "by" / "в": "in 2019", "by 2028".
        if let Some(y) = year_word(t) {
            if i > range.start && matches!(w(i - 1), "in" | "by" | "of" | "в" | "к") {
                return found(PartialDate::year(y), Tense::Open, i + 1);
            }
            continue;
        }
        // Years and months ("later this year") read against the page's date, else the text's
        // own; days ("yesterday", "on Monday", "next week") only against the page's.
        let day_known = at.page.is_some();
        let Some(page) = page.or(at.anchor) else {
            continue;
        };
        let word = w(i);
        // today / yesterday / tomorrow
        let day_shift = match word {
            "today" | "tonight" | "сегодня" => Some((0, Tense::Open)),
            "yesterday" | "вчера" => Some((-1, Tense::Past)),
            "tomorrow" | "завтра" => Some((1, Tense::Future)),
            _ => None,
        };
        if let Some((shift, tense)) = day_shift.filter(|_| day_known) {
            let (py, pm, pd) = page_day(Some(page))?;
            let (y, m, d) = civil_from_days(days_from_civil(py, pm.into(), pd.into()) + shift);
            return found(PartialDate::day(y, m, d), tense, i + 1);
        }
        // A weekday: the nearest one in the clause's direction, the page's own day included.
        if let Some(&(_, wd)) = WEEKDAYS
            .iter()
            .find(|(n, _)| *n == word)
            .filter(|_| day_known)
        {
            // "Monday, May 6": the date that follows tells the day.
            let mut k = i + 1;
            if toks.get(k).is_some_and(|t| t.is(",")) {
                k += 1;
            }
            let dated = toks.get(k).filter(|_| range.contains(&k)).is_some_and(|t| {
                month_word(t).is_some()
                    || day_word(t).is_some() && toks.get(k + 1).and_then(month_word).is_some()
            });
            if dated {
                continue;
            }
            let Some((py, pm, pd)) = page_day(Some(page)) else {
                continue;
            };
            let today = days_from_civil(py, pm.into(), pd.into());
            let page_wd = (today + 3).rem_euclid(7) as u32; // 1970-01-01 was a Thursday.
            let back = (page_wd + 7 - wd) % 7;
            let ahead = (wd + 7 - page_wd) % 7;
            let shift = if back == 0 {
                0
            } else if future {
                i64::from(ahead)
            } else {
                -i64::from(back)
            };
            let (y, m, d) = civil_from_days(today + shift);
            return found(PartialDate::day(y, m, d), Tense::Open, i + 1);
        }
        // last / next / this week: the month the week falls in, when it falls in one (a
        // week has no precision of its own here), else its year.
        let week = matches!(w(i + 1), "week" | "неделе" | "неделю");
        let week_step = match word {
            "last" | "прошлой" => Some((-7, Tense::Past)),
            "next" | "следующей" => Some((7, Tense::Future)),
            "this" | "этой" => Some((0, Tense::Open)),
            _ => None,
        };
        if let (true, Some((by, tense)), true) = (week, week_step, day_known) {
            let Some((py, pm, pd)) = page_day(Some(page)) else {
                continue;
            };
            let today = days_from_civil(py, pm.into(), pd.into());
            let monday = today - i64::from((today + 3).rem_euclid(7) as u32) + by;
            let (y1, m1, _) = civil_from_days(monday);
            let (y2, m2, _) = civil_from_days(monday + 6);
            let date = if (y1, m1) == (y2, m2) {
                PartialDate::month(y1, m1)
            } else if y1 == y2 {
                PartialDate::year(y1)
            } else {
                continue;
            };
            return found(date, tense, i + 2);
        }
        // last / next / this year | month, earlier / later this month, в прошлом году …
        let unit_at = |j: usize| match w(j) {
            "year" | "году" | "год" => Some(true),
            "month" | "месяце" | "месяц" => Some(false),
            _ => None,
        };
        let step = match word {
            "last" | "прошлом" | "прошлый" => Some((-1, Tense::Past)),
            "next" | "следующем" | "следующий" => Some((1, Tense::Future)),
            "this" | "этом" | "этот" | "текущем" => Some((0, Tense::Open)),
            _ => None,
        };
        if let (Some((by, mut tense)), Some(is_year)) = (step, unit_at(i + 1)) {
            if by == 0 && i > range.start {
                tense = match w(i - 1) {
                    "later" => Tense::Future,
                    "earlier" => Tense::Past,
                    _ => tense,
                };
            }
            let date = if is_year {
                PartialDate::year(page.year + by)
            } else {
                let pm = page.month?;
                let (y, m) = shift_month(page.year, pm, by);
                PartialDate::month(y, m)
            };
            return found(date, tense, i + 2);
        }
        // "by the end of the year": this year.
        if word == "end" && w(i + 1) == "of" && w(i + 2) == "the" && w(i + 3) == "year" {
            return found(PartialDate::year(page.year), Tense::Future, i + 4);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    #[test]
    fn seconds_since_1970_with_offsets() {
        use korolev_extract::PartialDate;
        let t = |s: &str| super::unix_seconds(&PartialDate::parse_iso(s).expect("a date"));
        assert_eq!(t("1970-01-01"), 0);
        assert_eq!(t("2020-10-14T08:45+03:00"), t("2020-10-14T05:45Z"));
        assert_eq!(
            super::iso_utc(t("2020-10-14T08:45:07+03:00")),
            "2020-10-14T05:45:07Z"
        );
        assert_eq!(super::iso_utc(t("2020-10")), "2020-10-01T00:00:00Z");
        assert_eq!(super::iso_utc(-1), "1969-12-31T23:59:59Z");
    }

    use super::*;
    use crate::text::tokens;

    fn at(text: &str, page: &str, future: bool) -> Option<String> {
        let t = tokens(text);
        find(
            &t,
            0..t.len(),
            &Reference::of_page(PartialDate::parse_iso(page)),
            future,
        )
        .map(|f| f.date.to_string())
    }

    #[test]
    fn absolute_dates() {
        assert_eq!(
            at("On July 15, 2022, it was signed", "2023-01-01", false).as_deref(),
            Some("2022-07-15")
        );
        assert_eq!(
            at("On February 9 in Tomsk", "2018-02-09", false).as_deref(),
            Some("2018-02-09")
        );
        assert_eq!(
            at("in July of 1975", "2018-08-31", false).as_deref(),
            Some("1975-07")
        );
        assert_eq!(
            at("15 июля 2022 года", "2023-01-01", false).as_deref(),
            Some("2022-07-15")
        );
        assert_eq!(at("extended through 2026", "2025-04-08", false), None);
        assert_eq!(at("they may come", "2025-04-08", false), None);
    }

    #[test]
    fn months_without_a_year_follow_the_tense() {
        assert_eq!(
            at("home in September", "2023-02-24", true).as_deref(),
            Some("2023-09")
        );
        assert_eq!(
            at("launched in September", "2023-02-24", false).as_deref(),
            Some("2022-09")
        );
        assert_eq!(
            at("вернутся в декабре", "2025-04-08", true).as_deref(),
            Some("2025-12")
        );
    }

    #[test]
    fn relative_dates() {
        // 2025-04-08 was a Tuesday.
        assert_eq!(
            at("Tuesday's launch", "2025-04-08T08:27", false).as_deref(),
            Some("2025-04-08")
        );
        assert_eq!(
            at("met on Monday", "2025-04-08", false).as_deref(),
            Some("2025-04-07")
        );
        assert_eq!(
            at("will fly on Monday", "2025-04-08", true).as_deref(),
            Some("2025-04-14")
        );
        assert_eq!(
            at("last year", "2023-03-01", false).as_deref(),
            Some("2022")
        );
        assert_eq!(
            at("next month", "2020-12-10", true).as_deref(),
            Some("2021-01")
        );
        assert_eq!(
            at("later this month", "2020-04-09", false).as_deref(),
            Some("2020-04")
        );
        assert_eq!(
            at("yesterday", "2021-03-01", false).as_deref(),
            Some("2021-02-28")
        );
        assert_eq!(
            at("в прошлом году", "2021-03-01", false).as_deref(),
            Some("2020")
        );
        // No page date, no relative date; a month-precise page date gives no weekday.
        assert_eq!(at("last year", "", false), None);
        assert_eq!(at("on Monday", "2025-04", false), None);
    }

    #[test]
    fn civil_days_round_trip() {
        for z in [-800_000, -1, 0, 1, 59, 11_016, 20_186, 400_000] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m.into(), d.into()), z);
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
    }
}

#[cfg(test)]
mod reference_tests {
    use super::*;
    use crate::text::tokens;

    fn at_anchor(text: &str, anchor: &str) -> Option<String> {
        let t = tokens(text);
        let r = Reference {
            page: None,
            anchor: PartialDate::parse_iso(anchor),
            years: Vec::new(),
            ..Reference::default()
        };
        find(&t, 0..t.len(), &r, false).map(|f| f.date.to_string())
    }

    #[test]
    fn weekday_and_day_take_the_year_that_fits() {
        assert_eq!(
            at_anchor("at 10:34 p.m. ET Monday, May 6", "2024-04-26").as_deref(),
            Some("2024-05-06")
        );
        let t = tokens("on Friday, April 26, 2024, at the center");
        assert_eq!(
            latest_full_date(&t).map(|d| d.to_string()).as_deref(),
            Some("2024-04-26")
        );
    }
}
