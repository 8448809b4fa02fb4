//! `korolev bench search`: the search index beside SQLite's FTS5 on the same generated
//! articles, in one run: indexing articles/s and index size, then p50/p99 of rare, common and
//! phrase queries (the first page of ten, ranked) and of the facets of common queries (site
//! and month counts of every match). FTS5 runs the same words with its own BM25 and
//! `GROUP BY` for the facets.
//!
//! The articles are made up: words drawn from a vocabulary of invented words by a Zipf law
//! (as words in news are), with a few fixed phrases, twelve sites and ten years of dates.
//! Deterministic for a given count.

use anyhow::{Context, Result};
use korolev_search::{Doc, Query, SearchIndex};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[derive(clap::Args)]
pub struct Args {
    /// Articles to generate and index.
    #[arg(long, default_value_t = 1_000_000)]
    pub articles: u64,
    /// Queries of each kind.
    #[arg(long, default_value_t = 200)]
    pub queries: usize,
    /// Where to build both indexes (default: a temporary directory, removed after).
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

const VOCABULARY: usize = 30_000;
/// Queries of each kind run untimed before the timed ones.
const WARM_UP: usize = 10;
const BODY_WORDS: usize = 90;
const TITLE_WORDS: usize = 8;
const SITES: [&str; 12] = [
    "Orbit Ledger",
    "Station Wire",
    "Launch Pad Daily",
    "Apogee Post",
    "Perigee Times",
    "Docking Port",
    "Crew Quarters",
    "Ballistic Review",
    "Low Orbit Journal",
    "Telemetry Today",
    "Space Desk",
    "Flight Deck News",
];
const PHRASES: [&str; 6] = [
    "docking port",
    "crew capsule",
    "launch window",
    "solar array",
    "cargo ship",
    "orbital outpost",
];
const SYLLABLES: [&str; 24] = [
    "ka", "lo", "mi", "ne", "ru", "so", "ta", "vi", "zo", "pe", "dra", "gon", "stel", "mar", "lun",
    "kos", "mir", "vek", "tor", "ash", "el", "in", "ur", "yo",
];

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The invented vocabulary, most frequent first, and the Zipf law's cumulative weights.
struct Words {
    words: Vec<String>,
    cumulative: Vec<f64>,
}

impl Words {
    fn new() -> Words {
        let mut words = Vec::with_capacity(VOCABULARY);
        let mut i = 0usize;
        while words.len() < VOCABULARY {
            // Two to four syllables, from the digits of i in base 24.
            let mut n = i;
            let mut w = String::new();
            loop {
                w.push_str(SYLLABLES[n % SYLLABLES.len()]);
                n /= SYLLABLES.len();
                if n == 0 {
                    break;
                }
            }
            if w.len() >= 4 {
                words.push(w);
            }
            i += 1;
        }
        let mut total = 0.0;
        let cumulative = (1..=VOCABULARY)
            .map(|rank| {
                total += 1.0 / rank as f64;
                total
            })
            .collect();
        Words { words, cumulative }
    }

    fn draw(&self, rng: &mut Rng) -> &str {
        let total = self.cumulative[VOCABULARY - 1];
        let x = rng.unit() * total;
        let i = self
            .cumulative
            .partition_point(|c| *c < x)
            .min(VOCABULARY - 1);
        &self.words[i]
    }
}

fn article(i: u64, words: &Words) -> Doc {
    let mut rng = Rng(i.wrapping_mul(0x2545_f491_4f6c_dd1d) ^ 0x5eed);
    let text = |n: usize, rng: &mut Rng| {
        let mut out = Vec::with_capacity(n + 2);
        for k in 0..n {
            if k % 30 == 7 && rng.next().is_multiple_of(4) {
                out.push(PHRASES[(rng.next() % PHRASES.len() as u64) as usize].to_string());
            } else {
                out.push(words.draw(rng).to_string());
            }
        }
        out.join(" ")
    };
    let title = text(TITLE_WORDS, &mut rng);
    let body = text(BODY_WORDS, &mut rng);
    Doc {
        id: i as i64 + 1,
        title,
        body,
        site: SITES[(rng.next() % SITES.len() as u64) as usize].to_string(),
        authors: Vec::new(),
        lang: Some("en".into()),
        // Ten years from 2016.
        published: 1_451_606_400 + (rng.next() % (3_650 * 86_400)) as i64,
        dated: true,
        entities: Vec::new(),
        updated: i as i64,
        ..Doc::default()
    }
}

fn dir_size(p: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(p) else {
        return std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    };
    entries
        .flatten()
        .map(|e| {
            let path = e.path();
            if path.is_dir() {
                dir_size(&path)
            } else {
                e.metadata().map(|m| m.len()).unwrap_or(0)
            }
        })
        .sum()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// p50 and p99 of running `f` on each query.
fn timed(
    queries: &[String],
    mut f: impl FnMut(&str) -> Result<u64>,
) -> Result<(Duration, Duration, f64)> {
    // Warmed first, untimed, alike for both: the first queries after a build read the
    // index's dictionaries from disk.
    for q in queries.iter().take(WARM_UP) {
        f(q)?;
    }
    let mut times = Vec::with_capacity(queries.len());
    let mut hits = 0u64;
    for q in queries {
        let t = Instant::now();
        hits += f(q)?;
        times.push(t.elapsed());
    }
    times.sort();
    Ok((
        percentile(&times, 0.5),
        percentile(&times, 0.99),
        hits as f64 / queries.len().max(1) as f64,
    ))
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

pub fn run(args: Args) -> Result<ExitCode> {
    let temporary = args.dir.is_none();
    let dir = args.dir.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("korolev-bench-search-{}", std::process::id()))
    });
    if dir.exists() {
        std::fs::remove_dir_all(&dir).with_context(|| format!("clearing {}", dir.display()))?;
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("making {}", dir.display()))?;
    let result = measure(&args, &dir);
    if temporary {
        let _ = std::fs::remove_dir_all(&dir);
    }
    result
}

fn measure(args: &Args, dir: &Path) -> Result<ExitCode> {
    let words = Words::new();
    let n = args.articles;
    println!("korolev bench search: {n} generated articles ({BODY_WORDS}-word bodies, {VOCABULARY}-word Zipf vocabulary), {} queries of each kind\n", args.queries);

    // korolev's index.
    let bar = crate::cmd::ingest::progress_bar(n, "korolev index");
    let (index, _) = SearchIndex::open(&dir.join("korolev"))?;
    let started = Instant::now();
    let mut batch = Vec::with_capacity(20_000);
    let mut bytes = 0u64;
    for i in 0..n {
        let d = article(i, &words);
        bytes += (d.title.len() + d.body.len()) as u64;
        batch.push(d);
        if batch.len() == 20_000 || i + 1 == n {
            index.put(&batch, (i as i64, i as i64))?;
            batch.clear();
            bar.set_position(i + 1);
        }
    }
    // Merges finished and seen, as a server's index is once it has settled.
    index.close();
    index.reload()?;
    let korolev_secs = started.elapsed().as_secs_f64();
    bar.finish_and_clear();
    let korolev_size = dir_size(&dir.join("korolev").join(korolev_search::INDEX_DIR));

    // FTS5 on the same articles.
    let bar = crate::cmd::ingest::progress_bar(n, "FTS5 index");
    let db = dir.join("fts5.sqlite3");
    let conn = rusqlite_open(&db)?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
         CREATE VIRTUAL TABLE fts USING fts5(title, body, site UNINDEXED, month UNINDEXED,
                                             tokenize = 'porter unicode61');",
    )?;
    let started = Instant::now();
    let mut i = 0u64;
    while i < n {
        let tx = conn.unchecked_transaction()?;
        {
            let mut ins = tx.prepare_cached(
                "INSERT INTO fts (rowid, title, body, site, month) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            let end = (i + 20_000).min(n);
            while i < end {
                let d = article(i, &words);
                let month = korolev_facts::when::iso_utc(d.published)
                    .get(..7)
                    .unwrap_or("")
                    .to_string();
                ins.execute(rusqlite::params![d.id, d.title, d.body, d.site, month])?;
                i += 1;
            }
        }
        tx.commit()?;
        bar.set_position(i);
    }
    // Merged into one b-tree, as korolev's segments are merged: timed with the rest.
    conn.execute_batch(
        "INSERT INTO fts(fts) VALUES ('optimize'); PRAGMA wal_checkpoint(TRUNCATE);",
    )?;
    let fts_secs = started.elapsed().as_secs_f64();
    bar.finish_and_clear();
    let fts_size = dir_size(&db);

    println!(
        "{:<22} {:>14} {:>14} {:>8}",
        "indexing", "korolev", "FTS5", "ratio"
    );
    println!(
        "{:<22} {:>14.0} {:>14.0} {:>7.2}×",
        "articles/s",
        n as f64 / korolev_secs,
        n as f64 / fts_secs,
        fts_secs / korolev_secs
    );
    println!(
        "{:<22} {:>14.1} {:>14.1} {:>7.2}×",
        "MB of text/s",
        bytes as f64 / 1e6 / korolev_secs,
        bytes as f64 / 1e6 / fts_secs,
        fts_secs / korolev_secs
    );
    println!(
        "{:<22} {:>14.1} {:>14.1} {:>7.2}×",
        "index size, MB",
        korolev_size as f64 / 1e6,
        fts_size as f64 / 1e6,
        fts_size as f64 / korolev_size.max(1) as f64
    );
    println!();

    // The queries: rare words (ranks 5,000–20,000), common ones (ranks 3–40), phrases, and
    // the facets of common words.
    let mut rng = Rng(42);
    let pick = |rng: &mut Rng, lo: usize, hi: usize| {
        words.words[lo + (rng.next() as usize % (hi - lo))].clone()
    };
    let rare: Vec<String> = (0..args.queries)
        .map(|_| pick(&mut rng, 5_000, 20_000))
        .collect();
    let common: Vec<String> = (0..args.queries).map(|_| pick(&mut rng, 3, 40)).collect();
    let phrases: Vec<String> = (0..args.queries)
        .map(|i| format!("\"{}\"", PHRASES[i % PHRASES.len()]))
        .collect();
    let now = korolev_facts::when::unix_now();
    let ours = |text: &str, facets: bool| -> Result<u64> {
        let found = index.search(&Query {
            text: text.to_string(),
            now,
            facets,
            ..Query::default()
        })?;
        Ok(found.total)
    };
    let mut top = conn.prepare(
        "SELECT rowid FROM fts WHERE fts MATCH ?1 ORDER BY bm25(fts, 3.0, 1.0) LIMIT 10",
    )?;
    let mut count = conn.prepare("SELECT count(*) FROM fts WHERE fts MATCH ?1")?;
    let mut facet_site =
        conn.prepare("SELECT site, count(*) FROM fts WHERE fts MATCH ?1 GROUP BY site")?;
    let mut facet_month = conn.prepare(
        "SELECT month, count(*) AS n FROM fts WHERE fts MATCH ?1 GROUP BY month ORDER BY n DESC LIMIT 24",
    )?;
    println!(
        "{:<22} {:>9} {:>9} {:>9} {:>9} {:>9}",
        "query (ms)", "korolev", "p99", "FTS5", "p99", "matches"
    );
    for (kind, queries) in [
        ("rare word", &rare),
        ("common word", &common),
        ("phrase", &phrases),
    ] {
        let (k50, k99, matches) = timed(queries, |q| ours(q, false))?;
        let (f50, f99, _) = timed(queries, |q| {
            // The first page, ranked, and the count, as a results page needs.
            let ids: Vec<i64> = top
                .query_map([q], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let n: i64 = count.query_row([q], |r| r.get(0))?;
            Ok(u64::try_from(n).unwrap_or(0).max(ids.len() as u64))
        })?;
        println!(
            "{:<22} {:>9} {:>9} {:>9} {:>9} {:>9.0}",
            format!("{kind} p50/p99"),
            ms(k50),
            ms(k99),
            ms(f50),
            ms(f99),
            matches
        );
    }
    let (k50, k99, matches) = timed(&common, |q| ours(q, true))?;
    let (f50, f99, _) = timed(&common, |q| {
        let ids: Vec<i64> = top
            .query_map([q], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let sites: Vec<(String, i64)> = facet_site
            .query_map([q], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let months: Vec<(String, i64)> = facet_month
            .query_map([q], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let n: i64 = count.query_row([q], |r| r.get(0))?;
        Ok((ids.len() + sites.len() + months.len()) as u64 + u64::try_from(n).unwrap_or(0))
    })?;
    println!(
        "{:<22} {:>9} {:>9} {:>9} {:>9} {:>9.0}",
        "facets p50/p99",
        ms(k50),
        ms(k99),
        ms(f50),
        ms(f99),
        matches
    );
    println!("\nkorolev: its search with facets off, then on (site, month, language, entity counts of every match). FTS5: the first ten by bm25 and the count, then also GROUP BY site and the busiest 24 months.");
    Ok(ExitCode::SUCCESS)
}

fn rusqlite_open(path: &Path) -> Result<rusqlite::Connection> {
    rusqlite::Connection::open(path).with_context(|| format!("opening {}", path.display()))
}
