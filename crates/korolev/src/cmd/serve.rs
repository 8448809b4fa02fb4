//! `korolev serve`: the portal and the APIs over HTTP, until SIGINT or SIGTERM.

use anyhow::{Context, Result};
use korolev_web::App;
use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

/// Where the server listens unless told otherwise.
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";

#[derive(clap::Args)]
pub struct Args {
    /// Address and port to listen on; port 0 picks a free one (default: [server] bind, else
    /// 127.0.0.1:8080).
    #[arg(long, env = "KOROLEV_BIND", value_name = "ADDR:PORT")]
    pub bind: Option<SocketAddr>,
    /// The address clients reach the server at, when it is not the bound one (behind a proxy:
    /// `https://news.example.org`). Links in answers are built from it, never from the
    /// request's `Host` header. Default: [server] public_url, else `http://` and the bound
    /// address.
    #[arg(long, value_name = "URL", env = "KOROLEV_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Open connections at most; past it a new connection is answered 503 at once. Never more
    /// than the file limit allows (which is raised to its hard maximum at start). Default:
    /// [server] max_connections, else 4096.
    #[arg(long, value_name = "N")]
    pub max_connections: Option<usize>,
    /// Seconds a client has to send a request's headers once connected or idle; a slower
    /// one is disconnected (default: [server] header_timeout, else 10).
    #[arg(long, value_name = "SECONDS")]
    pub header_timeout: Option<u64>,
    /// Requests per second one client address may make, in bursts of up to twice as many;
    /// past it, 429 with Retry-After. Off unless given here or as [server] rate_limit.
    #[arg(long, value_name = "PER_SECOND")]
    pub rate_limit: Option<f64>,
    /// Work out every answer afresh instead of sending the one kept from an identical
    /// request made since the store last changed ([server] answer_cache = false).
    #[arg(long)]
    pub no_answer_cache: bool,
    /// Serve only: fetch no sources ([server] fetch = false).
    #[arg(long)]
    pub no_fetch: bool,
    /// Serve `/metrics` (Prometheus text) on this address, apart from the public port. Off
    /// unless given here or as [server] metrics_bind.
    #[arg(long, env = "KOROLEV_METRICS_BIND", value_name = "ADDR:PORT")]
    pub metrics_bind: Option<SocketAddr>,
    /// Articles' lead images: `linked` shows them from where their pages say they are (as
    /// SNAPI's image_url does), `cached` only the copies the fetcher kept ([fetch]
    /// keep_images = true), from this server; `off` shows none (default: [server] images,
    /// else linked).
    #[arg(long, value_name = "linked|cached|off")]
    pub images: Option<korolev_web::Images>,
}

/// How `serve` runs: each from its flag (or environment variable), else korolev.toml's
/// `[server]`, else the default.
struct Settings {
    bind: SocketAddr,
    public_url: Option<String>,
    limits: korolev_web::Limits,
    fetch: bool,
    metrics_bind: Option<SocketAddr>,
    images: korolev_web::Images,
}

fn settings(args: Args, file: crate::cmd::settings::Server) -> Result<Settings> {
    let defaults = korolev_web::Limits::default();
    let bind = match args.bind.or(file.bind) {
        Some(b) => b,
        None => DEFAULT_BIND.parse().context("the default address")?,
    };
    let max_connections = args
        .max_connections
        .or(file.max_connections)
        .unwrap_or(defaults.max_connections);
    let header_timeout = args
        .header_timeout
        .or(file.header_timeout)
        .unwrap_or(defaults.header_timeout.as_secs());
    if max_connections == 0 || header_timeout == 0 {
        anyhow::bail!("--max-connections and --header-timeout must be at least 1");
    }
    let rate_limit = args.rate_limit.or(file.rate_limit);
    if let Some(r) = rate_limit.filter(|r| !(r.is_finite() && *r > 0.0)) {
        anyhow::bail!("--rate-limit {r}: give requests per second, more than 0");
    }
    Ok(Settings {
        bind,
        public_url: args.public_url.or(file.public_url),
        limits: korolev_web::Limits {
            header_timeout: std::time::Duration::from_secs(header_timeout),
            max_connections,
            rate_limit,
            keep_answers: !args.no_answer_cache && file.answer_cache.unwrap_or(true),
        },
        fetch: !args.no_fetch && file.fetch.unwrap_or(true),
        metrics_bind: args.metrics_bind.or(file.metrics_bind),
        images: args.images.or(file.images).unwrap_or_default(),
    })
}

pub fn run(args: Args, place: &crate::cmd::Place) -> Result<ExitCode> {
    use crate::cmd::sources::Config;
    let data_dir = place.data.as_path();
    // A mistyped --data-dir is said, not served as a new empty store. A directory made for a
    // newsroom that fetches (`korolev sources add` makes it) may hold no store yet.
    if !data_dir.is_dir() {
        anyhow::bail!(
            "no store in {}: korolev ingest PATH or korolev demo makes one, korolev sources add URL \
             starts one that fetches",
            data_dir.display()
        );
    }
    // The whole file is read before serving, so that a bad key is named at start rather than
    // in a log.
    let file = Config::read(&place.config)?;
    file.check_all()?;
    let settings = settings(args, file.server()?)?;
    if settings.images == korolev_web::Images::Cached && !file.fetch_settings()?.keep_images {
        tracing::warn!(
            "images are served from the copies the fetcher keeps, and it keeps none: set \
             [fetch] keep_images = true in {}",
            place.config.display()
        );
    }
    let metrics = Arc::new(korolev_web::Metrics::default());
    let mut listed = None;
    let mut heartbeat = None;
    if settings.fetch {
        let config = place.config.clone();
        let beat = korolev_web::Heartbeat::default();
        crate::cmd::schedule::start(
            data_dir.to_path_buf(),
            config.clone(),
            beat.clone(),
            Arc::clone(&metrics),
        );
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
        settings.bind,
        settings.public_url.as_deref(),
        settings.limits,
        Following {
            sources: listed,
            heartbeat,
            metrics: Some(metrics),
            metrics_bind: settings.metrics_bind,
            images: settings.images,
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
                    tracing::warn!(
                        "the file limit is {limit}: at most {} open connections",
                        fit.max(1)
                    );
                }
                return wanted.min(fit).max(1);
            }
            Err(e) => tracing::warn!("cannot raise the file limit: {e}"),
        }
    }
    wanted
}

/// What a server that fetches shows of it: the sources configured (`/sources`) and the
/// scheduler's rounds (`/health`); and how the portal shows what was fetched.
#[derive(Default)]
pub struct Following {
    pub sources: Option<korolev_web::SourceList>,
    pub heartbeat: Option<korolev_web::Heartbeat>,
    /// What the server counts, shared with the fetch scheduler.
    pub metrics: Option<Arc<korolev_web::Metrics>>,
    /// Where `/metrics` is served, if anywhere.
    pub metrics_bind: Option<SocketAddr>,
    /// How the portal shows articles' lead images.
    pub images: korolev_web::Images,
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
        let mut app =
            App::open(data_dir, &korolev_facts::when::today())?.with_images(following.images);
        if let Some(list) = following.sources {
            app = app.with_sources(list);
        }
        if let Some(beat) = following.heartbeat {
            app = app.with_heartbeat(beat);
        }
        if let Some(m) = following.metrics {
            app = app.with_metrics(m);
        }
        let listener = korolev_web::bind(bind).await?;
        let metrics_listener = match following.metrics_bind {
            Some(at) => Some(korolev_web::bind(at).await?),
            None => None,
        };
        let local = listener.local_addr()?;
        let base = public_url.map_or_else(|| format!("http://{local}"), str::to_string);
        let app = Arc::new(app.with_public_url(&base).map_err(anyhow::Error::msg)?);
        // Listening for the signals before saying so.
        let stop = korolev_web::shutdown_signal();
        if let Some(listener) = metrics_listener {
            let at = listener.local_addr()?;
            tracing::info!(%at, "serving /metrics");
            let metrics_app = Arc::clone(&app);
            tokio::spawn(async move {
                let never = std::future::pending::<()>();
                if let Err(e) = korolev_web::serve_metrics(metrics_app, listener, never).await {
                    tracing::error!("serving /metrics: {e}");
                }
            });
        }
        println!(
            "korolev: serving {} at http://{local}/ (Ctrl-C stops)",
            data_dir.display()
        );
        std::io::stdout().flush()?;
        tracing::info!(address = %local, store = %data_dir.display(), "serving");
        let closing = Arc::clone(&app);
        korolev_web::serve_with(app, listener, stop, limits).await?;
        // A catch-up under way finishes and the index's writer is let go before the store's
        // directory is left to others (the demo removes its own).
        tokio::task::spawn_blocking(move || closing.close())
            .await
            .ok();
        tracing::info!("stopped");
        Ok(())
    })
}
