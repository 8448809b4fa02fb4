//! The portal: server-rendered pages from compiled templates (`templates/`), no script. Every
//! string from a page korolev read is escaped by the templates; article bodies are plain text
//! split into paragraphs, never HTML.

use crate::head::Head;
use crate::podcasts::{episode_rows, EpisodeRow, ON_ENTITY_PAGE};
use crate::{ApiError, App, Code};
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, Uri};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use korolev_extract::LaunchStatus;
use korolev_facts::knowledge::{Expedition, Knowledge};
use korolev_facts::merge::Fact;
use korolev_facts::model::{ClaimKind, EntityKind, Evidence};
use korolev_facts::when;
use korolev_store::{LaunchQuery, NewsItem, NewsQuery, TimeField, UNKNOWN_SITE};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

const CSS: &str = include_str!("../static/site.css");
const FAVICON: &str = include_str!("../static/favicon.svg");

pub(crate) fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/", get(home))
        .route("/static/site.css", get(css))
        .route("/static/favicon.svg", get(favicon))
        .route("/favicon.ico", get(favicon))
        .route("/images/{key}", get(crate::images::kept))
        .route("/news/{year}/{month}", get(month))
        .route("/news/{year}/{month}/{day}", get(day))
        .route("/articles/{id}", get(article))
        .route("/expeditions", get(expeditions))
        .route("/expeditions/{n}", get(expedition))
        .route("/people/{slug}", get(person))
        .route("/launches", get(launches))
        .route("/launches/{id}", get(launch))
        .fallback(not_found)
}

/// A portal error: the API error rendered as a page.
pub(crate) struct PageError(pub(crate) ApiError);

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> Self {
        PageError(e)
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    head: Head,
    heading: String,
    message: String,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let heading = match self.0.code {
            Code::NotFound => "Page not found",
            Code::BadParameter => "That address cannot be read",
            Code::Internal => "Something went wrong",
        };
        let message = self.0.public_message();
        let page = ErrorPage {
            head: Head::error(heading, &message),
            heading: heading.into(),
            message,
        };
        let body = page
            .render()
            .unwrap_or_else(|_| "korolev: error".to_string());
        (self.0.code.status(), Html(body)).into_response()
    }
}

pub(crate) type PageResult = Result<Html<String>, PageError>;

pub(crate) fn render(t: impl Template) -> PageResult {
    t.render()
        .map(Html)
        .map_err(|e| PageError(ApiError::internal(format!("rendering: {e}"))))
}

async fn not_found(uri: Uri) -> Response {
    let path = uri.path();
    let message = format!("Nothing is at {path}.");
    if path.starts_with("/v4") || path.starts_with("/api") || path.ends_with(".json") {
        ApiError::not_found(message).into_response()
    } else {
        PageError(ApiError::not_found(message)).into_response()
    }
}

/// The site's icon, also where browsers look for one unasked.
async fn favicon() -> Response {
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        FAVICON,
    )
        .into_response()
}

async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        CSS,
    )
        .into_response()
}

// ---- what templates show ----

struct NewsRow {
    id: i64,
    title: String,
    summary: String,
    /// None where the page named no site and had no URL.
    site: Option<String>,
    date: String,
    iso: String,
    /// False where the page gave no date: `iso` is then when korolev saw it.
    dated: bool,
    /// The same story on other sites, listed under this one: (number, site).
    also: Vec<(i64, String)>,
    /// Where its lead image is shown from, where it is shown (set by lists and the article).
    image: Option<String>,
}

pub(crate) fn day_name(secs: i64) -> String {
    let (y, m, d) = when::civil_from_days(secs.div_euclid(86_400));
    format!("{d} {} {y}", when::MONTH_NAMES[usize::from(m - 1)])
}

fn news_row(n: &NewsItem) -> NewsRow {
    NewsRow {
        id: n.id,
        title: n.title.clone(),
        summary: n.summary.clone(),
        site: (n.news_site != UNKNOWN_SITE).then(|| n.news_site.clone()),
        date: if n.dated {
            day_name(n.published)
        } else {
            "date unknown".into()
        },
        iso: when::iso_utc(n.published),
        dated: n.dated,
        also: Vec::new(),
        image: None,
    }
}

/// The rows of a news list, the same story told by several sites folded under its first
/// telling ("also on"), as the search index's fingerprints of their texts tell.
async fn news_rows(app: &App, items: &[NewsItem]) -> Vec<NewsRow> {
    let folded = app.search.as_ref().map(|index| {
        let ids: Vec<i64> = items.iter().map(|n| n.id).collect();
        index.same_stories(&ids)
    });
    let folded = folded.unwrap_or_default();
    let images = app
        .lead_images(items.iter().filter_map(|n| n.image_url.clone()).collect())
        .await;
    let mut rows: Vec<NewsRow> = Vec::with_capacity(items.len());
    for n in items {
        match folded
            .get(&n.id)
            .and_then(|first| rows.iter_mut().find(|r| r.id == *first))
        {
            // Named by its site, or by its title where the page named none.
            Some(first) => first.also.push((
                n.id,
                if n.news_site == UNKNOWN_SITE {
                    n.title.clone()
                } else {
                    n.news_site.clone()
                },
            )),
            None => rows.push(NewsRow {
                image: n.image_url.as_ref().and_then(|u| images.get(u)).cloned(),
                ..news_row(n)
            }),
        }
    }
    rows
}

struct Day {
    day: u32,
    href: Option<String>,
}

struct Calendar {
    title: String,
    href: String,
    weeks: Vec<Vec<Option<Day>>>,
    prev: Option<String>,
    next: Option<String>,
}

fn month_start(year: i32, month: u32) -> i64 {
    when::days_from_civil(year, month, 1) * 86_400
}

fn next_month(year: i32, month: u32) -> (i32, u32) {
    if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    }
}

fn prev_month(year: i32, month: u32) -> (i32, u32) {
    if month == 1 {
        (year - 1, 12)
    } else {
        (year, month - 1)
    }
}

/// The month's grid, Monday first, with days that have news linked; the neighbouring months
/// are linked while the store has news in or beyond them.
fn calendar(
    year: i32,
    month: u32,
    days_with_news: &BTreeSet<u32>,
    span: Option<(i64, i64)>,
) -> Calendar {
    let start = month_start(year, month);
    let (ny, nm) = next_month(year, month);
    let end = month_start(ny, nm);
    let length = ((end - start) / 86_400) as u32;
    let first_weekday = ((start / 86_400 + 3).rem_euclid(7)) as usize;
    let mut weeks = Vec::new();
    let mut week: Vec<Option<Day>> = (0..first_weekday).map(|_| None).collect();
    for d in 1..=length {
        week.push(Some(Day {
            day: d,
            href: days_with_news
                .contains(&d)
                .then(|| format!("/news/{year:04}/{month:02}/{d:02}")),
        }));
        if week.len() == 7 {
            weeks.push(std::mem::take(&mut week));
        }
    }
    if !week.is_empty() {
        while week.len() < 7 {
            week.push(None);
        }
        weeks.push(week);
    }
    let (py, pm) = prev_month(year, month);
    Calendar {
        title: format!("{} {year}", when::MONTH_NAMES[(month - 1) as usize]),
        href: format!("/news/{year:04}/{month:02}"),
        weeks,
        prev: span
            .filter(|(first, _)| *first < start)
            .map(|_| format!("/news/{py:04}/{pm:02}")),
        next: span
            .filter(|(_, last)| *last >= end)
            .map(|_| format!("/news/{ny:04}/{nm:02}")),
    }
}

/// The calendar of a month, read from the store.
async fn month_calendar(app: &Arc<App>, year: i32, month: u32) -> Result<Calendar, ApiError> {
    let start = month_start(year, month);
    let (ny, nm) = next_month(year, month);
    let end = month_start(ny, nm);
    let (days, span) = app
        .read(move |s| Ok((s.news_days(start, end)?, s.news_span()?)))
        .await?;
    let set = days
        .iter()
        .map(|(d, _)| (d * 86_400 - start) as u32 / 86_400 + 1)
        .collect();
    Ok(calendar(year, month, &set, span))
}

struct CrewRow {
    role: &'static str,
    slug: String,
    name: String,
    /// The launch that carried them up for this expedition: (launch id, craft name).
    craft: Option<(String, String)>,
}

fn role_label(r: Option<korolev_extract::CrewRole>) -> &'static str {
    match r {
        Some(korolev_extract::CrewRole::Commander) => "Commander",
        Some(korolev_extract::CrewRole::FlightEngineer) => "Flight engineer",
        Some(korolev_extract::CrewRole::SpaceflightParticipant) => "Spaceflight participant",
        None => "Crew",
    }
}

pub(crate) fn slug(id: &str) -> String {
    id.rsplit('/').next().unwrap_or(id).to_string()
}

/// How long an expedition whose end the facts do not tell is taken to run.
const EXPEDITION_DAYS: i64 = 200;

/// Days since 1970 of an ISO date (its first day, when it is only a month or a year).
fn days_of(iso: &str) -> i64 {
    korolev_facts::when::days_from_civil_iso(iso)
}

/// The flight that carried `person` to expedition `x`, of `launches` (in date order): their
/// last launch before it ended (or, while its end is not known, within an expedition's length
/// of its start), and no longer before its start than anyone stays. Not known without a start:
/// their latest flight may be another expedition's.
pub(crate) fn flight_to<'k>(
    launches: &'k [(String, &'k Fact)],
    x: &Expedition,
    person: &str,
) -> Option<&'k (String, &'k Fact)> {
    let start = x.start.as_deref()?;
    let from = days_of(start) - korolev_facts::merge::LONGEST_STAY_DAYS;
    let to = x
        .end
        .as_deref()
        .map_or(days_of(start) + EXPEDITION_DAYS, days_of);
    launches.iter().rfind(|(_, f)| {
        let day = f.date.as_deref().map(days_of);
        f.status == Some(LaunchStatus::Done)
            && f.people.iter().any(|p| p == person)
            && day.is_some_and(|d| from <= d && d <= to)
    })
}

fn crew_rows(k: &Knowledge, x: &Expedition) -> Vec<CrewRow> {
    let launches = k.launches();
    x.crew
        .iter()
        .map(|s| CrewRow {
            role: role_label(s.role),
            slug: slug(&s.person),
            name: k.name(&s.person).to_string(),
            craft: flight_to(&launches, x, &s.person)
                .map(|(id, f)| (id.clone(), k.name(&f.subject).to_string())),
        })
        .collect()
}

struct Mission {
    number: u32,
    start: Option<String>,
    end: Option<String>,
    crew: Vec<CrewRow>,
    /// Under way today; else the last one known, shown as such.
    current: bool,
    /// The day of the latest event the news told: what is shown is as of then.
    as_of: Option<String>,
}

struct LaunchRow {
    id: String,
    name: String,
    vehicle: String,
    date: String,
    status: &'static str,
    sources: usize,
}

fn launch_row(k: &Knowledge, id: &str, f: &Fact) -> LaunchRow {
    LaunchRow {
        id: id.to_string(),
        name: launch_name(k, f),
        vehicle: launch_vehicle(k, f),
        date: f.date.clone().unwrap_or_else(|| "date not known".into()),
        status: f.status.map_or("status not known", |s| s.as_str()),
        sources: f.sources,
    }
}

/// The rocket of a launch, by name.
pub(crate) fn launch_vehicle(k: &Knowledge, f: &Fact) -> String {
    f.object
        .as_deref()
        .map_or("vehicle not known".to_string(), |o| k.name(o).to_string())
}

/// A flight by its mission and craft: "Crew-8 · Crew Dragon Endeavour".
pub(crate) fn launch_name(k: &Knowledge, f: &Fact) -> String {
    let craft = k.craft_name(f);
    let mission = f
        .mission
        .as_deref()
        .or_else(|| {
            f.subject
                .starts_with("mission/")
                .then_some(f.subject.as_str())
        })
        .map(|m| k.name(m).to_string());
    match (mission, craft) {
        (Some(m), Some(c)) => format!("{m} · {c}"),
        (Some(m), None) => m,
        (None, Some(c)) => c,
        (None, None) => k.name(&f.subject).to_string(),
    }
}

struct EvidenceRow {
    quote: String,
    article: Option<i64>,
    title: String,
}

struct FactRow {
    text: String,
    confidence: String,
    sources: String,
    conflicts: Vec<String>,
    evidence: Vec<EvidenceRow>,
    /// Pieces of evidence not quoted.
    more: usize,
}

/// A sentence for a fact: "Soyuz MS-16 launch on Soyuz-2.1a, 2020-04-09, done".
pub(crate) fn fact_text(k: &Knowledge, f: &Fact) -> String {
    let mut s = match f.kind {
        ClaimKind::CrewMember => format!(
            "{} is in the crew of {}",
            k.name(&f.subject),
            f.object.as_deref().map_or("?", |o| k.name(o))
        ),
        ClaimKind::Appointment => format!(
            "{}: {}",
            k.name(&f.subject),
            f.detail.as_deref().unwrap_or("office")
        ),
        ClaimKind::Agreement => format!(
            "Agreement between {} and {}",
            k.name(&f.subject),
            f.object.as_deref().map_or("?", |o| k.name(o))
        ),
        kind => {
            let mut s = format!("{} {}", k.name(&f.subject), kind.as_str());
            if let Some(o) = &f.object {
                s.push_str(&format!(
                    " {} {}",
                    if kind == ClaimKind::Launch {
                        "on"
                    } else {
                        "to"
                    },
                    k.name(o)
                ));
            }
            s
        }
    };
    if let Some(r) = f.role {
        s.push_str(&format!(" as {}", role_label(Some(r)).to_lowercase()));
    }
    if let Some(d) = &f.date {
        s.push_str(&format!(", {d}"));
    }
    if let Some(st) = f.status {
        s.push_str(&format!(", {}", st.as_str()));
    }
    s
}

/// Quotes shown under each fact; the rest are counted.
const QUOTES_SHOWN: usize = 5;

/// The most facts a person's page lists.
const FACTS_SHOWN: usize = 200;

/// Launches on one page of `/launches`.
const LAUNCHES_PER_PAGE: usize = 100;

/// The facts, each with up to `QUOTES_SHOWN` quotes linked to their articles.
async fn fact_rows(
    app: &Arc<App>,
    k: &Knowledge,
    facts: Vec<&Fact>,
) -> Result<Vec<FactRow>, ApiError> {
    // The evidence to quote: the first of each different sentence, up to QUOTES_SHOWN a fact
    // (news repeats itself; a fact read from thousands of pages should not list them all).
    let shown: Vec<Vec<&Evidence>> = facts
        .iter()
        .map(|f| {
            let mut seen = HashSet::new();
            f.evidence
                .iter()
                .filter(|e| seen.insert(e.text.as_str()))
                .take(QUOTES_SHOWN)
                .collect()
        })
        .collect();
    let docs: Vec<String> = shown
        .iter()
        .flatten()
        .map(|e| e.document.clone())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let articles: HashMap<String, NewsItem> = app
        .read(move |s| s.news_of_documents(&docs.iter().map(String::as_str).collect::<Vec<_>>()))
        .await?;
    Ok(facts
        .into_iter()
        .zip(shown)
        .map(|(f, shown)| FactRow {
            text: fact_text(k, f),
            confidence: format!("{:.2}", f.confidence),
            sources: format!(
                "{} source{}",
                f.sources,
                if f.sources == 1 { "" } else { "s" }
            ),
            conflicts: f
                .conflicts
                .iter()
                .map(|c| {
                    let values: Vec<String> = c
                        .values
                        .iter()
                        .map(|(v, docs)| {
                            format!(
                                "{v} ({} page{})",
                                docs.len(),
                                if docs.len() == 1 { "" } else { "s" }
                            )
                        })
                        .collect();
                    format!("{}: {}", c.field, values.join(" vs "))
                })
                .collect(),
            more: f.evidence_count.max(f.evidence.len()) - shown.len(),
            evidence: shown
                .into_iter()
                .map(|e| {
                    let a = articles.get(&e.document);
                    EvidenceRow {
                        quote: e.text.clone(),
                        article: a.map(|a| a.id),
                        title: a.map_or_else(|| "a stored page".into(), |a| a.title.clone()),
                    }
                })
                .collect(),
        })
        .collect())
}

// ---- pages ----

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    head: Head,
    items: Vec<NewsRow>,
    empty: &'static str,
    /// Pages that gave no date, listed apart so that the time they were stored does not put
    /// them above the dated news.
    undated: Vec<NewsRow>,
    mission: Option<Mission>,
    ticker: Vec<LaunchRow>,
    cal: Calendar,
}

async fn home(State(app): State<Arc<App>>, uri: Uri) -> PageResult {
    let (latest, undated, span) = app
        .read(|s| {
            Ok((
                s.latest_news(true, NewsQuery::default().limit)?,
                s.latest_news(false, UNDATED_SHOWN)?,
                s.news_span()?,
            ))
        })
        .await?;
    let today = when::today();
    let snap = app.snapshot();
    let k = &snap.crews;
    // Under way today: begun, and not ended — an expedition whose end the news has not told
    // is taken to go on no longer than anyone stays aboard.
    let began = |x: &&Expedition| x.start.as_deref().is_some_and(|s| s <= today.as_str());
    let under_way = |x: &&Expedition| {
        began(x)
            && match (x.end.as_deref(), x.start.as_deref()) {
                (Some(e), _) => e > today.as_str(),
                (None, Some(s)) => {
                    days_of(&today) - days_of(s) <= korolev_facts::merge::LONGEST_STAY_DAYS
                }
                (None, None) => false,
            }
    };
    let current = k.expeditions.iter().rfind(under_way);
    // Else the last one known to have begun, said as such.
    let shown = current.or_else(|| {
        k.expeditions
            .iter()
            .filter(began)
            .max_by(|a, b| a.start.cmp(&b.start).then(a.number.cmp(&b.number)))
    });
    let mission = shown.map(|x| Mission {
        number: x.number,
        start: x.start.clone(),
        end: x.end.clone(),
        crew: crew_rows(k, x),
        current: current.is_some(),
        as_of: k.aboard_as_of.clone(),
    });
    // Recent launches, newest first, then what is planned from today on.
    let from = today.clone();
    let (ids, named) = app
        .read(move |s| {
            let query = |status: &str, from: Option<String>, newest_first: bool| LaunchQuery {
                statuses: vec![status.to_string()],
                from,
                newest_first,
                limit: TICKER_LAUNCHES,
                ..LaunchQuery::default()
            };
            let (_, done) = s.launches(&query("done", None, true))?;
            let (_, planned) = s.launches(&query("planned", Some(from), false))?;
            let (ids, facts): (Vec<String>, Vec<Fact>) = done
                .into_iter()
                .filter(|(_, f)| f.date.is_some())
                .chain(planned)
                .unzip();
            Ok((ids, crate::named(s, facts, &[])?))
        })
        .await?;
    let ticker: Vec<LaunchRow> = ids
        .iter()
        .zip(&named.facts)
        .map(|(id, f)| launch_row(&named, id, f))
        .collect();
    // The calendar of the newest dated news's month (an undated page's time is only when it
    // was seen); of the newest news's at all where none is dated, else today's.
    let newest = latest
        .first()
        .map(|n| n.published)
        .or(span.map(|(_, last)| last))
        .map_or_else(
            || when::days_from_civil_iso(&today),
            |t| t.div_euclid(86_400),
        );
    let (y, m, _) = when::civil_from_days(newest);
    let cal = month_calendar(&app, y, u32::from(m)).await?;
    let head = Head::new(
        &app,
        &uri,
        "Spaceflight news and missions",
        "Spaceflight news, who is aboard the space station, its expeditions and crews, and \
         launches done and planned, every fact with its sources.",
    );
    render(Home {
        head,
        items: news_rows(&app, &latest).await,
        empty: if undated.is_empty() {
            "No news yet. Ingest pages with `korolev ingest PATH...`, or run `korolev demo`."
        } else {
            "No dated news yet: the pages below gave no date."
        },
        undated: news_rows(&app, &undated).await,
        mission,
        ticker,
        cal,
    })
}

/// Undated pages the home page lists under the news.
const UNDATED_SHOWN: usize = 5;

/// Launches the ticker shows of each: the latest done, the next planned.
const TICKER_LAUNCHES: usize = 6;

#[derive(Template)]
#[template(path = "archive.html")]
struct Archive {
    head: Head,
    heading: String,
    items: Vec<NewsRow>,
    empty: &'static str,
    cal: Calendar,
}

pub(crate) fn number<T: std::str::FromStr>(
    name: &str,
    v: &str,
    ok: impl Fn(&T) -> bool,
) -> Result<T, ApiError> {
    v.parse::<T>()
        .ok()
        .filter(ok)
        .ok_or_else(|| ApiError::bad(name, format!("{v:?} is not a {name}")))
}

/// An archive page's description: how many articles, and the first titles.
fn archive_description(heading: &str, items: &[NewsItem]) -> String {
    match items {
        [] => format!("{heading}: no articles."),
        [one] => format!("{heading}: {}", one.title),
        _ => {
            let titles: Vec<&str> = items.iter().take(3).map(|n| n.title.as_str()).collect();
            format!(
                "{heading}: {} articles — {}",
                items.len(),
                titles.join("; ")
            )
        }
    }
}

/// Every article published in [start, end), oldest first.
async fn news_between(app: &Arc<App>, start: i64, end: i64) -> Result<Vec<NewsItem>, ApiError> {
    let q = NewsQuery {
        times: vec![
            (TimeField::Published, start, true, true),
            (TimeField::Published, end, false, false),
        ],
        descending: false,
        limit: 1000,
        ..NewsQuery::default()
    };
    Ok(app.read(move |s| s.news(&q)).await?.1)
}

async fn month(
    State(app): State<Arc<App>>,
    uri: Uri,
    Path((y, m)): Path<(String, String)>,
) -> PageResult {
    let year: i32 = number("year", &y, |y| (1900..=2200).contains(y))?;
    let month: u32 = number("month", &m, |m| (1..=12).contains(m))?;
    let start = month_start(year, month);
    let (ny, nm) = next_month(year, month);
    let items = news_between(&app, start, month_start(ny, nm)).await?;
    let cal = month_calendar(&app, year, month).await?;
    let heading = format!("News of {}", cal.title);
    let head = Head::new(
        &app,
        &uri,
        heading.clone(),
        &archive_description(&heading, &items),
    );
    render(Archive {
        head,
        heading,
        items: news_rows(&app, &items).await,
        empty: "No news this month.",
        cal,
    })
}

async fn day(
    State(app): State<Arc<App>>,
    uri: Uri,
    Path((y, m, d)): Path<(String, String, String)>,
) -> PageResult {
    let year: i32 = number("year", &y, |y| (1900..=2200).contains(y))?;
    let month: u32 = number("month", &m, |m| (1..=12).contains(m))?;
    let (ny, nm) = next_month(year, month);
    let length = ((month_start(ny, nm) - month_start(year, month)) / 86_400) as u32;
    let day: u32 = number("day", &d, |d| (1..=length).contains(d))?;
    let start = when::days_from_civil(year, month, day) * 86_400;
    let items = news_between(&app, start, start + 86_400).await?;
    let cal = month_calendar(&app, year, month).await?;
    let heading = format!("News of {day} {}", cal.title);
    let head = Head::new(
        &app,
        &uri,
        heading.clone(),
        &archive_description(&heading, &items),
    );
    render(Archive {
        head,
        heading,
        items: news_rows(&app, &items).await,
        empty: "No news this day.",
        cal,
    })
}

struct EntityLink {
    name: String,
    href: Option<String>,
}

#[derive(Template)]
#[template(path = "article.html")]
struct ArticlePage {
    head: Head,
    a: NewsRow,
    authors: String,
    source: String,
    paragraphs: Vec<String>,
    entities: Vec<EntityLink>,
    prev: Option<NewsRow>,
    next: Option<NewsRow>,
    related: Vec<NewsRow>,
    episodes: Vec<EpisodeRow>,
    /// The article's language (BCP 47), where it is known: screen readers and hyphenation
    /// read a Russian article as Russian.
    lang: Option<String>,
}

/// A language tag as a `lang` attribute takes it: letters, digits and hyphens, short.
fn lang_tag(tag: &str) -> Option<String> {
    let t = tag.trim();
    (!t.is_empty() && t.len() <= 35 && t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        .then(|| t.to_ascii_lowercase())
}

/// Where the portal has a page for an entity.
/// Where an entity of an article links to: a person's page, an expedition's that the crews
/// know, a craft's first listed launch (`first_launch`, by the craft's id).
fn entity_href(
    crews: &Knowledge,
    first_launch: &HashMap<String, String>,
    id: &str,
    kind: EntityKind,
) -> Option<String> {
    match kind {
        EntityKind::Person => Some(format!("/people/{}", slug(id))),
        EntityKind::Expedition => {
            let n = korolev_facts::merge::expedition_number(id)?;
            crews
                .expeditions
                .iter()
                .any(|x| x.number == n)
                .then(|| format!("/expeditions/{n}"))
        }
        EntityKind::Spacecraft | EntityKind::LaunchVehicle => {
            first_launch.get(id).map(|l| format!("/launches/{l}"))
        }
        _ => None,
    }
}

async fn article(State(app): State<Arc<App>>, uri: Uri, Path(id): Path<String>) -> PageResult {
    let n: i64 = number("article number", &id, |_| true)?;
    let found = app
        .read(move |s| {
            let Some(item) = s.news_item(n)? else {
                return Ok(None);
            };
            let facts = s.document_facts(&item.document_id)?;
            let (prev, next) = s.news_neighbours(&item)?;
            let related = s.related_news(&item.document_id, 5)?;
            let episodes = s.episodes_of_article(item.id)?;
            // Each craft the article names, with its first listed launch.
            let mut first_launch = HashMap::new();
            let crafts = facts
                .iter()
                .flat_map(|f| &f.entities)
                .filter(|e| matches!(e.kind, EntityKind::Spacecraft | EntityKind::LaunchVehicle));
            for e in crafts {
                let (_, found) = s.launches(&LaunchQuery {
                    subject: Some(e.id.clone()),
                    limit: 1,
                    ..LaunchQuery::default()
                })?;
                if let Some((l, _)) = found.into_iter().next() {
                    first_launch.insert(e.id.clone(), l);
                }
            }
            Ok(Some((
                item,
                facts,
                prev,
                next,
                related,
                first_launch,
                episodes,
            )))
        })
        .await?;
    let Some((item, facts, prev, next, related, first_launch, episodes)) = found else {
        return Err(ApiError::not_found(format!("There is no article {n}.")).into());
    };
    let snap = app.snapshot();
    let k = &snap.crews;
    let lang = facts
        .as_ref()
        .and_then(|f| f.article.lang.as_deref())
        .and_then(lang_tag);
    let (paragraphs, entities) = match facts {
        Some(f) => (
            f.article
                .body
                .split("\n\n")
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(String::from)
                .collect(),
            // Only what the article itself names: a sidebar's mission box or launch ticker is
            // the site's, not the story's.
            f.entities
                .iter()
                .filter(|e| {
                    e.mentions.iter().any(|m| {
                        f.article.body.contains(&m.text)
                            || f.article
                                .title
                                .as_deref()
                                .is_some_and(|t| t.contains(&m.text))
                    })
                })
                .map(|e| EntityLink {
                    name: e.name.clone(),
                    href: entity_href(k, &first_launch, &e.id, e.kind),
                })
                .collect(),
        ),
        None => (Vec::new(), Vec::new()),
    };
    let source = crate::web_url(&item.url).unwrap_or_default();
    let image = match item.image_url.clone() {
        Some(u) => app.lead_images(vec![u.clone()]).await.remove(&u),
        None => None,
    };
    let head = Head::new(&app, &uri, item.title.clone(), &item.summary).article(image.clone());
    render(ArticlePage {
        head,
        a: NewsRow {
            image,
            ..news_row(&item)
        },
        authors: item.authors.join(", "),
        source,
        paragraphs,
        entities,
        prev: prev.as_ref().map(news_row),
        next: next.as_ref().map(news_row),
        related: related.iter().map(news_row).collect(),
        episodes: episode_rows(&episodes),
        lang,
    })
}

struct ExpeditionRow {
    number: u32,
    start: String,
    end: String,
    commander: String,
    size: usize,
}

#[derive(Template)]
#[template(path = "expeditions.html")]
struct ExpeditionsPage {
    head: Head,
    rows: Vec<ExpeditionRow>,
}

async fn expeditions(State(app): State<Arc<App>>, uri: Uri) -> PageResult {
    let snap = app.snapshot();
    let k = &snap.crews;
    let rows: Vec<ExpeditionRow> = k
        .expeditions
        .iter()
        .rev()
        .map(|x| ExpeditionRow {
            number: x.number,
            start: x.start.clone().unwrap_or_else(|| "not known".into()),
            end: x.end.clone().unwrap_or_else(|| "—".into()),
            commander: x
                .crew
                .iter()
                .find(|s| s.role == Some(korolev_extract::CrewRole::Commander))
                .map_or("not known".into(), |s| k.name(&s.person).to_string()),
            size: x.crew.len(),
        })
        .collect();
    let head = Head::new(
        &app,
        &uri,
        "Expeditions",
        &format!(
            "The {} space station expeditions korolev knows of, with their dates, commanders \
             and crews, as the news told them.",
            rows.len()
        ),
    );
    render(ExpeditionsPage { head, rows })
}

struct ExpeditionView {
    number: u32,
    start: Option<String>,
    end: Option<String>,
    crew: Vec<CrewRow>,
}

#[derive(Template)]
#[template(path = "expedition.html")]
struct ExpeditionPage {
    head: Head,
    x: ExpeditionView,
    prev: Option<u32>,
    next: Option<u32>,
    facts: Vec<FactRow>,
    items: Vec<NewsRow>,
    episodes: Vec<EpisodeRow>,
    empty: &'static str,
}

async fn expedition(State(app): State<Arc<App>>, uri: Uri, Path(n): Path<String>) -> PageResult {
    let number: u32 = number("expedition number", &n, |_| true)?;
    let snap = app.snapshot();
    let k = &snap.crews;
    let Some(x) = k.expeditions.iter().find(|x| x.number == number) else {
        return Err(
            ApiError::not_found(format!("korolev knows of no Expedition {number}.")).into(),
        );
    };
    let id = x.id.clone();
    let facts: Vec<&Fact> = k
        .facts
        .iter()
        .filter(|f| f.object.as_deref() == Some(id.as_str()))
        .collect();
    let facts = fact_rows(&app, k, facts).await?;
    let (items, episodes) = app
        .read(move |s| {
            Ok((
                s.documents_mentioning(&id, 20)?,
                s.episodes_about(&id, ON_ENTITY_PAGE)?,
            ))
        })
        .await?;
    let has = |n: u32| k.expeditions.iter().any(|x| x.number == n);
    let crew = crew_rows(k, x);
    let names: Vec<&str> = crew.iter().map(|c| c.name.as_str()).collect();
    let dates = match (&x.start, &x.end) {
        (Some(s), Some(e)) => format!(", {s} to {e}"),
        (Some(s), None) => format!(", from {s}"),
        _ => String::new(),
    };
    let description = if names.is_empty() {
        format!("Expedition {number} to the International Space Station{dates}.")
    } else {
        format!(
            "Expedition {number} to the International Space Station{dates}: {}.",
            names.join(", ")
        )
    };
    let head = Head::new(&app, &uri, format!("Expedition {number}"), &description);
    render(ExpeditionPage {
        head,
        x: ExpeditionView {
            number,
            start: x.start.clone(),
            end: x.end.clone(),
            crew,
        },
        prev: number.checked_sub(1).filter(|&p| has(p)),
        next: Some(number + 1).filter(|&p| has(p)),
        facts,
        items: news_rows(&app, &items).await,
        episodes: episode_rows(&episodes),
        empty: "No news mentions this expedition.",
    })
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    head: Head,
    name: String,
    agency: Option<String>,
    expeditions: Vec<(u32, &'static str)>,
    flights: Vec<LaunchRow>,
    facts: Vec<FactRow>,
    items: Vec<NewsRow>,
    episodes: Vec<EpisodeRow>,
    empty: &'static str,
}

async fn person(State(app): State<Arc<App>>, uri: Uri, Path(slug): Path<String>) -> PageResult {
    let id = format!("person/{slug}");
    let lookup = id.clone();
    let about = app
        .read(move |s| {
            let facts = s.facts_about(&lookup, FACTS_SHOWN)?;
            crate::named(s, facts, &[lookup.as_str()])
        })
        .await?;
    let Some(e) = about.entity(&id).filter(|e| e.kind == EntityKind::Person) else {
        return Err(ApiError::not_found(format!("korolev knows of no person {slug:?}.")).into());
    };
    let snap = app.snapshot();
    let k = &snap.crews;
    let expeditions: Vec<(u32, &str)> = k
        .expeditions
        .iter()
        .filter_map(|x| {
            let seat = x.crew.iter().find(|s| s.person == id)?;
            Some((x.number, role_label(seat.role)))
        })
        .collect();
    let flights = k
        .launches()
        .into_iter()
        .filter(|(_, f)| f.people.contains(&id))
        .map(|(l, f)| launch_row(k, &l, f))
        .collect();
    let facts = fact_rows(&app, &about, about.facts.iter().collect()).await?;
    let lookup = id.clone();
    let (items, episodes) = app
        .read(move |s| {
            Ok((
                s.documents_mentioning(&lookup, 20)?,
                s.episodes_about(&lookup, ON_ENTITY_PAGE)?,
            ))
        })
        .await?;
    let agency = e.agency.as_deref().map(|a| about.name(a).to_string());
    let mut description = e.name.clone();
    if let Some(a) = &agency {
        description.push_str(&format!(" ({a})"));
    }
    let flown: Vec<String> = expeditions
        .iter()
        .map(|(n, role)| format!("Expedition {n} {}", role.to_lowercase()))
        .collect();
    if flown.is_empty() {
        description.push_str(": what the news korolev read tells of them.");
    } else {
        description.push_str(&format!(": {}.", flown.join(", ")));
    }
    let head = Head::new(&app, &uri, e.name.clone(), &description);
    render(PersonPage {
        head,
        name: e.name.clone(),
        agency,
        expeditions,
        flights,
        facts,
        items: news_rows(&app, &items).await,
        episodes: episode_rows(&episodes),
        empty: "No news mentions this person.",
    })
}

#[derive(Template)]
#[template(path = "launches.html")]
struct LaunchesPage {
    head: Head,
    rows: Vec<LaunchRow>,
    year: String,
    vehicle: String,
    spacecraft: String,
    /// How many launches match, and which of them this page shows (from 1).
    total: u64,
    first: usize,
    last: usize,
    /// The pages before and after this one, as links that keep the filters.
    newer: Option<String>,
    older: Option<String>,
}

async fn launches(State(app): State<Arc<App>>, uri: Uri, RawQuery(raw): RawQuery) -> PageResult {
    let pairs = crate::snapi::pairs(raw.as_deref())?;
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map_or(String::new(), |(_, v)| v.trim().to_string())
    };
    let (year, vehicle, spacecraft) = (get("year"), get("vehicle"), get("spacecraft"));
    let year_n = match year.as_str() {
        "" => None,
        y => Some(number::<u32>("year", y, |y| (1900..=2200).contains(y))?),
    };
    let page = match get("page").as_str() {
        "" => 1,
        p => number::<usize>("page", p, |&p| (1..=1_000_000).contains(&p))?,
    };
    let q = LaunchQuery {
        year: year_n,
        vehicle: Some(vehicle.clone()),
        craft: Some(spacecraft.clone()),
        newest_first: true,
        offset: (page - 1) * LAUNCHES_PER_PAGE,
        limit: LAUNCHES_PER_PAGE,
        ..LaunchQuery::default()
    };
    let (total, ids, k) = app
        .read(move |s| {
            let (total, page) = s.launches(&q)?;
            let (ids, facts): (Vec<String>, Vec<Fact>) = page.into_iter().unzip();
            Ok((total, ids, crate::named(s, facts, &[])?))
        })
        .await?;
    let rows: Vec<LaunchRow> = ids
        .iter()
        .zip(&k.facts)
        .map(|(id, f)| launch_row(&k, id, f))
        .collect();
    let link = |page: usize| {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        for (name, v) in [
            ("year", &year),
            ("vehicle", &vehicle),
            ("spacecraft", &spacecraft),
        ] {
            if !v.is_empty() {
                q.append_pair(name, v);
            }
        }
        if page > 1 {
            q.append_pair("page", &page.to_string());
        }
        let q = q.finish();
        if q.is_empty() {
            "/launches".to_string()
        } else {
            format!("/launches?{q}")
        }
    };
    let first = (page - 1) * LAUNCHES_PER_PAGE;
    let head = Head::new(
        &app,
        &uri,
        "Launches",
        &format!(
            "{total} launches, done and planned: vehicle, spacecraft, date and outcome, each \
             with the news that told of it."
        ),
    );
    render(LaunchesPage {
        head,
        total,
        first: first + 1,
        last: first + rows.len(),
        newer: (page > 1).then(|| link(page - 1)),
        older: ((first + rows.len()) < total as usize).then(|| link(page + 1)),
        rows,
        year,
        vehicle,
        spacecraft,
    })
}

#[derive(Template)]
#[template(path = "launch.html")]
struct LaunchPage {
    head: Head,
    l: LaunchRow,
    site: String,
    crew: Vec<(String, String)>,
    facts: Vec<FactRow>,
}

async fn launch(State(app): State<Arc<App>>, uri: Uri, Path(id): Path<String>) -> PageResult {
    let lookup = id.clone();
    let named = app
        .read(move |s| {
            let facts = s.launch(&lookup)?.into_iter().collect();
            crate::named(s, facts, &[])
        })
        .await?;
    let k = &named;
    let Some(f) = k.facts.first() else {
        return Err(ApiError::not_found(format!("korolev knows of no launch {id:?}.")).into());
    };
    let facts = fact_rows(&app, k, vec![f]).await?;
    let l = launch_row(k, &id, f);
    let head = Head::new(
        &app,
        &uri,
        l.name.clone(),
        &format!("{}: {} · {} · {}.", l.name, l.vehicle, l.date, l.status),
    );
    render(LaunchPage {
        head,
        l,
        site: f
            .site
            .as_deref()
            .map_or("not known".into(), |s| k.name(s).to_string()),
        crew: f
            .people
            .iter()
            .map(|p| (slug(p), k.name(p).to_string()))
            .collect(),
        facts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_language_tag_is_passed_on_only_as_a_tag() {
        assert_eq!(lang_tag("ru").as_deref(), Some("ru"));
        assert_eq!(lang_tag("en-GB").as_deref(), Some("en-gb"));
        assert_eq!(lang_tag("\" onload=x").as_deref(), None);
        assert_eq!(lang_tag("").as_deref(), None);
    }

    #[test]
    fn calendars_start_on_monday_and_link_days_with_news() {
        // October 2020 began on a Thursday.
        let cal = calendar(2020, 10, &BTreeSet::from([14]), None);
        assert!(cal.weeks[0][..3].iter().all(Option::is_none));
        assert_eq!(cal.weeks[0][3].as_ref().map(|d| d.day), Some(1));
        let linked: Vec<_> = cal
            .weeks
            .iter()
            .flatten()
            .flatten()
            .filter_map(|d| d.href.clone())
            .collect();
        assert_eq!(linked, ["/news/2020/10/14"]);
        assert_eq!(cal.weeks.iter().flatten().flatten().count(), 31);
        assert!(cal.prev.is_none() && cal.next.is_none());
        let span = Some((month_start(2020, 1), month_start(2021, 1)));
        let cal = calendar(2020, 12, &BTreeSet::new(), span);
        assert_eq!(cal.prev.as_deref(), Some("/news/2020/11"));
        assert_eq!(cal.next.as_deref(), Some("/news/2021/01"));
    }
}
