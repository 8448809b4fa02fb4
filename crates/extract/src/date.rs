//! Dates as pages write them, with the precision they were written in.
//!
//! Owns parsing of whole date lines ("February 9, 2018", "8 Apr, 2025 08:27", "October, 2020",
//! "9 февраля 2018 г.", "2020-07-23T10:26:00+03:00"). A date that names only a month stays a
//! month: nothing here ever invents a day. Relative dates ("on Monday") belong to fact finding,
//! which knows the page's own date.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How much of a date the source actually gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DatePrecision {
    Year,
    Month,
    Day,
    Minute,
    Second,
}

impl DatePrecision {
    pub fn as_str(self) -> &'static str {
        match self {
            DatePrecision::Year => "year",
            DatePrecision::Month => "month",
            DatePrecision::Day => "day",
            DatePrecision::Minute => "minute",
            DatePrecision::Second => "second",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "year" => DatePrecision::Year,
            "month" => DatePrecision::Month,
            "day" => DatePrecision::Day,
            "minute" => DatePrecision::Minute,
            "second" => DatePrecision::Second,
            _ => return None,
        })
    }
}

/// A calendar date (and maybe a time) known to some precision. Fields finer than
/// `precision` are `None`; a time zone offset is kept only when the source stated one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
    pub hour: Option<u8>,
    pub minute: Option<u8>,
    pub second: Option<u8>,
    /// Offset from UTC in minutes, when the source gave one ("Z", "+03:00", "UTC", "MSK").
    pub offset_minutes: Option<i16>,
}

impl PartialDate {
    pub fn year(year: i32) -> Self {
        PartialDate {
            year,
            month: None,
            day: None,
            hour: None,
            minute: None,
            second: None,
            offset_minutes: None,
        }
    }

    pub fn month(year: i32, month: u8) -> Self {
        PartialDate {
            month: Some(month),
            ..Self::year(year)
        }
    }

    pub fn day(year: i32, month: u8, day: u8) -> Self {
        PartialDate {
            day: Some(day),
            ..Self::month(year, month)
        }
    }

    pub fn precision(&self) -> DatePrecision {
        match (self.month, self.day, self.minute, self.second) {
            (None, ..) => DatePrecision::Year,
            (Some(_), None, ..) => DatePrecision::Month,
            (Some(_), Some(_), None, _) => DatePrecision::Day,
            (Some(_), Some(_), Some(_), None) => DatePrecision::Minute,
            (Some(_), Some(_), Some(_), Some(_)) => DatePrecision::Second,
        }
    }

    /// Parses the ISO 8601 form that [`fmt::Display`] writes ("2020", "2020-10", "2020-10-14",
    /// "2025-04-08T08:27", "2025-04-08T08:27:00+03:00").
    pub fn parse_iso(s: &str) -> Option<Self> {
        iso(s.trim())
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        let Some(month) = self.month else {
            return Ok(());
        };
        write!(f, "-{month:02}")?;
        let Some(day) = self.day else { return Ok(()) };
        write!(f, "-{day:02}")?;
        let (Some(hour), Some(minute)) = (self.hour, self.minute) else {
            return Ok(());
        };
        write!(f, "T{hour:02}:{minute:02}")?;
        if let Some(second) = self.second {
            write!(f, ":{second:02}")?;
        }
        match self.offset_minutes {
            Some(0) => write!(f, "Z"),
            Some(off) => {
                let sign = if off < 0 { '-' } else { '+' };
                let off = off.unsigned_abs();
                write!(f, "{sign}{:02}:{:02}", off / 60, off % 60)
            }
            None => Ok(()),
        }
    }
}

const ENGLISH_MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Russian month stems: they cover the nominative ("октябрь"), the genitive ("октября") and
/// the prepositional ("октябре").
const RUSSIAN_MONTH_STEMS: [&str; 12] = [
    "январ",
    "феврал",
    "март",
    "апрел",
    "ма",
    "июн",
    "июл",
    "август",
    "сентябр",
    "октябр",
    "ноябр",
    "декабр",
];

/// Full month names of other languages pages date themselves in (Portuguese, Spanish, French,
/// German, Italian), matched whole.
const OTHER_MONTHS: [(&str, u8); 50] = [
    ("janeiro", 1),
    ("fevereiro", 2),
    ("março", 3),
    ("abril", 4),
    ("maio", 5),
    ("junho", 6),
    ("julho", 7),
    ("agosto", 8),
    ("setembro", 9),
    ("outubro", 10),
    ("novembro", 11),
    ("dezembro", 12),
    ("enero", 1),
    ("febrero", 2),
    ("marzo", 3),
    ("mayo", 5),
    ("junio", 6),
    ("julio", 7),
    ("septiembre", 9),
    ("setiembre", 9),
    ("octubre", 10),
    ("noviembre", 11),
    ("diciembre", 12),
    ("janvier", 1),
    ("février", 2),
    ("mars", 3),
    ("avril", 4),
    ("mai", 5),
    ("juin", 6),
    ("juillet", 7),
    ("août", 8),
    ("septembre", 9),
    ("octobre", 10),
    ("décembre", 12),
    ("januar", 1),
    ("februar", 2),
    ("märz", 3),
    ("juni", 6),
    ("juli", 7),
    ("oktober", 10),
    ("dezember", 12),
    ("gennaio", 1),
    ("febbraio", 2),
    ("aprile", 4),
    ("maggio", 5),
    ("giugno", 6),
    ("luglio", 7),
    ("settembre", 9),
    ("ottobre", 10),
    ("dicembre", 12),
];

/// Month number of a month word: English or Russian, full or abbreviated ("Sep", "Sept."), or
/// a full month name in Portuguese, Spanish, French, German or Italian.
pub fn month_number(word: &str) -> Option<u8> {
    let w = word.trim_end_matches('.').to_lowercase();
    if w.is_empty() {
        return None;
    }
    if let Some(&(_, m)) = OTHER_MONTHS.iter().find(|(name, _)| *name == w) {
        return Some(m);
    }
    for (i, name) in ENGLISH_MONTHS.iter().enumerate() {
        if w == *name
            || (w.len() >= 3 && name.starts_with(w.as_str()) && (w.len() == 3 || w == "sept"))
        {
            return Some(i as u8 + 1);
        }
    }
    // "мая"/"май"/"мае" need an exact check: the stem "ма" alone would also match "март".
    if matches!(w.as_str(), "май" | "мая" | "мае") {
        return Some(5);
    }
    for (i, stem) in RUSSIAN_MONTH_STEMS.iter().enumerate() {
        if i == 4 {
            continue;
        }
        if w.starts_with(stem) && w.chars().count() <= stem.chars().count() + 2 {
            return Some(i as u8 + 1);
        }
    }
    None
}

fn weekday_word(word: &str) -> bool {
    const DAYS: [&str; 14] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "понедельник",
        "вторник",
        "среда",
        "четверг",
        "пятница",
        "суббота",
        "воскресенье",
    ];
    /// Other languages' weekdays, matched whole (a prefix such as "mar" is also a month).
    const OTHER_DAYS: [&str; 33] = [
        "segunda-feira",
        "terça-feira",
        "quarta-feira",
        "quinta-feira",
        "sexta-feira",
        "sábado",
        "domingo",
        "lunes",
        "martes",
        "miércoles",
        "jueves",
        "viernes",
        "lundi",
        "mardi",
        "mercredi",
        "jeudi",
        "vendredi",
        "samedi",
        "dimanche",
        "montag",
        "dienstag",
        "mittwoch",
        "donnerstag",
        "freitag",
        "samstag",
        "sonntag",
        "lunedì",
        "martedì",
        "mercoledì",
        "giovedì",
        "venerdì",
        "sabato",
        "domenica",
    ];
    let w = word.trim_end_matches([',', '.']).to_lowercase();
    (w.len() >= 3 && DAYS.iter().any(|d| d.starts_with(w.as_str())))
        || OTHER_DAYS.contains(&w.as_str())
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

fn valid(date: PartialDate) -> Option<PartialDate> {
    if !(1900..=2200).contains(&date.year) {
        return None;
    }
    if let Some(m) = date.month {
        if !(1..=12).contains(&m) {
            return None;
        }
        if let Some(d) = date.day {
            if d == 0 || d > days_in_month(date.year, m) {
                return None;
            }
        }
    }
    if date.hour.is_some_and(|h| h > 23)
        || date.minute.is_some_and(|m| m > 59)
        || date.second.is_some_and(|s| s > 60)
    {
        return None;
    }
    Some(date)
}

fn number<T: std::str::FromStr>(s: &str, max_len: usize) -> Option<T> {
    if s.is_empty() || s.len() > max_len || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// ISO 8601 and its common relatives ("2018-02-09", "2018-02-09 10:00", "2018-02-09T10:00:00Z").
fn iso(s: &str) -> Option<PartialDate> {
    let (date_part, time_part) = match s.find(['T', ' ']) {
        Some(i) => (&s[..i], Some(s[i + 1..].trim())),
        None => (s, None),
    };
    let mut parts = date_part.split('-');
    let year: i32 = number(parts.next()?, 4)?;
    let mut date = PartialDate::year(year);
    if let Some(m) = parts.next() {
        date.month = Some(number(m, 2)?);
        if let Some(d) = parts.next() {
            date.day = Some(number(d, 2)?);
        }
    }
    if parts.next().is_some() {
        return None;
    }
    if let Some(time) = time_part.filter(|t| !t.is_empty()) {
        date.day?;
        apply_time(&mut date, time)?;
    }
    valid(date)
}

/// Parses "08:27", "08:27:05", "10:00:00+03:00", "10:00Z", "08:27 UTC", "10:00 MSK" into `date`.
fn apply_time(date: &mut PartialDate, time: &str) -> Option<()> {
    let time = time.trim();
    let split = time.find(['Z', '+', '-', ' ']).unwrap_or(time.len());
    let (clock, zone) = time.split_at(split);
    let mut hms = clock.split(':');
    date.hour = Some(number(hms.next()?, 2)?);
    date.minute = Some(number(hms.next()?, 2)?);
    if let Some(sec) = hms.next() {
        let whole = sec.split('.').next()?;
        date.second = Some(number(whole, 2)?);
    }
    if hms.next().is_some() {
        return None;
    }
    let zone = zone.trim();
    date.offset_minutes = match zone {
        "" => None,
        "Z" | "UTC" | "GMT" => Some(0),
        "MSK" | "МСК" => Some(180),
        _ => {
            let sign: i16 = if zone.starts_with('-') { -1 } else { 1 };
            let digits: String = zone.chars().filter(|c| c.is_ascii_digit()).collect();
            if digits.len() != 4 && digits.len() != 2 {
                return None;
            }
            let h: i16 = digits.get(..2)?.parse().ok()?;
            let m: i16 = digits
                .get(2..)
                .filter(|m| !m.is_empty())
                .map_or(Some(0), |m| m.parse().ok())?;
            Some(sign * (h * 60 + m))
        }
    };
    Some(())
}

/// Splits a line into words, treating commas and the no-break spaces of scraped pages as
/// separators and dropping the Russian year marker "г."/"года".
fn words(line: &str) -> Vec<&str> {
    line.split(|c: char| c.is_whitespace() || c == ',' || c == '\u{a0}')
        .filter(|w| !w.is_empty())
        .filter(|w| {
            !matches!(
                *w,
                "г." | "г"
                    | "года"
                    | "год"
                    | "at"
                    | "в"
                    | "de"
                    | "del"
                    | "às"
                    | "à"
                    | "um"
                    | "le"
                    | "den"
                    | "alle"
                    | "ore"
            )
        })
        .collect()
}

/// Parses a line that is a date and nothing else, as pages write dates above articles and in
/// launch tickers. Returns `None` for anything with other words in it.
pub fn parse_date_line(line: &str) -> Option<PartialDate> {
    let trimmed = line.trim().trim_end_matches(['.', '|']).trim();
    if trimmed.is_empty() || trimmed.len() > 64 {
        return None;
    }
    if trimmed.as_bytes()[0].is_ascii_digit() {
        if let Some(d) = iso(trimmed) {
            return Some(d);
        }
        if let Some(d) = dotted(trimmed) {
            return Some(d);
        }
    }
    let mut ws = words(trimmed);
    if ws.first().is_some_and(|w| weekday_word(w)) {
        ws.remove(0);
    }
    // A trailing time, with an optional zone word: "08:27", "08:27 UTC".
    let mut time: Option<String> = None;
    if let Some(pos) = ws.iter().position(|w| w.contains(':')) {
        time = Some(ws[pos..].join(" "));
        ws.truncate(pos);
    }
    let mut date = match ws.as_slice() {
        // "February 9 2018"
        [m, d, y] if month_number(m).is_some() => valid(PartialDate::day(
            number(y, 4)?,
            month_number(m)?,
            number(d.trim_end_matches(['s', 't', 'h', 'n', 'd', 'r']), 2)?,
        ))?,
        // "9 February 2018", "9 февраля 2018"
        [d, m, y] if month_number(m).is_some() => valid(PartialDate::day(
            number(y, 4)?,
            month_number(m)?,
            number(d.trim_end_matches('.'), 2)?,
        ))?,
        // "October 2020", "Октябрь 2020"
        [m, y] if month_number(m).is_some() => {
            valid(PartialDate::month(number(y, 4)?, month_number(m)?))?
        }
        _ => return None,
    };
    if let Some(time) = time {
        apply_time(&mut date, &time)?;
        date = valid(date)?;
    }
    Some(date)
}

/// "09.02.2018" (day first, as Russian and most European pages write it).
fn dotted(s: &str) -> Option<PartialDate> {
    let (date_part, time_part) = match s.split_once(' ') {
        Some((d, t)) => (d, Some(t)),
        None => (s, None),
    };
    let mut parts = date_part.split(['.', '/']);
    let d = number(parts.next()?, 2)?;
    let m = number(parts.next()?, 2)?;
    let y = number(parts.next()?, 4)?;
    if parts.next().is_some() {
        return None;
    }
    let mut date = valid(PartialDate::day(y, m, d))?;
    if let Some(t) = time_part {
        apply_time(&mut date, t)?;
    }
    valid(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(s: &str) -> Option<String> {
        parse_date_line(s).map(|d| format!("{d} {}", d.precision().as_str()))
    }

    #[test]
    fn date_lines_keep_their_precision() {
        assert_eq!(show("February 9, 2018").as_deref(), Some("2018-02-09 day"));
        assert_eq!(
            show("July\u{a0}23, 2020").as_deref(),
            Some("2020-07-23 day")
        );
        assert_eq!(
            show("8 Apr, 2025 08:27").as_deref(),
            Some("2025-04-08T08:27 minute")
        );
        assert_eq!(show("October, 2020").as_deref(), Some("2020-10 month"));
        assert_eq!(
            show("August\u{a0}\u{a0} 2020").as_deref(),
            Some("2020-08 month")
        );
        assert_eq!(show("9 февраля 2018 г.").as_deref(), Some("2018-02-09 day"));
        assert_eq!(show("Октябрь 2020").as_deref(), Some("2020-10 month"));
        assert_eq!(show("14 мая 2021").as_deref(), Some("2021-05-14 day"));
        assert_eq!(show("14 марта 2019").as_deref(), Some("2019-03-14 day"));
        assert_eq!(
            show("2020-07-23T10:26:00+03:00").as_deref(),
            Some("2020-07-23T10:26:00+03:00 second")
        );
        assert_eq!(show("23.07.2020").as_deref(), Some("2020-07-23 day"));
        assert_eq!(
            show("Monday, March 4, 2024 10:05 UTC").as_deref(),
            Some("2024-03-04T10:05Z minute")
        );
    }

    #[test]
    fn european_date_lines() {
        assert_eq!(
            show("segunda-feira, 22 de janeiro de 2018 às 0:13").as_deref(),
            Some("2018-01-22T00:13 minute")
        );
        assert_eq!(show("3 de mayo de 2021").as_deref(), Some("2021-05-03 day"));
        assert_eq!(
            show("Dienstag, 5. März 2019").as_deref(),
            Some("2019-03-05 day")
        );
        assert_eq!(show("12 août 2020").as_deref(), Some("2020-08-12 day"));
        // An English abbreviation that is also a Spanish weekday prefix stays a month.
        assert_eq!(show("Mar 14 2019").as_deref(), Some("2019-03-14 day"));
    }

    #[test]
    fn sentences_and_impossible_dates_are_not_dates() {
        assert_eq!(show("On February 9 in Tomsk an agreement was signed"), None);
        assert_eq!(show("February 30, 2018"), None);
        assert_eq!(show("Mon Tue Wed Thu Fri Sat Sun"), None);
        assert_eq!(show("3 4 5 6 7 8 9"), None);
        assert_eq!(show("May"), None);
        assert_eq!(show(""), None);
    }
}
