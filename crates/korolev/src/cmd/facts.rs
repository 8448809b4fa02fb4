//! `korolev facts`: what korolev reads in pages, printed without touching a store.

use crate::cmd::{knowledge, print_human, process};
use anyhow::Result;
use korolev_facts::knowledge::Knowledge;
use std::io::Write;
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

    /// Print the pages' facts merged, as `korolev knowledge` does for the store, instead of
    /// each page's facts.
    #[arg(long)]
    pub knowledge: bool,

    /// With --knowledge: the day to tell who is aboard (YYYY-MM-DD; default: today).
    #[arg(long, value_name = "DATE", requires = "knowledge")]
    pub at: Option<String>,

    #[command(flatten)]
    pub page: crate::cmd::PageArgs,

    /// Largest document to accept, in bytes.
    #[arg(long, default_value_t = korolev_extract::MAX_DOCUMENT_BYTES, value_name = "BYTES")]
    pub max_bytes: usize,
}

pub fn run(args: Args) -> Result<ExitCode> {
    args.page.check(&args.paths)?;
    if args.knowledge {
        return run_knowledge(args);
    }
    crate::cmd::each_page(&args.paths, args.max_bytes, |name, bytes, out| {
        let p = match process(
            name,
            bytes,
            korolev_store::document_id(bytes),
            &args.page.hints(),
        ) {
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

/// `--knowledge`: every page read first, then their facts merged and printed once.
fn run_knowledge(args: Args) -> Result<ExitCode> {
    let at = knowledge::day(args.at.as_deref())?;
    let mut docs = Vec::new();
    let code = crate::cmd::each_page(&args.paths, args.max_bytes, |name, bytes, _| {
        Ok(process(
            name,
            bytes,
            korolev_store::document_id(bytes),
            &args.page.hints(),
        )
        .map(|p| docs.push(p.facts))
        .map_err(|e| e.to_string()))
    })?;
    let k = Knowledge::from_documents(&docs, &at);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.json {
        writeln!(out, "{}", serde_json::to_string(&k)?)?;
    } else {
        knowledge::print(&k, true, &mut out)?;
    }
    out.flush()?;
    Ok(code)
}
