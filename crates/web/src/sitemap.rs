//! What crawlers ask of a site: `robots.txt` (everything may be read but the search results,
//! and where the sitemap is) and the sitemap itself, paged as the protocol asks of a large
//! site: `/sitemap.xml` is an index of `/sitemap/pages.xml` (the portal's pages, expeditions,
//! people and launches) and of `/sitemap/articles-N.xml`, each holding the articles numbered
//! `(N-1)·ARTICLES_PER_FILE + 1 ..= N·ARTICLES_PER_FILE`, so that every file is one range of
//! the article index however large the store.

use crate::portal::PageError;
use crate::{ApiError, App};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use korolev_facts::when;
use std::collections::BTreeSet;
use std::fmt::Write;
use std::sync::Arc;

/// Articles in one sitemap file (the protocol allows 50,000 and 50 MB).
pub(crate) const ARTICLES_PER_FILE: i64 = 10_000;

pub(crate) fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/robots.txt", get(robots))
        .route("/sitemap.xml", get(index))
        .route("/sitemap/pages.xml", get(pages))
        .route("/sitemap/{file}", get(articles))
}

fn xml(body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/xml; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

async fn robots(State(app): State<Arc<App>>) -> Response {
    let body = format!(
        "User-agent: *\nDisallow: /search\nDisallow: /api/v1/search\n\nSitemap: {}/sitemap.xml\n",
        app.public_url
    );
    (
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        body,
    )
        .into_response()
}

/// `&`, `<`, `>`, quotes: what an address may hold that XML text may not.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// `segments` under the public address, each percent-encoded as a path segment.
fn address(app: &App, segments: &[&str]) -> String {
    let mut out = app.public_url.clone();
    for s in segments {
        out.push('/');
        out.extend(url::form_urlencoded::byte_serialize(s.as_bytes()));
    }
    // form encoding writes a space as '+', which in a path is a plus: write it as %20.
    out.replace('+', "%20")
}

async fn index(State(app): State<Arc<App>>) -> Result<Response, PageError> {
    let max = app.read(|s| s.news_max_id()).await?;
    let files = (max + ARTICLES_PER_FILE - 1) / ARTICLES_PER_FILE;
    let mut body = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let _ = writeln!(
        body,
        "<sitemap><loc>{}</loc></sitemap>",
        escape(&address(&app, &["sitemap", "pages.xml"]))
    );
    for n in 1..=files {
        let _ = writeln!(
            body,
            "<sitemap><loc>{}</loc></sitemap>",
            escape(&address(&app, &["sitemap", &format!("articles-{n}.xml")]))
        );
    }
    body.push_str("</sitemapindex>\n");
    Ok(xml(body))
}

fn urlset(locs: impl IntoIterator<Item = (String, Option<String>)>) -> String {
    let mut body = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (loc, modified) in locs {
        let _ = write!(body, "<url><loc>{}</loc>", escape(&loc));
        if let Some(m) = modified {
            let _ = write!(body, "<lastmod>{m}</lastmod>");
        }
        body.push_str("</url>\n");
    }
    body.push_str("</urlset>\n");
    body
}

async fn pages(State(app): State<Arc<App>>) -> Response {
    let snap = app.snapshot();
    let k = &snap.crews;
    let mut locs: Vec<(String, Option<String>)> = vec![(format!("{}/", app.public_url), None)];
    for page in ["expeditions", "launches", "podcasts"] {
        locs.push((address(&app, &[page]), None));
    }
    let mut people = BTreeSet::new();
    for x in &k.expeditions {
        locs.push((address(&app, &["expeditions", &x.number.to_string()]), None));
        for seat in &x.crew {
            people.insert(
                seat.person
                    .rsplit('/')
                    .next()
                    .unwrap_or(&seat.person)
                    .to_string(),
            );
        }
    }
    for p in &people {
        locs.push((address(&app, &["people", p]), None));
    }
    for (id, _) in k.launches() {
        locs.push((address(&app, &["launches", &id]), None));
    }
    xml(urlset(locs))
}

async fn articles(
    State(app): State<Arc<App>>,
    Path(file): Path<String>,
) -> Result<Response, PageError> {
    let n: i64 = file
        .strip_prefix("articles-")
        .and_then(|f| f.strip_suffix(".xml"))
        .and_then(|n| n.parse().ok())
        .filter(|n| *n >= 1 && *n <= i64::MAX / ARTICLES_PER_FILE)
        .ok_or_else(|| ApiError::not_found(format!("There is no sitemap {file:?}.")))?;
    let first = (n - 1) * ARTICLES_PER_FILE + 1;
    let last = n * ARTICLES_PER_FILE;
    let (max, stamps) = app
        .read(move |s| Ok((s.news_max_id()?, s.news_stamps(first, last)?)))
        .await?;
    if first > max {
        return Err(ApiError::not_found(format!("There is no sitemap {file:?}.")).into());
    }
    let locs = stamps.into_iter().map(|(id, updated)| {
        (
            address(&app, &["articles", &id.to_string()]),
            Some(when::iso_utc(updated)),
        )
    });
    Ok(xml(urlset(locs)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_escaped_for_xml() {
        assert_eq!(escape("a&b<c>\"'"), "a&amp;b&lt;c&gt;&quot;&apos;");
    }
}
