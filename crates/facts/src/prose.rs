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
use crate::text::{self, Tok};
use crate::when::{self, Tense};
use crate::Entities;
use korolev_extract::{CrewRole, Extracted, LaunchStatus, PartialDate, Span, Spanned};
use std::collections::HashMap;
use std::ops::Range;

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

const PERSON_CUES: [&str; 14] = [
    "astronaut",
    "astronauts",
    "cosmonaut",
    "cosmonauts",
    "actress",
    "actor",
    "director",
    "governor",
    "космонавт",
    "космонавты",
    "космонавтов",
    "астронавт",
    "астронавты",
    "пилот",
];

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

const CRAFT_NOUNS: [&str; 9] = [
    "ship",
    "spacecraft",
    "capsule",
    "craft",
    "vehicle",
    "freighter",
    "корабль",
    "корабля",
    "кораблём",
];

const PRONOUNS: [&str; 6] = ["they", "them", "экипаж", "экипажа", "экипажу", "они"];

const FUTURE: [&str; 31] = [
    "will",
    "shall",
    "targeted",
    "targeting",
    "slated",
    "planned",
    "plans",
    "plan",
    "scheduled",
    "expected",
    "due",
    "future",
    "upcoming",
    "next",
    "станет",
    "станут",
    "войдёт",
    "войдет",
    "войдут",
    "будет",
    "будут",
    "запланирован",
    "запланировано",
    "запланирована",
    "планируется",
    "полетит",
    "полетят",
    "вернутся",
    "вернётся",
    "предстоит",
    "отправится",
];

/// Whether words speak of what is to come ("will launch", "is scheduled to"), not of what
/// went "as planned".
fn speaks_of_future(words: &[String]) -> bool {
    words.iter().enumerate().any(|(k, w)| {
        FUTURE.contains(&w.as_str())
            && !(k > 0
                && words[k - 1] == "as"
                && matches!(w.as_str(), "planned" | "scheduled" | "expected"))
    })
}

const CANCELLED: [&str; 10] = [
    "called",
    "cancelled",
    "canceled",
    "postponed",
    "scrubbed",
    "отмены",
    "отменён",
    "отменен",
    "отмена",
    "перенесён",
];

const FAILED: [&str; 5] = ["failed", "failure", "аварии", "авария", "аварийно"];

/// Words that tell of a flight, not of its launch ("Freedom carried four astronauts to the
/// station", "Rubio will fly on Soyuz MS-22"): they say who flew on which craft, and are
/// launches only for that. Such a claim carries the detail [`FLIGHT`] and no date.
const FLIGHT_WORDS: [&str; 9] = [
    "flew", "carried", "brought", "delivered", "flies", "fly", "carries", "brings", "delivers",
];
const FLIGHT_PAST: [&str; 4] = ["flew", "carried", "brought", "delivered"];
pub const FLIGHT: &str = "flight";

/// What a word says about an event: its kind, whether it needs a named craft nearby (a noun
/// or a loose verb) and whether it is a past form.
fn trigger(toks: &[Tok], i: usize) -> Option<(ClaimKind, bool, bool)> {
    let w = toks[i].lower();
    let next = toks.get(i + 1).map(Tok::lower).unwrap_or_default();
    let prev = if i > 0 {
        toks[i - 1].lower()
    } else {
        String::new()
    };
    let ru = |stems: &[&str]| stems.iter().any(|s| w.starts_with(s));
    use ClaimKind::*;
    // (kind, weak, past)
    Some(match w.as_str() {
        "launched" | "blasted" => (Launch, false, true),
        "lifted" => (Launch, false, true),
        "lifts" | "liftoff" | "lift-off" => (Launch, false, false),
        // "lift off", "lifting off", "blast off": a launch; "lift" alone is not.
        "lift" | "lifting" | "blast" | "blasting" if next == "off" => (Launch, false, false),
        "launching" => (Launch, true, false),
        // Told as a flight rather than a launch: who went up on which craft.
        w if FLIGHT_WORDS.contains(&w) => (Launch, true, FLIGHT_PAST.contains(&w)),
        "launch" | "launches" => {
            const MODIFIERS: [&str; 16] = [
                "operations",
                "site",
                "sites",
                "vehicle",
                "vehicles",
                "pad",
                "complex",
                "capabilities",
                "capability",
                "window",
                "services",
                "abort",
                "escape",
                "team",
                "schedule",
                "campaign",
            ];
            if MODIFIERS.contains(&next.as_str()) {
                return None;
            }
            // "will launch", "to launch": a verb, as strong as "launched".
            let verb = matches!(
                prev.as_str(),
                "will" | "to" | "would" | "shall" | "can" | "could" | "may" | "might" | "must"
                    | "they" | "we" | "which" | "that"
            );
            (Launch, !verb, false)
        }
        "docked" if prev == "remain" || prev == "remains" => (Undocking, false, false),
        "docked" => (Docking, false, true),
        "docks" | "dock" => (Docking, false, false),
        // A relocation is an arrival at another port.
        "relocated" => (Docking, false, true),
        "relocate" | "relocates" | "relocation" | "relocating" => (Docking, false, false),
        "docking" => (Docking, true, false),
        "arrived" | "reached" => (Docking, true, true),
        "arrival" => (Docking, true, false),
        // "the crew welcomed the first commercial cargo vehicle, a SpaceX Dragon".
        "welcomed" => (Docking, true, true),
        // A cargo craft caught by the arm and berthed is an arrival.
        "captured" | "berthed" => (Docking, false, true),
        "capture" | "captures" | "berth" | "berths" | "berthing" => (Docking, false, false),
        "arrives" | "arrive" | "reaches" => (Docking, true, false),
        "undocked" => (Undocking, false, true),
        "undocks" | "undock" => (Undocking, false, false),
        "undocking" | "departure" | "depart" | "departs" | "leave" | "leaves" => {
            (Undocking, true, false)
        }
        "landed" | "returned" => (Landing, false, true),
        "lands" | "return" | "returns" => (Landing, false, false),
        "came" if next == "home" => (Landing, false, true),
        "come" if next == "home" => (Landing, false, false),
        "landing" | "returning" => (Landing, true, false),
        _ if ru(&["стартовал", "запущен"]) => (Launch, false, true),
        _ if ru(&["стартует", "стартуют"]) => (Launch, false, false),
        _ if ru(&["пристыковал", "состыковал", "причалил"]) => {
            (Docking, false, true)
        }
        _ if ru(&["долетел", "добрал", "прибыл"]) => (Docking, true, true),
        _ if ru(&["отстыковал"]) => (Undocking, false, true),
        _ if ru(&["отлёт", "отлет", "расстыковк"]) => (Undocking, true, false),
        _ if ru(&["приземлил", "вернул"]) => (Landing, false, true),
        _ if ru(&["вернутся", "вернётся"]) => (Landing, false, false),
        _ if ru(&["возвращени", "посадк"]) => (Landing, true, false),
        _ => return None,
    })
}

/// One piece of prose: the title or a paragraph, with where it stands in the page text.
struct Unit<'a> {
    text: &'a str,
    start: usize,
    line: usize,
    title: bool,
}

/// Where `text` starts inside `span` of the page text (a line may hold it with leading space).
fn start_in(x: &Extracted, span: Span, text: &str) -> Option<usize> {
    let at = text::char_slice(&x.page_text, span.start, span.end);
    at.find(text)
        .map(|off| span.start + at[..off].chars().count())
}

fn units(x: &Extracted) -> Vec<Unit<'_>> {
    let mut out = Vec::new();
    let a = &x.article;
    // The title as the page shows it: at its line when the extractor placed it, else where it
    // first stands in the page (a title from metadata is often the page's h1 too).
    if let Some(title) = &a.title {
        let at_line = a
            .title_span
            .and_then(|span| Some((start_in(x, span, title)?, span.line)));
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
        out.push(Unit {
            text: &p.text,
            start: start_in(x, p.span, &p.text).unwrap_or(p.span.start),
            line: p.span.line,
            title: false,
        });
    }
    out
}

/// Whether a short piece of text capitalises most of its words, as a headline does (a
/// paragraph full of names is not a headline).
fn title_case(toks: &[Tok]) -> bool {
    let words = toks.iter().filter(|t| t.word).count();
    let long: Vec<&Tok> = toks
        .iter()
        .filter(|t| t.word && t.text.chars().count() > 3 && !t.cyrillic)
        .collect();
    words <= 20
        && long.len() >= 3
        && long.iter().filter(|t| t.upper).count() * 10 >= long.len() * 7
}

/// Words that make a name a place or a thing named after someone: "Neil Armstrong Test
/// Facility", "Johnson Space Center", "Silver Snoopy Award", "Astronaut Crew Quarters".
const INSTITUTION_WORDS: [&str; 24] = [
    "facility", "center", "centre", "award", "awards", "building", "museum", "school", "park",
    "airport", "hall", "institute", "university", "foundation", "memorial", "quarters", "medal",
    "prize", "test", "research", "complex", "field", "library", "laboratory",
];

fn institution_word(t: &Tok) -> bool {
    t.word && INSTITUTION_WORDS.contains(&t.lower().as_str())
}

/// "-end-", "- end -", "###": the mark that closes a press release.
fn is_end_mark(text: &str) -> bool {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    matches!(t.to_lowercase().as_str(), "-end-" | "###" | "--end--" | "–end–" | "—end—")
}

/// Whether a sentence is a photo or video credit ("Credit: SpaceX", "Image Credit:
/// NASA/Frank Micheaux", "NASA/Bill Ingalls"): who is named there is not in the story.
fn is_credit(toks: &[Tok], s: &Range<usize>, source: &str) -> bool {
    let words: Vec<String> = toks[s.clone()]
        .iter()
        .take(3)
        .filter(|t| t.word)
        .map(Tok::lower)
        .collect();
    let lead = words.first().map(String::as_str);
    if matches!(lead, Some("credit" | "credits" | "credito" | "créditos"))
        || matches!(lead, Some("image" | "photo" | "video" | "photos" | "images"))
            && words.get(1).is_some_and(|w| w.starts_with("credit"))
    {
        return true;
    }
    // "NASA/Frank Micheaux" on its own: an organisation, a slash, a name, and nothing else.
    let (a, b) = (toks[s.start].start, toks[s.end - 1].end);
    let text = text::char_slice(source, a, b);
    let n_words = toks[s.clone()].iter().filter(|t| t.word).count();
    text.contains('/') && n_words <= 6 && !text.contains("//") && toks[s.clone()].iter().all(|t| t.word && t.upper || !t.word)
}

/// Words before a name that present someone who flies, and words after a comma that do
/// ("Loral O'Hara, a NASA astronaut").
const FLYER_CUES: [&str; 22] = [
    "astronaut",
    "astronauts",
    "cosmonaut",
    "cosmonauts",
    "taikonaut",
    "taikonauts",
    "crewmate",
    "crewmates",
    "engineer",
    "engineers",
    "commander",
    "pilot",
    "specialist",
    "specialists",
    "participant",
    "candidate",
    "candidates",
    "космонавт",
    "космонавты",
    "космонавтов",
    "астронавт",
    "астронавты",
];

/// Offices: a name after or before one of these is an official's ("NASA Administrator Bill
/// Nelson", "Steve Stich, manager, Commercial Crew Program").
const OFFICE_WORDS: [&str; 20] = [
    "administrator",
    "manager",
    "director",
    "chief",
    "head",
    "ceo",
    "president",
    "chairman",
    "minister",
    "deputy",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "scientist",
    "officer",
    "leader",
    "executive",
    "governor",
    "secretary",
    "lead",
];

/// What the words around a person's mention say they are.
fn occupation_cue(toks: &[Tok], start: usize, end: usize) -> Option<crate::model::Occupation> {
    use crate::model::Occupation;
    let lower = |i: usize| toks[i].lower();
    // Before: up to four words back, over agency names and adjectives, not past punctuation.
    let mut flyer = false;
    let mut office = false;
    let mut i = start;
    let mut steps = 0;
    while i > 0 && steps < 4 {
        i -= 1;
        steps += 1;
        if !toks[i].word {
            break;
        }
        let w = lower(i);
        if is_flyer_cue(toks, i) {
            // "fictional astronaut Callie Rodriguez" flies in a story only.
            flyer = !(i > 0 && lower(i - 1) == "fictional");
            office = !flyer;
            break;
        }
        if OFFICE_WORDS.contains(&w.as_str()) || TITLE_WORDS.contains(&w.as_str()) {
            office = true;
            break;
        }
    }
    // "Chief of the Astronaut Office": an office, though it names astronauts.
    if flyer && i >= 3 && lower(i - 1) == "the" && lower(i - 2) == "of" {
        flyer = false;
        office = true;
    }
    if flyer {
        return Some(Occupation::Astronaut);
    }
    // After: ", a NASA astronaut" / ", manager, Commercial Crew Program".
    if toks.get(end).is_some_and(|t| t.is(",")) {
        for k in end + 1..(end + 6).min(toks.len()) {
            if !toks[k].word {
                break;
            }
            let w = lower(k);
            if is_flyer_cue(toks, k) {
                return Some(Occupation::Astronaut);
            }
            if OFFICE_WORDS.contains(&w.as_str()) || TITLE_WORDS.contains(&w.as_str()) {
                return Some(Occupation::Official);
            }
        }
    }
    // "Patricia Robertson was selected as a NASA astronaut", "X became a cosmonaut".
    let linked = toks.get(end).is_some_and(|t| {
        matches!(t.lower().as_str(), "was" | "is" | "became" | "becomes" | "has")
    });
    if linked {
        for k in end + 1..(end + 8).min(toks.len()) {
            if !toks[k].word {
                break;
            }
            if is_flyer_cue(toks, k) && matches!(lower(k).as_str(), "astronaut" | "cosmonaut" | "taikonaut") {
                return Some(Occupation::Astronaut);
            }
        }
    }
    office.then_some(Occupation::Official)
}

/// Whether the word at `k` presents someone who flies: "astronaut", "commander", "flight
/// engineer" (an engineer alone is a profession: "chief engineer Chris Lupo").
fn is_flyer_cue(toks: &[Tok], k: usize) -> bool {
    let w = toks[k].lower();
    if !FLYER_CUES.contains(&w.as_str()) {
        return false;
    }
    if w.starts_with("engineer") {
        return k > 0 && toks[k - 1].lower() == "flight";
    }
    true
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
    let tokenized: Vec<Vec<Tok>> = units.iter().map(|u| text::tokens(u.text)).collect();
    // Without the page's date, what the text itself writes gives years to the days it writes
    // without one.
    let at = when::Reference::of_text(x.article.published, &tokenized);
    let mut cx = Context::default();
    let mut agency_mentions: HashMap<String, usize> = HashMap::new();
    let mut lone_agreements = Vec::new();
    // A surname alone stands for someone the page names in full, wherever it does: a title
    // ("Wilmore and Williams return") names people its body introduces.
    for toks in &tokenized {
        cx.title_case = title_case(toks);
        let mut i = 0;
        while i < toks.len() {
            match entity_at(toks, i, g, &cx) {
                Some((len, EntityKind::Person, id, _, _, _)) if len >= 2 => {
                    let last = (i..i + len).rev().find(|&k| name_like(&toks[k]));
                    if let Some(k) = last {
                        cx.surnames.insert(toks[k].key.clone(), id);
                    }
                    i += len;
                }
                Some((len, ..)) => i += len,
                None => i += 1,
            }
        }
    }
    for (unit, toks) in units.into_iter().zip(tokenized) {
        cx.title_case = title_case(&toks);
        let found = find_entities(&toks, unit.text, &unit, g, entities, &mut cx);
        for f in found.iter().filter(|f| f.kind == EntityKind::Agency) {
            *agency_mentions.entry(f.id.clone()).or_default() += 1;
        }
        for s in text::sentences(&toks) {
            let in_s: Vec<&Found> = found
                .iter()
                .filter(|f| f.start >= s.start && f.end <= s.end)
                .collect();
            let ev = |conf: f32| {
                let span = Span {
                    start: unit.start + toks[s.start].start,
                    end: unit.start + toks[s.end - 1].end,
                    line: unit.line,
                };
                let text = text::char_slice(unit.text, toks[s.start].start, toks[s.end - 1].end);
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
                            toks[k].lower().as_str(),
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
            // "He" and "she" stand for a sentence's subject: the first person it names.
            if let Some(p) = in_s.iter().find(|f| f.kind == EntityKind::Person) {
                cx.person = Some(p.id.clone());
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
                matches!(f.kind, EntityKind::Spacecraft | EntityKind::SpacecraftFamily)
            });
            if let (Some(only), None) = (crafts.next(), crafts.next()) {
                cx.craft = Some(only.id.clone());
            }
        }
        if unit.title && cx.mission.is_none() {
            let mut missions = found.iter().filter(|f| f.kind == EntityKind::Mission);
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
                .and_then(|m| g.get(m))
                .and_then(|m| m.craft.clone())
                .map(|slug| format!("spacecraft/{slug}"));
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
        let Some(mission) = c.subject.strip_prefix("mission/") else {
            continue;
        };
        let Some(craft) = g
            .get(&format!("mission/{mission}"))
            .and_then(|m| m.craft.clone())
        else {
            continue;
        };
        let named = entities.list.iter().find(|e| {
            e.kind == EntityKind::Spacecraft && e.id == format!("spacecraft/{craft}")
        });
        let craft_id = g
            .entries()
            .iter()
            .find(|k| k.slug == craft && matches!(k.kind, EntityKind::Spacecraft | EntityKind::SpacecraftFamily))
            .map(Known::id);
        // A type counts only where the page tells an event of it: "the SpaceX Dragon
        // spacecraft and Boeing's Starliner spacecraft" as products name no flight's craft.
        let typed = craft_id.as_deref().and_then(|craft_id| {
            entities.list.iter().find(|e| {
                e.kind == EntityKind::SpacecraftFamily
                    && (e.id == craft_id || g.belongs(craft_id, &e.id))
                    && acted.contains(&e.id)
            })
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
    for e in entities.list.iter_mut().filter(|e| e.kind == EntityKind::Person) {
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

/// Finds the entities of one piece of prose, records their mentions and returns them in order.
fn find_entities(
    toks: &[Tok],
    source: &str,
    unit: &Unit<'_>,
    g: &Gazetteer,
    entities: &mut Entities,
    cx: &mut Context,
) -> Vec<Found> {
    let mut out = Vec::new();
    let mut i = 0;
    let n = toks.len();
    let credits: Vec<Range<usize>> = text::sentences(toks)
        .into_iter()
        .filter(|s| is_credit(toks, s, source))
        .collect();
    while i < n {
        if !toks[i].word || credits.iter().any(|c| c.contains(&i)) {
            i += 1;
            continue;
        }
        let Some((len, kind, id, name, known, agency)) = entity_at(toks, i, g, cx) else {
            i += 1;
            continue;
        };
        let (a, b) = (toks[i].start, toks[i + len - 1].end);
        let seen = Spanned {
            text: text::char_slice(source, a, b),
            span: Span {
                start: unit.start + a,
                end: unit.start + b,
                line: unit.line,
            },
        };
        // A declined Russian form ("Сергея Рыжикова") is a case of the name, not an alias.
        let declined = known
            && toks[i..i + len].iter().any(|t| t.cyrillic)
            && g.find(kind.lookup_kind(), &seen.text).is_none();
        let id = entities.mention_with(id, kind, &name, agency, known, &seen, !declined);
        if kind == EntityKind::Person && len >= 2 {
            cx.surnames
                .insert(toks[i + len - 1].key.clone(), id.clone());
        }
        if kind == EntityKind::Person {
            let tally = cx.occupations.entry(id.clone()).or_default();
            match occupation_cue(toks, i, i + len) {
                Some(crate::model::Occupation::Astronaut) => tally.0 += 1,
                Some(crate::model::Occupation::Official) => tally.1 += 1,
                None => {}
            }
        }
        if kind == EntityKind::Spacecraft && i > 0 {
            let adj = &toks[i - 1];
            if adj.word
                && !adj.upper
                && !["the", "a", "an", "on", "of"].contains(&adj.lower().as_str())
            {
                cx.adjectives.insert(adj.lower(), id.clone());
            }
        }
        out.push(Found {
            kind,
            id,
            start: i,
            end: i + len,
        });
        i += len;
        // "Expedition 65/66", "Expeditions 35 and 36", "Expedition 14/15 and 32/33": the
        // numbers that follow are expeditions too.
        if kind == EntityKind::Expedition {
            loop {
                let at = if toks.get(i).is_some_and(|t| {
                    t.is(",") || matches!(t.lower().as_str(), "and" | "&" | "и")
                }) {
                    i + 1
                } else {
                    i
                };
                let Some(num) = toks.get(at).and_then(|t| digits(&t.text)).filter(|n| (1..200).contains(n)) else {
                    break;
                };
                // "Expedition 70 and 71" but not "Expedition 70 and 2024".
                let (a, b) = (toks[at].start, toks[at].end);
                let seen = Spanned {
                    text: text::char_slice(source, a, b),
                    span: Span {
                        start: unit.start + a,
                        end: unit.start + b,
                        line: unit.line,
                    },
                };
                let id = entities.mention_with(
                    format!("expedition/{num}"),
                    EntityKind::Expedition,
                    &format!("Expedition {num}"),
                    None,
                    true,
                    &seen,
                    false,
                );
                out.push(Found {
                    kind,
                    id,
                    start: at,
                    end: at + 1,
                });
                i = at + 1;
            }
        }
    }
    out
}

type Entity = (usize, EntityKind, String, String, bool, Option<String>);

fn from_known(len: usize, k: &Known) -> Entity {
    let agency = k
        .affiliation
        .as_ref()
        .filter(|_| k.kind != EntityKind::Agency)
        .map(|a| format!("agency/{a}"));
    (len, k.kind, k.id(), k.name.clone(), true, agency)
}

fn digits(s: &str) -> Option<u32> {
    (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// "X-12" → ("X", 12).
fn split_serial(s: &str) -> Option<(&str, u32)> {
    let cut = s.rfind('-')?;
    Some((&s[..cut], digits(&s[cut + 1..])?))
}

/// The entity that starts at `toks[i]`, if any: its length in tokens, kind, id, name, whether
/// it is known, and its agency. A person's name that goes on into a place's ("Neil Armstrong
/// Test Facility") is the place's, not the person.
fn entity_at(toks: &[Tok], i: usize, g: &Gazetteer, cx: &Context) -> Option<Entity> {
    let found = entity_at_any(toks, i, g, cx)?;
    if found.1 == EntityKind::Person {
        let (len, ..) = found;
        let named_after = toks.get(i + len).is_some_and(|t| t.upper && institution_word(t))
            || toks[i..i + len].iter().any(institution_word);
        if named_after {
            return None;
        }
    }
    Some(found)
}

fn entity_at_any(toks: &[Tok], i: usize, g: &Gazetteer, cx: &Context) -> Option<Entity> {
    let t = &toks[i];
    let lower = t.lower();
    let next = toks.get(i + 1).filter(|n| n.word);
    // Expeditions: "Expedition 63", "экспедиции МКС-64", "ISS-63".
    if lower.starts_with("expedition") || lower.starts_with("экспедици") {
        if let Some(num) = next.and_then(|n| digits(&n.text)) {
            return Some(expedition(2, num));
        }
    }
    if let Some((prefix, num)) = split_serial(&t.text) {
        if matches!(prefix, "ISS" | "МКС") {
            return Some(expedition(1, num));
        }
    }
    // Numbered craft: "Soyuz MS-27", "Прогресс МС-16", "Crew-9", "Soyuz-19", "Apollo 11".
    let mut numbered: Option<Entity> = None;
    let family = |name: &str| {
        g.find(EntityKind::SpacecraftFamily, name)
            .filter(|k| k.serial && t.upper)
    };
    if let Some(n) = next {
        if let Some((tail, num)) = split_serial(&n.text) {
            if let Some(f) = family(&format!("{} {tail}", t.text)) {
                numbered = Some(craft(2, f, num));
            }
        } else if let (Some(num), Some(f)) = (digits(&n.text), family(&t.text)) {
            numbered = Some(craft(2, f, num));
        }
    }
    if numbered.is_none() {
        if let Some((head, num)) = split_serial(&t.text) {
            if let Some(f) = family(head) {
                numbered = Some(craft(1, f, num));
            }
        }
    }
    let phrase = g.phrase_at(toks, i, toks.len());
    match (phrase, numbered) {
        (Some((len, k)), Some(num)) if len >= num.0 && !k.serial && !k.type_only => {
            return Some(from_known(len, k))
        }
        (_, Some(num)) => return Some(num),
        // A type alone ("the Dragon", "a Soyuz") is the family; which vehicle it means is
        // for the claim to settle.
        (Some((len, k)), None) => return Some(from_known(len, k)),
        (None, None) => {}
    }
    // A name written with initials or a nickname: "Tracy C. Dyson", "Barry “Butch” Wilmore",
    // "Robert L. “Hoot” Gibson".
    if let Some((len, kept)) = name_span(toks, i) {
        let plain: Vec<&str> = kept.iter().map(|&k| toks[k].text.as_str()).collect();
        let full = plain.join(" ");
        let short = format!("{} {}", plain[0], plain[plain.len() - 1]);
        if let Some(k) = g.find_person(&full).or_else(|| g.find_person(&short)) {
            return Some(from_known(len, k));
        }
    }
    // People the gazetteer does not know: a known given name or a cue word ("actress",
    // "cosmonaut") before two capitalised words, in prose (a title in title case capitalises
    // every word: "Astronaut Skeletal Muscle Study" names nobody).
    let cue = i > 0 && PERSON_CUES.contains(&toks[i - 1].lower().as_str());
    if name_like(t) && (cue || g.is_given_name(t)) && !cx.title_case {
        if let Some(n) =
            next.filter(|n| name_like(n) && g.phrase_at(toks, i + 1, toks.len()).is_none())
        {
            let name = format!("{} {}", t.text, n.text);
            // "Furukawa Satoshi": surname first.
            if let Some(k) = g.find_person(&name) {
                return Some(from_known(2, k));
            }
            return Some((
                2,
                EntityKind::Person,
                format!("person/{}", slug(&name)),
                name,
                false,
                None,
            ));
        }
    }
    // A surname alone: someone the page names in full. (Not any known person with that
    // surname: "Johnson Space Center" and "Glenn Research Center" name nobody.)
    if name_like(t) && t.text.chars().count() > 2 {
        if let Some(id) = cx.surnames.get(&t.key) {
            let name = g.get(id).map_or_else(|| t.text.clone(), |k| k.name.clone());
            return Some((1, EntityKind::Person, id.clone(), name, true, None));
        }
    }
    None
}

fn name_like(t: &Tok) -> bool {
    t.word
        && t.upper
        && t.text.chars().count() > 1
        && t.text
            .chars()
            .all(|c| c.is_alphabetic() || c == '-' || c == '\'' || c == '’')
}

/// A person's name that holds initials or a quoted nickname, from token `i`: its length in
/// tokens and the tokens of the name proper. `None` when there is neither (plain names are
/// the gazetteer's to match).
fn name_span(toks: &[Tok], i: usize) -> Option<(usize, Vec<usize>)> {
    if !name_like(&toks[i]) || toks[i].quoted {
        return None;
    }
    let mut kept = vec![i];
    let mut extra = false;
    let mut j = i + 1;
    while j < toks.len() && kept.len() < 4 {
        let t = &toks[j];
        let initial = t.word
            && t.upper
            && t.text.chars().count() == 1
            && toks.get(j + 1).is_some_and(|d| d.is("."));
        if initial {
            extra = true;
            j += 2;
        } else if t.quoted && t.word && t.upper {
            extra = true;
            j += 1;
        } else if name_like(t) {
            kept.push(j);
            j += 1;
        } else {
            break;
        }
    }
    (extra && kept.len() >= 2).then(|| (j - i, kept))
}

fn expedition(len: usize, num: u32) -> Entity {
    (
        len,
        EntityKind::Expedition,
        format!("expedition/{num}"),
        format!("Expedition {num}"),
        true,
        None,
    )
}

fn craft(len: usize, family: &Known, num: u32) -> Entity {
    let name = format!("{}-{num}", family.name);
    let agency = family.affiliation.as_ref().map(|a| format!("agency/{a}"));
    (
        len,
        EntityKind::Spacecraft,
        format!("spacecraft/{}", slug(&name)),
        name,
        true,
        agency,
    )
}

type Ev<'a> = dyn Fn(f32) -> (f32, Evidence) + 'a;

fn lowers(toks: &[Tok], r: Range<usize>) -> Vec<String> {
    toks[r].iter().map(Tok::lower).collect()
}

fn pronoun_crew(toks: &[Tok], r: Range<usize>, cx: &Context) -> Vec<String> {
    let w = lowers(toks, r);
    let the = |n: &str| w.windows(2).any(|p| p[0] == "the" && p[1] == n);
    let pronoun = w.iter().any(|x| PRONOUNS.contains(&x.as_str()))
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

/// Launch, docking, undocking and landing claims of one sentence, clause by clause.
fn events(
    g: &Gazetteer,
    toks: &[Tok],
    s: Range<usize>,
    found: &[&Found],
    at: &when::Reference,
    cx: &mut Context,
    ev: &Ev<'_>,
    claims: &mut Vec<Claim>,
) {
    use EntityKind as K;
    let sentence_words = lowers(toks, s.clone());
    let sentence_future = speaks_of_future(&sentence_words);
    let first = claims.len();
    let mut sentence_craft: Option<String> = None;
    let people_at: Vec<usize> = of_kind(found, &s, &[K::Person])
        .iter()
        .map(|f| f.start)
        .collect();
    for c in text::clauses(toks, s.clone(), &people_at) {
        let words = lowers(toks, c.clone());
        if words.iter().any(|w| CANCELLED.contains(&w.as_str())) {
            continue;
        }
        let future = speaks_of_future(&words);
        let failed = words.iter().any(|w| FAILED.contains(&w.as_str()));
        let subordinate = matches!(
            words.first().map(String::as_str),
            Some("after" | "before" | "после" | "перед")
        );
        let flights = of_kind(found, &c, &[K::Spacecraft, K::Mission]);
        let has_verb = c.clone().any(|i| {
            toks[i].word
                && !in_name(toks, i, s.start)
                && trigger(toks, i).is_some_and(|(_, weak, _)| !weak)
        });
        let places = !of_kind(found, &c, &[K::Station, K::Module]).is_empty();
        let mut seen_kinds = Vec::new();
        for i in c.clone() {
            if !toks[i].word {
                continue;
            }
            let Some((kind, weak, past)) = trigger(toks, i) else {
                continue;
            };
            // "Space Launch System", "Launch Complex 39A": a name, not an event.
            if !cx.title_case && in_name(toks, i, s.start) {
                continue;
            }
            // "Live coverage of Cygnus' arrival will begin at 2 a.m., Wednesday, Jan. 31": the
            // date is the broadcast's.
            let broadcast = weak
                && (c.start.max(i.saturating_sub(4))..i).any(|k| {
                    matches!(
                        toks[k].lower().as_str(),
                        "coverage" | "broadcast" | "webcast" | "livestream" | "watch"
                    )
                });
            if broadcast {
                continue;
            }
            if seen_kinds.contains(&kind) || weak && has_verb {
                continue;
            }
            // "reached the L2 point" is no docking: an arrival needs the station, a module,
            // or nothing after it ("Crew-1 arrives:").
            let arrival = matches!(
                toks[i].lower().as_str(),
                "arrives" | "arrive" | "arrived" | "reaches" | "reached"
            ) || toks[i].lower().starts_with("долетел")
                || toks[i].lower().starts_with("добрал");
            let intransitive = toks
                .get(i + 1)
                .is_none_or(|n| !n.word || matches!(n.lower().as_str(), "after" | "with" | "at"));
            if arrival && !places && !intransitive {
                continue;
            }
            seen_kinds.push(kind);
            // The subject: a craft in the clause (one claim per craft where the clause pairs
            // people with craft: "Rubio will fly on Soyuz MS-22 and Kikina on Crew-5").
            let persons = of_kind(found, &c, &[K::Person]);
            let mut subjects: Vec<(String, Range<usize>, f32)> = Vec::new();
            let modules_before: Vec<&Found> = of_kind(found, &c, &[K::Module])
                .into_iter()
                .filter(|f| f.end <= i)
                .collect();
            let paired = flights.len() >= 2
                && flights.windows(2).all(|w| {
                    toks[w[0].end..w[1].start]
                        .iter()
                        .any(|t| matches!(t.lower().as_str(), "and" | "и"))
                        && persons
                            .iter()
                            .any(|p| p.start >= w[0].end && p.end <= w[1].start)
                });
            if paired {
                let mut from = c.start;
                for f in &flights {
                    subjects.push((f.id.clone(), from..f.end, NAMED));
                    from = f.end;
                }
            } else if let Some(f) =
                nearest(&of_kind(found, &c, &[K::Spacecraft, K::SpacecraftFamily, K::Mission]), i)
            {
                // The vehicle or mission nearest the verb ("the launch of SpaceX Demo-2 in
                // 2020 – … since the space shuttle" is Demo-2's).
                match f.kind {
                    // "the Soyuz" after "Soyuz MS-22" is that craft; else the type stands for
                    // the vehicle of this flight.
                    K::SpacecraftFamily => {
                        match cx.craft.clone().filter(|craft| g.belongs(craft, &f.id)) {
                            Some(craft) => subjects.push((craft, c.clone(), FROM_CONTEXT)),
                            None => subjects.push((f.id.clone(), c.clone(), NAMED)),
                        }
                    }
                    _ => subjects.push((f.id.clone(), c.clone(), NAMED)),
                }
            } else if kind == ClaimKind::Docking && !modules_before.is_empty() {
                let m = modules_before[modules_before.len() - 1];
                subjects.push((m.id.clone(), c.clone(), NAMED));
            } else if let Some(id) = definite_craft(toks, c.clone(), cx) {
                subjects.push((id, c.clone(), FROM_CONTEXT));
            } else if let Some(id) = sentence_craft.clone() {
                subjects.push((id, c.clone(), NAMED));
            } else {
                let vehicles = of_kind(found, &c, &[K::LaunchVehicle]);
                let named_ref = words.iter().enumerate().any(|(k, w)| {
                    CRAFT_NOUNS.contains(&w.as_str())
                        && (toks[c.start + k].cyrillic
                            || words[k.saturating_sub(2)..k].iter().any(|x| x == "the"))
                });
                // The craft the page is telling of, when nothing else in the clause could be
                // what launched or docked ("The experiment was launched" is not the ship's).
                let context = cx
                    .craft
                    .clone()
                    .or_else(|| cx.mission.clone())
                    .filter(|_| subject_free(toks, found, c.start, i));
                // "The launch is targeted for Sunday, March 3, from Launch Complex 39A": a noun
                // with a date or a place is this flight's event.
                let concrete = when::find(toks, c.clone(), at, true).is_some()
                    || !of_kind(found, &c, &[K::Site]).is_empty()
                    || kind == ClaimKind::Docking && port_side(toks, c.clone()).is_some();
                match (&context, vehicles.first()) {
                    (Some(id), _) if !weak || named_ref || concrete => {
                        subjects.push((id.clone(), c.clone(), FROM_CONTEXT))
                    }
                    (Some(id), Some(_)) if kind == ClaimKind::Launch => {
                        subjects.push((id.clone(), c.clone(), FROM_CONTEXT))
                    }
                    (None, Some(v)) if kind == ClaimKind::Launch => {
                        subjects.push((v.id.clone(), c.clone(), NAMED))
                    }
                    _ => {}
                }
            }
            for (subject, part, conf) in subjects {
                let (conf, evidence) = ev(conf);
                let mut claim = Claim::new(kind, subject.clone(), conf, evidence);
                let vehicle = of_kind(found, &c, &[K::LaunchVehicle]);
                let sites = of_kind(found, &c, &[K::Site]);
                match kind {
                    ClaimKind::Launch => {
                        claim.object = vehicle
                            .first()
                            .map(|v| v.id.clone())
                            .filter(|v| *v != subject);
                        claim.site = sites.first().map(|f| f.id.clone());
                    }
                    ClaimKind::Docking => {
                        let after = |kinds: &[K]| {
                            of_kind(found, &c, kinds)
                                .into_iter()
                                .find(|f| f.start > i && f.id != subject)
                                .map(|f| f.id.clone())
                        };
                        claim.object = after(&[K::Module]).or_else(|| {
                            of_kind(found, &c, &[K::Station])
                                .first()
                                .map(|f| f.id.clone())
                        });
                        // "the forward-facing port of the station's Harmony module", "the
                        // module's space-facing port", "Unity's Earth-facing port".
                        if let Some(side) = port_side(toks, c.clone()) {
                            claim.detail = Some(side);
                            let named = claim.object.as_deref().is_some_and(|o| o.starts_with("module/"));
                            if !named && words.windows(2).any(|w| w[0] == "the" && w[1] == "module") {
                                claim.object = cx.module.clone();
                            }
                        }
                    }
                    ClaimKind::Landing => claim.site = sites.first().map(|f| f.id.clone()),
                    _ => {}
                }
                let mut people: Vec<String> = of_kind(found, &part, &[K::Person])
                    .iter()
                    .map(|f| f.id.clone())
                    .collect();
                push_unique(&mut people, pronoun_crew(toks, c.clone(), cx));
                claim.people = people;
                let date = when::nearest(
                    toks,
                    c.clone(),
                    i,
                    at,
                    future || sentence_future && subordinate,
                );
                let flight = FLIGHT_WORDS.contains(&toks[i].lower().as_str());
                let date = date.filter(|_| !flight);
                if flight {
                    claim.detail = Some(FLIGHT.to_string());
                }
                claim.set_date(date.map(|d| d.date));
                let later = date.is_some_and(|d| {
                    d.tense == Tense::Future
                        || at.anchor.is_some_and(|p| {
                            d.date.to_string() > p.to_string()
                                && !p.to_string().starts_with(&d.date.to_string())
                        })
                });
                claim.status = Some(if failed {
                    LaunchStatus::Failed
                } else if future || later || (!past && sentence_future && subordinate) {
                    LaunchStatus::Planned
                } else {
                    LaunchStatus::Done
                });
                // The mission of the flight: named in the clause or the sentence, else the one
                // the page is telling of when the craft came from context too.
                let missions_here = of_kind(found, &c, &[K::Mission]);
                let mission = nearest(&missions_here, i)
                    .or_else(|| nearest(&of_kind(found, &s, &[K::Mission]), i))
                    .map(|m| m.id.clone())
                    .or_else(|| {
                        (conf < NAMED || subject.starts_with("spacecraft_family/"))
                            .then(|| cx.mission.clone())
                            .flatten()
                    });
                // A mission named beside a craft that did not fly it is another flight
                // ("Soyuz MS-13 launched 50 years after Apollo 11").
                claim.mission = mission.filter(|m| {
                    *m != subject && flew(g, m, &subject)
                });
                if subject.starts_with("mission/") {
                    claim.mission = Some(subject.clone());
                }
                if let Some(m) = &claim.mission {
                    cx.mission = Some(m.clone());
                }
                if subject.starts_with("mission/") {
                    sentence_craft = Some(subject.clone());
                }
                if subject.starts_with("spacecraft/") || subject.starts_with("spacecraft_family/") {
                    sentence_craft = Some(subject.clone());
                    cx.craft = Some(subject);
                }
                claims.push(claim);
            }
        }
    }
    // One sentence, two events of one craft, its people named once: both have them.
    let new = first..claims.len();
    for a in new.clone() {
        if claims[a].people.is_empty() {
            let from = new.clone().find(|&b| {
                b != a && claims[b].subject == claims[a].subject && !claims[b].people.is_empty()
            });
            if let Some(b) = from {
                claims[a].people = claims[b].people.clone();
            }
        }
    }
}

/// Whether mission `m` may have flown on `craft` (an entity id): the gazetteer's craft of the
/// mission is it, one of its type, or its type; a mission or craft the gazetteer does not
/// know may be.
fn flew(g: &Gazetteer, m: &str, craft: &str) -> bool {
    if craft.starts_with("mission/") || craft.starts_with("launch_vehicle/") {
        return true;
    }
    let Some(flown) = g.get(m).and_then(|k| k.craft.clone()) else {
        return true;
    };
    let flown_id = g
        .entries()
        .iter()
        .find(|k| k.slug == flown && matches!(k.kind, EntityKind::Spacecraft | EntityKind::SpacecraftFamily))
        .map(Known::id);
    let Some(flown_id) = flown_id else {
        return true;
    };
    flown_id == craft || g.belongs(&flown_id, craft) || g.belongs(craft, &flown_id)
}

/// Whether the trigger at `i` is a word of a name: capitalised inside a sentence, beside
/// another capitalised word ("Space Launch System", "Launch Complex 39A", "Crew Arrival").
fn in_name(toks: &[Tok], i: usize, start: usize) -> bool {
    let upper_word = |t: &Tok| t.word && t.upper;
    toks[i].upper
        && i > start
        && (upper_word(&toks[i - 1]) || toks.get(i + 1).is_some_and(upper_word))
}

/// Words that may stand before an event's verb when its craft is the one the page is telling
/// of: determiners, pronouns, auxiliaries and the nouns of a craft or flight.
const SUBJECT_FREE: [&str; 71] = [
    "the", "a", "an", "this", "that", "its", "their", "it", "they", "which", "who", "he", "she",
    "will", "would", "shall", "is", "are", "was", "were", "be", "been", "being", "has", "have",
    "had", "then", "also", "now", "successfully", "autonomously", "scheduled", "set", "expected",
    "targeted", "planned", "to", "due", "slated", "ready", "later", "finally", "safely", "and",
    "cargo", "crew", "crewed", "uncrewed", "resupply", "spacecraft", "ship", "capsule", "craft",
    "vehicle", "freighter", "mission", "flight", "launch", "docking", "new", "on", "officially",
    "final", "first", "last", "maiden", "inaugural", "second", "third", "next", "of",
];

/// Whether the clause from `start` opens with nothing that could be the event's own subject
/// but the craft the page tells of: it opens with a name, a pronoun, or a noun phrase of a
/// craft or flight ("the cargo spacecraft", "the launch"), not with another thing ("the
/// experiment was launched", "three crew members will launch").
fn subject_free(toks: &[Tok], _found: &[&Found], start: usize, i: usize) -> bool {
    const DETERMINERS: [&str; 12] = [
        "the", "a", "an", "this", "that", "its", "their", "two", "three", "four", "both", "all",
    ];
    let mut k = start;
    while k < i && toks[k].word && DETERMINERS.contains(&toks[k].lower().as_str()) {
        k += 1;
    }
    // The opening noun phrase: lowercase words up to a verb, a comma or the trigger.
    while k < i {
        let t = &toks[k];
        if !t.word || t.upper || t.cyrillic || t.text.chars().all(|c| c.is_ascii_digit()) {
            return true;
        }
        let w = t.lower();
        if SUBJECT_FREE.contains(&w.as_str()) || matches!(w.as_str(), "rocket" | "booster") {
            if matches!(
                w.as_str(),
                "will" | "would" | "shall" | "is" | "are" | "was" | "were" | "has" | "have" | "had"
            ) {
                return true;
            }
            k += 1;
            continue;
        }
        return false;
    }
    true
}

/// The side of a module a craft docks to, as the clause writes it before "port":
/// "forward-facing", "space-facing", "Earth-facing", "zenith", "nadir", "forward", "aft".
fn port_side(toks: &[Tok], c: Range<usize>) -> Option<String> {
    const SIDES: [&str; 10] = [
        "forward-facing", "space-facing", "earth-facing", "zenith", "nadir", "forward", "aft",
        "rear", "starboard", "ram",
    ];
    c.clone().find_map(|k| {
        let w = toks[k].lower();
        let port_follows = (k + 1..(k + 3).min(c.end)).any(|j| toks[j].lower() == "port");
        (SIDES.contains(&w.as_str()) && port_follows).then(|| toks[k].text.clone())
    })
}

/// The entity of `of` nearest to token `i`.
fn nearest<'f>(of: &[&'f Found], i: usize) -> Option<&'f Found> {
    of.iter()
        .min_by_key(|f| if f.start > i { f.start - i } else { i - f.end + 1 })
        .copied()
}

/// "the damaged spacecraft" after "the damaged Soyuz MS-22": that craft.
fn definite_craft(toks: &[Tok], c: Range<usize>, cx: &Context) -> Option<String> {
    c.clone().skip(1).find_map(|i| {
        let noun = toks[i].lower();
        if !CRAFT_NOUNS.contains(&noun.as_str()) {
            return None;
        }
        cx.adjectives.get(&toks[i - 1].lower()).cloned()
    })
}

/// Crew membership: people of a sentence that names an expedition, or people with a crew role
/// in a page about one expedition.
fn crew(
    toks: &[Tok],
    s: Range<usize>,
    found: &[&Found],
    at: &when::Reference,
    cx: &mut Context,
    ev: &Ev<'_>,
    claims: &mut Vec<Claim>,
) {
    use EntityKind as K;
    let words = lowers(toks, s.clone());
    let expeditions = of_kind(found, &s, &[K::Expedition]);
    if !expeditions.is_empty() {
        expedition_crews(toks, s, found, at, cx, ev, claims);
        return;
    }
    let persons = of_kind(found, &s, &[K::Person]);
    let officials: Vec<&Found> = persons
        .iter()
        .copied()
        .filter(|p| p.start > 0 && TITLE_WORDS.contains(&toks[p.start - 1].lower().as_str()))
        .collect();
    let mut people: Vec<(String, Option<CrewRole>)> = Vec::new();
    for (k, p) in persons.iter().enumerate() {
        if officials.iter().any(|o| o.id == p.id) {
            continue;
        }
        let role = role_of(toks, &s, found, &persons, k);
        people.push((p.id.clone(), role));
    }
    if persons.len() == 1 && people.len() == 1 && people[0].1.is_none() {
        let commands = words.iter().any(|w| {
            matches!(
                w.as_str(),
                "commands" | "командиром" | "командир" | "командует"
            )
        });
        if commands {
            people[0].1 = Some(CrewRole::Commander);
        }
    }
    let mut pronoun = pronoun_crew(toks, s.clone(), cx);
    if matches!(
        words.first().map(String::as_str),
        Some("he" | "she" | "он" | "она")
    ) {
        pronoun.extend(cx.person.clone());
    }
    for id in pronoun {
        if !people.iter().any(|(p, _)| *p == id) {
            people.push((id, None));
        }
    }
    let (expedition, conf) = match expeditions.first() {
        Some(e) => (e.id.clone(), NAMED),
        None => {
            let Some(e) = cx.expedition.clone() else {
                return;
            };
            let member_cue = words
                .iter()
                .any(|w| w.starts_with("join") || w == "includes")
                || words.windows(2).any(|p| p[0] == "на" && p[1] == "станции");
            // "Kononenko will command the station again": another expedition, not this one.
            let future_command =
                words.iter().any(|w| w == "will") && words.iter().any(|w| w == "command");
            if future_command {
                return;
            }
            if !member_cue {
                people.retain(|(_, role)| role.is_some());
            }
            (e, FROM_CONTEXT)
        }
    };
    for (person, role) in people {
        let (conf, evidence) = ev(conf);
        let mut claim = Claim::new(ClaimKind::CrewMember, person, conf, evidence);
        claim.object = Some(expedition.clone());
        claim.role = role;
        claims.push(claim);
    }
}

/// Expeditions written together: "Expedition 65/66", "Expeditions 35 and 36", "Expedition
/// 14/15 and 32/33".
struct Group {
    ids: Vec<String>,
    start: usize,
    end: usize,
}

fn expedition_groups(toks: &[Tok], expeditions: &[&Found]) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    for e in expeditions {
        let joined = groups.last().is_some_and(|g| {
            (g.end..e.start).all(|k| {
                toks[k].is(",") || matches!(toks[k].lower().as_str(), "and" | "&" | "и")
            })
        });
        match groups.last_mut() {
            Some(g) if joined => {
                g.ids.push(e.id.clone());
                g.end = e.end;
            }
            _ => groups.push(Group {
                ids: vec![e.id.clone()],
                start: e.start,
                end: e.end,
            }),
        }
    }
    groups
}

/// The role a word gives: "engineer(s)" a flight engineer, "commander"/"commanded" the
/// commander.
fn role_word(w: &str) -> Option<CrewRole> {
    if w.starts_with("engineer") || w.starts_with("бортинженер") {
        Some(CrewRole::FlightEngineer)
    } else if matches!(
        w,
        "commander" | "command" | "commanded" | "commanding" | "commands" | "командир"
            | "командиром" | "командованием"
    ) {
        Some(CrewRole::Commander)
    } else {
        None
    }
}

/// Words that tie people to an expedition in a sentence that names one: a role, service,
/// membership, a stay.
const MEMBER_CUES: [&str; 24] = [
    "served", "serve", "serves", "serving", "during", "part", "crew", "crews", "joining", "join",
    "joins", "joined", "aboard", "member", "members", "veteran", "engineer", "engineers",
    "commander", "commanded", "command", "flew", "launched", "экспедиции",
];

/// Crew membership in a sentence that names expeditions: for each group of expeditions, the
/// people it is written of — those it introduces ("Expedition 70 Flight Engineers Jasmin
/// Moghbeli and Loral O'Hara", "Expedition 70 crew members, including …"), else the sentence's
/// subject ("Cassidy served as flight engineer during Expedition 62 and commanded Expedition
/// 63", "He served …") — with the role the words beside the group give. A training label
/// ("prepares for Expedition 62 spacewalk training") makes nobody a crew member.
fn expedition_crews(
    toks: &[Tok],
    s: Range<usize>,
    found: &[&Found],
    at: &when::Reference,
    cx: &mut Context,
    ev: &Ev<'_>,
    claims: &mut Vec<Claim>,
) {
    use EntityKind as K;
    let words = lowers(toks, s.clone());
    let expeditions = of_kind(found, &s, &[K::Expedition]);
    // Officials and possessives ("Luca Parmitano's helmet") are not who an expedition's
    // crew is told of.
    let persons: Vec<&Found> = of_kind(found, &s, &[K::Person])
        .into_iter()
        .filter(|p| p.start == 0 || !TITLE_WORDS.contains(&toks[p.start - 1].lower().as_str()))
        .filter(|p| !toks[p.end - 1].possessive)
        .collect();
    let cue = words.iter().any(|w| MEMBER_CUES.contains(&w.as_str()));
    let groups = expedition_groups(toks, &expeditions);
    let single = groups.len() == 1;
    let lower = |k: usize| toks.get(k).filter(|_| s.contains(&k)).map(Tok::lower).unwrap_or_default();
    for (gi, g) in groups.iter().enumerate() {
        let training = (g.end..(g.end + 6).min(s.end)).any(|k| lower(k) == "training");
        if training {
            continue;
        }
        // The role: right after the group ("Expedition 38 flight engineer"), else the nearest
        // before it, not past a person or another group.
        let floor = if gi > 0 { groups[gi - 1].end } else { s.start };
        // Right after: "Expedition 38 flight engineer", "Expedition 63 commander" (but "under
        // the command of X" is X's).
        let after_role = (g.end..(g.end + 2).min(s.end))
            .map(|k| lower(k))
            .find(|w| w.starts_with("engineer") || w == "commander" || w.starts_with("бортинженер"));
        let plural_role = after_role.as_deref().is_some_and(|w| w.ends_with('s'));
        let after_role = after_role.as_deref().and_then(role_word);
        let before_role = (floor.max(g.start.saturating_sub(7))..g.start)
            .rev()
            .take_while(|&k| !persons.iter().any(|p| (p.start..p.end).contains(&k)))
            .find_map(|k| role_word(&lower(k)));
        let role = after_role.or(before_role);
        // People the group introduces: a list right after it, past role words and agencies.
        let mut k = g.end;
        let mut steps = 0;
        while k < s.end && steps < 8 {
            if persons.iter().any(|p| p.start == k) {
                break;
            }
            let t = &toks[k];
            let w = lower(k);
            let skippable = !t.word && matches!(t.text.as_str(), "," | "(" | ")" | "–" | "—")
                || role_word(&w).is_some()
                || matches!(w.as_str(), "flight" | "crew" | "members" | "member" | "including" | "and" | "the")
                || PERSON_CUES.contains(&w.as_str())
                || found.iter().any(|f| f.kind == K::Agency && (f.start..f.end).contains(&k));
            if !skippable {
                break;
            }
            k += 1;
            steps += 1;
        }
        let mut introduced: Vec<&Found> = Vec::new();
        if let Some(first) = persons.iter().find(|p| p.start == k) {
            introduced.push(first);
            for p in persons.iter().filter(|p| p.start > first.start) {
                let prev = introduced[introduced.len() - 1];
                if in_list(toks, found, prev, p) {
                    introduced.push(p);
                } else {
                    break;
                }
            }
        }
        let mut people: Vec<(String, Option<CrewRole>)> = Vec::new();
        if single && !persons.is_empty() {
            // One group: everyone the sentence names is of it ("Skripochka now commands
            // Expedition 62 with Jessica Meir and Andrew Morgan"); the group's role is its
            // subject's, or the introduced people's.
            let subject: Vec<usize> = if introduced.is_empty() {
                vec![persons[0].start]
            } else if after_role.is_some() && !plural_role {
                // "Expedition 63 commander Christopher Cassidy and cosmonauts …": one commander.
                vec![introduced[0].start]
            } else {
                introduced.iter().map(|p| p.start).collect()
            };
            for (k, p) in persons.iter().enumerate() {
                let own = role_of(toks, &s, found, &persons, k);
                let role = own.or(role.filter(|_| subject.contains(&p.start)));
                people.push((p.id.clone(), role));
            }
            // "He is flying with Nikolai Chub and Loral O'Hara as part of Expedition 70",
            // "They will serve in Expedition 72 with Sunita Williams in command".
            if matches!(words.first().map(String::as_str), Some("he" | "she" | "он" | "она")) {
                if let Some(p) = cx.person.clone().filter(|p| !people.iter().any(|(q, _)| q == p)) {
                    people.push((p, None));
                }
            }
            if matches!(words.first().map(String::as_str), Some("they" | "они" | "экипаж")) {
                for id in cx.crew.clone() {
                    if !people.iter().any(|(q, _)| *q == id) {
                        people.push((id, None));
                    }
                }
            }
        } else if !introduced.is_empty() {
            for p in &introduced {
                let k = persons.iter().position(|q| q.start == p.start).unwrap_or(0);
                people.push((p.id.clone(), role_of(toks, &s, found, &persons, k).or(role)));
            }
        } else {
            if !cue {
                continue;
            }
            // The sentence's subject: its first person and those listed with them, else the
            // person or crew a pronoun stands for.
            let before: Vec<&Found> = persons.iter().copied().filter(|p| p.end <= g.start).collect();
            if let Some(first) = before.first() {
                let mut subject = vec![*first];
                for p in before.iter().skip(1) {
                    if in_list(toks, found, subject[subject.len() - 1], p) {
                        subject.push(p);
                    }
                }
                for p in subject {
                    let k = persons.iter().position(|q| q.start == p.start).unwrap_or(0);
                    people.push((p.id.clone(), role_of(toks, &s, found, &persons, k).or(role)));
                }
            } else {
                let first = words.first().map(String::as_str);
                if matches!(first, Some("he" | "she" | "он" | "она"))
                    || words.iter().take(6).any(|w| matches!(w.as_str(), "his" | "her"))
                {
                    if let Some(p) = cx.person.clone() {
                        people.push((p, role));
                    }
                }
                for id in pronoun_crew(toks, s.clone(), cx) {
                    if !people.iter().any(|(p, _)| *p == id) {
                        people.push((id, role));
                    }
                }
            }
        }
        // "Expedition 61 starts with …", "opening Expedition 59": the day it began is the
        // date the sentence gives, else the page's own day.
        let starts = (g.end..(g.end + 3).min(s.end)).any(|k| {
            matches!(
                lower(k).as_str(),
                "starts" | "started" | "begins" | "began" | "begun" | "opens" | "opened"
            )
        }) || g.start > s.start
            && matches!(lower(g.start - 1).as_str(), "opening" | "starting" | "beginning");
        let began = starts.then(|| {
            when::nearest(toks, s.clone(), g.start, at, false)
                .filter(|d| d.date.precision() >= korolev_extract::DatePrecision::Day)
                .map(|d| d.date)
                .or(at.page.filter(|p| p.precision() >= korolev_extract::DatePrecision::Day))
        });
        for (person, role) in people {
            for expedition in &g.ids {
                let (conf, evidence) = ev(NAMED);
                let mut claim = Claim::new(ClaimKind::CrewMember, person.clone(), conf, evidence);
                claim.object = Some(expedition.clone());
                claim.role = role;
                if let Some(Some(d)) = began {
                    claim.set_date(Some(PartialDate::day(d.year, d.month.unwrap_or(1), d.day.unwrap_or(1))));
                }
                claims.push(claim);
            }
        }
    }
}

/// The crew role that the words around the `k`-th person of a sentence give.
fn role_of(
    toks: &[Tok],
    s: &Range<usize>,
    found: &[&Found],
    persons: &[&Found],
    k: usize,
) -> Option<CrewRole> {
    let p = persons[k];
    let w = |i: usize| {
        toks.get(i)
            .filter(|_| s.contains(&i))
            .map(Tok::lower)
            .unwrap_or_default()
    };
    let before: Vec<String> = (p.start.saturating_sub(3)..p.start).map(w).collect();
    let is_commander =
        |x: &str| matches!(x, "commander" | "командир" | "командиром" | "командованием");
    if before.iter().any(|x| is_commander(x))
        || (w(p.start.wrapping_sub(1)) == "of" && w(p.start.wrapping_sub(2)) == "command")
    {
        return Some(CrewRole::Commander);
    }
    if before
        .iter()
        .any(|x| x.starts_with("engineer") || x.starts_with("бортинженер"))
    {
        return Some(CrewRole::FlightEngineer);
    }
    // After the name, before the next person: "… Ryzhikov in command", "Hoshide will command".
    let stop = persons.get(k + 1).map_or(s.end, |n| n.start).min(p.end + 8);
    let after: Vec<String> = (p.end..stop).map(w).collect();
    if after.windows(2).any(|x| x[0] == "in" && x[1] == "command")
        || after
            .iter()
            .take(4)
            .any(|x| matches!(x.as_str(), "commands" | "command"))
    {
        return Some(CrewRole::Commander);
    }
    // A plural role before a list: "flight engineers Anne McClain of NASA and David …".
    let mut j = k;
    while j > 0 && in_list(toks, found, persons[j - 1], persons[j]) {
        j -= 1;
    }
    if j < k {
        let head = persons[j];
        let before: Vec<String> = (head.start.saturating_sub(3)..head.start).map(w).collect();
        if before
            .iter()
            .any(|x| x == "engineers" || x == "бортинженеры")
        {
            return Some(CrewRole::FlightEngineer);
        }
    }
    None
}

/// Whether two people stand in one list: only commas, "and", "of <agency>", "astronaut" and
/// the like between them.
fn in_list(toks: &[Tok], found: &[&Found], a: &Found, b: &Found) -> bool {
    let in_agency = |i: usize| {
        found
            .iter()
            .any(|f| f.kind == EntityKind::Agency && (f.start..f.end).contains(&i))
    };
    (a.end..b.start).all(|i| {
        let w = toks[i].lower();
        toks[i].is(",")
            || toks[i].is("(")
            || toks[i].is(")")
            || matches!(w.as_str(), "and" | "и" | "of" | "the")
            // Photo captions: "Jasmin Moghbeli, left, and Loral O'Hara".
            || matches!(w.as_str(), "left" | "right" | "center" | "centre" | "middle" | "front" | "back" | "top" | "bottom")
            || PERSON_CUES.contains(&w.as_str())
            || in_agency(i)
    })
}

/// "Roscosmos CEO Dmitry Bakanov", "the General Director of RSC Energia Vladimir Solntsev",
/// "the Governor Sergei Zhvachkin".
fn appointments(toks: &[Tok], found: &[&Found], ev: &Ev<'_>, claims: &mut Vec<Claim>) {
    let is_title = |i: usize| TITLE_WORDS.contains(&toks[i].lower().as_str());
    let mut prev_person = 0;
    for p in found.iter().filter(|f| f.kind == EntityKind::Person) {
        let floor = prev_person;
        prev_person = p.end;
        // Back over the words before the name, to "of", a comma or the previous person.
        let mut j = p.start;
        while j > floor && toks[j - 1].word && toks[j - 1].lower() != "of" && p.start - j < 8 {
            j -= 1;
        }
        let agency_in = |r: Range<usize>| {
            found
                .iter()
                .find(|f| f.kind == EntityKind::Agency && f.start >= r.start && f.end <= r.end)
                .map(|f| f.id.clone())
        };
        let (title, org) = if j > floor && toks[j - 1].lower() == "of" {
            // "<title> of <organisation> <name>".
            let of = j - 1;
            let mut t = of;
            while t > floor && toks[t - 1].word && of - t < 4 {
                t -= 1;
            }
            let Some(t) = (t..of).find(|&k| is_title(k)) else {
                continue;
            };
            (t..of, agency_in(j..p.start))
        } else {
            // "<organisation> <title> <name>" or "the <title> <name>".
            let Some(t) = (j..p.start).find(|&k| is_title(k)) else {
                continue;
            };
            (t..p.start, agency_in(j..t))
        };
        // "director Klim Shipenko" is a job, not an office: without an organisation, only "the
        // director" (an office the page has named before) counts.
        let determined = title.start > 0
            && matches!(
                toks[title.start - 1].lower().as_str(),
                "the" | "its" | "their"
            );
        if org.is_none() && !determined {
            continue;
        }
        let office: Vec<String> = toks[title].iter().map(Tok::lower).collect();
        let (conf, evidence) = ev(NAMED);
        let mut claim = Claim::new(ClaimKind::Appointment, p.id.clone(), conf, evidence);
        claim.object = org;
        claim.detail = Some(office.join(" "));
        claims.push(claim);
    }
}

/// "On board were Skvortsov, Parmitano and Morgan": the people of the craft the page is about.
fn on_board(
    toks: &[Tok],
    s: Range<usize>,
    found: &[&Found],
    cx: &Context,
    ev: &Ev<'_>,
    claims: &mut Vec<Claim>,
) {
    let words = lowers(toks, s.clone());
    // Aboard a craft, not aboard the station ("while aboard the space station for Expedition
    // 41" tells of a stay, not a launch).
    let at_station = |k: usize| {
        let after: Vec<&str> = words.iter().skip(k + 1).take(3).map(String::as_str).collect();
        matches!(after.as_slice(), ["the", "station", ..] | ["the", "space", "station", ..]
            | ["the", "international", ..] | ["the", "iss", ..] | ["the", "orbiting", ..]
            | ["the", "orbital", ..] | ["station", ..] | ["iss", ..])
    };
    let said = words
        .iter()
        .enumerate()
        .any(|(k, w)| w == "aboard" && !at_station(k))
        || words.windows(2).enumerate().any(|(k, p)| {
            (p[0] == "on" || p[0] == "на") && (p[1] == "board" || p[1] == "борту") && !at_station(k + 1)
        });
    let Some(craft) = cx.craft.clone().filter(|_| said) else {
        return;
    };
    // The people of the clause that says so: "On board were Skvortsov, Parmitano and Morgan,
    // who join Expedition 60 under the command of Ovchinin" puts three aboard, not four.
    let people_at: Vec<usize> = of_kind(found, &s, &[EntityKind::Person])
        .iter()
        .map(|f| f.start)
        .collect();
    let aboard_clause = text::clauses(toks, s.clone(), &people_at)
        .into_iter()
        .find(|c| {
            c.clone().any(|k| {
                let w = toks[k].lower();
                w == "aboard" || w == "board" || w == "борту"
            })
        })
        .unwrap_or(s.clone());
    let people: Vec<String> = of_kind(found, &aboard_clause, &[EntityKind::Person])
        .iter()
        .map(|f| f.id.clone())
        .collect();
    if people.is_empty() || speaks_of_future(&words) {
        return;
    }
    let (conf, evidence) = ev(FROM_CONTEXT);
    let mut claim = Claim::new(ClaimKind::Launch, craft, conf, evidence);
    claim.people = people;
    claim.status = Some(LaunchStatus::Done);
    claims.push(claim);
}

/// An agreement between the organisations a sentence names. Returns the claim's index when
/// the sentence names only one party, for [`read`] to complete.
fn agreement(
    toks: &[Tok],
    s: Range<usize>,
    found: &[&Found],
    reference: &when::Reference,
    ev: &Ev<'_>,
    claims: &mut Vec<Claim>,
) -> Option<usize> {
    let words = lowers(toks, s.clone());
    let at = words.iter().position(|w| {
        ["agreement", "agreements", "accord", "memorandum", "договор"].contains(&w.as_str())
            || w.starts_with("соглашени")
    })?;
    let between = words.iter().position(|w| w == "between" || w == "между");
    let from = between.map_or(s.start, |b| s.start + b);
    let mut parties: Vec<String> = Vec::new();
    push_unique(
        &mut parties,
        found
            .iter()
            .filter(|f| f.kind == EntityKind::Agency && f.start >= from)
            .map(|f| f.id.clone()),
    );
    parties.truncate(2);
    if parties.is_empty() {
        return None;
    }
    parties.sort();
    let (conf, evidence) = ev(NAMED);
    let mut claim = Claim::new(ClaimKind::Agreement, parties[0].clone(), conf, evidence);
    claim.object = parties.get(1).cloned();
    claim.set_date(when::find(toks, s.clone(), reference, false).map(|d| d.date));
    let about: Vec<&str> = toks[s.start + at + 1..s.end]
        .iter()
        .skip_while(|t| matches!(t.lower().as_str(), "was" | "is" | "signed"))
        .take_while(|t| {
            t.word
                && !matches!(
                    t.lower().as_str(),
                    "between" | "under" | "with" | "and" | "through" | "until"
                )
        })
        .take(8)
        .map(|t| t.text.as_str())
        .collect();
    if about.len() >= 2 && matches!(about[0], "on" | "to" | "for" | "о" | "об") {
        claim.detail = Some(about.join(" "));
    }
    claims.push(claim);
    (parties.len() == 1).then_some(claims.len() - 1)
}
