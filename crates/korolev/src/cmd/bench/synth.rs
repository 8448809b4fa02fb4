//! Made-up news pages for load tests: a small invented world of expeditions, crews and
//! launches, written up again and again by a dozen invented sites, the way real news repeats
//! a few events. Deterministic: page `i` is always the same bytes.
//!
//! The pages are whole HTML documents with navigation, a sidebar and a footer, so ingesting
//! them does the work a real page does; their sentences follow the shapes korolev's prose
//! rules read, so the store gets expeditions, crews and launches as well as articles.

use korolev_facts::when::{civil_from_days, MONTH_NAMES};

const SITES: [(&str, &str); 12] = [
    ("Orbit Ledger", "orbitledger.example"),
    ("Station Wire", "stationwire.example"),
    ("Launch Pad Daily", "launchpaddaily.example"),
    ("Apogee Post", "apogeepost.example"),
    ("Perigee Times", "perigeetimes.example"),
    ("Docking Port", "dockingport.example"),
    ("Crew Quarters", "crewquarters.example"),
    ("Ballistic Review", "ballisticreview.example"),
    ("Low Orbit Journal", "loworbitjournal.example"),
    ("Telemetry Today", "telemetrytoday.example"),
    ("Space Desk", "spacedesk.example"),
    ("Flight Deck News", "flightdecknews.example"),
];

const GIVEN: [&str; 24] = [
    "Anna", "Boris", "Carla", "Dmitri", "Elena", "Farid", "Greta", "Hiro", "Ines", "Jonas",
    "Katya", "Lars", "Maya", "Nikolai", "Olga", "Pavel", "Rosa", "Stefan", "Tanya", "Umar", "Vera",
    "Walter", "Yuri", "Zofia",
];

const FAMILY: [&str; 30] = [
    "Arkhipov",
    "Bellamy",
    "Castellano",
    "Dorokhov",
    "Eriksen",
    "Fomina",
    "Gallagher",
    "Halvorsen",
    "Ignatyev",
    "Jablonski",
    "Kovalenko",
    "Lindqvist",
    "Marchetti",
    "Novak",
    "Okafor",
    "Petrenko",
    "Quintero",
    "Rasmussen",
    "Sokolov",
    "Takeda",
    "Ulyanova",
    "Valdez",
    "Whitfield",
    "Yakovlev",
    "Zaitsev",
    "Brandt",
    "Cortez",
    "Dunmore",
    "Eklund",
    "Fairbanks",
];

/// How many expeditions the world has; articles cycle through them.
pub const EXPEDITIONS: u32 = 80;

/// A small, fast, reproducible random source (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Expedition `n`'s crew: commander first, then two flight engineers.
fn crew(n: u32) -> [String; 3] {
    let name = |k: u32| {
        let given = GIVEN[((n * 7 + k * 11) % GIVEN.len() as u32) as usize];
        let family = FAMILY[((n * 13 + k * 5) % FAMILY.len() as u32) as usize];
        format!("{given} {family}")
    };
    [name(0), name(1), name(2)]
}

/// The day expedition `n`'s crew launched, as days since 1970-01-01 (every ~100 days from
/// the end of 2000).
fn launch_day(n: u32) -> i64 {
    11_263 + i64::from(n - 1) * 100
}

/// Page `i` of the generated set: its name (a made-up path) and its bytes.
pub fn page(i: u64) -> (String, Vec<u8>) {
    let mut rng = Rng(i.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ 0x5EED);
    let n = (i % u64::from(EXPEDITIONS)) as u32 + 1;
    let craft = format!("Soyuz MS-{}", n + 100);
    let [commander, fe1, fe2] = crew(n);
    let (site, host) = SITES[rng.below(SITES.len())];
    let story = rng.below(4);
    let day = launch_day(n) + [0, 0, -30, 40][story] + rng.below(3) as i64;
    let (y, m, d) = civil_from_days(day);
    let date = format!("{} {d}, {y}", MONTH_NAMES[usize::from(m - 1)]);
    let iso = format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:00Z",
        rng.below(24),
        rng.below(60)
    );
    let short = |full: &str| full.rsplit(' ').next().unwrap_or(full).to_string();
    let (title, paragraphs) = match story {
        0 => (
            format!(
                "{craft} {} with {}, {} and {}",
                rng.pick(&["lifts off", "launches", "rises from Baikonur"]),
                short(&commander),
                short(&fe1),
                short(&fe2)
            ),
            vec![
                format!("A Soyuz-2.1a rocket carrying the {craft} spacecraft lifted off from Baikonur on {date} with cosmonaut {commander}, astronaut {fe1} and cosmonaut {fe2} aboard."),
                format!("The crew will join Expedition {n} on the International Space Station, where {commander} will serve as commander."),
                format!("{} said the ascent was {} and the capsule reached orbit nine minutes after launch.", rng.pick(&["Mission control", "The agency", "The launch director"]), rng.pick(&["smooth", "nominal", "quiet"])),
            ],
        ),
        1 => (
            format!("{craft} {} the station", rng.pick(&["docks with", "arrives at", "reaches"])),
            vec![
                format!("The {craft} spacecraft docked with the International Space Station on {date}, about {} hours after launch.", rng.pick(&["three", "six"])),
                format!("Cosmonaut {commander}, astronaut {fe1} and cosmonaut {fe2} floated into the station after the hatches opened and began Expedition {n}."),
                format!("The crew will spend about {} months aboard, with {} planned.", rng.pick(&["six", "five", "seven"]), rng.pick(&["two spacewalks", "a cargo ship arrival", "dozens of experiments"])),
            ],
        ),
        2 => (
            format!("Expedition {n} crew {} for flight", rng.pick(&["named", "confirmed", "approved"])),
            vec![
                format!("Cosmonaut {commander} will command Expedition {n}, with astronaut {fe1} and cosmonaut {fe2} as flight engineers."),
                format!("The three will launch on {craft} from Baikonur after {} of training in Star City and Houston.", rng.pick(&["two years", "eighteen months", "a year"])),
                format!("The announcement came on {date}, {} before the planned launch.", rng.pick(&["a month", "four weeks", "thirty days"])),
            ],
        ),
        _ => (
            format!("{} aboard the station with Expedition {n}", rng.pick(&["A busy week", "Science and repairs", "Life and work"])),
            vec![
                format!("The Expedition {n} crew spent the week of {date} on {}.", rng.pick(&["plant growth experiments", "a water recycler repair", "medical tests", "cargo unpacking"])),
                format!("Astronaut {fe1} and cosmonaut {fe2} prepared the airlock while commander {commander} spoke with students by radio."),
                format!("Flight controllers said the station's systems were in {} shape.", rng.pick(&["good", "excellent", "stable"])),
            ],
        ),
    };
    let slug: String = title
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let url = format!("https://{host}/news/{y:04}/{m:02}/{slug}-{i}");
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    let html = format!(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title} | {site}</title>
<meta property="og:site_name" content="{site}">
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="{iso}">
<link rel="canonical" href="{url}">
</head><body>
<header><a href="/">{site}</a><nav><a href="/news">News</a> <a href="/launches">Launches</a> <a href="/station">Station</a> <a href="/about">About</a></nav></header>
<main><article><h1>{title}</h1><p class="byline">{date} · by the {site} desk</p>
{body}</article>
<aside><h2>Most read</h2><ul><li><a href="/news/1">Cargo ship reaches the station</a></li><li><a href="/news/2">New spacesuits pass their tests</a></li><li><a href="/news/3">A record year for launches</a></li></ul></aside></main>
<footer><p>{site} · Subscribe · Privacy · Contact</p></footer>
</body></html>
"#
    );
    (format!("{host}/news/{slug}-{i}.html"), html.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_reproducible_and_distinct() {
        assert_eq!(page(7), page(7));
        assert_ne!(page(7).1, page(8).1);
        // The same expedition comes round again after EXPEDITIONS pages, on another page.
        let (a, b) = (page(3), page(3 + u64::from(EXPEDITIONS)));
        assert_ne!(a.1, b.1);
        let text = String::from_utf8(a.1).unwrap_or_default();
        assert!(text.contains("Expedition 4"), "{text}");
    }
}
