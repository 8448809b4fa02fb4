//! Logs by `tracing`, on standard error: the level from `KOROLEV_LOG`, else `RUST_LOG`, else
//! `[log] level` of korolev.toml, else `info`; one line of text per event, or one JSON object
//! per line with `--log-format json`. Standard output stays the commands' own.

use crate::cmd::settings::LogFormat;
use tracing_subscriber::EnvFilter;

/// The filter a level spec gives ("info", "warn,korolev::request=off").
pub fn filter(spec: &str) -> Result<EnvFilter, String> {
    EnvFilter::builder()
        .parse(spec)
        .map_err(|e| format!("{spec:?} is not a log level or filter: {e}"))
}

/// Sets up logging once for the process; a bad level from the environment is said, and the
/// default used.
pub fn init(configured: Option<&str>, format: LogFormat) {
    let from_env = ["KOROLEV_LOG", "RUST_LOG"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()));
    let spec = from_env.or(configured.map(str::to_string));
    let chosen = spec.as_deref().map(filter);
    let filter = match chosen {
        Some(Ok(f)) => f,
        Some(Err(e)) => {
            eprintln!("korolev: log level: {e}; logging at info");
            EnvFilter::new("info")
        }
        None => EnvFilter::new("info"),
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Text => builder.with_ansi(false).try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
}
