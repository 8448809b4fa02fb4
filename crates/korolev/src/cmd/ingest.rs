//! `korolev ingest`: pages from files, directories and stdin into the store.

use crate::input::{collect, read, shown, Source};
use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use korolev_pipeline::Page;
use korolev_store::{Store, Stored};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Files or directories to read (`.warc` and `.warc.gz` archives record by record); `-`
    /// reads one document from standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Largest document to accept, in bytes (after gzip decompression).
    #[arg(long, default_value_t = korolev_extract::MAX_DOCUMENT_BYTES, value_name = "BYTES")]
    pub max_bytes: usize,

    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,

    #[command(flatten)]
    pub page: crate::cmd::PageArgs,
}

/// What an ingest run did, as the summary line reports it.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub read: usize,
    pub new: usize,
    /// New revisions of articles stored before.
    pub revised: usize,
    pub unchanged: usize,
    pub failed: usize,
}

impl std::fmt::Display for Tally {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "read {} · new {} · revised {} · unchanged {} · failed {}",
            self.read, self.new, self.revised, self.unchanged, self.failed
        )
    }
}

pub fn run(args: Args, data_dir: &Path) -> Result<ExitCode> {
    args.page.check(&args.paths)?;
    let (sources, list_errors) = collect(&args.paths);
    let mut store = Store::open(data_dir)
        .with_context(|| format!("opening the store in {}", data_dir.display()))?;
    let mut tally = Tally::default();
    for e in &list_errors {
        eprintln!("korolev: {e}");
        tally.failed += usize::from(e.fails);
    }
    ingest_sources(
        &mut store,
        &sources,
        args.max_bytes,
        &args.page.hints(),
        args.quiet,
        &mut tally,
    )?;
    if !args.quiet {
        eprintln!("{tally}  ({})", store.path().display());
    }
    Ok(if tally.failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// A progress bar on standard error for `len` steps of work named `what`; indicatif draws
/// nothing when standard error is not a terminal.
pub fn progress_bar(len: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(len);
    bar.set_style(
        ProgressStyle::with_template(&format!(
            "{{spinner}} {what} [{{bar:30}}] {{pos}}/{{len}} {{wide_msg}}"
        ))
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar
}

/// Ingests `sources` one by one; a bad source is reported and counted, never fatal. Only a
/// store that stops working ends the run early.
pub fn ingest_sources(
    store: &mut Store,
    sources: &[Source],
    max_bytes: usize,
    hints: &korolev_pipeline::Hints,
    quiet: bool,
    tally: &mut Tally,
) -> Result<()> {
    // A web archive holds an unknown number of pages: its run counts them as they come.
    let archives = sources
        .iter()
        .any(|s| matches!(s, Source::File(p) if crate::warc::is_warc(p)));
    let bar = if quiet {
        ProgressBar::hidden()
    } else if archives {
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template("{spinner} ingesting: {pos} pages {wide_msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar
    } else {
        progress_bar(sources.len() as u64, "ingesting")
    };
    // Read lazily, a page at a time, as the pipeline asks for them; stored a batch per
    // transaction, each page on its own. A web archive is many pages, read as it goes.
    let pages = sources.iter().flat_map(|source| {
        let name = source.name();
        bar.set_message(shown(&name));
        let pages: Box<dyn Iterator<Item = Page>> = match source {
            Source::File(path) if crate::warc::is_warc(path) => {
                let shown_name = shown(&name);
                let bar = bar.clone();
                Box::new(crate::warc::pages(path.clone(), max_bytes, move |passed| {
                    if passed > 0 && !quiet {
                        bar.suspend(|| eprintln!(
                            "korolev: {shown_name}: {passed} record(s) passed over (requests, metadata, revisits, answers other than 200, bodies that are not pages)"
                        ));
                    }
                }))
            }
            _ => Box::new(std::iter::once(Page {
                bytes: read(source, max_bytes),
                name,
                hints: None,
            })),
        };
        pages
    });
    korolev_pipeline::ingest_many(store, pages, hints, |name, outcome| {
        tally.read += 1;
        match outcome {
            Ok(done) => {
                if done.replaced_bytes > 0 && !quiet {
                    bar.suspend(|| {
                        eprintln!(
                            "korolev: warning: {}: {} byte sequence(s) invalid in {} were replaced",
                            shown(name),
                            done.replaced_bytes,
                            done.encoding
                        )
                    });
                }
                match done.stored {
                    Stored::New => tally.new += 1,
                    Stored::Revised => tally.revised += 1,
                    Stored::Unchanged => tally.unchanged += 1,
                }
            }
            Err(reason) => {
                tally.failed += 1;
                bar.suspend(|| crate::input::skipped(name, &reason));
            }
        }
        bar.inc(1);
    })?;
    bar.finish_and_clear();
    Ok(())
}
