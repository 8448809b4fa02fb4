//! `korolev extract`: the article of each page — title, date, authors, language, body — without
//! facts and without a store.

use anyhow::Result;
use korolev_extract::{extract, Extracted};
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// HTML or text files, or directories of them (.gz read transparently); `-` reads
    /// standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// One JSON object per input and line (fields in docs/formats.md).
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub page: crate::cmd::PageArgs,

    /// Largest document to accept, in bytes.
    #[arg(long, default_value_t = korolev_extract::MAX_DOCUMENT_BYTES, value_name = "BYTES")]
    pub max_bytes: usize,
}

/// One extracted page, as `korolev extract --json` prints it.
#[derive(Serialize)]
pub struct Record<'a> {
    pub path: &'a str,
    pub url: Option<&'a str>,
    pub title: Option<&'a str>,
    pub published_at: Option<String>,
    pub date_precision: Option<&'static str>,
    pub authors: &'a [String],
    pub lang: Option<&'a str>,
    pub site_name: Option<&'a str>,
    pub image_url: Option<&'a str>,
    pub canonical_url: Option<&'a str>,
    pub text: String,
}

impl<'a> Record<'a> {
    pub fn new(path: &'a str, url: Option<&'a str>, e: &'a Extracted) -> Self {
        let a = &e.article;
        Record {
            path,
            url,
            title: a.title.as_deref(),
            published_at: a.published.map(|d| d.to_string()),
            date_precision: a.published.map(|d| d.precision().as_str()),
            authors: &a.authors,
            lang: a.lang.as_deref(),
            site_name: a.site_name.as_deref(),
            image_url: a.image_url.as_deref(),
            canonical_url: a.canonical_url.as_deref(),
            text: a.body(),
        }
    }

    fn print_human(&self, out: &mut dyn Write) -> std::io::Result<()> {
        writeln!(out, "== {}", self.path)?;
        let field = |name: &str, value: Option<&str>| {
            value
                .map(|v| format!("{name:<10} {v}\n"))
                .unwrap_or_default()
        };
        write!(out, "{}", field("title", self.title))?;
        if let (Some(d), Some(p)) = (&self.published_at, self.date_precision) {
            writeln!(out, "{:<10} {d} ({p})", "published")?;
        }
        if !self.authors.is_empty() {
            writeln!(out, "{:<10} {}", "authors", self.authors.join(", "))?;
        }
        write!(out, "{}", field("lang", self.lang))?;
        write!(out, "{}", field("site", self.site_name))?;
        write!(out, "{}", field("canonical", self.canonical_url))?;
        write!(out, "{}", field("image", self.image_url))?;
        writeln!(out)?;
        if self.text.is_empty() {
            writeln!(out, "(no article text found)")?;
        } else {
            writeln!(out, "{}", self.text)?;
        }
        writeln!(out)
    }
}

pub fn run(args: Args) -> Result<ExitCode> {
    args.page.check(&args.paths)?;
    let url = args.page.url.as_deref();
    crate::cmd::each_page(&args.paths, args.max_bytes, |name, bytes, out| {
        let e = match extract(&args.page.hints().input(name, bytes)) {
            Ok(e) => e,
            Err(err) => return Ok(Err(err.to_string())),
        };
        let record = Record::new(name, url, &e);
        if args.json {
            writeln!(out, "{}", serde_json::to_string(&record)?)?;
        } else {
            record.print_human(out)?;
        }
        Ok(Ok(()))
    })
}
