//! Launches, dockings, undockings and landings, clause by clause: the words that tell each
//! (and those that only look like them: "Space Launch System", "coverage of the arrival"), the
//! vehicle or mission that did it (named, or the one the page tells of), its rocket, site, port,
//! people, date and status; flights told as "carried" or "flew", and "on board were …".

use super::*;

pub(super) const CRAFT_NOUNS: [&str; 10] = [
    "ship",
    "spaceplane",
    "spacecraft",
    "capsule",
    "craft",
    "vehicle",
    "freighter",
    "корабль",
    "корабля",
    "кораблём",
];

pub(super) const FUTURE: [&str; 31] = [
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
pub(super) fn speaks_of_future(words: &[CompactString]) -> bool {
    words.iter().enumerate().any(|(k, w)| {
        FUTURE.contains(&w.as_str())
            && !(k > 0
                && words[k - 1] == "as"
                && matches!(w.as_str(), "planned" | "scheduled" | "expected"))
    })
}

pub(super) const CANCELLED: [&str; 10] = [
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

pub(super) const FAILED: [&str; 5] = ["failed", "failure", "аварии", "авария", "аварийно"];

/// Words that tell of a flight, not of its launch ("Freedom carried four astronauts to the
/// station", "Rubio will fly on Soyuz MS-22"): they say who flew on which craft, and are
/// launches only for that. Such a claim carries the detail [`FLIGHT`] and no date.
pub(super) const FLIGHT_WORDS: [&str; 9] = [
    "flew",
    "carried",
    "brought",
    "delivered",
    "flies",
    "fly",
    "carries",
    "brings",
    "delivers",
];

pub(super) const FLIGHT_PAST: [&str; 4] = ["flew", "carried", "brought", "delivered"];

pub const FLIGHT: &str = "flight";

/// What a word says about an event: its kind, whether it needs a named craft nearby (a noun
/// or a loose verb) and whether it is a past form.
pub(super) fn trigger(toks: &[Tok], i: usize) -> Option<(ClaimKind, bool, bool)> {
    let w = toks[i].lc();
    let next = toks.get(i + 1).map_or("", Tok::lc);
    let prev = if i > 0 { toks[i - 1].lc() } else { "" };
    let ru = |stems: &[&str]| stems.iter().any(|s| w.starts_with(s));
    use ClaimKind::*;
    // (kind, weak, past)
    Some(match w {
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
            if MODIFIERS.contains(&next) {
                return None;
            }
            // "no less than five launches in 2020": a count of launches, not one.
            let counted = w == "launches"
                && (prev.chars().all(|c| c.is_ascii_digit())
                    || matches!(
                        prev,
                        "two"
                            | "three"
                            | "four"
                            | "five"
                            | "six"
                            | "seven"
                            | "eight"
                            | "nine"
                            | "ten"
                            | "several"
                            | "many"
                            | "multiple"
                            | "more"
                            | "few"
                            | "dozen"
                    ));
            if counted {
                return None;
            }
            // "will launch", "to launch": a verb, as strong as "launched".
            let verb = matches!(
                prev,
                "will"
                    | "to"
                    | "would"
                    | "shall"
                    | "can"
                    | "could"
                    | "may"
                    | "might"
                    | "must"
                    | "they"
                    | "we"
                    | "which"
                    | "that"
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
        "visited" => (Docking, true, true),
        // "linked up with the Rassvet module", "was installed on the Earth-facing port".
        "linked" | "links" | "link" if next == "up" => (Docking, false, w == "linked"),
        "installed" => (Docking, true, true),
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

/// Launch, docking, undocking and landing claims of one sentence, clause by clause.
#[allow(clippy::too_many_arguments)]
pub(super) fn events(
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
            words.first().map(CompactString::as_str),
            Some("after" | "before" | "ahead" | "following" | "после" | "перед")
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
            // "what spacecraft experience during launch and re-entry": a phase of any flight.
            // ("during docking of NASA's SpaceX Crew-4" is that docking).
            let of_named = toks.get(i + 1).is_some_and(|t| t.lc() == "of");
            if weak && i > c.start && toks[i - 1].lc() == "during" && !of_named {
                continue;
            }
            // "the anniversary of the Soyuz-Apollo docking": a commemoration, not the event.
            let remembered = (c.start.max(i.saturating_sub(5))..i)
                .any(|k| matches!(toks[k].lc(), "anniversary" | "anniversaries" | "годовщин"));
            if remembered {
                continue;
            }
            // "Live coverage of Cygnus' arrival will begin at 2 a.m., Wednesday, Jan. 31": the
            // date is the broadcast's.
            let broadcast = weak
                && (c.start.max(i.saturating_sub(4))..i).any(|k| {
                    matches!(
                        toks[k].lc(),
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
                toks[i].lc(),
                "arrives" | "arrive" | "arrived" | "reaches" | "reached" | "arrival"
            ) || toks[i].lc().starts_with("долетел")
                || toks[i].lc().starts_with("добрал");
            // "Upon arrival at Kennedy": at a launch site, not the station.
            let at_site = found
                .iter()
                .any(|f| f.kind == K::Site && f.start > i && f.start <= i + 3 && f.start < c.end);
            if arrival && at_site && !places {
                continue;
            }
            let intransitive = toks
                .get(i + 1)
                .is_none_or(|n| !n.word || matches!(n.lc(), "after" | "with"));
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
                        .any(|t| matches!(t.lc(), "and" | "и"))
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
            } else if let Some(f) = nearest(
                &of_kind(found, &c, &[K::Spacecraft, K::SpacecraftFamily, K::Mission]),
                i,
            ) {
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
                // "… grapple the spacecraft and dock it to an Earth-facing port": the craft is
                // the verb's object.
                let object_it = toks.get(i + 1).is_some_and(|t| t.lc() == "it");
                let context = cx
                    .craft
                    .clone()
                    .or_else(|| cx.mission.clone())
                    .filter(|_| object_it || subject_free(toks, c.start, i));
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
                    // "Loral O'Hara launched Sept. 15, 2023": people who flew on a craft the
                    // text does not name. The flight is told by its first person.
                    // (Not who captured or welcomed a craft: they did not fly it.)
                    _ if matches!(kind, ClaimKind::Launch | ClaimKind::Docking)
                        && (!weak || concrete)
                        && !matches!(
                            toks[i].lc(),
                            "capture"
                                | "captures"
                                | "captured"
                                | "berth"
                                | "berths"
                                | "berthed"
                                | "berthing"
                                | "welcomed"
                                | "installed"
                                | "visited"
                        ) =>
                    {
                        // Or the crew the page named before ("The international crew will …
                        // dock a few hours later").
                        let named = persons
                            .iter()
                            .find(|p| p.end <= i)
                            .map(|p| (p.id.clone(), NAMED));
                        let crew = pronoun_crew(toks, c.start..i, cx)
                            .into_iter()
                            .next()
                            .map(|p| (p, FROM_CONTEXT));
                        if let Some((p, conf)) = named.or(crew) {
                            subjects.push((p, c.clone(), conf));
                        }
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
                            let named = claim
                                .object
                                .as_deref()
                                .is_some_and(|o| o.starts_with("module/"));
                            if !named && words.windows(2).any(|w| w[0] == "the" && w[1] == "module")
                            {
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
                )
                .or_else(|| {
                    // "… in 2012, during which the crew welcomed … a SpaceX Dragon": a relative
                    // clause's time is its head's.
                    let relative = matches!(
                        toks[c.start].lc(),
                        "which" | "when" | "where" | "который" | "которая"
                    );
                    (relative && c.start > s.start)
                        .then(|| when::nearest(toks, s.start..c.start, c.start, at, future))
                        .flatten()
                });
                let flight = FLIGHT_WORDS.contains(&toks[i].lc());
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
                claim.mission = mission.filter(|m| *m != subject && flew(g, m, &subject));
                if subject.starts_with("mission/") {
                    claim.mission = Some(subject.clone());
                }
                if let Some(m) = &claim.mission {
                    cx.mission = Some(m.clone());
                }
                // "Ahead of Dragon's liftoff, three crew members will launch from Baikonur":
                // a subordinate clause's craft is not the main clause's.
                let vehicle =
                    subject.starts_with("spacecraft/") || subject.starts_with("spacecraft_family/");
                if (vehicle || subject.starts_with("mission/")) && !subordinate {
                    sentence_craft = Some(subject.clone());
                }
                if vehicle && !subordinate {
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
pub(super) fn flew(g: &Gazetteer, m: &str, craft: &str) -> bool {
    if craft.starts_with("mission/") || craft.starts_with("launch_vehicle/") {
        return true;
    }
    let Some(flown_id) = g.craft_of_mission(m).map(Known::id) else {
        return true;
    };
    flown_id == craft || g.belongs(&flown_id, craft) || g.belongs(craft, &flown_id)
}

/// Whether the trigger at `i` is a word of a name: capitalised inside a sentence, beside
/// another capitalised word ("Space Launch System", "Launch Complex 39A", "Crew Arrival").
pub(super) fn in_name(toks: &[Tok], i: usize, start: usize) -> bool {
    let upper_word = |t: &Tok| t.word && t.upper;
    toks[i].upper
        && i > start
        && (upper_word(&toks[i - 1]) || toks.get(i + 1).is_some_and(upper_word))
}

/// Words that may stand before an event's verb when its craft is the one the page is telling
/// of: determiners, pronouns, auxiliaries and the nouns of a craft or flight.
pub(super) const SUBJECT_FREE: [&str; 80] = [
    "spaceplane",
    "after",
    "before",
    "following",
    "ahead",
    "days",
    "hours",
    "two",
    "three",
    "the",
    "a",
    "an",
    "this",
    "that",
    "its",
    "their",
    "it",
    "they",
    "which",
    "who",
    "he",
    "she",
    "will",
    "would",
    "shall",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "being",
    "has",
    "have",
    "had",
    "then",
    "also",
    "now",
    "successfully",
    "autonomously",
    "scheduled",
    "set",
    "expected",
    "targeted",
    "planned",
    "to",
    "due",
    "slated",
    "ready",
    "later",
    "finally",
    "safely",
    "and",
    "cargo",
    "crew",
    "crewed",
    "uncrewed",
    "resupply",
    "spacecraft",
    "ship",
    "capsule",
    "craft",
    "vehicle",
    "freighter",
    "mission",
    "flight",
    "launch",
    "docking",
    "new",
    "on",
    "officially",
    "final",
    "first",
    "last",
    "maiden",
    "inaugural",
    "second",
    "third",
    "next",
    "of",
];

/// Whether the clause from `start` opens with nothing that could be the event's own subject
/// but the craft the page tells of: it opens with a name, a pronoun, or a noun phrase of a
/// craft or flight ("the cargo spacecraft", "the launch"), not with another thing ("the
/// experiment was launched", "three crew members will launch").
pub(super) fn subject_free(toks: &[Tok], start: usize, i: usize) -> bool {
    const DETERMINERS: [&str; 12] = [
        "the", "a", "an", "this", "that", "its", "their", "two", "three", "four", "both", "all",
    ];
    let mut k = start;
    while k < i && toks[k].word && DETERMINERS.contains(&toks[k].lc()) {
        k += 1;
    }
    // The opening noun phrase: lowercase words up to a verb, a comma or the trigger.
    while k < i {
        let t = &toks[k];
        if !t.word || t.upper || t.cyrillic || t.text.chars().all(|c| c.is_ascii_digit()) {
            return true;
        }
        let w = t.lc();
        if SUBJECT_FREE.contains(&w) || matches!(w, "rocket" | "booster") {
            if matches!(
                w,
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
pub(super) fn port_side(toks: &[Tok], c: Range<usize>) -> Option<String> {
    const SIDES: [&str; 10] = [
        "forward-facing",
        "space-facing",
        "earth-facing",
        "zenith",
        "nadir",
        "forward",
        "aft",
        "rear",
        "starboard",
        "ram",
    ];
    c.clone().find_map(|k| {
        let w = toks[k].lc();
        let port_follows = (k + 1..(k + 3).min(c.end)).any(|j| toks[j].lc() == "port");
        (SIDES.contains(&w) && port_follows).then(|| toks[k].text.to_string())
    })
}

/// "the damaged spacecraft" after "the damaged Soyuz MS-22": that craft.
pub(super) fn definite_craft(toks: &[Tok], c: Range<usize>, cx: &Context) -> Option<String> {
    c.clone().skip(1).find_map(|i| {
        let noun = toks[i].lc();
        if !CRAFT_NOUNS.contains(&noun) {
            return None;
        }
        cx.adjectives.get(toks[i - 1].lc()).cloned()
    })
}

/// "On board were Skvortsov, Parmitano and Morgan": the people of the craft the page is about.
pub(super) fn on_board(
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
        let after: Vec<&str> = words
            .iter()
            .skip(k + 1)
            .take(3)
            .map(CompactString::as_str)
            .collect();
        matches!(
            after.as_slice(),
            ["the", "station", ..]
                | ["the", "space", "station", ..]
                | ["the", "international", ..]
                | ["the", "iss", ..]
                | ["the", "orbiting", ..]
                | ["the", "orbital", ..]
                | ["station", ..]
                | ["iss", ..]
        )
    };
    let said = words
        .iter()
        .enumerate()
        .any(|(k, w)| w == "aboard" && !at_station(k))
        || words.windows(2).enumerate().any(|(k, p)| {
            (p[0] == "on" || p[0] == "на")
                && (p[1] == "board" || p[1] == "борту")
                && !at_station(k + 1)
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
                let w = toks[k].lc();
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
