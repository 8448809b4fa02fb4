//! `korolev eval facts`: facts from prose scored against a gold set, per claim kind and entity
//! kind.

use crate::input::{collect, read, Source};
use anyhow::{bail, Context, Result};
use korolev_extract::{extract, Input};
use korolev_facts::gazetteer::Gazetteer;
use korolev_facts::gold::{self, Score};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum Eval {
    /// Score facts from prose against a gold set (default: korolev's own, which covers the
    /// bundled corpus and the five seed pages). Pages are matched to the gold by file name
    /// without extensions; pages the gold does not cover are skipped.
    Facts {
        /// Pages to read (default: the bundled sample corpus). Add the seed pages to score
        /// them too.
        #[arg(value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// A gold file in the format of docs/formats.md ("Gold set").
        #[arg(long, value_name = "FILE")]
        gold: Option<PathBuf>,
        /// Also list every missed and wrong claim and entity.
        #[arg(long)]
        errors: bool,
    },
}

/// "corpus/2019/2019-03-14-soyuz-ms-12-launch.txt.gz" → "2019-03-14-soyuz-ms-12-launch".
fn page_name(name: &str) -> String {
    let file = Path::new(name)
        .file_name()
        .map_or_else(|| name.to_string(), |f| f.to_string_lossy().into_owned());
    let mut stem = file.as_str();
    for ext in [".gz", ".html", ".htm", ".txt"] {
        stem = stem.strip_suffix(ext).unwrap_or(stem);
    }
    stem.to_string()
}

pub fn run(eval: Eval) -> Result<ExitCode> {
    let Eval::Facts {
        paths,
        gold: gold_path,
        errors,
    } = eval;
    let gold_text = match &gold_path {
        Some(p) => {
            std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?
        }
        None => gold::PROSE_GOLD.to_string(),
    };
    let label = gold_path
        .as_ref()
        .map_or("korolev's gold set".to_string(), |p| {
            p.display().to_string()
        });
    let pages = gold::parse(&gold_text).with_context(|| format!("in {label}"))?;
    let sources: Vec<Source> = if paths.is_empty() {
        crate::cmd::demo::corpus_sources()
    } else {
        let (s, errs) = collect(&paths);
        for e in errs {
            eprintln!("korolev: skipped {}: {}", e.name, e.reason);
        }
        s
    };
    let g = Gazetteer::builtin();
    let mut score = Score::default();
    for source in &sources {
        let name = source.name();
        let key = page_name(&name);
        let Some(page_gold) = pages.get(&key) else {
            continue;
        };
        let bytes = match read(source, korolev_extract::MAX_DOCUMENT_BYTES) {
            Ok(b) => b,
            Err(reason) => {
                eprintln!("korolev: skipped {name}: {reason}");
                continue;
            }
        };
        let extracted = match extract(&Input {
            bytes: &bytes,
            name: &name,
            content_type: None,
            url: None,
        }) {
            Ok(x) => x,
            Err(e) => {
                eprintln!("korolev: skipped {name}: {e}");
                continue;
            }
        };
        let (entities, claims) = korolev_facts::prose_facts(&key, &extracted, g);
        score.page(&key, page_gold, &entities, &claims);
    }
    if score.pages == 0 {
        bail!("none of the pages is in {label}: pages are matched by file name without extensions");
    }
    print!("{}", score.report());
    if errors {
        for (page, what, line) in &score.errors {
            println!("{page}\t{what}\t{line}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
