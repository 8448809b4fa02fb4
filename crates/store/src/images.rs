//! Copies of articles' lead images (schema 15), kept by the fetcher for a portal that serves
//! them itself instead of sending its readers to their sources. One row per address a page
//! gave: the image's bytes and media type, or why it could not be had (so that it is not
//! asked for again at every round).

use crate::{Result, Store};
use rusqlite::{params, OptionalExtension};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

pub(crate) const IMAGES_SQL: &str = r#"
CREATE TABLE IF NOT EXISTS images (
    url          TEXT PRIMARY KEY,       -- the address the page gave
    key          TEXT NOT NULL UNIQUE,   -- what the portal serves the copy under
    media_type   TEXT,                   -- NULL when no copy could be had
    bytes        BLOB,
    fetched_at   INTEGER NOT NULL,       -- unix seconds
    failure      TEXT                    -- why there is no copy
);
"#;

/// A copy of an image as it was fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptImage {
    pub media_type: String,
    pub bytes: Vec<u8>,
}

/// The name a copy of the image at `url` is served under: 32 hex digits of the SHA-256 of
/// the address, so that no scraped text makes up a path of the portal.
pub fn image_key(url: &str) -> String {
    Sha256::digest(url.as_bytes())[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Store {
    /// Whether the image at `url` was asked for before, kept or not.
    pub fn image_tried(&self, url: &str) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM images WHERE url = ?1")?
            .exists([url])?)
    }

    /// Keeps the copy of the image at `url`, or why there is none.
    pub fn keep_image(
        &self,
        url: &str,
        got: std::result::Result<&KeptImage, &str>,
        at: i64,
    ) -> Result<()> {
        let (media_type, bytes, failure) = match got {
            Ok(k) => (Some(k.media_type.as_str()), Some(k.bytes.as_slice()), None),
            Err(why) => (None, None, Some(why)),
        };
        self.conn.execute(
            "INSERT INTO images (url, key, media_type, bytes, fetched_at, failure)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT(url) DO UPDATE SET media_type = excluded.media_type,
                bytes = excluded.bytes, fetched_at = excluded.fetched_at,
                failure = excluded.failure",
            params![url, image_key(url), media_type, bytes, at, failure],
        )?;
        Ok(())
    }

    /// The copy served under `key`, if one is kept.
    pub fn image_by_key(&self, key: &str) -> Result<Option<KeptImage>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT media_type, bytes FROM images
                 WHERE key = ?1 AND media_type IS NOT NULL AND bytes IS NOT NULL",
            )?
            .query_row([key], |r| {
                Ok(KeptImage {
                    media_type: r.get(0)?,
                    bytes: r.get(1)?,
                })
            })
            .optional()?)
    }

    /// The key of each address of `urls` whose copy is kept.
    pub fn image_keys(&self, urls: &[&str]) -> Result<HashMap<String, String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT key FROM images WHERE url = ?1 AND media_type IS NOT NULL")?;
        let mut keys = HashMap::new();
        for url in urls {
            if let Some(key) = stmt
                .query_row([url], |r| r.get::<_, String>(0))
                .optional()?
            {
                keys.insert((*url).to_string(), key);
            }
        }
        Ok(keys)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_copy_is_kept_found_by_its_key_and_a_failure_is_remembered() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let url = "https://images.nasa.gov/iss/lead.jpg";
        assert!(!store.image_tried(url).unwrap());
        let copy = KeptImage {
            media_type: "image/jpeg".into(),
            bytes: vec![0xff, 0xd8, 0xff, 0xe0],
        };
        store.keep_image(url, Ok(&copy), 100).unwrap();
        assert!(store.image_tried(url).unwrap());
        let key = image_key(url);
        assert_eq!(key.len(), 32);
        assert_eq!(store.image_by_key(&key).unwrap(), Some(copy));
        assert_eq!(
            store
                .image_keys(&[url, "https://x.org/a.png"])
                .unwrap()
                .len(),
            1
        );

        let gone = "https://x.org/a.png";
        store.keep_image(gone, Err("404 Not Found"), 100).unwrap();
        assert!(store.image_tried(gone).unwrap());
        assert_eq!(store.image_by_key(&image_key(gone)).unwrap(), None);
        assert!(store.image_keys(&[gone]).unwrap().is_empty());
    }
}
