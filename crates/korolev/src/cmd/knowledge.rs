//! `korolev knowledge`: what every stored page says together: merged facts with their sources
//! and conflicts, expeditions with their dates and crews, who is aboard on a day.

use anyhow::{anyhow, Result};
use korolev_facts::knowledge::Knowledge;
use korolev_facts::when;
use korolev_store::Store;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// One JSON document, in the schema of docs/formats.md ("korolev.knowledge/1").
    #[arg(long)]
    pub json: bool,

    /// The day to tell who is aboard (YYYY-MM-DD; default: today).
    #[arg(long, value_name = "DATE")]
    pub at: Option<String>,

    /// Merge every stored claim again from scratch, store the facts, and report any group
    /// whose kept facts differed (exit status 1 when one did).
    #[arg(long)]
    pub rebuild: bool,
}

/// The day `--at` names, or today.
pub fn day(at: Option<&str>) -> Result<String> {
    match at {
        None => Ok(when::today()),
        Some(s) => when::parse_day(s)
            .ok_or_else(|| anyhow!("--at {s:?}: expected a day as YYYY-MM-DD, e.g. 2020-06-01")),
    }
}

pub fn run(args: Args, data_dir: &Path) -> Result<ExitCode> {
    let at = day(args.at.as_deref())?;
    let mut store = crate::cmd::existing_store(data_dir)?;
    if args.rebuild {
        return rebuild(&mut store);
    }
    let k = store.knowledge(&at)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.json {
        writeln!(out, "{}", serde_json::to_string(&k)?)?;
    } else {
        if k.facts.is_empty() {
            writeln!(
                out,
                "The store in {} holds no facts yet: `korolev ingest PATH...` reads pages into it.",
                data_dir.display()
            )?;
        }
        print(&k, true, &mut out)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `--rebuild`: the facts merged again from every claim, compared with those kept.
fn rebuild(store: &mut Store) -> Result<ExitCode> {
    let bar = crate::cmd::ingest::progress_bar(0, "merging");
    let rebuilt = store.rebuild_facts(|done, of| {
        bar.set_length(of);
        bar.set_position(done);
    })?;
    bar.finish_and_clear();
    let differed = &rebuilt.differed;
    for key in differed.iter().take(20) {
        eprintln!("korolev: the kept facts of {key:?} differed from its claims'; stored anew");
    }
    if differed.len() > 20 {
        eprintln!("korolev: … and {} more", differed.len() - 20);
    }
    println!(
        "Merged {} groups of claims: {} differed from the kept facts.",
        rebuilt.groups,
        differed.len()
    );
    Ok(if differed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Expeditions, launches and who is aboard for a person to read; every fact too if asked.
pub fn print(k: &Knowledge, with_facts: bool, out: &mut dyn Write) -> std::io::Result<()> {
    print_expeditions(k, out)?;
    print_launches(k, out)?;
    print_aboard(k, out)?;
    if with_facts {
        print_facts(k, out)?;
    }
    Ok(())
}

fn print_expeditions(k: &Knowledge, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "Expeditions")?;
    for x in &k.expeditions {
        let span = match (&x.start, &x.end) {
            (None, None) => String::new(),
            (s, e) => format!(
                "  {} – {}",
                s.as_deref().unwrap_or("?"),
                e.as_deref().unwrap_or(if s.is_some() { "" } else { "?" })
            ),
        };
        writeln!(out, "  Expedition {}{span}", x.number)?;
        for seat in &x.crew {
            let role = seat.role.map_or("crew", |r| r.as_str()).replace('_', " ");
            writeln!(out, "    {role:<16} {}", k.name(&seat.person))?;
        }
    }
    if k.expeditions.is_empty() {
        writeln!(out, "  (none found)")?;
    }
    writeln!(out)
}

fn print_launches(k: &Knowledge, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "Launches")?;
    let launches = k.launches();
    for (_, f) in &launches {
        writeln!(
            out,
            "  {:<10}  {:<14} {:<24} {:<8} {} source{}",
            f.date.as_deref().unwrap_or("?"),
            f.object.as_deref().map_or("?", |o| k.name(o)),
            k.name(&f.subject),
            f.status.map_or("?", |s| s.as_str()),
            f.sources,
            if f.sources == 1 { "" } else { "s" }
        )?;
    }
    if launches.is_empty() {
        writeln!(out, "  (none found)")?;
    }
    writeln!(out)
}

fn print_aboard(k: &Knowledge, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "Aboard the station on {}", k.at)?;
    for a in &k.aboard {
        writeln!(out, "  {:<24} {}", k.name(&a.person), k.name(&a.craft))?;
    }
    if k.aboard.is_empty() {
        writeln!(out, "  (nobody, as far as the facts tell)")?;
    }
    writeln!(out)
}

/// Every fact, a line each, with its confidence and sources; conflicts under it.
fn print_facts(k: &Knowledge, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "Facts ({})", k.facts.len())?;
    for f in &k.facts {
        let mut line = format!("  {:<12} {}", f.kind.as_str(), k.name(&f.subject));
        if let Some(o) = &f.object {
            line.push_str(&format!(" → {}", k.name(o)));
        }
        if let Some(r) = f.role {
            line.push_str(&format!(" as {}", r.as_str()));
        }
        if let Some(d) = &f.detail {
            line.push_str(&format!(" ({d})"));
        }
        if let Some(d) = &f.date {
            line.push_str(&format!(" on {d}"));
        }
        if let Some(s) = f.status {
            line.push_str(&format!(" [{}]", s.as_str()));
        }
        writeln!(
            out,
            "{line}   confidence {:.2}, {} source{}",
            f.confidence,
            f.sources,
            if f.sources == 1 { "" } else { "s" }
        )?;
        for c in &f.conflicts {
            let values: Vec<String> = c
                .values
                .iter()
                .map(|(v, docs)| {
                    format!(
                        "{v} ({} document{})",
                        docs.len(),
                        if docs.len() == 1 { "" } else { "s" }
                    )
                })
                .collect();
            writeln!(out, "    conflict in {}: {}", c.field, values.join(" vs "))?;
        }
    }
    Ok(())
}
