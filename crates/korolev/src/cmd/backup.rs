//! `korolev backup DEST` and `korolev restore SRC`: a copy of the store taken while it is
//! served and fed (SQLite's online backup API, one moment of it), and that copy put back.
//! A backup is a directory laid out as a data directory — the store and `korolev.toml` —
//! so `korolev serve --data-dir DEST` serves it as it is.

use crate::cmd::ingest::progress_bar;
use anyhow::{bail, Context, Result};
use korolev_store::DB_FILE;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct BackupArgs {
    /// The directory to write the backup into: made if missing, and holding no store yet.
    pub dest: PathBuf,
}

#[derive(clap::Args)]
pub struct RestoreArgs {
    /// A backup: the directory `korolev backup` wrote, or its store file.
    pub src: PathBuf,
    /// Replace the store the data directory holds; its content is first backed up into
    /// `before-restore-<time>` beside it.
    #[arg(long)]
    pub force: bool,
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

/// A bar that follows a copy's pages.
fn pages_bar(what: &str) -> (indicatif::ProgressBar, impl FnMut(u64, u64)) {
    let bar = progress_bar(0, what);
    let shown = bar.clone();
    (bar, move |done, all| {
        shown.set_length(all);
        shown.set_position(done);
    })
}

pub fn backup(args: BackupArgs, place: &crate::cmd::Place) -> Result<ExitCode> {
    let data_dir = place.data.as_path();
    let store = crate::cmd::existing_store(data_dir)?;
    if args.dest.is_file() {
        bail!(
            "{} is a file: give a directory to write the backup into",
            args.dest.display()
        );
    }
    std::fs::create_dir_all(&args.dest)
        .with_context(|| format!("cannot make the backup directory {}", args.dest.display()))?;
    let dest = args.dest.join(DB_FILE);
    let (bar, mut report) = pages_bar("backing up");
    let copied = store.backup_to(&dest, &mut report);
    bar.finish_and_clear();
    let copied = copied?;
    let config = &place.config;
    let config_copied = if config.is_file() {
        let to = args.dest.join("korolev.toml");
        std::fs::copy(config, &to)
            .with_context(|| format!("copying {} to {}", config.display(), to.display()))?;
        format!(", and {}", config.display())
    } else {
        String::new()
    };
    println!(
        "backed up {} ({}, schema {}) into {}{config_copied}",
        store.path().display(),
        megabytes(copied.bytes),
        copied.schema,
        args.dest.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// The store file of a backup: the file given, or the store in the directory given.
fn backup_file(src: &Path) -> Result<PathBuf> {
    if src.is_dir() {
        let file = src.join(DB_FILE);
        if !file.is_file() {
            bail!(
                "{} holds no {DB_FILE}: give the directory korolev backup wrote",
                src.display()
            );
        }
        return Ok(file);
    }
    if !src.is_file() {
        bail!("no backup at {}", src.display());
    }
    Ok(src.to_path_buf())
}

pub fn restore(args: RestoreArgs, place: &crate::cmd::Place) -> Result<ExitCode> {
    let data_dir = place.data.as_path();
    let from = backup_file(&args.src)?;
    korolev_store::check_backup(&from)?;
    // The configuration comes back only from a directory `backup` wrote.
    let config = Some(args.src.join("korolev.toml")).filter(|c| args.src.is_dir() && c.is_file());
    let live = data_dir.join(DB_FILE);
    let stamp = korolev_facts::when::unix_now();
    if live.is_file() {
        if !args.force {
            bail!(
                "{} holds a store already: --force replaces it (after backing it up beside it)",
                data_dir.display()
            );
        }
        // What is stored is kept first, with the configuration in use. What is written
        // between this copy and the restore (a fetch under way) is in neither: stop the
        // server's fetching for a restore.
        backup(
            BackupArgs {
                dest: data_dir.join(format!("before-restore-{stamp}")),
            },
            place,
        )?;
    } else if config.is_some() && place.config.is_file() {
        let kept = place
            .config
            .with_extension(format!("toml.before-restore-{stamp}"));
        std::fs::copy(&place.config, &kept)
            .with_context(|| format!("keeping {} as {}", place.config.display(), kept.display()))?;
    }
    let (bar, mut report) = pages_bar("restoring");
    let copied = korolev_store::restore(data_dir, &from, &mut report);
    bar.finish_and_clear();
    let copied = copied?;
    // The search index told of the store replaced: emptied, it is filled from the restored
    // one by the next korolev to hold it.
    match korolev_search::SearchIndex::open(data_dir) {
        Ok((index, _)) if index.writable() => index.clear()?,
        Ok(_) => eprintln!(
            "korolev: a running korolev serve holds the search index; restart it (or stop it \
             and run korolev reindex) so that search tells of the restored store"
        ),
        Err(e) => eprintln!("korolev: the search index: {e}; korolev reindex builds it again"),
    }
    let mut also = String::new();
    if let Some(config) = config.filter(|c| *c != place.config) {
        std::fs::copy(&config, &place.config).with_context(|| {
            format!("copying {} to {}", config.display(), place.config.display())
        })?;
        also = format!(", and {} into {}", config.display(), place.config.display());
    }
    println!(
        "restored {} into {}{also} ({}, schema {})",
        from.display(),
        data_dir.display(),
        megabytes(copied.bytes),
        copied.schema
    );
    Ok(ExitCode::SUCCESS)
}
