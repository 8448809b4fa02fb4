//! korolev's fetcher: follows sources (feeds, sitemaps, single pages) over HTTP as a polite
//! crawler does, and reads each new or changed page through the same pipeline as files.
//!
//! - **Polite**: robots.txt is honoured (read once a day per host, with its Crawl-delay), one
//!   request per host at a time, spaced by a delay; a host that answers 429 or 503 is left
//!   alone for its `Retry-After`. Requests name korolev and the operator's contact.
//! - **Cheap**: every address asked for before is asked for with its validators (ETag,
//!   Last-Modified), and a 304 stores nothing; a listed page is fetched again only when its
//!   listing says it changed.
//! - **Safe to kill**: each page is stored in its own transaction before it is recorded as
//!   fetched, and a listing's validators are recorded only once all it lists was handled,
//!   so a run cut short is taken up by the next one, which repeats nothing stored (bytes seen
//!   before change nothing).
//! - **Faults are kept, never fatal**: a source that fails keeps its error and its failures in
//!   a row, and is tried again after a back-off; the other sources go on.

mod address;
pub use address::{is_local, may_follow};
pub mod http;
pub mod listing;

use http::{Answer, Client, FetchError, Validators};
use korolev_facts::when::unix_now as now;
use korolev_pipeline::{Hints, IngestError};
use korolev_store::{Episode, FetchLog, FetchRecord, SourceStatus, Stored, Writer};
use listing::{Item, Sitemap};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What a source's address serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Feed,
    Sitemap,
    Page,
}

/// A source to fetch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub url: String,
    pub kind: Kind,
    /// How often it is looked at: a success is next tried after this, a failure after a
    /// back-off that starts from it.
    pub every: Duration,
}

/// How the fetcher behaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Who is asking: `korolev/VERSION (+CONTACT)`.
    pub user_agent: String,
    /// Requests to one host are at least this far apart (longer where robots.txt says so).
    pub delay: Duration,
    /// A request has this long to be answered in full.
    pub timeout: Duration,
    /// The largest page accepted, in bytes, once unpacked.
    pub max_page_bytes: u64,
    /// The largest feed or sitemap accepted, in bytes, once unpacked.
    pub max_listing_bytes: u64,
    pub max_redirects: usize,
    /// Pages fetched from one source in one run, at most (the newest first); the rest wait for
    /// the next run.
    pub pages_per_source: usize,
    /// Sitemaps read from one sitemap index in one run, at most.
    pub sitemaps_per_index: usize,
    /// Hosts fetched from at once (one request per host at a time).
    pub hosts_at_once: usize,
    /// Whether each new article's lead image is fetched and kept, for a portal that serves
    /// copies (`[server] images = "cached"`).
    pub keep_images: bool,
    /// The largest image kept, in bytes.
    pub max_image_bytes: u64,
}

/// Crawl-delay is believed up to this.
const LONGEST_CRAWL_DELAY: Duration = Duration::from_secs(60);
/// robots.txt is read again after this.
const ROBOTS_FRESH: i64 = 24 * 3600;
/// robots.txt bodies are read up to this (as Google does).
const ROBOTS_BYTES: u64 = 500 * 1024;
/// A failing source is tried again after `every` doubled per failure in a row, up to this.
const LONGEST_BACKOFF: Duration = Duration::from_secs(24 * 3600);

impl Settings {
    /// The defaults, with the operator's contact (an address or a URL) in the User-Agent.
    pub fn new(contact: Option<&str>) -> Settings {
        let version = env!("CARGO_PKG_VERSION");
        let user_agent = match contact.map(str::trim).filter(|c| !c.is_empty()) {
            Some(c) => format!("korolev/{version} (+{c})"),
            None => format!("korolev/{version}"),
        };
        Settings {
            user_agent,
            delay: Duration::from_secs(1),
            timeout: Duration::from_secs(30),
            max_page_bytes: korolev_extract::MAX_DOCUMENT_BYTES as u64,
            max_listing_bytes: 50 * 1024 * 1024,
            max_redirects: 5,
            pages_per_source: 100,
            sitemaps_per_index: 50,
            hosts_at_once: 4,
            keep_images: false,
            max_image_bytes: 5 * 1024 * 1024,
        }
    }
}

/// What one page's fetch came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageOutcome {
    Stored(Stored),
    /// 304: unchanged since it was last fetched.
    NotModified,
    /// Passed over for good (robots.txt, not a page, HTTP 404): the reason.
    Skipped(String),
    /// Failed for now (the host, the network): tried again on a later run.
    Failed(String),
}

/// What a run tells its caller as it goes.
#[derive(Debug, Clone)]
pub enum Event {
    /// A source is being fetched.
    Source(String),
    /// A source is done: how many pages it listed that were fetched, or why it failed.
    SourceDone(String, Result<SourceOutcome, String>),
    /// A page is done.
    Page(String, PageOutcome),
}

/// A source fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceOutcome {
    /// 304, or listing nothing new.
    Unchanged,
    /// It listed `n` pages to fetch (new, or changed since they were fetched).
    Fetched(usize),
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub sources: usize,
    pub sources_unchanged: usize,
    pub sources_failed: usize,
    pub pages_new: usize,
    pub pages_revised: usize,
    pub pages_unchanged: usize,
    pub pages_not_modified: usize,
    pub pages_skipped: usize,
    pub pages_failed: usize,
    /// Requests made, robots.txt included.
    pub requests: usize,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "sources {} (unchanged {}, failed {}) · pages new {} · revised {} · unchanged {} · not modified {} · skipped {} · failed {} · requests {}",
            self.sources,
            self.sources_unchanged,
            self.sources_failed,
            self.pages_new,
            self.pages_revised,
            self.pages_unchanged,
            self.pages_not_modified,
            self.pages_skipped,
            self.pages_failed,
            self.requests
        )
    }
}

impl Summary {
    fn page(&mut self, o: &PageOutcome) {
        match o {
            PageOutcome::Stored(Stored::New) => self.pages_new += 1,
            PageOutcome::Stored(Stored::Revised) => self.pages_revised += 1,
            PageOutcome::Stored(Stored::Unchanged) => self.pages_unchanged += 1,
            PageOutcome::NotModified => self.pages_not_modified += 1,
            PageOutcome::Skipped(_) => self.pages_skipped += 1,
            PageOutcome::Failed(_) => self.pages_failed += 1,
        }
    }
}

/// The store as the fetcher uses it: written through the pipeline, remembered in its log.
pub trait FetchStore: Writer + FetchLog + Send {}
impl<T: Writer + FetchLog + Send> FetchStore for T {}

/// What a host's robots.txt allows.
enum Robots {
    All,
    Rules(Box<texting_robots::Robot>),
    /// Unreadable for now (5xx, the network): nothing is fetched from the host this run.
    Nothing(String),
}

/// Follows sources. One fetcher serves many runs: it keeps each host's robots.txt and
/// spacing between them.
pub struct Fetcher {
    settings: Settings,
    client: Client,
    robots: Mutex<HashMap<String, (Instant, Arc<Robots>)>>,
}

/// The product token robots.txt groups are matched against.
const ROBOT_NAME: &str = "korolev";

fn lock<S: ?Sized>(m: &Mutex<S>) -> std::sync::MutexGuard<'_, S> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

type StoreResult<T> = Result<T, korolev_store::StoreError>;

impl Fetcher {
    pub fn new(settings: Settings) -> Fetcher {
        let client = Client::new(
            &settings.user_agent,
            settings.delay,
            settings.timeout,
            settings.max_redirects,
        );
        Fetcher {
            settings,
            client,
            robots: Mutex::new(HashMap::new()),
        }
    }

    /// Requests made so far.
    pub fn requests_made(&self) -> usize {
        self.client
            .requests
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Fetches `sources`, a host's sources one after another and up to `hosts_at_once` hosts
    /// at once; `events` hears each source and page as it is done. Only a store that stops
    /// working ends a run early (its error is returned); every other fault is the source's.
    pub fn run<S: FetchStore>(
        &self,
        store: &Mutex<S>,
        sources: &[Source],
        events: &(dyn Fn(Event) + Sync),
    ) -> StoreResult<Summary> {
        let requests_before = self.requests_made();
        // The sources of each host, in the order given.
        let mut groups: Vec<Vec<&Source>> = Vec::new();
        let mut by_host: HashMap<String, usize> = HashMap::new();
        for s in sources {
            let key = url::Url::parse(&s.url)
                .map(|u| http::host_key(&u))
                .unwrap_or_default();
            let i = *by_host.entry(key).or_insert_with(|| {
                groups.push(Vec::new());
                groups.len() - 1
            });
            groups[i].push(s);
        }
        let queue = Mutex::new(groups.into_iter());
        let summary = Mutex::new(Summary::default());
        let failure: Mutex<Option<korolev_store::StoreError>> = Mutex::new(None);
        let workers = self.settings.hosts_at_once.clamp(1, 64);
        std::thread::scope(|scope| {
            for _ in 0..workers {
                scope.spawn(|| loop {
                    if lock(&failure).is_some() {
                        return;
                    }
                    let Some(group) = lock(&queue).next() else {
                        return;
                    };
                    for source in group {
                        events(Event::Source(source.url.clone()));
                        let mut tally = Summary::default();
                        match self.source(store, source, &mut tally, events) {
                            Ok(outcome) => {
                                tally.sources += 1;
                                if outcome
                                    .as_ref()
                                    .is_ok_and(|o| *o == SourceOutcome::Unchanged)
                                {
                                    tally.sources_unchanged += 1;
                                }
                                if outcome.is_err() {
                                    tally.sources_failed += 1;
                                }
                                let mut sum = lock(&summary);
                                add(&mut sum, &tally);
                                drop(sum);
                                events(Event::SourceDone(source.url.clone(), outcome));
                            }
                            Err(e) => {
                                *lock(&failure) = Some(e);
                                return;
                            }
                        }
                    }
                });
            }
        });
        if let Some(e) = lock(&failure).take() {
            return Err(e);
        }
        let mut summary = lock(&summary).clone();
        summary.requests = self.requests_made() - requests_before;
        Ok(summary)
    }

    /// Fetches one source and records how it fared. The outer error is the store's.
    fn source<S: FetchStore>(
        &self,
        store: &Mutex<S>,
        source: &Source,
        tally: &mut Summary,
        events: &(dyn Fn(Event) + Sync),
    ) -> StoreResult<Result<SourceOutcome, String>> {
        let started = now();
        let before = lock(store).source_status(&source.url)?;
        let outcome = self.source_once(store, source, tally, events)?;
        let mut status = before.unwrap_or_else(|| SourceStatus {
            url: source.url.clone(),
            ..SourceStatus::default()
        });
        status.last_attempt = Some(started);
        status.pages += (tally.pages_new + tally.pages_revised) as u64;
        match &outcome {
            Ok(_) => {
                status.last_success = Some(now());
                status.last_error = None;
                status.failures = 0;
                let every = source.every + jitter(&source.url, source.every);
                status.next_attempt = Some(now() + every.as_secs() as i64);
            }
            Err((why, wait)) => {
                status.last_error = Some(why.clone());
                status.failures = status.failures.saturating_add(1);
                let doubled = source
                    .every
                    .saturating_mul(1 << status.failures.saturating_sub(1).min(16))
                    .min(LONGEST_BACKOFF);
                let wait = wait.map_or(doubled, |w| w.max(doubled));
                status.next_attempt = Some(now() + wait.as_secs() as i64);
            }
        }
        lock(store).record_source(&status)?;
        Ok(outcome.map_err(|(why, _)| why))
    }

    /// Fetches one source: its listing, then the pages it lists that are new or changed.
    /// The inner error is why the source failed, with how long its host asked to be left.
    fn source_once<S: FetchStore>(
        &self,
        store: &Mutex<S>,
        source: &Source,
        tally: &mut Summary,
        events: &(dyn Fn(Event) + Sync),
    ) -> StoreResult<Result<SourceOutcome, (String, Option<Duration>)>> {
        let failed = |e: FetchError| {
            let wait = match &e {
                FetchError::Backoff { secs, .. } | FetchError::Refused { secs, .. } => {
                    Some(Duration::from_secs(*secs))
                }
                _ => None,
            };
            Ok(Err((e.to_string(), wait)))
        };
        let url = match url::Url::parse(&source.url) {
            Ok(u) => u,
            Err(e) => return Ok(Err((format!("not an address: {e}"), None))),
        };
        let max = match source.kind {
            Kind::Page => self.settings.max_page_bytes,
            _ => self.settings.max_listing_bytes,
        };
        let (answer, prior) = match self.get_recorded(store, &url, max)? {
            Ok(a) => a,
            Err(e) => return failed(e),
        };
        if answer.not_modified() {
            self.record(store, &url, &answer, prior.as_ref(), None)?;
            return Ok(Ok(SourceOutcome::Unchanged));
        }
        // The validators of each listing read, recorded once all it lists is handled.
        let mut listings = vec![(url.clone(), answer.clone(), prior)];
        let items: Vec<Item> = match source.kind {
            Kind::Page => {
                let outcome = self.store_page(store, &url, &answer, &Item::default())?;
                tally.page(&outcome);
                events(Event::Page(url.to_string(), outcome.clone()));
                if let PageOutcome::Skipped(why) | PageOutcome::Failed(why) = &outcome {
                    return Ok(Err((why.clone(), None)));
                }
                return Ok(Ok(SourceOutcome::Fetched(1)));
            }
            Kind::Feed => match listing::feed_items(&answer.body, &answer.url) {
                Ok(items) => {
                    self.episodes(store, source, &items)?;
                    items
                }
                Err(why) => return Ok(Err((why, None))),
            },
            Kind::Sitemap => {
                let body = match unpacked(&answer.body, self.settings.max_listing_bytes) {
                    Ok(b) => b,
                    Err(e) => return failed(e),
                };
                match listing::sitemap(&body, &answer.url) {
                    Ok(Sitemap::Pages(items)) => items,
                    Ok(Sitemap::Index(maps)) => match self.index(store, &maps, &mut listings)? {
                        Ok(items) => items,
                        Err(e) => return failed(e),
                    },
                    Err(why) => return Ok(Err((why, None))),
                }
            }
        };
        // The pages to fetch: those never fetched, those the listing says changed since, and
        // those whose last try failed for now; newest first, up to the limit.
        let mut wanted: Vec<(Item, Option<FetchRecord>)> = Vec::new();
        let mut seen = HashSet::new();
        for item in items {
            if !seen.insert(item.url.clone()) {
                continue;
            }
            let record = lock(store).fetched(&item.url)?;
            let due = match &record {
                None => true,
                Some(r) => {
                    item.updated.is_some_and(|u| u > r.fetched_at)
                        || r.status == 0
                        || r.status == 429
                        || r.status >= 500
                }
            };
            if due {
                wanted.push((item, record));
            }
        }
        wanted.sort_by_key(|(item, _)| std::cmp::Reverse(item.updated));
        let mut complete = wanted.len() <= self.settings.pages_per_source;
        wanted.truncate(self.settings.pages_per_source);
        let listed = wanted.len();
        for (item, record) in wanted {
            let outcome = self.page(store, &item, record.as_ref())?;
            complete &= !matches!(outcome, PageOutcome::Failed(_));
            tally.page(&outcome);
            events(Event::Page(item.url.clone(), outcome));
        }
        if complete {
            for (u, a, prior) in &listings {
                self.record(store, u, a, prior.as_ref(), None)?;
            }
        }
        Ok(Ok(if listed == 0 {
            SourceOutcome::Unchanged
        } else {
            SourceOutcome::Fetched(listed)
        }))
    }

    /// Keeps the feed's items that carry audio as podcast episodes (their pages are fetched
    /// as every item's are).
    fn episodes<S: FetchStore>(
        &self,
        store: &Mutex<S>,
        source: &Source,
        items: &[Item],
    ) -> StoreResult<()> {
        let seen = now();
        let s = lock(store);
        for item in items {
            let Some(audio) = &item.audio else { continue };
            let title = item
                .title
                .clone()
                .filter(|t| !t.is_empty())
                .unwrap_or_else(|| item.url.clone());
            s.record_episode(&Episode {
                audio_url: audio.url.clone(),
                page_url: item.url.clone(),
                feed: source.url.clone(),
                title,
                audio_type: audio.media_type.clone(),
                duration: audio.seconds,
                published: audio.published.unwrap_or(seen),
                dated: audio.published.is_some(),
                seen_at: seen,
                article: None,
            })?;
        }
        Ok(())
    }

    /// The pages of the sitemaps an index names (each asked for with its validators; those
    /// unchanged list nothing).
    fn index<S: FetchStore>(
        &self,
        store: &Mutex<S>,
        maps: &[String],
        listings: &mut Vec<(url::Url, Answer, Option<FetchRecord>)>,
    ) -> StoreResult<Result<Vec<Item>, FetchError>> {
        let mut items = Vec::new();
        for m in maps.iter().take(self.settings.sitemaps_per_index) {
            let Ok(u) = url::Url::parse(m) else { continue };
            let (answer, prior) =
                match self.get_recorded(store, &u, self.settings.max_listing_bytes)? {
                    Ok(a) => a,
                    Err(e) if e.is_transient() => return Ok(Err(e)),
                    // A sitemap that is gone or refused lists nothing.
                    Err(_) => continue,
                };
            if answer.not_modified() {
                self.record(store, &u, &answer, prior.as_ref(), None)?;
                continue;
            }
            let body = match unpacked(&answer.body, self.settings.max_listing_bytes) {
                Ok(b) => b,
                Err(_) => continue,
            };
            // An index inside an index is not followed (the protocol has none).
            if let Ok(Sitemap::Pages(pages)) = listing::sitemap(&body, &answer.url) {
                items.extend(pages);
            }
            listings.push((u, answer, prior));
        }
        Ok(Ok(items))
    }

    /// Fetches one listed page and stores it.
    fn page<S: FetchStore>(
        &self,
        store: &Mutex<S>,
        item: &Item,
        record: Option<&FetchRecord>,
    ) -> StoreResult<PageOutcome> {
        let Ok(url) = url::Url::parse(&item.url) else {
            return Ok(PageOutcome::Skipped("not an address".into()));
        };
        let answer = match self.get(store, &url, record, self.settings.max_page_bytes)? {
            Ok(a) => a,
            Err(e) if e.is_transient() => return Ok(PageOutcome::Failed(e.to_string())),
            Err(e) => {
                if let FetchError::Status(status) = e {
                    // Gone or refused: recorded, so that it is not asked for again unless its
                    // listing says it changed.
                    lock(store).record_fetch(&FetchRecord {
                        url: item.url.clone(),
                        status,
                        fetched_at: now(),
                        ..FetchRecord::default()
                    })?;
                }
                return Ok(PageOutcome::Skipped(e.to_string()));
            }
        };
        if answer.not_modified() {
            self.record(store, &url, &answer, record, None)?;
            return Ok(PageOutcome::NotModified);
        }
        self.store_page(store, &url, &answer, item)
    }

    /// Reads a fetched page through the pipeline and records it.
    fn store_page<S: FetchStore>(
        &self,
        store: &Mutex<S>,
        asked: &url::Url,
        answer: &Answer,
        item: &Item,
    ) -> StoreResult<PageOutcome> {
        if let Some(t) = answer
            .content_type
            .as_deref()
            .filter(|t| !korolev_extract::is_page_type(t))
        {
            let why = format!("not a page ({})", t.split(';').next().unwrap_or(t).trim());
            self.record(store, asked, answer, None, None)?;
            return Ok(PageOutcome::Skipped(why));
        }
        let final_url = answer.url.to_string();
        let hints = Hints {
            url: Some(final_url.clone()),
            content_type: answer.content_type.clone(),
            published: item.published,
            seen: Some(now()),
            title: item.title.clone(),
            authors: item.authors.clone(),
            image: item.image.clone(),
        };
        let outcome = match korolev_pipeline::ingest_shared(store, &final_url, &answer.body, &hints)
        {
            Ok(done) => {
                if let Some(image) = done.image.as_deref().filter(|_| self.settings.keep_images) {
                    self.keep_image(store, image, &answer.url)?;
                }
                PageOutcome::Stored(done.stored)
            }
            Err(IngestError::Store(e)) => return Err(e),
            Err(IngestError::Extract(e)) => PageOutcome::Skipped(e.to_string()),
        };
        let id = korolev_store::document_id(&answer.body);
        self.record(store, asked, answer, None, Some(id))?;
        Ok(outcome)
    }

    /// Fetches and keeps the lead image at `image` that the page at `page` gives, once: where
    /// robots.txt allows it, [`may_follow`] allows it from the page, and what comes back is an
    /// image of a kind browsers show (read by its first bytes, not by what the server says).
    /// A failure for now (the network, a 5xx) is tried again with the page's next revision;
    /// any other is kept, so as not to be asked again.
    fn keep_image<S: FetchStore>(
        &self,
        store: &Mutex<S>,
        image: &str,
        page: &url::Url,
    ) -> StoreResult<()> {
        let Some(u) = listing::web_url(image, page).filter(|u| may_follow(u, Some(page))) else {
            return Ok(());
        };
        if lock(store).image_tried(image)? {
            return Ok(());
        }
        let got = match self.get(store, &u, None, self.settings.max_image_bytes)? {
            Ok(a) => match image_type(&a.body) {
                Some(media_type) => Ok(korolev_store::KeptImage {
                    media_type: media_type.to_string(),
                    bytes: a.body,
                }),
                None => Err("not an image of a kind browsers show".to_string()),
            },
            Err(e) if e.is_transient() => return Ok(()),
            Err(e) => Err(e.to_string()),
        };
        lock(store).keep_image(image, got.as_ref().map_err(String::as_str), now())
    }

    /// Keeps an answer's validators for its address (a 304 keeps those known before).
    fn record<S: FetchStore>(
        &self,
        store: &Mutex<S>,
        asked: &url::Url,
        answer: &Answer,
        prior: Option<&FetchRecord>,
        document_id: Option<String>,
    ) -> StoreResult<()> {
        let s = lock(store);
        let prior = match prior {
            Some(p) => Some(p.clone()),
            None if answer.not_modified() => s.fetched(asked.as_str())?,
            None => None,
        };
        let t = now();
        let record = if answer.not_modified() {
            FetchRecord {
                fetched_at: t,
                status: 304,
                etag: answer
                    .etag
                    .clone()
                    .or(prior.as_ref().and_then(|p| p.etag.clone())),
                ..prior.unwrap_or_else(|| FetchRecord {
                    url: asked.to_string(),
                    ..FetchRecord::default()
                })
            }
        } else {
            FetchRecord {
                url: asked.to_string(),
                final_url: Some(answer.url.to_string()).filter(|u| u != asked.as_str()),
                etag: answer.etag.clone(),
                last_modified: answer.last_modified.clone(),
                status: answer.status,
                fetched_at: t,
                changed_at: Some(t),
                document_id,
                kept: None,
            }
        };
        s.record_fetch(&record)
    }

    /// GETs `url` with the validators recorded for it.
    fn get_recorded<S: FetchStore>(
        &self,
        store: &Mutex<S>,
        url: &url::Url,
        max: u64,
    ) -> StoreResult<Result<(Answer, Option<FetchRecord>), FetchError>> {
        let prior = lock(store).fetched(url.as_str())?;
        Ok(self
            .get(store, url, prior.as_ref(), max)?
            .map(|a| (a, prior)))
    }

    /// GETs `url` (conditionally, with `record`'s validators) where robots.txt allows it.
    fn get<S: FetchStore>(
        &self,
        store: &Mutex<S>,
        url: &url::Url,
        record: Option<&FetchRecord>,
        max: u64,
    ) -> StoreResult<Result<Answer, FetchError>> {
        let validators = record.map_or_else(Validators::default, |r| Validators {
            etag: r.etag.clone(),
            last_modified: r.last_modified.clone(),
        });
        let mut store_failed = None;
        let mut allowed = |u: &url::Url| -> Result<(), FetchError> {
            match self.robots_of(store, u) {
                Ok(r) => match &*r {
                    Robots::All => Ok(()),
                    Robots::Rules(robot) if robot.allowed(u.as_str()) => Ok(()),
                    Robots::Rules(_) => Err(FetchError::Disallowed(
                        u.host_str().unwrap_or("").to_string(),
                    )),
                    Robots::Nothing(why) => Err(FetchError::Other(format!(
                        "robots.txt of {} cannot be read: {why}",
                        u.host_str().unwrap_or("")
                    ))),
                },
                Err(e) => {
                    store_failed = Some(e);
                    Err(FetchError::Other("the store failed".into()))
                }
            }
        };
        let answer = self.client.get(url, &validators, max, &mut allowed);
        if let Some(e) = store_failed {
            return Err(e);
        }
        Ok(answer)
    }

    /// The robots.txt of `u`'s origin: kept a day in memory and in the store, asked for again
    /// with its validators.
    fn robots_of<S: FetchStore>(&self, store: &Mutex<S>, u: &url::Url) -> StoreResult<Arc<Robots>> {
        let origin = u.origin().ascii_serialization();
        if let Some((at, r)) = lock(&self.robots).get(&origin) {
            let fresh = match **r {
                Robots::Nothing(_) => Duration::from_secs(600),
                _ => Duration::from_secs(ROBOTS_FRESH as u64),
            };
            if at.elapsed() < fresh {
                return Ok(r.clone());
            }
        }
        let robots_url = match u.join("/robots.txt") {
            Ok(r) => r,
            Err(_) => return Ok(Arc::new(Robots::All)),
        };
        let prior = lock(store).fetched(robots_url.as_str())?;
        let kept_fresh = prior
            .as_ref()
            .filter(|p| now() - p.fetched_at < ROBOTS_FRESH && p.status != 0);
        let robots = if let Some(p) = kept_fresh {
            self.robots_from(p.status, p.kept.as_deref().unwrap_or(b""))
        } else {
            let validators = prior
                .as_ref()
                .map_or_else(Validators::default, |r| Validators {
                    etag: r.etag.clone(),
                    last_modified: r.last_modified.clone(),
                });
            let answer = self
                .client
                .get(&robots_url, &validators, ROBOTS_BYTES, &mut |_| Ok(()));
            match answer {
                Ok(a) if a.not_modified() => {
                    let p = prior.clone().unwrap_or_default();
                    let r = self.robots_from(p.status, p.kept.as_deref().unwrap_or(b""));
                    lock(store).record_fetch(&FetchRecord {
                        fetched_at: now(),
                        ..p
                    })?;
                    r
                }
                Ok(a) => {
                    lock(store).record_fetch(&FetchRecord {
                        url: robots_url.to_string(),
                        etag: a.etag.clone(),
                        last_modified: a.last_modified.clone(),
                        status: a.status,
                        fetched_at: now(),
                        changed_at: Some(now()),
                        kept: Some(a.body.clone()),
                        ..FetchRecord::default()
                    })?;
                    self.robots_from(a.status, &a.body)
                }
                // No robots.txt, or one refused to all: every address is allowed (RFC 9309).
                Err(FetchError::Status(s)) if (400..500).contains(&s) && s != 429 => {
                    lock(store).record_fetch(&FetchRecord {
                        url: robots_url.to_string(),
                        status: s,
                        fetched_at: now(),
                        ..FetchRecord::default()
                    })?;
                    Robots::All
                }
                Err(FetchError::TooLarge(_)) => Robots::All,
                // Unreachable, or a server error: nothing is fetched for now (RFC 9309).
                Err(e) => Robots::Nothing(e.to_string()),
            }
        };
        if let Robots::Rules(r) = &robots {
            if let Some(d) = r.delay.filter(|d| d.is_finite() && *d > 0.0) {
                let d = Duration::from_secs_f32(d.min(LONGEST_CRAWL_DELAY.as_secs_f32()));
                self.client.set_crawl_delay(u, d);
            }
        }
        let robots = Arc::new(robots);
        lock(&self.robots).insert(origin, (Instant::now(), robots.clone()));
        Ok(robots)
    }

    fn robots_from(&self, status: u16, body: &[u8]) -> Robots {
        if !(200..300).contains(&status) && status != 304 {
            return Robots::All;
        }
        match texting_robots::Robot::new(ROBOT_NAME, body) {
            Ok(r) => Robots::Rules(Box::new(r)),
            Err(_) => Robots::All,
        }
    }
}

/// Up to a tenth of `every` (at most five minutes), different for each source and each run:
/// sources added together do not stay in step.
fn jitter(url: &str, every: Duration) -> Duration {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write(url.as_bytes());
    let most = (every / 10).min(Duration::from_secs(300)).as_millis() as u64;
    Duration::from_millis(h.finish() % most.max(1))
}

fn add(sum: &mut Summary, t: &Summary) {
    sum.sources += t.sources;
    sum.sources_unchanged += t.sources_unchanged;
    sum.sources_failed += t.sources_failed;
    sum.pages_new += t.pages_new;
    sum.pages_revised += t.pages_revised;
    sum.pages_unchanged += t.pages_unchanged;
    sum.pages_not_modified += t.pages_not_modified;
    sum.pages_skipped += t.pages_skipped;
    sum.pages_failed += t.pages_failed;
}

/// A body unpacked when it is gzip (a `.xml.gz` sitemap served as is), at most `max` bytes.
fn unpacked(body: &[u8], max: u64) -> Result<Vec<u8>, FetchError> {
    use std::io::Read;
    if !body.starts_with(&[0x1f, 0x8b]) {
        return Ok(body.to_vec());
    }
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(body)
        .take(max + 1)
        .read_to_end(&mut out)
        .map_err(|e| {
            FetchError::Undecodable(format!("a gzip body that cannot be unpacked: {e}"))
        })?;
    if out.len() as u64 > max {
        return Err(FetchError::TooLarge(max));
    }
    Ok(out)
}

/// The media type of an image by its first bytes: JPEG, PNG, GIF, WebP or AVIF (no SVG, which
/// can carry script).
fn image_type(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0xff, 0xd8, 0xff, ..] => Some("image/jpeg"),
        [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n', ..] => Some("image/png"),
        [b'G', b'I', b'F', b'8', b'7' | b'9', b'a', ..] => Some("image/gif"),
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => Some("image/webp"),
        [_, _, _, _, b'f', b't', b'y', b'p', b'a', b'v', b'i', b'f' | b's', ..] => {
            Some("image/avif")
        }
        _ => None,
    }
}

#[cfg(test)]
mod image_type_tests {
    use super::image_type;

    #[test]
    fn images_are_known_by_their_first_bytes() {
        assert_eq!(
            image_type(b"\xff\xd8\xff\xe0\x00\x10JFIF"),
            Some("image/jpeg")
        );
        assert_eq!(image_type(b"\x89PNG\r\n\x1a\n\x00\x00"), Some("image/png"));
        assert_eq!(image_type(b"GIF89a\x01\x00"), Some("image/gif"));
        assert_eq!(
            image_type(b"RIFF\x10\x00\x00\x00WEBPVP8 "),
            Some("image/webp")
        );
        assert_eq!(image_type(b"\x00\x00\x00\x1cftypavif"), Some("image/avif"));
        for not in [
            &b"<svg xmlns='http://www.w3.org/2000/svg'/>"[..],
            b"<html>",
            b"",
            b"\xff\xd8",
        ] {
            assert_eq!(image_type(not), None, "{not:?}");
        }
    }
}
