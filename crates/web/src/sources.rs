//! `/sources`: what korolev follows, as the operator's configuration lists it, with each
//! source's health as the fetcher last left it in the store.

use crate::portal::render;
use crate::{web_url, App};
use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use korolev_facts::when::unix_now as now;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// A source as the configuration lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceEntry {
    pub name: String,
    pub url: String,
    /// "feed", "sitemap" or "page".
    pub kind: String,
    pub every: Duration,
    pub enabled: bool,
}

/// Reads the configured sources afresh (the file may change while the server runs); the
/// error says why they cannot be read.
pub type SourceList = Arc<dyn Fn() -> Result<Vec<SourceEntry>, String> + Send + Sync>;

pub(crate) fn routes() -> Router<Arc<App>> {
    Router::new().route("/sources", get(sources))
}

struct SourceRow {
    name: String,
    /// Its address when it is a web address (the text is shown either way).
    href: Option<String>,
    url: String,
    kind: String,
    every: String,
    enabled: bool,
    health: String,
    failing: bool,
}

#[derive(Template)]
#[template(path = "sources.html")]
struct SourcesPage {
    head: crate::head::Head,
    rows: Vec<SourceRow>,
    /// Sources the store has a health for that the configuration no longer lists.
    gone: Vec<SourceRow>,
    problem: Option<String>,
    configured: bool,
}

/// An address as a visitor may see it: without a user name, a password or a query (private
/// feeds carry their tokens there), and whether it had any.
fn public_address(raw: &str) -> (String, bool) {
    let Ok(mut u) = url::Url::parse(raw) else {
        return ("(not an address)".into(), true);
    };
    let secret = !u.username().is_empty() || u.password().is_some() || u.query().is_some();
    let _ = u.set_username("");
    let _ = u.set_password(None);
    if u.query().is_some() {
        u.set_query(None);
        return (format!("{u}?…"), true);
    }
    u.set_fragment(None);
    (u.to_string(), secret)
}

async fn sources(
    State(app): State<Arc<App>>,
    uri: axum::http::Uri,
) -> Result<Response, crate::portal::PageError> {
    let statuses = app.read(|s| s.source_statuses()).await?;
    let mut by_url: HashMap<String, korolev_store::SourceStatus> =
        statuses.into_iter().map(|s| (s.url.clone(), s)).collect();
    let (listed, problem) = match &app.sources {
        Some(read) => match read() {
            Ok(l) => (l, None),
            Err(e) => (Vec::new(), Some(e)),
        },
        None => (Vec::new(), None),
    };
    let t = now();
    let row = |e: &SourceEntry, st: Option<&korolev_store::SourceStatus>| {
        let (shown, secret) = public_address(&e.url);
        let health = st.map_or_else(|| "not fetched yet".into(), |s| s.health(t));
        SourceRow {
            name: e.name.clone(),
            // An address with a secret in it (a private feed's token) is not linked.
            href: (!secret).then(|| web_url(&e.url)).flatten(),
            health: if secret {
                health.replace(&e.url, &shown)
            } else {
                health
            },
            url: shown,
            kind: e.kind.clone(),
            every: humantime::format_duration(e.every).to_string(),
            enabled: e.enabled,
            failing: st.is_some_and(|s| s.last_error.is_some()),
        }
    };
    let rows: Vec<SourceRow> = listed
        .iter()
        .map(|e| {
            let st = by_url.remove(&e.url);
            row(e, st.as_ref())
        })
        .collect();
    let mut gone: Vec<SourceRow> = by_url
        .values()
        .map(|st| {
            let e = SourceEntry {
                name: String::new(),
                url: st.url.clone(),
                kind: String::new(),
                every: Duration::ZERO,
                enabled: false,
            };
            row(&e, Some(st))
        })
        .collect();
    gone.sort_by(|a, b| a.url.cmp(&b.url));
    let head = crate::head::Head::new(
        &app,
        &uri,
        "Sources",
        "The feeds, sitemaps and pages korolev follows, and how each fared when last fetched.",
    );
    let page = render(SourcesPage {
        head,
        rows,
        gone,
        problem,
        configured: app.sources.is_some(),
    })?;
    // Read afresh each time: the configuration changes without the store knowing.
    Ok(([(header::CACHE_CONTROL, "no-store")], page).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_in_addresses_are_not_shown() {
        assert_eq!(
            public_address("https://feeds.example/show.xml"),
            ("https://feeds.example/show.xml".into(), false)
        );
        assert_eq!(
            public_address("https://me:pw@feeds.example/p.xml?token=abc"),
            ("https://feeds.example/p.xml?…".into(), true)
        );
        assert!(public_address("https://me@feeds.example/p.xml").1);
    }
}
