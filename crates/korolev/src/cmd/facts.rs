//! `korolev facts`: what korolev reads in pages, printed without touching a store.

use crate::cmd::{print_human, process};
use crate::input::{collect, read};
use anyhow::Result;
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

    /// Largest document to accept, in bytes.
    #[arg(long, default_value_t = korolev_extract::MAX_DOCUMENT_BYTES, value_name = "BYTES")]
    pub max_bytes: usize,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let (sources, list_errors) = collect(&args.paths);
    let mut failed = list_errors.len();
    for e in &list_errors {
        eprintln!("korolev: skipped {}: {}", e.name, e.reason);
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for source in &sources {
        let name = source.name();
        match read(source, args.max_bytes).and_then(|bytes| {
            process(&name, &bytes, korolev_store::document_id(&bytes)).map_err(|e| e.to_string())
        }) {
            Ok(p) if args.json => writeln!(out, "{}", serde_json::to_string(&p.facts)?)?,
            Ok(p) => print_human(&p.facts, &mut out)?,
            Err(reason) => {
                failed += 1;
                out.flush()?;
                eprintln!("korolev: skipped {name}: {reason}");
            }
        }
    }
    out.flush()?;
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
