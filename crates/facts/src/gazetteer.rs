//! The reference gazetteer that korolev ships: people, agencies, spacecraft families, launch
//! vehicles, sites, stations and modules, each with its canonical name, Cyrillic spelling and
//! common variants. Files live in `gazetteer/*.tsv` beside this crate and are compiled in.
//!
//! Lookups go through name skeletons (see [`crate::names`]), so a page's spelling finds its
//! entity whatever the transliteration; person names are also tried surname-first.

use crate::model::{EntityKind, Occupation, OrgClass};
use crate::names::{skeleton, slug};
use crate::text::{self, Tok};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// One entry of the gazetteer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Known {
    pub kind: EntityKind,
    pub slug: String,
    pub name: String,
    /// The agency slug for people, spacecraft and vehicles; the country for agencies.
    pub affiliation: Option<String>,
    pub cyrillic: Option<String>,
    pub variants: Vec<String>,
    /// For spacecraft families: whether members are numbered ("Progress MS-15").
    pub serial: bool,
    /// A type or family of vehicles ("Crew Dragon", "Soyuz"): never one vehicle by itself.
    pub type_only: bool,
    /// A robotic spacecraft (satellite, probe, telescope): not a crew or cargo vehicle.
    pub probe: bool,
    /// For one vehicle: the slug of its type or series ("endeavour" → "crew-dragon").
    pub family: Option<String>,
    /// For a mission: the slug of the spacecraft (or type) that flew it, and the station it
    /// went to.
    pub craft: Option<String>,
    pub destination: Option<String>,
    /// For a module: the station it belongs to.
    pub station: Option<String>,
    /// For organisations: what kind of body it is.
    pub org: Option<OrgClass>,
    /// For people: whether they fly or hold an office, when the gazetteer says.
    pub occupation: Option<Occupation>,
}

impl Known {
    pub fn id(&self) -> String {
        format!("{}/{}", self.kind.as_str(), self.slug)
    }

    /// Every spelling under which this entry is known.
    pub fn spellings(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str())
            .chain(self.cyrillic.as_deref())
            .chain(self.variants.iter().map(String::as_str))
    }
}

#[derive(Debug, Default)]
pub struct Gazetteer {
    entries: Vec<Known>,
    by_skeleton: HashMap<(EntityKind, String), usize>,
    by_id: HashMap<String, usize>,
    /// Every spelling as words, by the stem of its first word.
    phrases: HashMap<String, Vec<Phrase>>,
    /// The given names of known people as written (lowercased), in Latin letters and in
    /// Cyrillic: a first name is matched exactly, "Dome" is not "Dom".
    given: [HashSet<String>; 2],
    /// The years single flights flew, by entity id (see `gazetteer/eras.tsv`).
    eras: HashMap<String, (i32, i32)>,
}

/// One spelling of an entry as word keys, for finding it in running text.
#[derive(Debug)]
struct Phrase {
    keys: Vec<String>,
    stems: Vec<String>,
    entry: usize,
    /// The spelling starts with a capital, so the text must too ("Freedom", not "freedom").
    upper: bool,
}

/// A gazetteer file that does not parse: the file and line are named.
#[derive(Debug, thiserror::Error)]
#[error("gazetteer {file}, line {line}: {reason}")]
pub struct GazetteerError {
    pub file: &'static str,
    pub line: usize,
    pub reason: String,
}

const FILES: [(&str, &str, EntityKind); 6] = [
    (
        "people.tsv",
        include_str!("../gazetteer/people.tsv"),
        EntityKind::Person,
    ),
    (
        "agencies.tsv",
        include_str!("../gazetteer/agencies.tsv"),
        EntityKind::Agency,
    ),
    (
        "spacecraft.tsv",
        include_str!("../gazetteer/spacecraft.tsv"),
        EntityKind::SpacecraftFamily,
    ),
    (
        "launch_vehicles.tsv",
        include_str!("../gazetteer/launch_vehicles.tsv"),
        EntityKind::LaunchVehicle,
    ),
    (
        "sites.tsv",
        include_str!("../gazetteer/sites.tsv"),
        EntityKind::Site,
    ),
    (
        "missions.tsv",
        include_str!("../gazetteer/missions.tsv"),
        EntityKind::Mission,
    ),
];

const ERAS: (&str, &str) = ("eras.tsv", include_str!("../gazetteer/eras.tsv"));

impl Gazetteer {
    /// The gazetteer compiled into korolev. Its files are checked by tests, so this cannot
    /// fail at run time; should it ever, the broken lines are skipped, not fatal.
    pub fn builtin() -> &'static Gazetteer {
        static BUILTIN: OnceLock<Gazetteer> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            let mut g = Gazetteer::parse_files(&FILES).0;
            g.parse_eras(ERAS.0, ERAS.1);
            g
        })
    }

    /// Reads a file of eras (`id`, first year, last year): the ids must name entries, or
    /// expeditions. Returns the lines that do not parse.
    pub fn parse_eras(&mut self, file: &'static str, text: &str) -> Vec<GazetteerError> {
        let mut errors = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').map(str::trim).collect();
            let year = |c: Option<&&str>| c.and_then(|y| y.parse::<i32>().ok());
            let reason = match (cols.first(), year(cols.get(1))) {
                (Some(id), Some(first)) => {
                    let last = if cols.get(2).is_some_and(|c| !c.is_empty()) {
                        year(cols.get(2))
                    } else {
                        Some(first)
                    };
                    let known = id
                        .strip_prefix("expedition/")
                        .map_or(self.by_id.contains_key(*id), |n| n.parse::<u32>().is_ok());
                    match last {
                        Some(last) if known && first <= last => {
                            self.eras.insert((*id).to_string(), (first, last));
                            continue;
                        }
                        Some(_) if !known => format!("{id} names no entry"),
                        _ => "the last year must be a year, not before the first".into(),
                    }
                }
                _ => "needs an entity id and a year, tab-separated".into(),
            };
            errors.push(GazetteerError {
                file,
                line: i + 1,
                reason,
            });
        }
        errors
    }

    /// Parses the shipped files and returns the gazetteer with the errors met on the way.
    pub fn parse_files(
        files: &[(&'static str, &str, EntityKind)],
    ) -> (Gazetteer, Vec<GazetteerError>) {
        let mut g = Gazetteer::default();
        let mut errors = Vec::new();
        for &(file, text, kind) in files {
            for (i, line) in text.lines().enumerate() {
                if line.trim().is_empty() || line.starts_with('#') {
                    continue;
                }
                match parse_line(line, kind) {
                    Ok(known) => g.add(known, file, i + 1, &mut errors),
                    Err(reason) => errors.push(GazetteerError {
                        file,
                        line: i + 1,
                        reason,
                    }),
                }
            }
        }
        (g, errors)
    }

    /// Checks the shipped files; used by tests and `korolev` at start-up in debug builds.
    pub fn check_builtin() -> Vec<GazetteerError> {
        let (mut g, mut errors) = Gazetteer::parse_files(&FILES);
        errors.extend(g.parse_eras(ERAS.0, ERAS.1));
        errors
    }

    /// The first and last year a mission, one-flight spacecraft or expedition flew, when the
    /// gazetteer knows them.
    pub fn era(&self, id: &str) -> Option<(i32, i32)> {
        self.eras.get(id).copied()
    }

    fn add(
        &mut self,
        known: Known,
        file: &'static str,
        line: usize,
        errors: &mut Vec<GazetteerError>,
    ) {
        let idx = self.entries.len();
        if self.by_id.insert(known.id(), idx).is_some() {
            errors.push(GazetteerError {
                file,
                line,
                reason: format!("duplicate id {}", known.id()),
            });
        }
        for spelling in known.spellings() {
            let key = (known.kind.lookup_kind(), skeleton(spelling));
            if let Some(&other) = self.by_skeleton.get(&key) {
                if other != idx {
                    errors.push(GazetteerError {
                        file,
                        line,
                        reason: format!(
                            "spelling {spelling:?} also names {}",
                            self.entries[other].id()
                        ),
                    });
                    continue;
                }
            }
            self.by_skeleton.insert(key, idx);
            let toks: Vec<Tok> = text::tokens(spelling)
                .into_iter()
                .filter(|t| t.word)
                .collect();
            if let Some(first) = toks.first() {
                let phrase = Phrase {
                    keys: toks.iter().map(|t| t.key.to_string()).collect(),
                    stems: toks.iter().map(|t| t.stem.to_string()).collect(),
                    entry: idx,
                    upper: first.upper || !first.text.chars().any(char::is_alphabetic),
                };
                self.phrases
                    .entry(first.stem.to_string())
                    .or_default()
                    .push(phrase);
            }
            if known.kind == EntityKind::Person && toks.len() >= 2 {
                // A Cyrillic given name is one only in Cyrillic: "Мэри" is not "Merry".
                self.given[usize::from(toks[0].cyrillic)].insert(toks[0].lc().to_string());
            }
        }
        self.entries.push(known);
    }

    /// The longest spelling of an entry that starts at `toks[i]` and ends before `end`: its
    /// length in tokens and the entry. Cyrillic words also match by stem, so declined forms
    /// are found ("с Байконура", "Сергея Рыжикова").
    pub fn phrase_at(&self, toks: &[Tok], i: usize, end: usize) -> Option<(usize, &Known)> {
        let first = toks.get(i).filter(|t| t.word)?;
        let mut best: Option<(usize, usize)> = None;
        for p in self.phrases.get(first.stem.as_str())? {
            let n = p.keys.len();
            if i + n > end
                || (p.upper && !first.upper && first.text.chars().any(char::is_alphabetic))
            {
                continue;
            }
            let fits = (0..n).all(|k| {
                let t = &toks[i + k];
                t.word
                    && (k + 1 == n || !t.possessive)
                    && (t.key == p.keys[k] || t.cyrillic && t.stem == p.stems[k])
            });
            if fits && best.is_none_or(|(len, _)| n > len) {
                best = Some((n, p.entry));
            }
        }
        best.map(|(n, e)| (n, &self.entries[e]))
    }

    /// Whether this word is the given name of a known person ("Oleg", "Анна").
    pub fn is_given_name(&self, tok: &Tok) -> bool {
        tok.text.chars().count() > 1 && self.given[usize::from(tok.cyrillic)].contains(tok.lc())
    }

    pub fn entries(&self) -> &[Known] {
        &self.entries
    }

    pub fn get(&self, id: &str) -> Option<&Known> {
        self.by_id.get(id).map(|&i| &self.entries[i])
    }

    /// Finds an entry of `kind` by any spelling.
    pub fn find(&self, kind: EntityKind, name: &str) -> Option<&Known> {
        self.by_skeleton
            .get(&(kind.lookup_kind(), skeleton(name)))
            .map(|&i| &self.entries[i])
    }

    /// Finds a person by name, also when the page writes the surname first ("Ovchinin
    /// Alexey").
    pub fn find_person(&self, name: &str) -> Option<&Known> {
        if let Some(k) = self.find(EntityKind::Person, name) {
            return Some(k);
        }
        let words: Vec<&str> = name.split_whitespace().collect();
        if words.len() == 2 {
            return self.find(EntityKind::Person, &format!("{} {}", words[1], words[0]));
        }
        None
    }

    /// The vehicle or type of vehicle that a mission flew (`mission/crew-8` → Crew Dragon
    /// Endeavour), when the gazetteer knows it.
    pub fn craft_of_mission(&self, mission: &str) -> Option<&Known> {
        let slug = self.get(mission)?.craft.as_deref()?;
        self.get(&format!("spacecraft/{slug}"))
            .or_else(|| self.get(&format!("spacecraft_family/{slug}")))
    }

    /// Whether the vehicle (or type) `craft` is one of the type `family`, both entity ids:
    /// "spacecraft/soyuz-ms-22" is a Soyuz, "spacecraft/endeavour" a Dragon (through its
    /// family, Crew Dragon), "spacecraft_family/cargo-dragon" a Dragon.
    pub fn belongs(&self, craft: &str, family: &str) -> bool {
        let slug_of = |id: &str| id.rsplit('/').next().unwrap_or(id).to_string();
        let words = |slug: &str| -> Vec<String> { slug.split('-').map(String::from).collect() };
        let within = |inner: &str, outer: &str| {
            let outer = words(outer);
            words(inner).iter().all(|w| outer.contains(w))
        };
        let (craft_slug, family_slug) = (slug_of(craft), slug_of(family));
        if craft_slug == family_slug {
            return false;
        }
        if within(&family_slug, &craft_slug) {
            return true;
        }
        let parent = self.get(craft).and_then(|k| k.family.clone());
        parent.is_some_and(|p| p == family_slug || within(&family_slug, &p))
    }

    /// Splits "Progress MS-15" / "Прогресс МС-15" / "Crew-9" into a numbered family and its
    /// serial number.
    pub fn find_numbered_spacecraft(&self, name: &str) -> Option<(&Known, u32)> {
        let name = name.trim();
        let cut = name.rfind(['-', ' ', '\u{a0}'])?;
        let serial: u32 = name[cut + 1..].parse().ok()?;
        let family = self.find(
            EntityKind::SpacecraftFamily,
            name[..cut].trim_end_matches('-'),
        )?;
        family.serial.then_some((family, serial))
    }
}

fn parse_line(line: &str, kind: EntityKind) -> Result<Known, String> {
    let cols: Vec<&str> = line.split('\t').map(str::trim).collect();
    if cols.len() < 2 || cols[0].is_empty() || cols[1].is_empty() {
        return Err("needs at least a slug and a name, tab-separated".into());
    }
    if slug(cols[0]) != cols[0] {
        return Err(format!(
            "slug {:?} is not in slug form ({:?})",
            cols[0],
            slug(cols[0])
        ));
    }
    let opt = |i: usize| cols.get(i).filter(|s| !s.is_empty()).map(|s| s.to_string());
    let mut known = Known {
        kind,
        slug: cols[0].to_string(),
        name: cols[1].to_string(),
        affiliation: opt(2),
        cyrillic: opt(3),
        variants: cols
            .get(4)
            .map(|v| {
                v.split(';')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default(),
        serial: false,
        type_only: false,
        probe: false,
        family: None,
        craft: None,
        destination: None,
        station: None,
        org: None,
        occupation: None,
    };
    match kind {
        // Sites, stations and modules share a file; the third column says which.
        EntityKind::Site => {
            known.kind = match cols.get(2).copied() {
                Some("station") => EntityKind::Station,
                Some("module") => EntityKind::Module,
                Some("site") => EntityKind::Site,
                other => {
                    return Err(format!(
                        "kind must be site, station or module, not {other:?}"
                    ))
                }
            };
            known.affiliation = None;
            known.station = opt(5);
        }
        EntityKind::SpacecraftFamily => {
            match cols.get(5).copied().unwrap_or_default() {
                "type" => known.type_only = true,
                "serial" => {
                    known.type_only = true;
                    known.serial = true;
                }
                "craft" | "" => known.kind = EntityKind::Spacecraft,
                "probe" => {
                    known.kind = EntityKind::Spacecraft;
                    known.probe = true;
                }
                other => {
                    return Err(format!(
                        "class must be type, serial, craft or probe, not {other:?}"
                    ))
                }
            }
            known.family = opt(6);
        }
        EntityKind::Mission => {
            known.craft = opt(5);
            known.destination = opt(6);
        }
        EntityKind::Agency => {
            known.org = match cols.get(5).copied().unwrap_or_default() {
                "agency" => Some(OrgClass::Agency),
                "company" => Some(OrgClass::Company),
                "news" => Some(OrgClass::News),
                "organisation" | "" => Some(OrgClass::Organisation),
                other => {
                    return Err(format!(
                        "class must be agency, company, news or organisation, not {other:?}"
                    ))
                }
            };
        }
        EntityKind::Person => {
            known.occupation = match opt(5) {
                Some(o) => Some(Occupation::parse(&o).ok_or_else(|| {
                    format!("occupation must be astronaut or official, not {o:?}")
                })?),
                None => None,
            };
        }
        _ => {}
    }
    Ok(known)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_files_parse_without_conflicts() {
        let errors = Gazetteer::check_builtin();
        assert!(errors.is_empty(), "{errors:#?}");
        assert!(Gazetteer::builtin().entries().len() > 100);
    }

    #[test]
    fn eras_name_entries_and_hold_years() {
        let g = Gazetteer::builtin();
        assert_eq!(g.era("mission/crew-8"), Some((2024, 2024)));
        assert_eq!(g.era("expedition/70"), Some((2023, 2024)));
        assert_eq!(g.era("spacecraft/soyuz-ms-25"), Some((2024, 2024)));
        let mut g = Gazetteer::parse_files(&FILES).0;
        let errors = g.parse_eras(
            "test.tsv",
            "mission/crew-8\t2024\nmission/nowhere\t2024\nexpedition/9\t2005\t2004\nx\n",
        );
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [2, 3, 4], "{errors:#?}");
    }

    #[test]
    fn people_are_found_by_any_spelling() {
        let g = Gazetteer::builtin();
        let id = |n: &str| g.find_person(n).map(Known::id);
        assert_eq!(id("Ann McClain").as_deref(), Some("person/anne-mcclain"));
        assert_eq!(
            id("David Saint-Jaques").as_deref(),
            Some("person/david-saint-jacques")
        );
        assert_eq!(
            id("Ovchinin Alexey").as_deref(),
            Some("person/aleksey-ovchinin")
        );
        assert_eq!(id("Ivan Wagner").as_deref(), Some("person/ivan-vagner"));
        assert_eq!(id("Jonathan Kim").as_deref(), Some("person/jonny-kim"));
        assert_eq!(
            id("Олег Кононенко").as_deref(),
            Some("person/oleg-kononenko")
        );
        assert_eq!(id("Nobody Inparticular"), None);
    }

    #[test]
    fn numbered_spacecraft() {
        let g = Gazetteer::builtin();
        let (fam, n) = g.find_numbered_spacecraft("Прогресс МС-15").expect("found");
        assert_eq!((fam.slug.as_str(), n), ("progress-ms", 15));
        let (fam, n) = g.find_numbered_spacecraft("Soyuz MS-17").expect("found");
        assert_eq!((fam.slug.as_str(), n), ("soyuz-ms", 17));
        assert!(g.find_numbered_spacecraft("Starliner-1").is_none());
    }
}
