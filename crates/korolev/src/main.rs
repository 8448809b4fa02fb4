//! The `korolev` command: parses arguments and hands over to the crates. Nothing clever
//! lives here; each subcommand is a module of `cmd`.

mod cmd;
mod input;
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
    /// Measure korolev's quality against gold sets.
    #[command(subcommand)]
    Eval(cmd::eval::Eval),
    /// Measure korolev's speed.
    #[command(subcommand)]
    Bench(cmd::bench::Bench),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let data_dir = cli.data_dir;
    let result = match cli.command {
        Command::Demo(args) => cmd::demo::run(args, data_dir),
        Command::Ingest(args) => {
            cmd::data_dir(data_dir).and_then(|dir| cmd::ingest::run(args, &dir))
        }
        Command::Extract(args) => cmd::extract::run(args),
        Command::Facts(args) => cmd::facts::run(args),
        Command::Serve(args) => cmd::data_dir(data_dir).and_then(|dir| cmd::serve::run(args, &dir)),
        Command::Export(args) => {
            cmd::data_dir(data_dir).and_then(|dir| cmd::export::run(args, &dir))
        }
        Command::Knowledge(args) => {
            cmd::data_dir(data_dir).and_then(|dir| cmd::knowledge::run(args, &dir))
        }
        Command::Reextract(args) => {
            cmd::data_dir(data_dir).and_then(|dir| cmd::reextract::run(args, &dir))
        }
        Command::Sources(args) => {
            cmd::data_dir(data_dir).and_then(|dir| cmd::sources::run(args, &dir))
        }
        Command::Fetch(args) => cmd::data_dir(data_dir).and_then(|dir| cmd::fetch::run(args, &dir)),
        Command::Check(args) => cmd::data_dir(data_dir).and_then(|dir| cmd::check::run(args, &dir)),
        Command::Backup(args) => {
            cmd::data_dir(data_dir).and_then(|dir| cmd::backup::backup(args, &dir))
        }
        Command::Restore(args) => {
            cmd::data_dir(data_dir).and_then(|dir| cmd::backup::restore(args, &dir))
        }
        Command::Eval(e) => cmd::eval::run(e),
        Command::Bench(b) => cmd::bench::run(b),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("korolev: error: {err:#}");
            ExitCode::from(2)
        }
    }
}
