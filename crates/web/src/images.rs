//! Articles' lead images on the portal: whether they are shown, and which addresses a reader's
//! browser is sent to for them.

use std::net::IpAddr;

/// How the portal shows articles' lead images.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Images {
    /// From where the page said they are, as SNAPI's `image_url` is.
    #[default]
    Linked,
    /// Not at all.
    Off,
}

impl std::str::FromStr for Images {
    type Err = String;

    fn from_str(s: &str) -> Result<Images, String> {
        match s {
            "linked" => Ok(Images::Linked),
            "off" => Ok(Images::Off),
            other => Err(format!("{other:?}: give linked or off")),
        }
    }
}

/// The address a reader's browser may be sent to for a page's image `url`, on a portal whose
/// public address is `portal`: an absolute http(s) URL whose host can be reached from the web.
/// Names that are reserved never to resolve (`example.com`, `.test`, `.invalid`, …) give none,
/// and so do loopback and private addresses, which would point each reader at their own
/// machine or network — unless the portal itself is served from one (a local deployment).
pub(crate) fn linked(url: &str, portal: &str) -> Option<String> {
    let u = url::Url::parse(&crate::web_url(url)?).ok()?;
    let local = |u: &url::Url| match u.host() {
        Some(url::Host::Ipv4(ip)) => is_local(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => is_local(IpAddr::V6(ip)),
        Some(url::Host::Domain(name)) => name == "localhost" || name.ends_with(".localhost"),
        None => false,
    };
    if let Some(url::Host::Domain(name)) = u.host() {
        if never_resolves(name) {
            return None;
        }
    }
    if local(&u) && !url::Url::parse(portal).is_ok_and(|p| local(&p)) {
        return None;
    }
    Some(u.to_string())
}

/// Loopback, private, link-local and unspecified addresses.
fn is_local(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            v4.is_loopback() || v4.is_private() || v4.is_link_local() || v4.is_unspecified()
        }
        IpAddr::V6(v6) => {
            v6.is_loopback()
                || v6.is_unspecified()
                // Unique local (fc00::/7) and link-local (fe80::/10).
                || (v6.segments()[0] & 0xfe00) == 0xfc00
                || (v6.segments()[0] & 0xffc0) == 0xfe80
                || v6.to_ipv4_mapped().is_some_and(|v4| is_local(IpAddr::V4(v4)))
        }
    }
}

/// Names reserved for examples and tests (RFC 2606, RFC 6761): no image is ever there.
fn never_resolves(name: &str) -> bool {
    let name = name.trim_end_matches('.');
    let tld = name.rsplit('.').next().unwrap_or(name);
    if matches!(tld, "test" | "example" | "invalid") {
        return true;
    }
    ["example.com", "example.net", "example.org"]
        .iter()
        .any(|d| name == *d || name.strip_suffix(d).is_some_and(|rest| rest.ends_with('.')))
}

#[cfg(test)]
mod tests {
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
    fn a_portal_served_locally_links_local_images() {
        let portal = "http://127.0.0.1:8080";
        assert!(linked("http://127.0.0.1:9000/a.png", portal).is_some());
        assert!(linked("http://192.168.1.1/a.png", portal).is_some());
        assert_eq!(linked("https://x.example.com/a.png", portal), None);
    }

    #[test]
    fn the_setting_is_read_by_its_names() {
        assert_eq!("linked".parse(), Ok(Images::Linked));
        assert_eq!("off".parse(), Ok(Images::Off));
        let wrong = "cached".parse::<Images>();
        assert!(
            matches!(&wrong, Err(e) if e.contains("linked or off")),
            "{wrong:?}"
        );
    }
}
