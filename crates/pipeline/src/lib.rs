//! korolev's one way in: a page's bytes are decoded, its article extracted, the facts in it
//! found, and all of it stored — with the merged knowledge brought up to date in the same
//! transaction (see `korolev_store`). The CLI's `ingest`, the benchmarks and, next, the
//! fetcher and the server call [`ingest`]; `extract`, `facts` and the evaluations call
//! [`process`] for the same work without a store. It writes through the storage seam
//! ([`korolev_store::Writer`]), never SQL.

use korolev_extract::{extract, ExtractError, Input, PartialDate};
use korolev_facts::gazetteer::Gazetteer;
use korolev_facts::model::{DocumentFacts, DocumentInfo};
use korolev_store::{PutMeta, StoreError, Stored, Writer};

/// Bumped with every change to what extraction or the fact rules find: documents stored
/// with another version are read again by `korolev reextract`.
pub const RULES_VERSION: u32 = 4;

/// The version of the extraction a document is stored with.
pub fn extracted_with() -> String {
    format!(
        "korolev {} rules {RULES_VERSION}",
        env!("CARGO_PKG_VERSION")
    )
}

/// What the caller knows about a page beyond its bytes.
#[derive(Clone, Debug, Default)]
pub struct Hints {
    /// The URL it was fetched from (`--url`): it stands for the canonical URL when the page
    /// names none, and relative addresses are resolved against it.
    pub url: Option<String>,
    /// HTTP `Content-Type`, when fetched.
    pub content_type: Option<String>,
    /// The publication date as the caller knows it (a feed's, `--published-at`): taken in
    /// place of any date read from the page.
    pub published: Option<PartialDate>,
    /// When the page was fetched or archived (unix seconds): the time an undated page is
    /// listed at, in place of the time it was stored.
    pub seen: Option<i64>,
    /// What a feed or a news sitemap says of the page (its item's title, authors and image):
    /// taken only where the page itself says nothing, since the page is the source.
    pub title: Option<String>,
    pub authors: Vec<String>,
    pub image: Option<String>,
}

impl Hints {
    /// Gives the article the feed's title, authors and image where the page had none.
    fn fill_in(&self, article: &mut korolev_facts::model::ArticleInfo) {
        let given = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        if article.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
            article.title = given(&self.title);
        }
        if article.authors.is_empty() {
            article.authors = self
                .authors
                .iter()
                .map(|a| a.trim().to_string())
                .filter(|a| !a.is_empty())
                .collect();
        }
        if article.image_url.is_none() {
            article.image_url = given(&self.image);
        }
    }

    /// The extractor's input for one page.
    pub fn input<'a>(&'a self, name: &'a str, bytes: &'a [u8]) -> Input<'a> {
        Input {
            bytes,
            name,
            content_type: self.content_type.as_deref(),
            url: self.url.as_deref(),
            published: self.published,
        }
    }
}

/// A document extracted into facts, with what the caller may want to warn about.
pub struct Processed {
    pub facts: DocumentFacts,
    /// Byte sequences that were invalid in the detected charset.
    pub replaced_bytes: usize,
}

/// Extracts one document's article and facts. `name` is the path or label shown to users;
/// `id` is the document's id (see [`korolev_store::document_id`]).
pub fn process(
    name: &str,
    bytes: &[u8],
    id: String,
    hints: &Hints,
) -> Result<Processed, ExtractError> {
    let extracted = extract(&hints.input(name, bytes))?;
    let info = DocumentInfo {
        id,
        source: name.to_string(),
        format: extracted.format.as_str().to_string(),
        encoding: extracted.encoding.to_string(),
        bytes: bytes.len(),
    };
    let mut facts = korolev_facts::document_facts(info, &extracted, Gazetteer::builtin());
    hints.fill_in(&mut facts.article);
    Ok(Processed {
        facts,
        replaced_bytes: extracted.replaced_bytes,
    })
}

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("{0}")]
    Extract(#[from] ExtractError),
    #[error("cannot store: {0}")]
    Store(#[from] StoreError),
}

/// What ingesting one page did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ingested {
    pub stored: Stored,
    /// Byte sequences invalid in the page's charset, replaced (0 for bytes stored before).
    pub replaced_bytes: usize,
    /// The charset the page was read in (empty for bytes stored before).
    pub encoding: String,
    /// The address of the article's lead image, as the page (or its feed) gave it (none for
    /// bytes stored before).
    pub image: Option<String>,
}

/// Reads one page into the store. Bytes stored before are not extracted again: the new
/// name is recorded as another source of the same document.
pub fn ingest<W: Writer + ?Sized>(
    store: &mut W,
    name: &str,
    bytes: &[u8],
    hints: &Hints,
) -> Result<Ingested, IngestError> {
    let Some(processed) = read_unless_known(store, name, bytes, hints)? else {
        return Ok(Ingested::known());
    };
    let stored = store.put_with(bytes, &processed.facts, &meta_of(hints))?;
    Ok(Ingested::of(stored, processed))
}

/// As [`ingest`], for a store that several threads share: it is held only to be read and
/// written, and let go while the page is extracted (the slow part).
pub fn ingest_shared<W: Writer>(
    store: &std::sync::Mutex<W>,
    name: &str,
    bytes: &[u8],
    hints: &Hints,
) -> Result<Ingested, IngestError> {
    let lock = || store.lock().unwrap_or_else(|p| p.into_inner());
    let id = korolev_store::document_id(bytes);
    if known(&*lock(), &id, name)? {
        return Ok(Ingested::known());
    }
    let processed = process(name, bytes, id, hints)?;
    // Bytes another thread stored meanwhile are stored once: a document is its bytes.
    let stored = lock().put_with(bytes, &processed.facts, &meta_of(hints))?;
    Ok(Ingested::of(stored, processed))
}

impl Ingested {
    /// Bytes stored before.
    fn known() -> Ingested {
        Ingested {
            stored: Stored::Unchanged,
            replaced_bytes: 0,
            encoding: String::new(),
            image: None,
        }
    }

    fn of(stored: Stored, p: Processed) -> Ingested {
        Ingested {
            stored,
            replaced_bytes: if stored == Stored::Unchanged {
                0
            } else {
                p.replaced_bytes
            },
            encoding: p.facts.document.encoding,
            image: p.facts.article.image_url,
        }
    }
}

/// What the store keeps beside a page read with `hints`.
fn meta_of(hints: &Hints) -> PutMeta {
    PutMeta {
        url: hints.url.clone(),
        published: hints.published.map(|d| d.to_string()),
        seen: hints.seen,
        extracted_with: Some(extracted_with()),
        more: Some(korolev_store::MoreHints {
            content_type: hints.content_type.clone(),
            title: hints.title.clone(),
            authors: hints.authors.clone(),
            image: hints.image.clone(),
        }),
    }
}

/// The page extracted into facts, or `None` for bytes stored before, which need no
/// extraction: only the new name is recorded.
fn read_unless_known<W: Writer + ?Sized>(
    store: &mut W,
    name: &str,
    bytes: &[u8],
    hints: &Hints,
) -> Result<Option<Processed>, IngestError> {
    let id = korolev_store::document_id(bytes);
    if known(store, &id, name)? {
        return Ok(None);
    }
    Ok(Some(process(name, bytes, id, hints)?))
}

/// Whether the document `id` is stored already; if so, `name` is recorded as another source
/// of it.
fn known<W: Writer + ?Sized>(store: &W, id: &str, name: &str) -> Result<bool, StoreError> {
    if store.contains(id)? {
        store.add_source(id, name)?;
        return Ok(true);
    }
    Ok(false)
}

/// Pages stored per transaction by [`ingest_many`], at most.
pub const BATCH_PAGES: usize = 64;
/// How long [`ingest_many`] holds pages before storing them, at most: other writers wait for
/// a batch, and a reader sees nothing of it until it is stored.
pub const BATCH_TIME: std::time::Duration = std::time::Duration::from_millis(500);

/// A page read (or not) by the caller, for [`ingest_many`].
pub struct Page {
    /// The name it is known by (a path, `-`, a WARC record's place in its file).
    pub name: String,
    /// Its bytes, or why they could not be read.
    pub bytes: Result<Vec<u8>, String>,
    /// Hints of its own, in place of the run's (a WARC record's URL and content type).
    pub hints: Option<Hints>,
}

/// Reads many pages into the store as [`ingest`] does one, storing them a batch per
/// transaction (up to [`BATCH_PAGES`] pages or [`BATCH_TIME`]), each page still stored or
/// refused on its own. `pages` are (name, bytes or why they could not be read); `done` hears
/// each page's outcome in order, once its batch is stored.
pub fn ingest_many<W: Writer + ?Sized>(
    store: &mut W,
    pages: impl IntoIterator<Item = Page>,
    hints: &Hints,
    mut done: impl FnMut(&str, Result<Ingested, String>),
) -> Result<(), StoreError> {
    struct Held {
        name: String,
        bytes: Vec<u8>,
        meta: PutMeta,
        processed: Option<Processed>,
        failed: Option<String>,
    }
    let meta = meta_of(hints);
    let mut held: Vec<Held> = Vec::new();
    let mut since = std::time::Instant::now();
    let mut flush = |store: &mut W, held: &mut Vec<Held>| -> Result<(), StoreError> {
        let docs: Vec<(&[u8], &DocumentFacts, &PutMeta)> = held
            .iter()
            .filter_map(|h| Some((h.bytes.as_slice(), &h.processed.as_ref()?.facts, &h.meta)))
            .collect();
        let mut stored = store.put_many(&docs)?.into_iter();
        for h in held.drain(..) {
            let outcome = match (h.failed, h.processed) {
                (Some(why), _) => Err(why),
                (None, Some(p)) => match stored.next() {
                    Some(Ok(s)) => Ok(Ingested::of(s, p)),
                    Some(Err(e)) => Err(format!("cannot store: {e}")),
                    None => Err("cannot store: no answer from the store".into()),
                },
                (None, None) => Ok(Ingested::known()),
            };
            done(&h.name, outcome);
        }
        Ok(())
    };
    for page in pages {
        let name = page.name;
        let (hints, meta) = match &page.hints {
            Some(own) => (own, meta_of(own)),
            None => (hints, meta.clone()),
        };
        let (bytes, processed, failed) = match page.bytes {
            Err(why) => (Vec::new(), None, Some(why)),
            Ok(bytes) => match read_unless_known(store, &name, &bytes, hints) {
                Ok(Some(p)) => (bytes, Some(p), None),
                Ok(None) => (Vec::new(), None, None),
                // The store failing ends the run; a page that does not read is its own.
                Err(IngestError::Store(e)) => return Err(e),
                Err(e) => (Vec::new(), None, Some(e.to_string())),
            },
        };
        if held.is_empty() {
            since = std::time::Instant::now();
        }
        held.push(Held {
            name,
            bytes,
            meta,
            processed,
            failed,
        });
        if held.len() >= BATCH_PAGES || since.elapsed() >= BATCH_TIME {
            flush(store, &mut held)?;
        }
    }
    flush(store, &mut held)
}

/// What [`reextract`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reextracted {
    /// Documents read again and stored anew.
    pub done: u64,
    /// Documents whose bytes no longer read (each named with its reason); they keep what
    /// was found before.
    pub failed: Vec<(String, String)>,
}

/// Reads the stored bytes of every current document that an older extraction read (every
/// one with `all`) again, with the hints it was stored with, and stores what is found in
/// place of what was, one document per transaction: stopped half-way, a second run goes on
/// where the first stopped. `progress` hears (documents done, of).
pub fn reextract<W: Writer + ?Sized>(
    store: &mut W,
    all: bool,
    mut progress: impl FnMut(u64, u64),
) -> Result<Reextracted, StoreError> {
    let version = extracted_with();
    let stale = (!all).then_some(version.as_str());
    let total = store.count_to_reextract(stale)?;
    let mut out = Reextracted::default();
    let mut after = 0;
    let mut seen = 0;
    loop {
        let batch = store.documents_to_reextract(after, 64, stale)?;
        let Some(last) = batch.last() else { break };
        after = last.number;
        for d in batch {
            seen += 1;
            let Some(bytes) = store.raw(&d.id)? else {
                continue;
            };
            let more = d.more.clone().unwrap_or_default();
            let hints = Hints {
                url: d.url.clone(),
                content_type: more.content_type,
                published: d.published.as_deref().and_then(PartialDate::parse_iso),
                // A new revision keeps the time its article is listed at.
                seen: None,
                title: more.title,
                authors: more.authors,
                image: more.image,
            };
            match process(&d.source, &bytes, d.id.clone(), &hints) {
                Ok(p) => {
                    if store.replace_facts(&p.facts, &version)? {
                        out.done += 1;
                    }
                }
                Err(e) => out.failed.push((d.source.clone(), e.to_string())),
            }
            progress(seen, total);
        }
    }
    Ok(out)
}
