//! `korolev export`: everything in the store, document by document.

use crate::cmd::print_human;
use anyhow::Result;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// One JSON document per stored document and line, in the schema of docs/formats.md.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args, data_dir: &Path) -> Result<ExitCode> {
    let store = crate::cmd::existing_store(data_dir)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for id in store.document_ids()? {
        let Some(facts) = store.document_facts(&id)? else {
            continue;
        };
        if args.json {
            writeln!(out, "{}", serde_json::to_string(&facts)?)?;
        } else {
            print_human(&facts, &mut out)?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
