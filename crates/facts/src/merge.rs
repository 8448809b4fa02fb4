//! Merged knowledge: claims about the same thing, from one page or many, become one fact.
//!
//! A fact's confidence rises with independent sources: claims from one source (one site)
//! count once, at their best; sources combine as 1 − Π(1 − c). Fields that disagree are kept
//! side by side as a conflict, never silently dropped: a fact takes the value most sources
//! give and lists the others. A planned event that a later claim reports done is not a
//! conflict, and neither is a date that another claim gives more precisely.

use crate::model::{Claim, ClaimKind, Evidence};
use korolev_extract::{CrewRole, DatePrecision, LaunchStatus};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    pub field: String,
    /// Each value with the documents that give it.
    pub values: Vec<(String, Vec<String>)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fact {
    pub kind: ClaimKind,
    pub subject: String,
    pub object: Option<String>,
    pub role: Option<CrewRole>,
    pub date: Option<String>,
    pub date_precision: Option<DatePrecision>,
    pub status: Option<LaunchStatus>,
    pub site: Option<String>,
    pub people: Vec<String>,
    pub detail: Option<String>,
    /// The mission the event belongs to, when a page names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mission: Option<String>,
    pub confidence: f32,
    /// How many independent sources (sites) state it.
    pub sources: usize,
    /// The first [`EVIDENCE_KEPT`] pieces of evidence, by document id.
    pub evidence: Vec<Evidence>,
    /// How many pieces of evidence there are in all.
    #[serde(default)]
    pub evidence_count: usize,
    pub conflicts: Vec<Conflict>,
}

/// What makes two claims tell of the same thing.
pub fn group_key(c: &Claim) -> String {
    let object = c.object.as_deref().unwrap_or("");
    match c.kind {
        ClaimKind::CrewMember | ClaimKind::Agreement => {
            format!("{}|{}|{object}", c.kind.as_str(), c.subject)
        }
        ClaimKind::Appointment => format!(
            "{}|{}|{}",
            c.kind.as_str(),
            c.subject,
            c.detail.as_deref().unwrap_or("")
        ),
        // One flight, whatever the pages call its craft ("Crew-8", "the Dragon", "Endeavour").
        _ if c.kind.is_event() && c.mission.is_some() => format!(
            "{}|mission|{}",
            c.kind.as_str(),
            c.mission.as_deref().unwrap_or("")
        ),
        // A launch told of only by its rocket is one launch of one page.
        ClaimKind::Launch if !c.subject.starts_with("spacecraft/") => {
            format!("{}|{}|{}", c.kind.as_str(), c.subject, c.evidence.document)
        }
        _ => format!("{}|{}", c.kind.as_str(), c.subject),
    }
}

/// How many pieces of evidence a fact keeps, the first by document id; the rest are counted.
/// A fact told by a hundred thousand pages stays the size of one told by a few.
pub const EVIDENCE_KEPT: usize = 16;

/// How many of the documents that give a value a conflict names; the rest are counted.
pub const CONFLICT_DOCUMENTS: usize = 8;

/// How many documents give a value, the first few of them by id, and how early a document
/// gives it (the least place of a claim with it among its document's claims of the flight):
/// a value told first is the one a page leads with.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Count {
    #[serde(rename = "n")]
    documents: u64,
    #[serde(rename = "d")]
    some: Vec<String>,
    #[serde(rename = "p")]
    place: u32,
}

impl Count {
    fn add(&mut self, document: &str, place: u32) {
        self.place = if self.documents == 0 {
            place
        } else {
            self.place.min(place)
        };
        self.documents += 1;
        keep_first(
            &mut self.some,
            document.to_string(),
            CONFLICT_DOCUMENTS,
            Ord::cmp,
        );
    }
}

/// Inserts `item` into the sorted `kept` when it is among the `most` smallest.
fn keep_first<T>(kept: &mut Vec<T>, item: T, most: usize, cmp: impl Fn(&T, &T) -> Ordering) {
    if let Err(i) = kept.binary_search_by(|k| cmp(k, &item)) {
        if i < most {
            kept.insert(i, item);
            kept.truncate(most);
        }
    }
}

fn evidence_order(a: &Evidence, b: &Evidence) -> Ordering {
    (
        &a.document,
        a.start,
        a.end,
        a.line,
        &a.extractor,
        &a.version,
        &a.text,
    )
        .cmp(&(
            &b.document,
            b.start,
            b.end,
            b.line,
            &b.extractor,
            &b.version,
            &b.text,
        ))
}

/// What the claims of one flight say, counted by document: the state its fact is settled
/// from. Documents added in any order give the same tally, so a store keeps one per flight
/// and adds each new page to it instead of merging every claim again.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Tally {
    kind: Option<ClaimKind>,
    /// Field → value → the documents that give it.
    fields: BTreeMap<String, BTreeMap<String, Count>>,
    /// Person → how many documents name them, and how early.
    people: BTreeMap<String, (u64, u32)>,
    /// Source → its best confidence.
    sources: BTreeMap<String, f32>,
    evidence: Vec<Evidence>,
    evidence_count: u64,
}

impl Tally {
    /// Adds what one document claims of this flight: `claims` all come from one document,
    /// whose source is `source`.
    pub fn add_document(&mut self, claims: &[&Claim], source: &str) {
        let Some(first) = claims.first() else { return };
        self.kind.get_or_insert(first.kind);
        let document = first.evidence.document.as_str();
        // Each value (and person) once per document, at its first place.
        let mut values: BTreeMap<(&str, String), u32> = BTreeMap::new();
        let mut people: BTreeMap<&str, u32> = BTreeMap::new();
        let mut evidence: Vec<&Evidence> = Vec::new();
        let mut best = 0.0f32;
        for (place, c) in (0u32..).zip(claims) {
            let fields = [
                ("object", c.object.clone()),
                ("role", c.role.map(|r| r.as_str().to_string())),
                ("date", c.date.clone()),
                ("status", c.status.map(|s| s.as_str().to_string())),
                ("site", c.site.clone()),
                ("detail", c.detail.clone()),
                ("subject", Some(c.subject.clone())),
                ("mission", c.mission.clone()),
            ];
            for (field, value) in fields {
                if let Some(v) = value {
                    values.entry((field, v)).or_insert(place);
                }
            }
            for p in &c.people {
                people.entry(p.as_str()).or_insert(place);
            }
            best = best.max(c.confidence);
            if !evidence.contains(&&c.evidence) {
                evidence.push(&c.evidence);
            }
        }
        for ((field, v), place) in values {
            self.fields
                .entry(field.to_string())
                .or_default()
                .entry(v)
                .or_default()
                .add(document, place);
        }
        for (p, place) in people {
            let (n, first) = self.people.entry(p.to_string()).or_insert((0, place));
            *n += 1;
            *first = (*first).min(place);
        }
        let slot = self.sources.entry(source.to_string()).or_insert(0.0);
        *slot = slot.max(best);
        self.evidence_count += evidence.len() as u64;
        for e in evidence {
            keep_first(&mut self.evidence, e.clone(), EVIDENCE_KEPT, evidence_order);
        }
    }

    /// The tally of claims of one flight, each with its source.
    pub fn of(claims: &[(&Claim, &str)]) -> Tally {
        let mut by_document: BTreeMap<&str, (Vec<&Claim>, &str)> = BTreeMap::new();
        for &(c, source) in claims {
            by_document
                .entry(c.evidence.document.as_str())
                .or_insert_with(|| (Vec::new(), source))
                .0
                .push(c);
        }
        let mut tally = Tally::default();
        for (claims, source) in by_document.values() {
            tally.add_document(claims, source);
        }
        tally
    }

    /// The values of `field`, each with its documents; values that disagree are a conflict,
    /// with the value most documents give first. `compatible` says when two different values
    /// do not disagree; `better` picks between compatible ones.
    fn settle(
        &self,
        field: &str,
        compatible: impl Fn(&str, &str) -> bool,
        better: impl Fn(&str, &str) -> bool,
    ) -> (Option<String>, Option<Conflict>) {
        let Some(values) = self.fields.get(field).filter(|v| !v.is_empty()) else {
            return (None, None);
        };
        let all_fit = values
            .keys()
            .all(|a| values.keys().all(|b| a == b || compatible(a, b)));
        // The values in the order pages tell them.
        let mut ranked: Vec<(&String, &Count)> = values.iter().collect();
        ranked.sort_by_key(|(_, n)| n.place);
        if all_fit {
            let mut best = ranked[0].0;
            for (v, _) in &ranked[1..] {
                if better(v, best) {
                    best = v;
                }
            }
            return (Some(best.clone()), None);
        }
        // Most documents first; ties as told.
        ranked.sort_by_key(|(_, n)| std::cmp::Reverse(n.documents));
        let winner = ranked[0].0.clone();
        let values = ranked
            .into_iter()
            .map(|(v, n)| (v.clone(), n.some.clone()))
            .collect();
        (
            Some(winner),
            Some(Conflict {
                field: field.to_string(),
                values,
            }),
        )
    }

    /// The fact the tally settles on; `None` for an empty tally.
    pub fn fact(&self) -> Option<Fact> {
        let kind = self.kind?;
        let mut conflicts = Vec::new();
        let mut take = |(v, c): (Option<String>, Option<Conflict>)| {
            conflicts.extend(c);
            v
        };
        // A module is a more precise place than its station.
        let object = take(self.settle(
            "object",
            |a, b| {
                kind == ClaimKind::Docking
                    && (a.starts_with("station/") || b.starts_with("station/"))
            },
            |a, _| a.starts_with("module/"),
        ));
        let role = take(self.settle("role", never, never)).and_then(|r| CrewRole::parse(&r));
        // "2020-10" and "2020-10-14" agree; the finer one is kept.
        let date = take(self.settle(
            "date",
            |a, b| a.starts_with(b) || b.starts_with(a),
            |a, b| a.len() > b.len(),
        ));
        // What was planned and then done is done.
        let status = take(self.settle(
            "status",
            |a, b| a == "planned" || b == "planned",
            |a, _| a != "planned",
        ))
        .and_then(|s| LaunchStatus::parse(&s));
        let site = take(self.settle("site", never, never));
        let detail = take(self.settle("detail", |_, _| true, never));
        let mission = take(self.settle("mission", never, never));
        // Claims of one flight name its craft more or less precisely: a capsule is more
        // precise than its type, and either than the mission's name.
        let rank = |id: &str| {
            if id.starts_with("spacecraft/") {
                3
            } else if id.starts_with("spacecraft_family/") {
                2
            } else if id.starts_with("mission/") {
                1
            } else {
                0
            }
        };
        let subject = self
            .fields
            .get("subject")?
            .iter()
            // Of the most precise, the one told last.
            .max_by(|(a, x), (b, y)| {
                (rank(a), x.place)
                    .cmp(&(rank(b), y.place))
                    .then_with(|| a.cmp(b))
            })?
            .0
            .clone();
        // As the pages name them.
        let mut people: Vec<(&String, &(u64, u32))> = self.people.iter().collect();
        people.sort_by_key(|(_, (_, place))| *place);
        let confidence = 1.0 - self.sources.values().map(|c| 1.0 - c).product::<f32>();
        let date_precision = date
            .as_deref()
            .and_then(|d| korolev_extract::PartialDate::parse_iso(d).map(|p| p.precision()));
        Some(Fact {
            kind,
            subject,
            object,
            role,
            date,
            date_precision,
            status,
            site,
            people: people.into_iter().map(|(p, _)| p.clone()).collect(),
            detail,
            mission,
            confidence,
            sources: self.sources.len(),
            evidence: self.evidence.clone(),
            evidence_count: self.evidence_count as usize,
            conflicts,
        })
    }
}

fn never(_: &str, _: &str) -> bool {
    false
}

/// Merges claims into facts. Each claim comes with the name of its source (a site name, or
/// its document when the site is unknown): claims of one source are not independent. Facts
/// come in the order of their [`group_key`], then by flight.
pub fn merge<'a>(claims: impl IntoIterator<Item = (&'a Claim, &'a str)>) -> Vec<Fact> {
    let mut groups: BTreeMap<String, Vec<(&Claim, &str)>> = BTreeMap::new();
    for (c, source) in claims {
        groups.entry(group_key(c)).or_default().push((c, source));
    }
    groups
        .into_values()
        .flat_map(|g| merge_group(g).into_iter().map(|(f, _)| f))
        .collect()
}

/// The facts of the claims of one group (one [`group_key`]), each with its claims' indices
/// into `group`: one fact per flight.
pub fn merge_group(group: Vec<(&Claim, &str)>) -> Vec<(Fact, Vec<usize>)> {
    if group.is_empty() {
        return Vec::new();
    }
    let indexed: Vec<(usize, &Claim, &str)> = group
        .iter()
        .enumerate()
        .map(|(i, &(c, s))| (i, c, s))
        .collect();
    flights(indexed)
        .into_iter()
        .filter_map(|flight| {
            let claims: Vec<(&Claim, &str)> = flight.iter().map(|&(_, c, s)| (c, s)).collect();
            let fact = Tally::of(&claims).fact()?;
            Some((fact, flight.iter().map(|&(i, _, _)| i).collect()))
        })
        .collect()
}

/// Whether the claims of a group may tell of several flights, so that its facts come from
/// all its claims together (see [`merge_group`]) rather than from a [`Tally`] kept up page
/// by page: the events of a named craft that flies again.
pub fn flies_again(c: &Claim) -> bool {
    c.kind.is_event() && c.mission.is_none() && !c.subject.ends_with(|c: char| c.is_ascii_digit())
}

/// How far apart two dates of one craft's event may be and still tell of the same flight.
const SAME_FLIGHT_DAYS: i64 = 60;

/// The claims of one group split by flight. A numbered craft ("soyuz-ms-16", "crew-9") flies
/// once, so its claims are one event however much they disagree; a named craft that flies again
/// (a Crew Dragon capsule, Starliner) has one event per cluster of dates. A claim without a date
/// joins the cluster its document also speaks of, else stands alone: two pages that name a
/// capsule without a date may well tell of two flights.
/// The claims of one group split by flight. A numbered craft ("soyuz-ms-16", "crew-9") flies
/// once, so its claims are one event however much they disagree; a named craft that flies again
/// (a Crew Dragon capsule, Starliner) has one event per cluster of dates. A claim without a date
/// joins the cluster its document also speaks of, else stands alone: two pages that name a
/// capsule without a date may well tell of two flights. The split does not depend on the
/// order of the claims.
fn flights<'a>(group: Vec<(usize, &'a Claim, &'a str)>) -> Vec<Vec<(usize, &'a Claim, &'a str)>> {
    type Member<'a> = (usize, &'a Claim, &'a str);
    let first = group[0].1;
    if !flies_again(first) {
        return vec![group];
    }
    // A month-precise date stands for its middle.
    let day = |c: &Claim| days(c.date.as_deref()?, Some(15));
    let place = |c: &Claim| {
        (
            c.evidence.document.clone(),
            c.evidence.start,
            c.evidence.end,
        )
    };
    let (mut dated, mut undated): (Vec<Member>, Vec<Member>) =
        group.into_iter().partition(|(_, c, _)| day(c).is_some());
    dated.sort_by_key(|(_, c, _)| (day(c), place(c)));
    undated.sort_by_key(|(_, c, _)| place(c));
    let mut clusters: Vec<(i64, Vec<Member>)> = Vec::new();
    for m in dated {
        let d = day(m.1).unwrap_or_default();
        match clusters.last_mut() {
            Some((last, members)) if d - *last <= SAME_FLIGHT_DAYS => {
                *last = d;
                members.push(m);
            }
            _ => clusters.push((d, vec![m])),
        }
    }
    let mut out: Vec<Vec<Member>> = clusters.into_iter().map(|(_, m)| m).collect();
    // A type ("a Soyuz") flies many times even within one page: an undated claim of a type
    // joins a flight of its page only when it shares someone aboard with it, or names nobody.
    let typed = first.subject.starts_with("spacecraft_family/");
    for m in undated {
        let c = m.1;
        let doc = &c.evidence.document;
        let fits = |f: &Vec<Member>| {
            f.iter().any(|(_, x, _)| &x.evidence.document == doc)
                && (!typed
                    || c.people.is_empty()
                    || f.iter().any(|(_, x, _)| {
                        x.people.is_empty() || x.people.iter().any(|p| c.people.contains(p))
                    }))
        };
        match out.iter_mut().find(|f| fits(f)) {
            Some(f) => f.push(m),
            None => out.push(vec![m]),
        }
    }
    out
}

/// Crews of the expeditions, as the crew_member facts tell them.
fn crews(facts: &[Fact]) -> BTreeMap<u32, Vec<&str>> {
    let mut crews: BTreeMap<u32, Vec<&str>> = BTreeMap::new();
    for f in facts.iter().filter(|f| f.kind == ClaimKind::CrewMember) {
        if let Some(n) = f.object.as_deref().and_then(expedition_number) {
            crews.entry(n).or_default().push(&f.subject);
        }
    }
    crews
}

/// 63 for "expedition/63".
pub fn expedition_number(id: &str) -> Option<u32> {
    id.strip_prefix("expedition/")?.parse().ok()
}

/// Events that happened on a known day.
fn done_on_day(f: &Fact) -> Option<&str> {
    let date = f.date.as_deref()?;
    (f.status == Some(LaunchStatus::Done)
        && f.date_precision.is_some_and(|p| p >= DatePrecision::Day))
    .then_some(date)
}

/// Days an expedition's crew overlaps with the next one's: from the new crew's launch to the
/// old crew's departure is one to three weeks.
const HANDOVER_DAYS: i64 = 14;

/// Days since 1970 of an ISO date ("2020-06-01"); a date without a day takes `day_of_month`,
/// or has none.
fn days(iso: &str, day_of_month: Option<u8>) -> Option<i64> {
    let d = korolev_extract::PartialDate::parse_iso(iso)?;
    Some(crate::when::days_from_civil(
        d.year,
        u32::from(d.month?),
        u32::from(d.day.or(day_of_month)?),
    ))
}

/// Vehicles that never go to the ISS: a crew launched on one is not aboard it (Shenzhou goes
/// to Tiangong, Orion to the Moon).
const ELSEWHERE: [&str; 9] = [
    "spacecraft_family/shenzhou",
    "spacecraft_family/tianzhou",
    "spacecraft_family/orion",
    "spacecraft_family/starship",
    "spacecraft_family/gemini",
    "spacecraft_family/apollo-csm",
    "spacecraft_family/apollo-lm",
    "spacecraft_family/vostok",
    "spacecraft_family/voskhod",
];

/// Whether an event may be a trip to or from the ISS: not one to another station, not on a
/// mission that went elsewhere, not on a vehicle that never goes there.
fn bound_for_iss(f: &Fact) -> bool {
    let g = crate::gazetteer::Gazetteer::builtin();
    if f.object
        .as_deref()
        .is_some_and(|o| o.starts_with("station/") && o != "station/iss")
    {
        return false;
    }
    let mission = f.mission.as_deref().or_else(|| {
        f.subject
            .starts_with("mission/")
            .then_some(f.subject.as_str())
    });
    if let Some(m) = mission.and_then(|m| g.get(m)) {
        if m.destination.as_deref() != Some("iss") {
            return false;
        }
    }
    !ELSEWHERE
        .iter()
        .any(|t| f.subject == *t || g.belongs(&f.subject, t))
}

/// The longest anyone stays aboard with nothing told of them since their launch: a little
/// more than the longest stays on record (437 days on Mir, 371 on the ISS). Past it, the facts
/// no longer say who is aboard.
pub const LONGEST_STAY_DAYS: i64 = 450;

/// The day of the latest dated event the facts tell on or before `day`: what an answer for
/// `day` knows is as of then.
pub fn known_as_of(facts: &[Fact], day: &str) -> Option<String> {
    facts
        .iter()
        .filter(|f| f.kind.is_event())
        .filter_map(done_on_day)
        .filter(|d| *d <= day)
        .max()
        .map(|d| d[..d.len().min(10)].to_string())
}

/// Who is aboard the station on `day` ("2020-06-01"), as the facts tell it, each with the craft
/// that carried them up: people whose last launch (or docking) on or before that day has no
/// landing of theirs after it. Where the expedition running that day is known with its crew,
/// only its members count (and, for the handover, the previous crew in its first days):
/// landings are told far less often than launches.
pub fn aboard(facts: &[Fact], day: &str) -> Vec<(String, String)> {
    let mut up: BTreeMap<&str, (&str, &str)> = BTreeMap::new();
    let mut landed: HashMap<&str, Vec<&str>> = HashMap::new();
    // People whose first flight of the facts is still to come on `day`.
    let mut not_yet: HashMap<&str, bool> = HashMap::new();
    for f in facts.iter().filter(|f| bound_for_iss(f)) {
        let Some(date) = done_on_day(f) else { continue };
        for p in &f.people {
            if matches!(f.kind, ClaimKind::Launch | ClaimKind::Docking) {
                let later = not_yet.entry(p).or_insert(true);
                *later &= date > day;
            }
            match f.kind {
                ClaimKind::Launch | ClaimKind::Docking
                    if date <= day && up.get(p.as_str()).is_none_or(|(d, _)| date > *d) =>
                {
                    up.insert(p, (date, &f.subject));
                }
                ClaimKind::Landing => landed.entry(p).or_default().push(date),
                _ => {}
            }
        }
    }
    let spans = expedition_spans(facts);
    let crews = crews(facts);
    // The expedition running on `day`: the last one begun by then, unless it has ended.
    let running = spans
        .iter()
        .filter(|(_, (start, end))| {
            start.as_deref().is_some_and(|s| s <= day) && end.as_deref().is_none_or(|e| day < e)
        })
        .map(|(n, _)| *n)
        .next_back();
    let crew = running.and_then(|n| crews.get(&n));
    // The crew of the expedition before stays for the handover, here taken as its first days.
    let handing_over = running.and_then(|n| {
        let start = spans.get(&n)?.0.as_deref()?;
        (days(day, None)? - days(start, None)? <= HANDOVER_DAYS).then(|| crews.get(&(n - 1)))?
    });
    let today = days(day, None);
    // The running expedition's crew is aboard even where no launch of theirs is told ("His
    // crew includes … Oleg Skripochka and Jessica Meir"), unless they landed since it began.
    if let (Some(n), Some(crew)) = (running, crew) {
        let began: &str = spans
            .get(&n)
            .and_then(|(s, _)| s.as_deref())
            .unwrap_or_default();
        for p in crew {
            let landed_since = landed
                .get(p)
                .is_some_and(|ds| ds.iter().any(|d| *d >= began && *d <= day));
            let still_to_fly = not_yet.get(p).copied().unwrap_or(false);
            if !up.contains_key(p) && !landed_since && !still_to_fly {
                up.insert(p, (began_day(began, day), ""));
            }
        }
    }
    up.into_iter()
        .filter(|(p, (went, _))| {
            let came_back = landed
                .get(p)
                .is_some_and(|ds| ds.iter().any(|d| went <= d && *d <= day));
            let stale = match (today, days(went, None)) {
                (Some(t), Some(w)) => t - w > LONGEST_STAY_DAYS,
                _ => false,
            };
            if stale {
                return false;
            }
            let in_crew =
                crew.is_none_or(|c| c.contains(p)) || handing_over.is_some_and(|c| c.contains(p));
            !came_back && in_crew
        })
        .map(|(p, (_, craft))| (p.to_string(), craft.to_string()))
        .collect()
}

/// The day to count a stay from for someone known only as a member of an expedition that
/// began on `began` (or, when that is not known, on `day`).
fn began_day<'a>(began: &'a str, day: &'a str) -> &'a str {
    if began.is_empty() {
        day
    } else {
        began
    }
}

/// When each expedition ran, as far as the facts tell. Expeditions follow one another in
/// number order: one starts with the earliest launch, after the previous expedition's start,
/// that carried a member of its crew who was not in the previous crew; it ends when the next
/// starts. `None` where the facts do not tell, and for the end of one that goes on.
pub fn expedition_spans(facts: &[Fact]) -> BTreeMap<u32, (Option<String>, Option<String>)> {
    let crews = crews(facts);
    let launches: Vec<(&str, &Fact)> = facts
        .iter()
        .filter(|f| f.kind == ClaimKind::Launch)
        .filter_map(|f| Some((done_on_day(f)?, f)))
        .collect();
    // "Expedition 61 starts with Luca Parmitano in command": a crew fact dated to the day the
    // text says the expedition began.
    let mut told: BTreeMap<u32, &str> = BTreeMap::new();
    for f in facts.iter().filter(|f| f.kind == ClaimKind::CrewMember) {
        let (Some(n), Some(d)) = (
            f.object.as_deref().and_then(expedition_number),
            f.date
                .as_deref()
                .filter(|_| f.date_precision.is_some_and(|p| p >= DatePrecision::Day)),
        ) else {
            continue;
        };
        let slot = told.entry(n).or_insert(d);
        if d < *slot {
            *slot = d;
        }
    }
    let mut starts: BTreeMap<u32, Option<String>> = BTreeMap::new();
    let mut floor: Option<String> = None;
    for (&n, crew) in &crews {
        let before = crews.get(&(n.wrapping_sub(1))).cloned().unwrap_or_default();
        let by_launch = launches
            .iter()
            .filter(|(d, _)| floor.as_deref().is_none_or(|f| *d > f))
            .filter(|(_, f)| {
                f.people
                    .iter()
                    .any(|p| crew.contains(&p.as_str()) && !before.contains(&p.as_str()))
            })
            .map(|(d, _)| *d)
            .min();
        let start = told
            .get(&n)
            .map(|d| &d[..d.len().min(10)])
            .filter(|d| floor.as_deref().is_none_or(|f| *d > f))
            .or(by_launch)
            .map(String::from);
        if start.is_some() {
            floor.clone_from(&start);
        }
        starts.insert(n, start);
    }
    starts
        .iter()
        .map(|(&n, start)| {
            let end = starts.get(&(n + 1)).cloned().flatten();
            (n, (start.clone(), end))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Evidence;

    fn claim(kind: ClaimKind, subject: &str, doc: &str, conf: f32) -> Claim {
        let ev = Evidence {
            document: doc.into(),
            start: 0,
            end: 1,
            line: 1,
            text: String::new(),
            extractor: "test".into(),
            version: "1".into(),
        };
        Claim::new(kind, subject.into(), conf, ev)
    }

    fn launch(doc: &str, date: &str, status: LaunchStatus, people: &[&str]) -> Claim {
        let mut c = claim(ClaimKind::Launch, "spacecraft/soyuz-ms-16", doc, 0.8);
        c.set_date(korolev_extract::PartialDate::parse_iso(date));
        c.status = Some(status);
        c.people = people.iter().map(|p| p.to_string()).collect();
        c
    }

    #[test]
    fn independent_sources_raise_confidence_and_one_site_counts_once() {
        let a = launch("d1", "2020-04", LaunchStatus::Planned, &["person/a"]);
        let b = launch("d2", "2020-04-09", LaunchStatus::Done, &["person/b"]);
        let c = launch("d3", "2020-04-09", LaunchStatus::Done, &[]);
        let one_site = merge([(&a, "site1"), (&b, "site1")]);
        assert_eq!(one_site.len(), 1);
        assert_eq!((one_site[0].sources, one_site[0].confidence), (1, 0.8));
        let facts = merge([(&a, "site1"), (&b, "site2"), (&c, "site3")]);
        let f = &facts[0];
        assert_eq!(f.sources, 3);
        assert!((f.confidence - (1.0 - 0.2f32.powi(3))).abs() < 1e-6);
        // The finer date wins, planned-then-done is done, people are the union: no conflict.
        assert_eq!(f.date.as_deref(), Some("2020-04-09"));
        assert_eq!(f.date_precision, Some(DatePrecision::Day));
        assert_eq!(f.status, Some(LaunchStatus::Done));
        assert_eq!(f.people, ["person/a", "person/b"]);
        assert!(f.conflicts.is_empty());
        assert_eq!(f.evidence.len(), 3);
    }

    #[test]
    fn disagreeing_dates_are_kept_as_a_conflict() {
        let a = launch("d1", "2020-04-09", LaunchStatus::Done, &[]);
        let b = launch("d2", "2020-04-10", LaunchStatus::Done, &[]);
        let c = launch("d3", "2020-04-10", LaunchStatus::Done, &[]);
        let f = &merge([(&a, "s1"), (&b, "s2"), (&c, "s3")])[0];
        assert_eq!(f.date.as_deref(), Some("2020-04-10"), "most documents win");
        let conflict = &f.conflicts[0];
        assert_eq!(conflict.field, "date");
        assert_eq!(conflict.values.len(), 2);
        assert_eq!(
            conflict.values[1],
            ("2020-04-09".to_string(), vec!["d1".to_string()])
        );
    }

    #[test]
    fn a_capsule_that_flies_again_has_one_launch_per_flight() {
        let mut demo2 = launch("d1", "2020-05-30", LaunchStatus::Done, &["person/h"]);
        demo2.subject = "spacecraft/endeavour".into();
        let mut crew2 = launch("d2", "2021-04-23", LaunchStatus::Done, &["person/k"]);
        crew2.subject = demo2.subject.clone();
        let mut planned = crew2.clone();
        planned.set_date(korolev_extract::PartialDate::parse_iso("2021-04"));
        planned.status = Some(LaunchStatus::Planned);
        let mut undated = crew2.clone();
        undated.date = None;
        undated.evidence.document = "d1".into();
        undated.evidence.start = 40;
        let facts = merge([
            (&demo2, "s1"),
            (&crew2, "s2"),
            (&planned, "s3"),
            (&undated, "s1"),
        ]);
        let dates: Vec<_> = facts.iter().map(|f| f.date.as_deref()).collect();
        assert_eq!(dates, [Some("2020-05-30"), Some("2021-04-23")]);
        assert!(facts.iter().all(|f| f.conflicts.is_empty()));
        assert_eq!(
            facts[0].evidence.len(),
            2,
            "the undated claim joins its page's flight"
        );
        // A numbered craft flies once: dates far apart are a conflict, not two launches.
        let a = launch("d1", "2020-04-09", LaunchStatus::Done, &[]);
        let b = launch("d2", "2020-09-09", LaunchStatus::Done, &[]);
        let facts = merge([(&a, "s1"), (&b, "s2")]);
        assert_eq!(facts.len(), 1);
        assert_eq!(facts[0].conflicts[0].field, "date");
    }

    #[test]
    fn a_module_refines_the_station_of_a_docking() {
        let mut a = claim(ClaimKind::Docking, "spacecraft/soyuz-ms-22", "d1", 0.8);
        a.object = Some("station/iss".into());
        let mut b = a.clone();
        b.object = Some("module/rassvet".into());
        let f = &merge([(&a, "s"), (&b, "s")])[0];
        assert_eq!(f.object.as_deref(), Some("module/rassvet"));
        assert!(f.conflicts.is_empty());
    }

    #[test]
    fn who_is_aboard_and_when_expeditions_run() {
        let mut up = launch(
            "d1",
            "2020-04-09",
            LaunchStatus::Done,
            &["person/a", "person/b"],
        );
        let mut down = claim(ClaimKind::Landing, "spacecraft/soyuz-ms-16", "d2", 0.8);
        down.set_date(korolev_extract::PartialDate::parse_iso("2020-10-22"));
        down.status = Some(LaunchStatus::Done);
        down.people = vec!["person/a".into()];
        let mut later = launch("d3", "2020-10-14", LaunchStatus::Done, &["person/c"]);
        later.subject = "spacecraft/soyuz-ms-17".into();
        let mut crew = Vec::new();
        for (p, n) in [
            ("person/a", 63),
            ("person/b", 63),
            ("person/b", 64),
            ("person/c", 64),
        ] {
            let mut c = claim(ClaimKind::CrewMember, p, "d4", 0.8);
            c.object = Some(format!("expedition/{n}"));
            crew.push(c);
        }
        up.confidence = 0.9;
        let all: Vec<(&Claim, &str)> = [&up, &down, &later]
            .into_iter()
            .chain(crew.iter())
            .map(|c| (c, "s"))
            .collect();
        let facts = merge(all);
        let ids = |d| {
            aboard(&facts, d)
                .into_iter()
                .map(|(p, _)| p)
                .collect::<Vec<_>>()
        };
        assert!(ids("2020-04-08").is_empty());
        assert_eq!(ids("2020-06-01"), ["person/a", "person/b"]);
        assert_eq!(ids("2020-10-20"), ["person/a", "person/b", "person/c"]);
        assert_eq!(ids("2020-10-23"), ["person/b", "person/c"]);
        let spans = expedition_spans(&facts);
        assert_eq!(
            spans[&63],
            (Some("2020-04-09".into()), Some("2020-10-14".into()))
        );
        assert_eq!(
            spans[&64],
            (Some("2020-10-14".into()), None),
            "ongoing: no end"
        );
        // Far past the last fact, nobody is known to be aboard.
        assert!(ids("2099-01-01").is_empty());
        assert_eq!(
            known_as_of(&facts, "2099-01-01").as_deref(),
            Some("2020-10-22")
        );
    }

    #[test]
    fn a_crew_bound_elsewhere_is_not_aboard_the_station() {
        let mut shenzhou = launch(
            "d1",
            "2024-04-25",
            LaunchStatus::Done,
            &["person/ye-guangfu"],
        );
        shenzhou.subject = "spacecraft_family/shenzhou".into();
        let mut soyuz = launch(
            "d2",
            "2024-03-23",
            LaunchStatus::Done,
            &["person/oleg-novitsky"],
        );
        soyuz.subject = "spacecraft/soyuz-ms-25".into();
        let mut tiangong = claim(ClaimKind::Docking, "spacecraft/x", "d3", 0.8);
        tiangong.set_date(korolev_extract::PartialDate::parse_iso("2024-04-26"));
        tiangong.status = Some(LaunchStatus::Done);
        tiangong.object = Some("station/tiangong".into());
        tiangong.people = vec!["person/li-cong".into()];
        let facts = merge([(&shenzhou, "s"), (&soyuz, "s"), (&tiangong, "s")]);
        let who: Vec<String> = aboard(&facts, "2024-05-01")
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        assert_eq!(who, ["person/oleg-novitsky"]);
    }
}
