//! The Spaceflight News API v4, drop-in: `/v4/articles`, `/v4/blogs`, `/v4/reports` (list and
//! one by id) and `/v4/info`, with SNAPI's field names, filters and `{count, next, previous,
//! results}` envelope. Unknown parameters are ignored, as SNAPI does; parameters it knows but
//! cannot read are a 400 that names them.

use crate::{ApiError, App, SnapiError};
use axum::extract::{OriginalUri, Path, RawQuery, State};
use axum::routing::{get, MethodRouter};
use axum::{Json, Router};
use korolev_facts::when;
use korolev_store::{NewsItem, NewsKind, NewsQuery, TextField, TimeField};
use serde::Serialize;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use utoipa::ToSchema;

/// Largest page SNAPI serves; a larger `limit` is served at this size.
pub(crate) const MAX_LIMIT: usize = 500;
const DEFAULT_LIMIT: usize = 10;
/// SNAPI's version this follows.
const SNAPI_VERSION: &str = "4.0.0";

pub(crate) fn routes() -> Router<Arc<App>> {
    let mut r = Router::new()
        .route("/v4/info", get(info))
        .route("/v4/info/", get(info));
    type Route = MethodRouter<Arc<App>>;
    let kinds: [(&str, Route, Route); 3] = [
        ("/v4/articles", get(list_articles), get(one_article)),
        ("/v4/blogs", get(list_blogs), get(one_blog)),
        ("/v4/reports", get(list_reports), get(one_report)),
    ];
    for (path, list, one) in kinds {
        r = r
            .route(path, list.clone())
            .route(&format!("{path}/"), list)
            .route(&format!("{path}/{{id}}"), one.clone())
            .route(&format!("{path}/{{id}}/"), one);
    }
    r
}

/// The query of SNAPI's lists, read as SNAPI reads it: `limit` and `offset` that are not whole
/// numbers fall back to 10 and 0, unknown parameters are ignored. No value may hold a control
/// character (a tab aside).
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub(crate) struct ListQuery {
    /// Items per page: a whole number above 0 (default 10, at most 500); anything else is 10.
    #[param(pattern = r"^[^\u0000-\u0008\u000A-\u001F\u007F-\u009F]*$")]
    limit: Option<String>,
    /// Items skipped: a whole number (default 0); anything else is 0.
    #[param(pattern = r"^[^\u0000-\u0008\u000A-\u001F\u007F-\u009F]*$")]
    offset: Option<String>,
    /// Words and `"phrases"`, separated by commas or spaces, each in the title or summary.
    #[param(pattern = r"^[^\u0000-\u0008\u000A-\u001F\u007F-\u009F]*$")]
    search: Option<String>,
    #[param(pattern = r"^[^\u0000-\u0008\u000A-\u001F\u007F-\u009F]*$")]
    title_contains: Option<String>,
    /// Comma-separated: every one in the title.
    #[param(pattern = r"^[^\u0000-\u0008\u000A-\u001F\u007F-\u009F]*$")]
    title_contains_all: Option<String>,
    /// Comma-separated: any one in the title.
    #[param(pattern = r"^[^\u0000-\u0008\u000A-\u001F\u007F-\u009F]*$")]
    title_contains_one: Option<String>,
    #[param(pattern = r"^[^\u0000-\u0008\u000A-\u001F\u007F-\u009F]*$")]
    summary_contains: Option<String>,
    #[param(pattern = r"^[^\u0000-\u0008\u000A-\u001F\u007F-\u009F]*$")]
    summary_contains_all: Option<String>,
    #[param(pattern = r"^[^\u0000-\u0008\u000A-\u001F\u007F-\u009F]*$")]
    summary_contains_one: Option<String>,
    /// Comma-separated site names.
    #[param(pattern = r"^[^\u0000-\u0008\u000A-\u001F\u007F-\u009F]*$")]
    news_site: Option<String>,
    #[param(pattern = r"^[^\u0000-\u0008\u000A-\u001F\u007F-\u009F]*$")]
    news_site_exclude: Option<String>,
    #[param(format = DateTime)]
    published_at_gt: Option<String>,
    #[param(format = DateTime)]
    published_at_gte: Option<String>,
    #[param(format = DateTime)]
    published_at_lt: Option<String>,
    #[param(format = DateTime)]
    published_at_lte: Option<String>,
    #[param(format = DateTime)]
    updated_at_gt: Option<String>,
    #[param(format = DateTime)]
    updated_at_gte: Option<String>,
    #[param(format = DateTime)]
    updated_at_lt: Option<String>,
    #[param(format = DateTime)]
    updated_at_lte: Option<String>,
    /// Comma-separated launch ids: UUIDs as `launches[].launch_id` gives them.
    #[param(pattern = r"^[^\u0000-\u0008\u000A-\u001F\u007F-\u009F]*$")]
    launch: Option<String>,
    has_launch: Option<bool>,
    /// Comma-separated event ids (korolev links none).
    #[param(pattern = r"^[^\u0000-\u0008\u000A-\u001F\u007F-\u009F]*$")]
    event: Option<String>,
    has_event: Option<bool>,
    is_featured: Option<bool>,
    #[param(inline)]
    ordering: Option<Ordering>,
}

/// The field the list is ordered by, newest first with `-`.
#[derive(ToSchema)]
#[allow(dead_code)]
pub(crate) enum Ordering {
    #[schema(rename = "published_at")]
    PublishedAt,
    #[schema(rename = "-published_at")]
    PublishedAtDesc,
    #[schema(rename = "updated_at")]
    UpdatedAt,
    #[schema(rename = "-updated_at")]
    UpdatedAtDesc,
}

/// A page of a SNAPI list.
#[derive(ToSchema)]
#[allow(dead_code)]
pub(crate) struct ArticlePage {
    count: u64,
    next: Option<String>,
    previous: Option<String>,
    results: Vec<Article>,
}

/// A parameter SNAPI could not read: its name, with why.
#[derive(ToSchema)]
#[allow(dead_code)]
pub(crate) struct FieldErrors(std::collections::BTreeMap<String, Vec<String>>);

/// Nothing has this id.
#[derive(ToSchema)]
#[allow(dead_code)]
pub(crate) struct Detail {
    detail: String,
}

/// The sites korolev read articles from.
#[derive(Serialize, ToSchema)]
pub(crate) struct Info {
    /// The SNAPI version korolev answers as.
    version: &'static str,
    news_sites: Vec<String>,
}

macro_rules! snapi_kind {
    ($list:ident, $one:ident, $kind:expr, $path:literal, $what:literal) => {
        #[doc = concat!("The ", $what, ", newest first, with SNAPI's filters.")]
        #[utoipa::path(get, path = $path, tag = "Spaceflight News API v4", params(ListQuery),
            responses(
                (status = 200, body = ArticlePage, description = "A page of them"),
                (status = 400, body = FieldErrors, description = "A parameter cannot be read")))]
        async fn $list(
            state: State<Arc<App>>,
            uri: OriginalUri,
            raw: RawQuery,
        ) -> Result<Json<Value>, SnapiError> {
            list(state, uri, raw, $kind).await
        }

        #[doc = concat!("One of the ", $what, ".")]
        #[utoipa::path(get, path = concat!($path, "/{id}"), tag = "Spaceflight News API v4",
            params(("id" = String, Path, description = "Its number")),
            responses(
                (status = 200, body = Article, description = "It"),
                (status = 404, body = Detail, description = "Nothing has this number")))]
        async fn $one(state: State<Arc<App>>, id: Path<String>) -> Result<Json<Article>, SnapiError> {
            one(state, id, $kind).await
        }
    };
}
snapi_kind!(
    list_articles,
    one_article,
    NewsKind::Article,
    "/v4/articles",
    "articles"
);
snapi_kind!(
    list_blogs,
    one_blog,
    NewsKind::Blog,
    "/v4/blogs",
    "blog posts"
);
snapi_kind!(
    list_reports,
    one_report,
    NewsKind::Report,
    "/v4/reports",
    "reports"
);

#[derive(Serialize, ToSchema)]
pub(crate) struct Author {
    name: String,
    /// SNAPI's schema has no null here: absent when korolev knows none.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    socials: Option<Value>,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct LaunchRef {
    launch_id: String,
    provider: &'static str,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct EventRef {
    event_id: i64,
    provider: &'static str,
}

/// One article in SNAPI's shape.
#[derive(Serialize, ToSchema)]
pub(crate) struct Article {
    id: i64,
    title: String,
    authors: Vec<Author>,
    url: String,
    /// A string in SNAPI's schema, never null: empty when the page has no image to show.
    image_url: String,
    news_site: String,
    summary: String,
    published_at: String,
    updated_at: String,
    featured: bool,
    launches: Vec<LaunchRef>,
    events: Vec<EventRef>,
}

/// `n` in SNAPI's shape; `launches` holds the launches of documents by document id.
fn article(app: &App, n: NewsItem, launches: &HashMap<String, Vec<String>>) -> Article {
    let launches = launches
        .get(&n.document_id)
        .map(|ids| {
            ids.iter()
                .map(|id| LaunchRef {
                    launch_id: crate::launch_uuid(id),
                    provider: "korolev",
                })
                .collect()
        })
        .unwrap_or_default();
    Article {
        id: n.id,
        title: n.title,
        authors: n
            .authors
            .into_iter()
            .map(|name| Author {
                name,
                socials: None,
            })
            .collect(),
        // A page read from a file has no address of its own: its page on this server is.
        url: crate::web_url(&n.url)
            .unwrap_or_else(|| format!("{}/articles/{}", app.public_url, n.id)),
        image_url: n
            .image_url
            .as_deref()
            .and_then(crate::web_url)
            .unwrap_or_default(),
        news_site: n.news_site,
        summary: n.summary,
        published_at: when::iso_utc(n.published),
        updated_at: when::iso_utc(n.updated),
        featured: false,
        launches,
        events: Vec::new(),
    }
}

/// Query parameters one request may give.
const MAX_PARAMETERS: usize = 64;

/// The query string as (name, value) pairs, decoded. A name given more than once counts as
/// given once, with its last value (as Django, behind SNAPI, reads it); more than
/// [`MAX_PARAMETERS`] names, or a value with control characters, is refused.
pub(crate) fn pairs(raw: Option<&str>) -> Result<Vec<(String, String)>, ApiError> {
    let all: Vec<(String, String)> = serde_urlencoded::from_str(raw.unwrap_or(""))
        .map_err(|e| ApiError::bad("query string", format!("cannot be decoded: {e}")))?;
    let mut out: Vec<(String, String)> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    for (k, v) in all {
        if let Some(c) = k
            .chars()
            .chain(v.chars())
            .find(|c| c.is_control() && *c != '\t')
        {
            return Err(ApiError::bad(
                &k.escape_debug().to_string(),
                format!("contains the control character {:?}", c),
            ));
        }
        match at.get(&k) {
            Some(&i) => out[i].1 = v,
            None => {
                if out.len() == MAX_PARAMETERS {
                    return Err(ApiError::bad(
                        "query string",
                        format!("more than {MAX_PARAMETERS} parameters"),
                    ));
                }
                at.insert(k.clone(), out.len());
                out.push((k, v));
            }
        }
    }
    Ok(out)
}

/// A non-negative whole number.
pub(crate) fn count(name: &str, v: &str) -> Result<usize, ApiError> {
    v.trim()
        .parse::<usize>()
        .ok()
        // The store counts in signed 64 bits.
        .filter(|n| i64::try_from(*n).is_ok())
        .ok_or_else(|| {
            ApiError::bad(
                name,
                format!("expected a whole number from 0 to {}, got {v:?}", i64::MAX),
            )
        })
}

/// `limit` and `offset` as SNAPI reads them (Django REST Framework's limit-offset paging): a
/// limit that is not a whole number above 0 is the default 10, one above 500 is 500; an offset
/// that is not a whole number ≥ 0 is 0. Never an error.
fn lenient_page(pairs: &[(String, String)]) -> (usize, usize) {
    let mut limit = DEFAULT_LIMIT;
    let mut offset = 0;
    for (k, v) in pairs {
        match k.as_str() {
            "limit" => {
                limit = match v.trim().parse::<usize>() {
                    Ok(0) | Err(_) => DEFAULT_LIMIT,
                    Ok(n) => n.min(MAX_LIMIT),
                }
            }
            "offset" => offset = v.trim().parse::<usize>().unwrap_or(0),
            _ => {}
        }
    }
    (limit, offset)
}

/// `limit` and `offset`, strictly (korolev's own API): limit 10 by default, at most 500; a
/// value that is not a whole number ≥ 0 is refused.
pub(crate) fn page(pairs: &[(String, String)]) -> Result<(usize, usize), ApiError> {
    limit_offset(pairs, DEFAULT_LIMIT, MAX_LIMIT, usize::MAX)
}

/// `limit` (`default` when absent, at most `max_limit`) and `offset` (at most `max_offset`),
/// each a whole number or an error naming it.
pub(crate) fn limit_offset(
    pairs: &[(String, String)],
    default: usize,
    max_limit: usize,
    max_offset: usize,
) -> Result<(usize, usize), ApiError> {
    let mut limit = default;
    let mut offset = 0;
    for (k, v) in pairs {
        match k.as_str() {
            "limit" => limit = count("limit", v)?.min(max_limit),
            "offset" => offset = count("offset", v)?.min(max_offset),
            _ => {}
        }
    }
    Ok((limit, offset))
}

fn boolean(name: &str, v: &str) -> Result<bool, ApiError> {
    match v.trim().to_ascii_lowercase().as_str() {
        "true" | "1" => Ok(true),
        "false" | "0" => Ok(false),
        _ => Err(ApiError::bad(
            name,
            format!("expected true or false, got {v:?}"),
        )),
    }
}

/// A date or date-time ("2024-05-01", "2024-05-01T10:00:00Z"), as unix seconds.
/// Refused with Django's words, as SNAPI refuses it.
fn moment(name: &str, v: &str) -> Result<i64, ApiError> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(v.trim()) {
        return Ok(t.timestamp());
    }
    let d = korolev_extract::PartialDate::parse_iso(v)
        .filter(|d| d.day.is_some())
        .ok_or_else(|| ApiError::bad(name, "Enter a valid date/time."))?;
    Ok(when::unix_seconds(&d))
}

fn list_of(v: &str) -> Vec<String> {
    v.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// The terms of a `search`, as Django REST Framework's search splits them: by spaces and
/// commas, with a double-quoted phrase kept whole. Every term must be found.
fn search_terms(v: &str) -> Vec<String> {
    let mut terms = Vec::new();
    for (i, part) in v.split('"').enumerate() {
        if i % 2 == 1 {
            terms.push(part.trim().to_string());
        } else {
            terms.extend(part.split([' ', ',', '\t', '\n']).map(String::from));
        }
    }
    terms.retain(|t| !t.is_empty());
    terms
}

/// Reads SNAPI's filters into a query. Returns the query and `true` when no document can match
/// (a launch filter with no article).
/// The news query a request asks for; `launch_of_uuid` reads the UUIDs `launch=` names.
fn query(
    kind: NewsKind,
    pairs: &[(String, String)],
    launch_of_uuid: &HashMap<String, String>,
) -> Result<NewsQuery, ApiError> {
    let (limit, offset) = lenient_page(pairs);
    let mut q = NewsQuery {
        kind: Some(kind),
        limit,
        offset,
        ..NewsQuery::default()
    };
    for (k, v) in pairs {
        let text = |field| -> Vec<(TextField, Vec<String>)> {
            // `_all`: every word; `_one`: any; plain: the whole string.
            match k.rsplit('_').next() {
                Some("all") => list_of(v).into_iter().map(|w| (field, vec![w])).collect(),
                Some("one") => vec![(field, list_of(v))],
                _ => vec![(field, vec![v.trim().to_string()])],
            }
        };
        match k.as_str() {
            "search" => q.text.extend(
                search_terms(v)
                    .into_iter()
                    .map(|t| (TextField::Either, vec![t])),
            ),
            "title_contains" | "title_contains_one" | "title_contains_all" => {
                q.text.extend(text(TextField::Title))
            }
            "summary_contains" | "summary_contains_one" | "summary_contains_all" => {
                q.text.extend(text(TextField::Summary))
            }
            "news_site" => q.sites.extend(list_of(v)),
            "news_site_exclude" => q.sites_exclude.extend(list_of(v)),
            "published_at_gt" | "published_at_gte" | "published_at_lt" | "published_at_lte"
            | "updated_at_gt" | "updated_at_gte" | "updated_at_lt" | "updated_at_lte" => {
                let field = if k.starts_with("published") {
                    TimeField::Published
                } else {
                    TimeField::Updated
                };
                let op = k.rsplit('_').next().unwrap_or("");
                q.times
                    .push((field, moment(k, v)?, op.ends_with('e'), op.starts_with('g')));
            }
            "launch" => {
                let wanted: HashSet<String> = list_of(v).into_iter().collect();
                if wanted.len() > MAX_TERMS {
                    return Err(ApiError::bad(k, format!("more than {MAX_TERMS} launches")));
                }
                // SNAPI's launch ids are UUIDs (ours: `launch_uuid`); korolev's own ids are
                // taken too. A UUID of no launch korolev knows finds nothing.
                q.launches.push(
                    wanted
                        .into_iter()
                        .map(|w| {
                            let lower = w.to_ascii_lowercase();
                            launch_of_uuid.get(&lower).cloned().unwrap_or(w)
                        })
                        .collect(),
                );
            }
            // A flag of the article, in an index beside its kind and time.
            "has_launch" => q.has_launch = Some(boolean(k, v)?),
            // korolev links no events: asking for one finds nothing, asking for none is all.
            "event" if !list_of(v).is_empty() => q.none = true,
            "has_event" | "is_featured" if boolean(k, v)? => q.none = true,
            "ordering" => {
                // The first field orders; the id breaks ties.
                if let Some(o) = list_of(v).into_iter().next() {
                    let (desc, field) = match o.strip_prefix('-') {
                        Some(f) => (true, f),
                        None => (false, o.as_str()),
                    };
                    q.order = match field {
                        "published_at" => TimeField::Published,
                        "updated_at" => TimeField::Updated,
                        _ => {
                            return Err(ApiError::bad(
                                "ordering",
                                format!(
                                    "expected published_at, updated_at or either with -, got {o:?}"
                                ),
                            ))
                        }
                    };
                    q.descending = desc;
                }
            }
            _ => {}
        }
    }
    let terms: usize = q.text.iter().map(|(_, words)| words.len()).sum();
    if terms > MAX_TERMS {
        return Err(ApiError::bad(
            "search",
            format!("{terms} words and phrases; at most {MAX_TERMS} in one request"),
        ));
    }
    let lists = q.sites.len() + q.sites_exclude.len();
    if lists > MAX_TERMS {
        return Err(ApiError::bad(
            "news_site",
            format!("{lists} sites; at most {MAX_TERMS} in one request"),
        ));
    }
    Ok(q)
}

/// Words, phrases, sites or launches one request may filter by.
const MAX_TERMS: usize = 32;

/// The address of another page of the same list.
fn page_url(
    base: &str,
    uri: &axum::http::Uri,
    pairs: &[(String, String)],
    limit: usize,
    offset: usize,
) -> String {
    let mut kept: Vec<(String, String)> = pairs
        .iter()
        .filter(|(k, _)| k != "limit" && k != "offset")
        .cloned()
        .collect();
    kept.push(("limit".into(), limit.to_string()));
    if offset > 0 {
        kept.push(("offset".into(), offset.to_string()));
    }
    let query = serde_urlencoded::to_string(&kept).unwrap_or_default();
    format!("{base}{}?{query}", uri.path())
}

/// `{count, next, previous, results}` for a page of `total` items.
pub(crate) fn envelope<T: Serialize>(
    app: &App,
    uri: &axum::http::Uri,
    pairs: &[(String, String)],
    (limit, offset): (usize, usize),
    total: u64,
    results: Vec<T>,
) -> Value {
    let next = (limit > 0 && (offset as u64).saturating_add(limit as u64) < total)
        .then(|| page_url(&app.public_url, uri, pairs, limit, offset + limit));
    let previous = (offset > 0 && limit > 0).then(|| {
        page_url(
            &app.public_url,
            uri,
            pairs,
            limit,
            offset.saturating_sub(limit),
        )
    });
    serde_json::json!({
        "count": total,
        "next": next,
        "previous": previous,
        "results": results,
    })
}

/// The launches the documents of `items` tell of, by document id.
fn launches_of(
    s: &dyn korolev_store::Reader,
    items: &[NewsItem],
) -> korolev_store::Result<HashMap<String, Vec<String>>> {
    let ids: Vec<&str> = items.iter().map(|n| n.document_id.as_str()).collect();
    s.launches_of(&ids)
}

async fn list(
    State(app): State<Arc<App>>,
    OriginalUri(uri): OriginalUri,
    RawQuery(raw): RawQuery,
    kind: NewsKind,
) -> Result<Json<Value>, SnapiError> {
    let pairs = pairs(raw.as_deref())?;
    // The UUIDs `launch=` names, as the store knows them.
    let uuids: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == "launch")
        .flat_map(|(_, v)| list_of(v))
        .map(|w| w.to_ascii_lowercase())
        .take(MAX_TERMS + 1)
        .collect();
    let launch_of_uuid = if uuids.is_empty() {
        HashMap::new()
    } else {
        app.read(move |s| s.launch_ids(&uuids.iter().map(String::as_str).collect::<Vec<_>>()))
            .await?
    };
    let q = query(kind, &pairs, &launch_of_uuid)?;
    let page = (q.limit, q.offset);
    let (total, items, launches) = app
        .read(move |s| {
            let (total, items) = s.news(&q)?;
            let launches = launches_of(s, &items)?;
            Ok((total, items, launches))
        })
        .await?;
    let results: Vec<Article> = items
        .into_iter()
        .map(|n| article(&app, n, &launches))
        .collect();
    Ok(Json(envelope(&app, &uri, &pairs, page, total, results)))
}

async fn one(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    kind: NewsKind,
) -> Result<Json<Article>, SnapiError> {
    let missing = || SnapiError {
        error: ApiError::not_found(format!("no {} {id:?}", kind.as_str())),
        model: model_name(kind),
    };
    // Django finds no item for an id that is not a number, as for one that is not stored.
    let n: i64 = id.parse().map_err(|_| missing())?;
    let (item, launches) = app
        .read(move |s| {
            let item = s.news_item(n)?.filter(|i| i.kind == kind);
            let launches = launches_of(s, item.as_slice())?;
            Ok((item, launches))
        })
        .await?;
    match item {
        Some(i) => Ok(Json(article(&app, i, &launches))),
        None => Err(missing()),
    }
}

/// SNAPI's name of the model behind a kind, as its 404s say it.
fn model_name(kind: NewsKind) -> &'static str {
    match kind {
        NewsKind::Article => "Article",
        NewsKind::Blog => "Blog",
        NewsKind::Report => "Report",
    }
}

/// The SNAPI version and the news sites korolev knows.
#[utoipa::path(get, path = "/v4/info", tag = "Spaceflight News API v4",
    responses((status = 200, body = Info, description = "The version and the sites")))]
async fn info(State(app): State<Arc<App>>) -> Result<Json<Info>, SnapiError> {
    let sites = app.read(|s| s.news_sites()).await?;
    Ok(Json(Info {
        version: SNAPI_VERSION,
        // Pages read without a site or address of their own are not a site.
        news_sites: sites
            .into_iter()
            .map(|(name, _)| name)
            .filter(|name| name != korolev_store::UNKNOWN_SITE)
            .collect(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_splits_terms_like_drf_and_keeps_quoted_phrases() {
        assert_eq!(
            search_terms(r#" soyuz,crew  "expedition 63" dock"#),
            ["soyuz", "crew", "expedition 63", "dock"]
        );
        assert!(search_terms(" , ").is_empty());
    }

    #[test]
    fn limits_default_to_10_and_stop_at_500() {
        let p = |q: &str| pairs(Some(q)).and_then(|q| page(&q)).ok();
        assert_eq!(p("").map(|x| x.0), Some(DEFAULT_LIMIT));
        assert_eq!(p("limit=100000&offset=3"), Some((MAX_LIMIT, 3)));
        assert_eq!(p("limit=-1"), None);
    }
}
