//! The news listing: one row per stored article with what lists, filters and feeds need (a
//! public number, a summary, the site, UTC timestamps, lowercased text for matching), kept
//! beside the article so that a page of 10 out of 100,000 is one indexed query.

use crate::{Result, Store, StoreError};
use korolev_facts::knowledge::url_host;
use korolev_facts::model::{ArticleInfo, DocumentInfo};
use korolev_facts::when;
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, OptionalExtension};
use std::collections::HashMap;

pub(crate) const NEWS_SQL: &str = r#"
CREATE TABLE IF NOT EXISTS news (
    id             INTEGER PRIMARY KEY,          -- the article's public number
    document_id    TEXT NOT NULL UNIQUE REFERENCES documents(id) ON DELETE CASCADE,
    title          TEXT NOT NULL,
    summary        TEXT NOT NULL,
    news_site      TEXT NOT NULL,
    url            TEXT NOT NULL,
    image_url      TEXT,
    authors        TEXT NOT NULL,                -- JSON array of names
    published      INTEGER NOT NULL,             -- unix seconds, UTC; ingest time when unknown
    dated          INTEGER NOT NULL,             -- 1 when the page gave its date
    updated        INTEGER NOT NULL,             -- unix seconds: when korolev stored it
    title_lc       TEXT NOT NULL,
    summary_lc     TEXT NOT NULL,
    kind           TEXT NOT NULL,                -- "article" | "blog" | "report", from the URL
    -- 1 when the document tells of a launch (schema 6)
    launches       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS news_published ON news(published, id);
CREATE INDEX IF NOT EXISTS news_updated ON news(updated, id);
-- The few articles whose page gave no date, listed apart from the dated news (schema 14).
CREATE INDEX IF NOT EXISTS news_undated ON news(published, id) WHERE dated = 0;
CREATE INDEX IF NOT EXISTS news_site ON news(news_site);
CREATE INDEX IF NOT EXISTS news_kind ON news(kind, published, id);
-- How many pieces of each kind the news holds, kept by triggers: an unfiltered list gives its
-- total without counting (schema 4).
CREATE TABLE IF NOT EXISTS news_counts (
    kind           TEXT PRIMARY KEY,
    n              INTEGER NOT NULL
);
CREATE TRIGGER IF NOT EXISTS news_counted AFTER INSERT ON news BEGIN
    INSERT INTO news_counts (kind, n) VALUES (new.kind, 1)
        ON CONFLICT (kind) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS news_uncounted AFTER DELETE ON news BEGIN
    UPDATE news_counts SET n = n - 1 WHERE kind = old.kind;
END;
CREATE TRIGGER IF NOT EXISTS news_recounted AFTER UPDATE OF kind ON news BEGIN
    UPDATE news_counts SET n = n - 1 WHERE kind = old.kind;
    INSERT INTO news_counts (kind, n) VALUES (new.kind, 1)
        ON CONFLICT (kind) DO UPDATE SET n = n + 1;
END;
-- Each article's entities, by the article's time: the news of an entity, and articles near
-- in time that share entities, in one index range each (schema 4).
CREATE TABLE IF NOT EXISTS news_entities (
    entity_id      TEXT NOT NULL,
    published      INTEGER NOT NULL,
    news_id        INTEGER NOT NULL,
    PRIMARY KEY (entity_id, published, news_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS news_entities_news ON news_entities(news_id);
CREATE TRIGGER IF NOT EXISTS news_indexed AFTER INSERT ON news BEGIN
    INSERT OR IGNORE INTO news_entities (entity_id, published, news_id)
        SELECT DISTINCT entity_id, new.published, new.id FROM mentions
        WHERE document_id = new.document_id;
END;
CREATE TRIGGER IF NOT EXISTS news_unindexed AFTER DELETE ON news BEGIN
    DELETE FROM news_entities WHERE news_id = old.id;
END;
CREATE TRIGGER IF NOT EXISTS news_reindexed AFTER UPDATE OF published ON news BEGIN
    UPDATE news_entities SET published = new.published WHERE news_id = new.id;
END;
-- Every three-letter run of the lowercased title and summary, so that a search for a word of
-- three letters or more reads an index instead of every row (schema 4).
CREATE VIRTUAL TABLE IF NOT EXISTS news_text USING fts5(
    title_lc, summary_lc, content = 'news', content_rowid = 'id', tokenize = 'trigram'
);
CREATE TRIGGER IF NOT EXISTS news_text_added AFTER INSERT ON news BEGIN
    INSERT INTO news_text (rowid, title_lc, summary_lc)
        VALUES (new.id, new.title_lc, new.summary_lc);
END;
CREATE TRIGGER IF NOT EXISTS news_text_removed AFTER DELETE ON news BEGIN
    INSERT INTO news_text (news_text, rowid, title_lc, summary_lc)
        VALUES ('delete', old.id, old.title_lc, old.summary_lc);
END;
CREATE TRIGGER IF NOT EXISTS news_text_changed AFTER UPDATE OF title_lc, summary_lc ON news BEGIN
    INSERT INTO news_text (news_text, rowid, title_lc, summary_lc)
        VALUES ('delete', old.id, old.title_lc, old.summary_lc);
    INSERT INTO news_text (rowid, title_lc, summary_lc)
        VALUES (new.id, new.title_lc, new.summary_lc);
END;
"#;

/// Rebuilds the text index from the news, for stores made before it was kept.
/// The articles that tell of a launch, by kind and time: `has_launch` is an index range and
/// its total an index count (schema 6; made after the column exists in an older store).
pub(crate) const LAUNCHES_INDEX_SQL: &str = "
CREATE INDEX IF NOT EXISTS news_launches ON news(kind, launches, published, id);
-- How many articles of each kind tell of a launch, kept by triggers (schema 7).
CREATE TABLE IF NOT EXISTS news_launch_counts (
    kind           TEXT PRIMARY KEY,
    n              INTEGER NOT NULL
);
CREATE TRIGGER IF NOT EXISTS news_launch_counted AFTER INSERT ON news WHEN new.launches = 1 BEGIN
    INSERT INTO news_launch_counts (kind, n) VALUES (new.kind, 1)
        ON CONFLICT (kind) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS news_launch_uncounted AFTER DELETE ON news WHEN old.launches = 1 BEGIN
    UPDATE news_launch_counts SET n = n - 1 WHERE kind = old.kind;
END;
CREATE TRIGGER IF NOT EXISTS news_launch_recounted AFTER UPDATE OF kind, launches ON news BEGIN
    UPDATE news_launch_counts SET n = n - old.launches WHERE kind = old.kind;
    INSERT INTO news_launch_counts (kind, n) VALUES (new.kind, new.launches)
        ON CONFLICT (kind) DO UPDATE SET n = n + new.launches;
END;";

/// Counts the launch articles of each kind again (schema 7).
pub(crate) const RECOUNT_LAUNCHES_SQL: &str = "DELETE FROM news_launch_counts;
    INSERT INTO news_launch_counts (kind, n)
        SELECT kind, count(*) FROM news WHERE launches = 1 GROUP BY kind;";

/// Sets the launch flag of every article from its document's claims (schema 6).
pub(crate) const FLAG_LAUNCHES_SQL: &str = "UPDATE news SET launches = EXISTS (
    SELECT 1 FROM claims WHERE claims.document_id = news.document_id AND claims.kind = 'launch');";

pub(crate) const REINDEX_TEXT_SQL: &str = "INSERT INTO news_text (news_text) VALUES ('rebuild');";

/// Fills `news_entities` afresh, for stores made before it was kept.
pub(crate) const REINDEX_ENTITIES_SQL: &str = "DELETE FROM news_entities;
    INSERT OR IGNORE INTO news_entities (entity_id, published, news_id)
        SELECT DISTINCT m.entity_id, n.published, n.id
        FROM mentions m JOIN news n ON n.document_id = m.document_id;";

/// Counts every kind afresh, for stores made before the counts were kept.
pub(crate) const RECOUNT_SQL: &str = "DELETE FROM news_counts;
    INSERT INTO news_counts (kind, n) SELECT kind, count(*) FROM news GROUP BY kind;";

/// The condition that reads the trigram index; its argument is an FTS5 match expression.
const TEXT_MATCH: &str = "id IN (SELECT rowid FROM news_text WHERE news_text MATCH ?)";

/// Matches of the text index up to which a page is read from them rather than in order (small
/// in unit tests, so that they take both ways).
const FEW_MATCHES: i64 = if cfg!(test) { 2 } else { 2_000 };

/// `filter` made to start from the text index's matches where it has any: the kind's index
/// would otherwise make SQLite walk every article of the kind ("+" keeps it from that).
fn from_matches(filter: &str) -> String {
    if filter.contains(TEXT_MATCH) {
        filter.replacen("kind = ?", "+kind = ?", 1)
    } else {
        filter.to_string()
    }
}

/// Articles before and after an article's time that `related_news` reads for each entity.
const RELATED_WINDOW: i64 = 50;

/// Longest summary, in characters.
const SUMMARY_CHARS: usize = 300;

/// One article as lists show it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewsItem {
    pub id: i64,
    pub document_id: String,
    pub title: String,
    pub summary: String,
    pub news_site: String,
    pub url: String,
    pub image_url: Option<String>,
    pub authors: Vec<String>,
    /// Unix seconds, UTC.
    pub published: i64,
    /// False when the page gave no date and `published` is when korolev stored it.
    pub dated: bool,
    pub updated: i64,
    pub kind: NewsKind,
}

/// An article as the search index takes it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IndexRow {
    pub id: i64,
    pub document_id: String,
    pub title: String,
    pub body: String,
    pub site: String,
    pub authors: Vec<String>,
    pub lang: Option<String>,
    /// Unix seconds, UTC.
    pub published: i64,
    pub dated: bool,
    /// When korolev stored it (this revision).
    pub updated: i64,
    /// The entities the article tells of.
    pub entities: Vec<String>,
    /// The launches its facts tell of (korolev's launch ids); the index's follower fills
    /// them, the row leaves them empty.
    pub launches: Vec<String>,
}

/// What sort of piece a page is, as the Spaceflight News API tells them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewsKind {
    Article,
    Blog,
    Report,
}

impl NewsKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NewsKind::Article => "article",
            NewsKind::Blog => "blog",
            NewsKind::Report => "report",
        }
    }

    /// A page under a `/blog…` or `/report…` path of its site is a blog post or a report;
    /// anything else is an article.
    pub fn of_url(url: &str) -> NewsKind {
        let path = url
            .split_once("://")
            .map_or(url, |(_, rest)| rest.find('/').map_or("", |i| &rest[i..]));
        let segments = path.split(['/', '?', '#']).map(str::to_lowercase);
        for s in segments {
            if s.starts_with("blog") {
                return NewsKind::Blog;
            }
            if s.starts_with("report") {
                return NewsKind::Report;
            }
        }
        NewsKind::Article
    }

    fn parse(s: &str) -> NewsKind {
        match s {
            "blog" => NewsKind::Blog,
            "report" => NewsKind::Report,
            _ => NewsKind::Article,
        }
    }
}

/// The first paragraph of `body`, cut at a word before `SUMMARY_CHARS` with an ellipsis.
pub fn summary(body: &str) -> String {
    let first = body
        .split("\n\n")
        .map(str::trim)
        .find(|p| !p.is_empty())
        .unwrap_or("");
    let first = first.split_whitespace().collect::<Vec<_>>().join(" ");
    if first.chars().count() <= SUMMARY_CHARS {
        return first;
    }
    let cut: String = first.chars().take(SUMMARY_CHARS).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.']))
}

/// `news_site` of a page with neither a site name nor a URL (SNAPI's field is never null).
pub const UNKNOWN_SITE: &str = "unknown";

/// The site a page comes from, as lists name it: its site name, else its URL's host.
fn news_site(a: &ArticleInfo) -> String {
    if let Some(s) = a
        .site_name
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        return s.to_string();
    }
    a.canonical_url
        .as_deref()
        .and_then(url_host)
        .unwrap_or(UNKNOWN_SITE)
        .to_string()
}

/// A title for a page that gave none: the start of its text.
fn fallback_title(body: &str) -> String {
    let s = summary(body);
    let words: Vec<&str> = s.split_whitespace().take(12).collect();
    if words.is_empty() {
        "Untitled".to_string()
    } else {
        format!("{}…", words.join(" ").trim_end_matches('…'))
    }
}

pub(crate) fn insert(
    tx: &rusqlite::Connection,
    doc: &DocumentInfo,
    a: &ArticleInfo,
    now: i64,
    launches: bool,
    // The public number and publication time of the revision this one replaces.
    earlier: Option<(i64, i64)>,
    // When the page was seen, if before now: the time an undated page is listed at.
    seen: Option<i64>,
) -> Result<()> {
    let title = a
        .title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| fallback_title(&a.body));
    let summary = summary(&a.body);
    let published = a
        .published_at
        .as_deref()
        .and_then(korolev_extract::PartialDate::parse_iso)
        .map(|d| when::unix_seconds(&d));
    let url = a
        .canonical_url
        .clone()
        .unwrap_or_else(|| doc.source.clone());
    crate::exec(
        tx,
        "INSERT INTO news (document_id, title, summary, news_site, url, image_url, authors,
                           published, dated, updated, title_lc, summary_lc, kind, launches, id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        params![
            doc.id,
            title,
            summary,
            news_site(a),
            url,
            a.image_url,
            serde_json::to_string(&a.authors).unwrap_or_else(|_| "[]".into()),
            published
                .or(earlier.map(|(_, p)| p))
                .or(seen)
                .unwrap_or(now),
            published.is_some(),
            now,
            title.to_lowercase(),
            summary.to_lowercase(),
            NewsKind::of_url(a.canonical_url.as_deref().unwrap_or("")).as_str(),
            launches,
            earlier.map(|(id, _)| id),
        ],
    )?;
    Ok(())
}

/// Which timestamp a listing is ordered or bounded by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeField {
    Published,
    Updated,
}

impl TimeField {
    fn column(self) -> &'static str {
        match self {
            TimeField::Published => "published",
            TimeField::Updated => "updated",
        }
    }
}

/// Which text a word must be found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextField {
    Title,
    Summary,
    Either,
}

/// What articles to list. Every condition must hold; an empty query lists everything, newest
/// first.
#[derive(Debug, Clone)]
pub struct NewsQuery {
    /// Only pieces of this kind, when given.
    pub kind: Option<NewsKind>,
    /// Each entry: at least one of its words is found (case-insensitive) in its field.
    pub text: Vec<(TextField, Vec<String>)>,
    pub sites: Vec<String>,
    pub sites_exclude: Vec<String>,
    /// (field, bound in unix seconds, inclusive?, lower bound?)
    pub times: Vec<(TimeField, i64, bool, bool)>,
    /// Only articles that tell of one of each list of launch ids.
    pub launches: Vec<Vec<String>>,
    pub documents_exclude: Vec<String>,
    /// Only articles whose document tells of a launch (`Some(true)`), or that do not.
    pub has_launch: Option<bool>,
    /// Only articles that are none of these (the featured filter: none are featured).
    pub none: bool,
    pub order: TimeField,
    pub descending: bool,
    pub limit: usize,
    pub offset: usize,
}

impl NewsQuery {
    /// True when nothing but the kind and the launch flag narrow the list, so that its total
    /// is kept, not counted.
    fn unfiltered(&self) -> bool {
        !self.none
            && self.text.iter().all(|(_, words)| words.is_empty())
            && self.sites.is_empty()
            && self.sites_exclude.is_empty()
            && self.times.is_empty()
            && self.launches.is_empty()
            && self.documents_exclude.is_empty()
    }
}

impl Default for NewsQuery {
    fn default() -> Self {
        NewsQuery {
            kind: None,
            text: Vec::new(),
            sites: Vec::new(),
            sites_exclude: Vec::new(),
            times: Vec::new(),
            launches: Vec::new(),
            documents_exclude: Vec::new(),
            has_launch: None,
            none: false,
            order: TimeField::Published,
            descending: true,
            limit: 10,
            offset: 0,
        }
    }
}

const NEWS_COLUMNS: &str =
    "id, document_id, title, summary, news_site, url, image_url, authors, published, dated, updated, kind";

fn news_from_row(r: &rusqlite::Row) -> Result<NewsItem> {
    let document_id: String = r.get(1)?;
    let authors: String = r.get(7)?;
    let authors = serde_json::from_str(&authors).map_err(|e| StoreError::Damaged {
        id: document_id.clone(),
        reason: format!("authors: {e}"),
    })?;
    Ok(NewsItem {
        id: r.get(0)?,
        document_id,
        title: r.get(2)?,
        summary: r.get(3)?,
        news_site: r.get(4)?,
        url: r.get(5)?,
        image_url: r.get(6)?,
        authors,
        published: r.get(8)?,
        dated: r.get(9)?,
        updated: r.get(10)?,
        kind: NewsKind::parse(&r.get::<_, String>(11)?),
    })
}

/// Counts of searches kept, at most, per connection.
const KEPT_COUNTS: usize = 1024;

/// The counts of searches as the store was at one moment (its `data_version` and this
/// connection's own changes).
#[derive(Debug, Default)]
pub(crate) struct KeptCounts {
    moment: (i64, u64),
    by_query: std::collections::HashMap<String, i64>,
}

/// `LIKE` pattern for a substring, with the wildcards of the text escaped.
fn like(word: &str) -> String {
    let mut s = String::from("%");
    for c in word.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            s.push('\\');
        }
        s.push(c);
    }
    s.push('%');
    s
}

/// Rows a page may walk matching each row's text before the text index's matches are read
/// instead (few in unit tests, so that they take both ways).
const WALKED_ROWS: i64 = if cfg!(test) { 8 } else { 20_000 };

/// Offsets up to which a page's rows are read as the index walks to them: beyond, the ids
/// are found first, from the index alone.
const NEAR_START: i64 = 100;

impl Store {
    /// A page of articles and how many match in all.
    /// The `WHERE` clause of `q` (with `kind` for its kind) and its arguments, and the text
    /// index's match expression when the clause reads it. With `via_index`, words of three
    /// letters or more are looked up in the trigram index; without, every word is matched
    /// row by row (`LIKE`), for a page walked in order that meets many matches at once.
    fn news_filter(
        &self,
        q: &NewsQuery,
        kind: Option<NewsKind>,
        via_index: bool,
    ) -> (String, Vec<Value>, Option<String>, usize) {
        let mut wheres: Vec<String> = Vec::new();
        let mut args: Vec<Value> = Vec::new();
        if q.none {
            wheres.push("0".into());
        }
        if let Some(kind) = kind {
            wheres.push("kind = ?".into());
            args.push(Value::Text(kind.as_str().into()));
        }
        // Words of three letters or more are looked up in the trigram index; shorter ones,
        // which it cannot hold, are matched row by row. Groups wholly of long words go to the
        // index as one expression.
        let mut indexed: Vec<String> = Vec::new();
        for (field, words) in &q.text {
            let (cols, fts_cols): (&[&str], &str) = match field {
                TextField::Title => (&["title_lc"], "title_lc"),
                TextField::Summary => (&["summary_lc"], "summary_lc"),
                TextField::Either => (&["title_lc", "summary_lc"], "{title_lc summary_lc}"),
            };
            let words: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
            let phrase = |w: &str| format!("{fts_cols} : \"{}\"", w.replace('"', "\"\""));
            let long = |w: &String| w.chars().count() >= 3;
            if words.is_empty() {
                continue;
            }
            if words.iter().all(long) && via_index {
                let any: Vec<String> = words.iter().map(|w| phrase(w)).collect();
                indexed.push(format!("({})", any.join(" OR ")));
                continue;
            }
            let mut any = Vec::new();
            for w in words.iter().filter(|w| !long(w) || !via_index) {
                for c in cols {
                    any.push(format!("{c} LIKE ? ESCAPE '\\'"));
                    args.push(Value::Text(like(w)));
                }
            }
            let phrases: Vec<String> = words
                .iter()
                .filter(|w| long(w) && via_index)
                .map(|w| phrase(w))
                .collect();
            if !phrases.is_empty() {
                any.push(TEXT_MATCH.into());
                args.push(Value::Text(phrases.join(" OR ")));
            }
            wheres.push(format!("({})", any.join(" OR ")));
        }
        let text_match = (!indexed.is_empty()).then(|| indexed.join(" AND "));
        if let Some(m) = &text_match {
            wheres.push(TEXT_MATCH.into());
            args.push(Value::Text(m.clone()));
        }
        // A list of values is one parameter, a JSON array, however long it is: a query's
        // text and its parameters never grow with the data.
        let json = |values: &mut dyn Iterator<Item = String>| {
            Value::Text(serde_json::Value::from(values.collect::<Vec<_>>()).to_string())
        };
        let list = |col: &str, values: &[String], not: bool, args: &mut Vec<Value>| {
            args.push(json(&mut values.iter().map(|v| v.to_lowercase())));
            format!(
                "lower({col}) {}IN (SELECT value FROM json_each(?))",
                if not { "NOT " } else { "" }
            )
        };
        if !q.sites.is_empty() {
            wheres.push(list("news_site", &q.sites, false, &mut args));
        }
        if !q.sites_exclude.is_empty() {
            wheres.push(list("news_site", &q.sites_exclude, true, &mut args));
        }
        for &(field, bound, inclusive, lower) in &q.times {
            let op = match (lower, inclusive) {
                (true, true) => ">=",
                (true, false) => ">",
                (false, true) => "<=",
                (false, false) => "<",
            };
            wheres.push(format!("{} {op} ?", field.column()));
            args.push(Value::Integer(bound));
        }
        for ids in &q.launches {
            wheres.push(
                "document_id IN (SELECT c.document_id FROM facts f
                     JOIN claims c ON c.group_key = f.group_key AND c.flight = f.flight
                     WHERE f.launch_id IN (SELECT value FROM json_each(?)) AND c.kind = 'launch')"
                    .into(),
            );
            args.push(json(&mut ids.iter().cloned()));
        }
        if !q.documents_exclude.is_empty() {
            wheres.push("document_id NOT IN (SELECT value FROM json_each(?))".into());
            args.push(json(&mut q.documents_exclude.iter().cloned()));
        }
        if let Some(has) = q.has_launch {
            wheres.push("launches = ?".into());
            args.push(Value::Integer(i64::from(has)));
        }
        let filter = if wheres.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", wheres.join(" AND "))
        };
        (filter, args, text_match, wheres.len())
    }

    pub fn news(&self, q: &NewsQuery) -> Result<(u64, Vec<NewsItem>)> {
        // A kind that every stored piece has narrows nothing: leaving it out lets the text
        // index alone answer a search, and a page walk the time index, whose entries are
        // smaller than those of the kind's (the launch flag keeps its own index, by kind).
        let kind = match q.kind {
            Some(k)
                if (!q.text.is_empty() || q.has_launch.is_none())
                    && self.kind_is_everything(k)? =>
            {
                None
            }
            k => k,
        };
        let (filter, args, text_match, conditions) = self.news_filter(q, kind, true);
        let count: i64 = if q.unfiltered() {
            let kept = |table: &str| -> Result<i64> {
                let mut stmt = self.conn.prepare_cached(&format!(
                    "SELECT coalesce(sum(n), 0) FROM {table} WHERE ?1 IS NULL OR kind = ?1"
                ))?;
                Ok(stmt.query_row([q.kind.map(NewsKind::as_str)], |r| r.get(0))?)
            };
            match q.has_launch {
                None => kept("news_counts")?,
                Some(true) => kept("news_launch_counts")?,
                Some(false) => kept("news_counts")? - kept("news_launch_counts")?,
            }
        } else {
            // A search and nothing else: the index counts its own matches.
            let (sql, args) = match (&text_match, conditions) {
                (Some(m), 1) => (
                    "SELECT count(*) FROM news_text WHERE news_text MATCH ?".to_string(),
                    vec![Value::Text(m.clone())],
                ),
                _ => (
                    format!("SELECT count(*) FROM news {}", from_matches(&filter)),
                    args.clone(),
                ),
            };
            self.count(&sql, &args, !q.text.is_empty())?
        };
        // A page of few matches is found from the text index's rows. A page of many is found
        // by walking the order's index and stopping at the limit: matching each row's text as
        // it comes when that meets the page soon, else against the index's matches.
        let (filter, args) = if count <= FEW_MATCHES {
            (from_matches(&filter), args)
        } else if text_match.is_some() && {
            let all = self.news_total()?.max(1);
            let walked = (q.offset.saturating_add(q.limit) as i64).saturating_mul(all) / count;
            walked <= WALKED_ROWS
        } {
            let (filter, args, _, _) = self.news_filter(q, kind, false);
            (filter, args)
        } else {
            (filter.replace(TEXT_MATCH, &format!("+{TEXT_MATCH}")), args)
        };
        // The id breaks ties, in the same direction, so that pages never overlap.
        let dir = if q.descending { "DESC" } else { "ASC" };
        let col = q.order.column();
        // The page's ids first, so that rows skipped by the offset are read from the index
        // alone, then the rows of the page. The limit and offset are numbers written into the
        // query, not parameters: SQLite plans by a bound limit's value, so it would compile a
        // statement again for every request that binds one.
        let (limit, offset) = (q.limit as i64, q.offset.min(i64::MAX as usize) as i64);
        // A page near the start is read straight from the order's index.
        let sql = if offset <= NEAR_START {
            format!(
                "SELECT {NEWS_COLUMNS} FROM news {filter} ORDER BY {col} {dir}, id {dir}
                 LIMIT {limit} OFFSET {offset}"
            )
        } else {
            format!(
                "SELECT {NEWS_COLUMNS} FROM news WHERE id IN (
                    SELECT id FROM news {filter} ORDER BY {col} {dir}, id {dir} LIMIT {limit} OFFSET {offset})
                 ORDER BY {col} {dir}, id {dir}"
            )
        };
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params_from_iter(args.iter()))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(news_from_row(r)?);
        }
        Ok((count as u64, out))
    }

    /// How many articles there are.
    fn news_total(&self) -> Result<i64> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT coalesce(sum(n), 0) FROM news_counts")?;
        Ok(stmt.query_row([], |r| r.get(0))?)
    }

    /// The count `sql` gives with `args`; with `keep`, kept until the store changes (a
    /// search's count is the one costly part of its page: every page of it asks again).
    fn count(&self, sql: &str, args: &[Value], keep: bool) -> Result<i64> {
        let run = || -> Result<i64> {
            Ok(self
                .conn
                .prepare_cached(sql)?
                .query_row(params_from_iter(args.iter()), |r| r.get(0))?)
        };
        if !keep {
            return run();
        }
        let now = (self.data_version()?, self.conn.total_changes());
        let key = format!("{sql}\u{0}{args:?}");
        {
            let mut kept = self.counts.borrow_mut();
            if kept.moment != now {
                kept.moment = now;
                kept.by_query.clear();
            }
            if let Some(&n) = kept.by_query.get(&key) {
                return Ok(n);
            }
        }
        let n = run()?;
        let mut kept = self.counts.borrow_mut();
        if kept.by_query.len() >= KEPT_COUNTS {
            kept.by_query.clear();
        }
        kept.by_query.insert(key, n);
        Ok(n)
    }

    /// True when every stored piece is of `kind` (an empty store included).
    fn kind_is_everything(&self, kind: NewsKind) -> Result<bool> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT coalesce(sum(n), 0), coalesce(sum(n) FILTER (WHERE kind = ?1), 0)
             FROM news_counts",
        )?;
        let (all, of_kind): (i64, i64) =
            stmt.query_row([kind.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(all == of_kind)
    }

    /// One article by its public number.
    pub fn news_item(&self, id: i64) -> Result<Option<NewsItem>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("SELECT {NEWS_COLUMNS} FROM news WHERE id = ?1"))?;
        let mut rows = stmt.query([id])?;
        rows.next()?.map(news_from_row).transpose()
    }

    /// The articles of several documents at once, by document id; documents with no article
    /// are left out.
    pub fn news_of_documents(&self, document_ids: &[&str]) -> Result<HashMap<String, NewsItem>> {
        let mut out = HashMap::with_capacity(document_ids.len());
        for chunk in document_ids.chunks(500) {
            let marks = vec!["?"; chunk.len()].join(",");
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT {NEWS_COLUMNS} FROM news WHERE document_id IN ({marks})"
            ))?;
            let mut rows = stmt.query(params_from_iter(chunk))?;
            while let Some(r) = rows.next()? {
                let n = news_from_row(r)?;
                out.insert(n.document_id.clone(), n);
            }
        }
        Ok(out)
    }

    /// The newest `limit` articles whose page gave their date (`dated`), or whose page gave
    /// none and are listed at when they were seen or stored.
    pub fn latest_news(&self, dated: bool, limit: usize) -> Result<Vec<NewsItem>> {
        let sql = format!(
            "SELECT {NEWS_COLUMNS} FROM news WHERE dated = {} ORDER BY published DESC, id DESC LIMIT ?1",
            i32::from(dated)
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([limit as i64])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(news_from_row(r)?);
        }
        Ok(out)
    }

    /// The highest article number given so far (0 with none).
    pub fn news_max_id(&self) -> Result<i64> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT coalesce(max(id), 0) FROM news")?;
        Ok(stmt.query_row([], |r| r.get(0))?)
    }

    /// The articles numbered `first..=last`, each as (number, when it was stored), in order.
    pub fn news_stamps(&self, first: i64, last: i64) -> Result<Vec<(i64, i64)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, updated FROM news WHERE id BETWEEN ?1 AND ?2 ORDER BY id",
        )?;
        let rows = stmt.query_map([first, last], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The article published just before and just after `item`, in publication order.
    pub fn news_neighbours(&self, item: &NewsItem) -> Result<(Option<NewsItem>, Option<NewsItem>)> {
        let one = |sql: &str| -> Result<Option<NewsItem>> {
            let mut stmt = self.conn.prepare_cached(sql)?;
            let mut rows = stmt.query(params![item.published, item.id])?;
            rows.next()?.map(news_from_row).transpose()
        };
        let before = one(&format!(
            "SELECT {NEWS_COLUMNS} FROM news WHERE (published, id) < (?1, ?2) ORDER BY published DESC, id DESC LIMIT 1"
        ))?;
        let after = one(&format!(
            "SELECT {NEWS_COLUMNS} FROM news WHERE (published, id) > (?1, ?2) ORDER BY published, id LIMIT 1"
        ))?;
        Ok((before, after))
    }

    /// Every site with how many articles it has, most first.
    pub fn news_sites(&self) -> Result<Vec<(String, u64)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT news_site, count(*) FROM news GROUP BY news_site ORDER BY count(*) DESC, news_site",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Days (1–31) of a month that have articles, from UTC `start` to `end` (unix seconds).
    pub fn news_days(&self, start: i64, end: i64) -> Result<Vec<(i64, u64)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT published / 86400, count(*) FROM news WHERE published >= ?1 AND published < ?2
             GROUP BY published / 86400 ORDER BY 1",
        )?;
        let rows = stmt.query_map([start, end], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)? as u64))
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The first and last publication time in the store, if it holds any article.
    pub fn news_span(&self) -> Result<Option<(i64, i64)>> {
        // Two subqueries, so that each is one step down the index (min and max together, or
        // with a count, scan the table).
        let (first, last): (Option<i64>, Option<i64>) = self.conn.query_row(
            "SELECT (SELECT min(published) FROM news), (SELECT max(published) FROM news)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(first.zip(last))
    }

    /// The newest articles that mention an entity.
    pub fn documents_mentioning(&self, entity_id: &str, limit: usize) -> Result<Vec<NewsItem>> {
        // The limit in the text, not bound (see `news`).
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT news_id FROM news_entities WHERE entity_id = ?1
             ORDER BY published DESC, news_id DESC LIMIT {limit}"
        ))?;
        let ids = stmt
            .query_map(params![entity_id], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        self.news_by_ids(&ids)
    }

    /// Articles near in time to a document's that share the most entities with it, best
    /// first: for each of its entities, the `RELATED_WINDOW` articles before and after it
    /// that mention the entity too, scored by how many entities each shares, then by
    /// closeness in time. The work is bounded by the article's entity count, not the store.
    pub fn related_news(&self, document_id: &str, limit: usize) -> Result<Vec<NewsItem>> {
        let Some((id, published)) = self
            .conn
            .query_row(
                "SELECT id, published FROM news WHERE document_id = ?1",
                [document_id],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)),
            )
            .optional()?
        else {
            return Ok(Vec::new());
        };
        let mut stmt = self
            .conn
            .prepare_cached("SELECT entity_id FROM news_entities WHERE news_id = ?1")?;
        let entities = stmt
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        // news id -> (entities shared, distance in time)
        let mut scores: HashMap<i64, (u32, i64)> = HashMap::new();
        // The limit in the text, not bound (see `news`).
        for sql in [
            format!(
                "SELECT news_id, published FROM news_entities
                 WHERE entity_id = ?1 AND (published, news_id) > (?2, ?3)
                 ORDER BY published, news_id LIMIT {RELATED_WINDOW}"
            ),
            format!(
                "SELECT news_id, published FROM news_entities
                 WHERE entity_id = ?1 AND (published, news_id) < (?2, ?3)
                 ORDER BY published DESC, news_id DESC LIMIT {RELATED_WINDOW}"
            ),
        ] {
            let mut stmt = self.conn.prepare_cached(&sql)?;
            for e in &entities {
                let rows = stmt.query_map(params![e, published, id], |r| {
                    Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
                })?;
                for row in rows {
                    let (other, when) = row?;
                    let s = scores.entry(other).or_insert((0, (when - published).abs()));
                    s.0 += 1;
                }
            }
        }
        let mut best: Vec<(i64, (u32, i64))> = scores.into_iter().collect();
        best.sort_by_key(|&(other, (shared, distance))| {
            (
                std::cmp::Reverse(shared),
                distance,
                std::cmp::Reverse(other),
            )
        });
        let ids: Vec<i64> = best
            .into_iter()
            .take(limit)
            .map(|(other, _)| other)
            .collect();
        self.news_by_ids(&ids)
    }

    /// The next `limit` articles stored (or revised) after `after` (their `updated` time and
    /// number), in that order, with what the search index keeps of each.
    pub fn index_rows(&self, after: (i64, i64), limit: usize) -> Result<Vec<IndexRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT n.id, n.title, a.body, n.news_site, n.authors, a.lang, n.published, n.dated,
                    n.updated,
                    (SELECT group_concat(e.entity_id, char(31)) FROM news_entities e
                     WHERE e.news_id = n.id),
                    n.document_id
             FROM news n JOIN articles a ON a.document_id = n.document_id
             WHERE (n.updated, n.id) > (?1, ?2)
             ORDER BY n.updated, n.id LIMIT ?3",
        )?;
        let rows = stmt.query_map(
            params![after.0, after.1, i64::try_from(limit).unwrap_or(i64::MAX)],
            |r| {
                let authors: String = r.get(4)?;
                let entities: Option<String> = r.get(9)?;
                Ok(IndexRow {
                    id: r.get(0)?,
                    document_id: r.get(10)?,
                    title: r.get(1)?,
                    body: r.get(2)?,
                    site: r.get(3)?,
                    authors: serde_json::from_str(&authors).unwrap_or_default(),
                    lang: r.get(5)?,
                    published: r.get(6)?,
                    dated: r.get(7)?,
                    updated: r.get(8)?,
                    entities: entities
                        .map(|e| e.split('\u{1f}').map(str::to_string).collect())
                        .unwrap_or_default(),
                    launches: Vec::new(),
                })
            },
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The text of the articles numbered `ids`, for snippets.
    pub fn bodies(&self, ids: &[i64]) -> Result<HashMap<i64, String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.body FROM news n JOIN articles a ON a.document_id = n.document_id
             WHERE n.id = ?1",
        )?;
        let mut out = HashMap::new();
        for &id in ids {
            if let Some(body) = stmt.query_row([id], |r| r.get::<_, String>(0)).optional()? {
                out.insert(id, body);
            }
        }
        Ok(out)
    }

    /// Articles by public number, in the order of `ids`; numbers with no article are skipped.
    fn news_by_ids(&self, ids: &[i64]) -> Result<Vec<NewsItem>> {
        ids.iter()
            .filter_map(|&id| self.news_item(id).transpose())
            .collect()
    }

    /// Fills the news table from the articles of a store made before it existed.
    pub(crate) fn backfill_news(&mut self) -> Result<()> {
        let ids = self.document_ids()?;
        // A savepoint: the migration that calls this runs in a transaction of its own.
        let tx = self.conn.savepoint()?;
        for id in ids {
            let row = tx
                .query_row(
                    "SELECT d.source, d.ingested_at, a.title, a.published_at, a.site_name,
                            a.canonical_url, a.image_url, a.authors, a.body
                     FROM documents d JOIN articles a ON a.document_id = d.id WHERE d.id = ?1",
                    [&id],
                    |r| {
                        Ok((
                            r.get::<_, String>(0)?,
                            r.get::<_, i64>(1)?,
                            ArticleInfo {
                                title: r.get(2)?,
                                published_at: r.get(3)?,
                                date_precision: None,
                                authors: serde_json::from_str(&r.get::<_, String>(7)?)
                                    .unwrap_or_default(),
                                lang: None,
                                site_name: r.get(4)?,
                                canonical_url: r.get(5)?,
                                image_url: r.get(6)?,
                                body: r.get(8)?,
                            },
                        ))
                    },
                )
                .optional()?;
            let Some((source, ingested, article)) = row else {
                continue;
            };
            let doc = DocumentInfo {
                id: id.clone(),
                source,
                format: String::new(),
                encoding: String::new(),
                bytes: 0,
            };
            // The launch flags are set from the claims by the migration step that follows.
            insert(&tx, &doc, &article, ingested, false, None, None)?;
        }
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_are_the_first_paragraph_cut_at_a_word() {
        assert_eq!(summary("\n\nOne  two.\n\nThree."), "One two.");
        let long = format!("{} end", "word ".repeat(100));
        let s = summary(&long);
        assert!(s.ends_with("word…"), "{s}");
        assert!(s.chars().count() <= SUMMARY_CHARS + 1);
    }

    #[test]
    fn blogs_and_reports_by_their_path() {
        assert_eq!(
            NewsKind::of_url("https://x.org/blogs/2020/a"),
            NewsKind::Blog
        );
        assert_eq!(
            NewsKind::of_url("https://x.org/reports/iss-daily"),
            NewsKind::Report
        );
        assert_eq!(
            NewsKind::of_url("https://blog.x.org/news/a"),
            NewsKind::Article
        );
        assert_eq!(NewsKind::of_url(""), NewsKind::Article);
    }

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(like("50%_A"), "%50\\%\\_a%");
    }
}
