//! Podcast episodes (schema 13): the feed items that carry an audio enclosure, each with the
//! page the feed names for it. The audio stays at its source; korolev keeps its address, its
//! length and its date, and reaches the entities an episode tells of through its page, which
//! is read like any other.

use crate::{Result, Store};
use rusqlite::{params, Row};

pub(crate) const EPISODES_SQL: &str = r#"
CREATE TABLE IF NOT EXISTS episodes (
    audio_url     TEXT PRIMARY KEY,          -- the enclosure's address
    page_url      TEXT NOT NULL,             -- the page the feed item names
    feed          TEXT NOT NULL,             -- the feed it was listed in
    title         TEXT NOT NULL,
    audio_type    TEXT,                      -- the enclosure's media type
    duration      INTEGER,                   -- seconds, as the feed gives it
    published     INTEGER NOT NULL,          -- unix seconds; when first seen if undated
    dated         INTEGER NOT NULL,          -- 1 when the feed gave its date
    seen_at       INTEGER NOT NULL           -- unix seconds: when the feed last listed it
);
CREATE INDEX IF NOT EXISTS episodes_published ON episodes(published, audio_url);
CREATE INDEX IF NOT EXISTS episodes_page ON episodes(page_url);
"#;

/// An episode as a feed lists it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Episode {
    pub audio_url: String,
    pub page_url: String,
    pub feed: String,
    pub title: String,
    pub audio_type: Option<String>,
    pub duration: Option<u64>,
    /// Unix seconds: the feed's date, else when it was first seen.
    pub published: i64,
    /// False when the feed gave no date.
    pub dated: bool,
    pub seen_at: i64,
    /// The news number of its page, once the page is stored (read, never written).
    pub article: Option<i64>,
}

/// The columns read, with the article of the episode's page: the page was fetched under
/// `page_url`, and its body stored as the document the news item is of.
const EPISODE_SELECT: &str = "SELECT e.audio_url, e.page_url, e.feed, e.title, e.audio_type,
        e.duration, e.published, e.dated, e.seen_at, n.id
    FROM episodes e
    LEFT JOIN fetched f ON f.url = e.page_url
    LEFT JOIN news n ON n.document_id = f.document_id";

fn episode_from(r: &Row) -> rusqlite::Result<Episode> {
    Ok(Episode {
        audio_url: r.get(0)?,
        page_url: r.get(1)?,
        feed: r.get(2)?,
        title: r.get(3)?,
        audio_type: r.get(4)?,
        duration: r.get::<_, Option<i64>>(5)?.map(|d| d.max(0) as u64),
        published: r.get(6)?,
        dated: r.get(7)?,
        seen_at: r.get(8)?,
        article: r.get(9)?,
    })
}

impl Store {
    /// Keeps an episode; one listed before keeps its first date unless the feed now gives
    /// one, and its duration unless the feed now gives another.
    pub fn record_episode(&self, e: &Episode) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO episodes (audio_url, page_url, feed, title, audio_type, duration,
                                       published, dated, seen_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                 ON CONFLICT(audio_url) DO UPDATE SET page_url = ?2, feed = ?3, title = ?4,
                     audio_type = ?5, duration = coalesce(?6, duration),
                     published = CASE WHEN ?8 THEN ?7 ELSE published END,
                     dated = max(dated, ?8), seen_at = ?9",
            )?
            .execute(params![
                e.audio_url,
                e.page_url,
                e.feed,
                e.title,
                e.audio_type,
                e.duration.map(|d| d.min(i64::MAX as u64) as i64),
                e.published,
                e.dated,
                e.seen_at
            ])?;
        Ok(())
    }

    /// The episodes, newest first, a page at a time: how many there are, and the page.
    pub fn episodes(&self, offset: usize, limit: usize) -> Result<(u64, Vec<Episode>)> {
        let total: i64 = self
            .conn
            .query_row("SELECT count(*) FROM episodes", [], |r| r.get(0))?;
        let mut stmt = self.conn.prepare_cached(&format!(
            "{EPISODE_SELECT} ORDER BY e.published DESC, e.audio_url LIMIT ?1 OFFSET ?2"
        ))?;
        let rows = stmt.query_map(params![limit as i64, offset as i64], episode_from)?;
        Ok((total.max(0) as u64, rows.collect::<rusqlite::Result<_>>()?))
    }

    /// The newest episodes whose page mentions `entity_id`, at most `limit`.
    pub fn episodes_about(&self, entity_id: &str, limit: usize) -> Result<Vec<Episode>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{EPISODE_SELECT}
             WHERE EXISTS (SELECT 1 FROM news_entities ne
                           WHERE ne.news_id = n.id AND ne.entity_id = ?1)
             ORDER BY e.published DESC, e.audio_url LIMIT ?2"
        ))?;
        let rows = stmt.query_map(params![entity_id, limit as i64], episode_from)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The episodes whose page is the article numbered `article`.
    pub fn episodes_of_article(&self, article: i64) -> Result<Vec<Episode>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{EPISODE_SELECT} WHERE n.id = ?1 ORDER BY e.published DESC, e.audio_url LIMIT 10"
        ))?;
        let rows = stmt.query_map([article], episode_from)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn episodes_are_kept_newest_first_and_a_later_listing_keeps_the_duration() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let mut a = Episode {
            audio_url: "https://a.example/1.mp3".into(),
            page_url: "https://a.example/1".into(),
            feed: "https://a.example/feed".into(),
            title: "One".into(),
            audio_type: Some("audio/mpeg".into()),
            duration: Some(1800),
            published: 100,
            dated: true,
            seen_at: 100,
            article: None,
        };
        let b = Episode {
            audio_url: "https://a.example/2.mp3".into(),
            title: "Two".into(),
            published: 200,
            ..a.clone()
        };
        store.record_episode(&a).unwrap();
        store.record_episode(&b).unwrap();
        a.duration = None;
        a.dated = false;
        a.published = 300;
        a.seen_at = 300;
        store.record_episode(&a).unwrap();
        let (total, page) = store.episodes(0, 10).unwrap();
        assert_eq!(total, 2);
        assert_eq!(page[0].title, "Two");
        assert_eq!(page[1].duration, Some(1800));
        assert_eq!((page[1].published, page[1].dated), (100, true));
        assert_eq!(page[1].seen_at, 300);
        let (_, second) = store.episodes(1, 10).unwrap();
        assert_eq!(second.len(), 1);
        assert!(store.episodes_about("person/x", 5).unwrap().is_empty());
    }
}
