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
use korolev_store::LaunchQuery;
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

/// Launches and people a pages sitemap lists at most (a sitemap holds 50,000 addresses).
const KNOWLEDGE_PAGES: usize = 40_000;

async fn pages(State(app): State<Arc<App>>) -> Result<Response, PageError> {
    let mut locs: Vec<(String, Option<String>)> = vec![(format!("{}/", app.public_url), None)];
    for page in ["expeditions", "launches", "podcasts"] {
        locs.push((address(&app, &[page]), None));
    }
    for x in &app.snapshot().crews.expeditions {
        locs.push((address(&app, &["expeditions", &x.number.to_string()]), None));
    }
    // Every launch and everyone who flew, as the store lists them, a page of each at a time.
    let (launches, people) = app
        .read(|s| {
            let mut launches = Vec::new();
            let mut q = LaunchQuery {
                limit: 1000,
                ..LaunchQuery::default()
            };
            while launches.len() < KNOWLEDGE_PAGES {
                let (total, page) = s.launches(&q)?;
                let got = page.len();
                launches.extend(page.into_iter().map(|(id, _)| id));
                q.offset += got;
                if got == 0 || q.offset as u64 >= total {
                    break;
                }
            }
            let mut people = Vec::new();
            while people.len() < KNOWLEDGE_PAGES {
                let (total, page) = s.entities_page(true, people.len(), 1000)?;
                let got = page.len();
                people.extend(page.into_iter().map(|e| e.id));
                if got == 0 || people.len() as u64 >= total {
                    break;
                }
            }
            Ok((launches, people))
        })
        .await?;
    let people: BTreeSet<String> = people.iter().map(|id| crate::portal::slug(id)).collect();
    for p in &people {
        locs.push((address(&app, &["people", p]), None));
    }
    let launches: BTreeSet<String> = launches.into_iter().collect();
    for id in &launches {
        locs.push((address(&app, &["launches", id]), None));
    }
    Ok(xml(urlset(locs)))
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
