//! korolev's fact finding: what the extracted blocks and text of a page *say*, as entities
//! linked to the reference gazetteer and claims that carry their evidence.
//!
//! Pure: an [`Extracted`] document and the gazetteer in, [`DocumentFacts`] out. No storage, no
//! network. The same input always gives the same output, in the same order.

pub mod annotation;
pub mod gazetteer;
pub mod gold;
pub mod knowledge;
pub mod merge;
pub mod model;
pub mod names;
pub mod prose;
pub mod text;
pub mod when;

use gazetteer::{Gazetteer, Known};
use korolev_extract::{Block, Extracted, LaunchEntry, MissionBox, Span, Spanned};
use model::{
    ArticleInfo, Claim, ClaimKind, DocumentFacts, DocumentInfo, Entity, EntityKind, Evidence,
    Mention, SCHEMA,
};
use std::collections::HashMap;

/// Rule names and versions recorded in claim evidence.
pub const MISSION_BOX_RULE: &str = "mission-box";
pub const LAUNCH_TICKER_RULE: &str = "launch-ticker";
pub const RULES_VERSION: &str = "1";

/// Confidence of a claim read from a structured block of an agency page.
const BLOCK_CONFIDENCE: f32 = 0.9;

/// Entities of one document, in the order they were first met.
#[derive(Default)]
pub(crate) struct Entities {
    list: Vec<Entity>,
    index: HashMap<String, usize>,
}

/// The mentions of one entity kept per page.
const MENTIONS_KEPT: usize = 64;

/// Keeps the first of claims that say the same thing (a page that repeats a sentence states
/// its fact once), with the highest confidence any of them had.
fn fold_repeats(claims: &mut Vec<Claim>) {
    let mut first: HashMap<String, usize> = HashMap::new();
    let mut kept: Vec<Claim> = Vec::with_capacity(claims.len());
    for c in claims.drain(..) {
        let key = format!(
            "{:?}|{}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
            c.kind,
            c.subject,
            c.object,
            c.role,
            c.date,
            c.date_precision,
            c.status,
            c.site,
            c.people,
            c.detail,
            c.mission
        );
        match first.get(&key) {
            Some(&i) => kept[i].confidence = kept[i].confidence.max(c.confidence),
            None => {
                first.insert(key, kept.len());
                kept.push(c);
            }
        }
    }
    *claims = kept;
}

impl Entities {
    /// Records a mention of an entity, creating the entity on first sight; a spelling that
    /// differs from the canonical name becomes an alias.
    fn mention(
        &mut self,
        id: String,
        kind: EntityKind,
        name: &str,
        agency: Option<String>,
        known: bool,
        seen: &Spanned,
    ) -> String {
        self.mention_with(id, kind, name, agency, known, seen, true)
    }

    /// [`Entities::mention`], saying whether the spelling may be an alias: a declined Russian
    /// form ("Сергея Рыжикова") is a case of the name, not another name.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn mention_with(
        &mut self,
        id: String,
        kind: EntityKind,
        name: &str,
        agency: Option<String>,
        known: bool,
        seen: &Spanned,
        alias: bool,
    ) -> String {
        let idx = *self.index.entry(id.clone()).or_insert_with(|| {
            self.list.push(Entity {
                id: id.clone(),
                kind,
                name: name.to_string(),
                agency,
                known,
                aliases: Vec::new(),
                mentions: Vec::new(),
                occupation: None,
                class: None,
            });
            self.list.len() - 1
        });
        let entity = &mut self.list[idx];
        let spelled = seen.text.trim();
        if alias && spelled != entity.name && !entity.aliases.iter().any(|a| a == spelled) {
            entity.aliases.push(spelled.to_string());
        }
        // Where a page names an entity, up to a bound: a page that names it ten thousand
        // times says no more than one that names it sixty times.
        if entity.mentions.len() < MENTIONS_KEPT {
            entity.mentions.push(Mention {
                text: spelled.to_string(),
                start: seen.span.start,
                end: seen.span.end,
                line: seen.span.line,
            });
        }
        id
    }

    fn known(&mut self, k: &Known, seen: &Spanned) -> String {
        let agency = agency_id(k).filter(|_| k.kind != EntityKind::Agency);
        self.mention(k.id(), k.kind, &k.name, agency, true, seen)
    }
}

fn agency_id(k: &Known) -> Option<String> {
    k.affiliation.as_ref().map(|a| format!("agency/{a}"))
}

fn person(entities: &mut Entities, g: &Gazetteer, seen: &Spanned) -> String {
    match g.find_person(&seen.text) {
        Some(k) => entities.known(k, seen),
        None => {
            let name = korolev_extract::dom::collapse_whitespace(&seen.text);
            entities.mention(
                format!("person/{}", names::slug(&name)),
                EntityKind::Person,
                &name,
                None,
                false,
                seen,
            )
        }
    }
}

/// The craft a structured block names: one vehicle (a listed one first, then a numbered
/// member of a series), else a mission ("SC Crew-8" in a launch ticker), else a craft the
/// gazetteer does not know.
fn spacecraft(entities: &mut Entities, g: &Gazetteer, seen: &Spanned) -> String {
    if let Some(k) = g
        .find(EntityKind::Spacecraft, &seen.text)
        .filter(|k| k.kind == EntityKind::Spacecraft)
    {
        return entities.known(k, seen);
    }
    if let Some(k) = g.find(EntityKind::Mission, &seen.text) {
        return entities.known(k, seen);
    }
    if let Some((family, serial)) = g.find_numbered_spacecraft(&seen.text) {
        let name = format!("{}-{serial}", family.name);
        let id = format!("spacecraft/{}", names::slug(&name));
        return entities.mention(
            id,
            EntityKind::Spacecraft,
            &name,
            agency_id(family),
            true,
            seen,
        );
    }
    let name = seen.text.trim();
    entities.mention(
        format!("spacecraft/{}", names::slug(name)),
        EntityKind::Spacecraft,
        name,
        None,
        false,
        seen,
    )
}

fn launch_vehicle(entities: &mut Entities, g: &Gazetteer, seen: &Spanned) -> String {
    match g.find(EntityKind::LaunchVehicle, &seen.text) {
        Some(k) => entities.known(k, seen),
        None => {
            let name = seen.text.trim();
            entities.mention(
                format!("launch_vehicle/{}", names::slug(name)),
                EntityKind::LaunchVehicle,
                name,
                None,
                false,
                seen,
            )
        }
    }
}

fn evidence(document: &str, page: &text::CharIndex, span: Span, rule: &str) -> Evidence {
    Evidence {
        document: document.to_string(),
        start: span.start,
        end: span.end,
        line: span.line,
        text: page.slice(span.start, span.end).to_string(),
        extractor: rule.to_string(),
        version: RULES_VERSION.to_string(),
    }
}

fn mission_box_claims(
    b: &MissionBox,
    doc: &str,
    page: &text::CharIndex,
    g: &Gazetteer,
    entities: &mut Entities,
    claims: &mut Vec<Claim>,
) {
    let expedition = entities.mention(
        format!("expedition/{}", b.expedition),
        EntityKind::Expedition,
        &format!("Expedition {}", b.expedition),
        None,
        true,
        &b.label,
    );
    for member in &b.crew {
        let subject = person(entities, g, &member.name);
        let mut claim = Claim::new(
            ClaimKind::CrewMember,
            subject,
            BLOCK_CONFIDENCE,
            evidence(doc, page, member.name.span, MISSION_BOX_RULE),
        );
        claim.object = Some(expedition.clone());
        claim.role = Some(member.role);
        claims.push(claim);
    }
}

fn launch_claim(
    e: &LaunchEntry,
    doc: &str,
    page: &text::CharIndex,
    g: &Gazetteer,
    entities: &mut Entities,
) -> Claim {
    let subject = spacecraft(entities, g, &e.spacecraft);
    let object = launch_vehicle(entities, g, &e.vehicle);
    let mut claim = Claim::new(
        ClaimKind::Launch,
        subject,
        BLOCK_CONFIDENCE,
        evidence(doc, page, e.span, LAUNCH_TICKER_RULE),
    );
    claim.object = Some(object);
    claim.status = Some(e.status);
    claim.set_date(e.date);
    if claim.subject.starts_with("mission/") {
        claim.mission = Some(claim.subject.clone());
    }
    claim
}

/// The facts of one extracted document. `document` identifies it in evidence.
pub fn document_facts(
    document: DocumentInfo,
    extracted: &Extracted,
    g: &Gazetteer,
) -> DocumentFacts {
    let mut entities = Entities::default();
    let mut claims = Vec::new();
    // Evidence is sliced from the page by character offsets: through one index, not a walk
    // from the page's start for each block.
    let page = text::CharIndex::new(&extracted.page_text);
    for block in &extracted.blocks {
        match block {
            Block::MissionBox(b) => {
                mission_box_claims(b, &document.id, &page, g, &mut entities, &mut claims)
            }
            Block::Launch(e) => claims.push(launch_claim(e, &document.id, &page, g, &mut entities)),
        }
    }
    prose::read(&document.id, extracted, g, &mut entities, &mut claims);
    fold_repeats(&mut claims);
    settle_classes(g, &mut entities);
    let a = &extracted.article;
    let article = ArticleInfo {
        title: a.title.clone(),
        published_at: a.published.map(|d| d.to_string()),
        date_precision: a.published.map(|d| d.precision()),
        authors: a.authors.clone(),
        lang: a.lang.clone(),
        site_name: a.site_name.clone(),
        canonical_url: a.canonical_url.clone(),
        image_url: a.image_url.clone(),
        body: a.body(),
    };
    DocumentFacts {
        schema: SCHEMA.to_string(),
        document,
        article,
        entities: entities.list,
        claims,
    }
}

/// The entities and claims of an article's prose alone, without its blocks: what the gold set
/// annotates.
pub fn prose_facts(
    document: &str,
    extracted: &Extracted,
    g: &Gazetteer,
) -> (Vec<Entity>, Vec<Claim>) {
    let mut entities = Entities::default();
    let mut claims = Vec::new();
    prose::read(document, extracted, g, &mut entities, &mut claims);
    settle_classes(g, &mut entities);
    (entities.list, claims)
}

/// Each organisation's class, as the gazetteer knows it.
fn settle_classes(g: &Gazetteer, entities: &mut Entities) {
    for e in entities
        .list
        .iter_mut()
        .filter(|e| e.kind == EntityKind::Agency)
    {
        e.class = g.get(&e.id).and_then(|k| k.org);
    }
}
