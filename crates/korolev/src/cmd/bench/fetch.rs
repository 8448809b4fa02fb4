//! `korolev bench fetch`: the fetcher end to end against sites on 127.0.0.1 — feed items
//! parsed per second, pages fetched and ingested per second — beside ingesting the same pages
//! from files, in one run.

use super::synth;
use crate::cmd::ingest::{ingest_sources, Tally};
use crate::input::Source as FileSource;
use anyhow::{bail, Context, Result};
use korolev_fetch::{listing, Fetcher, Kind, Settings, Source};
use korolev_store::Store;
use std::collections::HashMap;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(clap::Args)]
pub struct Args {
    /// Generated pages, spread over the sites.
    #[arg(long, default_value_t = 2000)]
    pages: usize,
    /// Local sites (one feed each); the fetcher asks one request of a site at a time, and up
    /// to four sites at once.
    #[arg(long, default_value_t = 4)]
    sites: usize,
}

/// What one local site serves, by path.
type Paths = Arc<HashMap<String, (&'static str, Vec<u8>)>>;

/// A local site: bound on 127.0.0.1 first, so that what it serves can name its address.
fn bind(runtime: &tokio::runtime::Runtime) -> Result<(tokio::net::TcpListener, String)> {
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .context("binding a local site")?;
    let addr = listener.local_addr()?.to_string();
    Ok((listener, addr))
}

/// Serves `paths` on `listener` (404 for the rest, robots.txt among them) until the runtime
/// ends.
fn serve(runtime: &tokio::runtime::Runtime, listener: tokio::net::TcpListener, paths: Paths) {
    use axum::http::{header, StatusCode};
    use axum::response::IntoResponse;
    let app = axum::Router::new().fallback(move |uri: axum::http::Uri| {
        let paths = Arc::clone(&paths);
        async move {
            match paths.get(uri.path()) {
                Some((kind, body)) => {
                    ([(header::CONTENT_TYPE, *kind)], body.clone()).into_response()
                }
                None => StatusCode::NOT_FOUND.into_response(),
            }
        }
    });
    runtime.spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
}

/// An RSS feed of `items` (address, title).
fn feed(items: &[(String, String)]) -> Vec<u8> {
    let mut x = String::from(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Bench</title><link>http://127.0.0.1/</link>",
    );
    for (i, (url, title)) in items.iter().enumerate() {
        x.push_str(&format!(
            "<item><title>{}</title><link>{url}</link><guid>{url}</guid><pubDate>Mon, 30 Nov 2026 {:02}:{:02}:00 GMT</pubDate><description>Item {i}</description></item>",
            quick_xml::escape::escape(title.as_str()),
            i / 60 % 24,
            i % 60
        ));
    }
    x.push_str("</channel></rss>");
    x.into_bytes()
}

/// A scratch directory, removed when dropped.
struct Scratch(std::path::PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn rate(n: usize, d: Duration) -> f64 {
    n as f64 / d.as_secs_f64().max(1e-9)
}

pub fn run(args: Args) -> Result<ExitCode> {
    if args.pages == 0 || args.sites == 0 {
        bail!("--pages and --sites must be at least 1");
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .context("starting the local sites' runtime")?;
    let pages: Vec<Vec<u8>> = (0..args.pages as u64).map(|i| synth::page(i).1).collect();
    let bytes: usize = pages.iter().map(Vec::len).sum();

    // Each site serves its share of the pages and a feed of them.
    let mut sources = Vec::new();
    let mut feeds = Vec::new();
    for s in 0..args.sites {
        let (listener, addr) = bind(&runtime)?;
        let mut paths = HashMap::new();
        let mut items = Vec::new();
        for i in (s..args.pages).step_by(args.sites) {
            paths.insert(
                format!("/p/{i}"),
                ("text/html; charset=utf-8", pages[i].clone()),
            );
            items.push((format!("http://{addr}/p/{i}"), format!("Page {i}")));
        }
        let body = feed(&items);
        paths.insert("/feed.xml".into(), ("application/rss+xml", body.clone()));
        serve(&runtime, listener, Arc::new(paths));
        sources.push(Source {
            url: format!("http://{addr}/feed.xml"),
            kind: Kind::Feed,
            every: Duration::from_secs(3600),
        });
        feeds.push(body);
    }

    println!(
        "korolev bench fetch: {} generated pages ({:.1} MB) on {} local sites",
        args.pages,
        bytes as f64 / 1e6,
        args.sites
    );
    println!(
        "{:<42} {:>10} {:>9} {:>9} {:>10}",
        "stage", "items/s", "pages/s", "MB/s", "vs files"
    );

    // Feed items parsed, on one thread, for at least a second.
    let base = url::Url::parse("http://127.0.0.1/feed.xml")?;
    let (mut items, mut parsed, start) = (0usize, 0usize, Instant::now());
    while start.elapsed() < Duration::from_secs(1) {
        for f in &feeds {
            items += listing::feed_items(f, &base)
                .map_err(anyhow::Error::msg)?
                .len();
            parsed += f.len();
        }
    }
    let took = start.elapsed();
    println!(
        "{:<42} {:>10.0} {:>9} {:>9.1} {:>10}",
        "feed items parsed (feed-rs, one thread)",
        rate(items, took),
        "-",
        rate(parsed, took) / 1e6,
        "-"
    );

    // The same pages from files, as `korolev ingest` reads them.
    let tmp =
        Scratch(std::env::temp_dir().join(format!("korolev-bench-fetch-{}", std::process::id())));
    let files = tmp.0.join("pages");
    std::fs::create_dir_all(&files)?;
    let mut file_sources = Vec::new();
    for (i, p) in pages.iter().enumerate() {
        let path = files.join(format!("{i}.html"));
        std::fs::write(&path, p)?;
        file_sources.push(FileSource::File(path));
    }
    let mut store = Store::open(&tmp.0.join("files"))?;
    let mut tally = Tally::default();
    let start = Instant::now();
    ingest_sources(
        &mut store,
        &file_sources,
        korolev_extract::MAX_DOCUMENT_BYTES,
        &korolev_pipeline::Hints::default(),
        true,
        &mut tally,
    )?;
    let file_time = start.elapsed();
    drop(store);
    let file_rate = rate(tally.new, file_time);
    println!(
        "{:<42} {:>10} {:>9.0} {:>9.1} {:>10}",
        "ingest from files (korolev ingest)",
        "-",
        file_rate,
        rate(bytes, file_time) / 1e6,
        "1.00×"
    );

    // Fetched from the sites and ingested: a host at a time, then all at once.
    for (label, at_once) in [
        ("fetch and ingest, one site at a time", 1),
        ("fetch and ingest, four sites at once", 4),
    ] {
        let mut settings = Settings::new(None);
        settings.delay = Duration::ZERO;
        settings.pages_per_source = args.pages;
        settings.hosts_at_once = at_once;
        let fetcher = Fetcher::new(settings);
        let store = Mutex::new(Store::open(&tmp.0.join(format!("fetch-{at_once}")))?);
        let start = Instant::now();
        let summary = fetcher.run(&store, &sources, &|_| {})?;
        let took = start.elapsed();
        if summary.pages_new != args.pages {
            bail!(
                "the fetch stored {} pages of {}: {summary}",
                summary.pages_new,
                args.pages
            );
        }
        let pages_rate = rate(summary.pages_new, took);
        println!(
            "{:<42} {:>10.0} {:>9.0} {:>9.1} {:>9.2}×",
            label,
            rate(summary.pages_new, took),
            pages_rate,
            rate(bytes, took) / 1e6,
            pages_rate / file_rate.max(1e-9)
        );
        if at_once == 4 {
            // Again, with nothing changed: conditional requests for the feeds only.
            let start = Instant::now();
            let again = fetcher.run(&store, &sources, &|_| {})?;
            let took = start.elapsed();
            println!(
                "{:<42} {:>10} {:>9} {:>9} {:>10}   ({} requests in {:.0} ms, {} pages new)",
                "fetch again, nothing changed",
                "-",
                "-",
                "-",
                "-",
                again.requests,
                took.as_secs_f64() * 1e3,
                again.pages_new
            );
        }
    }
    println!("(items/s on a fetch row are the feed items whose pages were fetched and stored)");
    Ok(ExitCode::SUCCESS)
}
