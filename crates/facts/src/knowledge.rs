//! What korolev knows across every page it has read: claims merged into facts (see
//! [`crate::merge`]), when each expedition ran and with whom, and who is aboard the station on a
//! given day. `korolev knowledge` prints it; the portal and the APIs serve it.

use crate::merge::{aboard, expedition_number, expedition_spans, merge, Fact};
use crate::model::{Claim, ClaimKind, DocumentFacts, EntityKind};
use korolev_extract::CrewRole;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Version of the JSON document that `korolev knowledge --json` prints.
pub const KNOWLEDGE_SCHEMA: &str = "korolev.knowledge/1";

/// An entity as the knowledge refers to it: no mentions, those belong to documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityName {
    pub id: String,
    pub kind: EntityKind,
    pub name: String,
    pub agency: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Seat {
    pub person: String,
    pub role: Option<CrewRole>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Expedition {
    pub id: String,
    pub number: u32,
    /// The day it began, when the facts tell it.
    pub start: Option<String>,
    /// The day it ended; `None` while it goes on or when the facts do not tell.
    pub end: Option<String>,
    pub crew: Vec<Seat>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Aboard {
    pub person: String,
    /// The spacecraft that carried them up.
    pub craft: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Knowledge {
    pub schema: String,
    /// The day `aboard` is about (ISO 8601).
    pub at: String,
    pub entities: Vec<EntityName>,
    pub facts: Vec<Fact>,
    pub expeditions: Vec<Expedition>,
    pub aboard: Vec<Aboard>,
    /// The day of the latest event the facts tell on or before `at`: `aboard` is as of then
    /// (and empty once that is longer ago than anyone stays).
    #[serde(default)]
    pub aboard_as_of: Option<String>,
}

/// Who stands behind a document, for telling independent sources apart: its site's name, else
/// its canonical URL's host, else the document itself.
pub fn source_of(site_name: Option<&str>, canonical_url: Option<&str>, document: &str) -> String {
    if let Some(site) = site_name.map(str::trim).filter(|s| !s.is_empty()) {
        return site.to_lowercase();
    }
    canonical_url
        .and_then(url_host)
        .map(|h| h.to_lowercase())
        .unwrap_or_else(|| document.to_string())
}

/// The host of an absolute URL, without "www." ("https://www.x.org/a" → "x.org").
pub fn url_host(url: &str) -> Option<&str> {
    let (_, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    Some(host.trim_start_matches("www.")).filter(|h| !h.is_empty())
}

impl Knowledge {
    /// Merges `claims`, each with its source (see [`source_of`]). `entities` name the ids the
    /// claims use; `at` is the day for `aboard`.
    pub fn build<'a>(
        claims: impl IntoIterator<Item = (&'a Claim, &'a str)>,
        entities: Vec<EntityName>,
        at: &str,
    ) -> Knowledge {
        Knowledge::of_facts(merge(claims), entities, at)
    }

    /// The knowledge of merged facts (in the order [`merge`] gives them); `entities` name the
    /// ids they use, `at` is the day for `aboard`.
    pub fn of_facts(facts: Vec<Fact>, mut entities: Vec<EntityName>, at: &str) -> Knowledge {
        entities.sort_by(|a, b| a.id.cmp(&b.id));
        entities.dedup_by(|a, b| a.id == b.id);
        let mut crews: BTreeMap<u32, Vec<Seat>> = BTreeMap::new();
        for f in facts.iter().filter(|f| f.kind == ClaimKind::CrewMember) {
            if let Some(n) = f.object.as_deref().and_then(expedition_number) {
                crews.entry(n).or_default().push(Seat {
                    person: f.subject.clone(),
                    role: f.role,
                });
            }
        }
        let spans = expedition_spans(&facts);
        let expeditions = crews
            .into_iter()
            .map(|(number, mut crew)| {
                // Commander first, then by role, then as the facts list them.
                crew.sort_by_key(|s| s.role.map_or(u8::MAX, role_rank));
                let (start, end) = spans.get(&number).cloned().unwrap_or_default();
                Expedition {
                    id: format!("expedition/{number}"),
                    number,
                    start,
                    end,
                    crew,
                }
            })
            .collect();
        let aboard_as_of = crate::merge::known_as_of(&facts, at);
        let aboard = aboard(&facts, at)
            .into_iter()
            .map(|(person, craft)| Aboard { person, craft })
            .collect();
        Knowledge {
            schema: KNOWLEDGE_SCHEMA.to_string(),
            at: at.to_string(),
            entities,
            facts,
            expeditions,
            aboard,
            aboard_as_of,
        }
    }

    /// Facts with the names of the entities they use, and nothing worked out from them (no
    /// expeditions, nobody aboard): one page of a list, to be named.
    pub fn named(facts: Vec<Fact>, mut entities: Vec<EntityName>) -> Knowledge {
        entities.sort_by(|a, b| a.id.cmp(&b.id));
        entities.dedup_by(|a, b| a.id == b.id);
        Knowledge {
            schema: KNOWLEDGE_SCHEMA.to_string(),
            at: String::new(),
            entities,
            facts,
            expeditions: Vec::new(),
            aboard: Vec::new(),
            aboard_as_of: None,
        }
    }

    /// Every entity id `facts` use (subjects, objects, sites, missions, people), once each.
    pub fn ids_in(facts: &[Fact]) -> Vec<&str> {
        let mut ids: Vec<&str> = facts
            .iter()
            .flat_map(|f| {
                [
                    Some(&f.subject),
                    f.object.as_ref(),
                    f.site.as_ref(),
                    f.mission.as_ref(),
                ]
                .into_iter()
                .flatten()
                .chain(&f.people)
                .map(String::as_str)
            })
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// The knowledge of a set of documents, as `korolev facts --knowledge` prints it.
    pub fn from_documents(docs: &[DocumentFacts], at: &str) -> Knowledge {
        let sources: Vec<String> = docs
            .iter()
            .map(|d| {
                source_of(
                    d.article.site_name.as_deref(),
                    d.article.canonical_url.as_deref(),
                    &d.document.id,
                )
            })
            .collect();
        let claims = docs
            .iter()
            .zip(&sources)
            .flat_map(|(d, s)| d.claims.iter().map(move |c| (c, s.as_str())));
        let entities = docs
            .iter()
            .flat_map(|d| &d.entities)
            .map(|e| EntityName {
                id: e.id.clone(),
                kind: e.kind,
                name: e.name.clone(),
                agency: e.agency.clone(),
            })
            .collect();
        Knowledge::build(claims, entities, at)
    }

    /// The name of an entity, or its id when it is not known.
    /// The name of entity `id`: as the pages name it, else as the gazetteer does (an agency
    /// known only as a person's affiliation), else the id itself.
    pub fn name<'a>(&'a self, id: &'a str) -> &'a str {
        match self.entities.binary_search_by(|e| e.id.as_str().cmp(id)) {
            Ok(i) => self.entities[i].name.as_str(),
            Err(_) => crate::gazetteer::Gazetteer::builtin()
                .get(id)
                .map_or(id, |k| k.name.as_str()),
        }
    }

    pub fn entity(&self, id: &str) -> Option<&EntityName> {
        self.entities
            .binary_search_by(|e| e.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.entities[i])
    }
}

/// A launch's id: its mission's slug when it has one ("crew-8"), its craft's slug for a
/// numbered craft that flies once ("soyuz-ms-16"), else the slug and the date
/// ("endeavour-2020-05-30"), else the slug and the page that told it.
pub fn launch_id(f: &Fact) -> String {
    if let Some(m) = &f.mission {
        return m.rsplit('/').next().unwrap_or(m).to_string();
    }
    let slug = f.subject.rsplit('/').next().unwrap_or(&f.subject);
    if f.subject.starts_with("spacecraft/") && slug.ends_with(|c: char| c.is_ascii_digit()) {
        return slug.to_string();
    }
    match (&f.date, f.evidence.first()) {
        (Some(d), _) => format!("{slug}-{d}"),
        (None, Some(e)) => {
            let doc = e.document.rsplit(':').next().unwrap_or(&e.document);
            format!("{slug}-{}", &doc[..doc.len().min(8)])
        }
        (None, None) => slug.to_string(),
    }
}

/// The UUID a launch goes by where an interface wants one (the Spaceflight News API's
/// `launches[].launch_id`): version 5 (name-based, SHA-1) of `korolev:launch:` and its id
/// ([`launch_id`]) in the URL namespace, so that it is the same on every korolev and for as
/// long as the launch keeps its id.
pub fn launch_uuid(id: &str) -> String {
    uuid::Uuid::new_v5(
        &uuid::Uuid::NAMESPACE_URL,
        format!("korolev:launch:{id}").as_bytes(),
    )
    .to_string()
}

/// Whether a fact is a launch the knowledge lists: a dated flight or a mission's flight of a
/// spacecraft, a type or a mission, never a rocket by itself (a capsule's flight told with
/// neither a date nor a mission cannot be told from its other flights).
pub fn is_listed_launch(f: &Fact) -> bool {
    f.kind == ClaimKind::Launch
        && (f.subject.starts_with("spacecraft/")
            || f.subject.starts_with("mission/")
            || f.subject.starts_with("spacecraft_family/"))
        && (f.mission.is_some() || f.date.is_some())
}

impl Knowledge {
    /// Launches, each with its id, by date (those without one last): see [`is_listed_launch`].
    pub fn launches(&self) -> Vec<(String, &Fact)> {
        let mut out: Vec<(String, &Fact)> = self
            .facts
            .iter()
            .filter(|f| is_listed_launch(f))
            .map(|f| (launch_id(f), f))
            .collect();
        out.sort_by(|a, b| {
            (a.1.date.is_none(), &a.1.date, &a.0).cmp(&(b.1.date.is_none(), &b.1.date, &b.0))
        });
        out
    }
}

impl Knowledge {
    /// The craft of a launch, by name: the spacecraft (or its type) the pages name, else the
    /// capsule that the gazetteer knows flew its mission.
    pub fn craft_name(&self, f: &Fact) -> Option<String> {
        if f.subject.starts_with("spacecraft/") || f.subject.starts_with("spacecraft_family/") {
            return Some(self.name(&f.subject).to_string());
        }
        let mission = f.mission.as_deref().or_else(|| {
            f.subject
                .starts_with("mission/")
                .then_some(f.subject.as_str())
        })?;
        crate::gazetteer::Gazetteer::builtin()
            .craft_of_mission(mission)
            .map(|k| k.name.clone())
    }
}

fn role_rank(r: CrewRole) -> u8 {
    match r {
        CrewRole::Commander => 0,
        CrewRole::FlightEngineer => 1,
        _ => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entity_no_page_named_is_named_as_the_gazetteer_names_it() {
        let k = Knowledge::named(Vec::new(), Vec::new());
        assert_eq!(k.name("agency/jaxa"), "JAXA");
        assert_eq!(k.name("person/nobody-known"), "person/nobody-known");
    }

    #[test]
    fn sources_are_sites_then_hosts_then_documents() {
        assert_eq!(source_of(Some(" NASA "), None, "d"), "nasa");
        assert_eq!(
            source_of(None, Some("https://www.Example.org/a/b?c"), "d"),
            "example.org"
        );
        assert_eq!(source_of(Some(""), Some("not a url"), "d"), "d");
    }
}
