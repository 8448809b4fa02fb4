//! The annotation schema of korolev's fact evaluation sets (`space-news/gold.jsonl` in the
//! shared data): what one text states, flat, as an annotator writes it — people as the text
//! spells them, spacecraft by their most specific designation, rockets, expeditions, the five
//! partner agencies, launch sites, crew roles per expedition, launches and dockings — and the
//! scorer that compares such records field by field.
//!
//! korolev's own facts are richer (ids, evidence, confidence); [`annotate`] projects one
//! document's entities and claims into this schema so that they can be scored by this module
//! or by any other scorer of the schema. The matching rules are the set's own (its README):
//! strings compared after case folding and canonicalisation, list fields as sets, crew,
//! launches and dockings matched one to one, dates within a day or inside a coarser gold date.

use crate::gazetteer::Gazetteer;
pub use crate::gold::Counts;
use crate::merge::{merge, Fact};
use crate::model::{Claim, ClaimKind, Entity, EntityKind, Occupation};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The five agencies that the schema annotates; other organisations are not agencies there.
const PARTNER_AGENCIES: [&str; 5] = [
    "agency/nasa",
    "agency/roscosmos",
    "agency/esa",
    "agency/jaxa",
    "agency/csa",
];

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrewRow {
    pub person: Option<String>,
    pub role: Option<String>,
    pub expedition: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LaunchRow {
    pub date: Option<String>,
    pub vehicle: Option<String>,
    pub spacecraft: Option<String>,
    pub site: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DockingRow {
    pub date: Option<String>,
    pub spacecraft: Option<String>,
    pub port: Option<String>,
}

/// One text's facts in the annotation schema.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Annotation {
    pub id: String,
    #[serde(default)]
    pub people: Vec<String>,
    #[serde(default)]
    pub spacecraft: Vec<String>,
    #[serde(default)]
    pub launch_vehicles: Vec<String>,
    #[serde(default)]
    pub expeditions: Vec<String>,
    #[serde(default)]
    pub agencies: Vec<String>,
    #[serde(default)]
    pub sites: Vec<String>,
    #[serde(default)]
    pub crew: Vec<CrewRow>,
    #[serde(default)]
    pub launches: Vec<LaunchRow>,
    #[serde(default)]
    pub dockings: Vec<DockingRow>,
}

fn push_new(v: &mut Vec<String>, s: String) {
    if !v.contains(&s) {
        v.push(s);
    }
}

/// The name of a person as the text writes it: the first mention of two words or more (a
/// surname alone is not a name), without quoted nicknames, middle initials or generational
/// suffixes, in first-name-first order.
pub fn written_name(e: &Entity) -> String {
    // The fullest form: a name with its nickname in quotes is the formal one ("Barry “Butch”
    // Wilmore" over "Butch Wilmore"), else the first name of two words or more.
    let full_forms: Vec<&str> = e
        .mentions
        .iter()
        .map(|m| m.text.as_str())
        .filter(|t| t.split_whitespace().count() >= 2)
        .collect();
    let full = full_forms
        .iter()
        .find(|t| t.contains(['"', '“', '”']))
        .or(full_forms.first())
        .copied()
        .unwrap_or(&e.name);
    let mut words: Vec<&str> = Vec::new();
    let mut in_quote = false;
    for w in full.split_whitespace() {
        let quotes: &[char] = &['"', '“', '”', '\''];
        let opens = w.starts_with(quotes);
        let closes = w.ends_with(quotes);
        if in_quote || opens {
            // "Butch", “Dottie”: a nickname of one word or more, quotes around it.
            in_quote = !closes || (opens && w.chars().count() == 1);
            continue;
        }
        let bare = w.trim_end_matches([',', '.']);
        let initial = bare.chars().count() == 1 && w.ends_with('.');
        let suffix = matches!(bare, "Jr" | "Sr" | "II" | "III" | "IV");
        if initial || suffix {
            continue;
        }
        words.push(w.trim_end_matches(','));
    }
    // First name and surname: middle names out ("Patricia “Patty” Hilliard Robertson"), but
    // a surname of two words kept ("Mark Vande Hei").
    let canonical: Vec<&str> = e.name.split_whitespace().collect();
    if words.len() >= 3 {
        let two =
            canonical.len() >= 3 && words[words.len() - 2..] == canonical[canonical.len() - 2..];
        let keep = if two { 2 } else { 1 };
        let mut short = vec![words[0]];
        short.extend_from_slice(&words[words.len() - keep..]);
        words = short;
    }
    let name = words.join(" ");
    // "Furukawa Satoshi": the gazetteer's order is the one readers expect.
    if words.len() == 2 {
        let swapped = format!("{} {}", words[1], words[0]);
        if crate::names::skeleton(&swapped) == crate::names::skeleton(&e.name)
            && crate::names::skeleton(&name) != crate::names::skeleton(&e.name)
        {
            return swapped;
        }
    }
    if name.is_empty() {
        e.name.clone()
    } else {
        name
    }
}

/// Makers' names that news writes before a vehicle's ("Boeing's Starliner", "SpaceX Dragon").
const MAKERS: [&str; 8] = [
    "Boeing",
    "SpaceX",
    "Northrop Grumman",
    "Sierra Space",
    "Orbital ATK",
    "Orbital Sciences",
    "Roscosmos",
    "JAXA",
];

/// A spacecraft as the text designates it: its most specific mention without the maker's
/// name; a capsule named alone ("Endeavour") with its type's name before it.
fn written_craft(e: &Entity, g: &Gazetteer) -> String {
    // A type stands as the bare type ("SpaceX Dragon cargo spacecraft" is a Dragon).
    if e.kind == EntityKind::SpacecraftFamily {
        let top = g
            .entries()
            .iter()
            .filter(|k| k.kind == EntityKind::SpacecraftFamily && g.belongs(&e.id, &k.id()))
            .min_by_key(|k| k.name.split_whitespace().count());
        return top.map_or_else(|| e.name.clone(), |k| k.name.clone());
    }
    // An orbiter by its full name: "shuttle Discovery" is Space Shuttle Discovery.
    if g.get(&e.id)
        .and_then(|k| k.family.as_deref())
        .is_some_and(|f| f == "space-shuttle")
    {
        return e.name.clone();
    }
    let mut best = e
        .mentions
        .iter()
        .map(|m| m.text.as_str())
        .max_by_key(|t| t.split_whitespace().count())
        .unwrap_or(&e.name)
        .trim();
    for maker in MAKERS {
        if let Some(rest) = best.strip_prefix(maker) {
            let rest = rest.trim_start_matches(['\'', '’', 's']).trim_start();
            if !rest.is_empty() && rest.len() < best.len() {
                best = rest;
            }
        }
    }
    if e.kind == EntityKind::Spacecraft && !best.contains(' ') {
        let family = g
            .get(&e.id)
            .and_then(|k| k.family.clone())
            .and_then(|f| g.get(&format!("spacecraft_family/{f}")))
            .map(|f| f.name.rsplit(' ').next().unwrap_or(&f.name).to_string());
        if let Some(f) = family.filter(|f| !best.contains(f.as_str())) {
            return format!("{f} {best}");
        }
    }
    best.to_string()
}

/// A rocket as the text first names it, without its maker's name ("Vulcan", "SLS").
fn written_vehicle(e: &Entity) -> String {
    let first = e
        .mentions
        .first()
        .map_or(e.name.as_str(), |m| m.text.as_str());
    let bare = ["ULA ", "SpaceX ", "United Launch Alliance "]
        .iter()
        .find_map(|m| first.strip_prefix(m))
        .unwrap_or(first)
        .trim();
    [" rocket", " booster", " launch vehicle"]
        .iter()
        .find_map(|s| bare.strip_suffix(s))
        .unwrap_or(bare)
        .to_string()
}

/// Whether an entity is a crew or cargo vehicle (or its type), as the schema's spacecraft are.
fn is_vehicle(e: &Entity, g: &Gazetteer) -> bool {
    matches!(
        e.kind,
        EntityKind::Spacecraft | EntityKind::SpacecraftFamily
    ) && !g.get(&e.id).is_some_and(|k| k.probe)
}

/// The types of vehicle that visit the ISS.
const ISS_VISITORS: [&str; 8] = [
    "spacecraft_family/dragon",
    "spacecraft_family/cygnus",
    "spacecraft_family/soyuz",
    "spacecraft_family/progress",
    "spacecraft_family/htv",
    "spacecraft_family/atv",
    "spacecraft_family/starliner",
    "spacecraft_family/dream-chaser",
];

/// Whether a docking is an arrival at the ISS, as the schema's dockings are: the station or
/// one of its modules is named, or, with no place named, the craft is of a type that visits it
/// (Orion at the Gateway, a shuttle at Mir, a Shenzhou at Tiangong are not).
fn at_iss(f: &Fact, g: &Gazetteer) -> bool {
    match f.object.as_deref() {
        Some("station/iss") => true,
        Some(o) if o.starts_with("module/") => g
            .get(o)
            .and_then(|k| k.station.as_deref())
            .is_none_or(|s| s == "iss"),
        Some(o) if o.starts_with("station/") => false,
        _ if f.subject.starts_with("mission/") => g
            .get(&f.subject)
            .is_some_and(|m| m.destination.as_deref() == Some("iss")),
        _ => ISS_VISITORS
            .iter()
            .any(|t| f.subject == *t || g.belongs(&f.subject, t)),
    }
}

/// Projects one document's entities and claims into the annotation schema.
pub fn annotate(id: &str, entities: &[Entity], claims: &[Claim], g: &Gazetteer) -> Annotation {
    let by_id: BTreeMap<&str, &Entity> = entities.iter().map(|e| (e.id.as_str(), e)).collect();
    let name = |id: &str| by_id.get(id).map(|e| e.name.clone());
    let craft_name = |id: &str| {
        by_id
            .get(id)
            .filter(|e| is_vehicle(e, g))
            .map(|e| written_craft(e, g))
    };
    let person_name = |id: &str| by_id.get(id).map(|e| written_name(e));
    let mut a = Annotation {
        id: id.to_string(),
        ..Annotation::default()
    };
    for e in entities {
        match e.kind {
            EntityKind::Person if e.occupation == Some(Occupation::Astronaut) => {
                push_new(&mut a.people, written_name(e))
            }
            EntityKind::Spacecraft if is_vehicle(e, g) => {
                push_new(&mut a.spacecraft, written_craft(e, g))
            }
            // A type stands for a vehicle of the story only when no vehicle of that type is
            // named and something happens to it ("the Dragon docked"); "SpaceX's Dragon and
            // Boeing's Starliner" as products are not spacecraft of the story.
            EntityKind::SpacecraftFamily if is_vehicle(e, g) => {
                let specific = entities
                    .iter()
                    .any(|o| o.kind == EntityKind::Spacecraft && g.belongs(&o.id, &e.id));
                let acts = claims
                    .iter()
                    .any(|c| c.kind.is_event() && c.subject == e.id);
                if !specific && acts {
                    push_new(&mut a.spacecraft, written_craft(e, g))
                }
            }
            EntityKind::LaunchVehicle => push_new(&mut a.launch_vehicles, written_vehicle(e)),
            EntityKind::Expedition => push_new(&mut a.expeditions, e.name.clone()),
            EntityKind::Agency if PARTNER_AGENCIES.contains(&e.id.as_str()) => {
                push_new(&mut a.agencies, e.name.clone())
            }
            EntityKind::Site => push_new(&mut a.sites, e.name.clone()),
            _ => {}
        }
    }
    // A flight told without launch wording is no launch in this schema.
    let stated = claims.iter().filter(|c| {
        !(c.kind == ClaimKind::Launch && c.detail.as_deref() == Some(crate::prose::FLIGHT))
    });
    let facts: Vec<Fact> = merge(stated.map(|c| (c, id)));
    for f in &facts {
        match f.kind {
            ClaimKind::CrewMember => {
                let expedition = f.object.as_deref().and_then(name);
                if expedition.is_none() {
                    continue;
                }
                a.crew.push(CrewRow {
                    person: person_name(&f.subject),
                    role: f
                        .role
                        .filter(|r| {
                            matches!(
                                r,
                                korolev_extract::CrewRole::Commander
                                    | korolev_extract::CrewRole::FlightEngineer
                            )
                        })
                        .map(|r| r.as_str().to_string()),
                    expedition,
                });
            }
            ClaimKind::Launch => a.launches.push(LaunchRow {
                date: f.date.clone(),
                vehicle: f
                    .object
                    .as_deref()
                    .and_then(|o| by_id.get(o))
                    .filter(|e| e.kind == EntityKind::LaunchVehicle)
                    .map(|e| written_vehicle(e)),
                spacecraft: craft_name(&f.subject),
                site: f.site.as_deref().and_then(name),
            }),
            ClaimKind::Docking if !at_iss(f, g) => {}
            ClaimKind::Docking => a.dockings.push(DockingRow {
                date: f.date.clone(),
                spacecraft: craft_name(&f.subject),
                port: match (
                    f.object
                        .as_deref()
                        .filter(|o| o.starts_with("module/"))
                        .and_then(name),
                    &f.detail,
                ) {
                    (Some(module), Some(side)) => Some(format!("{module} {side}")),
                    (Some(module), None) => Some(module),
                    (None, Some(side)) => Some(side.clone()),
                    (None, None) => None,
                },
            }),
            _ => {}
        }
    }
    a
}

/// A gold or prediction file that does not parse: the line is named.
#[derive(Debug, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct AnnotationError {
    pub line: usize,
    pub reason: String,
}

/// Reads a JSON-lines file of annotations, one object per line.
pub fn parse_lines(text: &str) -> Result<Vec<Annotation>, AnnotationError> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let a: Annotation = serde_json::from_str(line).map_err(|e| AnnotationError {
            line: i + 1,
            reason: e.to_string(),
        })?;
        out.push(a);
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Scoring.

/// Lowercase, accents and dashes folded, spaces collapsed. The dotless ı is kept, as
/// canonical decomposition keeps it.
fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.trim().chars().flat_map(char::to_lowercase) {
        let c = match c {
            '\u{2019}' | '\u{2018}' => '\'',
            '\u{2013}' | '\u{2014}' => '-',
            'ı' => 'ı',
            c => crate::names::fold_latin(c),
        };
        if c.is_whitespace() {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
    out.trim().to_string()
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn norm_person(s: &str) -> String {
    let s: Vec<char> = fold(s).chars().collect();
    let quote = |c: char| matches!(c, '"' | '\u{201c}' | '\u{201d}');
    // Quoted nicknames out: a quote, anything but quotes, a quote.
    let mut unquoted: Vec<char> = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if quote(s[i]) {
            if let Some(k) = (i + 1..s.len()).find(|&k| quote(s[k])) {
                unquoted.push(' ');
                i = k + 1;
                continue;
            }
        }
        unquoted.push(s[i]);
        i += 1;
    }
    // Middle initials out: a lone letter at a word start, its dot and the spaces after.
    let mut kept = String::with_capacity(unquoted.len());
    let mut i = 0;
    while i < unquoted.len() {
        let c = unquoted[i];
        let at_start = i == 0 || !is_word(unquoted[i - 1]);
        if c.is_ascii_lowercase() && at_start && unquoted.get(i + 1) == Some(&'.') {
            kept.push(' ');
            i += 2;
            while unquoted.get(i).is_some_and(|c| c.is_whitespace()) {
                i += 1;
            }
            continue;
        }
        kept.push(if c.is_ascii_lowercase() || matches!(c, '\'' | ' ' | '-') {
            c
        } else {
            ' '
        });
        i += 1;
    }
    collapse(&kept)
}

/// `s` with the listed whole words (bounded by non-word characters) replaced by a space.
fn drop_words(s: &str, words: &[&str]) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    'scan: while i < chars.len() {
        if i == 0 || !is_word(chars[i - 1]) {
            for w in words {
                let n = w.chars().count();
                let fits = chars.len() >= i + n
                    && chars[i..i + n].iter().copied().eq(w.chars())
                    && chars.get(i + n).is_none_or(|c| !is_word(*c));
                if fits {
                    out.push(' ');
                    i += n;
                    continue 'scan;
                }
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

fn surname(s: &str) -> String {
    norm_person(s)
        .split_whitespace()
        .last()
        .unwrap_or_default()
        .to_string()
}

fn strip_prefix_words<'a>(s: &'a str, words: &[&str]) -> &'a str {
    for w in words {
        if let Some(rest) = s.strip_prefix(w).and_then(|r| r.strip_prefix(' ')) {
            return rest;
        }
    }
    s
}

fn norm_spacecraft(s: &str) -> String {
    let s = fold(s);
    let mut s = strip_prefix_words(
        &s,
        &[
            "the",
            "spacex",
            "roscosmos",
            "russian",
            "japanese",
            "northrop grumman's",
            "northrop grumman",
            "northrop grumman's",
        ],
    )
    .to_string();
    for suffix in [
        "spacecraft",
        "cargo ship",
        "cargo craft",
        "capsule",
        "freighter",
        "resupply ship",
        "ship",
    ] {
        let bounded = s
            .strip_suffix(suffix)
            .filter(|rest| rest.is_empty() || !rest.ends_with(is_word));
        if let Some(rest) = bounded {
            s = rest.trim().to_string();
            break;
        }
    }
    let s = serial_dash(&s);
    let s = kounotori(&s);
    let s = s.replace("s.s. ", "ss ").replace("s.s.", "ss ");
    let s = s
        .strip_prefix("space shuttle ")
        .map(str::to_string)
        .unwrap_or(s);
    collapse(&s)
}

/// "ms 25", "ms25", "ms - 25" → "ms-25" (also tma, tm, m1, m).
fn serial_dash(s: &str) -> String {
    let words: Vec<&str> = s.split(' ').collect();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        let prefix = ["ms", "tma", "tm", "m1", "m"].iter().find(|p| {
            w.strip_prefix(**p).is_some_and(|r| {
                r.is_empty() || r.starts_with('-') || r.starts_with(|c: char| c.is_ascii_digit())
            })
        });
        if let Some(p) = prefix {
            let rest = &w[p.len()..];
            let rest = rest.trim_start_matches('-');
            if rest.starts_with(|c: char| c.is_ascii_digit()) {
                out.push(format!("{p}-{rest}"));
                i += 1;
                continue;
            }
            if rest.is_empty() {
                let mut j = i + 1;
                if words.get(j) == Some(&"-") {
                    j += 1;
                }
                if let Some(n) = words
                    .get(j)
                    .filter(|n| n.starts_with(|c: char| c.is_ascii_digit()))
                {
                    out.push(format!("{p}-{n}"));
                    i = j + 1;
                    continue;
                }
            }
        }
        out.push(w.to_string());
        i += 1;
    }
    out.join(" ")
}

/// "kounotori 9", "kounotori-9 gouki", "htv 9" → "htv-9".
fn kounotori(s: &str) -> String {
    let words: Vec<&str> = s.split(' ').collect();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        let head = ["kounotori", "htv"].into_iter().find(|h| w.starts_with(h));
        if let Some(h) = head {
            let rest = w[h.len()..].trim_start_matches('-');
            let (num, used) = if rest.is_empty() {
                match words.get(i + 1) {
                    Some(n) if n.chars().all(|c| c.is_ascii_digit()) && !n.is_empty() => {
                        (n.to_string(), 2)
                    }
                    _ => (String::new(), 1),
                }
            } else if rest.chars().all(|c| c.is_ascii_digit()) {
                (rest.to_string(), 1)
            } else {
                (String::new(), 1)
            };
            if !num.is_empty() {
                out.push(format!("htv-{num}"));
                i += used;
                if words.get(i) == Some(&"gouki") {
                    i += 1;
                }
                continue;
            }
        }
        out.push(w.to_string());
        i += 1;
    }
    out.join(" ")
}

fn norm_vehicle(s: &str) -> String {
    let t = collapse(&fold(s).replace('_', " "));
    let starts = |p: &str| t.starts_with(p);
    let compact: String = t
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.'))
        .collect();
    if compact.starts_with("soyuzfg") {
        "soyuz-fg".into()
    } else if compact.starts_with("soyuz21a") {
        "soyuz-2.1a".into()
    } else if compact.starts_with("soyuz21b") {
        "soyuz-2.1b".into()
    } else if t == "soyuz-u" || t == "soyuz u" || starts("soyuz-u ") || starts("soyuz u ") {
        "soyuz-u".into()
    } else if compact.starts_with("falcon9") {
        "falcon 9".into()
    } else if starts("falcon heavy") {
        "falcon heavy".into()
    } else if starts("antares") {
        "antares".into()
    } else if compact.starts_with("atlasv") {
        "atlas v".into()
    } else if compact.starts_with("hiib") || compact.starts_with("h2b") {
        "h-iib".into()
    } else if compact.starts_with("ariane5") {
        "ariane 5".into()
    } else if starts("proton") {
        "proton".into()
    } else if matches!(t.as_str(), "soyuz" | "soyuz rocket" | "soyuz booster") {
        "soyuz".into()
    } else {
        t
    }
}

fn norm_expedition(s: &str) -> String {
    let s = fold(s);
    let words: Vec<&str> = s.split([' ', '-']).filter(|w| !w.is_empty()).collect();
    for (i, w) in words.iter().enumerate() {
        if matches!(*w, "expedition" | "exp" | "exp." | "iss" | "мкс") {
            if let Some(n) = words
                .get(i + 1)
                .filter(|n| n.chars().all(|c| c.is_ascii_digit()))
            {
                return format!("expedition {n}");
            }
        }
    }
    s
}

fn norm_agency(s: &str) -> String {
    let s = fold(s);
    let has = |w: &str| s.split(|c: char| !c.is_alphanumeric()).any(|x| x == w);
    if s.contains("roscosmos")
        || s.contains("russian space agency")
        || s.contains("russian federal space agency")
        || has("rsa")
        || has("fka")
    {
        "roscosmos".into()
    } else if has("nasa") || s.contains("national aeronautics and space administration") {
        "nasa".into()
    } else if has("esa") || s.contains("european space agency") {
        "esa".into()
    } else if has("jaxa") || s.contains("japan aerospace exploration agency") {
        "jaxa".into()
    } else if has("csa") || s.contains("canadian space agency") {
        "csa".into()
    } else {
        s
    }
}

fn norm_site(s: &str) -> String {
    let s = fold(s);
    let has = |w: &str| {
        s.split(|c: char| !c.is_alphanumeric() && c != '-')
            .any(|x| x == w)
    };
    let compact: String = s.chars().filter(|c| *c != '-').collect();
    if s.contains("baikonur") || s.contains("tyuratam") {
        "baikonur cosmodrome".into()
    } else if s.contains("vostochny") {
        "vostochny cosmodrome".into()
    } else if s.contains("plesetsk") {
        "plesetsk cosmodrome".into()
    } else if s.contains("kennedy") || has("ksc") || compact.contains("lc39a") {
        "kennedy space center".into()
    } else if s.contains("cape canaveral")
        || has("ccafs")
        || has("ccsfs")
        || compact.contains("slc40")
        || compact.contains("slc41")
    {
        "cape canaveral".into()
    } else if s.contains("wallops") || s.contains("mid-atlantic regional spaceport") || has("mars")
    {
        "wallops flight facility".into()
    } else if s.contains("tanegashima") {
        "tanegashima space center".into()
    } else if s.contains("guiana") || s.contains("kourou") {
        "guiana space centre".into()
    } else {
        s
    }
}

fn norm_role(s: &str) -> Option<String> {
    let s = fold(s).replace(['-', '_'], " ");
    if s.is_empty() {
        None
    } else if s.contains("command") {
        Some("commander".into())
    } else if s.contains("engineer") {
        Some("flight_engineer".into())
    } else {
        Some(s)
    }
}

fn norm_port(s: &str, lenient: bool) -> String {
    let s = drop_words(
        &fold(s),
        &[
            "module",
            "service",
            "node",
            "the",
            "station's",
            "docking",
            "compartment",
            "port",
        ],
    );
    let s = collapse(&s);
    if lenient {
        s.split(' ').next().unwrap_or_default().to_string()
    } else {
        s
    }
}

/// (year, month, day) of "2024", "2024-03" or "2024-03-05".
fn parse_date(s: &str) -> Option<(i32, Option<u32>, Option<u32>)> {
    let mut parts = s.split(['-', 'T']);
    let y: i32 = parts.next()?.get(..4)?.parse().ok()?;
    let m = parts.next().and_then(|m| m.parse().ok());
    let d = m.and(parts.next().and_then(|d| d.get(..2)?.parse().ok()));
    Some((y, m, d))
}

fn date_ok(g: Option<&str>, p: Option<&str>) -> bool {
    match (g.and_then(parse_date), p.and_then(parse_date)) {
        (None, None) => true,
        (Some(g), Some(p)) => match (g, p) {
            ((gy, gm, Some(gd)), (py, pm, Some(pd))) => {
                let days =
                    |y, m: Option<u32>, d| crate::when::days_from_civil(y, m.unwrap_or(1), d);
                (days(gy, gm, gd) - days(py, pm, pd)).abs() <= 1
            }
            ((gy, gm, _), (py, pm, _)) => gy == py && (gm.is_none() || pm.is_none() || gm == pm),
        },
        _ => false,
    }
}

fn eq_opt(g: Option<String>, p: Option<String>) -> bool {
    g.filter(|s| !s.is_empty()) == p.filter(|s| !s.is_empty())
}

fn opt(s: &Option<String>, f: impl Fn(&str) -> String) -> Option<String> {
    s.as_deref().map(f)
}

fn crew_match(g: &CrewRow, p: &CrewRow, relaxed: bool) -> bool {
    eq_opt(opt(&g.person, norm_person), opt(&p.person, norm_person))
        && eq_opt(
            opt(&g.expedition, norm_expedition),
            opt(&p.expedition, norm_expedition),
        )
        && (relaxed
            || eq_opt(
                g.role.as_deref().and_then(norm_role),
                p.role.as_deref().and_then(norm_role),
            ))
}

fn launch_match(g: &LaunchRow, p: &LaunchRow, relaxed: bool) -> bool {
    eq_opt(
        opt(&g.spacecraft, norm_spacecraft),
        opt(&p.spacecraft, norm_spacecraft),
    ) && date_ok(g.date.as_deref(), p.date.as_deref())
        && (relaxed
            || eq_opt(opt(&g.vehicle, norm_vehicle), opt(&p.vehicle, norm_vehicle))
                && eq_opt(opt(&g.site, norm_site), opt(&p.site, norm_site)))
}

fn docking_match(g: &DockingRow, p: &DockingRow, relaxed: bool) -> bool {
    eq_opt(
        opt(&g.spacecraft, norm_spacecraft),
        opt(&p.spacecraft, norm_spacecraft),
    ) && date_ok(g.date.as_deref(), p.date.as_deref())
        && (eq_opt(
            opt(&g.port, |s| norm_port(s, relaxed)),
            opt(&p.port, |s| norm_port(s, relaxed)),
        ) || relaxed && g.port.as_deref().is_none_or(str::is_empty))
}

/// Greedy one-to-one matching in gold order: (tp, fp, fn), and the unmatched of each side.
fn match_rows<T>(
    gold: &[T],
    pred: &[T],
    m: impl Fn(&T, &T) -> bool,
) -> (Counts, Vec<usize>, Vec<usize>) {
    let mut used = vec![false; pred.len()];
    let mut missed = Vec::new();
    for (gi, g) in gold.iter().enumerate() {
        match (0..pred.len()).find(|&j| !used[j] && m(g, &pred[j])) {
            Some(j) => used[j] = true,
            None => missed.push(gi),
        }
    }
    let wrong: Vec<usize> = (0..pred.len()).filter(|&j| !used[j]).collect();
    let tp = gold.len() - missed.len();
    (
        Counts {
            tp,
            fp: pred.len() - tp,
            fn_: missed.len(),
        },
        missed,
        wrong,
    )
}

/// The nine fields that make the micro average, then the lenient diagnostics.
pub const MAIN_FIELDS: [&str; 9] = [
    "people",
    "spacecraft",
    "launch_vehicles",
    "expeditions",
    "agencies",
    "sites",
    "crew",
    "launches",
    "dockings",
];
const DIAGNOSTICS: [&str; 4] = [
    "people~surname",
    "crew~relaxed",
    "launches~relaxed",
    "dockings~relaxed",
];

/// Scores of predictions against gold, per field, with what went wrong per text.
#[derive(Debug, Default)]
pub struct Scores {
    pub fields: BTreeMap<&'static str, Counts>,
    /// (text id, field, "missed" | "wrong", value)
    pub errors: Vec<(String, &'static str, &'static str, String)>,
    pub gold_texts: usize,
    pub predicted_texts: usize,
}

impl Scores {
    pub fn micro(&self) -> Counts {
        let mut c = Counts::default();
        for f in MAIN_FIELDS {
            c.add(self.fields.get(f).copied().unwrap_or_default());
        }
        c
    }

    /// Scores one structured field of a text, strictly into `field` (its misses and wrong rows
    /// kept as errors) and leniently into `relaxed`.
    fn rows<T: std::fmt::Debug>(
        &mut self,
        field: &'static str,
        relaxed: &'static str,
        id: &str,
        gold: &[T],
        pred: &[T],
        matches: fn(&T, &T, bool) -> bool,
    ) {
        let (c, missed, wrong) = match_rows(gold, pred, |a, b| matches(a, b, false));
        self.fields.entry(field).or_default().add(c);
        for i in missed {
            self.errors
                .push((id.to_string(), field, "missed", format!("{:?}", gold[i])));
        }
        for j in wrong {
            self.errors
                .push((id.to_string(), field, "wrong", format!("{:?}", pred[j])));
        }
        let (c, _, _) = match_rows(gold, pred, |a, b| matches(a, b, true));
        self.fields.entry(relaxed).or_default().add(c);
    }

    pub fn field(&self, name: &str) -> Counts {
        self.fields.get(name).copied().unwrap_or_default()
    }

    /// The table, in the layout of the set's own scorer.
    pub fn table(&self) -> String {
        let mut out = format!(
            "documents: {} gold, {} predicted\n{:22} {:>6} {:>6} {:>6} {:>5} {:>5} {:>5}\n",
            self.gold_texts, self.predicted_texts, "field", "P", "R", "F1", "tp", "fp", "fn"
        );
        let row = |name: &str, c: Counts| {
            format!(
                "{name:22} {:6.3} {:6.3} {:6.3} {:5} {:5} {:5}\n",
                c.precision(),
                c.recall(),
                c.f1(),
                c.tp,
                c.fp,
                c.fn_
            )
        };
        for f in MAIN_FIELDS.iter().chain(DIAGNOSTICS.iter()) {
            out.push_str(&row(f, self.field(f)));
        }
        out.push_str(&"-".repeat(58));
        out.push('\n');
        out.push_str(&row("micro", self.micro()));
        out.push_str("(micro = the 9 main fields; '~' rows are lenient diagnostics, not in the micro average)\n");
        out
    }
}

fn set_of(items: &[String], f: impl Fn(&str) -> String) -> BTreeMap<String, String> {
    items
        .iter()
        .filter(|s| !s.is_empty())
        .map(|s| (f(s), s.clone()))
        .filter(|(k, _)| !k.is_empty())
        .collect()
}

/// Scores `predicted` against `gold`. Texts missing from the predictions count as all misses;
/// predicted texts that the gold does not have are ignored.
pub fn score(gold: &[Annotation], predicted: &[Annotation]) -> Scores {
    let by_id: BTreeMap<&str, &Annotation> = predicted.iter().map(|p| (p.id.as_str(), p)).collect();
    let mut s = Scores {
        gold_texts: gold.len(),
        predicted_texts: gold
            .iter()
            .filter(|g| by_id.contains_key(g.id.as_str()))
            .count(),
        ..Scores::default()
    };
    let empty = Annotation::default();
    for g in gold {
        let p = by_id.get(g.id.as_str()).copied().unwrap_or(&empty);
        type ListField<'a> = (
            &'static str,
            &'a Vec<String>,
            &'a Vec<String>,
            fn(&str) -> String,
        );
        let lists: [ListField; 7] = [
            ("people", &g.people, &p.people, norm_person),
            ("spacecraft", &g.spacecraft, &p.spacecraft, norm_spacecraft),
            (
                "launch_vehicles",
                &g.launch_vehicles,
                &p.launch_vehicles,
                norm_vehicle,
            ),
            (
                "expeditions",
                &g.expeditions,
                &p.expeditions,
                norm_expedition,
            ),
            ("agencies", &g.agencies, &p.agencies, norm_agency),
            ("sites", &g.sites, &p.sites, norm_site),
            ("people~surname", &g.people, &p.people, surname),
        ];
        for (field, gl, pl, f) in lists {
            let (gs, ps) = (set_of(gl, f), set_of(pl, f));
            let gk: BTreeSet<&String> = gs.keys().collect();
            let pk: BTreeSet<&String> = ps.keys().collect();
            let c = Counts {
                tp: gk.intersection(&pk).count(),
                fp: pk.difference(&gk).count(),
                fn_: gk.difference(&pk).count(),
            };
            s.fields.entry(field).or_default().add(c);
            if !field.contains('~') {
                for k in gk.difference(&pk) {
                    s.errors
                        .push((g.id.clone(), field, "missed", gs[*k].clone()));
                }
                for k in pk.difference(&gk) {
                    s.errors
                        .push((g.id.clone(), field, "wrong", ps[*k].clone()));
                }
            }
        }
        s.rows("crew", "crew~relaxed", &g.id, &g.crew, &p.crew, crew_match);
        s.rows(
            "launches",
            "launches~relaxed",
            &g.id,
            &g.launches,
            &p.launches,
            launch_match,
        );
        s.rows(
            "dockings",
            "dockings~relaxed",
            &g.id,
            &g.dockings,
            &p.dockings,
            docking_match,
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(json: &str) -> Annotation {
        serde_json::from_str(json).expect("valid")
    }

    #[test]
    fn gold_scored_against_itself_is_perfect() {
        let g = row(
            r#"{"id":"a","people":["Barry \"Butch\" Wilmore","Tracy C. Dyson"],"spacecraft":["Soyuz MS 25","Kounotori 9"],
            "launch_vehicles":["Atlas V N22"],"expeditions":["Expedition 70"],"agencies":["ESA (European Space Agency)"],
            "sites":["SLC-40"],"crew":[{"person":"Tracy Dyson","role":"flight engineer","expedition":"ISS-70"}],
            "launches":[{"date":"2024-03","vehicle":"Falcon 9","spacecraft":"Dragon","site":"Cape Canaveral"}],
            "dockings":[{"date":"2024-03-05","spacecraft":"Dragon","port":"Harmony forward-facing"}]}"#,
        );
        let s = score(std::slice::from_ref(&g), std::slice::from_ref(&g));
        assert_eq!(s.micro().f1(), 1.0, "{}", s.table());
    }

    #[test]
    fn names_and_designations_are_canonicalised() {
        assert_eq!(norm_person("Barry \"Butch\" Wilmore"), "barry wilmore");
        assert_eq!(norm_person("Tracy C. Dyson"), "tracy dyson");
        assert_eq!(
            norm_person("Michael López-Alegría"),
            "michael lopez-alegria"
        );
        assert_ne!(
            norm_person("Alper Gezeravcı"),
            norm_person("Alper Gezeravci")
        );
        assert_eq!(norm_spacecraft("the Soyuz MS 25 spacecraft"), "soyuz ms-25");
        assert_eq!(norm_spacecraft("Kounotori-9 gouki"), "htv-9");
        assert_eq!(norm_spacecraft("Space Shuttle Discovery"), "discovery");
        assert_eq!(norm_vehicle("Soyuz-2.1a"), norm_vehicle("Soyuz 2.1a"));
        assert_eq!(
            norm_site("Space Launch Complex-41"),
            "space launch complex-41"
        );
        assert_eq!(norm_site("SLC-41"), "cape canaveral");
        assert_eq!(norm_agency("Japan Aerospace Exploration Agency"), "jaxa");
        assert_eq!(norm_expedition("ISS-70"), "expedition 70");
        assert_eq!(
            norm_port("the Harmony module's forward port", false),
            "harmony 's forward"
        );
        assert_eq!(norm_port("Harmony forward-facing", true), "harmony");
    }

    #[test]
    fn dates_match_within_a_day_or_inside_a_coarser_gold_date() {
        assert!(date_ok(Some("2024-03-03"), Some("2024-03-04")));
        assert!(!date_ok(Some("2024-03-03"), Some("2024-03-05")));
        assert!(date_ok(Some("2024-03"), Some("2024-03-21")));
        assert!(date_ok(Some("2024"), Some("2024-11")));
        assert!(!date_ok(None, Some("2024")));
        assert!(date_ok(None, None));
    }

    #[test]
    fn crew_and_launches_match_one_to_one() {
        let g = row(
            r#"{"id":"a","launches":[{"date":"2024-01-18","spacecraft":"Dragon"},{"date":null,"spacecraft":"Dragon"}]}"#,
        );
        let p = row(
            r#"{"id":"a","launches":[{"date":"2024-01-18","spacecraft":"Dragon"},{"date":"2024-01-18","spacecraft":"Dragon"}]}"#,
        );
        let s = score(&[g], &[p]);
        assert_eq!(
            s.field("launches"),
            Counts {
                tp: 1,
                fp: 1,
                fn_: 1
            }
        );
    }
}
