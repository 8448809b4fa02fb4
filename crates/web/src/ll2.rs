//! Launch Library 2.3.0 for what korolev knows: the launch lists `/2.3.0/launches/`,
//! `/2.3.0/launches/upcoming/` and `/2.3.0/launches/previous/` in LL2's `mode=list` shape
//! (`LaunchBasic`), the ISS expeditions `/2.3.0/expeditions/` in `mode=normal`, and the station
//! itself `/2.3.0/space_stations/`, with LL2's envelope. What korolev does not know — the launch
//! window, an image, the international designator, mission patches — is null, absent or an
//! empty list, as LL2's schema allows, never made up. Each object carries korolev's own extra:
//! the sources of its facts, or its crew, and the page that shows them.

use crate::snapi::{count, envelope, limit_offset, pairs};
use crate::{named, ApiError, App};
use axum::extract::{OriginalUri, Path, RawQuery, State};
use axum::routing::get;
use axum::{Json, Router};
use korolev_facts::knowledge::{launch_uuid, Expedition, Knowledge};
use korolev_facts::merge::Fact;
use korolev_facts::when;
use korolev_store::LaunchQuery;
use serde_json::{json, Value};
use std::sync::Arc;
use utoipa::ToSchema;

/// LL2's largest page.
const MAX_LIMIT: usize = 100;
/// The largest offset asked of the store.
const MAX_OFFSET: usize = 1_000_000_000;
const DEFAULT_LIMIT: usize = 10;

/// LL2's launch statuses that korolev's tell: its id, name and abbreviation, and korolev's
/// status. A launch korolev knows as planned has a date a source gave, not a confirmed T-0,
/// which is LL2's "To Be Confirmed".
const STATUSES: [(i64, &str, &str, &str); 3] = [
    (3, "Launch Successful", "Success", "done"),
    (4, "Launch Failure", "Failure", "failed"),
    (8, "To Be Confirmed", "TBC", "planned"),
];

/// Which launches a path lists.
#[derive(Clone, Copy)]
enum Span {
    All,
    /// From today on, soonest first.
    Upcoming,
    /// Up to today, latest first.
    Previous,
}

pub(crate) fn routes() -> Router<Arc<App>> {
    let mut r = Router::new();
    for (path, handler) in [
        ("/2.3.0/launches", get(all_launches)),
        ("/2.3.0/launches/upcoming", get(upcoming_launches)),
        ("/2.3.0/launches/previous", get(previous_launches)),
        ("/2.3.0/expeditions", get(expeditions)),
        ("/2.3.0/expeditions/{id}", get(one_expedition)),
        ("/2.3.0/space_stations", get(space_stations)),
        ("/2.3.0/space_stations/{id}", get(one_space_station)),
    ] {
        r = r
            .route(path, handler.clone())
            .route(&format!("{path}/"), handler);
    }
    r
}

/// The day (UTC) of an LL2 date-time parameter ("2024-05-01T10:00:00+02:00"), or a day
/// given alone ("2024-05-01").
fn day(name: &str, v: &str) -> Result<String, ApiError> {
    let v = v.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(v) {
        return Ok(t.with_timezone(&chrono::Utc).format("%Y-%m-%d").to_string());
    }
    chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .map(|d| d.format("%Y-%m-%d").to_string())
        .map_err(|_| ApiError::bad(name, format!("expected a date-time, got {v:?}")))
}

/// The query a path and its parameters ask; `None` when no launch can match (statuses that
/// korolev never gives).
fn query(
    pairs: &[(String, String)],
    span: Span,
    today: &str,
) -> Result<Option<LaunchQuery>, ApiError> {
    let (limit, offset) = paging(pairs)?;
    let mut q = LaunchQuery {
        limit,
        offset,
        newest_first: matches!(span, Span::Previous),
        ..LaunchQuery::default()
    };
    match span {
        Span::All => {}
        Span::Upcoming => q.from = Some(today.to_string()),
        Span::Previous => q.until = Some(today.to_string()),
    }
    let mut possible = true;
    for (k, v) in pairs {
        match k.as_str() {
            "mode" => match v.as_str() {
                "list" => {}
                "normal" | "detailed" => {
                    return Err(ApiError::bad(
                        "mode",
                        format!("korolev answers mode=list only, not {v:?}"),
                    ))
                }
                _ => {
                    return Err(ApiError::bad(
                        "mode",
                        format!("expected list, normal or detailed, got {v:?}"),
                    ))
                }
            },
            "ordering" => {
                q.newest_first = match v.as_str() {
                    "net" => false,
                    "-net" => true,
                    _ => {
                        return Err(ApiError::bad(
                            "ordering",
                            format!("korolev orders by net or -net, not {v:?}"),
                        ))
                    }
                }
            }
            // The later of two starts, the earlier of two ends.
            "net__gte" => {
                let d = day(k, v)?;
                q.from = Some(q.from.take().map_or(d.clone(), |f| f.max(d)));
            }
            "net__lte" => {
                let d = day(k, v)?;
                q.until = Some(q.until.take().map_or(d.clone(), |u| u.min(d)));
            }
            "search" | "name" => q.named = Some(v.clone()),
            "status__ids" => {
                let mut statuses = Vec::new();
                for id in v.split(',').filter(|s| !s.is_empty()) {
                    // Digits only, as LL2's ids are written.
                    let id: i64 = Some(id)
                        .filter(|id| id.len() <= 18 && id.bytes().all(|b| b.is_ascii_digit()))
                        .and_then(|id| id.parse().ok())
                        .ok_or_else(|| {
                            ApiError::bad(k, format!("expected comma-separated ids, got {v:?}"))
                        })?;
                    statuses.extend(
                        STATUSES
                            .iter()
                            .filter(|s| s.0 == id)
                            .map(|s| s.3.to_string()),
                    );
                }
                possible &= !statuses.is_empty();
                q.statuses = statuses;
            }
            _ => {}
        }
    }
    Ok(possible.then_some(q))
}

async fn launches(
    app: Arc<App>,
    uri: axum::http::Uri,
    raw: Option<&str>,
    span: Span,
) -> Result<Json<Value>, ApiError> {
    let pairs = pairs(raw)?;
    let Some(q) = query(&pairs, span, &when::today())? else {
        return Ok(Json(envelope(
            &app,
            &uri,
            &pairs,
            (DEFAULT_LIMIT, 0),
            0,
            Vec::<Value>::new(),
        )));
    };
    let page = (q.limit, q.offset);
    let (total, ids, k) = app
        .read(move |s| {
            let (total, page) = s.launches(&q)?;
            let (ids, facts): (Vec<String>, Vec<Fact>) = page.into_iter().unzip();
            Ok((total, ids, named(s, facts, &[])?))
        })
        .await?;
    let results: Vec<Value> = ids
        .iter()
        .zip(&k.facts)
        .map(|(id, f)| launch_basic(&app.public_url, &k, id, f))
        .collect();
    Ok(Json(envelope(&app, &uri, &pairs, page, total, results)))
}

/// LL2's name of a launch: "rocket | payload", or what korolev knows of the two.
fn launch_name(k: &Knowledge, f: &Fact) -> String {
    let rocket = f.object.as_deref().map(|o| k.name(o));
    match (rocket, k.craft_name(f)) {
        (Some(r), Some(c)) => format!("{r} | {c}"),
        (Some(r), None) => r.to_string(),
        (None, Some(c)) => c,
        (None, None) => k.name(&f.subject).to_string(),
    }
}

/// A date korolev knows as LL2's `net` (the start of the day, month or year it was told to)
/// and `net_precision` (by how much of the date is known).
fn net(f: &Fact) -> (Option<String>, Value) {
    let Some(date) = f.date.as_deref() else {
        return (None, Value::Null);
    };
    let (start, precision) = match date.len() {
        4 => (
            format!("{date}-01-01"),
            json!({"id": 14, "name": "Year", "abbrev": "YR"}),
        ),
        7 => (
            format!("{date}-01"),
            json!({"id": 7, "name": "Month", "abbrev": "MON"}),
        ),
        _ => (
            date.get(..10).unwrap_or(date).to_string(),
            json!({"id": 5, "name": "Day", "abbrev": "DAY"}),
        ),
    };
    (Some(format!("{start}T00:00:00Z")), precision)
}

/// LL2's pattern for a slug: letters, digits, `-` and `_`.
fn slug(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

fn launch_basic(base: &str, k: &Knowledge, id: &str, f: &Fact) -> Value {
    let uuid = launch_uuid(id);
    let status = f.status.and_then(|s| {
        STATUSES
            .iter()
            .find(|x| x.3 == s.as_str())
            .map(|(id, name, abbrev, _)| json!({"id": id, "name": name, "abbrev": abbrev}))
    });
    let (net, net_precision) = net(f);
    let mut v = json!({
        "id": uuid,
        "url": format!("{base}/2.3.0/launches/{uuid}/"),
        "name": launch_name(k, f),
        "response_mode": "list",
        "slug": slug(id),
        "launch_designator": null,
        "status": status,
        "net_precision": net_precision,
        "image": null,
        "infographic": null,
        "korolev": {
            "id": id,
            "sources": f.sources,
            "url": format!("{base}/launches/{id}"),
        },
    });
    if let Some(net) = net {
        v["net"] = Value::String(net);
    }
    v
}

/// The station korolev follows, as Launch Library 2 numbers it (its id, its status and type
/// ids are LL2's: Active, Government), with the dates of public record.
const ISS_ID: u64 = 4;
const ISS_NAME: &str = "International Space Station";
const ISS_FOUNDED: &str = "1998-11-20";
const ISS_DESCRIPTION: &str = "A modular station in low Earth orbit, built and run by the \
    space agencies of the United States, Russia, Europe, Japan and Canada and crewed without a \
    break since November 2000. korolev follows its expeditions, crews, launches and dockings.";

/// LL2's date-time of a day korolev knows ("2020-10-14" → "2020-10-14T00:00:00Z").
fn day_time(day: &str) -> String {
    format!("{}T00:00:00Z", day.get(..10).unwrap_or(day))
}

fn expedition_mini(base: &str, x: &Expedition) -> Option<Value> {
    Some(json!({
        "id": x.number,
        "url": format!("{base}/2.3.0/expeditions/{}/", x.number),
        "name": format!("Expedition {}", x.number),
        "start": day_time(x.start.as_deref()?),
        "end": x.end.as_deref().map(day_time),
    }))
}

/// The station in LL2's `SpaceStationNormal` shape.
fn station_normal(base: &str) -> Value {
    json!({
        "id": ISS_ID,
        "url": format!("{base}/2.3.0/space_stations/{ISS_ID}/"),
        "name": ISS_NAME,
        "image": null,
        "status": {"id": 1, "name": "Active"},
        "founded": ISS_FOUNDED,
        "deorbited": null,
        "description": ISS_DESCRIPTION,
        "orbit": "Low Earth Orbit",
        "type": {"id": 1, "name": "Government"},
    })
}

/// An expedition in LL2's `ExpeditionNormal` shape, with korolev's crew for it; `None` for one
/// whose start korolev does not know (LL2 requires it).
fn expedition_normal(base: &str, k: &Knowledge, x: &Expedition) -> Option<Value> {
    let mut v = expedition_mini(base, x)?;
    v["response_mode"] = json!("normal");
    v["spacestation"] = station_normal(base);
    v["mission_patches"] = json!([]);
    v["spacewalks"] = json!([]);
    let crew: Vec<Value> = x
        .crew
        .iter()
        .map(|s| {
            json!({
                "id": s.person,
                "name": k.name(&s.person),
                "role": s.role.map(korolev_extract::CrewRole::as_str),
            })
        })
        .collect();
    v["korolev"] = json!({
        "id": x.id,
        "url": format!("{base}/expeditions/{}", x.number),
        "crew": crew,
    });
    Some(v)
}

/// Expedition filters as LL2 names them; a bad one is an error naming it.
fn expedition_matches(pairs: &[(String, String)], x: &Expedition) -> Result<bool, ApiError> {
    let name = format!("Expedition {}", x.number);
    let mut ok = true;
    for (k, v) in pairs {
        let bound = |field: Option<&str>, op: &str| -> Result<bool, ApiError> {
            let d = day(k, v)?;
            let Some(f) = field.map(|f| f.get(..10).unwrap_or(f)) else {
                return Ok(false);
            };
            Ok(match op {
                "gt" => f > d.as_str(),
                "gte" => f >= d.as_str(),
                "lt" => f < d.as_str(),
                _ => f <= d.as_str(),
            })
        };
        ok &= match k.as_str() {
            "search" | "name" => name.to_lowercase().contains(&v.trim().to_lowercase()),
            "space_station" => count(k, v)? as u64 == ISS_ID,
            _ => match k.split_once("__") {
                Some(("start", op)) if ["gt", "gte", "lt", "lte"].contains(&op) => {
                    bound(x.start.as_deref(), op)?
                }
                Some(("end", op)) if ["gt", "gte", "lt", "lte"].contains(&op) => {
                    bound(x.end.as_deref(), op)?
                }
                _ => true,
            },
        };
    }
    Ok(ok)
}

/// `mode`, where only `normal` is served; `detailed` needs what korolev does not know of
/// each astronaut (status, type, biography).
fn normal_mode(pairs: &[(String, String)]) -> Result<(), ApiError> {
    match pairs
        .iter()
        .find(|(k, _)| k == "mode")
        .map(|(_, v)| v.as_str())
    {
        None | Some("normal") => Ok(()),
        Some("detailed") => Err(ApiError::bad("mode", "korolev answers mode=normal only")),
        Some(v) => Err(ApiError::bad(
            "mode",
            format!("expected normal or detailed, got {v:?}"),
        )),
    }
}

/// `limit` (at most LL2's 100) and `offset`; past any list's end, an offset finds nothing, and
/// so large, it would not fit SQL's.
fn paging(pairs: &[(String, String)]) -> Result<(usize, usize), ApiError> {
    limit_offset(pairs, DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET)
}

/// The ISS expeditions whose start korolev knows, in LL2's normal mode.
#[utoipa::path(get, path = "/2.3.0/expeditions/", tag = "Launch Library 2.3.0",
    params(ExpeditionParams),
    responses(
        (status = 200, body = Ll2Answer,
         description = "LL2's PaginatedPolymorphicExpeditionEndpointList, in mode=normal"),
        (status = 400, body = Ll2Error, description = "A parameter cannot be read")))]
async fn expeditions(
    State(app): State<Arc<App>>,
    OriginalUri(uri): OriginalUri,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let pairs = pairs(raw.as_deref())?;
    normal_mode(&pairs)?;
    let page = paging(&pairs)?;
    let snap = app.snapshot();
    let k = &snap.crews;
    let mut chosen: Vec<&Expedition> = Vec::new();
    for x in &k.expeditions {
        if x.start.is_some() && expedition_matches(&pairs, x)? {
            chosen.push(x);
        }
    }
    match pairs
        .iter()
        .find(|(k, _)| k == "ordering")
        .map(|(_, v)| v.as_str())
    {
        None | Some("id") | Some("start") => {}
        Some("-id") | Some("-start") => chosen.reverse(),
        Some(v) => {
            return Err(ApiError::bad(
                "ordering",
                format!("korolev orders by id, -id, start or -start, not {v:?}"),
            ))
        }
    }
    let results: Vec<Value> = chosen
        .iter()
        .skip(page.1)
        .take(page.0)
        .filter_map(|x| expedition_normal(&app.public_url, k, x))
        .collect();
    Ok(Json(envelope(
        &app,
        &uri,
        &pairs,
        page,
        chosen.len() as u64,
        results,
    )))
}

/// One expedition, in the `normal` shape (LL2's detailed one needs what korolev does not know
/// of each astronaut).
/// One expedition, in LL2's normal shape.
#[utoipa::path(get, path = "/2.3.0/expeditions/{id}/", tag = "Launch Library 2.3.0",
    params(("id" = u32, Path, description = "The expedition's number")),
    responses(
        (status = 200, body = Ll2Answer, description = "LL2's ExpeditionNormal"),
        (status = 400, body = Ll2Error, description = "`id` is not a number"),
        (status = 404, body = Ll2Error, description = "No such expedition with a known start")))]
async fn one_expedition(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let n: u32 = id
        .parse()
        .map_err(|_| ApiError::bad("id", format!("expected a whole number, got {id:?}")))?;
    let snap = app.snapshot();
    let k = &snap.crews;
    k.expeditions
        .iter()
        .find(|x| x.number == n)
        .and_then(|x| expedition_normal(&app.public_url, k, x))
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("no expedition {n} with a known start")))
}

/// The station with the expeditions under way today.
fn station_endpoint(base: &str, k: &Knowledge, today: &str, detailed: bool) -> Value {
    let mut v = station_normal(base);
    let active: Vec<Value> = k
        .expeditions
        .iter()
        .filter(|x| {
            x.start.as_deref().is_some_and(|s| s <= today)
                && x.end.as_deref().is_none_or(|e| e >= today)
        })
        .filter_map(|x| expedition_mini(base, x))
        .collect();
    v["owners"] = Value::Null;
    v["response_mode"] = json!(if detailed { "detailed" } else { "normal" });
    v["active_expeditions"] = Value::Array(active);
    let aboard = k.aboard.len();
    if detailed {
        v["onboard_crew"] = json!(aboard);
        // Its ports and the dockings under way are not told in LL2's terms by the facts.
        v["docking_location"] = json!([]);
        v["active_docking_events"] = json!([]);
    }
    v["korolev"] = json!({
        "aboard": k.aboard.iter().map(|a| json!({"id": a.person, "name": k.name(&a.person)})).collect::<Vec<_>>(),
        "url": format!("{base}/expeditions"),
    });
    v
}

/// The station korolev follows, the ISS.
#[utoipa::path(get, path = "/2.3.0/space_stations/", tag = "Launch Library 2.3.0",
    params(StationParams),
    responses(
        (status = 200, body = Ll2Answer,
         description = "LL2's PaginatedPolymorphicSpaceStationEndpointList, in mode=normal"),
        (status = 400, body = Ll2Error, description = "A parameter cannot be read")))]
async fn space_stations(
    State(app): State<Arc<App>>,
    OriginalUri(uri): OriginalUri,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let pairs = pairs(raw.as_deref())?;
    normal_mode(&pairs)?;
    let page = paging(&pairs)?;
    let mut listed = true;
    for (k, v) in &pairs {
        match k.as_str() {
            "search" | "name" | "name__contains" => {
                listed &= ISS_NAME.to_lowercase().contains(&v.trim().to_lowercase())
                    || v.trim().eq_ignore_ascii_case("ISS")
            }
            "id" => listed &= count(k, v)? as u64 == ISS_ID,
            _ => {}
        }
    }
    let snap = app.snapshot();
    let station = station_endpoint(&app.public_url, &snap.crews, &snap.today, false);
    let all: Vec<Value> = if listed { vec![station] } else { Vec::new() };
    let total = all.len() as u64;
    let results: Vec<Value> = all.into_iter().skip(page.1).take(page.0).collect();
    Ok(Json(envelope(&app, &uri, &pairs, page, total, results)))
}

/// The ISS, in LL2's detailed shape.
#[utoipa::path(get, path = "/2.3.0/space_stations/{id}/", tag = "Launch Library 2.3.0",
    params(("id" = u64, Path, description = "LL2's id of the station: 4",
            minimum = 0, maximum = 9_223_372_036_854_775_807_i64)),
    responses(
        (status = 200, body = Ll2Answer, description = "LL2's SpaceStationDetailedEndpoint"),
        (status = 400, body = Ll2Error, description = "`id` is not a number"),
        (status = 404, body = Ll2Error, description = "Not the ISS")))]
async fn one_space_station(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let n = count("id", &id)? as u64;
    if n != ISS_ID {
        return Err(ApiError::not_found(format!(
            "korolev follows one station, the ISS ({ISS_ID}), not {n}"
        )));
    }
    let snap = app.snapshot();
    Ok(Json(station_endpoint(
        &app.public_url,
        &snap.crews,
        &snap.today,
        true,
    )))
}

/// The query of LL2's launch lists, as korolev reads it.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code, non_snake_case)]
pub(crate) struct LaunchParams {
    /// Launches per page (default 10, at most 100).
    #[param(minimum = 0, maximum = 9_223_372_036_854_775_807_i64)]
    limit: Option<u64>,
    #[param(minimum = 0, maximum = 9_223_372_036_854_775_807_i64)]
    offset: Option<u64>,
    #[param(inline)]
    mode: Option<ListMode>,
    #[param(inline)]
    ordering: Option<NetOrdering>,
    /// Words of the launch's name.
    #[param(pattern = r"^[^\u0000-\u0008\u000A-\u001F\u007F-\u009F]*$")]
    search: Option<String>,
    #[param(pattern = r"^[^\u0000-\u0008\u000A-\u001F\u007F-\u009F]*$")]
    name: Option<String>,
    #[param(format = DateTime)]
    net__gte: Option<String>,
    #[param(format = DateTime)]
    net__lte: Option<String>,
    /// Comma-separated LL2 status ids: 3 (done), 4 (failed), 8 (planned, to be confirmed).
    #[param(pattern = r"^[0-9]{0,18}(,[0-9]{0,18})*$")]
    status__ids: Option<String>,
}

#[derive(ToSchema)]
#[allow(dead_code)]
#[schema(rename_all = "lowercase")]
pub(crate) enum ListMode {
    List,
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub(crate) enum NetOrdering {
    #[schema(rename = "net")]
    Net,
    #[schema(rename = "-net")]
    NetDesc,
}

#[derive(ToSchema)]
#[allow(dead_code)]
#[schema(rename_all = "lowercase")]
pub(crate) enum NormalMode {
    Normal,
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub(crate) enum ExpeditionOrdering {
    #[schema(rename = "id")]
    Id,
    #[schema(rename = "-id")]
    IdDesc,
    #[schema(rename = "start")]
    Start,
    #[schema(rename = "-start")]
    StartDesc,
}

/// The query of LL2's expedition list, as korolev reads it.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code, non_snake_case)]
pub(crate) struct ExpeditionParams {
    /// Expeditions per page (default 10, at most 100).
    #[param(minimum = 0, maximum = 9_223_372_036_854_775_807_i64)]
    limit: Option<u64>,
    #[param(minimum = 0, maximum = 9_223_372_036_854_775_807_i64)]
    offset: Option<u64>,
    #[param(inline)]
    mode: Option<NormalMode>,
    #[param(inline)]
    ordering: Option<ExpeditionOrdering>,
    #[param(pattern = r"^[^\u0000-\u0008\u000A-\u001F\u007F-\u009F]*$")]
    search: Option<String>,
    #[param(pattern = r"^[^\u0000-\u0008\u000A-\u001F\u007F-\u009F]*$")]
    name: Option<String>,
    /// LL2's id of the station (4, the ISS).
    #[param(minimum = 0, maximum = 9_223_372_036_854_775_807_i64)]
    space_station: Option<u64>,
    #[param(format = DateTime)]
    start__gt: Option<String>,
    #[param(format = DateTime)]
    start__gte: Option<String>,
    #[param(format = DateTime)]
    start__lt: Option<String>,
    #[param(format = DateTime)]
    start__lte: Option<String>,
    #[param(format = DateTime)]
    end__gt: Option<String>,
    #[param(format = DateTime)]
    end__gte: Option<String>,
    #[param(format = DateTime)]
    end__lt: Option<String>,
    #[param(format = DateTime)]
    end__lte: Option<String>,
}

/// The query of LL2's station list, as korolev reads it.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code, non_snake_case)]
pub(crate) struct StationParams {
    #[param(minimum = 0, maximum = 9_223_372_036_854_775_807_i64)]
    limit: Option<u64>,
    #[param(minimum = 0, maximum = 9_223_372_036_854_775_807_i64)]
    offset: Option<u64>,
    #[param(inline)]
    mode: Option<NormalMode>,
    #[param(pattern = r"^[^\u0000-\u0008\u000A-\u001F\u007F-\u009F]*$")]
    search: Option<String>,
    #[param(pattern = r"^[^\u0000-\u0008\u000A-\u001F\u007F-\u009F]*$")]
    name: Option<String>,
    #[param(pattern = r"^[^\u0000-\u0008\u000A-\u001F\u007F-\u009F]*$")]
    name__contains: Option<String>,
    #[param(minimum = 0, maximum = 9_223_372_036_854_775_807_i64)]
    id: Option<u64>,
}

/// An answer in Launch Library 2.3.0's shape: see LL2's own OpenAPI document for its fields
/// (korolev's answers are checked against it), plus korolev's `korolev` extra.
#[derive(ToSchema)]
#[schema(value_type = Object)]
#[allow(dead_code)]
pub(crate) struct Ll2Answer(());

/// A parameter that cannot be read.
#[derive(ToSchema)]
#[allow(dead_code)]
pub(crate) struct Ll2Error {
    #[schema(value_type = crate::openapi::schema::ErrorCode)]
    error: String,
    message: String,
}

macro_rules! launch_list {
    ($name:ident, $span:expr, $path:literal, $doc:literal) => {
        #[doc = $doc]
        #[utoipa::path(get, path = $path, tag = "Launch Library 2.3.0", params(LaunchParams),
            responses(
                (status = 200, body = Ll2Answer,
                 description = "LL2's PaginatedPolymorphicLaunchEndpointList, in mode=list"),
                (status = 400, body = Ll2Error, description = "A parameter cannot be read")))]
        async fn $name(
            State(app): State<Arc<App>>,
            OriginalUri(uri): OriginalUri,
            RawQuery(raw): RawQuery,
        ) -> Result<Json<Value>, ApiError> {
            launches(app, uri, raw.as_deref(), $span).await
        }
    };
}
launch_list!(
    all_launches,
    Span::All,
    "/2.3.0/launches/",
    "Every launch korolev knows."
);
launch_list!(
    upcoming_launches,
    Span::Upcoming,
    "/2.3.0/launches/upcoming/",
    "Launches from today on, soonest first."
);
launch_list!(
    previous_launches,
    Span::Previous,
    "/2.3.0/launches/previous/",
    "Launches up to today, latest first."
);

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(q: &str) -> Vec<(String, String)> {
        crate::snapi::pairs(Some(q)).unwrap_or_default()
    }

    #[test]
    fn a_path_and_its_filters_make_one_query() {
        let q = query(
            &pairs("net__gte=2020-01-01T00:00:00Z"),
            Span::Upcoming,
            "2026-12-02",
        )
        .ok()
        .flatten()
        .unwrap_or_default();
        assert_eq!(q.from.as_deref(), Some("2026-12-02"), "the later start");
        let q = query(
            &pairs("net__lte=2020-01-01&limit=500"),
            Span::Previous,
            "2026-12-02",
        )
        .ok()
        .flatten()
        .unwrap_or_default();
        assert_eq!(q.until.as_deref(), Some("2020-01-01"), "the earlier end");
        assert_eq!(q.limit, MAX_LIMIT);
        assert!(q.newest_first);
        let q = query(
            &pairs("status__ids=3,4&ordering=-net"),
            Span::All,
            "2026-12-02",
        )
        .ok()
        .flatten()
        .unwrap_or_default();
        assert_eq!(q.statuses, ["done", "failed"]);
        assert!(q.newest_first);
        // Go for Launch: never a status korolev gives, so nothing matches.
        assert!(matches!(
            query(&pairs("status__ids=1"), Span::All, "2026-12-02"),
            Ok(None)
        ));
        for bad in [
            "mode=detailed",
            "ordering=name",
            "net__gte=soon",
            "status__ids=x",
        ] {
            assert!(
                query(&pairs(bad), Span::All, "2026-12-02").is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_slug_keeps_to_ll2s_pattern() {
        assert_eq!(slug("launch/Soyuz MS-12"), "launch-soyuz-ms-12");
    }
}
