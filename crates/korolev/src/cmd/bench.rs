//! `korolev bench`: speed figures, printed side by side so that noisy machines still compare
//! fairly (ratios within one run, not absolute numbers across runs).

use crate::cmd::ingest::{ingest_sources, Tally};
use crate::cmd::process;
use crate::input::{collect, read, Source};
use anyhow::{bail, Context, Result};
use korolev_extract::{extract, Input};
use korolev_store::Store;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

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
    let Bench::Ingest { paths, seconds } = bench;
    let sources: Vec<Source> = if paths.is_empty() {
        crate::cmd::demo::corpus_sources()
    } else {
        let (s, errors) = collect(&paths);
        for e in errors {
            eprintln!("korolev: skipped {}: {}", e.name, e.reason);
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
        }));
    });
    let base = extract_row.pages as f64 / extract_row.elapsed.as_secs_f64().max(1e-9);
    extract_row.print(None);
    timed("extract + facts", &pages, min, |name, b| {
        let _ = std::hint::black_box(process(name, b, String::new()));
    })
    .print(Some(base));
    timed("extract + facts + sha256", &pages, min, |name, b| {
        let _ = std::hint::black_box(process(name, b, korolev_store::document_id(b)));
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
