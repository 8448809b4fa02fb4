//! The OpenAPI 3.1 document of korolev's API (`/api/v1/openapi.json`) — its own knowledge API,
//! Open Notify's `astros.json`, and the SNAPI and Launch Library 2 paths it answers — generated
//! by utoipa from the handlers and the types they answer with, and a page that reads it to
//! people (`/api/v1/docs`), rendered here, with no script.
//!
//! The answers of `/api/v1/entities` and `/api/v1/facts` are the knowledge's own types, which
//! live in crates that know nothing of HTTP: they are described by the mirrors in [`schema`],
//! and the tests check every answer against them.

use crate::portal::{render, PageResult};
use crate::App;
use askama::Template;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::Value;
use std::sync::Arc;
use utoipa::OpenApi;

/// `limit` and `offset`, as every list of the API reads them.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub(crate) struct Paging {
    /// Items per page (default 10; more than 500 is 500).
    #[param(minimum = 0, maximum = 9_223_372_036_854_775_807_i64)]
    limit: Option<u64>,
    /// Items skipped before the page (default 0).
    #[param(minimum = 0, maximum = 9_223_372_036_854_775_807_i64)]
    offset: Option<u64>,
}

/// Descriptions of the knowledge's own types, as they serialize.
pub(crate) mod schema {
    #![allow(dead_code)]
    use utoipa::ToSchema;

    #[derive(ToSchema)]
    #[schema(rename_all = "snake_case")]
    pub(crate) enum ErrorCode {
        BadParameter,
        NotFound,
        Internal,
    }

    #[derive(ToSchema)]
    #[schema(rename_all = "lowercase")]
    pub(crate) enum DatePrecision {
        Year,
        Month,
        Day,
        Minute,
        Second,
    }

    #[derive(ToSchema)]
    #[schema(rename_all = "snake_case")]
    pub(crate) enum LaunchStatus {
        Planned,
        Done,
        Failed,
    }

    #[derive(ToSchema)]
    #[schema(rename_all = "snake_case")]
    pub(crate) enum CrewRole {
        Commander,
        FlightEngineer,
        SpaceflightParticipant,
    }

    #[derive(ToSchema)]
    #[schema(rename_all = "snake_case")]
    pub(crate) enum EntityKind {
        Person,
        Agency,
        Spacecraft,
        SpacecraftFamily,
        LaunchVehicle,
        Expedition,
        Station,
        Module,
        Site,
        Mission,
    }

    #[derive(ToSchema)]
    #[schema(rename_all = "snake_case")]
    pub(crate) enum ClaimKind {
        CrewMember,
        Launch,
        Docking,
        Undocking,
        Landing,
        Agreement,
        Appointment,
    }

    /// Values of one field that pages disagree on: each value with the documents (ids) that
    /// give it, as `[value, [document, …]]`.
    #[derive(ToSchema)]
    pub(crate) struct Conflict {
        field: String,
        #[schema(schema_with = conflict_values)]
        values: Vec<()>,
    }

    /// `[[value, [document, …]], …]`.
    fn conflict_values() -> utoipa::openapi::schema::Array {
        use utoipa::openapi::schema::{ArrayBuilder, ArrayItems, ObjectBuilder, Schema, Type};
        let text = || ObjectBuilder::new().schema_type(Type::String);
        let documents = ArrayBuilder::new().items(text()).build();
        let pair = ArrayBuilder::new()
            .prefix_items([Schema::from(text().build()), Schema::from(documents)])
            .items(ArrayItems::False)
            .min_items(Some(2));
        ArrayBuilder::new().items(pair).build()
    }

    /// Where a fact was read: a span of a stored document, the lines it was read from, and
    /// the rule that read it.
    #[derive(ToSchema)]
    pub(crate) struct Evidence {
        /// The document id (`sha256:…`).
        document: String,
        start: u64,
        end: u64,
        line: u64,
        text: String,
        extractor: String,
        version: String,
    }

    /// A fact merged from every page that tells it.
    #[derive(ToSchema)]
    pub(crate) struct Fact {
        kind: ClaimKind,
        /// An entity id (`person/…`, `spacecraft/…`, `expedition/…`).
        subject: String,
        object: Option<String>,
        role: Option<CrewRole>,
        date: Option<String>,
        date_precision: Option<DatePrecision>,
        status: Option<LaunchStatus>,
        site: Option<String>,
        people: Vec<String>,
        detail: Option<String>,
        #[schema(required = false)]
        mission: Option<String>,
        /// From 0 to 1.
        confidence: f64,
        /// How many independent sites tell it.
        sources: u64,
        /// The first pieces of evidence, by document.
        evidence: Vec<Evidence>,
        /// How many pieces of evidence there are in all.
        evidence_count: u64,
        conflicts: Vec<Conflict>,
    }

    /// An entity the pages name.
    #[derive(ToSchema)]
    pub(crate) struct Entity {
        /// `person/oleg-kononenko`, `agency/nasa`, …
        id: String,
        kind: EntityKind,
        name: String,
        /// A person's agency, by entity id.
        agency: Option<String>,
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "korolev",
        description = "korolev's knowledge API: expeditions, astronauts, launches, entities and \
            facts read from spaceflight news, each fact with its sources. Lists are paged with \
            `limit` and `offset` and answer `{count, next, previous, results}`; errors are \
            `{error, message}`. The Spaceflight News API v4 paths (`/v4/`) answer in SNAPI's \
            shapes, described here; the Launch Library 2.3.0 paths (`/2.3.0/`) answer in LL2's, \
            whose fields LL2's own document describes (korolev's answers are checked against it)."
    ),
    paths(
        crate::health::health,
        crate::api::astros,
        crate::api::list_expeditions,
        crate::api::one_expedition,
        crate::api::list_astronauts,
        crate::api::one_astronaut,
        crate::api::list_launches,
        crate::api::one_launch,
        crate::api::list_entities,
        crate::api::list_facts,
        crate::search::api,
        crate::snapi::list_articles,
        crate::snapi::one_article,
        crate::snapi::list_blogs,
        crate::snapi::one_blog,
        crate::snapi::list_reports,
        crate::snapi::one_report,
        crate::snapi::info,
        crate::ll2::all_launches,
        crate::ll2::upcoming_launches,
        crate::ll2::previous_launches,
        crate::ll2::expeditions,
        crate::ll2::one_expedition,
        crate::ll2::space_stations,
        crate::ll2::one_space_station,
    ),
    tags(
        (name = "korolev", description = "The knowledge korolev read from the news"),
        (name = "Open Notify", description = "Open Notify's people in space"),
        (name = "Spaceflight News API v4", description = "The Spaceflight News API's news \
            lists, as its clients call them: its fields, filters and errors"),
        (name = "Launch Library 2.3.0", description = "Launch Library 2.3.0's lists of \
            launches, expeditions and stations, for what korolev knows, in LL2's shapes"),
    )
)]
struct ApiDoc;

pub(crate) fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/api/v1/openapi.json", get(document))
        .route("/api/v1/docs", get(docs))
}

/// The document, with this server as its server.
fn openapi(app: &App) -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.info.version = env!("CARGO_PKG_VERSION").to_string();
    doc.servers = Some(vec![utoipa::openapi::Server::new(&app.public_url)]);
    doc
}

async fn document(State(app): State<Arc<App>>) -> Json<utoipa::openapi::OpenApi> {
    Json(openapi(&app))
}

struct Param {
    name: String,
    place: String,
    kind: String,
    description: String,
}

struct Answer {
    status: String,
    description: String,
    schema: String,
}

struct Operation {
    method: String,
    path: String,
    anchor: String,
    summary: String,
    params: Vec<Param>,
    answers: Vec<Answer>,
}

struct Field {
    name: String,
    kind: String,
    description: String,
}

struct Model {
    name: String,
    description: String,
    fields: Vec<Field>,
}

#[derive(Template)]
#[template(path = "api_docs.html")]
struct DocsPage {
    head: crate::head::Head,
    title: String,
    description: String,
    version: String,
    operations: Vec<Operation>,
    models: Vec<Model>,
}

fn text(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or("").to_string()
}

/// A schema in a few words: a type, a reference's name, an array of one, nullable.
fn kind_of(s: &Value) -> String {
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        return r.rsplit('/').next().unwrap_or(r).to_string();
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(all) = s.get(key).and_then(Value::as_array) {
            let kinds: Vec<String> = all.iter().map(kind_of).collect();
            return kinds.join(" or ");
        }
    }
    if let Some(values) = s.get("enum").and_then(Value::as_array) {
        let names: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
        return format!("one of {}", names.join(", "));
    }
    let ty = match s.get("type") {
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(" or "),
        _ => "any".into(),
    };
    if ty.starts_with("array") {
        return format!("array of {}", s.get("items").map_or("any".into(), kind_of));
    }
    match s.get("format").and_then(Value::as_str) {
        Some(f) => format!("{ty} ({f})"),
        None => ty,
    }
}

/// The document as the docs page shows it.
fn docs_page(doc: &Value, head: crate::head::Head) -> DocsPage {
    let mut operations = Vec::new();
    if let Some(paths) = doc["paths"].as_object() {
        for (path, item) in paths {
            let Some(item) = item.as_object() else {
                continue;
            };
            for (method, op) in item {
                let params = op["parameters"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|p| Param {
                        name: text(p, "name"),
                        place: text(p, "in"),
                        kind: p.get("schema").map_or("any".into(), kind_of),
                        description: text(p, "description"),
                    })
                    .collect();
                let answers = op["responses"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(status, r)| Answer {
                        status: status.clone(),
                        description: text(r, "description"),
                        schema: r["content"]["application/json"]
                            .get("schema")
                            .map_or(String::new(), kind_of),
                    })
                    .collect();
                let summary = [text(op, "summary"), text(op, "description")]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ");
                operations.push(Operation {
                    method: method.to_ascii_uppercase(),
                    anchor: format!("{method}{}", path.replace(['/', '{', '}', '.'], "-")),
                    path: path.clone(),
                    summary,
                    params,
                    answers,
                });
            }
        }
    }
    let mut models = Vec::new();
    if let Some(schemas) = doc["components"]["schemas"].as_object() {
        for (name, s) in schemas {
            let fields = s["properties"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(f, p)| Field {
                    name: f.clone(),
                    kind: kind_of(p),
                    description: text(p, "description"),
                })
                .collect();
            models.push(Model {
                name: name.clone(),
                description: match kind_of(s) {
                    k if k.starts_with("one of") => format!("{} {k}", text(s, "description")),
                    _ => text(s, "description"),
                },
                fields,
            });
        }
    }
    DocsPage {
        head,
        title: text(&doc["info"], "title"),
        description: text(&doc["info"], "description"),
        version: text(&doc["info"], "version"),
        operations,
        models,
    }
}

async fn docs(State(app): State<Arc<App>>, uri: axum::http::Uri) -> PageResult {
    let doc = serde_json::to_value(openapi(&app)).unwrap_or(Value::Null);
    let head = crate::head::Head::new(
        &app,
        &uri,
        "API",
        "korolev's JSON APIs: Spaceflight News API v4, Open Notify, Launch Library 2 and its \
         own, every route with its parameters and answers.",
    );
    render(docs_page(&doc, head))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_document_is_openapi_3_1_and_names_every_list() {
        let doc = serde_json::to_value(ApiDoc::openapi()).unwrap();
        assert_eq!(doc["openapi"], "3.1.0");
        for path in [
            "/api/v1/expeditions",
            "/api/v1/astronauts",
            "/api/v1/launches",
            "/api/v1/entities",
            "/api/v1/facts",
            "/astros.json",
        ] {
            assert!(doc["paths"][path]["get"].is_object(), "{path}");
        }
        let page = docs_page(&doc, crate::head::Head::error("API", ""));
        let facts = page
            .operations
            .iter()
            .find(|o| o.path == "/api/v1/facts")
            .unwrap();
        assert!(facts.params.iter().any(|p| p.name == "limit"));
        assert!(facts.answers.iter().any(|a| a.schema == "FactPage"));
        assert!(page.models.iter().any(|m| m.name == "Fact"));
    }

    /// Every value the mirrors name is one the knowledge's types read, and so write.
    #[test]
    fn the_mirrors_name_the_values_the_knowledge_writes() {
        let doc = serde_json::to_value(ApiDoc::openapi()).unwrap();
        let values = |name: &str| -> Vec<Value> {
            doc["components"]["schemas"][name]["enum"]
                .as_array()
                .unwrap_or_else(|| panic!("{name}"))
                .clone()
        };
        fn reads<T: serde::de::DeserializeOwned>(v: &[Value]) -> bool {
            v.iter()
                .all(|x| serde_json::from_value::<T>(x.clone()).is_ok())
        }
        use korolev_facts::model::{ClaimKind, EntityKind};
        assert!(reads::<ClaimKind>(&values("ClaimKind")));
        // And every kind of claim the knowledge writes is named.
        let named: Vec<Value> = ClaimKind::ALL
            .iter()
            .map(|k| serde_json::to_value(k).unwrap())
            .collect();
        assert_eq!(values("ClaimKind"), named);
        assert!(reads::<EntityKind>(&values("EntityKind")));
        assert!(reads::<korolev_extract::CrewRole>(&values("CrewRole")));
        assert!(reads::<korolev_extract::LaunchStatus>(&values(
            "LaunchStatus"
        )));
        assert!(reads::<korolev_extract::DatePrecision>(&values(
            "DatePrecision"
        )));
        let codes: Vec<Value> = crate::CODES.iter().map(|c| Value::from(c.1)).collect();
        assert_eq!(values("ErrorCode"), codes);
    }
}
