//! `korolev bench serve`: requests/s and latency of the running server on a large store.
//!
//! The store is filled with generated pages (see `synth`) through the real ingest, once; later
//! runs reuse it. The server runs as its own process (`korolev serve`), and a keep-alive HTTP/1.1
//! load from this process measures each route in turn: requests/s, p50, p99 and the largest
//! latency. Two figures run beside every route in the same run, so that a noisy machine still
//! compares fairly: the server's cheapest answer (its stylesheet, from memory) as a ceiling,
//! and, with `--peer`, the same API paths on another server.

use super::synth;
use crate::cmd::ingest::progress_bar;
use crate::cmd::process;
use anyhow::{anyhow, bail, Context, Result};
use korolev_store::Store;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

#[derive(clap::Args)]
pub struct Args {
    /// Articles the store must hold; generated pages are ingested until it does.
    #[arg(long, default_value_t = 100_000)]
    articles: u64,
    /// The benchmark's own store, kept between runs so that generation happens once
    /// (default: korolev-bench-serve in the temporary directory).
    #[arg(long, value_name = "DIR")]
    store: Option<PathBuf>,
    /// Seconds of load per route, after a short warm-up.
    #[arg(long, default_value_t = 5.0)]
    seconds: f64,
    /// Concurrent keep-alive connections.
    #[arg(long, default_value_t = 16)]
    connections: usize,
    /// Another server speaking the Spaceflight News API v4 (`http://HOST:PORT`): its
    /// `/v4/articles` routes are measured in the same run, beside korolev's.
    #[arg(long, value_name = "URL")]
    peer: Option<String>,
}

#[derive(clap::Args)]
pub struct LoadArgs {
    /// Articles the store must hold (shared with `bench serve`'s store).
    #[arg(long, default_value_t = 10_000)]
    articles: u64,
    /// The benchmark's store (default: korolev-bench-serve in the temporary directory).
    #[arg(long, value_name = "DIR")]
    store: Option<PathBuf>,
    /// Seconds of load per route.
    #[arg(long, default_value_t = 60.0)]
    seconds: f64,
    /// Concurrent keep-alive connections, all open at once.
    #[arg(long, default_value_t = 1000)]
    connections: usize,
    /// Routes to load, one after the other.
    #[arg(long, value_delimiter = ',', default_values_t = ["/v4/articles?limit=10".to_string(), "/".to_string()])]
    routes: Vec<String>,
    /// Serve every request afresh (`serve --no-answer-cache`): the work of each request.
    #[arg(long)]
    no_answer_cache: bool,
}

/// `korolev bench load`: many connections held open at once for a long while; every error
/// is counted, none ends the run. Prints p50/p99 and the server's memory before and after.
pub fn load_run(args: LoadArgs) -> Result<ExitCode> {
    if args.connections == 0 {
        bail!("--connections must be at least 1");
    }
    #[cfg(unix)]
    if let Ok(limit) = rlimit::increase_nofile_limit(u64::MAX) {
        if limit < args.connections as u64 + 64 {
            bail!(
                "the file limit is {limit}: too low for {} connections",
                args.connections
            );
        }
    }
    let flags: &[&str] = if args.no_answer_cache {
        &["--no-answer-cache"]
    } else {
        &[]
    };
    let (_, articles, server, runtime) = start_on(args.store.clone(), args.articles, flags)?;
    let mb = |v: Option<f64>| v.map_or_else(|| "-".to_string(), |mb| format!("{mb:.0} MB"));
    println!(
        "korolev bench load: {} articles, {} connections held open, {:.0} s per route; server RSS before: {}",
        articles,
        args.connections,
        args.seconds,
        mb(server.rss_mb())
    );
    println!(
        "{:<28} {:>10} {:>8} {:>9} {:>9} {:>9} {:>9}",
        "route", "requests", "errors", "req/s", "p50 ms", "p99 ms", "max ms"
    );
    let time = Duration::from_secs_f64(args.seconds.max(0.1));
    let mut failed = false;
    for path in &args.routes {
        let (r, errors) = runtime.block_on(held_load(&server.addr, path, args.connections, time));
        failed |= errors > 0;
        println!(
            "{:<28} {:>10} {:>8} {:>9.0} {:>9.2} {:>9.2} {:>9.2}",
            path,
            r.latencies.len(),
            errors,
            r.per_second(),
            r.quantile(0.50),
            r.quantile(0.99),
            r.quantile(1.0)
        );
    }
    println!(
        "server RSS after: {} (peak {})",
        mb(server.rss_mb()),
        mb(server.peak_rss_mb())
    );
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `connections` clients, all connected before the clock starts, asking for `path` one
/// request after another for `time`. Errors (a refused or dropped connection, a status but
/// 200) are counted and the client connects again.
async fn held_load(addr: &str, path: &str, connections: usize, time: Duration) -> (Load, usize) {
    let mut conns = Vec::with_capacity(connections);
    let mut errors = 0;
    for _ in 0..connections {
        match Conn::open(addr).await {
            Ok(c) => conns.push(c),
            Err(_) => errors += 1,
        }
    }
    let start = Instant::now();
    let deadline = start + time;
    let mut tasks = tokio::task::JoinSet::new();
    for mut conn in conns {
        let (addr, path) = (addr.to_string(), path.to_string());
        tasks.spawn(async move {
            let (mut latencies, mut errors) = (Vec::new(), 0usize);
            while Instant::now() < deadline {
                let t = Instant::now();
                match conn.get(&path).await {
                    Ok((200, _)) => latencies.push(t.elapsed()),
                    _ => {
                        errors += 1;
                        match Conn::open(&addr).await {
                            Ok(c) => conn = c,
                            Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
                        }
                    }
                }
            }
            (latencies, errors)
        });
    }
    let mut latencies = Vec::new();
    while let Some(done) = tasks.join_next().await {
        match done {
            Ok((l, e)) => {
                latencies.extend(l);
                errors += e;
            }
            Err(_) => errors += 1,
        }
    }
    let elapsed = start.elapsed();
    latencies.sort_unstable();
    (Load { latencies, elapsed }, errors)
}

/// The benchmark's store (`store`, else korolev-bench-serve in the temporary directory)
/// filled to `articles`, a server on it, and the load generator's runtime.
fn start_on(
    store: Option<PathBuf>,
    articles: u64,
    flags: &[&str],
) -> Result<(PathBuf, u64, Server, tokio::runtime::Runtime)> {
    let dir = store.unwrap_or_else(|| std::env::temp_dir().join("korolev-bench-serve"));
    let articles = fill(&dir, articles)?;
    let server = Server::start(&dir, flags)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the load generator's runtime")?;
    Ok((dir, articles, server, runtime))
}

pub fn run(args: Args) -> Result<ExitCode> {
    if args.connections == 0 {
        bail!("--connections must be at least 1");
    }
    // A bad --peer is told before minutes of generating.
    let peer = match &args.peer {
        Some(url) => Some(peer_addr(url)?),
        None => None,
    };
    let (dir, articles, server, runtime) = start_on(args.store.clone(), args.articles, &[])?;
    let (expedition, article) = runtime.block_on(pick_pages(&server.addr))?;

    println!(
        "korolev bench serve: {} articles in {}, {} connections, {:.0} s per route",
        articles,
        dir.display(),
        args.connections,
        args.seconds
    );
    // The same store served without kept answers: the work of every request.
    let fresh = Server::start(&dir, &["--no-answer-cache"])?;
    println!(
        "each request worked out afresh (--no-answer-cache), then with answers kept (the default)"
    );
    println!(
        "{:<10} {:<44} {:>10} {:>9} {:>9} {:>9} {:>9} {:>11} {:>9}",
        "server", "route", "req/s", "p50 ms", "p99 ms", "max ms", "vs css", "kept req/s", "p99 ms"
    );
    // The news API's routes, asked of korolev and of the peer alike (SNAPI's own paths end
    // in a slash; korolev answers both).
    let api = [
        "/v4/articles/?limit=10".to_string(),
        "/v4/articles/?limit=10&offset=50000".into(),
        // "soyuz" is in every other generated article, "recycler" in one in sixteen.
        "/v4/articles/?limit=10&search=soyuz".into(),
        "/v4/articles/?limit=10&search=recycler".into(),
    ];
    // A search's first request, before any load: no connection keeps its count yet, so this
    // is what the first reader of a search waits after the store changes.
    let mut first = Vec::new();
    for path in api.iter().filter(|p| p.contains("search=")) {
        let asked = Instant::now();
        let (status, _) =
            runtime.block_on(async { Conn::open(&fresh.addr).await?.get(path).await })?;
        if status != 200 {
            bail!("{path} answered {status}");
        }
        first.push((path.clone(), asked.elapsed()));
    }
    let mut routes: Vec<(&str, &str, String)> =
        vec![("korolev", &fresh.addr, "/static/site.css".into())];
    routes.extend(
        api.iter()
            .map(|p| ("korolev", fresh.addr.as_str(), p.clone())),
    );
    let person = runtime.block_on(pick_person(&server.addr))?;
    for page in [
        "/v4/articles/?limit=10&has_launch=true".to_string(),
        "/".to_string(),
        format!("/expeditions/{expedition}"),
        format!("/articles/{article}"),
        format!("/people/{person}"),
        "/launches".into(),
        "/astros.json".into(),
        "/api/v1/expeditions?limit=10".into(),
        "/api/v1/astronauts?limit=10".into(),
        "/api/v1/facts?limit=1".into(),
    ] {
        routes.push(("korolev", &fresh.addr, page));
    }
    if let Some(p) = &peer {
        routes.extend(api.iter().map(|path| ("peer", p.as_str(), path.clone())));
    }
    let seconds = Duration::from_secs_f64(args.seconds.max(0.1));
    let mut ceiling = None;
    for (who, addr, path) in &routes {
        // Warm-up: caches, connection set-up, the page cache of SQLite.
        runtime.block_on(load(
            addr,
            path,
            args.connections,
            seconds.min(Duration::from_millis(500)),
        ))?;
        let r = runtime.block_on(load(addr, path, args.connections, seconds))?;
        let rps = r.per_second();
        let base = *ceiling.get_or_insert(rps);
        let kept = if *who == "korolev" {
            let warm = seconds.min(Duration::from_millis(200));
            runtime.block_on(load(&server.addr, path, args.connections, warm))?;
            let k = runtime.block_on(load(&server.addr, path, args.connections, seconds))?;
            format!("{:>11.0} {:>9.2}", k.per_second(), k.quantile(0.99))
        } else {
            format!("{:>11} {:>9}", "-", "-")
        };
        println!(
            "{:<10} {:<44} {:>10.0} {:>9.2} {:>9.2} {:>9.2} {:>8.2}× {kept}",
            who,
            path,
            rps,
            r.quantile(0.50),
            r.quantile(0.99),
            r.quantile(1.0),
            rps / base
        );
    }
    for (path, took) in &first {
        println!(
            "first request of {path} (its count not kept yet): {:.0} ms",
            took.as_secs_f64() * 1e3
        );
    }
    // A page ingested by another process while the server runs: how long until it shows.
    let shown = ingest_while_serving(&dir, &server.addr, &runtime)?;
    println!(
        "ingest while serving: a new launch shows on /launches {:.0} ms after its ingest ended",
        shown.as_secs_f64() * 1e3
    );
    for (what, s) in [("answers kept", &server), ("afresh", &fresh)] {
        println!(
            "korolev serve ({what}): ready {:.2} s after start (store opened, knowledge read); peak RSS {}",
            s.started_in.as_secs_f64(),
            s.peak_rss_mb()
                .map_or_else(|| "not measured".to_string(), |mb| format!("{mb:.0} MB"))
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Generated pages stored per transaction.
const FILL_BATCH: usize = 256;

/// Memory the filling connection keeps of the store, in MB.
const BULK_CACHE_MB: u32 = 256;

/// Ingests generated pages into the store in `dir` until it holds `want` articles. Pages are
/// generated and extracted on every core but one; this thread writes them. Returns how many
/// articles the store holds.
fn fill(dir: &Path, want: u64) -> Result<u64> {
    let mut store = Store::open(dir).with_context(|| format!("opening {}", dir.display()))?;
    let have = store.counts()?.articles;
    if have >= want {
        return Ok(have);
    }
    let missing = want - have;
    eprintln!(
        "korolev: generating {missing} articles into {} (once; later runs reuse them)",
        dir.display()
    );
    let bar = progress_bar(missing, "ingesting");
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get().saturating_sub(1))
        .max(1) as u64;
    let (tx, rx) = mpsc::sync_channel(256);
    std::thread::scope(|scope| -> Result<()> {
        for w in 0..workers {
            let tx = tx.clone();
            scope.spawn(move || {
                // Page numbers past `have`, dealt round-robin to the workers.
                let mut i = have + w;
                while i < want {
                    let (name, bytes) = synth::page(i);
                    let id = korolev_store::document_id(&bytes);
                    let done = process(&name, &bytes, id, &korolev_pipeline::Hints::default())
                        .map(|p| (bytes, p.facts));
                    if tx.send((name, done)).is_err() {
                        return;
                    }
                    i += workers;
                }
            });
        }
        drop(tx);
        // Stored a batch per transaction, as a bulk ingest does, with room for the indexes.
        store.set_cache_mb(BULK_CACHE_MB)?;
        let meta = korolev_store::PutMeta::default();
        let mut batch: Vec<(Vec<u8>, korolev_facts::model::DocumentFacts)> = Vec::new();
        let mut store_batch = |batch: &mut Vec<(Vec<u8>, korolev_facts::model::DocumentFacts)>| {
            let docs: Vec<_> = batch
                .iter()
                .map(|(b, f)| (b.as_slice(), f, &meta))
                .collect();
            for (done, (_, f)) in store.put_many(&docs)?.into_iter().zip(batch.iter()) {
                done.with_context(|| format!("storing generated page {}", f.document.source))?;
                bar.inc(1);
            }
            batch.clear();
            anyhow::Ok(())
        };
        for (name, done) in rx {
            let (bytes, facts) = done.map_err(|e| anyhow!("generated page {name}: {e}"))?;
            batch.push((bytes, facts));
            if batch.len() >= FILL_BATCH {
                store_batch(&mut batch)?;
            }
        }
        store_batch(&mut batch)?;
        Ok(())
    })?;
    bar.finish_and_clear();
    Ok(store.counts()?.articles)
}

/// `korolev serve` on a free port of 127.0.0.1, stopped when dropped.
struct Server {
    child: Child,
    addr: String,
    /// From spawning to listening: opening the store and building the knowledge.
    started_in: Duration,
}

impl Server {
    fn start(dir: &Path, flags: &[&str]) -> Result<Server> {
        let exe = std::env::current_exe().context("finding the korolev binary")?;
        let spawned = Instant::now();
        let mut child = Command::new(exe)
            .arg("--data-dir")
            .arg(dir)
            .args(["serve", "--bind", "127.0.0.1:0"])
            .args(flags)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            // Warnings and errors only: a line per request would measure the terminal.
            .env(
                "KOROLEV_LOG",
                std::env::var("KOROLEV_LOG").unwrap_or_else(|_| "warn".into()),
            )
            .spawn()
            .context("starting korolev serve")?;
        let mut line = String::new();
        if let Some(out) = child.stdout.take() {
            BufReader::new(out).read_line(&mut line)?;
        }
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|s| s.split('/').next())
            .map(str::to_string);
        match addr {
            Some(addr) => Ok(Server {
                child,
                addr,
                started_in: spawned.elapsed(),
            }),
            None => {
                let _ = child.kill();
                let _ = child.wait();
                bail!("korolev serve did not start (it printed {line:?})")
            }
        }
    }
}

impl Server {
    /// The most memory the server has held, in MB (Linux; None elsewhere).
    fn peak_rss_mb(&self) -> Option<f64> {
        self.status_mb("VmHWM:")
    }

    /// The memory the server holds now, in MB (Linux; None elsewhere).
    fn rss_mb(&self) -> Option<f64> {
        self.status_mb("VmRSS:")
    }

    fn status_mb(&self, field: &str) -> Option<f64> {
        super::proc_status_mb(&self.child.id().to_string(), field)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The `HOST:PORT` of an `http://HOST:PORT[/]` URL.
fn peer_addr(url: &str) -> Result<String> {
    url.strip_prefix("http://")
        .map(|rest| rest.trim_end_matches('/'))
        .filter(|a| !a.is_empty() && !a.contains('/'))
        .map(str::to_string)
        .ok_or_else(|| anyhow!("--peer {url:?}: give it as http://HOST:PORT"))
}

/// One JSON answer of the server.
async fn get_json(addr: &str, path: &str) -> Result<serde_json::Value> {
    let (status, body) = Conn::open(addr).await?.get(path).await?;
    if status != 200 {
        bail!("{path} answered {status}");
    }
    serde_json::from_slice(&body).with_context(|| format!("{path} did not answer JSON"))
}

/// The pages to load besides the lists: the expedition with the most crew known, and the
/// newest article.
async fn pick_pages(addr: &str) -> Result<(u64, i64)> {
    let expeditions = get_json(addr, "/api/v1/expeditions?limit=500").await?;
    let expedition = expeditions["results"]
        .as_array()
        .and_then(|xs| {
            xs.iter()
                .max_by_key(|x| x["crew"].as_array().map_or(0, Vec::len))
                .and_then(|x| x["id"].as_u64())
        })
        .ok_or_else(|| anyhow!("the store knows no expedition"))?;
    let newest = get_json(addr, "/v4/articles?limit=1").await?;
    let article = newest["results"][0]["id"]
        .as_i64()
        .ok_or_else(|| anyhow!("the store holds no article"))?;
    Ok((expedition, article))
}

/// The slug of a person the knowledge API lists.
async fn pick_person(addr: &str) -> Result<String> {
    let people = get_json(addr, "/api/v1/astronauts?limit=1").await?;
    people["results"][0]["id"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| anyhow!("the store knows no astronaut"))
}

/// Ingests one page telling of a launch no page has told of (it stays in the store), from
/// another process, and returns how long after that ingest ended `/launches` showed it.
fn ingest_while_serving(
    dir: &Path,
    addr: &str,
    runtime: &tokio::runtime::Runtime,
) -> Result<Duration> {
    let serial = 1000 + std::process::id() % 8000;
    let craft = format!("Soyuz MS-{serial}");
    let page = format!(
        "Soyuz MS-{serial} lifts off\n\nThe {craft} spacecraft lifted off from Baikonur on \
         March 3, 2031 with cosmonaut Oleg Kononenko aboard.\n"
    );
    let file = std::env::temp_dir().join(format!("korolev-bench-live-{serial}.txt"));
    std::fs::write(&file, page).with_context(|| format!("writing {}", file.display()))?;
    let exe = std::env::current_exe().context("finding the korolev binary")?;
    let status = Command::new(exe)
        .arg("--data-dir")
        .arg(dir)
        .args(["ingest", "--quiet"])
        .arg(&file)
        .status()
        .context("running korolev ingest")?;
    let _ = std::fs::remove_file(&file);
    if !status.success() {
        bail!("korolev ingest of the live page failed");
    }
    let ingested = Instant::now();
    loop {
        let mut conn = runtime.block_on(Conn::open(addr))?;
        let (_, body) = runtime.block_on(conn.get("/launches"))?;
        if find(&body, craft.as_bytes()).is_some() {
            return Ok(ingested.elapsed());
        }
        if ingested.elapsed() > Duration::from_secs(120) {
            bail!("{craft} did not show on /launches within 120 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// What one route's load measured.
struct Load {
    latencies: Vec<Duration>,
    elapsed: Duration,
}

impl Load {
    fn per_second(&self) -> f64 {
        self.latencies.len() as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// The latency at quantile `q` (0..=1), in milliseconds.
    fn quantile(&self, q: f64) -> f64 {
        if self.latencies.is_empty() {
            return f64::NAN;
        }
        let i = ((self.latencies.len() - 1) as f64 * q).round() as usize;
        self.latencies[i].as_secs_f64() * 1e3
    }
}

/// `connections` clients asking for `path` one after another, each over one keep-alive
/// connection, for `time`. Any answer but 200 ends the run with an error.
async fn load(addr: &str, path: &str, connections: usize, time: Duration) -> Result<Load> {
    let start = Instant::now();
    let deadline = start + time;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..connections {
        let (addr, path) = (addr.to_string(), path.to_string());
        tasks.spawn(async move {
            let mut conn = Conn::open(&addr).await?;
            let mut latencies = Vec::new();
            while Instant::now() < deadline {
                let t = Instant::now();
                let (status, body) = conn.get(&path).await?;
                latencies.push(t.elapsed());
                if status != 200 {
                    bail!(
                        "{addr}{path} answered {status}: {}",
                        String::from_utf8_lossy(&body[..body.len().min(200)])
                    );
                }
            }
            Ok(latencies)
        });
    }
    let mut latencies = Vec::new();
    while let Some(done) = tasks.join_next().await {
        latencies.extend(done.context("a load task failed")??);
    }
    let elapsed = start.elapsed();
    latencies.sort_unstable();
    Ok(Load { latencies, elapsed })
}

/// One keep-alive HTTP/1.1 connection that reads answers framed by Content-Length, and
/// connects again when a server closes after an answer.
struct Conn {
    stream: TcpStream,
    host: String,
    buf: Vec<u8>,
    closed: bool,
}

impl Conn {
    async fn open(addr: &str) -> Result<Conn> {
        let stream = TcpStream::connect(addr)
            .await
            .with_context(|| format!("connecting to {addr}"))?;
        stream.set_nodelay(true)?;
        Ok(Conn {
            stream,
            host: addr.to_string(),
            buf: Vec::with_capacity(64 * 1024),
            closed: false,
        })
    }

    async fn get(&mut self, path: &str) -> Result<(u16, Vec<u8>)> {
        if self.closed {
            *self = Conn::open(&self.host).await?;
        }
        let request = format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nAccept: */*\r\n\r\n",
            self.host
        );
        self.stream.write_all(request.as_bytes()).await?;
        let head_end = loop {
            if let Some(i) = find(&self.buf, b"\r\n\r\n") {
                break i + 4;
            }
            self.fill().await?;
        };
        let head = String::from_utf8_lossy(&self.buf[..head_end]).into_owned();
        let status: u16 = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| anyhow!("{}{path}: not an HTTP answer", self.host))?;
        let header = |name: &str| {
            head.lines()
                .filter_map(|l| l.split_once(':'))
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.trim().to_ascii_lowercase())
        };
        self.closed = header("connection").is_some_and(|v| v == "close");
        let length: usize = header("content-length")
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| {
                anyhow!(
                    "{}{path}: no Content-Length (chunked answers are not read)",
                    self.host
                )
            })?;
        while self.buf.len() < head_end + length {
            self.fill().await?;
        }
        let body = self.buf[head_end..head_end + length].to_vec();
        self.buf.drain(..head_end + length);
        Ok((status, body))
    }

    async fn fill(&mut self) -> Result<()> {
        let mut chunk = [0u8; 16 * 1024];
        let n = tokio::time::timeout(Duration::from_secs(30), self.stream.read(&mut chunk))
            .await
            .map_err(|_| anyhow!("{}: no answer within 30 s", self.host))??;
        if n == 0 {
            bail!("{}: the server closed the connection", self.host);
        }
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(())
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}
