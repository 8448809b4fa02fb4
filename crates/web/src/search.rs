//! Search: `/search?q=` in the portal (a box in the header of every page) and
//! `/api/v1/search` in the API, over the index korolev keeps beside the store (see
//! korolev-search). Results are ranked, the same story on several sites is one result with
//! "also on", snippets mark what matched, facets count by site, month, language and entity,
//! and a word that names an entity finds the articles telling of it in either script.

use crate::portal::{day_name, render, PageResult};
use crate::snapi::{count, envelope, pairs};
use crate::{web_url, ApiError, App};
use askama::Template;
use axum::extract::{OriginalUri, RawQuery, State};
use axum::routing::get;
use axum::{Json, Router};
use korolev_facts::when;
use korolev_search::{Facet, Found, Query};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;
use utoipa::ToSchema;

/// Results on one page of the portal's search.
const PER_PAGE: usize = 10;
/// The most results of the API's one page.
const MOST_PER_PAGE: usize = 100;
/// Results are ranked this deep; past it a query is narrowed, not paged.
const DEEPEST: usize = 1_000;

pub(crate) fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/search", get(page))
        .route("/api/v1/search", get(api))
}

/// How entities are written, as the store was at one generation.
pub(crate) struct Spellings {
    generation: u64,
    names: Arc<korolev_search::Spellings>,
}

/// What a request asks.
struct Asked {
    text: String,
    sites: Vec<String>,
    month: Option<String>,
    entities: Vec<String>,
    /// Korolev launch ids or SNAPI's launch UUIDs.
    launches: Vec<String>,
    limit: usize,
    offset: usize,
}

fn asked(pairs: &[(String, String)], per_page: Option<usize>) -> Result<Asked, ApiError> {
    let mut a = Asked {
        text: String::new(),
        sites: Vec::new(),
        month: None,
        entities: Vec::new(),
        launches: Vec::new(),
        limit: per_page.unwrap_or(PER_PAGE),
        offset: 0,
    };
    let mut page = None;
    for (k, v) in pairs {
        match k.as_str() {
            "q" => a.text = v.clone(),
            "site" => a.sites.push(v.clone()),
            "entity" => a.entities.push(v.clone()),
            "launch" => a.launches.push(v.trim().to_string()),
            "month" => {
                let ok = v.len() == 7
                    && v.as_bytes()[4] == b'-'
                    && v.bytes()
                        .enumerate()
                        .all(|(i, b)| i == 4 || b.is_ascii_digit());
                if !ok {
                    return Err(ApiError::bad(
                        "month",
                        format!("expected YYYY-MM, got {v:?}"),
                    ));
                }
                a.month = Some(v.clone());
            }
            "limit" if per_page.is_none() => a.limit = count(k, v)?.min(MOST_PER_PAGE),
            "offset" if per_page.is_none() => a.offset = count(k, v)?.min(DEEPEST),
            "page" if per_page.is_some() => {
                let p = count(k, v)?;
                if !(1..=DEEPEST / PER_PAGE).contains(&p) {
                    return Err(ApiError::bad(
                        "page",
                        format!("expected a page from 1 to {}", DEEPEST / PER_PAGE),
                    ));
                }
                page = Some(p);
            }
            _ => {}
        }
    }
    if let Some(p) = page {
        a.offset = (p - 1) * a.limit;
    }
    Ok(a)
}

/// A result as the page and the API show it.
#[derive(Serialize, ToSchema)]
pub(crate) struct Result_ {
    /// The article's number (`/v4/articles/{id}/`).
    id: i64,
    title: String,
    /// The title, HTML-escaped, with `<mark>` around what matched.
    title_html: String,
    /// The passage that matched best, HTML-escaped, with `<mark>` around what matched.
    snippet_html: String,
    /// The article's page on this server.
    page: String,
    /// Where it was published, when that is a web address.
    url: Option<String>,
    news_site: String,
    /// When it was published (or first seen, when `dated` is false).
    published_at: String,
    dated: bool,
    /// The same story on other sites.
    also: Vec<Also>,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct Also {
    id: i64,
    news_site: String,
    page: String,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct FacetCount {
    value: String,
    /// An entity's name, for the entity facet.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false)]
    name: Option<String>,
    count: u64,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct Facets {
    sites: Vec<FacetCount>,
    months: Vec<FacetCount>,
    langs: Vec<FacetCount>,
    entities: Vec<FacetCount>,
}

/// A page of search results in the envelope of the other lists, with facets.
#[derive(ToSchema)]
#[allow(dead_code)]
pub(crate) struct SearchPage {
    /// Matching articles, before the same story on several sites is folded into one.
    count: u64,
    next: Option<String>,
    previous: Option<String>,
    results: Vec<Result_>,
    facets: Facets,
    /// When nothing matched: the query with misspelt names of entities put right.
    did_you_mean: Option<String>,
}

/// The query's parameters.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub(crate) struct SearchParams {
    /// Words, `"phrases"`, `-exclusions`, `title:`, `site:`, `author:`, `lang:`,
    /// `after:YYYY[-MM[-DD]]`, `before:…` (at most 1,000 bytes and 32 terms).
    #[param(pattern = r"^[^\u0000-\u0008\u000A-\u001F\u007F-\u009F]*$")]
    q: Option<String>,
    /// Only this site (its name as `news_site` gives it).
    #[param(pattern = r"^[^\u0000-\u0008\u000A-\u001F\u007F-\u009F]*$")]
    site: Option<String>,
    /// Only articles published this month.
    #[param(pattern = r"^[0-9]{4}-[0-9]{2}$")]
    month: Option<String>,
    /// Only articles telling of this entity ("person/oleg-kononenko").
    #[param(pattern = r"^[^\u0000-\u0008\u000A-\u001F\u007F-\u009F]*$")]
    entity: Option<String>,
    /// Only articles telling of this launch: korolev's launch id or the UUID SNAPI gives.
    #[param(pattern = r"^[^\u0000-\u0008\u000A-\u001F\u007F-\u009F]*$")]
    launch: Option<String>,
    /// Results per page (default 10, at most 100).
    #[param(minimum = 0, maximum = 9_223_372_036_854_775_807_i64)]
    limit: Option<u64>,
    /// Results skipped (at most 1,000: narrow the query to go deeper).
    #[param(minimum = 0, maximum = 9_223_372_036_854_775_807_i64)]
    offset: Option<u64>,
}

/// How the store writes its entities, read again once the store has changed.
async fn spellings(app: &Arc<App>) -> Result<Arc<korolev_search::Spellings>, ApiError> {
    let generation = app.generation.load(std::sync::atomic::Ordering::SeqCst);
    let current = {
        let kept = app.spellings.lock().unwrap_or_else(|p| p.into_inner());
        kept.as_ref()
            .filter(|s| s.generation == generation)
            .map(|s| Arc::clone(&s.names))
    };
    let names = match current {
        Some(s) => s,
        None => {
            let rows = app.read(|s| s.entity_spellings()).await?;
            let names = Arc::new(korolev_search::Spellings::new(rows));
            *app.spellings.lock().unwrap_or_else(|p| p.into_inner()) = Some(Spellings {
                generation,
                names: Arc::clone(&names),
            });
            names
        }
    };
    Ok(names)
}

/// What a search gives the page and the API.
struct Answer {
    found: Found,
    results: Vec<Result_>,
    facets: Facets,
    /// The query with misspelt names put right, when nothing matched.
    did_you_mean: Option<String>,
}

/// Runs a search: the results with their snippets and the facets with entity names.
async fn run(app: &Arc<App>, a: &Asked) -> Result<Answer, ApiError> {
    let Some(index) = app.search.clone() else {
        return Err(ApiError::internal(
            "the search index could not be opened; the server's log says why".into(),
        ));
    };
    // A launch named by SNAPI's UUID is found by korolev's id for it.
    let launches = {
        let given = a.launches.clone();
        app.read(move |s| {
            let uuids: Vec<&str> = given.iter().map(String::as_str).collect();
            let known = s.launch_ids(&uuids)?;
            Ok(given
                .iter()
                .map(|l| known.get(l).cloned().unwrap_or_else(|| l.clone()))
                .collect::<Vec<String>>())
        })
        .await?
    };
    let q = Query {
        text: a.text.clone(),
        entities: a.entities.clone(),
        launches,
        also_entities: if a.text.trim().is_empty() {
            Vec::new()
        } else {
            spellings(app).await?.entities(&a.text)
        },
        sites: a.sites.clone(),
        month: a.month.clone(),
        limit: a.limit,
        offset: a.offset,
        now: when::unix_now(),
        facets: true,
    };
    let searched = {
        let (index, q) = (Arc::clone(&index), q.clone());
        tokio::task::spawn_blocking(move || index.search(&q))
            .await
            .map_err(|e| ApiError::internal(format!("the search stopped: {e}")))?
    };
    let found = searched.map_err(|e| match e {
        korolev_search::SearchError::Query(why) => ApiError::bad("q", why),
        other => ApiError::internal(other.to_string()),
    })?;
    let mut ids: Vec<i64> = found.hits.iter().map(|h| h.id).collect();
    ids.extend(found.hits.iter().flat_map(|h| h.also.iter().map(|a| a.0)));
    let entity_ids: Vec<String> = found.entities.iter().map(|f| f.value.clone()).collect();
    let (items, bodies, names) = {
        let ids = ids.clone();
        app.read(move |s| {
            let mut items = HashMap::new();
            for &id in &ids {
                if let Some(item) = s.news_item(id)? {
                    items.insert(id, item);
                }
            }
            let wanted: Vec<&str> = entity_ids.iter().map(String::as_str).collect();
            let names: HashMap<String, String> = s
                .entities_named(&wanted)?
                .into_iter()
                .map(|e| (e.id, e.name))
                .collect();
            Ok((items, s.bodies(&ids)?, names))
        })
        .await?
    };
    let mut results = Vec::new();
    for hit in &found.hits {
        let Some(item) = items.get(&hit.id) else {
            continue;
        };
        let body = bodies.get(&hit.id).map_or("", String::as_str);
        let snippets = index
            .snippets(&q, &item.title, body)
            .map_err(|e| ApiError::internal(e.to_string()))?;
        results.push(Result_ {
            id: hit.id,
            title: item.title.clone(),
            title_html: snippets.title,
            snippet_html: snippets.body,
            page: format!("{}/articles/{}", app.public_url, hit.id),
            url: web_url(&item.url),
            news_site: item.news_site.clone(),
            published_at: when::iso_utc(item.published),
            dated: item.dated,
            also: hit
                .also
                .iter()
                .filter(|(id, _)| items.contains_key(id))
                .map(|(id, site)| Also {
                    id: *id,
                    news_site: site.clone(),
                    page: format!("{}/articles/{id}", app.public_url),
                })
                .collect(),
        });
    }
    let plain = |facets: &[Facet]| -> Vec<FacetCount> {
        facets
            .iter()
            .map(|f| FacetCount {
                value: f.value.clone(),
                name: None,
                count: f.count,
            })
            .collect()
    };
    let facets = Facets {
        sites: plain(&found.sites),
        months: plain(&found.months),
        langs: plain(&found.langs),
        entities: found
            .entities
            .iter()
            .map(|f| FacetCount {
                value: f.value.clone(),
                name: names.get(&f.value).cloned(),
                count: f.count,
            })
            .collect(),
    };
    let did_you_mean = if found.total == 0 && !a.text.trim().is_empty() {
        spellings(app).await?.suggest(&a.text)
    } else {
        None
    };
    Ok(Answer {
        found,
        results,
        facets,
        did_you_mean,
    })
}

/// Searches the articles: ranked, with snippets, facets, and the same story folded.
#[utoipa::path(get, path = "/api/v1/search", tag = "korolev",
    params(SearchParams),
    responses(
        (status = 200, body = SearchPage, description = "A page of results with facets"),
        (status = 400, body = crate::api::ErrorBody, description = "A parameter cannot be read")))]
pub(crate) async fn api(
    State(app): State<Arc<App>>,
    OriginalUri(uri): OriginalUri,
    RawQuery(raw): RawQuery,
) -> Result<Json<serde_json::Value>, ApiError> {
    let pairs = pairs(raw.as_deref())?;
    let a = asked(&pairs, None)?;
    let Answer {
        found,
        results,
        facets,
        did_you_mean,
    } = run(&app, &a).await?;
    let mut page = envelope(
        &app,
        &uri,
        &pairs,
        (a.limit, a.offset),
        found.total.min(DEEPEST as u64),
        results,
    );
    page["count"] = serde_json::json!(found.total);
    page["facets"] = serde_json::to_value(&facets).unwrap_or_default();
    page["did_you_mean"] = serde_json::json!(did_you_mean);
    Ok(Json(page))
}

/// A facet as the page links it.
struct FacetLink {
    label: String,
    count: u64,
    href: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchView {
    head: crate::head::Head,
    q: String,
    asked: bool,
    total: u64,
    first: usize,
    last: usize,
    results: Vec<ResultRow>,
    sites: Vec<FacetLink>,
    months: Vec<FacetLink>,
    langs: Vec<FacetLink>,
    entities: Vec<FacetLink>,
    narrowed: Vec<FacetLink>,
    newer: Option<String>,
    older: Option<String>,
    /// "Did you mean …": the corrected query and its link.
    suggestion: Option<(String, String)>,
}

struct ResultRow {
    href: String,
    title_html: String,
    snippet_html: String,
    site: String,
    date: String,
    iso: String,
    also: Vec<(String, String)>,
}

/// `/search?…` with `pairs`, `extra` added (or, with an empty value, taken away) and no page.
fn href(pairs: &[(String, String)], extra: &[(&str, &str)]) -> String {
    let mut kept: Vec<(String, String)> = pairs
        .iter()
        .filter(|(k, v)| {
            k != "page"
                && !extra
                    .iter()
                    .any(|(ek, ev)| *ek == k && (ev.is_empty() || *ev == v))
        })
        .cloned()
        .collect();
    for (k, v) in extra {
        if !(v.is_empty() || *k == "page" && *v == "1") {
            kept.push((k.to_string(), v.to_string()));
        }
    }
    format!(
        "/search?{}",
        serde_urlencoded::to_string(&kept).unwrap_or_default()
    )
}

async fn page(
    State(app): State<Arc<App>>,
    uri: axum::http::Uri,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let pairs = pairs(raw.as_deref())?;
    let a = asked(&pairs, Some(PER_PAGE))?;
    let asked_something = !a.text.trim().is_empty()
        || !a.entities.is_empty()
        || !a.launches.is_empty()
        || !a.sites.is_empty()
        || a.month.is_some();
    let title = if a.text.trim().is_empty() {
        "Search".to_string()
    } else {
        format!("{} · Search", a.text.trim())
    };
    let head = crate::head::Head::new(
        &app,
        &uri,
        title,
        "Search the spaceflight news korolev has read, by words, site, month and who or what \
         an article tells of.",
    )
    .noindex();
    let mut view = SearchView {
        head,
        q: a.text.clone(),
        asked: asked_something,
        total: 0,
        first: a.offset + 1,
        last: a.offset,
        results: Vec::new(),
        sites: Vec::new(),
        months: Vec::new(),
        langs: Vec::new(),
        entities: Vec::new(),
        narrowed: Vec::new(),
        newer: None,
        older: None,
        suggestion: None,
    };
    if asked_something {
        let Answer {
            found,
            results,
            facets,
            did_you_mean,
        } = run(&app, &a).await?;
        view.suggestion = did_you_mean.map(|q| {
            let link = href(&pairs, &[("q", ""), ("q", &q)]);
            (q, link)
        });
        view.total = found.total;
        view.last = a.offset + results.len();
        let link = |key: &'static str, f: &FacetCount, label: String| FacetLink {
            label,
            count: f.count,
            href: href(&pairs, &[(key, &f.value)]),
        };
        view.sites = facets
            .sites
            .iter()
            .map(|f| link("site", f, f.value.clone()))
            .collect();
        view.months = facets
            .months
            .iter()
            .map(|f| link("month", f, f.value.clone()))
            .collect();
        view.langs = facets
            .langs
            .iter()
            .map(|f| link("q", f, f.value.clone()))
            .collect();
        for l in &mut view.langs {
            let with = format!("{} lang:{}", a.text, l.label).trim().to_string();
            l.href = href(&pairs, &[("q", ""), ("q", &with)]);
        }
        view.entities = facets
            .entities
            .iter()
            .map(|f| {
                link(
                    "entity",
                    f,
                    f.name.clone().unwrap_or_else(|| f.value.clone()),
                )
            })
            .collect();
        for (key, values) in [
            ("site", &a.sites),
            ("entity", &a.entities),
            ("launch", &a.launches),
        ] {
            for v in values {
                view.narrowed.push(FacetLink {
                    label: format!("{key}: {v}"),
                    count: 0,
                    href: href(&pairs, &[(key, "")]),
                });
            }
        }
        if let Some(m) = &a.month {
            view.narrowed.push(FacetLink {
                label: format!("month: {m}"),
                count: 0,
                href: href(&pairs, &[("month", "")]),
            });
        }
        view.results = results
            .into_iter()
            .map(|r| ResultRow {
                href: format!("/articles/{}", r.id),
                title_html: r.title_html,
                snippet_html: r.snippet_html,
                site: r.news_site,
                date: match chrono::DateTime::parse_from_rfc3339(&r.published_at) {
                    Ok(t) if r.dated => day_name(t.timestamp()),
                    Ok(t) => format!("undated, first seen {}", day_name(t.timestamp())),
                    Err(_) => String::new(),
                },
                iso: r.published_at,
                also: r
                    .also
                    .into_iter()
                    .map(|x| (format!("/articles/{}", x.id), x.news_site))
                    .collect(),
            })
            .collect();
        let page = a.offset / PER_PAGE + 1;
        let shown_to = a.offset + PER_PAGE;
        view.newer = (page > 1).then(|| href(&pairs, &[("page", &(page - 1).to_string())]));
        view.older = (shown_to < (found.total as usize).min(DEEPEST)
            && view.results.len() == PER_PAGE)
            .then(|| href(&pairs, &[("page", &(page + 1).to_string())]));
    }
    render(view)
}
