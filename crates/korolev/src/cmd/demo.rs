//! `korolev demo`: the bundled sample corpus, ingested into a fresh store, and a summary of
//! what korolev found in it.

use crate::cmd::ingest::{ingest_sources, Tally};
use crate::cmd::knowledge;
use crate::input::Source;
use anyhow::{Context, Result};
use korolev_store::Store;
use std::path::PathBuf;
use std::process::ExitCode;

include!(concat!(env!("OUT_DIR"), "/corpus.rs"));

#[derive(clap::Args)]
pub struct Args {
    /// Print nothing but the summary.
    #[arg(long, short)]
    pub quiet: bool,

    /// Stop after the summary instead of serving the portal.
    #[arg(long)]
    pub no_serve: bool,

    /// Address and port to serve on (port 0 picks a free one).
    #[arg(long, default_value = crate::cmd::serve::DEFAULT_BIND, value_name = "ADDR:PORT")]
    pub bind: std::net::SocketAddr,
}

/// The bundled corpus as sources.
pub fn corpus_sources() -> Vec<Source> {
    CORPUS
        .iter()
        .map(|&(name, bytes)| Source::Embedded { name, bytes })
        .collect()
}

pub fn run(args: Args, data_dir: Option<PathBuf>) -> Result<ExitCode> {
    // A port that is taken is said before any work, not after it.
    if !args.no_serve {
        std::net::TcpListener::bind(args.bind).map_err(|e| {
            anyhow::anyhow!("cannot listen on {}: {e} (--bind picks another)", args.bind)
        })?;
    }
    // The demo never touches a real store unless asked to: by default it makes a fresh one,
    // removed once the portal stops.
    let temporary = data_dir.is_none();
    let dir = match data_dir {
        Some(d) => d,
        None => {
            let d = std::env::temp_dir().join(format!("korolev-demo-{}", std::process::id()));
            if d.exists() {
                std::fs::remove_dir_all(&d).with_context(|| format!("clearing {}", d.display()))?;
            }
            d
        }
    };
    let mut store =
        Store::open(&dir).with_context(|| format!("opening the store in {}", dir.display()))?;
    let mut tally = Tally::default();
    ingest_sources(
        &mut store,
        &corpus_sources(),
        korolev_extract::MAX_DOCUMENT_BYTES,
        &korolev_pipeline::Hints::default(),
        args.quiet,
        &mut tally,
    )?;
    let counts = store.counts()?;
    println!(
        "korolev demo: the bundled sample corpus, {} pages",
        CORPUS.len()
    );
    println!("  {tally}");
    println!(
        "  store: {} ({} documents, {} entities, {} claims)",
        store.path().display(),
        counts.documents,
        counts.entities,
        counts.claims
    );
    println!();
    let k = store.knowledge(&korolev_facts::when::today())?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    knowledge::print(&k, false, &mut out)?;
    drop(out);
    if tally.failed > 0 {
        eprintln!(
            "korolev demo: {} pages of the bundled corpus failed",
            tally.failed
        );
        return Ok(ExitCode::from(1));
    }
    if args.no_serve {
        println!(
            "Next: `korolev --data-dir {} serve` serves the portal; `knowledge` prints every merged fact.",
            dir.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let served = crate::cmd::serve::serve(
        &dir,
        args.bind,
        None,
        korolev_web::Limits::default(),
        Default::default(),
    );
    if temporary {
        drop(store);
        if let Err(e) = std::fs::remove_dir_all(&dir) {
            eprintln!("korolev demo: cannot remove {}: {e}", dir.display());
        }
    }
    served?;
    Ok(ExitCode::SUCCESS)
}
