//! The news as feeds, read back by a feed reader library (feed-rs): Atom, RSS 2.0 and JSON
//! Feed of all news, of one site and of one entity; linked from every page.
#![allow(clippy::unwrap_used)]

mod common;
use common::*;

fn read_feed(addr: &str, path: &str) -> feed_rs::model::Feed {
    let (status, headers, body) = request(addr, "GET", path, &[]);
    assert_eq!(status, 200, "{path}: {}", String::from_utf8_lossy(&body));
    let kind = header(&headers, "content-type").unwrap_or_default();
    assert!(
        kind.contains("atom") || kind.contains("rss") || kind.contains("feed+json"),
        "{path}: {kind}"
    );
    feed_rs::parser::parse(body.as_slice()).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn feeds_of_all_news_of_a_site_and_of_an_entity_parse() {
    let data = corpus_store("");
    // A page whose title is markup and whose address is script: text in the feed, no link.
    let hostile = data.path().join("hostile.html");
    std::fs::write(&hostile, HOSTILE).unwrap();
    let out = korolev(data.path(), &["ingest", hostile.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let server = start(data.path());
    let addr = server.addr.as_str();
    let news = get(addr, "/v4/articles?limit=1").json();
    let newest = news["results"][0]["title"].as_str().unwrap().to_string();

    let mut titles = Vec::new();
    for path in [
        "/feed.atom",
        "/feed.rss",
        "/feed.json",
        "/feed",
        "/rss",
        "/atom.xml",
    ] {
        let f = read_feed(addr, path);
        assert!(f.entries.len() >= 40, "{path}: {} entries", f.entries.len());
        let first = f.entries[0].title.as_ref().unwrap().content.clone();
        assert_eq!(first, newest, "{path}: newest first");
        for e in &f.entries {
            assert!(e.published.is_some(), "{path}: an entry without a date");
            for l in &e.links {
                assert!(l.href.starts_with("http"), "{path}: link {}", l.href);
            }
        }
        titles.push(
            f.entries
                .iter()
                .map(|e| e.title.clone().unwrap().content)
                .collect::<Vec<_>>(),
        );
    }
    assert!(titles.windows(2).all(|w| w[0] == w[1]), "the feeds differ");
    let all = &titles[0];
    let hostile_entry = all.iter().find(|t| t.contains("Crew news")).unwrap();
    assert!(
        hostile_entry.contains("<script>"),
        "the title is kept as text: {hostile_entry}"
    );
    let raw = get(addr, "/feed.atom").body;
    assert!(
        !raw.contains("javascript:"),
        "a script address leaves as no link"
    );

    // One site's news only.
    let site = news["results"][0]["news_site"]
        .as_str()
        .unwrap()
        .to_string();
    let of_site = read_feed(
        addr,
        &format!("/feed.atom?site={}", site.replace(' ', "%20")),
    );
    let n_site = get(
        addr,
        &format!(
            "/v4/articles?news_site={}&limit=100",
            site.replace(' ', "%20")
        ),
    )
    .json()["count"]
        .as_u64()
        .unwrap();
    assert_eq!(of_site.entries.len() as u64, n_site.min(50));
    assert!(of_site.entries.len() < all.len());

    // The news of one entity: an expedition.
    let of_expedition = read_feed(addr, "/feed.rss?about=expedition/63");
    assert!(!of_expedition.entries.is_empty());
    assert!(of_expedition.entries.len() < all.len());
    assert!(of_expedition
        .title
        .unwrap()
        .content
        .contains("Expedition 63"));
    assert_eq!(
        get(addr, "/feed.atom?about=person/nobody-at-all").status,
        404
    );

    // Every page says where its feeds are.
    let home = get(addr, "/").body;
    assert!(home.contains(r#"<link rel="alternate" type="application/atom+xml""#));
}

/// The iCalendar at `path`, as sent and unfolded, after checking its type and line ends.
fn calendar(addr: &str, path: &str) -> (String, String) {
    let (status, headers, body) = request(addr, "GET", path, &[]);
    assert_eq!(status, 200, "{path}");
    assert!(header(&headers, "content-type").is_some_and(|v| v.starts_with("text/calendar")));
    let text = String::from_utf8(body).unwrap();
    assert!(text.contains("\r\n"), "lines end in CRLF");
    let unfolded = icalendar::parser::unfold(&text).to_string();
    (text, unfolded)
}

fn vevents<'a>(
    cal: &'a icalendar::parser::Calendar<'a>,
) -> Vec<&'a icalendar::parser::Component<'a>> {
    cal.components
        .iter()
        .filter(|c| c.name == "VEVENT")
        .collect()
}

/// The launches as an iCalendar, read back by the icalendar crate's parser: one event per
/// launch told to the day, each with its UID, stamp, day and name.
#[test]
fn the_launch_calendar_parses() {
    let data = corpus_store("");
    let server = start(data.path());
    let addr = server.addr.as_str();
    let (text, unfolded) = calendar(addr, "/launches.ics");
    let cal = icalendar::parser::read_calendar(&unfolded).unwrap();
    let events = vevents(&cal);
    let launches = get(addr, "/api/v1/launches?limit=500").json();
    let to_the_day = launches["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["date"].as_str().is_some_and(|d| d.len() >= 10))
        .count();
    assert!(to_the_day >= 5, "{launches}");
    assert_eq!(events.len(), to_the_day);
    for e in &events {
        for p in ["UID", "DTSTAMP", "DTSTART", "SUMMARY", "URL", "STATUS"] {
            assert!(e.find_prop(p).is_some(), "an event without {p}: {e:?}");
        }
        let url = e.find_prop("URL").unwrap().val.to_string();
        assert!(
            url.starts_with(&format!("http://{addr}/launches/")),
            "{url}"
        );
        assert_eq!(
            get(addr, url.trim_start_matches(&format!("http://{addr}"))).status,
            200
        );
    }
    assert!(text.contains("DTSTART;VALUE=DATE:2020"), "{text}");
    // An all-day event ends the day after its day (RFC 5545, 3.6.1), never on it.
    for e in &events {
        let start = e.find_prop("DTSTART").unwrap().val.to_string();
        let end = e.find_prop("DTEND").unwrap().val.to_string();
        assert!(end > start, "{e:?}");
    }
}

/// An expedition's events as an iCalendar, read back by the parser: the expedition from its
/// first day to the day after its last, and its facts told to the day, each linking its page.
#[test]
fn an_expedition_calendar_parses() {
    let data = corpus_store("");
    let server = start(data.path());
    let addr = server.addr.as_str();
    let expeditions = get(addr, "/api/v1/expeditions?limit=500").json();
    let x = expeditions["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["start"].as_str().is_some() && x["end"].as_str().is_some())
        .expect("an expedition with its start and end");
    let n = x["id"].as_u64().unwrap();
    let page = get(addr, &format!("/expeditions/{n}")).body;
    assert!(page.contains(&format!("/expeditions/{n}/calendar.ics")));
    let (text, unfolded) = calendar(addr, &format!("/expeditions/{n}/calendar.ics"));
    let cal = icalendar::parser::read_calendar(&unfolded).unwrap();
    let events = vevents(&cal);
    assert!(events.len() >= 2, "{text}");
    let start = x["start"].as_str().unwrap().replace('-', "");
    let whole = events
        .iter()
        .find(|e| e.find_prop("SUMMARY").unwrap().val.as_str() == format!("Expedition {n}"))
        .expect("the expedition itself");
    assert_eq!(whole.find_prop("DTSTART").unwrap().val.as_str(), start);
    let last = chrono::NaiveDate::parse_from_str(x["end"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    let after = (last + chrono::Days::new(1)).format("%Y%m%d").to_string();
    assert_eq!(whole.find_prop("DTEND").unwrap().val.as_str(), after);
    let mut uids = std::collections::HashSet::new();
    for e in &events {
        for p in ["UID", "DTSTAMP", "DTSTART", "SUMMARY", "URL"] {
            assert!(e.find_prop(p).is_some(), "an event without {p}: {e:?}");
        }
        assert!(
            uids.insert(e.find_prop("UID").unwrap().val.to_string()),
            "a UID twice"
        );
        let url = e.find_prop("URL").unwrap().val.to_string();
        let path = url.trim_start_matches(&format!("http://{addr}"));
        assert!(
            path.starts_with("/expeditions/") || path.starts_with("/launches/"),
            "{url}"
        );
        assert_eq!(get(addr, path).status, 200, "{url}");
    }
    // The launches that carried the crew, as the expedition page names them.
    let launches = events
        .iter()
        .filter(|e| {
            e.find_prop("URL")
                .unwrap()
                .val
                .as_str()
                .contains("/launches/")
        })
        .count();
    assert!(launches >= 1, "{text}");
    assert!(page.matches("flew on <a href=\"/launches/").count() >= launches);
    assert_eq!(get(addr, "/expeditions/99999/calendar.ics").status, 404);
    assert_eq!(get(addr, "/expeditions/x/calendar.ics").status, 400);
}
