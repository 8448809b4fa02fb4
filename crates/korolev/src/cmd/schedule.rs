//! The fetch scheduler inside `korolev serve`: a thread of its own that fetches each enabled
//! source of korolev.toml when it is due (never fetched, or past the next attempt its last
//! run set: its interval with jitter after a success, a back-off after a failure). The file is
//! read again each round, so sources added, enabled or disabled while serving are seen. What
//! it stores, the server sees at its next request (it watches the store's data version).

use crate::cmd::sources::Config;
use korolev_facts::when::unix_now as now;
use korolev_fetch::{Fetcher, Settings};
use korolev_store::Store;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The longest the scheduler sleeps between looks at the file and the store.
const LOOK_EVERY: Duration = Duration::from_secs(5);

/// Starts the scheduler on a thread of its own; it runs until the process ends, keeping in
/// `beat` when it last went round (for `/health`).
/// What it fetches is counted in `metrics`.
pub fn start(
    data_dir: PathBuf,
    config: PathBuf,
    beat: korolev_web::Heartbeat,
    metrics: Arc<korolev_web::Metrics>,
) {
    let spawned = std::thread::Builder::new()
        .name("korolev-fetch".into())
        .spawn(move || run(data_dir, config, beat, metrics));
    if let Err(e) = spawned {
        tracing::error!("fetch scheduler: cannot start: {e}");
    }
}

fn run(
    data_dir: PathBuf,
    config: PathBuf,
    beat: korolev_web::Heartbeat,
    metrics: Arc<korolev_web::Metrics>,
) {
    let alive = || beat.store(now(), std::sync::atomic::Ordering::Relaxed);
    let mut store: Option<Mutex<Store>> = None;
    let mut fetcher: Option<(Settings, Fetcher)> = None;
    // The last complaint, said once until it changes.
    let mut said = String::new();
    loop {
        alive();
        let round = (|| -> anyhow::Result<()> {
            let file = Config::read(&config)?;
            let sources: Vec<_> = file.sources()?.into_iter().filter(|s| s.enabled).collect();
            if sources.is_empty() {
                return Ok(());
            }
            let settings = file.fetch_settings()?;
            if fetcher.as_ref().is_none_or(|(s, _)| *s != settings) {
                fetcher = Some((settings.clone(), Fetcher::new(settings)));
            }
            if store.is_none() {
                store = Some(Mutex::new(Store::open(&data_dir)?));
            }
            let (Some((_, fetcher)), Some(store)) = (&fetcher, &store) else {
                return Ok(());
            };
            let mut due = Vec::new();
            {
                let s = store.lock().unwrap_or_else(|p| p.into_inner());
                for source in &sources {
                    let next = s
                        .source_status(&source.url)?
                        .and_then(|st| st.next_attempt)
                        .unwrap_or(0);
                    if next <= now() {
                        due.push(source.to_fetch());
                    }
                }
            }
            if due.is_empty() {
                return Ok(());
            }
            let summary = fetcher.run(store, &due, &|_| alive())?;
            metrics.fetched(&summary);
            if summary.pages_new + summary.pages_revised + summary.sources_failed > 0 {
                tracing::info!(target: "korolev::fetch", "fetched: {summary}");
            }
            Ok(())
        })();
        match round {
            Ok(()) => said.clear(),
            Err(e) => {
                let what = format!("{e:#}");
                if what != said {
                    tracing::warn!(target: "korolev::fetch", "fetch scheduler: {what}");
                    said = what;
                }
                // A store that failed is opened afresh next round.
                store = None;
            }
        }
        std::thread::sleep(LOOK_EVERY);
    }
}
