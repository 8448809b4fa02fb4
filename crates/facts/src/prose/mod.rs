//! Facts from sentences: who flew, what launched, docked, undocked and landed, and when;
//! agreements and who holds which office. English and Russian.
//!
//! The rules read one sentence at a time, in page order, title first, and keep a little of what
//! the page said before: the craft the page last told of ("the ship docked"), the people it
//! last named as a crew ("they", "the crew"), the expedition it is about. Each claim carries
//! its sentence as evidence, the rule's name and version, and a confidence that is lower when
//! the claim leans on such context.

use crate::gazetteer::{Gazetteer, Known};
use crate::model::{Claim, ClaimKind, EntityKind, Evidence};
use crate::names::slug;
use crate::text::{self, CharIndex, Tok};
use crate::when::{self, Tense};
use crate::Entities;
use compact_str::CompactString;
use korolev_extract::{CrewRole, Extracted, LaunchStatus, PartialDate, Span, Spanned};
use std::collections::HashMap;
use std::ops::Range;

mod crew;
mod entities;
mod events;
mod offices;

use crew::*;
use entities::*;
pub use events::FLIGHT;
use events::*;
use offices::*;

pub const PROSE_RULE: &str = "prose";

pub const PROSE_VERSION: &str = "1";

/// Confidence of a claim whose parts all stand in its sentence, and of one that needs what
/// the page said before.
const NAMED: f32 = 0.8;

const FROM_CONTEXT: f32 = 0.6;

/// An entity found in a piece of text: token range and id.
#[derive(Debug, Clone)]
struct Found {
    kind: EntityKind,
    id: String,
    start: usize,
    end: usize,
}

/// What the page said before the sentence being read.
#[derive(Default)]
struct Context {
    craft: Option<String>,
    /// The module the page last named ("the module's space-facing port").
    module: Option<String>,
    /// The mission the page last told of ("Crew-8"), or the one its title names.
    mission: Option<String>,
    expedition: Option<String>,
    crew: Vec<String>,
    person: Option<String>,
    /// "the damaged Soyuz MS-22" → later "the damaged spacecraft".
    adjectives: HashMap<String, String>,
    /// Surname keys of people the page has named in full.
    surnames: HashMap<String, String>,
    /// Per person: mentions that present them as flying, and as holding an office.
    occupations: HashMap<String, (u32, u32)>,
    /// People listed after a word for those who fly ("The graduating NASA astronauts are X of
    /// Colorado; Y of Puerto Rico; …").
    listed_flyers: Vec<String>,
    /// The piece being read is in title case: capitalised words are not names by that alone.
    title_case: bool,
}

const TITLE_WORDS: [&str; 22] = [
    "ceo",
    "head",
    "chief",
    "director",
    "general",
    "administrator",
    "associate",
    "deputy",
    "governor",
    "president",
    "chairman",
    "minister",
    "executive",
    "глава",
    "руководитель",
    "генеральный",
    "гендиректор",
    "директор",
    "губернатор",
    "президент",
    "министр",
    "председатель",
];

const PRONOUNS: [&str; 6] = ["they", "them", "экипаж", "экипажа", "экипажу", "они"];

/// Pages whose prose is longer than this many bytes are not held as tokens all at once.
const KEEP_TOKENS_BYTES: usize = 1 << 20;

/// Paragraphs longer than this many bytes are read in pieces of about this size, cut where a
/// sentence ends: no real paragraph is this long, and a page that is one endless paragraph
/// is then read with bounded memory.
const PIECE_BYTES: usize = 1 << 15;

/// One piece of prose: the title or a paragraph, with where it stands in the page text.
struct Unit<'a> {
    text: &'a str,
    start: usize,
    line: usize,
    title: bool,
}

/// Where `text` starts inside `span` of the page text (a line may hold it with leading space).
fn start_in(page: &CharIndex, span: Span, text: &str) -> Option<usize> {
    let at = page.slice(span.start, span.end);
    at.find(text)
        .map(|off| span.start + at[..off].chars().count())
}

/// The pieces of prose of a page, title first. A piece that the page has given word for word
/// before is read once: a page that repeats a paragraph (a caption, a boilerplate line, or
/// one sentence ten thousand times) states its facts once, as [`crate::fold_repeats`] keeps
/// them once.
fn units(x: &Extracted) -> Vec<Unit<'_>> {
    let mut out = Vec::new();
    let mut read: rustc_hash::FxHashSet<&str> = Default::default();
    let page = CharIndex::new(&x.page_text);
    let a = &x.article;
    // The title as the page shows it: at its line when the extractor placed it, else where it
    // first stands in the page (a title from metadata is often the page's h1 too).
    if let Some(title) = &a.title {
        let at_line = a
            .title_span
            .and_then(|span| Some((start_in(&page, span, title)?, span.line)));
        let anywhere = || {
            x.page_text.find(title.as_str()).map(|b| {
                let before = &x.page_text[..b];
                (before.chars().count(), before.matches('\n').count() + 1)
            })
        };
        if let Some((start, line)) = at_line.or_else(anywhere) {
            out.push(Unit {
                text: title,
                start,
                line,
                title: true,
            });
        }
    }
    for p in &a.paragraphs {
        // A release ends at its end mark; what follows is the press contacts.
        if is_end_mark(&p.text) {
            break;
        }
        let mut start = start_in(&page, p.span, &p.text).unwrap_or(p.span.start);
        for piece in pieces(&p.text) {
            if read.insert(piece) {
                out.push(Unit {
                    text: piece,
                    start,
                    line: p.span.line,
                    title: false,
                });
            }
            start += piece.chars().count();
        }
    }
    out
}

/// `text` cut into pieces of about [`PIECE_BYTES`], each ending where a sentence does (or,
/// in text without sentence ends, at a space); the whole of it when it is shorter.
fn pieces(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while rest.len() > PIECE_BYTES {
        let mut from = PIECE_BYTES;
        while !rest.is_char_boundary(from) {
            from += 1;
        }
        // Only a bounded stretch is searched for the cut: a search through all the rest for
        // each piece would cost the square of a text that has no sentence ends.
        let mut to = (from + PIECE_BYTES).min(rest.len());
        while !rest.is_char_boundary(to) {
            to += 1;
        }
        let tail = &rest[from..to];
        let cut = tail
            .find(". ")
            .or_else(|| tail.find(['!', '?']))
            .map(|k| k + 1)
            .or_else(|| tail.find(char::is_whitespace))
            .map_or(to, |k| from + k);
        let cut = (cut..=rest.len())
            .find(|&c| rest.is_char_boundary(c))
            .unwrap_or(rest.len());
        out.push(&rest[..cut]);
        rest = &rest[cut..];
    }
    if !rest.is_empty() || out.is_empty() {
        out.push(rest);
    }
    out
}

/// "-end-", "- end -", "###": the mark that closes a press release.
fn is_end_mark(text: &str) -> bool {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    matches!(
        t.to_lowercase().as_str(),
        "-end-" | "###" | "--end--" | "–end–" | "—end—"
    )
}

/// Reads the facts that the article's prose states into `entities` and `claims`.
pub(crate) fn read(
    document: &str,
    x: &Extracted,
    g: &Gazetteer,
    entities: &mut Entities,
    claims: &mut Vec<Claim>,
) {
    let units = units(x);
    // The tokens of a page of ordinary length are kept from the first pass to the last; a
    // longer page is tokenized again piece by piece, never held as tokens all at once.
    let keep = units.iter().map(|u| u.text.len()).sum::<usize>() <= KEEP_TOKENS_BYTES;
    let mut kept: Vec<Option<Vec<Tok>>> = Vec::with_capacity(units.len());
    // Without the page's date, what the text itself writes gives years to the days it writes
    // without one.
    let mut reference = when::ReferenceBuilder::new(x.article.published);
    let mut era = None;
    let mut cx = Context::default();
    let mut agency_mentions: HashMap<String, usize> = HashMap::new();
    let mut lone_agreements = Vec::new();
    // A surname alone stands for someone the page names in full, wherever it does: a title
    // ("Wilmore and Williams return") names people its body introduces.
    for (k, unit) in units.iter().enumerate() {
        let toks = text::tokens(unit.text);
        reference.piece(k, &toks);
        cx.title_case = title_case(&toks);
        let mut i = 0;
        while i < toks.len() {
            let found = entity_at(&toks, i, g, &cx);
            if let Some(e) = found.as_ref().and_then(|(_, _, id, ..)| g.era(id)) {
                if era.is_none_or(|(_, last)| e.1 > last) {
                    era = Some(e);
                }
            }
            match found {
                Some((len, EntityKind::Person, id, _, _, _)) if len >= 2 => {
                    let last = (i..i + len).rev().find(|&k| name_like(&toks[k]));
                    if let Some(k) = last {
                        cx.surnames.insert(toks[k].key.to_string(), id);
                    }
                    i += len;
                }
                Some((len, ..)) => i += len,
                None => i += 1,
            }
        }
        kept.push(keep.then_some(toks));
    }
    let at = reference.finish();
    let mut anchor = None;
    if at.wants_era_anchor(era) {
        for (unit, toks) in units.iter().zip(&kept) {
            let day = match toks {
                Some(toks) => when::era_placed_day(era, toks),
                None => when::era_placed_day(era, &text::tokens(unit.text)),
            };
            anchor = when::later(anchor, day);
        }
    }
    let at = at.with_era_anchor(era, anchor);
    for (unit, toks) in units.into_iter().zip(kept) {
        let toks = toks.unwrap_or_else(|| text::tokens(unit.text));
        cx.title_case = title_case(&toks);
        let source = CharIndex::new(unit.text);
        let mut found = find_entities(&toks, &source, &unit, g, entities, &mut cx);
        found.sort_by_key(|f| f.start);
        let mut topic_set = false;
        for f in found.iter().filter(|f| f.kind == EntityKind::Agency) {
            *agency_mentions.entry(f.id.clone()).or_default() += 1;
        }
        for s in text::sentences(&toks) {
            // The entities are in order: those of this sentence from the first that starts
            // in it, not a scan of the whole piece for each sentence.
            let from = found.partition_point(|f| f.start < s.start);
            let in_s: Vec<&Found> = found[from..]
                .iter()
                .take_while(|f| f.start < s.end)
                .filter(|f| f.end <= s.end)
                .collect();
            let ev = |conf: f32| {
                let span = Span {
                    start: unit.start + toks[s.start].start,
                    end: unit.start + toks[s.end - 1].end,
                    line: unit.line,
                };
                let text = source
                    .slice(toks[s.start].start, toks[s.end - 1].end)
                    .to_string();
                (
                    conf,
                    Evidence {
                        document: document.to_string(),
                        start: span.start,
                        end: span.end,
                        line: span.line,
                        text,
                        extractor: PROSE_RULE.to_string(),
                        version: PROSE_VERSION.to_string(),
                    },
                )
            };
            // A sentence that speaks of astronauts before naming anyone lists them.
            if let Some(first_person) = in_s.iter().find(|f| f.kind == EntityKind::Person) {
                let cued = (s.start..first_person.start).any(|k| {
                    toks[k].word
                        && matches!(
                            toks[k].lc(),
                            "astronauts" | "cosmonauts" | "candidates" | "crewmates"
                        )
                });
                if cued {
                    for p in in_s.iter().filter(|f| f.kind == EntityKind::Person) {
                        cx.listed_flyers.push(p.id.clone());
                    }
                }
            }
            let first = claims.len();
            events(g, &toks, s.clone(), &in_s, &at, &mut cx, &ev, claims);
            if claims.len() == first {
                on_board(&toks, s.clone(), &in_s, &cx, &ev, claims);
            }
            appointments(&toks, &in_s, &ev, claims);
            if let Some(i) = agreement(&toks, s.clone(), &in_s, &at, &ev, claims) {
                lone_agreements.push(i);
            }
            crew(&toks, s.clone(), &in_s, &at, &mut cx, &ev, claims);
            for c in &claims[first..] {
                if c.kind.is_event() && !c.people.is_empty() {
                    cx.crew = c.people.clone();
                }
            }
            // "He" and "she" stand for the person a paragraph is about: the first it names.
            if !topic_set {
                if let Some(p) = in_s.iter().find(|f| f.kind == EntityKind::Person) {
                    cx.person = Some(p.id.clone());
                    topic_set = true;
                }
            }
            if let Some(e) = in_s.iter().rev().find(|f| f.kind == EntityKind::Expedition) {
                cx.expedition = Some(e.id.clone());
            }
            if let Some(m) = in_s.iter().rev().find(|f| f.kind == EntityKind::Module) {
                cx.module = Some(m.id.clone());
            }
        }
        // A title that names one craft says what the page is about: "the spacecraft" and a
        // launch told by its rocket alone are that craft's, until an event names another.
        if unit.title && cx.craft.is_none() {
            let mut crafts = found.iter().filter(|f| {
                matches!(
                    f.kind,
                    EntityKind::Spacecraft | EntityKind::SpacecraftFamily
                )
            });
            if let (Some(only), None) = (crafts.next(), crafts.next()) {
                cx.craft = Some(only.id.clone());
            }
        }
        if unit.title && cx.mission.is_none() {
            // Not one remembered: "the anniversary of the Soyuz-Apollo docking".
            let remembered = |f: &&Found| {
                (f.start.saturating_sub(4)..f.start).any(|k| toks[k].lc() == "anniversary")
            };
            let mut missions = found
                .iter()
                .filter(|f| f.kind == EntityKind::Mission)
                .filter(|f| !remembered(f));
            if let (Some(only), None) = (missions.next(), missions.next()) {
                cx.mission = Some(only.id.clone());
            }
        }
    }
    // An agreement whose sentence names one party: the other is the one agency the page keeps
    // naming beside it.
    for i in lone_agreements {
        let party = claims[i].subject.clone();
        let others: Vec<&String> = agency_mentions
            .iter()
            .filter(|(id, n)| **id != party && **n >= 2)
            .map(|(id, _)| id)
            .collect();
        if let [other] = others.as_slice() {
            let mut parties = [party, (*other).clone()];
            parties.sort();
            let [a, b] = parties;
            claims[i].subject = a;
            claims[i].object = Some(b);
            claims[i].confidence = FROM_CONTEXT;
        }
    }
    claims.retain(|c| c.kind != ClaimKind::Agreement || c.object.is_some());
    settle_occupations(g, &cx, entities, claims);
    crafts_of_missions(g, entities, claims);
}

/// An event told of by its mission alone ("Crew-8 launched") flew on the craft that the page
/// names for that mission: the capsule the gazetteer says flew it, when the page names it
/// ("Endeavour is the name of this Dragon spacecraft"), else the page's name for its type
/// ("a SpaceX Dragon spacecraft"). A page that names neither leaves the craft unknown.
fn crafts_of_missions(g: &Gazetteer, entities: &Entities, claims: &mut [Claim]) {
    let missions: Vec<&str> = entities
        .list
        .iter()
        .filter(|e| e.kind == EntityKind::Mission)
        .map(|e| e.id.as_str())
        .collect();
    let acted: Vec<String> = claims
        .iter()
        .filter(|c| c.kind.is_event())
        .map(|c| c.subject.clone())
        .collect();
    for c in claims.iter_mut().filter(|c| c.kind.is_event()) {
        // "Resilience docked" on a page about Crew-1, "the Starliner launch" on a page about
        // the Crew Flight Test: that flight, when the page names one mission such a craft flew.
        let craft_like =
            c.subject.starts_with("spacecraft/") || c.subject.starts_with("spacecraft_family/");
        if c.mission.is_none() && craft_like {
            let of_craft: Vec<&&str> = missions
                .iter()
                .filter(|m| g.get(m).is_some_and(|k| k.craft.is_some()) && flew(g, m, &c.subject))
                .collect();
            if let [only] = of_craft.as_slice() {
                c.mission = Some(only.to_string());
            }
        }
        // "The Dragon docked" on a page that names one Dragon capsule, or the capsule of this
        // mission: that capsule.
        if c.subject.starts_with("spacecraft_family/") {
            let of_mission = c
                .mission
                .as_deref()
                .and_then(|m| g.craft_of_mission(m))
                .map(Known::id);
            let members: Vec<&crate::model::Entity> = entities
                .list
                .iter()
                .filter(|e| e.kind == EntityKind::Spacecraft && g.belongs(&e.id, &c.subject))
                .collect();
            let chosen = match of_mission {
                Some(m) => members.iter().find(|e| e.id == m).copied(),
                None => match members.as_slice() {
                    [only] => Some(*only),
                    _ => None,
                },
            };
            if let Some(e) = chosen {
                c.subject = e.id.clone();
            }
            continue;
        }
        if !c.subject.starts_with("mission/") {
            continue;
        }
        let Some(craft_id) = g.craft_of_mission(&c.subject).map(Known::id) else {
            continue;
        };
        let named = entities
            .list
            .iter()
            .find(|e| e.kind == EntityKind::Spacecraft && e.id == craft_id);
        // A type counts only where the page tells an event of it, or names it for this one:
        // "the SpaceX Dragon spacecraft and Boeing's Starliner spacecraft" as products name no
        // flight's craft.
        let (from, to) = (c.evidence.start, c.evidence.end);
        let typed = entities.list.iter().find(|e| {
            e.kind == EntityKind::SpacecraftFamily
                && (e.id == craft_id || g.belongs(&craft_id, &e.id))
                && (acted.contains(&e.id)
                    || e.mentions.iter().any(|m| from <= m.start && m.end <= to))
        });
        if let Some(e) = named.or(typed) {
            c.subject = e.id.clone();
        }
    }
}

/// What each person is in this document: what the words around their mentions say, else
/// what the claims say (a crew member or someone aboard flies), else what the gazetteer knows.
fn settle_occupations(g: &Gazetteer, cx: &Context, entities: &mut Entities, claims: &[Claim]) {
    use crate::model::Occupation;
    for e in entities
        .list
        .iter_mut()
        .filter(|e| e.kind == EntityKind::Person)
    {
        let (flyer, office) = cx.occupations.get(&e.id).copied().unwrap_or_default();
        let in_claims = claims.iter().any(|c| {
            c.kind == ClaimKind::CrewMember && c.subject == e.id
                || c.kind.is_event() && c.people.contains(&e.id)
        });
        let listed = cx.listed_flyers.contains(&e.id);
        e.occupation = if flyer > 0 {
            Some(Occupation::Astronaut)
        } else if office > 0 {
            Some(Occupation::Official)
        } else if in_claims || listed {
            Some(Occupation::Astronaut)
        } else {
            g.get(&e.id).and_then(|k| k.occupation)
        };
    }
}

type Ev<'a> = dyn Fn(f32) -> (f32, Evidence) + 'a;

fn lowers(toks: &[Tok], r: Range<usize>) -> Vec<CompactString> {
    toks[r].iter().map(|t| t.lc().into()).collect()
}

fn pronoun_crew(toks: &[Tok], r: Range<usize>, cx: &Context) -> Vec<String> {
    let w = lowers(toks, r);
    let the = |n: &str| w.windows(2).any(|p| p[0] == "the" && p[1] == n);
    // "the crew", "the international crew".
    let the_crew = w
        .windows(3)
        .any(|p| p[0] == "the" && p[2] == "crew" && !p[1].ends_with('s'));
    let pronoun = w.iter().any(|x| PRONOUNS.contains(&x.as_str()))
        || the_crew
        || the("crew")
        || the("four")
        || the("three")
        || the("astronauts");
    if pronoun {
        cx.crew.clone()
    } else {
        Vec::new()
    }
}

fn of_kind<'f>(found: &[&'f Found], r: &Range<usize>, kinds: &[EntityKind]) -> Vec<&'f Found> {
    found
        .iter()
        .filter(|f| f.start >= r.start && f.end <= r.end && kinds.contains(&f.kind))
        .copied()
        .collect()
}

fn push_unique(v: &mut Vec<String>, ids: impl IntoIterator<Item = String>) {
    for id in ids {
        if !v.contains(&id) {
            v.push(id);
        }
    }
}

/// The entity of `of` nearest to token `i`.
fn nearest<'f>(of: &[&'f Found], i: usize) -> Option<&'f Found> {
    of.iter()
        .min_by_key(|f| {
            if f.start > i {
                f.start - i
            } else {
                i - f.end + 1
            }
        })
        .copied()
}

#[cfg(test)]
mod piece_tests {
    use super::*;

    #[test]
    fn a_long_paragraph_is_cut_where_sentences_end() {
        let sentence = "Progress MS-26 docked to Zvezda on Saturday. ";
        let text = sentence.repeat(PIECE_BYTES / sentence.len() * 3 + 7);
        let cut = pieces(&text);
        assert!(cut.len() >= 3, "{}", cut.len());
        assert_eq!(cut.concat(), text);
        for p in &cut[..cut.len() - 1] {
            assert!(p.ends_with('.'), "{:?}", &p[p.len() - 20..]);
            assert!(p.len() <= PIECE_BYTES + sentence.len(), "{}", p.len());
        }
        // Short text and text without sentence ends.
        assert_eq!(pieces("One line."), ["One line."]);
        let words = "word ".repeat(PIECE_BYTES / 5 + 100);
        assert_eq!(pieces(&words).concat(), words);
        let one = "ж".repeat(PIECE_BYTES);
        assert_eq!(pieces(&one), [one.as_str()]);
    }
    #[test]
    fn a_piece_given_before_is_read_once() {
        let a = "Progress MS-26 docked to Zvezda on Saturday.";
        let b = "The crew unpacked its cargo on Monday.";
        let long = format!("{a} ").repeat(PIECE_BYTES / a.len() * 4);
        let html = format!(
            "<html><head><title>Cargo</title></head><body><article><h1>Cargo</h1>\
             <p>{a}</p><p>{b}</p><p>{a}</p><p>{long}</p></article></body></html>"
        );
        let x = korolev_extract::extract(&korolev_extract::Input {
            bytes: html.as_bytes(),
            name: "cargo.html",
            content_type: None,
            url: None,
            published: None,
        })
        .expect("the page extracts");
        let read: Vec<&str> = units(&x).iter().map(|u| u.text).collect();
        let mut distinct = read.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), read.len(), "{read:?}");
        assert_eq!(read.iter().filter(|t| **t == a).count(), 1);
        assert!(read.contains(&b));
        // The long paragraph's pieces: the first, the ones after it (alike, each cut after
        // the same sentence) and the shorter last one are read; not all five.
        let of_long = read.iter().filter(|t| t.len() > b.len() * 10).count();
        assert!((1..=3).contains(&of_long), "{of_long}");
    }
}
