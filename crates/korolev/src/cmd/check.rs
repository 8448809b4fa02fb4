//! `korolev check`: what `/health` checks, from the shell, and more: the store opens at this
//! korolev's schema, SQLite finds the file sound (a full `integrity_check`), and korolev.toml
//! reads, every key of it. Exit code 0 when all is well, 1 when something is not.

use crate::cmd::sources::Config;
use anyhow::Result;
use std::path::Path;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {}

/// The search index beside the store: how much of the store it holds. A lost or damaged one
/// is made afresh (it is derived from the store) and said so.
fn search_index(store: &korolev_store::Store, data_dir: &Path) -> Result<String, String> {
    let (index, fresh) = korolev_search::SearchIndex::open(data_dir).map_err(|e| e.to_string())?;
    let articles = store.counts().map_err(|e| e.to_string())?.articles;
    let held = index.len();
    if held > articles {
        return Err(format!(
            "it holds {held} articles, the store {articles}: korolev reindex builds it again"
        ));
    }
    let state = if fresh {
        "was missing or damaged and is made afresh; korolev serve or korolev reindex fills it"
    } else if held < articles {
        "is behind the store; korolev serve or korolev search brings it up"
    } else {
        "is up to date"
    };
    Ok(format!(
        "{held} of {articles} articles indexed; the index {state}"
    ))
}

pub fn run(_args: Args, place: &crate::cmd::Place) -> Result<ExitCode> {
    let data_dir = place.data.as_path();
    let mut ok = true;
    let mut report = |what: &str, result: Result<String, String>| match result {
        Ok(fine) => println!("ok      {what}: {fine}"),
        Err(why) => {
            ok = false;
            println!("FAILING {what}: {why}");
        }
    };
    let db = data_dir.join(korolev_store::DB_FILE);
    if !db.is_file() {
        report(
            "store",
            Err(format!(
                "no store at {} (korolev ingest or korolev demo makes one)",
                data_dir.display()
            )),
        );
    } else {
        match korolev_store::Store::open(data_dir) {
            Err(e) => report("store", Err(e.to_string())),
            Ok(store) => {
                report(
                    "store",
                    store
                        .schema_version()
                        .map(|v| format!("{} at schema {v}", db.display()))
                        .map_err(|e| e.to_string()),
                );
                report(
                    "integrity",
                    match store.integrity_problems() {
                        Ok(p) if p.is_empty() => Ok("SQLite finds the file sound".into()),
                        Ok(p) => Err(p.join("; ")),
                        Err(e) => Err(e.to_string()),
                    },
                );
                report("search", search_index(&store, data_dir));
            }
        }
    }
    let config = &place.config;
    report(
        "config",
        Config::read(config)
            .and_then(|c| {
                c.check_all()?;
                let sources = c.sources()?;
                let on = sources.iter().filter(|s| s.enabled).count();
                Ok(format!(
                    "{}: {} sources, {on} enabled",
                    config.display(),
                    sources.len()
                ))
            })
            .map_err(|e| format!("{e:#}")),
    );
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
