//! Keeping the index in step with the store: every article stored or revised after the
//! index's watermark is indexed, a batch per commit, the watermark moving with each batch, so
//! a catch-up cut short goes on where it stopped.

use crate::{Doc, Result, SearchError, SearchIndex};
use korolev_store::{IndexRow, Reader};

/// Articles read from the store and indexed per commit.
const BATCH: usize = 2_000;

/// What a catch-up did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct CatchUp {
    pub indexed: u64,
}

/// Seconds looked back past the watermark: an article stored in the same second as one
/// already taken, but with a lower number (a revision keeps its article's), or a little out of
/// order, is taken too; those the index holds already are passed over.
const SLACK: i64 = 2;

/// Indexes what the store holds past the index's watermark; `progress` hears the running
/// count. Another process holding the index is [`SearchError::Busy`].
pub fn catch_up(
    index: &SearchIndex,
    store: &dyn Reader,
    progress: &mut dyn FnMut(u64),
) -> Result<CatchUp> {
    let mut done = CatchUp::default();
    let mark = index.watermark();
    let mut cursor = if mark.0 == i64::MIN {
        mark
    } else {
        (mark.0.saturating_sub(SLACK), i64::MIN)
    };
    loop {
        let rows = store
            .index_rows(cursor, BATCH)
            .map_err(|e| SearchError::Store {
                message: e.to_string(),
            })?;
        let Some(last) = rows.last().map(|r| (r.updated, r.id)) else {
            return Ok(done);
        };
        let n = rows.len();
        cursor = last;
        let rows: Vec<IndexRow> = rows
            .into_iter()
            .filter(|r| (r.updated, r.id) > mark || !index.holds(r.id, r.updated))
            .collect();
        let documents: Vec<&str> = rows.iter().map(|r| r.document_id.as_str()).collect();
        let mut launches = store
            .launches_of(&documents)
            .map_err(|e| SearchError::Store {
                message: e.to_string(),
            })?;
        let fresh: Vec<Doc> = rows
            .into_iter()
            .map(|r| Doc {
                launches: launches.remove(&r.document_id).unwrap_or_default(),
                ..r
            })
            .collect();
        if !fresh.is_empty() {
            index.put(&fresh, last.max(mark))?;
            done.indexed += fresh.len() as u64;
            progress(done.indexed);
        }
        if n < BATCH {
            return Ok(done);
        }
    }
}
