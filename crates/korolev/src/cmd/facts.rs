//! `korolev facts`: what korolev reads in pages, printed without touching a store.

use crate::cmd::{print_human, process};
use anyhow::Result;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Files or directories to read; `-` reads standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// One JSON document per input and line, in the schema of docs/formats.md.
    #[arg(long)]
    pub json: bool,

    /// Largest document to accept, in bytes.
    #[arg(long, default_value_t = korolev_extract::MAX_DOCUMENT_BYTES, value_name = "BYTES")]
    pub max_bytes: usize,
}

pub fn run(args: Args) -> Result<ExitCode> {
    crate::cmd::each_page(&args.paths, args.max_bytes, |name, bytes, out| {
        let p = match process(name, bytes, korolev_store::document_id(bytes)) {
            Ok(p) => p,
            Err(err) => return Ok(Err(err.to_string())),
        };
        if args.json {
            writeln!(out, "{}", serde_json::to_string(&p.facts)?)?;
        } else {
            print_human(&p.facts, out)?;
        }
        Ok(Ok(()))
    })
}
