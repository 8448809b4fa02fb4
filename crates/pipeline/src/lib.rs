//! korolev's one way in: a page's bytes are decoded, its article extracted, the facts in it
//! found, and all of it stored — with the merged knowledge brought up to date in the same
//! transaction (see `korolev_store`). The CLI's `ingest`, the benchmarks and, next, the
//! fetcher and the server call [`ingest`]; `extract`, `facts` and the evaluations call
//! [`process`] for the same work without a store.

use korolev_extract::{extract, ExtractError, Input, PartialDate};
use korolev_facts::gazetteer::Gazetteer;
use korolev_facts::model::{DocumentFacts, DocumentInfo};
use korolev_store::{Store, StoreError, Stored};

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
}

impl Hints {
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
    let facts = korolev_facts::document_facts(info, &extracted, Gazetteer::builtin());
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
}

/// Reads one page into the store. Bytes stored before are not extracted again: the new
/// name is recorded as another source of the same document.
pub fn ingest(
    store: &mut Store,
    name: &str,
    bytes: &[u8],
    hints: &Hints,
) -> Result<Ingested, IngestError> {
    let id = korolev_store::document_id(bytes);
    if store.contains(&id)? {
        store.add_source(&id, name)?;
        return Ok(Ingested {
            stored: Stored::Unchanged,
            replaced_bytes: 0,
            encoding: String::new(),
        });
    }
    let processed = process(name, bytes, id, hints)?;
    let stored = store.put(bytes, &processed.facts)?;
    Ok(Ingested {
        stored,
        replaced_bytes: processed.replaced_bytes,
        encoding: processed.facts.document.encoding,
    })
}
