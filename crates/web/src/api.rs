//! Open Notify's `/astros.json` and korolev's knowledge API under `/api/v1/`: expeditions
//! (Launch Library 2's shape for crews), astronauts, launches, entities and facts with their
//! evidence. Lists are read from the store a page at a time; who is aboard and the expeditions
//! from the server's crew snapshot.

use crate::snapi::{envelope, page, pairs};
use crate::{named, ApiError, App};
use axum::extract::{OriginalUri, Path, RawQuery, State};
use axum::routing::get;
use axum::{Json, Router};
use korolev_facts::knowledge::{Expedition, Knowledge};
use korolev_facts::merge::{aboard, Fact};
use korolev_facts::when;
use korolev_store::{LaunchQuery, Reader};
use serde_json::{json, Value};
use std::sync::Arc;

/// A list of the knowledge API: how many items there are, and the items of one page
/// (`offset`, `limit`) as JSON, read from the store (or the crew snapshot) a page at a time.
type Items = fn(&App, &dyn Reader, usize, usize) -> korolev_store::Result<(u64, Vec<Value>)>;

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
            paged(app, uri, raw.as_deref(), items).await
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
        expedition_json(k, x)
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
    Ok((total, ids.iter().map(|id| astronaut(&k, id)).collect()))
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
            .map(|(id, f)| launch_json(&k, id, f))
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
    Ok((
        total,
        page.iter()
            .map(|e| serde_json::to_value(e).unwrap_or(Value::Null))
            .collect(),
    ))
}

fn facts(
    _: &App,
    s: &dyn Reader,
    offset: usize,
    limit: usize,
) -> korolev_store::Result<(u64, Vec<Value>)> {
    let (total, page) = s.facts_page(offset, limit)?;
    Ok((
        total,
        page.iter()
            .map(|f| serde_json::to_value(f).unwrap_or(Value::Null))
            .collect(),
    ))
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
    let k = &snap.crews;
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

async fn one_launch(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let lookup = id.clone();
    let k = app
        .read(move |s| {
            let facts = s.launch(&lookup)?.into_iter().collect();
            named(s, facts, &[])
        })
        .await?;
    k.facts
        .first()
        .map(|f| Json(launch_json(&k, &id, f)))
        .ok_or_else(|| ApiError::not_found(format!("no launch {id:?}")))
}
