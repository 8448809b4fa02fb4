//! Open Notify's `/astros.json` and korolev's knowledge API under `/api/v1/`: expeditions
//! (Launch Library 2's shape for crews), astronauts, launches, entities and facts with their
//! evidence. Lists are read from the store a page at a time; who is aboard and the expeditions
//! from the server's crew snapshot.

use crate::openapi::{schema, Paging};
use crate::snapi::{envelope, page, pairs};
use crate::{named, ApiError, App};
use axum::extract::{OriginalUri, Path, RawQuery, State};
use axum::routing::{get, MethodRouter};
use axum::{Json, Router};
use korolev_facts::knowledge::{Expedition, Knowledge};
use korolev_facts::merge::{aboard, Fact};
use korolev_facts::when;
use korolev_store::{LaunchQuery, Reader};
use serde::Serialize;
use serde_json::Value;
use std::sync::Arc;
use utoipa::ToSchema;

/// A list of the knowledge API: how many items there are, and the items of one page
/// (`offset`, `limit`) as JSON, read from the store (or the crew snapshot) a page at a time.
pub(crate) type Items =
    fn(&App, &dyn Reader, usize, usize) -> korolev_store::Result<(u64, Vec<Value>)>;

pub(crate) fn routes() -> Router<Arc<App>> {
    let mut r = Router::new().route("/astros.json", get(astros));
    let lists: [(&str, MethodRouter<Arc<App>>); 5] = [
        ("/api/v1/expeditions", get(list_expeditions)),
        ("/api/v1/astronauts", get(list_astronauts)),
        ("/api/v1/launches", get(list_launches)),
        ("/api/v1/entities", get(list_entities)),
        ("/api/v1/facts", get(list_facts)),
    ];
    for (path, handler) in lists {
        r = r
            .route(path, handler.clone())
            .route(&format!("{path}/"), handler);
    }
    r.route("/api/v1/expeditions/{id}", get(one_expedition))
        .route("/api/v1/expeditions/{id}/", get(one_expedition))
        .route("/api/v1/astronauts/{slug}", get(one_astronaut))
        .route("/api/v1/astronauts/{slug}/", get(one_astronaut))
        .route("/api/v1/launches/{id}", get(one_launch))
        .route("/api/v1/launches/{id}/", get(one_launch))
}

/// Who is aboard, in Open Notify's shape.
#[derive(Serialize, ToSchema)]
pub(crate) struct Astros {
    /// Always `success`.
    message: &'static str,
    /// How many people are aboard.
    number: usize,
    people: Vec<Aboard>,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct Aboard {
    name: String,
    /// Always `ISS`: korolev follows the station's crews.
    craft: &'static str,
}

/// Who is aboard the ISS on a day, from the facts (Open Notify's `astros.json`).
#[utoipa::path(
    get,
    path = "/astros.json",
    tag = "Open Notify",
    params(("at" = Option<String>, Query, format = Date,
            description = "The day (YYYY-MM-DD); today when absent.")),
    responses(
        (status = 200, description = "Who is aboard", body = Astros),
        (status = 400, description = "`at` is not a day", body = ErrorBody),
    )
)]
async fn astros(
    State(app): State<Arc<App>>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Astros>, ApiError> {
    let pairs = pairs(raw.as_deref())?;
    let at = match pairs.iter().find(|(k, _)| k == "at") {
        Some((_, v)) => chrono::NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d")
            .map(|d| d.format("%Y-%m-%d").to_string())
            .map_err(|_| {
                ApiError::bad("at", format!("expected a day like 2020-06-01, got {v:?}"))
            })?,
        None => when::today(),
    };
    let snap = app.snapshot();
    // The knowledge knows who is aboard on its own day; another day is worked out from the
    // facts, off the async threads.
    let aboard: Vec<String> = if snap.crews.at == at {
        snap.crews.aboard.iter().map(|a| a.person.clone()).collect()
    } else {
        let snap = Arc::clone(&snap);
        tokio::task::spawn_blocking(move || {
            aboard(&snap.crews.facts, &at)
                .into_iter()
                .map(|(person, _)| person)
                .collect()
        })
        .await
        .map_err(|e| ApiError::internal(format!("who is aboard: {e}")))?
    };
    let k = &snap.crews;
    let people: Vec<Aboard> = aboard
        .iter()
        .map(|person| Aboard {
            name: k.name(person).to_string(),
            craft: "ISS",
        })
        .collect();
    Ok(Json(Astros {
        message: "success",
        number: people.len(),
        people,
    }))
}

fn role_name(r: Option<korolev_extract::CrewRole>) -> &'static str {
    match r {
        Some(korolev_extract::CrewRole::Commander) => "Commander",
        Some(korolev_extract::CrewRole::FlightEngineer) => "Flight Engineer",
        Some(korolev_extract::CrewRole::SpaceflightParticipant) => "Spaceflight Participant",
        None => "Crew Member",
    }
}

/// A person the facts put in a crew or aboard a flight.
#[derive(Serialize, ToSchema)]
pub(crate) struct Astronaut {
    /// The slug of `/people/{slug}` and `/api/v1/astronauts/{slug}`.
    id: String,
    name: String,
    agency: Option<AgencyRef>,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct AgencyRef {
    id: String,
    name: String,
}

fn astronaut(k: &Knowledge, id: &str) -> Astronaut {
    let e = k.entity(id);
    Astronaut {
        id: id.rsplit('/').next().unwrap_or(id).to_string(),
        name: k.name(id).to_string(),
        agency: e.and_then(|e| e.agency.as_deref()).map(|a| AgencyRef {
            id: a.rsplit('/').next().unwrap_or(a).to_string(),
            name: k.name(a).to_string(),
        }),
    }
}

/// A seat of a crew (Launch Library 2's shape).
#[derive(Serialize, ToSchema)]
pub(crate) struct Seat {
    role: Role,
    astronaut: Astronaut,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct Role {
    /// `Commander`, `Flight Engineer`, `Spaceflight Participant` or `Crew Member`.
    role: &'static str,
}

/// An ISS expedition with its dates and crew, as the facts tell them.
#[derive(Serialize, ToSchema)]
pub(crate) struct ExpeditionOut {
    /// Its number.
    id: u32,
    name: String,
    /// The day it began (YYYY-MM-DD), when the facts tell it.
    start: Option<String>,
    /// The day it ended; null while it goes on or when the facts do not tell.
    end: Option<String>,
    crew: Vec<Seat>,
}

pub(crate) fn expedition_out(k: &Knowledge, x: &Expedition) -> ExpeditionOut {
    ExpeditionOut {
        id: x.number,
        name: format!("Expedition {}", x.number),
        start: x.start.clone(),
        end: x.end.clone(),
        crew: x
            .crew
            .iter()
            .map(|s| Seat {
                role: Role {
                    role: role_name(s.role),
                },
                astronaut: astronaut(k, &s.person),
            })
            .collect(),
    }
}

/// A launch, done or planned, merged from every page that tells of it.
#[derive(Serialize, ToSchema)]
pub(crate) struct LaunchOut {
    /// korolev's id of the launch (`/launches/{id}`).
    id: String,
    name: String,
    mission: Option<String>,
    spacecraft: Option<String>,
    launch_vehicle: Option<String>,
    /// As precise as `date_precision` says: YYYY, YYYY-MM, YYYY-MM-DD or a UTC time.
    date: Option<String>,
    #[schema(value_type = Option<schema::DatePrecision>)]
    date_precision: Option<korolev_extract::DatePrecision>,
    #[schema(value_type = Option<schema::LaunchStatus>)]
    status: Option<korolev_extract::LaunchStatus>,
    site: Option<String>,
    crew: Vec<Astronaut>,
    /// How sure korolev is, from 0 to 1.
    confidence: f32,
    /// How many independent sites tell of it.
    sources: usize,
    #[schema(value_type = Vec<schema::Conflict>)]
    conflicts: Vec<korolev_facts::merge::Conflict>,
}

fn launch_out(k: &Knowledge, id: &str, f: &Fact) -> LaunchOut {
    LaunchOut {
        id: id.to_string(),
        name: k.name(&f.subject).to_string(),
        mission: f.mission.as_deref().map(|m| k.name(m).to_string()),
        spacecraft: k.craft_name(f),
        launch_vehicle: f.object.as_deref().map(|o| k.name(o).to_string()),
        date: f.date.clone(),
        date_precision: f.date_precision,
        status: f.status,
        site: f.site.as_deref().map(|s| k.name(s).to_string()),
        crew: f.people.iter().map(|p| astronaut(k, p)).collect(),
        confidence: f.confidence,
        sources: f.sources,
        conflicts: f.conflicts.clone(),
    }
}

/// A page of a list: how many items there are, the addresses of the pages before and after,
/// and the items of this one.
macro_rules! page_type {
    ($name:ident, $item:ty, $doc:literal) => {
        #[derive(ToSchema)]
        #[doc = $doc]
        #[allow(dead_code)]
        pub(crate) struct $name {
            count: u64,
            next: Option<String>,
            previous: Option<String>,
            results: Vec<$item>,
        }
    };
}
page_type!(ExpeditionPage, ExpeditionOut, "A page of expeditions.");
page_type!(AstronautPage, Astronaut, "A page of astronauts.");
page_type!(LaunchPage, LaunchOut, "A page of launches.");
page_type!(EntityPage, schema::Entity, "A page of entities.");
page_type!(FactPage, schema::Fact, "A page of facts.");

/// An error of korolev's own API.
#[derive(ToSchema)]
#[allow(dead_code)]
pub(crate) struct ErrorBody {
    #[schema(value_type = schema::ErrorCode)]
    error: String,
    message: String,
}

/// A list of the knowledge API: its handler, documented, over the function that reads its items.
macro_rules! knowledge_list {
    ($name:ident, $items:ident, $path:literal, $page:ty, $doc:literal, $what:literal) => {
        #[doc = $doc]
        #[utoipa::path(get, path = $path, tag = "korolev",
            params(Paging), responses(
                (status = 200, body = $page, description = $what),
                (status = 400, body = ErrorBody, description = "`limit` or `offset` cannot be read")))]
        async fn $name(
            State(app): State<Arc<App>>,
            OriginalUri(uri): OriginalUri,
            RawQuery(raw): RawQuery,
        ) -> Result<Json<Value>, ApiError> {
            paged(app, uri, raw.as_deref(), $items).await
        }
    };
}
knowledge_list!(
    list_expeditions,
    expeditions,
    "/api/v1/expeditions",
    ExpeditionPage,
    "The expeditions korolev knows, by number.",
    "A page of expeditions"
);
knowledge_list!(
    list_astronauts,
    astronauts,
    "/api/v1/astronauts",
    AstronautPage,
    "The people the facts put in a crew or aboard a flight.",
    "A page of astronauts"
);
knowledge_list!(
    list_launches,
    launches,
    "/api/v1/launches",
    LaunchPage,
    "The launches, newest first, with their sources and conflicts.",
    "A page of launches"
);
knowledge_list!(
    list_entities,
    entities,
    "/api/v1/entities",
    EntityPage,
    "Every entity the pages name: people, agencies, spacecraft, vehicles, expeditions…",
    "A page of entities"
);
knowledge_list!(
    list_facts,
    facts,
    "/api/v1/facts",
    FactPage,
    "The merged facts, each with its evidence (the lines of the pages that tell it).",
    "A page of facts"
);

/// One page of `items` in the SNAPI envelope.
async fn paged(
    app: Arc<App>,
    uri: axum::http::Uri,
    raw: Option<&str>,
    items: Items,
) -> Result<Json<Value>, ApiError> {
    let pairs = pairs(raw)?;
    let (limit, offset) = page(&pairs)?;
    let reading = Arc::clone(&app);
    let (total, results) = app.read(move |s| items(&reading, s, offset, limit)).await?;
    Ok(Json(envelope(
        &app,
        &uri,
        &pairs,
        (limit, offset),
        total,
        results,
    )))
}

/// `v` as JSON, written out and read back: an `f32` (a confidence) then reads as the short
/// decimal it prints as (0.8), where `to_value` would widen it to 0.800000011920929.
fn to_json<T: Serialize>(v: &T) -> Value {
    serde_json::to_string(v)
        .ok()
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or(Value::Null)
}

/// The count and the JSON of one page of `items`.
fn page_of<T>(
    items: &[T],
    (offset, limit): (usize, usize),
    json: impl Fn(&T) -> Value,
) -> (u64, Vec<Value>) {
    let shown = items.iter().skip(offset).take(limit).map(json).collect();
    (items.len() as u64, shown)
}

fn expeditions(
    app: &App,
    _: &dyn Reader,
    offset: usize,
    limit: usize,
) -> korolev_store::Result<(u64, Vec<Value>)> {
    let snap = app.snapshot();
    let k = &snap.crews;
    Ok(page_of(&k.expeditions, (offset, limit), |x| {
        to_json(&expedition_out(k, x))
    }))
}

/// People the facts put in a crew or aboard a flight, by id.
fn astronauts(
    _: &App,
    s: &dyn Reader,
    offset: usize,
    limit: usize,
) -> korolev_store::Result<(u64, Vec<Value>)> {
    let (total, people) = s.entities_page(true, offset, limit)?;
    let ids: Vec<&str> = people.iter().map(|e| e.id.as_str()).collect();
    let k = named(s, Vec::new(), &ids)?;
    Ok((
        total,
        ids.iter().map(|id| to_json(&astronaut(&k, id))).collect(),
    ))
}

fn launches(
    _: &App,
    s: &dyn Reader,
    offset: usize,
    limit: usize,
) -> korolev_store::Result<(u64, Vec<Value>)> {
    let (total, page) = s.launches(&LaunchQuery {
        offset,
        limit,
        ..LaunchQuery::default()
    })?;
    let (ids, facts): (Vec<String>, Vec<Fact>) = page.into_iter().unzip();
    let k = named(s, facts, &[])?;
    Ok((
        total,
        ids.iter()
            .zip(&k.facts)
            .map(|(id, f)| to_json(&launch_out(&k, id, f)))
            .collect(),
    ))
}

fn entities(
    _: &App,
    s: &dyn Reader,
    offset: usize,
    limit: usize,
) -> korolev_store::Result<(u64, Vec<Value>)> {
    let (total, page) = s.entities_page(false, offset, limit)?;
    Ok((total, page.iter().map(to_json).collect()))
}

fn facts(
    _: &App,
    s: &dyn Reader,
    offset: usize,
    limit: usize,
) -> korolev_store::Result<(u64, Vec<Value>)> {
    let (total, page) = s.facts_page(offset, limit)?;
    Ok((total, page.iter().map(to_json).collect()))
}

/// One expedition.
#[utoipa::path(get, path = "/api/v1/expeditions/{id}", tag = "korolev",
    params(("id" = u32, Path, description = "The expedition's number")),
    responses(
        (status = 200, body = ExpeditionOut, description = "The expedition"),
        (status = 400, body = ErrorBody, description = "`id` is not a number"),
        (status = 404, body = ErrorBody, description = "korolev knows no such expedition")))]
async fn one_expedition(
    State(app): State<Arc<App>>,
    Path(n): Path<String>,
) -> Result<Json<ExpeditionOut>, ApiError> {
    let number: u32 = n
        .parse()
        .ok()
        .ok_or_else(|| ApiError::bad("expedition", format!("expected a number, got {n:?}")))?;
    let snap = app.snapshot();
    let k = &snap.crews;
    k.expeditions
        .iter()
        .find(|x| x.number == number)
        .map(|x| Json(expedition_out(k, x)))
        .ok_or_else(|| ApiError::not_found(format!("no expedition {number}")))
}

/// One astronaut.
#[utoipa::path(get, path = "/api/v1/astronauts/{slug}", tag = "korolev",
    params(("slug" = String, Path, description = "The person's slug, as `/people/{slug}`")),
    responses(
        (status = 200, body = Astronaut, description = "The person"),
        (status = 404, body = ErrorBody, description = "korolev knows no such person")))]
async fn one_astronaut(
    State(app): State<Arc<App>>,
    Path(slug): Path<String>,
) -> Result<Json<Astronaut>, ApiError> {
    let id = format!("person/{slug}");
    let k = app
        .read(move |s| named(s, Vec::new(), &[id.as_str()]))
        .await?;
    let id = format!("person/{slug}");
    match k.entity(&id) {
        Some(_) => Ok(Json(astronaut(&k, &id))),
        None => Err(ApiError::not_found(format!("no astronaut {slug:?}"))),
    }
}

/// One launch.
#[utoipa::path(get, path = "/api/v1/launches/{id}", tag = "korolev",
    params(("id" = String, Path, description = "korolev's id of the launch")),
    responses(
        (status = 200, body = LaunchOut, description = "The launch"),
        (status = 404, body = ErrorBody, description = "korolev knows no such launch")))]
async fn one_launch(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
) -> Result<Json<LaunchOut>, ApiError> {
    let lookup = id.clone();
    let k = app
        .read(move |s| {
            let facts = s.launch(&lookup)?.into_iter().collect();
            named(s, facts, &[])
        })
        .await?;
    k.facts
        .first()
        .map(|f| Json(launch_out(&k, &id, f)))
        .ok_or_else(|| ApiError::not_found(format!("no launch {id:?}")))
}
