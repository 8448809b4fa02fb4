//! The news as feeds: Atom, RSS 2.0 and JSON Feed 1.1 of the latest articles — of all of them,
//! of one site (`?site=NAME`) or of the articles that name one entity (`?about=person/…`,
//! `expedition/63`, `spacecraft/…`). Built with the `atom_syndication` and `rss` crates, so
//! that everything from a page is escaped as XML wants; links only to http(s) addresses.
//! And the launches as an iCalendar (RFC 5545, the `icalendar` crate), planned and done, and
//! each expedition's events (`/expeditions/N/calendar.ics`).

use crate::snapi::pairs;
use crate::{ApiError, App};
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use korolev_facts::when;
use korolev_store::{NewsItem, NewsQuery};
use std::sync::Arc;

/// Articles in a feed.
const ITEMS: usize = 50;

pub(crate) fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/feed.atom", get(atom))
        .route("/atom.xml", get(atom))
        .route("/feed", get(atom))
        .route("/feed.rss", get(rss))
        .route("/rss", get(rss))
        .route("/rss.xml", get(rss))
        .route("/feed.json", get(json_feed))
        .route("/launches.ics", get(launch_calendar))
        .route("/expeditions/{n}/calendar.ics", get(expedition_calendar))
}

/// What a feed is of, and its articles.
struct Feed {
    title: String,
    /// This feed's own address, with its query.
    self_url: String,
    /// The portal page it follows.
    home: String,
    items: Vec<NewsItem>,
}

async fn feed(app: &Arc<App>, raw: Option<String>, path: &str) -> Result<Feed, ApiError> {
    let pairs = pairs(raw.as_deref())?;
    let site = pairs
        .iter()
        .find(|(k, _)| k == "site")
        .map(|(_, v)| v.clone());
    let about = pairs
        .iter()
        .find(|(k, _)| k == "about")
        .map(|(_, v)| v.clone());
    let base = &app.public_url;
    let query = raw
        .as_deref()
        .filter(|q| !q.is_empty())
        .map(|q| format!("?{q}"));
    let self_url = format!("{base}{path}{}", query.unwrap_or_default());
    match (site, about) {
        (Some(_), Some(_)) => Err(ApiError::bad("site", "give site or about, not both")),
        (Some(site), None) => {
            let q = NewsQuery {
                sites: vec![site.clone()],
                limit: ITEMS,
                ..NewsQuery::default()
            };
            let items = app.read(move |s| Ok(s.news(&q)?.1)).await?;
            Ok(Feed {
                title: format!("korolev: {site}"),
                self_url,
                home: format!("{base}/"),
                items,
            })
        }
        (None, Some(entity)) => {
            let id = entity.clone();
            let found = app.read(move |s| s.entities_named(&[id.as_str()])).await?;
            let Some(e) = found.first() else {
                return Err(ApiError::not_found(format!("no entity {entity:?}")));
            };
            let title = format!("korolev: {}", e.name);
            let id = entity.clone();
            let items = app
                .read(move |s| s.documents_mentioning(&id, ITEMS))
                .await?;
            Ok(Feed {
                title,
                self_url,
                home: format!("{base}/"),
                items,
            })
        }
        (None, None) => {
            let q = NewsQuery {
                limit: ITEMS,
                ..NewsQuery::default()
            };
            let items = app.read(move |s| Ok(s.news(&q)?.1)).await?;
            Ok(Feed {
                title: "korolev: spaceflight news".into(),
                self_url,
                home: format!("{base}/"),
                items,
            })
        }
    }
}

/// An article's page here (its stable identity in every feed), and the address to link:
/// the page's own when it is a web address, else ours.
fn links(app: &App, n: &NewsItem) -> (String, String) {
    let here = format!("{}/articles/{}", app.public_url, n.id);
    let link = crate::web_url(&n.url).unwrap_or_else(|| here.clone());
    (here, link)
}

fn typed(content_type: &'static str, body: String) -> Response {
    let mut res = body.into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    res
}

fn moment(secs: i64) -> atom_syndication::FixedDateTime {
    atom_syndication::FixedDateTime::parse_from_rfc3339(&when::iso_utc(secs)).unwrap_or_default()
}

async fn atom(State(app): State<Arc<App>>, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    use atom_syndication::{Entry, Feed as AtomFeed, Link, Person, Text};
    let f = feed(&app, raw, "/feed.atom").await?;
    let link = |href: &str, rel: &str| Link {
        href: href.to_string(),
        rel: rel.to_string(),
        ..Link::default()
    };
    let entries: Vec<Entry> = f
        .items
        .iter()
        .map(|n| {
            let (here, href) = links(&app, n);
            Entry {
                id: here,
                title: Text::plain(n.title.clone()),
                updated: moment(n.updated.max(n.published)),
                published: Some(moment(n.published)),
                authors: n
                    .authors
                    .iter()
                    .map(|a| Person {
                        name: a.clone(),
                        ..Person::default()
                    })
                    .collect(),
                links: vec![link(&href, "alternate")],
                summary: Some(Text::plain(n.summary.clone())),
                ..Entry::default()
            }
        })
        .collect();
    let updated = f
        .items
        .iter()
        .map(|n| n.updated.max(n.published))
        .max()
        .unwrap_or(0);
    let feed = AtomFeed {
        title: Text::plain(f.title),
        id: f.self_url.clone(),
        updated: moment(updated),
        links: vec![link(&f.self_url, "self"), link(&f.home, "alternate")],
        entries,
        ..AtomFeed::default()
    };
    Ok(typed(
        "application/atom+xml; charset=utf-8",
        feed.to_string(),
    ))
}

async fn rss(State(app): State<Arc<App>>, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    let f = feed(&app, raw, "/feed.rss").await?;
    let items: Vec<rss::Item> = f
        .items
        .iter()
        .map(|n| {
            let (here, href) = links(&app, n);
            rss::Item {
                title: Some(n.title.clone()),
                link: Some(href),
                description: Some(n.summary.clone()),
                author: (!n.authors.is_empty()).then(|| n.authors.join(", ")),
                guid: Some(rss::Guid {
                    value: here,
                    permalink: true,
                }),
                pub_date: Some(moment(n.published).to_rfc2822()),
                ..rss::Item::default()
            }
        })
        .collect();
    let channel = rss::Channel {
        title: f.title,
        link: f.home,
        description: "Spaceflight news read by korolev".into(),
        items,
        ..rss::Channel::default()
    };
    Ok(typed(
        "application/rss+xml; charset=utf-8",
        channel.to_string(),
    ))
}

async fn json_feed(
    State(app): State<Arc<App>>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let f = feed(&app, raw, "/feed.json").await?;
    let items: Vec<serde_json::Value> = f
        .items
        .iter()
        .map(|n| {
            let (here, href) = links(&app, n);
            let mut item = serde_json::json!({
                "id": here,
                "url": href,
                "title": n.title,
                "summary": n.summary,
                "content_text": n.summary,
                "date_published": when::iso_utc(n.published),
                "date_modified": when::iso_utc(n.updated.max(n.published)),
                "authors": n.authors.iter().map(|a| serde_json::json!({"name": a})).collect::<Vec<_>>(),
            });
            if let Some(img) = n.image_url.as_deref().and_then(crate::web_url) {
                item["image"] = serde_json::Value::from(img);
            }
            item
        })
        .collect();
    let body = serde_json::json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": f.title,
        "home_page_url": f.home,
        "feed_url": f.self_url,
        "items": items,
    });
    Ok(typed(
        "application/feed+json; charset=utf-8",
        body.to_string(),
    ))
}

/// The most launches the calendar holds.
const CALENDAR_LAUNCHES: usize = 1000;

/// The latest [`CALENDAR_LAUNCHES`] launches told to the day, planned and done, as all-day
/// events: a planned one is tentative, a done or failed one confirmed. A launch told only to the month has no day to
/// stand on and is left out (its page says so).
async fn launch_calendar(State(app): State<Arc<App>>) -> Result<Response, ApiError> {
    use icalendar::Calendar;
    // The latest launches by date, planned ones first: a calendar is for what is to come
    // and what just was, not for the whole history.
    let k = app
        .read(|s| {
            let (_, page) = s.launches(&korolev_store::LaunchQuery {
                newest_first: true,
                limit: CALENDAR_LAUNCHES,
                ..korolev_store::LaunchQuery::default()
            })?;
            let (ids, facts): (Vec<String>, Vec<_>) = page.into_iter().unzip();
            Ok((ids, crate::named(s, facts, &[])?))
        })
        .await?;
    let (ids, k) = (&k.0, &k.1);
    let mut cal = Calendar::new();
    cal.name("korolev: launches");
    cal.description("Launches as the pages korolev read tell them");
    for (id, f) in ids.iter().zip(&k.facts) {
        if let Some(event) = launch_event(&app, k, id, f) {
            cal.push(event);
        }
    }
    Ok(typed(
        "text/calendar; charset=utf-8",
        cal.done().to_string(),
    ))
}

/// A launch told to the day as an all-day event: tentative while planned, confirmed once done
/// or failed.
fn launch_event(
    app: &App,
    k: &korolev_facts::knowledge::Knowledge,
    id: &str,
    f: &korolev_facts::merge::Fact,
) -> Option<icalendar::Event> {
    use icalendar::{Component, Event, EventLike, EventStatus};
    let date = day_of(f.date.as_deref())?;
    let status = match f.status {
        Some(korolev_extract::LaunchStatus::Done | korolev_extract::LaunchStatus::Failed) => {
            EventStatus::Confirmed
        }
        _ => EventStatus::Tentative,
    };
    let told = match f.status {
        Some(s) => s.as_str(),
        None => "status not known",
    };
    Some(
        Event::new()
            .uid(&format!("{}@korolev", crate::launch_uuid(id)))
            .summary(&plain(&crate::portal::launch_name(k, f)))
            .description(&plain(&format!(
                "{} · {told} · told by {} source(s)",
                crate::portal::launch_vehicle(k, f),
                f.sources
            )))
            .url(&format!("{}/launches/{id}", app.public_url))
            .starts(date)
            .ends(day_after(date))
            .status(status)
            .done(),
    )
}

/// Text from pages as a calendar line may hold it: control characters (a carriage return
/// the calendar would not escape) become spaces.
fn plain(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// The end of an all-day event whose last day is `last`: DTEND is the day after it (RFC 5545,
/// 3.6.1), so that a calendar shows the day itself.
fn day_after(last: chrono::NaiveDate) -> chrono::NaiveDate {
    last + chrono::Days::new(1)
}

/// The day an ISO 8601 date names, when it is told to the day.
fn day_of(date: Option<&str>) -> Option<chrono::NaiveDate> {
    let d = korolev_extract::PartialDate::parse_iso(date?)?;
    chrono::NaiveDate::from_ymd_opt(d.year, d.month?.into(), d.day?.into())
}

/// An expedition's events as an iCalendar: the expedition itself (from its first day to its
/// last, or its first day while its end is not known), the launches that carried its crew,
/// and every other fact about it told to the day, each an all-day event.
async fn expedition_calendar(
    State(app): State<Arc<App>>,
    Path(n): Path<String>,
) -> Result<Response, ApiError> {
    use icalendar::{Calendar, Component, Event, EventLike};
    let number: u32 = n
        .parse()
        .map_err(|_| ApiError::bad("expedition", format!("expected a number, got {n:?}")))?;
    let snap = app.snapshot();
    let k = &snap.crews;
    let x = k
        .expeditions
        .iter()
        .find(|x| x.number == number)
        .ok_or_else(|| ApiError::not_found(format!("no expedition {number}")))?;
    let page = format!("{}/expeditions/{number}", app.public_url);
    let mut cal = Calendar::new();
    cal.name(&format!("korolev: Expedition {number}"));
    cal.description("Expedition events as the pages korolev read tell them");
    if let Some(start) = day_of(x.start.as_deref()) {
        let mut event = Event::new();
        event
            .uid(&format!("expedition-{number}@korolev"))
            .summary(&format!("Expedition {number}"))
            .url(&page);
        match day_of(x.end.as_deref()).filter(|end| *end >= start) {
            Some(end) => event.starts(start).ends(day_after(end)),
            None => event.starts(start).ends(day_after(start)),
        };
        cal.push(event.done());
    }
    let launches = k.launches();
    let mut flights: Vec<&(String, &korolev_facts::merge::Fact)> = x
        .crew
        .iter()
        .filter_map(|s| crate::portal::flight_to(&launches, x, &s.person))
        .collect();
    flights.sort_by(|a, b| a.0.cmp(&b.0));
    flights.dedup_by(|a, b| a.0 == b.0);
    for (id, f) in flights {
        if let Some(event) = launch_event(&app, k, id, f) {
            cal.push(event);
        }
    }
    let mut uids = std::collections::HashSet::new();
    for f in k
        .facts
        .iter()
        .filter(|f| f.object.as_deref() == Some(x.id.as_str()))
    {
        let Some(date) = day_of(f.date.as_deref()) else {
            continue;
        };
        // Two facts of one kind, subject and day (a docking and a redocking) stay two events.
        let base = format!("{}/{}/{date}", f.kind.as_str(), f.subject);
        let uid = (1..)
            .map(|n| {
                if n == 1 {
                    base.clone()
                } else {
                    format!("{base}/{n}")
                }
            })
            .find(|u| uids.insert(u.clone()))
            .unwrap_or(base);
        let event = Event::new()
            .uid(&format!("{uid}@korolev"))
            .summary(&plain(&crate::portal::fact_text(k, f)))
            .description(&format!("told by {} source(s)", f.sources))
            .url(&page)
            .starts(date)
            .ends(day_after(date))
            .done();
        cal.push(event);
    }
    Ok(typed(
        "text/calendar; charset=utf-8",
        cal.done().to_string(),
    ))
}
