//! `korolev bench`: speed figures, printed side by side so that noisy machines still compare
//! fairly (ratios within one run, not absolute numbers across runs).

use crate::cmd::ingest::{ingest_sources, Tally};
use crate::cmd::process;
use crate::input::{collect, read, Source};
use anyhow::{bail, Context, Result};
use korolev_extract::eval::{bow_prf, report, Run, Sample};
use korolev_extract::{extract, Input};
use korolev_store::Store;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

mod fetch;
mod search;
mod serve;
mod synth;

#[derive(clap::Subcommand)]
pub enum Bench {
    /// Ingest speed in pages/s and MB/s, stage by stage: extraction, facts, and the whole
    /// ingest into a fresh SQLite store.
    Ingest {
        /// Pages to use (default: the bundled sample corpus).
        #[arg(value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Minimum time per stage, in seconds.
        #[arg(long, default_value_t = 2.0)]
        seconds: f64,
    },
    /// Main-content extraction: F1, precision and recall against a benchmark's ground truth,
    /// and pages/s and MB/s on one thread. For the side-by-side run with dom_smoothie, see
    /// `cargo bench -p korolev-extract --bench extract`.
    Extract {
        /// A benchmark directory (`ground-truth.json` with `{name: {"articleBody": …}}` and
        /// `html/NAME.html[.gz]`), or pages to time without scoring.
        #[arg(value_name = "DIR", required = true)]
        paths: Vec<PathBuf>,
        /// Passes over the pages; the fastest is reported.
        #[arg(long, default_value_t = 3)]
        rounds: usize,
    },
    /// Large pages: seconds, MB/s and peak memory of extraction, facts and the whole ingest
    /// on generated pages of growing size — one sentence repeated, and varied news prose —
    /// so that cost growing faster than the page shows as falling MB/s.
    Large {
        /// Page sizes in MB (`--sizes 1,4,32` or `--sizes 1 4 32`).
        #[arg(long, value_delimiter = ',', num_args = 1.., default_values_t = [1, 2, 4, 8, 16, 32])]
        sizes: Vec<usize>,
    },
    /// Many connections held open at once (1,000 for 60 s per route by default) on the news
    /// API and the home page: requests, errors, p50/p99, and the server's memory before and
    /// after.
    Load(serve::LoadArgs),
    /// The server under load: requests/s and p50/p99 latency of the news API, the home page
    /// and an expedition page, on a store filled with generated articles (100,000 by default).
    Serve(serve::Args),
    /// The fetcher end to end: feed items parsed per second, and pages fetched from local
    /// sites and ingested per second, beside ingesting the same pages from files.
    Fetch(fetch::Args),
    /// The search index beside SQLite FTS5 on the same generated articles (1,000,000 by
    /// default): indexing articles/s and size, p50/p99 of rare, common and phrase queries and
    /// of facets.
    Search(search::Args),
}

struct Row {
    stage: &'static str,
    pages: usize,
    bytes: usize,
    elapsed: Duration,
}

impl Row {
    fn print(&self, base: Option<f64>) {
        let secs = self.elapsed.as_secs_f64().max(1e-9);
        let pps = self.pages as f64 / secs;
        let ratio = base.map_or("1.00×".to_string(), |b| format!("{:.2}×", pps / b));
        println!(
            "{:<28} {:>10.0} {:>10.2} {:>8}",
            self.stage,
            pps,
            self.bytes as f64 / 1e6 / secs,
            ratio
        );
    }
}

/// Repeats `f` over all pages until at least `min` has passed.
fn timed(
    stage: &'static str,
    pages: &[(String, Vec<u8>)],
    min: Duration,
    mut f: impl FnMut(&str, &[u8]),
) -> Row {
    let start = Instant::now();
    let (mut n, mut bytes) = (0, 0);
    while n == 0 || start.elapsed() < min {
        for (name, b) in pages {
            f(name, b);
            n += 1;
            bytes += b.len();
        }
    }
    Row {
        stage,
        pages: n,
        bytes,
        elapsed: start.elapsed(),
    }
}

pub fn run(bench: Bench) -> Result<ExitCode> {
    match bench {
        Bench::Ingest { paths, seconds } => ingest(paths, seconds),
        Bench::Extract { paths, rounds } => extract_bench(&paths, rounds),
        Bench::Serve(args) => serve::run(args),
        Bench::Large { sizes } => large(&sizes),
        Bench::Load(args) => serve::load_run(args),
        Bench::Fetch(args) => fetch::run(args),
        Bench::Search(args) => search::run(args),
    }
}

/// A memory figure of process `pid` ("self" for this one) from `/proc/PID/status`, in MB:
/// `VmRSS:` now, `VmHWM:` at its peak (Linux; `None` elsewhere).
fn proc_status_mb(pid: &str, field: &str) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix(field))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

/// The most memory this process has held so far, in MB.
fn peak_rss_mb() -> Option<f64> {
    proc_status_mb("self", "VmHWM:")
}

/// An HTML page of about `mb` MB: one paragraph of `sentence` repeated when given, else
/// paragraphs that are never the same twice, each the prose of one generated news page.
fn large_page(mb: usize, sentence: Option<&str>) -> Vec<u8> {
    let size = mb * 1_000_000;
    let mut html = String::with_capacity(size + 200);
    html.push_str("<!doctype html><html><head><title>Station news</title></head><body><article><h1>Station news</h1>");
    match sentence {
        Some(sentence) => {
            html.push_str("<p>");
            while html.len() < size {
                html.push_str(sentence);
            }
            html.push_str("</p>");
        }
        None => {
            let mut i = 0;
            while html.len() < size {
                let (_, page) = synth::page(i);
                let page = String::from_utf8_lossy(&page).into_owned();
                html.push_str(&format!("<p>Bulletin {i}."));
                for p in page.split("<p>").skip(2) {
                    if let Some((text, _)) = p.split_once("</p>") {
                        html.push(' ');
                        html.push_str(text);
                    }
                }
                html.push_str("</p>\n");
                i += 1;
            }
        }
    }
    html.push_str("</article></body></html>");
    html.into_bytes()
}

fn large(sizes: &[usize]) -> Result<ExitCode> {
    let sentence = "The Soyuz MS-25 spacecraft docked to the Prichal module of the International \
        Space Station on Monday, March 25, with NASA astronaut Tracy Dyson aboard. ";
    let tmp = std::env::temp_dir().join(format!("korolev-bench-large-{}", std::process::id()));
    println!("korolev bench large: one thread; MB/s should stay flat as pages grow");
    println!(
        "{:<22} {:>6} {:>9} {:>9} {:>9} {:>9} {:>10}",
        "page", "MB", "extract s", "facts s", "ingest s", "MB/s", "peak MB"
    );
    for (label, sentence) in [
        ("one sentence repeated", Some(sentence)),
        ("varied paragraphs", None),
    ] {
        let mut first_rate: Option<f64> = None;
        for &mb in sizes {
            let page = large_page(mb, sentence);
            let name = format!("large-{mb}mb.html");
            let start = Instant::now();
            let x = extract(&Input {
                bytes: &page,
                name: &name,
                content_type: None,
                url: None,
                published: None,
            })
            .with_context(|| format!("extracting the {mb} MB page"))?;
            let extract_s = start.elapsed().as_secs_f64();
            drop(x);
            let start = Instant::now();
            let processed = process(
                &name,
                &page,
                korolev_store::document_id(&page),
                &korolev_pipeline::Hints::default(),
            )?;
            let facts_s = start.elapsed().as_secs_f64();
            let _ = std::fs::remove_dir_all(&tmp);
            let mut store =
                Store::open(&tmp).with_context(|| format!("opening {}", tmp.display()))?;
            let start = Instant::now();
            store.put(&page, &processed.facts)?;
            let ingest_s = facts_s + start.elapsed().as_secs_f64();
            drop(store);
            let rate = page.len() as f64 / 1e6 / ingest_s.max(1e-9);
            let vs = first_rate.map_or(String::new(), |r| format!(" ({:.2}×)", rate / r));
            first_rate.get_or_insert(rate);
            println!(
                "{:<22} {:>6.1} {:>9.2} {:>9.2} {:>9.2} {:>9.2} {:>10}{vs}",
                label,
                page.len() as f64 / 1e6,
                extract_s,
                facts_s,
                ingest_s,
                rate,
                peak_rss_mb().map_or("-".into(), |m| format!("{m:.0}")),
            );
        }
    }
    let _ = std::fs::remove_dir_all(&tmp);
    println!("(facts s includes extraction; ingest s is facts s plus storing in a fresh SQLite store; peak MB is the process's peak so far)");
    Ok(ExitCode::SUCCESS)
}

/// The pages of a benchmark directory with their reference text, or plain pages without.
fn load_samples(paths: &[PathBuf]) -> Result<Vec<Sample>> {
    let limit = korolev_extract::MAX_DOCUMENT_BYTES;
    if let [dir] = paths {
        let gt_path = dir.join("ground-truth.json");
        if gt_path.is_file() {
            let text = std::fs::read_to_string(&gt_path)
                .with_context(|| format!("reading {}", gt_path.display()))?;
            let gt: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&text)
                .with_context(|| format!("{} is not a JSON object", gt_path.display()))?;
            let mut samples = Vec::new();
            for (name, rec) in gt {
                let html = dir.join("html");
                let path = [format!("{name}.html.gz"), format!("{name}.html")]
                    .into_iter()
                    .map(|f| html.join(f))
                    .find(|p| p.is_file());
                let Some(path) = path else {
                    crate::input::skipped(
                        &name,
                        format!("no html/{}.html[.gz]", crate::input::shown(&name)),
                    );
                    continue;
                };
                let bytes = read(&Source::File(path.clone()), limit)
                    .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
                let gold = rec
                    .get("articleBody")
                    .and_then(|b| b.as_str())
                    .unwrap_or("")
                    .to_string();
                let group = korolev_extract::detect_lang(&gold).unwrap_or_else(|| "other".into());
                let title = rec
                    .get("title")
                    .and_then(|t| t.as_str())
                    .map(str::to_string);
                samples.push(Sample {
                    name,
                    html: bytes,
                    gold,
                    group,
                    title,
                });
            }
            return Ok(samples);
        }
    }
    let (sources, errors) = collect(paths);
    for e in errors {
        eprintln!("korolev: {e}");
    }
    Ok(sources
        .iter()
        .filter_map(|s| match read(s, limit) {
            Ok(html) => Some(Sample {
                name: s.name(),
                html,
                gold: String::new(),
                group: String::new(),
                title: None,
            }),
            Err(e) => {
                crate::input::skipped(&s.name(), e);
                None
            }
        })
        .collect())
}

fn extract_bench(paths: &[PathBuf], rounds: usize) -> Result<ExitCode> {
    let samples = load_samples(paths)?;
    if samples.is_empty() {
        bail!("no pages to measure in {}", paths[0].display());
    }
    let scored = samples.iter().any(|s| !s.gold.is_empty());
    let mut best = f64::MAX;
    let mut bodies: Vec<(String, Option<String>)> = Vec::new();
    let bar =
        crate::cmd::ingest::progress_bar((rounds.max(1) * samples.len()) as u64, "extracting");
    for _ in 0..rounds.max(1) {
        let start = Instant::now();
        bodies = samples
            .iter()
            .map(|s| {
                let body = extract(&Input {
                    bytes: &s.html,
                    name: "page.html",
                    content_type: None,
                    url: None,
                    published: None,
                })
                .map(|e| (e.article.body(), e.article.title))
                .unwrap_or_default();
                bar.inc(1);
                body
            })
            .collect();
        best = best.min(start.elapsed().as_secs_f64());
    }
    bar.finish_and_clear();
    let scores = samples
        .iter()
        .zip(&bodies)
        .map(|(s, (b, _))| bow_prf(b, &s.gold))
        .collect();
    let titles: Vec<Option<String>> = bodies.into_iter().map(|(_, t)| t).collect();
    let (matched, labelled) = korolev_extract::eval::title_score(&samples, &titles);
    let run = Run {
        tool: "korolev".to_string(),
        scores,
        seconds: best,
    };
    if scored {
        print!("{}", report(&samples, &[run]));
        if labelled > 0 {
            println!(
                "title exact match: {matched} of {labelled} labelled pages ({:.3})",
                matched as f64 / labelled as f64
            );
        }
    } else {
        // Without ground truth there is nothing to score: speed only.
        let bytes: usize = samples.iter().map(|s| s.html.len()).sum();
        println!(
            "{} pages, {:.2} MB (no ground-truth.json: F1 not measured)\nkorolev: {:.1} pages/s, {:.2} MB/s on one thread",
            samples.len(),
            bytes as f64 / 1e6,
            samples.len() as f64 / run.seconds.max(1e-9),
            bytes as f64 / 1e6 / run.seconds.max(1e-9)
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn ingest(paths: Vec<PathBuf>, seconds: f64) -> Result<ExitCode> {
    let sources: Vec<Source> = if paths.is_empty() {
        crate::cmd::demo::corpus_sources()
    } else {
        let (s, errors) = collect(&paths);
        for e in errors {
            eprintln!("korolev: {e}");
        }
        s
    };
    let pages: Vec<(String, Vec<u8>)> = sources
        .iter()
        .filter_map(|s| {
            read(s, korolev_extract::MAX_DOCUMENT_BYTES)
                .ok()
                .map(|b| (s.name(), b))
        })
        .collect();
    if pages.is_empty() {
        bail!("no readable pages to measure");
    }
    let total: usize = pages.iter().map(|(_, b)| b.len()).sum();
    let min = Duration::from_secs_f64(seconds);
    println!(
        "korolev bench ingest: {} pages, {:.2} MB, one thread",
        pages.len(),
        total as f64 / 1e6
    );
    println!(
        "{:<28} {:>10} {:>10} {:>8}",
        "stage", "pages/s", "MB/s", "vs extract"
    );

    let extract_row = timed("extract", &pages, min, |name, b| {
        let _ = std::hint::black_box(extract(&Input {
            bytes: b,
            name,
            content_type: None,
            url: None,
            published: None,
        }));
    });
    let base = extract_row.pages as f64 / extract_row.elapsed.as_secs_f64().max(1e-9);
    extract_row.print(None);
    // Facts alone, on pages already extracted: the cost of reading the prose and blocks.
    let extracted: Vec<(String, korolev_extract::Extracted, usize)> = pages
        .iter()
        .filter_map(|(name, b)| {
            extract(&Input {
                bytes: b,
                name,
                content_type: None,
                url: None,
                published: None,
            })
            .ok()
            .map(|x| (name.clone(), x, b.len()))
        })
        .collect();
    let g = korolev_facts::gazetteer::Gazetteer::builtin();
    let start = std::time::Instant::now();
    let (mut n, mut bytes) = (0, 0);
    while n == 0 || start.elapsed() < min {
        for (name, x, len) in &extracted {
            let info = korolev_facts::model::DocumentInfo {
                id: String::new(),
                source: name.clone(),
                format: String::new(),
                encoding: String::new(),
                bytes: *len,
            };
            std::hint::black_box(korolev_facts::document_facts(info, x, g));
            n += 1;
            bytes += len;
        }
    }
    Row {
        stage: "facts (already extracted)",
        pages: n,
        bytes,
        elapsed: start.elapsed(),
    }
    .print(Some(base));
    timed("extract + facts", &pages, min, |name, b| {
        let _ = std::hint::black_box(process(
            name,
            b,
            String::new(),
            &korolev_pipeline::Hints::default(),
        ));
    })
    .print(Some(base));
    timed("extract + facts + sha256", &pages, min, |name, b| {
        let _ = std::hint::black_box(process(
            name,
            b,
            korolev_store::document_id(b),
            &korolev_pipeline::Hints::default(),
        ));
    })
    .print(Some(base));

    // The whole ingest, into a fresh store each round, as `korolev ingest` runs it.
    let tmp = std::env::temp_dir().join(format!("korolev-bench-{}", std::process::id()));
    let start = Instant::now();
    let mut rounds = 0;
    while rounds == 0 || start.elapsed() < min {
        let _ = std::fs::remove_dir_all(&tmp);
        let mut store = Store::open(&tmp).with_context(|| format!("opening {}", tmp.display()))?;
        let mut tally = Tally::default();
        ingest_sources(
            &mut store,
            &sources,
            korolev_extract::MAX_DOCUMENT_BYTES,
            &korolev_pipeline::Hints::default(),
            true,
            &mut tally,
        )?;
        rounds += 1;
    }
    Row {
        stage: "ingest into SQLite (fresh)",
        pages: pages.len() * rounds,
        bytes: total * rounds,
        elapsed: start.elapsed(),
    }
    .print(Some(base));
    let _ = std::fs::remove_dir_all(&tmp);
    Ok(ExitCode::SUCCESS)
}
