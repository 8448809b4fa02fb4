//! The structured parts of a page that are not the article: the mission box ("ISS-63 mission /
//! ISS crew: / Commander - … / Flight engineers: …") and the launch ticker ("July 23, 2020 /
//! LV Soyuz-2.1a with SC Progress MS-15 is launched").
//!
//! Blocks keep names exactly as the page spells them, with their place in the page text.
//! Turning a spelling into a known person or vehicle is fact finding's job, not this module's.

use crate::date::{parse_date_line, PartialDate};
use crate::page::{Line, Span};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CrewRole {
    Commander,
    FlightEngineer,
    SpaceflightParticipant,
}

impl CrewRole {
    pub fn as_str(self) -> &'static str {
        match self {
            CrewRole::Commander => "commander",
            CrewRole::FlightEngineer => "flight_engineer",
            CrewRole::SpaceflightParticipant => "spaceflight_participant",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "commander" => CrewRole::Commander,
            "flight_engineer" => CrewRole::FlightEngineer,
            "spaceflight_participant" => CrewRole::SpaceflightParticipant,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LaunchStatus {
    Planned,
    Done,
    Failed,
}

impl LaunchStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            LaunchStatus::Planned => "planned",
            LaunchStatus::Done => "done",
            LaunchStatus::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "planned" => LaunchStatus::Planned,
            "done" => LaunchStatus::Done,
            "failed" => LaunchStatus::Failed,
            _ => return None,
        })
    }
}

/// A piece of text as the page wrote it, with where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned {
    pub text: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrewEntry {
    pub role: CrewRole,
    pub name: Spanned,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissionBox {
    /// The station as written ("ISS", "МКС").
    pub station: String,
    pub expedition: u32,
    /// The expedition's name in the box's heading ("ISS-63" of "ISS-63 mission").
    pub label: Spanned,
    pub crew: Vec<CrewEntry>,
    pub tasks: Vec<String>,
    /// From the heading to the last crew line.
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaunchEntry {
    pub date: Option<PartialDate>,
    pub vehicle: Spanned,
    pub spacecraft: Spanned,
    pub status: LaunchStatus,
    /// From the date line to the event line.
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    MissionBox(MissionBox),
    Launch(LaunchEntry),
}

/// "ISS-63 mission", "ISS-63", "Expedition 63", "МКС-63", "Экспедиция МКС-63" → ("ISS", 63).
pub fn parse_expedition_label(line: &str) -> Option<(String, u32)> {
    let mut s = line.trim().trim_end_matches(':').trim();
    for suffix in [
        " mission",
        " Mission",
        " expedition",
        " Expedition",
        " crew",
    ] {
        s = s.strip_suffix(suffix).unwrap_or(s);
    }
    for prefix in [
        "Expedition ",
        "Экспедиция ",
        "ISS Expedition ",
        "ISS expedition ",
    ] {
        if let Some(rest) = s.strip_prefix(prefix) {
            s = rest;
            if s.bytes().all(|b| b.is_ascii_digit()) {
                return Some(("ISS".into(), s.parse().ok()?));
            }
        }
    }
    for station in ["ISS", "МКС"] {
        if let Some(rest) = s.strip_prefix(station) {
            let num = rest.trim_start_matches(['-', '‐', '–', '—', ' ', '\u{a0}']);
            if !num.is_empty() && num.len() <= 3 && num.bytes().all(|b| b.is_ascii_digit()) {
                return Some((station.to_string(), num.parse().ok()?));
            }
        }
    }
    None
}

fn role_header(line: &str) -> Option<(CrewRole, &str)> {
    let lower = line.to_lowercase();
    const ROLES: [(&str, CrewRole); 8] = [
        ("flight engineers", CrewRole::FlightEngineer),
        ("flight engineer", CrewRole::FlightEngineer),
        ("commander", CrewRole::Commander),
        ("spaceflight participants", CrewRole::SpaceflightParticipant),
        ("spaceflight participant", CrewRole::SpaceflightParticipant),
        ("бортинженеры", CrewRole::FlightEngineer),
        ("бортинженер", CrewRole::FlightEngineer),
        ("командир", CrewRole::Commander),
    ];
    for (word, role) in ROLES {
        if lower.starts_with(word) {
            // `word` is lowercase ASCII or Cyrillic; the same prefix length in bytes holds in
            // `line` because lowercasing these letters does not change their UTF-8 length.
            let rest = line.get(word.len()..)?;
            let rest = rest
                .trim_start_matches([' ', '\u{a0}', '-', '–', '—', ':'])
                .trim();
            return Some((role, rest));
        }
    }
    None
}

fn is_crew_header(line: &str) -> bool {
    let l = line.trim().trim_end_matches(':').to_lowercase();
    matches!(
        l.as_str(),
        "iss crew" | "crew" | "экипаж мкс" | "экипаж" | "the crew" | "current crew"
    )
}

fn is_tasks_header(line: &str) -> bool {
    let l = line.trim().trim_end_matches(':').to_lowercase();
    matches!(
        l.as_str(),
        "main tasks" | "tasks" | "основные задачи" | "задачи экспедиции"
    )
}

/// A person's name as a mission box lists it: two to four capitalised words of letters,
/// hyphens, apostrophes and dots ("David Saint-Jaques", "Ovchinin Alexey", "Иван Вагнер").
pub fn looks_like_name(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    if !(2..=4).contains(&words.len()) || s.chars().count() > 60 {
        return false;
    }
    words.iter().all(|w| {
        let mut chars = w.chars();
        chars.next().is_some_and(char::is_uppercase)
            && w.chars()
                .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’' | '.'))
    })
}

/// Splits "A, B and C" into names, keeping each one's byte offset in `s`.
fn split_names(s: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = s.as_bytes();
    let mut i = 0;
    while i <= s.len() {
        let sep = if i == s.len() {
            Some(0)
        } else if bytes[i] == b',' || bytes[i] == b';' {
            Some(1)
        } else if s[i..].starts_with(" and ") {
            Some(5)
        } else if s[i..].starts_with(" и ") {
            Some(" и ".len())
        } else {
            None
        };
        if let Some(len) = sep {
            let piece = &s[start..i];
            let trimmed = piece.trim();
            if !trimmed.is_empty() {
                let lead = piece.len() - piece.trim_start().len();
                out.push((start + lead, trimmed));
            }
            if i == s.len() {
                break;
            }
            i += len;
            start = i;
        } else {
            i += 1;
            while i < s.len() && !s.is_char_boundary(i) {
                i += 1;
            }
        }
    }
    out
}

/// Parses a mission box that starts at `lines[start]`. Returns it and the index one past its
/// last line.
pub fn parse_mission_box(lines: &[Line], start: usize) -> Option<(MissionBox, usize)> {
    let (station, expedition) = parse_expedition_label(&lines[start].text)?;
    // The label is the line up to the expedition number: "ISS-63" of "ISS-63 mission".
    let line = &lines[start].text;
    let lead = line.len() - line.trim_start().len();
    let digits = expedition.to_string();
    let label_end = line
        .rfind(&digits)
        .map_or(line.trim_end().len(), |i| i + digits.len());
    let label = Spanned {
        text: line[lead..label_end].to_string(),
        span: lines[start].sub_span(lead, label_end - lead),
    };
    let mut crew = Vec::new();
    let mut tasks = Vec::new();
    let mut role: Option<CrewRole> = None;
    let mut in_tasks = false;
    let mut seen_crew_header = false;
    let mut end = start + 1;
    let mut i = start + 1;
    let mut blank_run = 0;
    while i < lines.len() {
        let text = lines[i].text.trim();
        // On an HTML page the box is one element: it ends where its zone ends.
        if lines[i].zone != lines[start].zone {
            break;
        }
        if text.is_empty() {
            blank_run += 1;
            // Inside the crew list a blank line ends the box; before it, the box's heading and
            // crew may stand a few blank lines apart.
            if !crew.is_empty() || blank_run > 3 {
                break;
            }
            i += 1;
            continue;
        }
        blank_run = 0;
        if is_tasks_header(text) {
            in_tasks = true;
        } else if is_crew_header(text) {
            in_tasks = false;
            seen_crew_header = true;
        } else if let Some((r, rest)) = role_header(text) {
            in_tasks = false;
            role = Some(r);
            if !rest.is_empty() {
                let offset = lines[i].text.len() - lines[i].text.trim_start().len()
                    + (text.len() - rest.len());
                push_names(&mut crew, r, &lines[i], offset, rest);
            }
        } else if let Some(r) = role.filter(|_| looks_like_name(text) || text.contains(',')) {
            let offset = lines[i].text.len() - lines[i].text.trim_start().len();
            if !push_names(&mut crew, r, &lines[i], offset, text) {
                break;
            }
        } else if in_tasks && !seen_crew_header && role.is_none() {
            tasks.push(text.to_string());
        } else {
            break;
        }
        end = i + 1;
        i += 1;
    }
    if crew.is_empty() {
        return None;
    }
    let span = Span::cover(lines[start].span(), lines[end - 1].span());
    Some((
        MissionBox {
            station,
            expedition,
            label,
            crew,
            tasks,
            span,
        },
        end,
    ))
}

/// Adds the names in `text` (which starts at byte `offset` of `line`); false if any piece is
/// not a name, in which case nothing is added.
fn push_names(
    crew: &mut Vec<CrewEntry>,
    role: CrewRole,
    line: &Line,
    offset: usize,
    text: &str,
) -> bool {
    let names = split_names(text);
    if names.is_empty() || !names.iter().all(|(_, n)| looks_like_name(n)) {
        return false;
    }
    for (at, name) in names {
        let span = line.sub_span(offset + at, name.len());
        crew.push(CrewEntry {
            role,
            name: Spanned {
                text: name.to_string(),
                span,
            },
        });
    }
    true
}

/// Byte ranges of the vehicle and the spacecraft in an event line, and the launch status.
pub type LaunchEvent = ((usize, usize), (usize, usize), LaunchStatus);

/// Parses one launch-ticker event line: "LV Soyuz-2.1a with SC Progress MS-15 is launched",
/// "The launch of LV Soyuz-2.1a with SC Soyuz MS-17 is planned", or the Russian "Пуск РН
/// «Союз-2.1а» с ТГК «Прогресс МС-15» состоялся". Returns vehicle and spacecraft as byte
/// ranges of `line`, and the status.
pub fn parse_launch_event(line: &str) -> Option<LaunchEvent> {
    english_event(line).or_else(|| russian_event(line))
}

fn english_event(line: &str) -> Option<LaunchEvent> {
    let lv = find_word(line, "LV ")? + 3;
    let with = lv + line[lv..].find(" with ")?;
    let after_with = with + " with ".len();
    let craft_kinds = [
        "SC ",
        "CV ",
        "TV ",
        "spacecraft ",
        "cargo vehicle ",
        "cargo ship ",
        "TPK ",
        "TGK ",
    ];
    let kind = craft_kinds
        .iter()
        .find(|k| line[after_with..].starts_with(*k))?;
    let craft = after_with + kind.len();
    let is = craft + line[craft..].rfind(" is ")?;
    let status_word = line[is + 4..]
        .trim()
        .trim_end_matches(['.', '!'])
        .to_lowercase();
    let status = match status_word.as_str() {
        "launched" | "successfully launched" => LaunchStatus::Done,
        "planned" | "scheduled" | "postponed" | "rescheduled" => LaunchStatus::Planned,
        "failed" | "lost" | "aborted" => LaunchStatus::Failed,
        _ => return None,
    };
    trimmed_range(line, lv, with)
        .zip(trimmed_range(line, craft, is))
        .map(|(v, c)| (v, c, status))
}

fn russian_event(line: &str) -> Option<LaunchEvent> {
    let lv = find_word(line, "РН ")? + "РН ".len();
    let with = lv + line[lv..].find(" с ")?;
    let mut craft = with + " с ".len();
    for kind in ["ТГК ", "ТПК ", "КА ", "корабль ", "кораблём ", "кораблем "]
    {
        if line[craft..].starts_with(kind) {
            craft += kind.len();
            break;
        }
    }
    let lower = line.to_lowercase();
    const STATUSES: [(&str, LaunchStatus); 8] = [
        (" состоялся", LaunchStatus::Done),
        (" запущен", LaunchStatus::Done),
        (" стартовал", LaunchStatus::Done),
        (" выведен", LaunchStatus::Done),
        (" запланирован", LaunchStatus::Planned),
        (" планируется", LaunchStatus::Planned),
        (" назначен", LaunchStatus::Planned),
        (" авари", LaunchStatus::Failed),
    ];
    let (end, status) = STATUSES
        .iter()
        .filter_map(|(w, s)| lower.find(w).map(|i| (i, *s)))
        .min_by_key(|(i, _)| *i)?;
    if end <= craft {
        return None;
    }
    trimmed_range(line, lv, with)
        .zip(trimmed_range(line, craft, end))
        .map(|(v, c)| (v, c, status))
}

/// Finds `word` at the start of `line` or after a space.
fn find_word(line: &str, word: &str) -> Option<usize> {
    line.match_indices(word)
        .map(|(i, _)| i)
        .find(|&i| i == 0 || line.as_bytes()[i - 1] == b' ')
}

/// The range `start..end` of `line` without surrounding spaces and «» or "" quotes; None if
/// nothing is left.
fn trimmed_range(line: &str, start: usize, end: usize) -> Option<(usize, usize)> {
    let piece = line.get(start..end)?;
    let quotes: &[char] = &[' ', '\u{a0}', '«', '»', '"', '“', '”'];
    let lead = piece.len() - piece.trim_start_matches(quotes).len();
    let trail = piece.len() - piece.trim_end_matches(quotes).len();
    if lead + trail >= piece.len() {
        return None;
    }
    Some((start + lead, end - trail))
}

/// Parses a ticker entry whose event line is `lines[i]`; its date is the nearest non-blank
/// line above when that line is a date. Returns the entry and the index of its first line.
pub fn parse_launch_entry(lines: &[Line], i: usize) -> Option<(LaunchEntry, usize)> {
    let text = &lines[i].text;
    let ((vs, ve), (cs, ce), status) = parse_launch_event(text)?;
    let vehicle = Spanned {
        text: text[vs..ve].to_string(),
        span: lines[i].sub_span(vs, ve - vs),
    };
    let spacecraft = Spanned {
        text: text[cs..ce].to_string(),
        span: lines[i].sub_span(cs, ce - cs),
    };
    let mut first = i;
    let mut date = None;
    if let Some(prev) = (0..i).rev().find(|&j| !lines[j].text.trim().is_empty()) {
        if let Some(d) = parse_date_line(&lines[prev].text) {
            date = Some(d);
            first = prev;
        }
    }
    let span = Span::cover(lines[first].span(), lines[i].span());
    Some((
        LaunchEntry {
            date,
            vehicle,
            spacecraft,
            status,
            span,
        },
        first,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_is_found_at_the_start_or_after_a_space() {
        assert_eq!(find_word("LV Soyuz", "LV "), Some(0));
        assert_eq!(find_word("the CLV x LV Soyuz", "LV "), Some(10));
        assert_eq!(find_word("CLV Soyuz", "LV "), None);
        assert_eq!(find_word("пуск РН Союз", "РН "), Some("пуск ".len()));
    }

    #[test]
    fn expedition_labels() {
        assert_eq!(
            parse_expedition_label("ISS-63 mission"),
            Some(("ISS".into(), 63))
        );
        assert_eq!(
            parse_expedition_label("Expedition 70"),
            Some(("ISS".into(), 70))
        );
        assert_eq!(
            parse_expedition_label("Экспедиция МКС-64"),
            Some(("МКС".into(), 64))
        );
        assert_eq!(parse_expedition_label("ISS crew:"), None);
        assert_eq!(parse_expedition_label("ISS-63 mission was a success"), None);
    }

    #[test]
    fn launch_events_in_english_and_russian() {
        let line = "The launch of LV Soyuz-2.1a with SC Soyuz MS-17 is planned";
        let ((vs, ve), (cs, ce), st) = parse_launch_event(line).expect("parses");
        assert_eq!(
            (&line[vs..ve], &line[cs..ce], st),
            ("Soyuz-2.1a", "Soyuz MS-17", LaunchStatus::Planned)
        );
        let line = "LV Soyuz-2.1a with CV Progress MS-11 is launched";
        let ((vs, ve), (cs, ce), st) = parse_launch_event(line).expect("parses");
        assert_eq!(
            (&line[vs..ve], &line[cs..ce], st),
            ("Soyuz-2.1a", "Progress MS-11", LaunchStatus::Done)
        );
        let line = "Пуск РН «Союз-2.1а» с ТГК «Прогресс МС-15» состоялся";
        let ((vs, ve), (cs, ce), st) = parse_launch_event(line).expect("parses");
        assert_eq!(
            (&line[vs..ve], &line[cs..ce], st),
            ("Союз-2.1а", "Прогресс МС-15", LaunchStatus::Done)
        );
        assert!(parse_launch_event("The LV was delivered with care").is_none());
    }

    #[test]
    fn names_look_like_names() {
        assert!(looks_like_name("David Saint-Jaques"));
        assert!(looks_like_name("Ovchinin Alexey"));
        assert!(looks_like_name("Иван Вагнер"));
        assert!(!looks_like_name("Dear colleagues, Dear friends,"));
        assert!(!looks_like_name("Main tasks"));
        assert!(!looks_like_name("Christopher"));
    }
}
