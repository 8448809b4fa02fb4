//! `korolev fetch`: fetches the sources of korolev.toml once (all enabled ones, or those
//! named), with a progress bar and a summary; `korolev serve` runs the same on a schedule.

use crate::cmd::sources::{Config, Source};
use crate::input::shown;
use anyhow::{bail, Context, Result};
use korolev_fetch::{Event, Fetcher, PageOutcome};
use korolev_store::Store;

use std::process::ExitCode;
use std::sync::Mutex;

#[derive(clap::Args)]
pub struct Args {
    /// Sources to fetch, by address or name, enabled or not (default: every enabled one).
    #[arg(value_name = "SOURCE")]
    pub which: Vec<String>,
    /// Requests to one host at least this far apart, e.g. 1s, 250ms (default: [fetch] delay
    /// of the configuration, else 1s; longer where robots.txt says so).
    #[arg(long, value_parser = humantime::parse_duration)]
    pub delay: Option<std::time::Duration>,
    /// Print nothing but errors and the summary.
    #[arg(long, short)]
    pub quiet: bool,
}

/// The sources `which` names (addresses or names), else every enabled one.
pub fn chosen(config: &Config, which: &[String]) -> Result<Vec<Source>> {
    let sources = config.sources()?;
    if which.is_empty() {
        return Ok(sources.into_iter().filter(|s| s.enabled).collect());
    }
    let mut out = Vec::new();
    for w in which {
        let found: Vec<&Source> = sources
            .iter()
            .filter(|s| s.url == *w || s.name.eq_ignore_ascii_case(w))
            .collect();
        match found.as_slice() {
            [] => bail!("no source {w:?} (korolev sources list shows them)"),
            [s] => out.push((*s).clone()),
            _ => bail!("{w:?} names several sources: give its address"),
        }
    }
    Ok(out)
}

pub fn run(args: Args, place: &crate::cmd::Place) -> Result<ExitCode> {
    let data_dir = place.data.as_path();
    let config = place.read_config()?;
    let mut settings = config.fetch_settings()?;
    if let Some(d) = args.delay {
        settings.delay = d;
    }
    let sources = chosen(&config, &args.which)?;
    if sources.is_empty() {
        eprintln!(
            "korolev: no enabled sources in {}: korolev sources enable NAME follows one of \
             those listed, korolev sources add URL another",
            place.config.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let store = Store::open(data_dir)
        .with_context(|| format!("opening the store in {}", data_dir.display()))?;
    let store = Mutex::new(store);
    let fetcher = Fetcher::new(settings);
    let bar = if args.quiet {
        indicatif::ProgressBar::hidden()
    } else {
        crate::cmd::ingest::progress_bar(sources.len() as u64, "fetching")
    };
    let quiet = args.quiet;
    let events = |e: Event| match e {
        Event::Source(url) => bar.set_message(shown(&url)),
        Event::Page(url, outcome) => {
            bar.set_message(shown(&url));
            match outcome {
                PageOutcome::Failed(why) => {
                    bar.suspend(|| eprintln!("korolev: {}: failed for now: {why}", shown(&url)))
                }
                PageOutcome::Skipped(why) if !quiet => {
                    bar.suspend(|| eprintln!("korolev: {}: skipped: {why}", shown(&url)))
                }
                _ => {}
            }
        }
        Event::SourceDone(url, outcome) => {
            bar.inc(1);
            if let Err(why) = outcome {
                bar.suspend(|| eprintln!("korolev: {}: {why}", shown(&url)));
            }
        }
    };
    let wanted: Vec<korolev_fetch::Source> = sources.iter().map(Source::to_fetch).collect();
    let summary = fetcher.run(&store, &wanted, &events)?;
    bar.finish_and_clear();
    eprintln!("{summary}");
    Ok(if summary.sources_failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
