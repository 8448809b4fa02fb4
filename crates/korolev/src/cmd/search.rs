//! `korolev search QUERY` and `korolev reindex`: the search index from the shell. A search
//! first brings the index up to the store when no server holds it (a running server keeps it
//! up itself); a reindex builds it again from the store, with a progress bar.

use anyhow::{bail, Result};
use korolev_search::{catch_up, Query, SearchError, SearchIndex};
use korolev_store::Reader;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct SearchArgs {
    /// Words, "phrases", -exclusions, title:, site:, author:, lang:, after:YYYY[-MM[-DD]],
    /// before:… (quote the whole query for the shell).
    #[arg(required = true, num_args = 1..)]
    pub query: Vec<String>,
    /// Only articles telling of this entity (e.g. person/oleg-kononenko); may be repeated.
    #[arg(long)]
    pub entity: Vec<String>,
    /// Results to print.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub limit: u16,
    /// One JSON object per result and line.
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct ReindexArgs {}

/// The index of `data_dir` brought up to its store when this process may write it.
fn followed(store: &korolev_store::Store, data_dir: &Path, quiet: bool) -> Result<SearchIndex> {
    let (index, fresh) = SearchIndex::open(data_dir)?;
    if fresh && !quiet {
        eprintln!("korolev: the search index is new (or was damaged): building it from the store");
    }
    let total = store.counts()?.articles;
    let bar = crate::cmd::ingest::progress_bar(total, "indexing");
    if quiet || !fresh {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    match catch_up(&index, store as &dyn Reader, &mut |n| bar.set_position(n)) {
        Ok(_) | Err(SearchError::Busy(_)) => {}
        Err(e) => return Err(e.into()),
    }
    bar.finish_and_clear();
    Ok(index)
}

/// Marks as the terminal shows them: `<mark>x</mark>` as `[x]`, entities as characters.
fn plain(html: &str) -> String {
    html.replace("<mark>", "[")
        .replace("</mark>", "]")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&#x2F;", "/")
        .replace("&amp;", "&")
}

pub fn search(args: SearchArgs, data_dir: &Path) -> Result<ExitCode> {
    let store = crate::cmd::existing_store(data_dir)?;
    let index = followed(&store, data_dir, args.json)?;
    let text = args.query.join(" ");
    let names = korolev_search::Spellings::new(store.entity_spellings()?);
    let q = Query {
        also_entities: names.entities(&text),
        text,
        entities: args.entity,
        limit: usize::from(args.limit),
        now: korolev_facts::when::unix_now(),
        ..Query::default()
    };
    let found = match index.search(&q) {
        Ok(f) => f,
        Err(SearchError::Query(why)) => bail!("the query: {why}"),
        Err(e) => return Err(e.into()),
    };
    if found.total == 0 && !args.json {
        if let Some(better) = names.suggest(&q.text) {
            eprintln!("korolev: nothing matched; did you mean: {better}");
        }
    }
    let ids: Vec<i64> = found.hits.iter().map(|h| h.id).collect();
    let bodies = store.bodies(&ids)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if !args.json {
        writeln!(
            out,
            "{} matching articles{}",
            found.total,
            if found.total > 0 { ", best first:" } else { "" }
        )?;
    }
    for (i, hit) in found.hits.iter().enumerate() {
        let Some(item) = store.news_item(hit.id)? else {
            continue;
        };
        let body = bodies.get(&hit.id).map_or("", String::as_str);
        let s = index.snippets(&q, &item.title, body)?;
        let also: Vec<String> = hit
            .also
            .iter()
            .map(|(id, site)| format!("{site} (#{id})"))
            .collect();
        if args.json {
            let line = serde_json::json!({
                "id": hit.id,
                "title": item.title,
                "news_site": item.news_site,
                "published_at": korolev_facts::when::iso_utc(item.published),
                "dated": item.dated,
                "snippet": plain(&s.body),
                "also": hit.also.iter().map(|(id, site)| serde_json::json!({"id": id, "news_site": site})).collect::<Vec<_>>(),
                "score": hit.score,
            });
            writeln!(out, "{line}")?;
            continue;
        }
        writeln!(
            out,
            "{:>3}. {}  (#{}, {}, {})",
            i + 1,
            crate::input::shown(&plain(&s.title)),
            hit.id,
            crate::input::shown(&item.news_site),
            korolev_facts::when::iso_utc(item.published)
                .get(..10)
                .unwrap_or("")
        )?;
        writeln!(out, "     {}", crate::input::shown(&plain(&s.body)))?;
        if !also.is_empty() {
            writeln!(
                out,
                "     also on {}",
                crate::input::shown(&also.join(", "))
            )?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

pub fn reindex(_args: ReindexArgs, data_dir: &Path) -> Result<ExitCode> {
    let store = crate::cmd::existing_store(data_dir)?;
    let (index, _) = SearchIndex::open(data_dir)?;
    if !index.writable() {
        bail!(
            "a running korolev serve keeps the search index of {} and rebuilds a lost one itself: \
             stop it to reindex from here",
            data_dir.display()
        );
    }
    index.clear()?;
    let total = store.counts()?.articles;
    let bar = crate::cmd::ingest::progress_bar(total, "indexing");
    let done = catch_up(&index, &store as &dyn Reader, &mut |n| bar.set_position(n))?;
    bar.finish_and_clear();
    eprintln!(
        "indexed {} articles into {}",
        done.indexed,
        data_dir.join(korolev_search::INDEX_DIR).display()
    );
    Ok(ExitCode::SUCCESS)
}
