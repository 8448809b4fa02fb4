//! Who and what a piece of prose names: people (from the gazetteer, by initials and nicknames,
//! by a cue word, by a surname the page names in full), what they are in the story (someone
//! who flies, an office holder), agencies, spacecraft, types, missions, rockets, expeditions,
//! sites, stations and modules; what is not a name (photo credits, places named after people,
//! headlines in title case).

use super::*;

pub(super) const PERSON_CUES: [&str; 21] = [
    "astronaut",
    "astronauts",
    "cosmonaut",
    "cosmonauts",
    "taikonaut",
    "commander",
    "engineer",
    "engineers",
    "participant",
    "candidate",
    "candidates",
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

/// Whether a short piece of text capitalises most of its words, as a headline does (a
/// paragraph full of names is not a headline).
pub(super) fn title_case(toks: &[Tok]) -> bool {
    let words = toks.iter().filter(|t| t.word).count();
    let long: Vec<&Tok> = toks
        .iter()
        .filter(|t| t.word && t.text.chars().count() > 3 && !t.cyrillic)
        .collect();
    words <= 20 && long.len() >= 3 && long.iter().filter(|t| t.upper).count() * 10 >= long.len() * 7
}

/// Words that make a name a place or a thing named after someone: "Neil Armstrong Test
/// Facility", "Johnson Space Center", "Silver Snoopy Award", "Astronaut Crew Quarters".
pub(super) const INSTITUTION_WORDS: [&str; 24] = [
    "facility",
    "center",
    "centre",
    "award",
    "awards",
    "building",
    "museum",
    "school",
    "park",
    "airport",
    "hall",
    "institute",
    "university",
    "foundation",
    "memorial",
    "quarters",
    "medal",
    "prize",
    "test",
    "research",
    "complex",
    "field",
    "library",
    "laboratory",
];

pub(super) fn institution_word(t: &Tok) -> bool {
    t.word && INSTITUTION_WORDS.contains(&t.lc())
}

/// Whether a sentence is a photo or video credit ("Credit: SpaceX", "Image Credit:
/// NASA/Frank Micheaux", "NASA/Bill Ingalls"): who is named there is not in the story.
pub(super) fn is_credit(toks: &[Tok], s: &Range<usize>, source: &CharIndex) -> bool {
    let words: Vec<String> = toks[s.clone()]
        .iter()
        .take(3)
        .filter(|t| t.word)
        .map(Tok::lower)
        .collect();
    let lead = words.first().map(String::as_str);
    if matches!(lead, Some("credit" | "credits" | "credito" | "créditos"))
        || matches!(
            lead,
            Some("image" | "photo" | "video" | "photos" | "images")
        ) && words.get(1).is_some_and(|w| w.starts_with("credit"))
    {
        return true;
    }
    // "NASA/Frank Micheaux" on its own: an organisation, a slash, a name, and nothing else.
    let (a, b) = (toks[s.start].start, toks[s.end - 1].end);
    let text = source.slice(a, b);
    let n_words = toks[s.clone()].iter().filter(|t| t.word).count();
    text.contains('/')
        && n_words <= 6
        && !text.contains("//")
        && toks[s.clone()].iter().all(|t| t.upper || !t.word)
}

/// Words before a name that present someone who flies, and words after a comma that do
/// ("Loral O'Hara, a NASA astronaut").
pub(super) const FLYER_CUES: [&str; 22] = [
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
pub(super) const OFFICE_WORDS: [&str; 20] = [
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
pub(super) fn occupation_cue(
    toks: &[Tok],
    start: usize,
    end: usize,
) -> Option<crate::model::Occupation> {
    use crate::model::Occupation;
    let lower = |i: usize| toks[i].lc();
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
        if OFFICE_WORDS.contains(&w) || TITLE_WORDS.contains(&w) {
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
    if introduced_as_flyer(toks, end) {
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
            if OFFICE_WORDS.contains(&w) || TITLE_WORDS.contains(&w) {
                return Some(Occupation::Official);
            }
        }
    }
    office.then_some(Occupation::Official)
}

/// Whether the words after a name (ending at `end`) introduce someone who flies: ", a NASA
/// astronaut", "was selected as a NASA astronaut", "became a cosmonaut".
pub(super) fn introduced_as_flyer(toks: &[Tok], end: usize) -> bool {
    let flyer = |k: &usize| matches!(toks[*k].lc(), "astronaut" | "cosmonaut" | "taikonaut");
    let linked = toks
        .get(end)
        .is_some_and(|t| matches!(t.lc(), "was" | "is" | "became" | "becomes" | "has"));
    let apposed = toks.get(end).is_some_and(|t| t.is(","))
        && toks
            .get(end + 1)
            .is_some_and(|t| matches!(t.lc(), "a" | "an" | "the" | "former" | "retired"));
    let from = end + 1;
    (linked || apposed)
        && (from..(end + 8).min(toks.len()))
            .take_while(|&k| toks[k].word)
            .any(|k| flyer(&k))
}

/// Whether the word at `k` presents someone who flies: "astronaut", "commander", "flight
/// engineer" (an engineer alone is a profession: "chief engineer Chris Lupo").
pub(super) fn is_flyer_cue(toks: &[Tok], k: usize) -> bool {
    let w = toks[k].lc();
    if !FLYER_CUES.contains(&w) {
        return false;
    }
    if w.starts_with("engineer") {
        return k > 0 && toks[k - 1].lc() == "flight";
    }
    true
}

/// Finds the entities of one piece of prose, records their mentions and returns them in order.
pub(super) fn find_entities(
    toks: &[Tok],
    source: &CharIndex,
    unit: &Unit<'_>,
    g: &Gazetteer,
    entities: &mut Entities,
    cx: &mut Context,
) -> Vec<Found> {
    let mut out = Vec::new();
    let mut i = 0;
    let n = toks.len();
    // Characters `a..b` of this piece, placed in the page.
    let spanned = |a: usize, b: usize| Spanned {
        text: source.slice(a, b).to_string(),
        span: Span {
            start: unit.start + a,
            end: unit.start + b,
            line: unit.line,
        },
    };
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
        let seen = spanned(toks[i].start, toks[i + len - 1].end);
        // A declined Russian form ("Сергея Рыжикова") is a case of the name, not an alias.
        let declined = known
            && toks[i..i + len].iter().any(|t| t.cyrillic)
            && g.find(kind.lookup_kind(), &seen.text).is_none();
        let id = entities.mention_with(id, kind, &name, agency, known, &seen, !declined);
        if kind == EntityKind::Person && len >= 2 {
            cx.surnames
                .insert(toks[i + len - 1].key.to_string(), id.clone());
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
            if adj.word && !adj.upper && !["the", "a", "an", "on", "of"].contains(&adj.lc()) {
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
                let at = if toks
                    .get(i)
                    .is_some_and(|t| t.is(",") || matches!(t.lc(), "and" | "&" | "и"))
                {
                    i + 1
                } else {
                    i
                };
                // An expedition's number, not a year: "Expedition 70 and 71", not "… and 2024".
                let Some(num) = toks
                    .get(at)
                    .and_then(|t| digits(&t.text))
                    .filter(|n| (1..200).contains(n))
                else {
                    break;
                };
                let seen = spanned(toks[at].start, toks[at].end);
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

pub(super) type Entity = (usize, EntityKind, String, String, bool, Option<String>);

/// A cargo mission told by its operator and number, as NASA writes it: "NASA's SpaceX 30th
/// commercial resupply mission" is CRS-30, "Northrop Grumman's 20th commercial resupply
/// services mission" is NG-20. The entity spans the ordinal to "mission" (or "resupply").
fn resupply_mission(toks: &[Tok], i: usize, g: &Gazetteer) -> Option<Entity> {
    let num = ordinal(toks[i].lc())?;
    let word = |k: usize| toks.get(k).filter(|t| t.word).map(Tok::lc);
    let mut end = i + 1;
    if word(end) == Some("commercial") {
        end += 1;
    }
    if word(end) != Some("resupply") {
        return None;
    }
    end += 1;
    // "services", "(CRS)", then "mission".
    for (k, t) in toks.iter().enumerate().skip(end).take(5) {
        if word(k) == Some("mission") {
            end = k + 1;
            break;
        }
        if t.word && !matches!(t.lc(), "services" | "crs") {
            break;
        }
    }
    // The operator stands just before the number, possessive or not.
    let operator = i.checked_sub(1).map(|k| toks[k].lc())?;
    let before = i.checked_sub(2).map_or("", |k| toks[k].lc());
    let name = match (before, operator) {
        (_, "spacex") => format!("CRS-{num}"),
        ("northrop", "grumman") => format!("Northrop Grumman CRS-{num}"),
        ("orbital", "atk") => format!("Orbital ATK CRS-{num}"),
        ("orbital", "sciences") => format!("Orbital Sciences CRS-{num}"),
        _ => return None,
    };
    let k = g.find(EntityKind::Mission, &name)?;
    Some(from_known(end - i, k))
}

/// "30th", "1st", "twentieth": the number an ordinal stands for.
fn ordinal(w: &str) -> Option<u32> {
    const WORDS: [&str; 20] = [
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "eleventh",
        "twelfth",
        "thirteenth",
        "fourteenth",
        "fifteenth",
        "sixteenth",
        "seventeenth",
        "eighteenth",
        "nineteenth",
        "twentieth",
    ];
    if let Some(k) = WORDS.iter().position(|o| *o == w) {
        return u32::try_from(k + 1).ok();
    }
    let digits = w
        .strip_suffix("st")
        .or_else(|| w.strip_suffix("nd"))
        .or_else(|| w.strip_suffix("rd"))
        .or_else(|| w.strip_suffix("th"))?;
    digits.parse().ok().filter(|n| *n > 0)
}

pub(super) fn from_known(len: usize, k: &Known) -> Entity {
    let agency = k
        .affiliation
        .as_ref()
        .filter(|_| k.kind != EntityKind::Agency)
        .map(|a| format!("agency/{a}"));
    (len, k.kind, k.id(), k.name.clone(), true, agency)
}

pub(super) fn digits(s: &str) -> Option<u32> {
    (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// "X-12" → ("X", 12).
pub(super) fn split_serial(s: &str) -> Option<(&str, u32)> {
    let cut = s.rfind('-')?;
    Some((&s[..cut], digits(&s[cut + 1..])?))
}

/// The entity that starts at `toks[i]`, if any: its length in tokens, kind, id, name, whether
/// it is known, and its agency. A person's name that goes on into a place's ("Neil Armstrong
/// Test Facility") is the place's, not the person.
pub(super) fn entity_at(toks: &[Tok], i: usize, g: &Gazetteer, cx: &Context) -> Option<Entity> {
    let found = entity_at_any(toks, i, g, cx)?;
    if found.1 == EntityKind::Person {
        let (len, ..) = found;
        let named_after = toks
            .get(i + len)
            .is_some_and(|t| t.upper && institution_word(t))
            || toks[i..i + len].iter().any(institution_word);
        if named_after {
            return None;
        }
    }
    Some(found)
}

pub(super) fn entity_at_any(toks: &[Tok], i: usize, g: &Gazetteer, cx: &Context) -> Option<Entity> {
    let t = &toks[i];
    let lower = t.lc();
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
    if let Some(m) = resupply_mission(toks, i, g) {
        return Some(m);
    }
    // Numbered craft: "Soyuz MS-27", "Прогресс МС-16", "Crew-9", "Soyuz-19", "Apollo 11".
    let mut numbered: Option<Entity> = None;
    // A series is capitalised ("Soyuz MS", "Прогресс МС"): only such a word is looked up.
    let family = |name: &str| {
        g.find(EntityKind::SpacecraftFamily, name)
            .filter(|k| k.serial)
    };
    if let Some(n) = next.filter(|_| t.upper) {
        if let Some((tail, num)) = split_serial(&n.text) {
            if let Some(f) = family(&format!("{} {tail}", t.text)) {
                numbered = Some(craft(2, f, num));
            }
        } else if let Some(num) = digits(&n.text) {
            if let Some(f) = family(&t.text) {
                numbered = Some(craft(2, f, num));
            }
        }
    }
    if numbered.is_none() && t.upper {
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
    // A mission by its designation, also one the gazetteer does not list yet: "Crew-13",
    // "CRS-35", "NG-24", "Ax-5", "SpX-40", "STS-400".
    if let Some((prefix, num)) = split_serial(&t.text) {
        const MISSION_SERIES: [(&str, &str); 8] = [
            ("Crew", "crew"),
            ("CRS", "crs"),
            ("SpX", "crs"),
            ("NG", "ng"),
            ("OA", "oa"),
            ("Ax", "ax"),
            ("STS", "sts"),
            ("Orb", "orb"),
        ];
        if let Some((_, slug_head)) = MISSION_SERIES.iter().find(|(p, _)| *p == prefix) {
            let id = format!("mission/{slug_head}-{num}");
            if let Some(k) = g.get(&id) {
                return Some(from_known(1, k));
            }
            let name = match *slug_head {
                "crs" => format!("SpaceX CRS-{num}"),
                _ => format!("{prefix}-{num}"),
            };
            return Some((1, EntityKind::Mission, id, name, false, None));
        }
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
    // A cue in lowercase, as prose writes it ("NASA astronaut Jane Doe"): a capitalised one
    // inside a line is a title's ("Nitrosative Stress in Astronaut Skeletal Muscle").
    let cue = i > 0
        && PERSON_CUES.contains(&toks[i - 1].lc())
        && (!toks[i - 1].upper || i == 1 || !toks[i - 2].word);
    // Or what follows the name says so: "Patricia Robertson was selected as a NASA
    // astronaut", "Jane Doe, a NASA astronaut".
    let introduced = || {
        next.is_some_and(|n| name_like(n) && !institution_word(n))
            && !institution_word(t)
            && introduced_as_flyer(toks, i + 2)
    };
    if name_like(t) && (cue || g.is_given_name(t) || introduced()) && !cx.title_case {
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
        if let Some(id) = cx.surnames.get(t.key.as_str()) {
            let name = g
                .get(id)
                .map_or_else(|| t.text.to_string(), |k| k.name.clone());
            return Some((1, EntityKind::Person, id.clone(), name, true, None));
        }
    }
    None
}

pub(super) fn name_like(t: &Tok) -> bool {
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
pub(super) fn name_span(toks: &[Tok], i: usize) -> Option<(usize, Vec<usize>)> {
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

pub(super) fn expedition(len: usize, num: u32) -> Entity {
    (
        len,
        EntityKind::Expedition,
        format!("expedition/{num}"),
        format!("Expedition {num}"),
        true,
        None,
    )
}

pub(super) fn craft(len: usize, family: &Known, num: u32) -> Entity {
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
