//! What a source lists: the items of a feed (RSS 0.9x/1.0/2.0, Atom, JSON Feed, by feed-rs)
//! and the addresses of a sitemap, a sitemap index or a Google News sitemap (by quick-xml),
//! each with what it says of its page. Only http(s) addresses are kept, resolved against the
//! listing's own address and without their fragment.

use korolev_extract::PartialDate;

/// Addresses one sitemap may list, at most (the sitemap protocol's own limit).
pub const SITEMAP_URLS: usize = 50_000;

/// A page a listing names.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Item {
    pub url: String,
    pub title: Option<String>,
    pub published: Option<PartialDate>,
    /// When the listing says the page last changed (unix seconds): a page fetched before is
    /// fetched again when this is later.
    pub updated: Option<i64>,
    pub authors: Vec<String>,
    pub image: Option<String>,
    /// An audio enclosure: the item is a podcast episode.
    pub audio: Option<Audio>,
}

/// A feed item's audio enclosure.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Audio {
    pub url: String,
    /// Its media type, as the feed gives it.
    pub media_type: Option<String>,
    /// Its length in seconds (`itunes:duration`, `media:content duration`).
    pub seconds: Option<u64>,
    /// When the item was published (unix seconds), else updated.
    pub published: Option<i64>,
}

/// What a sitemap document is.
#[derive(Debug, PartialEq)]
pub enum Sitemap {
    /// A sitemap index: the addresses of its sitemaps.
    Index(Vec<String>),
    /// The pages of a sitemap.
    Pages(Vec<Item>),
}

/// An http(s) address, absolute against `base`, without its fragment.
pub fn web_url(href: &str, base: &url::Url) -> Option<url::Url> {
    let mut u = base.join(href.trim()).ok()?;
    if !matches!(u.scheme(), "http" | "https") || u.host_str().is_none() {
        return None;
    }
    u.set_fragment(None);
    Some(u)
}

fn unix(t: chrono::DateTime<chrono::Utc>) -> i64 {
    t.timestamp()
}

fn day_of(t: chrono::DateTime<chrono::Utc>) -> Option<PartialDate> {
    PartialDate::parse_iso(&t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

/// The items of a feed, in the feed's order; an error says why it is not a feed.
pub fn feed_items(bytes: &[u8], base: &url::Url) -> Result<Vec<Item>, String> {
    let feed = feed_rs::parser::Builder::new()
        .base_uri(Some(base.as_str()))
        .build()
        .parse(bytes)
        .map_err(|e| format!("not a feed: {e}"))?;
    let durations = itunes_durations(bytes, base);
    let mut out = Vec::new();
    for e in feed.entries {
        // The page an entry is about: its alternate link, else its first one.
        let link = e
            .links
            .iter()
            .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
            .or_else(|| e.links.first());
        let Some(url) = link.and_then(|l| web_url(&l.href, base)) else {
            continue;
        };
        let image = e
            .media
            .iter()
            .flat_map(|m| m.thumbnails.iter().map(|t| t.image.uri.as_str()))
            .chain(e.media.iter().flat_map(|m| {
                m.content
                    .iter()
                    .filter(|c| c.content_type.as_ref().is_some_and(|t| t.ty() == "image"))
                    .filter_map(|c| c.url.as_ref().map(url::Url::as_str))
            }))
            .find_map(|u| web_url(u, base))
            .map(String::from);
        let audio = e.media.iter().find_map(|m| {
            m.content.iter().find_map(|c| {
                let kind = c.content_type.as_ref().filter(|t| t.ty() == "audio")?;
                let at = c.url.as_ref().and_then(|u| web_url(u.as_str(), base))?;
                let written = durations.get(at.as_str()).and_then(|t| clock_seconds(t));
                Some(Audio {
                    seconds: written.or(c.duration.or(m.duration).map(|d| d.as_secs())),
                    url: at.to_string(),
                    media_type: Some(kind.essence().to_string()),
                    published: e.published.or(e.updated).map(unix),
                })
            })
        });
        out.push(Item {
            url: url.to_string(),
            title: e.title.map(|t| t.content.trim().to_string()),
            published: e.published.or(e.updated).and_then(day_of),
            updated: e.updated.or(e.published).map(unix),
            authors: e.authors.into_iter().map(|p| p.name).collect(),
            image,
            audio,
        });
    }
    Ok(out)
}

/// `itunes:duration` as podcasts write it: seconds, `M:SS`, `MM:SS`, `H:MM:SS`.
fn clock_seconds(text: &str) -> Option<u64> {
    let parts: Vec<&str> = text.trim().split(':').collect();
    if parts.len() > 3 || parts.iter().any(|p| p.is_empty()) {
        return None;
    }
    let mut secs = 0u64;
    for (i, p) in parts.iter().enumerate() {
        // Seconds may carry a fraction; the other parts are whole.
        let whole = if i + 1 == parts.len() {
            p.split('.').next()?
        } else {
            p
        };
        let n: u64 = whole.parse().ok()?;
        if i > 0 && n >= 60 {
            return None;
        }
        secs = secs.checked_mul(60)?.checked_add(n)?;
    }
    Some(secs)
}

/// Each RSS item's `itunes:duration` text, by its enclosure's address: feed-rs reads
/// `MM:SS` as seconds, and most podcasts write that.
fn itunes_durations(bytes: &[u8], base: &url::Url) -> std::collections::HashMap<String, String> {
    use quick_xml::events::Event;
    let mut out = std::collections::HashMap::new();
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut buf = Vec::new();
    let (mut enclosure, mut duration, mut in_duration) = (None::<String>, None::<String>, false);
    loop {
        let event = reader.read_event_into(&mut buf);
        // An element that opens: an empty one (`<itunes:duration/>`) holds no text to read.
        let (e, opens) = match &event {
            Ok(Event::Start(e)) => (Some(e), true),
            Ok(Event::Empty(e)) => (Some(e), false),
            _ => (None, false),
        };
        if let Some(e) = e {
            let name = e.name();
            let local = name.local_name();
            if local.as_ref() == b"item" {
                (enclosure, duration) = (None, None);
            } else if local.as_ref() == b"enclosure"
                && name.prefix().is_none()
                && enclosure.is_none()
            {
                // The first enclosure, as feed-rs's audio is the first.
                enclosure = e.try_get_attribute("url").ok().flatten().map(|a| {
                    let raw = String::from_utf8_lossy(&a.value).into_owned();
                    quick_xml::escape::unescape(&raw).map_or(raw.clone(), |v| v.into_owned())
                });
            } else if local.as_ref() == b"duration"
                && name.prefix().is_some_and(|p| p.as_ref() == b"itunes")
            {
                in_duration = opens;
            }
        }
        match event {
            Ok(Event::Text(t)) if in_duration => {
                duration = t.xml10_content().ok().map(|v| v.into_owned());
            }
            Ok(Event::End(e)) => {
                let name = e.name();
                if name.local_name().as_ref() == b"duration" {
                    in_duration = false;
                } else if name.local_name().as_ref() == b"item" {
                    if let (Some(u), Some(d)) = (enclosure.take(), duration.take()) {
                        if let Some(u) = web_url(&u, base) {
                            out.insert(u.to_string(), d);
                        }
                    }
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    out
}

/// A sitemap's `lastmod` or a news sitemap's `publication_date` (W3C datetime: a day, or a
/// time with its zone) as unix seconds.
fn w3c_time(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(t.timestamp());
    }
    // A time without seconds, as the W3C profile allows: 2026-11-30T10:00+00:00.
    if let Ok(t) = chrono::DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M%:z") {
        return Some(t.timestamp());
    }
    let day = chrono::NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()?;
    Some(day.and_hms_opt(0, 0, 0)?.and_utc().timestamp())
}

/// Reads a sitemap or a sitemap index (the XML; a gzipped one is unpacked by the caller).
pub fn sitemap(bytes: &[u8], base: &url::Url) -> Result<Sitemap, String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut buf = Vec::new();
    let mut index = None::<bool>;
    let (mut pages, mut maps) = (Vec::new(), Vec::new());
    // The element whose text is being read, and the entry being built.
    let mut field: Option<Vec<u8>> = None;
    let mut entry: Option<Item> = None;
    let mut loc = String::new();
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| format!("not a sitemap: {e}"))?;
        match event {
            Event::Start(e) => {
                let name = e.local_name().as_ref().to_ascii_lowercase();
                match name.as_slice() {
                    b"urlset" => index = index.or(Some(false)),
                    b"sitemapindex" => index = index.or(Some(true)),
                    b"url" | b"sitemap" => {
                        entry = Some(Item::default());
                        loc.clear();
                    }
                    _ => {}
                }
                field = Some(name);
            }
            Event::Text(t) => {
                let (Some(f), Some(item)) = (field.as_deref(), entry.as_mut()) else {
                    continue;
                };
                let text = t
                    .xml10_content()
                    .map_err(|e| format!("not a sitemap: {e}"))?;
                take_field(f, &text, item, &mut loc);
            }
            Event::CData(t) => {
                let (Some(f), Some(item)) = (field.as_deref(), entry.as_mut()) else {
                    continue;
                };
                let text = String::from_utf8_lossy(&t).into_owned();
                take_field(f, &text, item, &mut loc);
            }
            Event::End(e) => {
                field = None;
                let name = e.local_name().as_ref().to_ascii_lowercase();
                if matches!(name.as_slice(), b"url" | b"sitemap") {
                    let Some(mut item) = entry.take() else {
                        continue;
                    };
                    let Some(u) = web_url(&loc, base) else {
                        continue;
                    };
                    if name == b"sitemap" {
                        if maps.len() < SITEMAP_URLS {
                            maps.push(u.to_string());
                        }
                    } else if pages.len() < SITEMAP_URLS {
                        item.url = u.to_string();
                        pages.push(item);
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    match index {
        Some(true) => Ok(Sitemap::Index(maps)),
        Some(false) => Ok(Sitemap::Pages(pages)),
        None => Err("not a sitemap: no <urlset> or <sitemapindex>".into()),
    }
}

/// Keeps the text of a sitemap entry's element `field`.
fn take_field(field: &[u8], text: &str, item: &mut Item, loc: &mut String) {
    let text = text.trim();
    match field {
        b"loc" => loc.push_str(text),
        b"lastmod" => item.updated = w3c_time(text).or(item.updated),
        // Google News sitemaps: <news:publication_date>, <news:title>.
        b"publication_date" => {
            item.published = PartialDate::parse_iso(text).or(item.published);
            item.updated = item.updated.or(w3c_time(text));
        }
        b"title" if !text.is_empty() => item.title = Some(text.to_string()),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn base() -> url::Url {
        url::Url::parse("http://news.example/feeds/all.xml").unwrap()
    }

    #[test]
    fn a_feed_gives_its_items_with_absolute_addresses() {
        let rss = br#"<?xml version="1.0"?><rss version="2.0"
              xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><title>T</title>
            <item><title> One </title><link>/a/1#top</link><pubDate>Mon, 30 Nov 2026 10:00:00 GMT</pubDate>
              <enclosure url="/ep1.mp3" type="audio/mpeg" length="1"/>
              <itunes:duration>31:05</itunes:duration></item>
            <item><title>Bad</title><link>javascript:alert(1)</link></item>
            </channel></rss>"#;
        let items = feed_items(rss, &base()).unwrap();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].url, "http://news.example/a/1");
        assert_eq!(items[0].title.as_deref(), Some("One"));
        assert_eq!(
            items[0].published.unwrap().to_string(),
            "2026-11-30T10:00:00Z"
        );
        let audio = items[0].audio.clone().unwrap();
        assert_eq!(audio.url, "http://news.example/ep1.mp3");
        assert_eq!(audio.media_type.as_deref(), Some("audio/mpeg"));
        assert_eq!(audio.seconds, Some(31 * 60 + 5));
        assert_eq!(audio.published, Some(1_796_032_800));
        assert!(feed_items(b"<html><body>no</body></html>", &base()).is_err());
    }

    #[test]
    fn an_empty_duration_reads_no_text_and_the_first_enclosure_has_it() {
        let rss = br#"<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel>
            <item><title>A</title><link>/a</link><enclosure url="/a.mp3" type="audio/mpeg"/>
              <itunes:duration/><description>1969</description></item>
            <item><title>B</title><link>/b</link><enclosure url="/b.mp3" type="audio/mpeg"/>
              <enclosure url="/b2.mp3" type="audio/mpeg"/><itunes:duration>2:00</itunes:duration></item>
            </channel></rss>"#;
        let d = itunes_durations(rss, &base());
        assert_eq!(d.get("http://news.example/a.mp3"), None);
        assert_eq!(
            d.get("http://news.example/b.mp3").map(String::as_str),
            Some("2:00")
        );
    }

    #[test]
    fn podcast_durations_read_as_clocks_or_seconds() {
        assert_eq!(clock_seconds("1:02:03"), Some(3723));
        assert_eq!(clock_seconds("41:05"), Some(2465));
        assert_eq!(clock_seconds("5:07"), Some(307));
        assert_eq!(clock_seconds("1800"), Some(1800));
        assert_eq!(clock_seconds("12.5"), Some(12));
        for bad in ["", "1:61", "a:b", "1::2", "1:2:3:4"] {
            assert_eq!(clock_seconds(bad), None, "{bad}");
        }
    }

    #[test]
    fn sitemaps_and_indexes_are_told_apart() {
        let set = br#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
              xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
            <url><loc>http://news.example/p/1</loc><lastmod>2026-11-30</lastmod></url>
            <url><loc>ftp://news.example/x</loc></url>
            <url><loc>http://news.example/p/2</loc><news:news><news:publication_date>2026-11-29T08:00:00Z</news:publication_date><news:title>Two</news:title></news:news></url>
            </urlset>"#;
        let Sitemap::Pages(pages) = sitemap(set, &base()).unwrap() else {
            panic!("a urlset is pages")
        };
        assert_eq!(pages.len(), 2);
        assert_eq!(pages[0].updated, Some(1_795_996_800));
        assert_eq!(pages[1].title.as_deref(), Some("Two"));
        assert_eq!(
            pages[1].published.unwrap().to_string(),
            "2026-11-29T08:00:00Z"
        );
        let idx = br#"<sitemapindex><sitemap><loc>/s1.xml.gz</loc></sitemap></sitemapindex>"#;
        assert_eq!(
            sitemap(idx, &base()).unwrap(),
            Sitemap::Index(vec!["http://news.example/s1.xml.gz".into()])
        );
        assert!(sitemap(b"<rss/>", &base()).is_err());
        assert!(sitemap(b"<urlset><url><loc>http://a/</loc>", &base()).is_ok());
    }
}
