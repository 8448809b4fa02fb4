//! Resolving the addresses a page writes (`/img/a.jpg`, `../b.html`, `//cdn.example/c`)
//! against the page's own URL. Only what metadata needs: no percent-decoding, no IDNA.

/// `href` made absolute against `base`. `None` when `href` is empty or neither is absolute.
pub fn resolve(base: Option<&str>, href: &str) -> Option<String> {
    let href = href.trim();
    if href.is_empty() {
        return None;
    }
    if has_scheme(href) {
        return Some(href.to_string());
    }
    let base = base.map(str::trim).filter(|b| has_scheme(b))?;
    let (scheme, rest) = base.split_once("://")?;
    if let Some(net) = href.strip_prefix("//") {
        return Some(format!("{scheme}://{net}"));
    }
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (host, path) = rest.split_at(host_end);
    if href.starts_with('/') {
        return Some(format!("{scheme}://{host}{href}"));
    }
    let path = path.split(['?', '#']).next().unwrap_or("");
    if href.starts_with('?') {
        return Some(format!("{scheme}://{host}{path}{href}"));
    }
    if href.starts_with('#') {
        return Some(format!("{scheme}://{host}{path}{href}"));
    }
    // Relative path: drop the base's last segment, then apply `.` and `..`.
    let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
    let mut segments: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    let (href_path, suffix) = match href.find(['?', '#']) {
        Some(i) => href.split_at(i),
        None => (href, ""),
    };
    let parts: Vec<&str> = href_path.split('/').collect();
    for (i, part) in parts.iter().enumerate() {
        match *part {
            "." => {}
            ".." => {
                segments.pop();
            }
            "" if i + 1 < parts.len() => {}
            p => segments.push(p),
        }
    }
    let trailing = if matches!(parts.last(), Some(&".") | Some(&"..")) {
        "/"
    } else {
        ""
    };
    Some(format!(
        "{scheme}://{host}/{}{trailing}{suffix}",
        segments.join("/")
    ))
}

/// Whether `s` is an absolute `http` or `https` URL with a host.
pub fn is_web_url(s: &str) -> bool {
    let Some((scheme, rest)) = s.trim().split_once("://") else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https")
        && !host.is_empty()
        && !host.contains(char::is_whitespace)
}

fn has_scheme(s: &str) -> bool {
    let Some((scheme, _)) = s.split_once("://") else {
        return false;
    };
    !scheme.is_empty()
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

#[cfg(test)]
mod tests {
    use super::resolve;

    #[test]
    fn resolves_like_a_browser() {
        let base = Some("https://example.org/news/2025/04/launch.html?x=1");
        let r = |h: &str| resolve(base, h);
        assert_eq!(
            r("https://cdn.example/a.jpg").as_deref(),
            Some("https://cdn.example/a.jpg")
        );
        assert_eq!(
            r("//cdn.example/a.jpg").as_deref(),
            Some("https://cdn.example/a.jpg")
        );
        assert_eq!(
            r("/img/a.jpg").as_deref(),
            Some("https://example.org/img/a.jpg")
        );
        assert_eq!(
            r("a.jpg").as_deref(),
            Some("https://example.org/news/2025/04/a.jpg")
        );
        assert_eq!(
            r("../../b.html#top").as_deref(),
            Some("https://example.org/news/b.html#top")
        );
        assert_eq!(r("../../../../c").as_deref(), Some("https://example.org/c"));
        assert_eq!(
            r("?page=2").as_deref(),
            Some("https://example.org/news/2025/04/launch.html?page=2")
        );
        assert_eq!(resolve(None, "/img/a.jpg"), None);
        assert_eq!(resolve(Some("not a url"), "a"), None);
        assert_eq!(r("  "), None);
    }
}
