//! Podcasts: the episodes that feeds list with audio, on `/podcasts` and on the pages of the
//! article, person and expedition they tell of. The audio is played by the browser's own
//! `<audio>` element from where the feed says it is; only http(s) addresses are given out.

use crate::portal::{day_name, number, render, PageResult};
use crate::{web_url, ApiError, App};
use askama::Template;
use axum::extract::{RawQuery, State};
use axum::routing::get;
use axum::Router;
use korolev_facts::when;
use korolev_store::Episode;
use std::sync::Arc;

/// Episodes on one page of `/podcasts`.
const PER_PAGE: usize = 20;
/// Episodes shown on an entity's page.
pub(crate) const ON_ENTITY_PAGE: usize = 5;

pub(crate) fn routes() -> Router<Arc<App>> {
    Router::new().route("/podcasts", get(podcasts))
}

/// An episode as the templates show it.
pub(crate) struct EpisodeRow {
    pub(crate) title: String,
    /// The article korolev read from its page, else the page at its source.
    pub(crate) href: Option<String>,
    pub(crate) audio: String,
    pub(crate) media_type: Option<String>,
    pub(crate) date: String,
    pub(crate) iso: String,
    pub(crate) duration: Option<String>,
    pub(crate) site: Option<String>,
}

/// "1 h 05 min", "31 min", "45 s".
fn duration_label(secs: u64) -> String {
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    match (h, m) {
        (0, 0) => format!("{s} s"),
        (0, m) => format!("{m} min"),
        (h, m) => format!("{h} h {m:02} min"),
    }
}

/// The rows of `episodes`; one whose audio is not an http(s) address is left out.
pub(crate) fn episode_rows(episodes: &[Episode]) -> Vec<EpisodeRow> {
    episodes
        .iter()
        .filter_map(|e| {
            let audio = web_url(&e.audio_url)?;
            let page = web_url(&e.page_url);
            let site = page
                .as_deref()
                .and_then(|p| url::Url::parse(p).ok())
                .and_then(|u| {
                    u.host_str()
                        .map(|h| h.trim_start_matches("www.").to_string())
                });
            Some(EpisodeRow {
                title: e.title.clone(),
                href: e.article.map(|n| format!("/articles/{n}")).or(page),
                audio,
                media_type: e.audio_type.clone(),
                date: if e.dated {
                    day_name(e.published)
                } else {
                    format!("first heard {}", day_name(e.published))
                },
                iso: when::iso_utc(e.published),
                duration: e.duration.filter(|d| *d > 0).map(duration_label),
                site,
            })
        })
        .collect()
}

#[derive(Template)]
#[template(path = "podcasts.html")]
struct PodcastsPage {
    head: crate::head::Head,
    episodes: Vec<EpisodeRow>,
    total: u64,
    first: usize,
    last: usize,
    newer: Option<String>,
    older: Option<String>,
}

async fn podcasts(
    State(app): State<Arc<App>>,
    uri: axum::http::Uri,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let pairs = crate::snapi::pairs(raw.as_deref())?;
    let page: usize = match pairs.iter().find(|(k, _)| k == "page") {
        Some((_, v)) => number("page number", v, |p: &usize| (1..=100_000).contains(p))?,
        None => 1,
    };
    let offset = (page - 1) * PER_PAGE;
    let (total, episodes) = app.read(move |s| s.episodes(offset, PER_PAGE)).await?;
    if episodes.is_empty() && page > 1 {
        return Err(ApiError::not_found(format!("There is no page {page} of podcasts.")).into());
    }
    let shown = episodes.len();
    let head = crate::head::Head::new(
        &app,
        &uri,
        "Podcasts",
        &format!("{total} podcast episodes about spaceflight from the feeds korolev follows."),
    );
    render(PodcastsPage {
        head,
        episodes: episode_rows(&episodes),
        total,
        first: offset + 1,
        last: offset + shown,
        newer: (page > 1).then(|| format!("/podcasts?page={}", page - 1)),
        older: ((offset + shown) < total as usize).then(|| format!("/podcasts?page={}", page + 1)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_people_say_them() {
        assert_eq!(duration_label(45), "45 s");
        assert_eq!(duration_label(31 * 60 + 5), "31 min");
        assert_eq!(duration_label(3600 + 5 * 60), "1 h 05 min");
    }

    #[test]
    fn only_web_audio_is_given_out() {
        let e = Episode {
            audio_url: "javascript:alert(1)".into(),
            page_url: "https://a.example/1".into(),
            title: "T".into(),
            ..Episode::default()
        };
        assert!(episode_rows(std::slice::from_ref(&e)).is_empty());
        let ok = Episode {
            audio_url: "https://cdn.example/1.mp3".into(),
            page_url: "javascript:x".into(),
            ..e
        };
        let rows = episode_rows(&[ok]);
        assert_eq!(rows[0].audio, "https://cdn.example/1.mp3");
        assert_eq!(rows[0].href, None);
    }
}
