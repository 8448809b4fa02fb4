//! `korolev reextract`: the stored pages read again by this korolev's extraction and rules,
//! without fetching anything, after an upgrade changed what they find.

use anyhow::Result;
use std::path::Path;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Read every stored page again, not only those an older extraction read.
    #[arg(long)]
    pub all: bool,
}

pub fn run(args: Args, data_dir: &Path) -> Result<ExitCode> {
    let mut store = crate::cmd::existing_store(data_dir)?;
    let bar = crate::cmd::ingest::progress_bar(0, "reading again");
    let done = korolev_pipeline::reextract(&mut store, args.all, |n, of| {
        bar.set_length(of);
        bar.set_position(n);
    })?;
    bar.finish_and_clear();
    for (source, reason) in &done.failed {
        crate::input::skipped(source, format!("{reason} (what was found before is kept)"));
    }
    eprintln!(
        "read again {} · failed {} · by {}  ({})",
        done.done,
        done.failed.len(),
        korolev_pipeline::extracted_with(),
        store.path().display()
    );
    Ok(if done.failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
