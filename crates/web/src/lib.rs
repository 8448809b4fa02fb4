//! korolev over HTTP: the portal (server-rendered HTML that works without JavaScript), the
//! Spaceflight News API v4, Open Notify's people-in-space and the knowledge API.
//!
//! The store is read through a few SQLite connections, each used by one request at a time on
//! tokio's blocking threads. The merged knowledge is built once when the server starts: it is
//! small beside the articles, and every expedition, person and launch page reads it.

mod api;
mod error;
mod feeds;
mod head;
mod health;
mod images;
mod ll2;
mod metrics;
mod openapi;
mod podcasts;
mod portal;
mod search;
mod sitemap;
mod snapi;
mod sources;

pub use error::{ApiError, Code, SnapiError, CODES};
pub use health::Heartbeat;
pub use metrics::Metrics;
use metrics::RouteLabel;
pub use sources::{SourceEntry, SourceList};

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use korolev_facts::knowledge::Knowledge;
use korolev_facts::merge::Fact;
use korolev_store::{Reader, Store};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

/// How many SQLite connections the server reads through.
const CONNECTIONS: usize = 4;

/// What every request handler shares.
pub struct App {
    /// The store, through the seam a PostgreSQL backend is to implement too.
    /// Reads for the store's connections, each served by a thread of its own (see
    /// [`App::read`]).
    jobs: std::sync::mpsc::Sender<Job>,
    /// The knowledge of the store as it last was; replaced whole when the store changes.
    current: std::sync::RwLock<Arc<Snapshot>>,
    /// Bumped whenever the store or the day changes: answers cached before are stale.
    generation: std::sync::atomic::AtomicU64,
    answers: Mutex<Answers>,
    keep_answers: std::sync::atomic::AtomicBool,
    /// Where clients reach this server (scheme, host, port; no trailing slash): the base of
    /// every link an answer gives, never the request's own `Host`.
    pub(crate) public_url: String,
    /// The sources the operator configured, for `/sources`; none when the server fetches none.
    pub(crate) sources: Option<SourceList>,
    /// The fetch scheduler's last round, for `/health`; none when the server fetches nothing.
    pub(crate) heartbeat: Option<Heartbeat>,
    /// What `/metrics` reports, shared with the fetch scheduler.
    pub(crate) metrics: Arc<Metrics>,
    /// The store's database file, whose size `/metrics` reports.
    pub(crate) db_path: std::path::PathBuf,
    /// The search index beside the store; none when it could not be opened (said in the log).
    pub(crate) search: Option<Arc<korolev_search::SearchIndex>>,
    /// How entities are written, for reading names in queries; read again when the store
    /// changes.
    pub(crate) spellings: Mutex<Option<search::Spellings>>,
    /// Whether a failure to follow the store in the index was said.
    index_failure_said: Arc<std::sync::atomic::AtomicBool>,
    /// How articles' lead images are shown.
    pub(crate) images: Images,
}

pub use images::Images;
pub use korolev_facts::knowledge::launch_uuid;

/// `s` when it is an absolute `http` or `https` URL, in its normalised (percent-encoded)
/// form; `None` for anything else (`javascript:`, `data:`, a local path, `-`). Scraped
/// addresses leave korolev only through this.
pub fn web_url(s: &str) -> Option<String> {
    let u = url::Url::parse(s.trim()).ok()?;
    (matches!(u.scheme(), "http" | "https") && u.host().is_some()).then(|| u.to_string())
}

/// Why the server cannot serve. Each cause is part of the message, not chained as a source,
/// so that a chain printed whole (`{:#}`) says it once.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("opening the store in {dir}: {cause}")]
    Store {
        dir: PathBuf,
        cause: korolev_store::StoreError,
    },
    #[error("cannot listen on {addr}: {cause}")]
    Bind {
        addr: SocketAddr,
        cause: std::io::Error,
    },
    #[error("serving: {0}")]
    Io(std::io::Error),
}

impl From<std::io::Error> for ServeError {
    fn from(e: std::io::Error) -> ServeError {
        ServeError::Io(e)
    }
}

/// Who flew and who served, as the store told it at one moment: the facts that put people in a
/// crew or aboard a flight, with the names they use, the expeditions and who is aboard today.
/// It grows with the crewed flights told, not with the articles; every other list is read a
/// page at a time from the store.
pub(crate) struct Snapshot {
    pub(crate) crews: Knowledge,
    /// The day `crews` tells who is aboard on.
    pub(crate) today: String,
    /// The store's `PRAGMA data_version` when it was read.
    version: i64,
}

impl Snapshot {
    fn build(store: &dyn Reader, today: &str) -> korolev_store::Result<Snapshot> {
        let version = store.data_version()?;
        let named = named(store, store.crew_facts()?, &[])?;
        Ok(Snapshot {
            crews: Knowledge::of_facts(named.facts, named.entities, today),
            today: today.to_string(),
            version,
        })
    }
}

/// `facts` with the names of every entity they use and of `also`, and the agencies of those.
pub(crate) fn named(
    store: &dyn Reader,
    facts: Vec<Fact>,
    also: &[&str],
) -> korolev_store::Result<Knowledge> {
    let mut ids = Knowledge::ids_in(&facts);
    ids.extend_from_slice(also);
    let mut entities = store.entities_named(&ids)?;
    let agencies: Vec<String> = entities
        .iter()
        .filter_map(|e| e.agency.clone())
        .filter(|a| !ids.contains(&a.as_str()))
        .collect();
    let agencies: Vec<&str> = agencies.iter().map(String::as_str).collect();
    let mut more = store.entities_named(&agencies)?;
    entities.append(&mut more);
    Ok(Knowledge::named(facts, entities))
}

/// A read of the store, run on one of its connections' threads.
type Job = Box<dyn FnOnce(&dyn Reader) + Send>;

/// Starts a thread for each of `stores` that runs the jobs sent on the channel it returns,
/// one at a time, until the channel is dropped. A job that panics is given up (its caller
/// hears the store stopped); its thread goes on.
fn reader_threads(stores: Vec<Box<dyn Reader>>) -> std::io::Result<std::sync::mpsc::Sender<Job>> {
    let (tx, rx) = std::sync::mpsc::channel::<Job>();
    let rx = Arc::new(Mutex::new(rx));
    for (i, store) in stores.into_iter().enumerate() {
        let rx = Arc::clone(&rx);
        std::thread::Builder::new()
            .name(format!("korolev-store-{i}"))
            .spawn(move || loop {
                let job = rx
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
                    .recv();
                let Ok(job) = job else { return };
                let ran =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(store.as_ref())));
                if ran.is_err() {
                    tracing::error!("a read of the store failed (see the message above)");
                }
            })?;
    }
    Ok(tx)
}

/// How often the server looks whether another process has written to the store.
const WATCH_EVERY: std::time::Duration = std::time::Duration::from_millis(250);

impl App {
    /// Opens the store in `data_dir` and builds the knowledge, with `aboard` for `today`.
    pub fn open(data_dir: &Path, today: &str) -> Result<App, ServeError> {
        let open = || -> Result<Box<dyn Reader>, ServeError> {
            match Store::open(data_dir) {
                Ok(s) => Ok(Box::new(s)),
                Err(cause) => Err(ServeError::Store {
                    dir: data_dir.to_path_buf(),
                    cause,
                }),
            }
        };
        let first = open()?;
        let snapshot =
            Snapshot::build(first.as_ref(), today).map_err(|cause| ServeError::Store {
                dir: data_dir.to_path_buf(),
                cause,
            })?;
        let mut stores = vec![first];
        for _ in 1..CONNECTIONS {
            stores.push(open()?);
        }
        Ok(App {
            jobs: reader_threads(stores)?,
            current: std::sync::RwLock::new(Arc::new(snapshot)),
            generation: std::sync::atomic::AtomicU64::new(0),
            answers: Mutex::new(Answers::default()),
            keep_answers: std::sync::atomic::AtomicBool::new(true),
            public_url: "http://localhost".into(),
            sources: None,
            heartbeat: None,
            metrics: Arc::default(),
            db_path: data_dir.join(korolev_store::DB_FILE),
            search: match korolev_search::SearchIndex::open(data_dir) {
                Ok((index, fresh)) => {
                    if fresh {
                        tracing::info!("search index: made afresh; it is filled from the store");
                    }
                    Some(Arc::new(index))
                }
                Err(e) => {
                    tracing::error!("search index: {e}; search is off");
                    None
                }
            },
            spellings: Mutex::new(None),
            index_failure_said: Arc::default(),
            images: Images::default(),
        })
    }

    /// The knowledge as it is now.
    pub(crate) fn snapshot(&self) -> Arc<Snapshot> {
        Arc::clone(
            &self
                .current
                .read()
                .unwrap_or_else(|poisoned| poisoned.into_inner()),
        )
    }

    /// Rebuilds the knowledge when the store has changed since it was built (another
    /// process ingested) or the day has: returns whether it did.
    pub async fn refresh(self: &Arc<Self>) -> Result<bool, ApiError> {
        let today = korolev_facts::when::today();
        let old = self.snapshot();
        let fresh = self
            .read(move |s| {
                if s.data_version()? == old.version && today == old.today {
                    return Ok(None);
                }
                Snapshot::build(s, &today).map(Some)
            })
            .await?;
        let Some(fresh) = fresh else {
            return Ok(false);
        };
        *self
            .current
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Arc::new(fresh);
        self.generation.fetch_add(1, Ordering::SeqCst);
        Ok(true)
    }

    /// Keeps the knowledge current for as long as the server runs: looks every
    /// [`WATCH_EVERY`] whether the store changed, and rebuilds on a store thread.
    pub async fn watch(self: Arc<Self>) {
        loop {
            self.follow_in_index().await;
            tokio::time::sleep(WATCH_EVERY).await;
            if let Err(e) = self.refresh().await {
                tracing::error!("reading the store's changes: {}", e.message);
            }
        }
    }

    /// Lets go of what the server writes beside the store (the search index's writer), once
    /// it has stopped serving.
    pub fn close(&self) {
        if let Some(index) = &self.search {
            index.close();
        }
    }

    /// Brings the search index up to the store: what was stored since it last looked, by any
    /// process. Where another korolev writes the index, its commits are read instead.
    pub async fn follow_in_index(self: &Arc<Self>) {
        let Some(index) = self.search.clone() else {
            return;
        };
        let said = Arc::clone(&self.index_failure_said);
        let followed = self
            .read(move |s| {
                let mut last = 0;
                let mut progress = |n: u64| {
                    if n >= last + 100_000 {
                        tracing::info!("search index: {n} articles indexed");
                        last = n;
                    }
                };
                match korolev_search::catch_up(&index, s, &mut progress) {
                    Ok(done) => {
                        said.store(false, Ordering::Relaxed);
                        return Ok(done.indexed > 0);
                    }
                    Err(korolev_search::SearchError::Busy(_)) => {
                        // Another korolev writes it: what it committed is read, and answers
                        // kept from before are stale if it moved on.
                        return Ok(index.reload_if_moved());
                    }
                    Err(e) => {
                        // Said once, not every quarter of a second.
                        if !said.swap(true, Ordering::Relaxed) {
                            tracing::error!("search index: {e}");
                        }
                    }
                }
                Ok(false)
            })
            .await;
        match followed {
            // Answers kept from before (a search) may be stale now.
            Ok(true) => {
                self.generation.fetch_add(1, Ordering::SeqCst);
            }
            Ok(false) => {}
            Err(e) => tracing::error!("search index: {}", e.message),
        }
    }

    /// Lists the configured sources on `/sources`, read afresh by `list` at each request.
    pub fn with_sources(mut self, list: SourceList) -> App {
        self.sources = Some(list);
        self
    }

    /// Counts into `metrics` (shared with the fetch scheduler) instead of its own.
    pub fn with_metrics(mut self, metrics: Arc<Metrics>) -> App {
        self.metrics = metrics;
        self
    }

    /// Reports on `/health` whether the fetch scheduler keeping `beat` goes round.
    pub fn with_heartbeat(mut self, beat: Heartbeat) -> App {
        self.heartbeat = Some(beat);
        self
    }

    /// Shows articles' lead images as `images` says.
    pub fn with_images(mut self, images: Images) -> App {
        self.images = images;
        self
    }

    /// Where each of `urls` (articles' lead images as their pages gave them) is shown from,
    /// for those that are shown: the address itself where images are linked and it may be
    /// ([`images::linked`]), korolev's own copy where copies are served and one is kept. A
    /// store that cannot say which copies it keeps is logged, and the page goes without.
    pub(crate) async fn lead_images(&self, urls: Vec<String>) -> HashMap<String, String> {
        match self.images {
            Images::Linked => urls
                .into_iter()
                .filter_map(|u| Some((images::linked(&u, &self.public_url)?, u)))
                .map(|(shown, u)| (u, shown))
                .collect(),
            Images::Cached if !urls.is_empty() => {
                let keys = self
                    .read(move |s| {
                        let urls: Vec<&str> = urls.iter().map(String::as_str).collect();
                        s.image_keys(&urls)
                    })
                    .await;
                match keys {
                    Ok(keys) => keys
                        .into_iter()
                        .map(|(u, key)| (u, format!("{}/images/{key}", self.public_url)))
                        .collect(),
                    Err(e) => {
                        tracing::error!("which lead images are kept: {}", e.message);
                        HashMap::new()
                    }
                }
            }
            Images::Cached | Images::Off => HashMap::new(),
        }
    }

    /// Sets the address clients reach the server at (`--public-url`, else the bound
    /// address); it must be an `http` or `https` URL.
    pub fn with_public_url(mut self, base: &str) -> Result<App, String> {
        let url = web_url(base).ok_or_else(|| format!("{base:?} is not an http or https URL"))?;
        self.public_url = url.trim_end_matches('/').to_string();
        Ok(self)
    }

    /// Runs `f` in one read of the store, on the thread of the first connection free. Reads
    /// wait in one queue rather than each on a thread of its own: the threads that read are
    /// as many as the connections however many requests wait (and so are the allocator's
    /// per-thread caches, which otherwise grow with every thread the runtime starts).
    pub(crate) async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn Reader) -> korolev_store::Result<T> + Send + 'static,
    ) -> Result<T, ApiError> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move |s| {
            let _ = tx.send(korolev_store::read_once(s, f));
        });
        let stopped = || ApiError::internal("the store's readers stopped".to_string());
        self.jobs.send(job).map_err(|_| stopped())?;
        match rx.await {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(e)) => Err(ApiError::internal(e.to_string())),
            Err(_) => Err(stopped()),
        }
    }
}

/// Every route of the server.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .merge(snapi::routes())
        .merge(api::routes())
        .merge(openapi::routes())
        .merge(health::routes())
        .merge(ll2::routes())
        .merge(feeds::routes())
        .merge(podcasts::routes())
        .merge(sources::routes())
        .merge(search::routes())
        .merge(sitemap::routes())
        .merge(portal::routes())
        .route_layer(axum::middleware::from_fn(mark_route))
        .layer(axum::middleware::from_fn(time_budget))
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&app),
            cached,
        ))
        // Compressed on the way out, so that one kept answer serves every encoding.
        .layer(tower_http::compression::CompressionLayer::new())
        // Any page may be read from any origin, as SNAPI and Open Notify allow; nothing here
        // takes credentials or changes state.
        .layer(
            tower_http::cors::CorsLayer::new()
                .allow_origin(tower_http::cors::Any)
                .allow_methods([
                    axum::http::Method::GET,
                    axum::http::Method::HEAD,
                    axum::http::Method::OPTIONS,
                ])
                .allow_headers(tower_http::cors::Any)
                .expose_headers([header::ETAG]),
        )
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&app),
            security_headers,
        ))
        .with_state(app)
}

/// Carries the route pattern a request matched on its answer, for the metrics and the log.
async fn mark_route(req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map(|m| RouteLabel(Arc::from(m.as_str())));
    let mut res = next.run(req).await;
    if let Some(route) = route {
        res.extensions_mut().insert(route);
    }
    res
}

/// Answers to GET requests, by path and query, each with the generation of the store it was
/// read from: a page asked for again before anything changed is sent as it was.
#[derive(Default)]
struct Answers {
    by_uri: HashMap<String, Answer>,
    bytes: usize,
}

struct Answer {
    generation: u64,
    /// The headers the route gave (its type, its own caching).
    headers: axum::http::HeaderMap,
    etag: HeaderValue,
    body: axum::body::Bytes,
    route: Option<RouteLabel>,
}

/// A weak validator of `body` (weak: the same for every encoding of it).
fn etag_of(body: &[u8]) -> HeaderValue {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(body);
    let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    HeaderValue::from_str(&format!("W/\"{hex}\"")).unwrap_or(HeaderValue::from_static("W/\"0\""))
}

/// Whether the request's `If-None-Match` names `etag` (or is `*`).
fn not_modified(req_tags: Option<&HeaderValue>, etag: &HeaderValue) -> bool {
    let (Some(tags), Ok(etag)) = (req_tags.and_then(|v| v.to_str().ok()), etag.to_str()) else {
        return false;
    };
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_string();
    tags.split(',')
        .any(|t| t.trim() == "*" || bare(t) == bare(etag))
}

/// An answer: 304 when the client holds it already.
fn answer(
    headers: &axum::http::HeaderMap,
    etag: HeaderValue,
    body: axum::body::Bytes,
    if_none_match: Option<&HeaderValue>,
) -> Response {
    let fresh = not_modified(if_none_match, &etag);
    let mut res = if fresh {
        let mut r = Response::new(axum::body::Body::empty());
        *r.status_mut() = axum::http::StatusCode::NOT_MODIFIED;
        r
    } else {
        Response::new(axum::body::Body::from(body))
    };
    let h = res.headers_mut();
    for (name, value) in headers {
        if name != header::CONTENT_LENGTH {
            h.insert(name, value.clone());
        }
    }
    h.insert(header::ETAG, etag);
    // Kept by anyone, but asked again each time (a write may change it at any moment),
    // unless the route says otherwise.
    h.entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-cache"));
    res
}

/// The most the kept answers hold together; past it they are all let go.
const ANSWERS_BYTES: usize = 16 << 20;
/// The largest answer kept.
const ANSWER_BYTES: usize = 256 << 10;

async fn cached(
    axum::extract::State(app): axum::extract::State<Arc<App>>,
    req: Request,
    next: Next,
) -> Response {
    if req.method() != axum::http::Method::GET {
        return next.run(req).await;
    }
    let keep = app.keep_answers.load(Ordering::Relaxed);
    let key = req.uri().to_string();
    let if_none_match = req.headers().get(header::IF_NONE_MATCH).cloned();
    // Read before the work: an answer worked out while the store changed is filed under the
    // older generation, and so never served as current.
    let generation = app.generation.load(Ordering::SeqCst);
    let hit = if !keep {
        None
    } else {
        let answers = app.answers.lock().unwrap_or_else(|p| p.into_inner());
        answers
            .by_uri
            .get(&key)
            .filter(|a| a.generation == generation)
            .map(|a| {
                (
                    a.headers.clone(),
                    a.etag.clone(),
                    a.body.clone(),
                    a.route.clone(),
                )
            })
    };
    if let Some((headers, etag, body, route)) = hit {
        let mut res = answer(&headers, etag, body, if_none_match.as_ref());
        if let Some(route) = route {
            res.extensions_mut().insert(route);
        }
        return res;
    }
    let res = next.run(req).await;
    // Only whole answers of a known, modest size are kept, and only those the route lets be.
    let size = axum::body::HttpBody::size_hint(res.body()).exact();
    let no_store = res
        .headers()
        .get(header::CACHE_CONTROL)
        .is_some_and(|v| v.as_bytes().windows(8).any(|w| w == b"no-store"));
    if res.status() != axum::http::StatusCode::OK
        || no_store
        || size.is_none_or(|n| n > ANSWER_BYTES as u64)
    {
        return res;
    }
    let (parts, body) = res.into_parts();
    let body = match axum::body::to_bytes(body, ANSWER_BYTES).await {
        Ok(b) => b,
        Err(e) => {
            tracing::error!(
                "answering a request to {}: {e}",
                key.split('?').next().unwrap_or("")
            );
            return axum::response::IntoResponse::into_response(ApiError::internal(format!(
                "the answer could not be read: {e}"
            )));
        }
    };
    let etag = etag_of(&body);
    let route = parts.extensions.get::<RouteLabel>().cloned();
    if keep {
        let mut answers = app.answers.lock().unwrap_or_else(|p| p.into_inner());
        if answers.bytes + body.len() > ANSWERS_BYTES {
            answers.by_uri.clear();
            answers.bytes = 0;
        }
        answers.bytes += body.len();
        let old = answers.by_uri.insert(
            key,
            Answer {
                generation,
                headers: parts.headers.clone(),
                etag: etag.clone(),
                body: body.clone(),
                route: route.clone(),
            },
        );
        if let Some(old) = old {
            answers.bytes -= old.body.len();
        }
    }
    let mut res = answer(&parts.headers, etag, body, if_none_match.as_ref());
    if let Some(route) = route {
        res.extensions_mut().insert(route);
    }
    res
}

/// The longest a request may take before it is answered 503 (its thread is let go; the work
/// on the store, if any, ends by itself).
const TIME_BUDGET: std::time::Duration = std::time::Duration::from_secs(10);

async fn time_budget(req: Request, next: Next) -> Response {
    match tokio::time::timeout(TIME_BUDGET, next.run(req)).await {
        Ok(res) => res,
        Err(_) => {
            let body = serde_json::json!({
                "error": "busy",
                "message": "the request took too long; try again or narrow it",
            });
            let mut res = axum::response::IntoResponse::into_response((
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                axum::Json(body),
            ));
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
            res
        }
    }
}

/// Headers every response carries: no script at all, no framing, no sniffing. (`connect-src
/// 'self'` lets the tools that audit a page from inside it, Lighthouse among them, read the
/// site's robots.txt; with no script allowed, nothing of the site's own connects.)
async fn security_headers(
    axum::extract::State(app): axum::extract::State<Arc<App>>,
    req: Request,
    next: Next,
) -> Response {
    // Images from plain http only on a portal served over plain http: on an https one they
    // would be mixed content (lead images are upgraded to https there, see images.rs).
    const OVER_HTTPS: &str = "default-src 'none'; style-src 'self'; img-src 'self' https: data:; \
         connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
    const OVER_HTTP: &str =
        "default-src 'none'; style-src 'self'; img-src 'self' https: http: data:; \
         connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
    let policy = if app.public_url.starts_with("https:") {
        OVER_HTTPS
    } else {
        OVER_HTTP
    };
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(policy),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    res
}

/// What one server lets its clients hold.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// How long a client has to send a request's headers, from the moment the connection is
    /// open or idle: a slow or silent client is dropped after it.
    pub header_timeout: std::time::Duration,
    /// Open connections at most; one more is answered 503 at once and closed.
    pub max_connections: usize,
    /// Requests per second one client address may make (bursts of twice as many), when set;
    /// past it, 429 with `Retry-After`. Off by default, as in SNAPI.
    pub rate_limit: Option<f64>,
    /// Whether answers to GET requests are kept until the store or the day changes (on by
    /// default; off to measure the work of every request).
    pub keep_answers: bool,
}

/// A token bucket per client address.
struct RateLimiter {
    per_second: f64,
    clients: Mutex<HashMap<std::net::IpAddr, (f64, std::time::Instant)>>,
}

impl RateLimiter {
    /// Takes one request's token for `ip`; when there is none, the seconds until there is.
    fn take(&self, ip: std::net::IpAddr) -> Result<(), u64> {
        let now = std::time::Instant::now();
        let burst = (self.per_second * 2.0).max(1.0);
        let mut clients = self
            .clients
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if clients.len() > 100_000 {
            // Forget clients whose bucket has filled again: they lose nothing.
            let full = std::time::Duration::from_secs_f64(burst / self.per_second);
            clients.retain(|_, (_, last)| now.duration_since(*last) < full);
        }
        let (tokens, last) = clients.entry(ip).or_insert((burst, now));
        *tokens = (*tokens + now.duration_since(*last).as_secs_f64() * self.per_second).min(burst);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - *tokens) / self.per_second).ceil().max(1.0) as u64)
        }
    }
}

/// The answer to a client past its rate.
fn too_many(retry_after: u64) -> Response {
    let body = serde_json::json!({
        "error": "rate_limited",
        "message": format!("too many requests from this address; retry in {retry_after} s"),
    });
    let mut res = axum::response::IntoResponse::into_response((
        axum::http::StatusCode::TOO_MANY_REQUESTS,
        axum::Json(body),
    ));
    if let Ok(v) = HeaderValue::from_str(&retry_after.to_string()) {
        res.headers_mut().insert(header::RETRY_AFTER, v);
    }
    res
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            header_timeout: std::time::Duration::from_secs(10),
            max_connections: 4096,
            rate_limit: None,
            keep_answers: true,
        }
    }
}

/// The answer to a connection past the cap: short, final, and written without waiting.
const BUSY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\n\
retry-after: 1\r\nconnection: close\r\ncontent-length: 62\r\n\r\n\
{\"error\":\"busy\",\"message\":\"too many open connections; retry\"}\n";

/// Serves `app` on `listener` until `shutdown` completes, then finishes the requests under way.
pub async fn serve(
    app: Arc<App>,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    serve_with(app, listener, shutdown, Limits::default()).await
}

/// [`serve`] with the given limits: HTTP/1.1 with keep-alive, each connection dropped when
/// its client takes longer than `header_timeout` to send a request, and no more than
/// `max_connections` open at once.
pub async fn serve_with(
    app: Arc<App>,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    limits: Limits,
) -> Result<(), ServeError> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use tokio::io::AsyncWriteExt;
    tokio::spawn(Arc::clone(&app).watch());
    app.keep_answers
        .store(limits.keep_answers, Ordering::Relaxed);
    let metrics = Arc::clone(&app.metrics);
    let router = router(app);
    let limiter = limits.rate_limit.filter(|r| *r > 0.0).map(|per_second| {
        Arc::new(RateLimiter {
            per_second,
            clients: Mutex::new(HashMap::new()),
        })
    });
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .keep_alive(true);
    let open = Arc::new(tokio::sync::Semaphore::new(limits.max_connections));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            () = &mut shutdown => break,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(e) => {
                // Out of file descriptors or a connection reset before it was taken: wait a
                // moment instead of spinning, and go on.
                tracing::warn!("accepting a connection: {e}");
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                continue;
            }
        };
        let Ok(permit) = Arc::clone(&open).try_acquire_owned() else {
            tokio::spawn(async move {
                let mut stream = stream;
                let refuse = async {
                    stream.write_all(BUSY).await?;
                    stream.shutdown().await?;
                    // Read what the client still sends (its request) before closing: closing
                    // on unread bytes resets the connection, and the client may lose the 503
                    // or fail writing its request.
                    let mut sink = [0u8; 4096];
                    let mut left: usize = 64 * 1024;
                    while left > 0 {
                        let n = tokio::io::AsyncReadExt::read(&mut stream, &mut sink).await?;
                        if n == 0 {
                            break;
                        }
                        left = left.saturating_sub(n);
                    }
                    Ok::<_, std::io::Error>(())
                };
                let _ = tokio::time::timeout(std::time::Duration::from_secs(1), refuse).await;
            });
            continue;
        };
        let (router, limiter, metrics) = (router.clone(), limiter.clone(), Arc::clone(&metrics));
        let open_connections = metrics.open_connections.clone();
        let service =
            hyper::service::service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                let (router, limiter, metrics) =
                    (router.clone(), limiter.clone(), Arc::clone(&metrics));
                async move {
                    let seen = Seen::of(&req);
                    let mut res = match limiter.map(|l| l.take(peer.ip())) {
                        Some(Err(wait)) => too_many(wait),
                        _ => {
                            match tower::ServiceExt::oneshot(router, req.map(axum::body::Body::new))
                                .await
                            {
                                Ok(res) => res,
                                Err(never) => match never {},
                            }
                        }
                    };
                    seen.answered(&mut res, &metrics);
                    Ok::<_, std::convert::Infallible>(res)
                }
            });
        let conn = http.serve_connection(TokioIo::new(stream), service);
        let conn = graceful.watch(conn);
        open_connections.inc();
        tokio::spawn(async move {
            // A connection that ends in error (a timeout, a reset) has nothing left to say.
            let _ = conn.await;
            open_connections.dec();
            drop(permit);
        });
    }
    drop(listener);
    // Requests under way finish; a client that keeps its connection silent does not hold
    // the shutdown past its header timeout.
    let _ = tokio::time::timeout(limits.header_timeout, graceful.shutdown()).await;
    Ok(())
}

/// Numbers the requests of this process, for their log lines and `x-request-id`.
static REQUESTS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// A request as its log line tells it: never its headers (cookies, credentials), and its
/// query with the values of secret-looking keys hidden.
struct Seen {
    id: String,
    method: axum::http::Method,
    target: String,
    started: std::time::Instant,
}

impl Seen {
    fn of<B>(req: &hyper::Request<B>) -> Seen {
        let n = REQUESTS.fetch_add(1, Ordering::Relaxed);
        let uri = req.uri();
        let mut target = uri.path().to_string();
        if let Some(q) = uri.query() {
            target.push('?');
            target.push_str(&logged_query(q));
        }
        Seen {
            id: format!("{:x}-{n}", std::process::id()),
            method: req.method().clone(),
            target,
            started: std::time::Instant::now(),
        }
    }

    /// Logs the answer, counts it, and names the request on it.
    fn answered(self, res: &mut Response, metrics: &Metrics) {
        let seconds = self.started.elapsed().as_secs_f64();
        let route = res
            .extensions()
            .get::<RouteLabel>()
            .map_or("unmatched", |r| &r.0);
        let status = res.status().as_u16();
        // Methods as the metrics count them: hyper takes any token, which would be a series
        // each.
        let method = match self.method.as_str() {
            m @ ("GET" | "HEAD" | "OPTIONS" | "POST" | "PUT" | "DELETE" | "PATCH") => m,
            _ => "other",
        };
        metrics.request(route, method, status, seconds);
        tracing::info!(
            target: "korolev::request",
            request_id = %self.id,
            method = %self.method,
            path = %self.target,
            route,
            status,
            ms = (seconds * 1000.0 * 10.0).round() / 10.0,
        );
        if let Ok(v) = HeaderValue::from_str(&self.id) {
            res.headers_mut().insert("x-request-id", v);
        }
    }
}

/// A query as logged: at most 256 bytes, and `password=…`, `token=…` and the like hidden.
fn logged_query(q: &str) -> String {
    const SECRET: [&str; 6] = ["pass", "token", "secret", "key", "session", "auth"];
    let shown: Vec<String> = q
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, _)) if SECRET.iter().any(|s| k.to_ascii_lowercase().contains(s)) => {
                format!("{k}=[hidden]")
            }
            _ => pair.to_string(),
        })
        .collect();
    let mut out = shown.join("&");
    if out.len() > 256 {
        let mut end = 256;
        while !out.is_char_boundary(end) {
            end -= 1;
        }
        out.truncate(end);
        out.push('…');
    }
    out
}

/// Serves `/metrics` of `app` on `listener` (the operator's, not the public one) until
/// `shutdown`.
pub async fn serve_metrics(
    app: Arc<App>,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    axum::serve(listener, metrics::router(app))
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(ServeError::Io)
}

/// Binds `addr`, naming it when that fails.
pub async fn bind(addr: SocketAddr) -> Result<tokio::net::TcpListener, ServeError> {
    tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|cause| ServeError::Bind { addr, cause })
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
pub fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    // The handlers are installed now, not when the future is first polled: a signal that
    // comes once the caller has said it is serving is never the default one (which would kill
    // the process before it cleans up).
    #[cfg(unix)]
    let (interrupt, term) = {
        use tokio::signal::unix::{signal, SignalKind};
        (
            signal(SignalKind::interrupt()).ok(),
            signal(SignalKind::terminate()).ok(),
        )
    };
    async move {
        #[cfg(unix)]
        {
            let wait = |s: Option<tokio::signal::unix::Signal>| async move {
                match s {
                    Some(mut s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                _ = wait(interrupt) => {}
                _ = wait(term) => {}
            }
        }
        #[cfg(not(unix))]
        {
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        }
    }
}

#[cfg(test)]
mod web_url_tests {
    use super::web_url;

    #[test]
    fn only_absolute_web_addresses_pass() {
        for bad in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "data:text/html,<script>x</script>",
            "file:///etc/passwd",
            "/home/user/page.html",
            "corpus/2024/a.txt",
            "-",
            "",
            "http://",
            "mailto:a@example.org",
        ] {
            assert_eq!(web_url(bad), None, "{bad:?}");
        }
        assert_eq!(
            web_url("HTTPS://Example.ORG/a b\"<x>").as_deref(),
            Some("https://example.org/a%20b%22%3Cx%3E")
        );
        assert_eq!(
            web_url("http://127.0.0.1:8080").as_deref(),
            Some("http://127.0.0.1:8080/")
        );
    }
}
