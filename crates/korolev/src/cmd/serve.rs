//! `korolev serve`: the portal and the APIs over HTTP, until SIGINT or SIGTERM.

use anyhow::{Context, Result};
use korolev_web::App;
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

/// Where the server listens unless told otherwise.
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";

#[derive(clap::Args)]
pub struct Args {
    /// Address and port to listen on (port 0 picks a free one).
    #[arg(long, default_value = DEFAULT_BIND, value_name = "ADDR:PORT")]
    pub bind: SocketAddr,
    /// The address clients reach the server at, when it is not the bound one (behind a proxy:
    /// `https://news.example.org`). Links in answers are built from it, never from the
    /// request's `Host` header. Default: `http://` and the bound address.
    #[arg(long, value_name = "URL", env = "KOROLEV_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Open connections at most; past it a new connection is answered 503 at once. Never more
    /// than the file limit allows (which is raised to its hard maximum at start).
    #[arg(long, default_value_t = korolev_web::Limits::default().max_connections, value_name = "N")]
    pub max_connections: usize,
    /// Seconds a client has to send a request's headers once connected or idle; a slower
    /// one is disconnected.
    #[arg(long, default_value_t = korolev_web::Limits::default().header_timeout.as_secs(), value_name = "SECONDS")]
    pub header_timeout: u64,
    /// Requests per second one client address may make, in bursts of up to twice as many;
    /// past it, 429 with Retry-After. Off unless given.
    #[arg(long, value_name = "PER_SECOND")]
    pub rate_limit: Option<f64>,
    /// Work out every answer afresh instead of sending the one kept from an identical
    /// request made since the store last changed.
    #[arg(long)]
    pub no_answer_cache: bool,
    /// The configuration file whose enabled sources are fetched while serving, each on its
    /// interval (default: korolev.toml in the data directory).
    #[arg(long, env = "KOROLEV_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Serve only: fetch no sources.
    #[arg(long)]
    pub no_fetch: bool,
}

pub fn run(args: Args, data_dir: &Path) -> Result<ExitCode> {
    // A mistyped --data-dir is said, not served as a new empty store. A directory made for a
    // newsroom that fetches (`korolev sources add` makes it) may hold no store yet.
    if !data_dir.is_dir() {
        anyhow::bail!(
            "no store in {}: korolev ingest PATH or korolev demo makes one, korolev sources add URL \
             starts one that fetches",
            data_dir.display()
        );
    }
    if args.max_connections == 0 || args.header_timeout == 0 {
        anyhow::bail!("--max-connections and --header-timeout must be at least 1");
    }
    if let Some(r) = args.rate_limit.filter(|r| !(r.is_finite() && *r > 0.0)) {
        anyhow::bail!("--rate-limit {r}: give requests per second, more than 0");
    }
    let limits = korolev_web::Limits {
        header_timeout: std::time::Duration::from_secs(args.header_timeout),
        max_connections: args.max_connections,
        rate_limit: args.rate_limit,
        keep_answers: !args.no_answer_cache,
    };
    let mut listed = None;
    let mut heartbeat = None;
    if !args.no_fetch {
        use crate::cmd::sources::Config;
        let config = Config::path_for(args.config, data_dir);
        // Read once before serving, so that a bad file is named at start rather than in a log.
        Config::read(&config)?.fetch_settings()?;
        let beat = korolev_web::Heartbeat::default();
        crate::cmd::schedule::start(data_dir.to_path_buf(), config.clone(), beat.clone());
        heartbeat = Some(beat);
        let list: korolev_web::SourceList = Arc::new(move || {
            let sources = Config::read(&config).and_then(|c| c.sources());
            sources
                .map(|l| l.iter().map(|s| s.to_entry()).collect())
                .map_err(|e| format!("{e:#}"))
        });
        listed = Some(list);
    }
    serve(
        data_dir,
        args.bind,
        args.public_url.as_deref(),
        limits,
        Following {
            sources: listed,
            heartbeat,
        },
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Raises the limit of open files to its hard maximum and returns the connections that fit
/// under it (a few dozen files are kept for the store and the rest of the process).
fn connections_within_file_limit(wanted: usize) -> usize {
    #[cfg(unix)]
    {
        match rlimit::increase_nofile_limit(u64::MAX) {
            Ok(limit) => {
                let fit = usize::try_from(limit.saturating_sub(64)).unwrap_or(usize::MAX);
                if fit < wanted {
                    eprintln!(
                        "korolev: the file limit is {limit}: at most {} open connections",
                        fit.max(1)
                    );
                }
                return wanted.min(fit).max(1);
            }
            Err(e) => eprintln!("korolev: cannot raise the file limit: {e}"),
        }
    }
    wanted
}

/// What a server that fetches shows of it: the sources configured (`/sources`) and the
/// scheduler's rounds (`/health`).
#[derive(Default)]
pub struct Following {
    pub sources: Option<korolev_web::SourceList>,
    pub heartbeat: Option<korolev_web::Heartbeat>,
}

/// Serves the store in `data_dir` on `bind` until a signal stops it; prints the address first.
/// Links in answers start with `public_url`, else with the bound address.
pub fn serve(
    data_dir: &Path,
    bind: SocketAddr,
    public_url: Option<&str>,
    limits: korolev_web::Limits,
    following: Following,
) -> Result<()> {
    let limits = korolev_web::Limits {
        max_connections: connections_within_file_limit(limits.max_connections),
        ..limits
    };
    if let Some(url) = public_url {
        if korolev_web::web_url(url).is_none() {
            anyhow::bail!("--public-url {url:?} is not an http or https URL");
        }
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the server's runtime")?;
    runtime.block_on(async {
        let mut app = App::open(data_dir, &korolev_facts::when::today())?;
        if let Some(list) = following.sources {
            app = app.with_sources(list);
        }
        if let Some(beat) = following.heartbeat {
            app = app.with_heartbeat(beat);
        }
        let listener = korolev_web::bind(bind).await?;
        let local = listener.local_addr()?;
        let base = public_url.map_or_else(|| format!("http://{local}"), str::to_string);
        let app = Arc::new(app.with_public_url(&base).map_err(anyhow::Error::msg)?);
        // Listening for the signals before saying so.
        let stop = korolev_web::shutdown_signal();
        println!(
            "korolev: serving {} at http://{local}/ (Ctrl-C stops)",
            data_dir.display()
        );
        std::io::stdout().flush()?;
        korolev_web::serve_with(app, listener, stop, limits).await?;
        eprintln!("korolev: stopped");
        Ok(())
    })
}
