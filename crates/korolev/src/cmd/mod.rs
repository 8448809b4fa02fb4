//! One module per subcommand, and what they share: the data directory, extraction of one
//! input into facts, and printing facts for people.

pub mod backup;
pub mod bench;
pub mod check;
pub mod demo;
pub mod eval;
pub mod export;
pub mod extract;
pub mod facts;
pub mod fetch;
pub mod ingest;
pub mod knowledge;
pub mod reextract;
pub mod schedule;
pub mod search;
pub mod serve;
pub mod settings;
pub mod sources;

use anyhow::{anyhow, bail, Result};
use korolev_extract::PartialDate;
use korolev_facts::model::DocumentFacts;
use korolev_pipeline::Hints;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// The data directory: `--data-dir` / `KOROLEV_DATA_DIR`, else the platform's data dir.
pub fn data_dir(given: Option<PathBuf>) -> Result<PathBuf> {
    given.or_else(|| dirs::data_dir().map(|d| d.join("korolev"))).ok_or_else(|| {
        anyhow!("no data directory: this platform has none; pass --data-dir DIR or set KOROLEV_DATA_DIR")
    })
}

/// Where a command finds its store and its configuration file.
pub struct Place {
    pub data: PathBuf,
    pub config: PathBuf,
}

impl Place {
    /// The configuration file: `--config` / `KOROLEV_CONFIG`, else korolev.toml in the data
    /// directory given or the platform's. The data directory: `--data-dir` /
    /// `KOROLEV_DATA_DIR`, else the file's `data_dir`, else the platform's. Where the file is
    /// to say where the store is, one that is there but does not read is an error (a typo
    /// must not send a command to another store); else it is left for the commands that read
    /// it to report.
    pub fn resolve(data_dir: Option<PathBuf>, config: Option<PathBuf>) -> Result<Place> {
        let config = match config {
            Some(c) => c,
            None => self::data_dir(data_dir.clone())?.join("korolev.toml"),
        };
        let data = match data_dir {
            Some(d) => d,
            None if config.exists() => match sources::Config::read(&config)?.data_dir()? {
                Some(d) => d,
                None => self::data_dir(None)?,
            },
            None => self::data_dir(None)?,
        };
        Ok(Place { data, config })
    }

    pub fn read_config(&self) -> Result<sources::Config> {
        sources::Config::read(&self.config)
    }
}

/// The store in `data_dir`, which must be there: commands that read it never make an empty one.
pub fn existing_store(data_dir: &std::path::Path) -> Result<korolev_store::Store> {
    if !data_dir.join(korolev_store::DB_FILE).is_file() {
        bail!(
            "no store in {}: korolev ingest PATH or korolev demo makes one (--data-dir names another)",
            data_dir.display()
        );
    }
    korolev_store::Store::open(data_dir)
        .map_err(|e| anyhow!("opening the store in {}: {e}", data_dir.display()))
}

/// What the caller knows about a page beyond its bytes: `--url` and `--published-at`, shared
/// by `extract`, `facts` and `ingest`.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct PageArgs {
    /// The URL the page was fetched from: it stands for the page's canonical URL when the page
    /// names none, and relative addresses in the page are resolved against it. Only with a
    /// single input.
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,

    /// When the page was published (YYYY, YYYY-MM, YYYY-MM-DD or an ISO 8601 time). Taken in
    /// place of any date read from the page; dates in the text that lack a year ("Feb. 14",
    /// "Tuesday", "next week") are read against it. Applies to every input.
    #[arg(long, value_name = "DATE", value_parser = parse_published)]
    pub published_at: Option<PartialDate>,
}

fn parse_published(s: &str) -> Result<PartialDate, String> {
    PartialDate::parse_iso(s.trim()).ok_or_else(|| {
        format!("{s:?} is not a date: give YYYY, YYYY-MM, YYYY-MM-DD or an ISO 8601 time")
    })
}

impl PageArgs {
    /// Refuses a `--url` given with more than one page.
    pub fn check(&self, paths: &[PathBuf]) -> Result<()> {
        if self.url.is_some() && (paths.len() != 1 || paths[0].is_dir()) {
            bail!("--url names one page's address: give exactly one file with it");
        }
        let given = self.url.is_some() || self.published_at.is_some();
        if let Some(archive) = paths
            .iter()
            .find(|p| crate::warc::is_warc(p))
            .filter(|_| given)
        {
            bail!(
                "--url and --published-at are one page's: each record of {} gives its own address and date",
                archive.display()
            );
        }
        Ok(())
    }

    /// What the pipeline is told of each page.
    pub fn hints(&self) -> Hints {
        Hints {
            url: self.url.clone(),
            content_type: None,
            published: self.published_at,
            ..Hints::default()
        }
    }
}

pub use korolev_pipeline::process;

/// Prints one document's facts for a person to read.
pub fn print_human(
    f: &DocumentFacts,
    out: &mut (impl std::io::Write + ?Sized),
) -> std::io::Result<()> {
    use crate::input::shown;
    let a = &f.article;
    writeln!(out, "{}", shown(&f.document.source))?;
    writeln!(
        out,
        "  title:   {}",
        shown(a.title.as_deref().unwrap_or("(none)"))
    )?;
    let date = match (&a.published_at, a.date_precision) {
        (Some(d), Some(p)) => format!("{d} ({})", p.as_str()),
        _ => "(none)".into(),
    };
    writeln!(out, "  date:    {date}")?;
    if !a.authors.is_empty() {
        writeln!(out, "  authors: {}", shown(&a.authors.join(", ")))?;
    }
    writeln!(
        out,
        "  lang:    {}   format: {}   charset: {}",
        a.lang.as_deref().unwrap_or("?"),
        f.document.format,
        f.document.encoding
    )?;
    writeln!(
        out,
        "  body:    {} paragraphs, {} characters",
        a.body.split("\n\n").filter(|p| !p.is_empty()).count(),
        a.body.chars().count()
    )?;
    let name = |id: &str| {
        f.entities
            .iter()
            .find(|e| e.id == id)
            .map_or(id.to_string(), |e| e.name.clone())
    };
    for c in &f.claims {
        let object = c.object.as_deref().map(name).unwrap_or_default();
        let mut line = format!(
            "  {:<12} {} → {}",
            c.kind.as_str(),
            name(&c.subject),
            object
        );
        if let Some(role) = c.role {
            line.push_str(&format!(" as {}", role.as_str()));
        }
        if let Some(d) = &c.date {
            line.push_str(&format!(" on {d}"));
        }
        if let Some(s) = c.status {
            line.push_str(&format!(" [{}]", s.as_str()));
        }
        writeln!(out, "{}   (line {})", shown(&line), c.evidence.line)?;
    }
    for e in f.entities.iter().filter(|e| !e.aliases.is_empty()) {
        let line = format!("  alias        {} ← {}", e.name, e.aliases.join(", "));
        writeln!(out, "{}", shown(&line))?;
    }
    Ok(())
}

/// Reads every page named by `paths` (files, directories, `-`) and hands each one's name and
/// bytes to `print`, which writes to standard output. A page that cannot be listed, read or
/// handled is named on stderr with the reason and the rest go on; the exit code is 1 if any
/// failed. Only a failure to write the output ends the run.
pub fn each_page(
    paths: &[PathBuf],
    max_bytes: usize,
    mut print: impl FnMut(&str, &[u8], &mut dyn Write) -> Result<Result<(), String>>,
) -> Result<ExitCode> {
    let (sources, list_errors) = crate::input::collect(paths);
    let mut failed = list_errors.iter().filter(|e| e.fails).count();
    for e in &list_errors {
        eprintln!("korolev: {e}");
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for source in &sources {
        let name = source.name();
        let outcome = match crate::input::read(source, max_bytes) {
            Ok(bytes) => print(&name, &bytes, &mut out)?,
            Err(reason) => Err(reason),
        };
        if let Err(reason) = outcome {
            failed += 1;
            out.flush()?;
            crate::input::skipped(&name, &reason);
        }
    }
    out.flush()?;
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
