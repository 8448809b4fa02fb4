//! `korolev eval facts`: facts scored against a gold set. Two kinds of gold are read:
//! korolev's own (claims and entity ids per page, docs/formats.md "Gold set") and JSON lines in
//! the annotation schema of the shared space-news set (people as written, spacecraft, crew,
//! launches, dockings…), which is also what `--predictions` writes.

use crate::cmd::PageArgs;
use crate::input::{collect, read, Source};
use anyhow::{bail, Context, Result};
use korolev_extract::{extract, PartialDate};
use korolev_facts::annotation::{self, Annotation};
use korolev_facts::gazetteer::Gazetteer;
use korolev_facts::gold::{self, Score};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum Eval {
    /// Score facts against a gold set (default: korolev's own, which covers the bundled
    /// corpus and the five seed pages). Pages are matched to the gold by file name without
    /// extensions; pages the gold does not cover are skipped. A gold file of JSON lines
    /// (`.jsonl`) is read in the annotation schema of the shared space-news set: its texts are
    /// the PATHs, else the `texts/` folder beside it, and a `meta.jsonl` beside it gives each
    /// text's publication date and URL.
    Facts {
        /// Pages to read (default: the bundled sample corpus, or the texts beside a `.jsonl`
        /// gold). Add the seed pages to score them too.
        #[arg(value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// A gold file: korolev's own format, or JSON lines in the annotation schema.
        #[arg(long, value_name = "FILE")]
        gold: Option<PathBuf>,
        /// Write korolev's facts of every page in the annotation schema, one JSON object per
        /// line, to FILE (`-` for standard output). Without --gold, only this is done.
        #[arg(long, value_name = "FILE")]
        predictions: Option<PathBuf>,
        /// Also list every missed and wrong fact.
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

fn is_json_lines(path: &Path, text: &str) -> bool {
    path.extension().is_some_and(|e| e == "jsonl") || text.trim_start().starts_with('{')
}

pub fn run(eval: Eval) -> Result<ExitCode> {
    let Eval::Facts {
        paths,
        gold: gold_path,
        predictions,
        errors,
    } = eval;
    let Some(gold_path) = gold_path else {
        if let Some(out) = predictions {
            if paths.is_empty() {
                bail!("--predictions without --gold needs the pages to read: give their PATHs");
            }
            annotate_pages(&paths, None, None, Some(&out))?;
            return Ok(ExitCode::SUCCESS);
        }
        return own_gold(&paths, gold::PROSE_GOLD, "korolev's gold set", errors);
    };
    let text = std::fs::read_to_string(&gold_path)
        .with_context(|| format!("reading {}", gold_path.display()))?;
    let label = gold_path.display().to_string();
    if !is_json_lines(&gold_path, &text) {
        if predictions.is_some() {
            bail!("--predictions writes the annotation schema: give a .jsonl gold, or none");
        }
        return own_gold(&paths, &text, &label, errors);
    }
    let gold = annotation::parse_lines(&text).with_context(|| format!("in {label}"))?;
    let beside = gold_path.parent().unwrap_or(Path::new("."));
    let paths = if paths.is_empty() {
        let texts = beside.join("texts");
        if !texts.is_dir() {
            bail!(
                "no pages to score: give their PATHs, or keep them in {} beside the gold",
                texts.display()
            );
        }
        vec![texts]
    } else {
        paths
    };
    let meta = read_meta(&beside.join("meta.jsonl"))?;
    let ids: Vec<&str> = gold.iter().map(|g| g.id.as_str()).collect();
    let predicted = annotate_pages(&paths, Some(&ids), Some(&meta), predictions.as_deref())?;
    if predicted.is_empty() {
        bail!("none of the pages is in {label}: pages are matched by file name without extensions");
    }
    let scores = annotation::score(&gold, &predicted);
    print!("{}", scores.table());
    if errors {
        for (id, field, what, value) in &scores.errors {
            println!("{id}\t{field}\t{what}\t{value}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// What a set's `meta.jsonl` says of each text: its publication date and URL.
#[derive(Default, Clone)]
struct Meta {
    published: Option<PartialDate>,
    url: Option<String>,
}

fn read_meta(path: &Path) -> Result<BTreeMap<String, Meta>> {
    let mut out = BTreeMap::new();
    let Ok(text) = std::fs::read_to_string(path) else {
        return Ok(out);
    };
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(line)
            .with_context(|| format!("{}, line {}", path.display(), i + 1))?;
        let Some(id) = v["id"].as_str() else { continue };
        out.insert(
            id.to_string(),
            Meta {
                published: v["published_at"].as_str().and_then(PartialDate::parse_iso),
                url: v["url"].as_str().map(str::to_string),
            },
        );
    }
    Ok(out)
}

/// Reads the pages, finds their facts and projects them into the annotation schema; writes
/// them to `out` when given. `only` keeps the pages whose names are listed.
fn annotate_pages(
    paths: &[PathBuf],
    only: Option<&[&str]>,
    meta: Option<&BTreeMap<String, Meta>>,
    out: Option<&Path>,
) -> Result<Vec<Annotation>> {
    let g = Gazetteer::builtin();
    let mut rows = Vec::new();
    for source in &listed(paths) {
        let name = source.name();
        let id = page_name(&name);
        if only.is_some_and(|ids| !ids.contains(&id.as_str())) {
            continue;
        }
        let Some(bytes) = bytes_of(source, &name) else {
            continue;
        };
        let m = meta.and_then(|m| m.get(&id)).cloned().unwrap_or_default();
        let page = PageArgs {
            url: m.url,
            published_at: m.published,
        };
        match crate::cmd::process(&name, &bytes, id.clone(), &page.hints()) {
            Ok(p) => rows.push(annotation::annotate(
                &id,
                &p.facts.entities,
                &p.facts.claims,
                g,
            )),
            Err(e) => crate::input::skipped(&name, e),
        }
    }
    if let Some(out) = out {
        let mut text = String::new();
        for r in &rows {
            text.push_str(&serde_json::to_string(r)?);
            text.push('\n');
        }
        if out == Path::new("-") {
            std::io::stdout().write_all(text.as_bytes())?;
        } else {
            std::fs::write(out, text).with_context(|| format!("writing {}", out.display()))?;
        }
    }
    Ok(rows)
}

/// The pages that `paths` name; those that cannot be listed are named on stderr.
fn listed(paths: &[PathBuf]) -> Vec<Source> {
    let (sources, errs) = collect(paths);
    for e in errs {
        eprintln!("korolev: {e}");
    }
    sources
}

/// A page's bytes, or `None` with the reason on stderr.
fn bytes_of(source: &Source, name: &str) -> Option<Vec<u8>> {
    read(source, korolev_extract::MAX_DOCUMENT_BYTES)
        .map_err(|reason| crate::input::skipped(name, reason))
        .ok()
}

/// Scores prose facts against korolev's own gold format.
fn own_gold(paths: &[PathBuf], gold_text: &str, label: &str, errors: bool) -> Result<ExitCode> {
    let pages = gold::parse(gold_text).with_context(|| format!("in {label}"))?;
    let sources: Vec<Source> = if paths.is_empty() {
        crate::cmd::demo::corpus_sources()
    } else {
        listed(paths)
    };
    let g = Gazetteer::builtin();
    let mut score = Score::default();
    for source in &sources {
        let name = source.name();
        let key = page_name(&name);
        let Some(page_gold) = pages.get(&key) else {
            continue;
        };
        let Some(bytes) = bytes_of(source, &name) else {
            continue;
        };
        let extracted = match extract(&korolev_pipeline::Hints::default().input(&name, &bytes)) {
            Ok(x) => x,
            Err(e) => {
                crate::input::skipped(&name, e);
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
