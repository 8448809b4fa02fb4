//! The shapes of korolev's knowledge: entities, their mentions, claims and the evidence behind
//! each claim. These types *are* the JSON schema of `korolev facts --json` and `korolev export
//! --json` (documented in docs/formats.md): change a field here and the schema changes.

use korolev_extract::{CrewRole, DatePrecision, LaunchStatus, PartialDate};
use serde::{Deserialize, Serialize};

/// Version of the JSON document that `facts` and `export` print.
pub const SCHEMA: &str = "korolev.facts/2";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    Person,
    Agency,
    Spacecraft,
    SpacecraftFamily,
    LaunchVehicle,
    Expedition,
    Station,
    Module,
    Site,
    /// A flight by its mission name: "Crew-8", "CRS-30", "NG-20", "Ax-3", "STS-135".
    Mission,
}

impl EntityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Agency => "agency",
            EntityKind::Spacecraft => "spacecraft",
            EntityKind::SpacecraftFamily => "spacecraft_family",
            EntityKind::LaunchVehicle => "launch_vehicle",
            EntityKind::Expedition => "expedition",
            EntityKind::Station => "station",
            EntityKind::Module => "module",
            EntityKind::Site => "site",
            EntityKind::Mission => "mission",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            EntityKind::Person,
            EntityKind::Agency,
            EntityKind::Spacecraft,
            EntityKind::SpacecraftFamily,
            EntityKind::LaunchVehicle,
            EntityKind::Expedition,
            EntityKind::Station,
            EntityKind::Module,
            EntityKind::Site,
            EntityKind::Mission,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }

    /// Kinds that share one namespace of spellings in the gazetteer.
    pub fn lookup_kind(self) -> EntityKind {
        match self {
            EntityKind::Station | EntityKind::Module => EntityKind::Site,
            EntityKind::SpacecraftFamily => EntityKind::Spacecraft,
            k => k,
        }
    }
}

/// Where in a document something was read: character offsets into the document's page text
/// (end exclusive) and the 1-based line where it starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub line: usize,
}

/// What a person is in the story: someone who flies (astronauts, cosmonauts, spaceflight
/// participants, candidates) or someone who holds an office. Media contacts and photo credits
/// are neither, and are not entities at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Occupation {
    Astronaut,
    Official,
}

impl Occupation {
    pub fn as_str(self) -> &'static str {
        match self {
            Occupation::Astronaut => "astronaut",
            Occupation::Official => "official",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Occupation::Astronaut, Occupation::Official]
            .into_iter()
            .find(|o| o.as_str() == s)
    }
}

/// What kind of body an organisation is: users need space agencies apart from companies
/// (SpaceX, Northrop Grumman) and from news agencies (TASS).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgClass {
    Agency,
    Company,
    News,
    Organisation,
}

impl OrgClass {
    pub fn as_str(self) -> &'static str {
        match self {
            OrgClass::Agency => "agency",
            OrgClass::Company => "company",
            OrgClass::News => "news",
            OrgClass::Organisation => "organisation",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            OrgClass::Agency,
            OrgClass::Company,
            OrgClass::News,
            OrgClass::Organisation,
        ]
        .into_iter()
        .find(|o| o.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// "person/anne-mcclain", "expedition/59", "spacecraft/progress-ms-15".
    pub id: String,
    pub kind: EntityKind,
    /// Canonical name.
    pub name: String,
    /// Agency id for people, spacecraft and launch vehicles, when known.
    pub agency: Option<String>,
    /// True when the entity is in korolev's reference gazetteer (or follows from it, like a
    /// numbered spacecraft of a known family).
    pub known: bool,
    /// Spellings in this document that differ from the canonical name.
    pub aliases: Vec<String>,
    pub mentions: Vec<Mention>,
    /// For people: whether this document presents them as someone who flies or as an official.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occupation: Option<Occupation>,
    /// For organisations: a space agency, a company, a news agency or another body, as the
    /// gazetteer knows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<OrgClass>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimKind {
    /// subject: person, object: expedition, role: commander / flight_engineer / … when given.
    CrewMember,
    /// subject: spacecraft (or the launch vehicle when no spacecraft is named), object: launch
    /// vehicle, site, people aboard, date, status.
    Launch,
    /// subject: spacecraft or module, object: the station or module it docked to, people
    /// aboard, date, status.
    Docking,
    /// subject: spacecraft, object: what it left, date, status.
    Undocking,
    /// subject: spacecraft, site, people aboard, date, status.
    Landing,
    /// subject and object: the parties, date, detail: what it is about.
    Agreement,
    /// subject: person, object: organisation when named, detail: the office ("ceo").
    Appointment,
}

impl ClaimKind {
    pub const ALL: [ClaimKind; 7] = [
        ClaimKind::CrewMember,
        ClaimKind::Launch,
        ClaimKind::Docking,
        ClaimKind::Undocking,
        ClaimKind::Landing,
        ClaimKind::Agreement,
        ClaimKind::Appointment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ClaimKind::CrewMember => "crew_member",
            ClaimKind::Launch => "launch",
            ClaimKind::Docking => "docking",
            ClaimKind::Undocking => "undocking",
            ClaimKind::Landing => "landing",
            ClaimKind::Agreement => "agreement",
            ClaimKind::Appointment => "appointment",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        ClaimKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Kinds that tell an event with a date and a status.
    pub fn is_event(self) -> bool {
        matches!(
            self,
            ClaimKind::Launch | ClaimKind::Docking | ClaimKind::Undocking | ClaimKind::Landing
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// The document id ("sha256:…").
    pub document: String,
    pub start: usize,
    pub end: usize,
    pub line: usize,
    /// The lines of the page the claim was read from.
    pub text: String,
    /// The rule or model that found the claim, and its version.
    pub extractor: String,
    pub version: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    pub kind: ClaimKind,
    pub subject: String,
    pub object: Option<String>,
    pub role: Option<CrewRole>,
    /// ISO 8601, only as precise as the source ("2020-10", "2018-11-16").
    pub date: Option<String>,
    pub date_precision: Option<DatePrecision>,
    pub status: Option<LaunchStatus>,
    /// Launch or landing site (entity id).
    #[serde(default)]
    pub site: Option<String>,
    /// People aboard (launch, docking, landing), entity ids in the order the page names them.
    #[serde(default)]
    pub people: Vec<String>,
    /// Free text: the office of an appointment, the subject of an agreement, the side of a
    /// module a craft docked to ("forward", "Earth-facing").
    #[serde(default)]
    pub detail: Option<String>,
    /// The mission the event belongs to ("mission/crew-8"), when the text names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mission: Option<String>,
    pub confidence: f32,
    pub evidence: Evidence,
}

impl Claim {
    /// A claim of `kind` about `subject` with every optional field empty.
    pub fn new(kind: ClaimKind, subject: String, confidence: f32, evidence: Evidence) -> Claim {
        Claim {
            kind,
            subject,
            object: None,
            role: None,
            date: None,
            date_precision: None,
            status: None,
            site: None,
            people: Vec::new(),
            detail: None,
            mission: None,
            confidence,
            evidence,
        }
    }

    pub fn set_date(&mut self, date: Option<PartialDate>) {
        self.date = date.map(|d| d.to_string());
        self.date_precision = date.map(|d| d.precision());
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentInfo {
    pub id: String,
    pub source: String,
    pub format: String,
    pub encoding: String,
    pub bytes: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleInfo {
    pub title: Option<String>,
    pub published_at: Option<String>,
    pub date_precision: Option<DatePrecision>,
    pub authors: Vec<String>,
    pub lang: Option<String>,
    pub site_name: Option<String>,
    pub canonical_url: Option<String>,
    pub image_url: Option<String>,
    /// Paragraphs separated by blank lines.
    pub body: String,
}

/// Everything korolev learnt from one document: one line of `facts --json` output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentFacts {
    pub schema: String,
    pub document: DocumentInfo,
    pub article: ArticleInfo,
    pub entities: Vec<Entity>,
    pub claims: Vec<Claim>,
}
