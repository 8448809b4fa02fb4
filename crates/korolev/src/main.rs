//! The `korolev` command: parses arguments and hands over to the crates. Nothing clever
//! lives here; each subcommand is a module of `cmd`.

mod cmd;
mod input;
mod logging;
mod warc;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// mimalloc: the facts rules make and drop many small strings, and glibc's allocator spends a
/// third of a large page's time on them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The version and the commit this binary was built from.
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("KOROLEV_COMMIT"),
    ")"
);

/// korolev: a self-hosted spaceflight newsroom and mission knowledge base.
#[derive(Parser)]
#[command(name = "korolev", version = VERSION, about, long_about = None, propagate_version = true)]
struct Cli {
    /// Where korolev keeps its store (default: the platform data directory, e.g.
    /// ~/.local/share/korolev).
    #[arg(long, global = true, env = "KOROLEV_DATA_DIR", value_name = "DIR")]
    data_dir: Option<PathBuf>,

    /// The configuration file: sources, server, fetching, logging (default: korolev.toml in
    /// the data directory; docs/configuration.md lists every key).
    #[arg(long, global = true, env = "KOROLEV_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,

    /// How log lines on standard error are written (default: [log] format, else text).
    #[arg(
        long,
        global = true,
        value_enum,
        env = "KOROLEV_LOG_FORMAT",
        value_name = "FORMAT"
    )]
    log_format: Option<cmd::settings::LogFormat>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Ingest the bundled sample corpus into a fresh store, summarise it and serve the portal.
    Demo(cmd::demo::Args),
    /// Serve the portal and the APIs (SNAPI v4, Open Notify, /api/v1) over HTTP.
    Serve(cmd::serve::Args),
    /// Read pages (.txt, .html, .htm, optionally .gz; .warc archives; directories
    /// recursively; - for stdin) into the store.
    Ingest(cmd::ingest::Args),
    /// Print the article of pages (title, date, authors, language, clean text) without
    /// storing anything.
    Extract(cmd::extract::Args),
    /// Print the article and facts of pages without storing anything.
    Facts(cmd::facts::Args),
    /// Print the articles and facts in the store.
    Export(cmd::export::Args),
    /// Print what all stored pages say together: merged facts with sources and conflicts,
    /// expeditions with dates and crews, who is aboard on a day.
    Knowledge(cmd::knowledge::Args),
    /// Read the stored pages again with this version's extraction and rules (those an older
    /// version read, or --all), keeping each article's number; resumable.
    Reextract(cmd::reextract::Args),
    /// The sites korolev follows (feeds, sitemaps, pages), kept in korolev.toml: add, list,
    /// remove, enable, disable, import OPML, export OPML.
    Sources(cmd::sources::Args),
    /// Fetch the sources of korolev.toml once (every enabled one, or those named): new and
    /// changed pages of their feeds and sitemaps are stored; `serve` does it on a schedule.
    Fetch(cmd::fetch::Args),
    /// Check the store (its schema, SQLite's integrity check) and korolev.toml; exit 1 when
    /// something fails.
    Check(cmd::check::Args),
    /// Copy the store (and korolev.toml) into a directory while it is served and fed: one
    /// moment of it, checked, servable with --data-dir as it is.
    Backup(cmd::backup::BackupArgs),
    /// Put a backup back into the data directory (--force to replace a store, which is first
    /// backed up beside it); a running server reads the restored store on its next request.
    Restore(cmd::backup::RestoreArgs),
    /// Search the stored articles: ranked, with snippets, the same story on several sites
    /// folded into one result.
    Search(cmd::search::SearchArgs),
    /// Build the search index again from the store, with a progress bar.
    Reindex(cmd::search::ReindexArgs),
    /// Measure korolev's quality against gold sets.
    #[command(subcommand)]
    Eval(cmd::eval::Eval),
    /// Measure korolev's speed.
    #[command(subcommand)]
    Bench(cmd::bench::Bench),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        // Commands that need no store and no configuration.
        Command::Extract(args) => cmd::extract::run(args),
        Command::Facts(args) => cmd::facts::run(args),
        Command::Eval(e) => cmd::eval::run(e),
        Command::Bench(b) => cmd::bench::run(b),
        command => cmd::Place::resolve(cli.data_dir.clone(), cli.config.clone())
            .and_then(|place| run(command, cli.data_dir, cli.log_format, &place)),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("korolev: error: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn run(
    command: Command,
    data_dir_given: Option<PathBuf>,
    log_format: Option<cmd::settings::LogFormat>,
    place: &cmd::Place,
) -> anyhow::Result<ExitCode> {
    // Logging as the file says, unless told otherwise; a file that does not read is the
    // command's to report.
    let log = place
        .read_config()
        .and_then(|c| c.log())
        .unwrap_or_default();
    logging::init(
        log.level.as_deref(),
        log_format
            .or(log.format)
            .unwrap_or(cmd::settings::LogFormat::Text),
    );
    let data = place.data.as_path();
    match command {
        Command::Demo(args) => cmd::demo::run(args, data_dir_given),
        Command::Ingest(args) => cmd::ingest::run(args, data),
        Command::Serve(args) => cmd::serve::run(args, place),
        Command::Export(args) => cmd::export::run(args, data),
        Command::Knowledge(args) => cmd::knowledge::run(args, data),
        Command::Reextract(args) => cmd::reextract::run(args, data),
        Command::Sources(args) => cmd::sources::run(args, place),
        Command::Fetch(args) => cmd::fetch::run(args, place),
        Command::Check(args) => cmd::check::run(args, place),
        Command::Backup(args) => cmd::backup::backup(args, place),
        Command::Restore(args) => cmd::backup::restore(args, place),
        Command::Search(args) => cmd::search::search(args, data),
        Command::Reindex(args) => cmd::search::reindex(args, data),
        Command::Extract(args) => cmd::extract::run(args),
        Command::Facts(args) => cmd::facts::run(args),
        Command::Eval(e) => cmd::eval::run(e),
        Command::Bench(b) => cmd::bench::run(b),
    }
}
