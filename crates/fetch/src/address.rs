//! Which addresses named by a scraped page may be followed: by the fetcher (a page's lead
//! image) or by a reader's browser (an image the portal links to).

use std::net::IpAddr;

/// Whether `target`, named by a page or shown by a portal at `base`, may be asked for: never
/// on a name reserved never to resolve (`example.com`, `.test`, `.invalid`, RFC 2606 and
/// 6761), and on a local address (loopback, private, link-local, a name only a local network
/// resolves) only when `base` is on the loopback itself — a page from the web must not make
/// korolev, or a reader's browser, ask its own machine or network for something.
pub fn may_follow(target: &url::Url, base: Option<&url::Url>) -> bool {
    if let Some(url::Host::Domain(name)) = target.host() {
        if never_resolves(name) {
            return false;
        }
    }
    !is_local(target) || base.is_some_and(is_loopback)
}

/// Whether `u` is on a local address: loopback, private, shared (carrier-grade NAT),
/// link-local, unspecified, broadcast or multicast, or a name that only a local network
/// resolves (one label, `.local`, `.lan`, `.internal`, `.home.arpa`, `localhost`).
pub fn is_local(u: &url::Url) -> bool {
    match u.host() {
        Some(url::Host::Ipv4(ip)) => local_ip(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => local_ip(IpAddr::V6(ip)),
        Some(url::Host::Domain(name)) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            !name.contains('.')
                || [".localhost", ".local", ".lan", ".internal", ".home.arpa"]
                    .iter()
                    .any(|suffix| name.ends_with(suffix))
        }
        None => false,
    }
}

/// Whether `u` is on this machine: a loopback address or `localhost`.
fn is_loopback(u: &url::Url) -> bool {
    match u.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost" || name.ends_with(".localhost")
        }
        None => false,
    }
}

fn local_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || a == 0
                // Shared address space (100.64.0.0/10) and benchmarking (198.18.0.0/15).
                || (a == 100 && (64..128).contains(&b))
                || (a == 198 && (18..20).contains(&b))
        }
        IpAddr::V6(v6) => {
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                // Unique local (fc00::/7) and link-local (fe80::/10).
                || (v6.segments()[0] & 0xfe00) == 0xfc00
                || (v6.segments()[0] & 0xffc0) == 0xfe80
                || v6.to_ipv4_mapped().is_some_and(|v4| local_ip(IpAddr::V4(v4)))
        }
    }
}

/// Names reserved for examples and tests: nothing is ever there.
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
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn url(s: &str) -> url::Url {
        url::Url::parse(s).unwrap()
    }

    #[test]
    fn reserved_names_are_never_followed() {
        for s in [
            "https://lowobitdaily.example.com/a.jpg",
            "https://example.org/a.jpg",
            "http://cdn.site.test/a.jpg",
            "http://a.invalid/a.jpg",
            "http://a.example./a.jpg",
        ] {
            assert!(
                !may_follow(&url(s), Some(&url("http://127.0.0.1:8080"))),
                "{s}"
            );
        }
        assert!(may_follow(&url("https://myexample.com/x.png"), None));
        assert!(may_follow(&url("https://example.com.au/x.png"), None));
    }

    #[test]
    fn local_addresses_are_followed_only_from_local_ones() {
        let web = url("https://www.nasa.gov/news/");
        let here = url("http://127.0.0.1:9000/news/");
        for s in [
            "http://127.0.0.1:8080/a.png",
            "http://192.168.1.1/a.png",
            "http://10.0.0.7/a.png",
            "http://169.254.169.254/latest/meta-data",
            "http://[::1]/a.png",
            "http://[fd00::1]/a.png",
            "http://[::ffff:10.0.0.1]/a.png",
            "http://localhost/a.png",
            "http://localhost./a.png",
            "http://0.0.0.0/a.png",
            "http://100.64.0.1/a.png",
            "http://224.0.0.1/a.png",
            "http://router/a.png",
            "http://nas.local/a.png",
            "http://printer.home.arpa/a.png",
            "http://build.internal/a.png",
        ] {
            assert!(!may_follow(&url(s), Some(&web)), "{s}");
            assert!(!may_follow(&url(s), None), "{s}");
            assert!(may_follow(&url(s), Some(&here)), "{s}");
        }
        assert!(may_follow(
            &url("https://images.nasa.gov/a.jpg"),
            Some(&web)
        ));
        // A portal bound to every address, or on a private one, is not on the reader's machine.
        for base in ["http://0.0.0.0:8080/", "http://192.168.1.5:8080/"] {
            assert!(
                !may_follow(&url("http://192.168.1.1/a.png"), Some(&url(base))),
                "{base}"
            );
        }
    }
}
