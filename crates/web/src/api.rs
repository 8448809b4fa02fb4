//! Open Notify's `/astros.json` and korolev's knowledge API under `/api/v1/`: expeditions
//! (Launch Library 2's shape for crews), astronauts, launches, entities and facts with their
//! evidence. All of it is read from the knowledge built when the server started.

use crate::snapi::{envelope, page, pairs};
use crate::{ApiError, App};
use axum::extract::{OriginalUri, Path, RawQuery, State};
use axum::routing::get;
use axum::{Json, Router};
use korolev_facts::knowledge::{Expedition, Knowledge};
use korolev_facts::merge::{aboard, Fact};
use korolev_facts::model::{ClaimKind, EntityKind};
use korolev_facts::when;
use serde_json::{json, Value};
use std::sync::Arc;

/// What a list endpoint serves, before paging.
/// A list of the knowledge API: how many items there are, and the items of one page
/// (`offset`, `limit`) as JSON — only the page's items are built.
type Items = fn(&App, usize, usize) -> (usize, Vec<Value>);

/// The count and the page of `items`, each of the page's turned into JSON by `json`.
fn page_of<T>(
    items: Vec<T>,
    (offset, limit): (usize, usize),
    json: impl Fn(T) -> Value,
) -> (usize, Vec<Value>) {
    let total = items.len();
    (
        total,
        items
            .into_iter()
            .skip(offset)
            .take(limit)
            .map(json)
            .collect(),
    )
}

pub(crate) fn routes() -> Router<Arc<App>> {
    let mut r = Router::new().route("/astros.json", get(astros));
    let lists: [(&str, Items); 5] = [
        ("/api/v1/expeditions", expeditions),
        ("/api/v1/astronauts", astronauts),
        ("/api/v1/launches", launches),
        ("/api/v1/entities", entities),
        ("/api/v1/facts", facts),
    ];
    for (path, items) in lists {
        let handler = move |State(app): State<Arc<App>>,
                            OriginalUri(uri): OriginalUri,
                            RawQuery(raw): RawQuery| async move {
            // The lists are built from the knowledge in memory: work for a blocking thread,
            // not for the threads that serve connections.
            tokio::task::spawn_blocking(move || paged(&app, &uri, raw.as_deref(), items))
                .await
                .map_err(|e| ApiError::internal(format!("request task failed: {e}")))?
        };
        r = r
            .route(path, get(handler))
            .route(&format!("{path}/"), get(handler));
    }
    r.route("/api/v1/expeditions/{n}", get(one_expedition))
        .route("/api/v1/expeditions/{n}/", get(one_expedition))
        .route("/api/v1/astronauts/{slug}", get(one_astronaut))
        .route("/api/v1/astronauts/{slug}/", get(one_astronaut))
        .route("/api/v1/launches/{id}", get(one_launch))
        .route("/api/v1/launches/{id}/", get(one_launch))
}

/// Who is aboard on `?at=YYYY-MM-DD`, else today, in Open Notify's shape.
async fn astros(
    State(app): State<Arc<App>>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let pairs = pairs(raw.as_deref())?;
    let at = match pairs.iter().find(|(k, _)| k == "at") {
        Some((_, v)) => when::parse_day(v).ok_or_else(|| {
            ApiError::bad("at", format!("expected a day like 2020-06-01, got {v:?}"))
        })?,
        None => when::today(),
    };
    let snap = app.snapshot();
    // The knowledge knows who is aboard on its own day; another day is worked out from the
    // facts, off the async threads.
    let aboard: Vec<String> = if snap.knowledge.at == at {
        snap.knowledge
            .aboard
            .iter()
            .map(|a| a.person.clone())
            .collect()
    } else {
        let snap = Arc::clone(&snap);
        tokio::task::spawn_blocking(move || {
            aboard(&snap.knowledge.facts, &at)
                .into_iter()
                .map(|(person, _)| person)
                .collect()
        })
        .await
        .map_err(|e| ApiError::internal(format!("who is aboard: {e}")))?
    };
    let k = &snap.knowledge;
    let people: Vec<Value> = aboard
        .iter()
        .map(|person| json!({"name": k.name(person), "craft": "ISS"}))
        .collect();
    Ok(Json(json!({
        "message": "success",
        "number": people.len(),
        "people": people,
    })))
}

fn role_name(r: Option<korolev_extract::CrewRole>) -> &'static str {
    match r {
        Some(korolev_extract::CrewRole::Commander) => "Commander",
        Some(korolev_extract::CrewRole::FlightEngineer) => "Flight Engineer",
        Some(korolev_extract::CrewRole::SpaceflightParticipant) => "Spaceflight Participant",
        None => "Crew Member",
    }
}

fn astronaut(k: &Knowledge, id: &str) -> Value {
    let e = k.entity(id);
    json!({
        "id": id.rsplit('/').next().unwrap_or(id),
        "name": k.name(id),
        "agency": e.and_then(|e| e.agency.as_deref()).map(|a| json!({
            "id": a.rsplit('/').next().unwrap_or(a),
            "name": k.name(a),
        })),
    })
}

pub(crate) fn expedition_json(k: &Knowledge, x: &Expedition) -> Value {
    json!({
        "id": x.number,
        "name": format!("Expedition {}", x.number),
        "start": x.start,
        "end": x.end,
        "crew": x.crew.iter().map(|s| json!({
            "role": {"role": role_name(s.role)},
            "astronaut": astronaut(k, &s.person),
        })).collect::<Vec<_>>(),
    })
}

fn launch_json(k: &Knowledge, id: &str, f: &Fact) -> Value {
    json!({
        "id": id,
        "name": k.name(&f.subject),
        "mission": f.mission.as_deref().map(|m| k.name(m)),
        "spacecraft": k.craft_name(f),
        "launch_vehicle": f.object.as_deref().map(|o| k.name(o)),
        "date": f.date,
        "date_precision": f.date_precision,
        "status": f.status,
        "site": f.site.as_deref().map(|s| k.name(s)),
        "crew": f.people.iter().map(|p| astronaut(k, p)).collect::<Vec<_>>(),
        "confidence": f.confidence,
        "sources": f.sources,
        "conflicts": f.conflicts,
    })
}

/// One page of `items` in the SNAPI envelope.
fn paged(
    app: &App,
    uri: &axum::http::Uri,
    raw: Option<&str>,
    items: Items,
) -> Result<Json<Value>, ApiError> {
    let pairs = pairs(raw)?;
    let (limit, offset) = page(&pairs)?;
    let (total, results) = items(app, offset, limit);
    Ok(Json(envelope(
        app,
        uri,
        &pairs,
        (limit, offset),
        total as u64,
        results,
    )))
}

fn expeditions(app: &App, offset: usize, limit: usize) -> (usize, Vec<Value>) {
    let snap = app.snapshot();
    let k = &snap.knowledge;
    page_of(k.expeditions.iter().collect(), (offset, limit), |x| {
        expedition_json(k, x)
    })
}

/// People who flew or served in a crew, as the facts tell.
fn astronauts(app: &App, offset: usize, limit: usize) -> (usize, Vec<Value>) {
    let snap = app.snapshot();
    let k = &snap.knowledge;
    // Everyone the facts put in a crew or aboard a flight, in one pass over the facts.
    let mut flew: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for f in &k.facts {
        if f.kind == ClaimKind::CrewMember {
            flew.insert(&f.subject);
        }
        if f.kind.is_event() {
            flew.extend(f.people.iter().map(String::as_str));
        }
    }
    let people: Vec<&str> = k
        .entities
        .iter()
        .filter(|e| e.kind == EntityKind::Person && flew.contains(e.id.as_str()))
        .map(|e| e.id.as_str())
        .collect();
    page_of(people, (offset, limit), |id| astronaut(k, id))
}

fn launches(app: &App, offset: usize, limit: usize) -> (usize, Vec<Value>) {
    let snap = app.snapshot();
    let k = &snap.knowledge;
    page_of(k.launches(), (offset, limit), |(id, f)| {
        launch_json(k, &id, f)
    })
}

fn entities(app: &App, offset: usize, limit: usize) -> (usize, Vec<Value>) {
    let snap = app.snapshot();
    page_of(
        snap.knowledge.entities.iter().collect(),
        (offset, limit),
        |e| serde_json::to_value(e).unwrap_or(Value::Null),
    )
}

fn facts(app: &App, offset: usize, limit: usize) -> (usize, Vec<Value>) {
    let snap = app.snapshot();
    page_of(
        snap.knowledge.facts.iter().collect(),
        (offset, limit),
        |f| serde_json::to_value(f).unwrap_or(Value::Null),
    )
}

async fn one_expedition(
    State(app): State<Arc<App>>,
    Path(n): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let number: u32 = n
        .parse()
        .ok()
        .ok_or_else(|| ApiError::bad("expedition", format!("expected a number, got {n:?}")))?;
    let snap = app.snapshot();
    let k = &snap.knowledge;
    k.expeditions
        .iter()
        .find(|x| x.number == number)
        .map(|x| Json(expedition_json(k, x)))
        .ok_or_else(|| ApiError::not_found(format!("no expedition {number}")))
}

async fn one_astronaut(
    State(app): State<Arc<App>>,
    Path(slug): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let snap = app.snapshot();
    let k = &snap.knowledge;
    let id = format!("person/{slug}");
    match k.entity(&id) {
        Some(_) => Ok(Json(astronaut(k, &id))),
        None => Err(ApiError::not_found(format!("no astronaut {slug:?}"))),
    }
}

async fn one_launch(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let snap = app.snapshot();
    let k = &snap.knowledge;
    k.launches()
        .into_iter()
        .find(|(l, _)| *l == id)
        .map(|(l, f)| Json(launch_json(k, &l, f)))
        .ok_or_else(|| ApiError::not_found(format!("no launch {id:?}")))
}
