//! What the fetcher remembers between runs (schema 12): each address it asked for, with the
//! validators of its last answer (for conditional requests) and what its body was stored as,
//! and each source's health (its last error, the failures in a row, when to try it next).
//! Kept in the store, so that a fetch and the documents it stored are one file to back up.

use crate::{Result, Store};
use rusqlite::{params, OptionalExtension, Row};

pub(crate) const FETCHED_SQL: &str = r#"
CREATE TABLE IF NOT EXISTS fetched (
    url           TEXT PRIMARY KEY,          -- the address asked for
    final_url     TEXT,                      -- where its redirects ended
    etag          TEXT,
    last_modified TEXT,
    status        INTEGER NOT NULL,          -- the HTTP status of the last answer
    fetched_at    INTEGER NOT NULL,          -- unix seconds of the last answer
    changed_at    INTEGER,                   -- unix seconds of the last answer with a new body
    document_id   TEXT,                      -- what its body was stored as, for pages
    kept          BLOB                       -- a small body read again on a 304 (robots.txt)
);
CREATE TABLE IF NOT EXISTS source_status (
    url           TEXT PRIMARY KEY,          -- the source's address, as korolev.toml has it
    last_attempt  INTEGER,
    last_success  INTEGER,
    last_error    TEXT,
    failures      INTEGER NOT NULL DEFAULT 0, -- in a row, since the last success
    next_attempt  INTEGER,                   -- unix seconds; none: when its interval says
    pages         INTEGER NOT NULL DEFAULT 0  -- pages stored from it, new or revised
);
"#;

/// The last answer to a request for one address.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FetchRecord {
    pub url: String,
    pub final_url: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub status: u16,
    pub fetched_at: i64,
    pub changed_at: Option<i64>,
    pub document_id: Option<String>,
    /// The body, for answers read again on a 304 (robots.txt).
    pub kept: Option<Vec<u8>>,
}

/// How a source has fared.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceStatus {
    pub url: String,
    pub last_attempt: Option<i64>,
    pub last_success: Option<i64>,
    pub last_error: Option<String>,
    pub failures: u32,
    pub next_attempt: Option<i64>,
    pub pages: u64,
}

fn record_from(r: &Row) -> rusqlite::Result<FetchRecord> {
    Ok(FetchRecord {
        url: r.get(0)?,
        final_url: r.get(1)?,
        etag: r.get(2)?,
        last_modified: r.get(3)?,
        status: r.get(4)?,
        fetched_at: r.get(5)?,
        changed_at: r.get(6)?,
        document_id: r.get(7)?,
        kept: r.get(8)?,
    })
}

fn status_from(r: &Row) -> rusqlite::Result<SourceStatus> {
    Ok(SourceStatus {
        url: r.get(0)?,
        last_attempt: r.get(1)?,
        last_success: r.get(2)?,
        last_error: r.get(3)?,
        failures: r.get(4)?,
        next_attempt: r.get(5)?,
        pages: r.get(6)?,
    })
}

impl SourceStatus {
    /// Its health in a line, as of `now` (unix seconds): when it was last fetched, or how it
    /// is failing, the pages it gave, and when it is tried next.
    pub fn health(&self, now: i64) -> String {
        let span = |secs: i64| {
            humantime::format_duration(std::time::Duration::from_secs(secs.unsigned_abs()))
                .to_string()
        };
        let mut out = match (&self.last_error, self.last_success) {
            (Some(e), _) => format!("failing ({} in a row): {e}", self.failures),
            (None, Some(t)) => format!("fetched {} ago", span(now - t)),
            (None, None) => "not fetched yet".into(),
        };
        out.push_str(&format!(" · {} pages stored", self.pages));
        if let Some(next) = self.next_attempt {
            if next > now {
                out.push_str(&format!(" · next in {}", span(next - now)));
            } else {
                out.push_str(" · due");
            }
        }
        out
    }
}

const STATUS_COLUMNS: &str =
    "url, last_attempt, last_success, last_error, failures, next_attempt, pages";

impl Store {
    /// The last answer for `url`, if it was ever asked for.
    pub fn fetched(&self, url: &str) -> Result<Option<FetchRecord>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT url, final_url, etag, last_modified, status, fetched_at, changed_at,
                        document_id, kept FROM fetched WHERE url = ?1",
            )?
            .query_row([url], record_from)
            .optional()?)
    }

    /// Keeps the last answer for its address, in place of the one before.
    pub fn record_fetch(&self, r: &FetchRecord) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO fetched (url, final_url, etag, last_modified, status, fetched_at,
                                      changed_at, document_id, kept)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                 ON CONFLICT(url) DO UPDATE SET final_url = ?2, etag = ?3, last_modified = ?4,
                     status = ?5, fetched_at = ?6, changed_at = ?7, document_id = ?8, kept = ?9",
            )?
            .execute(params![
                r.url,
                r.final_url,
                r.etag,
                r.last_modified,
                r.status,
                r.fetched_at,
                r.changed_at,
                r.document_id,
                r.kept
            ])?;
        Ok(())
    }

    /// How the source at `url` has fared, if it was ever fetched.
    pub fn source_status(&self, url: &str) -> Result<Option<SourceStatus>> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {STATUS_COLUMNS} FROM source_status WHERE url = ?1"
            ))?
            .query_row([url], status_from)
            .optional()?)
    }

    /// Every source's status, by address.
    pub fn source_statuses(&self) -> Result<Vec<SourceStatus>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {STATUS_COLUMNS} FROM source_status ORDER BY url"
        ))?;
        let rows = stmt.query_map([], status_from)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Keeps a source's status, in place of the one before.
    pub fn record_source(&self, s: &SourceStatus) -> Result<()> {
        self.conn
            .prepare_cached(&format!(
                "INSERT INTO source_status ({STATUS_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT(url) DO UPDATE SET last_attempt = ?2, last_success = ?3,
                     last_error = ?4, failures = ?5, next_attempt = ?6, pages = ?7"
            ))?
            .execute(params![
                s.url,
                s.last_attempt,
                s.last_success,
                s.last_error,
                s.failures,
                s.next_attempt,
                s.pages
            ])?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn records_are_kept_and_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.fetched("http://a/").unwrap(), None);
        let mut r = FetchRecord {
            url: "http://a/".into(),
            etag: Some("\"1\"".into()),
            status: 200,
            fetched_at: 10,
            ..FetchRecord::default()
        };
        store.record_fetch(&r).unwrap();
        r.etag = Some("\"2\"".into());
        r.fetched_at = 20;
        store.record_fetch(&r).unwrap();
        assert_eq!(store.fetched("http://a/").unwrap(), Some(r));

        let s = SourceStatus {
            url: "http://a/feed".into(),
            failures: 3,
            last_error: Some("timed out".into()),
            next_attempt: Some(99),
            ..SourceStatus::default()
        };
        store.record_source(&s).unwrap();
        assert_eq!(
            store.source_status("http://a/feed").unwrap(),
            Some(s.clone())
        );
        assert_eq!(store.source_statuses().unwrap(), vec![s.clone()]);
        assert_eq!(
            s.health(39),
            "failing (3 in a row): timed out · 0 pages stored · next in 1m"
        );
    }
}
