//! Expedition crews: who a sentence ties to which expedition ("Expedition 70 Flight Engineers
//! X and Y", "served as a flight engineer during Expedition 64 and commander of Expedition 65",
//! "his crew includes …"), with the role the words give, and when an expedition began.

use super::*;

/// Crew membership: people of a sentence that names an expedition, or people with a crew role
/// in a page about one expedition.
pub(super) fn crew(
    toks: &[Tok],
    s: Range<usize>,
    found: &[&Found],
    at: &when::Reference,
    cx: &mut Context,
    ev: &Ev<'_>,
    claims: &mut Vec<Claim>,
) {
    use EntityKind as K;
    if !of_kind(found, &s, &[K::Expedition]).is_empty() {
        expedition_crews(toks, s, found, at, cx, ev, claims);
        return;
    }
    let words = lowers(toks, s.clone());
    let persons = of_kind(found, &s, &[K::Person]);
    let officials: Vec<&Found> = persons
        .iter()
        .copied()
        .filter(|p| p.start > 0 && TITLE_WORDS.contains(&toks[p.start - 1].lc()))
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
        words.first().map(CompactString::as_str),
        Some("he" | "she" | "он" | "она")
    ) {
        pronoun.extend(cx.person.clone());
    }
    for id in pronoun {
        if !people.iter().any(|(p, _)| *p == id) {
            people.push((id, None));
        }
    }
    // A sentence that names no expedition: its people join the one the page is about.
    let Some(expedition) = cx.expedition.clone() else {
        return;
    };
    // Joining the station, its crew or people on it, not an office ("joined JAXA in 1992").
    let member_cue = words.iter().enumerate().any(|(k, w)| {
        let at = s.start + k;
        w.starts_with("join")
            && (words.iter().skip(k + 1).take(4).any(|x| {
                matches!(
                    x.as_str(),
                    "crew" | "station" | "expedition" | "iss" | "them" | "laboratory" | "outpost"
                )
            }) || persons.iter().any(|p| p.start > at && p.start <= at + 4))
    }) || words.iter().any(|w| w == "includes")
        || words.windows(2).any(|p| p[0] == "на" && p[1] == "станции");
    // "Kononenko will command the station again": another expedition, not this one.
    let future_command = words.iter().any(|w| w == "will") && words.iter().any(|w| w == "command");
    if future_command {
        return;
    }
    if !member_cue {
        people.retain(|(_, role)| role.is_some());
    }
    let conf = FROM_CONTEXT;
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
pub(super) struct Group {
    ids: Vec<String>,
    start: usize,
    end: usize,
}

pub(super) fn expedition_groups(toks: &[Tok], expeditions: &[&Found]) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    for e in expeditions {
        let joined = groups.last().is_some_and(|g| {
            (g.end..e.start).all(|k| toks[k].is(",") || matches!(toks[k].lc(), "and" | "&" | "и"))
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
pub(super) fn role_word(w: &str) -> Option<CrewRole> {
    if w.starts_with("engineer") || w.starts_with("бортинженер") {
        Some(CrewRole::FlightEngineer)
    } else if matches!(
        w,
        "commander"
            | "command"
            | "commanded"
            | "commanding"
            | "commands"
            | "командир"
            | "командиром"
            | "командованием"
    ) {
        Some(CrewRole::Commander)
    } else {
        None
    }
}

/// Words that tie people to an expedition in a sentence that names one: a role, service,
/// membership, a stay.
pub(super) const MEMBER_CUES: [&str; 24] = [
    "served",
    "serve",
    "serves",
    "serving",
    "during",
    "part",
    "crew",
    "crews",
    "joining",
    "join",
    "joins",
    "joined",
    "aboard",
    "member",
    "members",
    "veteran",
    "engineer",
    "engineers",
    "commander",
    "commanded",
    "command",
    "flew",
    "launched",
    "экспедиции",
];

/// Crew membership in a sentence that names expeditions: for each group of expeditions, the
/// people it is written of — those it introduces ("Expedition 70 Flight Engineers Jasmin
/// Moghbeli and Loral O'Hara", "Expedition 70 crew members, including …"), else the sentence's
/// subject ("Cassidy served as flight engineer during Expedition 62 and commanded Expedition
/// 63", "He served …") — with the role the words beside the group give. A training label
/// ("prepares for Expedition 62 spacewalk training") makes nobody a crew member.
pub(super) fn expedition_crews(
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
        .filter(|p| p.start == 0 || !TITLE_WORDS.contains(&toks[p.start - 1].lc()))
        .filter(|p| !toks[p.end - 1].possessive)
        .collect();
    let cue = words.iter().any(|w| MEMBER_CUES.contains(&w.as_str()));
    let groups = expedition_groups(toks, &expeditions);
    let single = groups.len() == 1;
    let lower = |k: usize| {
        toks.get(k)
            .filter(|_| s.contains(&k))
            .map(Tok::lower)
            .unwrap_or_default()
    };
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
        let after_role = match lower(g.end).as_str() {
            "flight" => Some(lower(g.end + 1)).filter(|w| w.starts_with("engineer")),
            w if w.starts_with("engineer") || w == "commander" || w.starts_with("бортинженер") => {
                Some(w.to_string())
            }
            _ => None,
        };
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
                || matches!(
                    w.as_str(),
                    "flight" | "crew" | "members" | "member" | "including" | "and" | "the"
                )
                || PERSON_CUES.contains(&w.as_str())
                || found
                    .iter()
                    .any(|f| f.kind == K::Agency && (f.start..f.end).contains(&k));
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
            if matches!(
                words.first().map(CompactString::as_str),
                Some("he" | "she" | "он" | "она")
            ) {
                if let Some(p) = cx
                    .person
                    .clone()
                    .filter(|p| !people.iter().any(|(q, _)| q == p))
                {
                    people.push((p, None));
                }
            }
            // "They will serve …", "The three will join Expedition 32 commander …".
            let the_crew = words.first().is_some_and(|w| w == "the")
                && words.get(1).is_some_and(|w| {
                    matches!(
                        w.as_str(),
                        "three" | "four" | "trio" | "crew" | "astronauts"
                    )
                });
            if the_crew
                || matches!(
                    words.first().map(CompactString::as_str),
                    Some("they" | "они" | "экипаж")
                )
            {
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
            let before: Vec<&Found> = persons
                .iter()
                .copied()
                .filter(|p| p.end <= g.start)
                .collect();
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
                // "He served …", "Selected as an astronaut in 2000, he served …", "His
                // second flight …": the person the paragraph is about.
                if words
                    .iter()
                    .take(10)
                    .any(|w| matches!(w.as_str(), "he" | "she" | "his" | "her" | "он" | "она"))
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
            && matches!(
                lower(g.start - 1).as_str(),
                "opening" | "starting" | "beginning"
            );
        let began = starts.then(|| {
            when::nearest(toks, s.clone(), g.start, at, false)
                .filter(|d| d.date.precision() >= korolev_extract::DatePrecision::Day)
                .map(|d| d.date)
                .or(at
                    .page
                    .filter(|p| p.precision() >= korolev_extract::DatePrecision::Day))
        });
        for (person, role) in people {
            for expedition in &g.ids {
                let (conf, evidence) = ev(NAMED);
                let mut claim = Claim::new(ClaimKind::CrewMember, person.clone(), conf, evidence);
                claim.object = Some(expedition.clone());
                claim.role = role;
                if let Some(Some(d)) = began {
                    claim.set_date(Some(PartialDate::day(
                        d.year,
                        d.month.unwrap_or(1),
                        d.day.unwrap_or(1),
                    )));
                }
                claims.push(claim);
            }
        }
    }
}

/// The crew role that the words around the `k`-th person of a sentence give.
pub(super) fn role_of(
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
pub(super) fn in_list(toks: &[Tok], found: &[&Found], a: &Found, b: &Found) -> bool {
    let in_agency = |i: usize| {
        found
            .iter()
            .any(|f| f.kind == EntityKind::Agency && (f.start..f.end).contains(&i))
    };
    (a.end..b.start).all(|i| {
        let w = toks[i].lc();
        toks[i].is(",")
            || toks[i].is("(")
            || toks[i].is(")")
            || matches!(w, "and" | "и" | "of" | "the")
            // Photo captions: "Jasmin Moghbeli, left, and Loral O'Hara".
            || matches!(w, "left" | "right" | "center" | "centre" | "middle" | "front" | "back" | "top" | "bottom")
            || PERSON_CUES.contains(&w)
            || in_agency(i)
    })
}
