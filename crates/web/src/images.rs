//! Articles' lead images on the portal: whether they are shown, and which addresses a reader's
//! browser is sent to for them.

/// How the portal shows articles' lead images.
use crate::error::ApiError;
use crate::portal::PageError;
use crate::App;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Images {
    /// From where the page said they are, as SNAPI's `image_url` is.
    #[default]
    Linked,
    /// Only the copies the fetcher kept (`[fetch] keep_images`), from `/images/KEY`.
    Cached,
    /// Not at all.
    Off,
}

impl std::str::FromStr for Images {
    type Err = String;

    fn from_str(s: &str) -> Result<Images, String> {
        match s {
            "linked" => Ok(Images::Linked),
            "cached" => Ok(Images::Cached),
            "off" => Ok(Images::Off),
            other => Err(format!("{other:?}: give linked, cached or off")),
        }
    }
}

/// The address a reader's browser may be sent to for a page's image `url`, on a portal whose
/// public address is `portal`: an absolute http(s) URL that [`korolev_fetch::may_follow`]
/// allows from the portal's address (not on a name reserved never to resolve; not on a
/// loopback or private address, which would point each reader at their own machine or
/// network, unless the portal itself is served from one).
/// On an https portal an http image is asked for over https, as browsers would upgrade it.
pub(crate) fn linked(url: &str, portal: &str) -> Option<String> {
    let mut u = url::Url::parse(&crate::web_url(url)?).ok()?;
    let portal = url::Url::parse(portal).ok();
    if !korolev_fetch::may_follow(&u, portal.as_ref()) {
        return None;
    }
    if u.scheme() == "http" && portal.as_ref().is_some_and(|p| p.scheme() == "https") {
        u.set_scheme("https").ok()?;
    }
    Some(u.to_string())
}

/// `/images/KEY`: a kept copy of a lead image, with the type its bytes were found to be.
pub(crate) async fn kept(
    State(app): State<Arc<App>>,
    Path(key): Path<String>,
) -> Result<Response, PageError> {
    let well_formed = key.len() == 32 && key.bytes().all(|b| b.is_ascii_hexdigit());
    let copy = if well_formed && app.images == Images::Cached {
        app.read(move |s| s.image_by_key(&key)).await?
    } else {
        None
    };
    let Some(copy) = copy else {
        return Err(PageError(ApiError::not_found(
            "No such image is kept here.",
        )));
    };
    Ok((
        [
            (header::CONTENT_TYPE, copy.media_type),
            (header::CACHE_CONTROL, "public, max-age=86400".to_string()),
        ],
        copy.bytes,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const PUBLIC: &str = "https://news.korolev.space";

    #[test]
    fn images_on_the_web_are_linked_in_normal_form() {
        assert_eq!(
            linked("https://www.nasa.gov/wp-content/a b.jpg", PUBLIC).as_deref(),
            Some("https://www.nasa.gov/wp-content/a%20b.jpg")
        );
        assert!(linked("http://img.example.co.uk/x.png", PUBLIC).is_some());
        assert!(linked("https://myexample.com/x.png", PUBLIC).is_some());
    }

    #[test]
    fn what_is_not_on_the_web_is_not_linked() {
        for url in [
            "javascript:alert(1)",
            "data:image/png;base64,AAAA",
            "/img/lead.jpg",
            "https://lowobitdaily.example.com/img/a.jpg",
            "https://example.org/a.jpg",
            "http://cdn.site.test/a.jpg",
            "http://a.invalid/a.jpg",
            "http://127.0.0.1:8080/a.png",
            "http://192.168.1.1/a.png",
            "http://10.0.0.7/a.png",
            "http://[::1]/a.png",
            "http://[fd00::1]/a.png",
            "http://localhost/a.png",
        ] {
            assert_eq!(linked(url, PUBLIC), None, "{url}");
        }
    }

    #[test]
    fn an_https_portal_asks_for_its_images_over_https() {
        assert_eq!(
            linked("http://img.site.ru/a.jpg", PUBLIC).as_deref(),
            Some("https://img.site.ru/a.jpg")
        );
        assert_eq!(
            linked("http://img.site.ru/a.jpg", "http://news.site.ru").as_deref(),
            Some("http://img.site.ru/a.jpg")
        );
    }

    #[test]
    fn a_portal_served_locally_links_local_images() {
        let portal = "http://127.0.0.1:8080";
        assert!(linked("http://127.0.0.1:9000/a.png", portal).is_some());
        assert!(linked("http://192.168.1.1/a.png", portal).is_some());
        assert_eq!(linked("https://x.example.com/a.png", portal), None);
    }

    #[test]
    fn the_setting_is_read_by_its_names() {
        assert_eq!("linked".parse(), Ok(Images::Linked));
        assert_eq!("cached".parse(), Ok(Images::Cached));
        assert_eq!("off".parse(), Ok(Images::Off));
        let wrong = "copied".parse::<Images>();
        assert!(
            matches!(&wrong, Err(e) if e.contains("linked, cached or off")),
            "{wrong:?}"
        );
    }
}
