//! korolev's storage adapter: documents (raw bytes, compressed), their articles, and the
//! entities, aliases, mentions and claims found in them, in one SQLite file in WAL mode.
//!
//! Documents are keyed by the SHA-256 of their bytes, so storing the same input twice changes
//! nothing; new bytes under the address of an article stored before (its [`identity`]) are a
//! new revision of that article. Each document is written in one transaction, the merged
//! facts of what it tells brought up to date in it: a failure leaves everything stored before
//! it as it was. This crate knows SQL and the schema; it does not extract or judge.

mod backup;
mod episodes;
mod facts;
mod fetched;
mod images;
mod knowledge;
mod news;
mod seam;

pub use backup::{check_backup, restore, Copied, Progress};
pub use episodes::Episode;
pub use facts::Rebuilt;
pub use fetched::{FetchRecord, SourceStatus};
pub use images::{image_key, KeptImage};
pub use knowledge::LaunchQuery;
pub use seam::{read_once, FetchLog, Reader, Writer};

pub use news::{
    summary, IndexRow, NewsItem, NewsKind, NewsQuery, TextField, TimeField, UNKNOWN_SITE,
};

use flate2::read::ZlibDecoder;
use flate2::write::ZlibEncoder;
use korolev_extract::{CrewRole, DatePrecision, LaunchStatus};
use korolev_facts::knowledge::{source_of, EntityName, Knowledge};
use korolev_facts::model::{
    ArticleInfo, Claim, ClaimKind, DocumentFacts, DocumentInfo, Entity, EntityKind, Evidence,
    Mention, Occupation, OrgClass, SCHEMA,
};
use korolev_facts::when::unix_now as now;
use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// The file name of the database inside the data directory.
pub const DB_FILE: &str = "korolev.sqlite3";

/// Schema version; bumped with every change to [`SCHEMA_SQL`].
pub const SCHEMA_VERSION: i64 = 15;

/// The current revision of each article (schema 9).
const DOCUMENTS_IDENTITY_INDEX_SQL: &str = "CREATE INDEX IF NOT EXISTS documents_identity
    ON documents(identity) WHERE superseded_by IS NULL;";

const SCHEMA_SQL: &str = r#"
CREATE TABLE IF NOT EXISTS documents (
    id          TEXT PRIMARY KEY,            -- "sha256:<hex>" of the raw bytes
    source      TEXT NOT NULL,               -- where it was first read from
    format      TEXT NOT NULL,               -- "html" | "text"
    encoding    TEXT NOT NULL,
    bytes       INTEGER NOT NULL,
    raw         BLOB NOT NULL,               -- zlib-compressed raw bytes
    ingested_at INTEGER NOT NULL,            -- unix seconds
    identity    TEXT,                        -- the article it is a revision of (see `identity`)
    superseded_by TEXT,                      -- the later revision, once there is one
    hint_url    TEXT,                        -- the URL it was fetched from, or --url
    hint_published TEXT,                     -- the publication date the caller gave
    hint_more   TEXT,                        -- JSON: the rest the fetch told (schema 13)
    extracted_with TEXT                      -- the extraction that read it (schema 10)
);
CREATE TABLE IF NOT EXISTS document_sources (
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    source      TEXT NOT NULL,
    PRIMARY KEY (document_id, source)
);
CREATE TABLE IF NOT EXISTS articles (
    document_id    TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    title          TEXT,
    published_at   TEXT,
    date_precision TEXT,
    authors        TEXT NOT NULL,            -- JSON array of names
    lang           TEXT,
    site_name      TEXT,
    canonical_url  TEXT,
    image_url      TEXT,
    body           TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_published ON articles(published_at);
CREATE TABLE IF NOT EXISTS entities (
    id     TEXT PRIMARY KEY,                 -- "person/anne-mcclain"
    kind   TEXT NOT NULL,
    name   TEXT NOT NULL,
    agency TEXT,
    known  INTEGER NOT NULL,
    occupation TEXT,                         -- people: "astronaut" | "official"
    class  TEXT                              -- organisations: "agency" | "company" | "news" | "organisation"
);
CREATE INDEX IF NOT EXISTS entities_kind ON entities(kind);
CREATE TABLE IF NOT EXISTS aliases (
    entity_id   TEXT NOT NULL REFERENCES entities(id),
    alias       TEXT NOT NULL,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    PRIMARY KEY (entity_id, alias, document_id)
);
CREATE INDEX IF NOT EXISTS aliases_document ON aliases(document_id);
CREATE TABLE IF NOT EXISTS mentions (
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    entity_id   TEXT NOT NULL REFERENCES entities(id),
    start       INTEGER NOT NULL,
    end         INTEGER NOT NULL,
    line        INTEGER NOT NULL,
    text        TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS mentions_entity ON mentions(entity_id);
CREATE INDEX IF NOT EXISTS mentions_document ON mentions(document_id);
CREATE TABLE IF NOT EXISTS claims (
    id                INTEGER PRIMARY KEY,
    document_id       TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    kind              TEXT NOT NULL,
    subject           TEXT NOT NULL REFERENCES entities(id),
    object            TEXT REFERENCES entities(id),
    role              TEXT,
    date              TEXT,
    date_precision    TEXT,
    status            TEXT,
    site              TEXT REFERENCES entities(id),
    people            TEXT NOT NULL DEFAULT '[]',  -- JSON array of entity ids
    detail            TEXT,
    confidence        REAL NOT NULL,
    ev_start          INTEGER NOT NULL,
    ev_end            INTEGER NOT NULL,
    ev_line           INTEGER NOT NULL,
    ev_text           TEXT NOT NULL,
    extractor         TEXT NOT NULL,
    extractor_version TEXT NOT NULL,
    mission           TEXT REFERENCES entities(id),
    group_key         TEXT,                  -- what it tells of (korolev_facts::merge::group_key)
    flight            INTEGER NOT NULL DEFAULT 0  -- which of its group's facts it is part of
);
CREATE INDEX IF NOT EXISTS claims_document ON claims(document_id);
CREATE INDEX IF NOT EXISTS claims_subject ON claims(subject);
CREATE INDEX IF NOT EXISTS claims_object ON claims(object);
"#;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    // The causes are part of the messages and not chained as sources, so that a caller
    // printing the chain (`{:#}`) says each once.
    #[error("cannot create the data directory {path}: {cause}")]
    DataDir {
        path: PathBuf,
        cause: std::io::Error,
    },
    #[error("cannot open the database {path}: {cause}")]
    Open {
        path: PathBuf,
        cause: rusqlite::Error,
    },
    #[error("the database {path} has schema version {found}, newer than this korolev understands ({SCHEMA_VERSION})")]
    NewerSchema { path: PathBuf, found: i64 },
    #[error("database error: {0}")]
    Sql(rusqlite::Error),
    #[error("{path}: {reason}")]
    Copy { path: PathBuf, reason: String },
    #[error("stored document {id} is damaged: {reason}")]
    Damaged { id: String, reason: String },
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> StoreError {
        StoreError::Sql(e)
    }
}

impl StoreError {
    /// Whether another connection held the database: trying again later may succeed.
    pub fn is_busy(&self) -> bool {
        let sql = match self {
            StoreError::Open { cause, .. } | StoreError::Sql(cause) => cause,
            _ => return false,
        };
        matches!(
            sql.sqlite_error_code(),
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
        )
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// What storing a document did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    New,
    /// New bytes of an article stored before (the same [`identity`]): its public number stays,
    /// its `updated` time moves and its claims are the new revision's.
    Revised,
    /// The same bytes were stored before (perhaps from another path).
    Unchanged,
}

/// What makes two documents revisions of one article: its canonical URL (which is the URL
/// it was fetched from, or `--url`, when the page names none), else the path it was read
/// from; a document read from standard input with neither is only itself. A canonical URL
/// that is a site's front page is not taken: sites that give every page the same one would
/// fold all their articles into one.
pub fn identity(doc: &DocumentInfo, article: &ArticleInfo) -> String {
    let canonical = article
        .canonical_url
        .as_deref()
        .and_then(|u| url::Url::parse(u.trim()).ok())
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
        .filter(|u| u.path() != "/" || u.query().is_some());
    if let Some(mut u) = canonical {
        u.set_fragment(None);
        return u.to_string();
    }
    let source = doc.source.trim();
    if source.is_empty() || source == "-" {
        doc.id.clone()
    } else {
        source.to_string()
    }
}

/// The id of a document: "sha256:" and the hex digest of its bytes.
pub fn document_id(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut id = String::with_capacity(7 + 64);
    id.push_str("sha256:");
    for b in digest {
        id.push_str(&format!("{b:02x}"));
    }
    id
}

/// Numbers that describe what a store holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub documents: u64,
    pub articles: u64,
    pub entities: u64,
    pub claims: u64,
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// The counts of searches, until the store changes (see `news.rs`).
    counts: std::cell::RefCell<news::KeptCounts>,
}

impl Store {
    /// Opens (creating if needed) the store in `data_dir`.
    pub fn open(data_dir: &Path) -> Result<Store> {
        Store::open_to(data_dir, SCHEMA_VERSION)
    }

    /// [`Store::open`], bringing the schema only as far as version `to` (tests stop an
    /// upgrade half-way with it, as a kill would).
    fn open_to(data_dir: &Path, to: i64) -> Result<Store> {
        std::fs::create_dir_all(data_dir).map_err(|cause| StoreError::DataDir {
            path: data_dir.to_path_buf(),
            cause,
        })?;
        let path = data_dir.join(DB_FILE);
        let conn = Connection::open(&path).map_err(|cause| StoreError::Open {
            path: path.clone(),
            cause,
        })?;
        // Room for the statements of every route and the pages people ask most for.
        conn.set_prepared_statement_cache_capacity(64);
        let mut store = Store {
            conn,
            path,
            counts: Default::default(),
        };
        store.migrate(to)?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Sets the store up and brings its schema to version `to` (the current one but in
    /// tests). Processes opening one new store at once meet SQLite's "locked" without waiting
    /// where a store turns to WAL or one of them migrates; the step is tried again then, for
    /// as long as the busy timeout would have waited.
    fn migrate(&mut self, to: i64) -> Result<()> {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            match self.migrate_once(to) {
                Err(e) if e.is_busy() && std::time::Instant::now() < deadline => {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                done => return done,
            }
        }
    }

    fn migrate_once(&mut self, to: i64) -> Result<()> {
        let path = self.path.clone();
        let open_err = |cause| StoreError::Open {
            path: path.clone(),
            cause,
        };
        // busy_timeout: another korolev process (a server reading while we ingest) may hold
        // the write lock for a moment; wait for it instead of failing.
        self.conn
            .busy_timeout(std::time::Duration::from_secs(10))
            .map_err(open_err)?;
        self.conn
            .execute_batch(
                "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
            )
            .map_err(open_err)?;
        let version = |conn: &Connection| -> rusqlite::Result<i64> {
            conn.query_row("PRAGMA user_version", [], |r| r.get(0))
        };
        // Each step is a transaction of its own that holds the write lock from its start: a
        // kill leaves the store at the last step done, from which the next open goes on; of
        // processes opening one store at once, one takes each step and the others find it
        // taken.
        // A version newer than ours is never done: its step answers that it is newer.
        let done = |v: i64| (to..=SCHEMA_VERSION).contains(&v);
        let mut announced = false;
        loop {
            let v = version(&self.conn).map_err(open_err)?;
            if done(v) {
                return Ok(());
            }
            self.conn
                .execute_batch("BEGIN IMMEDIATE")
                .map_err(open_err)?;
            let stepped = version(&self.conn).map_err(StoreError::from).and_then(|v| {
                if done(v) {
                    return Ok(());
                }
                if v > 0 && !announced {
                    eprintln!(
                        "korolev: upgrading the store {} from schema {v} to {SCHEMA_VERSION}",
                        self.path.display()
                    );
                    announced = true;
                }
                let next = self.migrate_step(v)?;
                self.conn
                    .execute_batch(&format!("PRAGMA user_version = {next}"))?;
                Ok(())
            });
            let end = if stepped.is_ok() {
                "COMMIT"
            } else {
                "ROLLBACK"
            };
            let ended = self.conn.execute_batch(end).map_err(open_err);
            if ended.is_err() && !self.conn.is_autocommit() {
                // A commit that failed leaves the transaction open: end it, so that trying
                // again starts afresh.
                let _ = self.conn.execute_batch("ROLLBACK");
            }
            stepped.and(ended)?;
        }
    }

    /// One step of the schema from `version`, inside its own transaction: the version it
    /// reaches. A new store (version 0) is made at the current version at once; an older
    /// one goes up a version at a time, each step safe to take again (columns are added
    /// only where they are missing), since a step that was killed is taken again whole.
    fn migrate_step(&mut self, version: i64) -> Result<i64> {
        let path = self.path.clone();
        let open_err = |cause| StoreError::Open {
            path: path.clone(),
            cause,
        };
        if version > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                path: self.path.clone(),
                found: version,
            });
        }
        // The tables as they are now, where a store lacks them.
        for sql in [
            SCHEMA_SQL,
            news::NEWS_SQL,
            facts::FACTS_SQL,
            fetched::FETCHED_SQL,
            episodes::EPISODES_SQL,
            images::IMAGES_SQL,
        ] {
            self.conn.execute_batch(sql).map_err(open_err)?;
        }
        if version == 0 {
            for sql in [
                news::LAUNCHES_INDEX_SQL,
                facts::CLAIMS_GROUP_INDEX_SQL,
                DOCUMENTS_IDENTITY_INDEX_SQL,
                facts::FACTS_LISTING_INDEX_SQL,
            ] {
                self.conn.execute_batch(sql).map_err(open_err)?;
            }
            return Ok(SCHEMA_VERSION);
        }
        if version < 5 {
            // Version 5 added the mission of a claim and what a person is; the steps before
            // it read them. A store whose version was set back may have them already.
            for (table, column, decl) in [
                ("claims", "mission", "TEXT REFERENCES entities(id)"),
                ("entities", "occupation", "TEXT"),
                ("entities", "class", "TEXT"),
            ] {
                self.add_column(table, column, decl)?;
            }
        }
        if version < 11 {
            // Version 11 added what a fact tells of and a launch's UUID; the facts are
            // written with them from version 8 on.
            self.add_column("facts", "object", "TEXT")?;
            self.add_column("facts", "launch_uuid", "TEXT")?;
            self.add_column("facts", "listed", "INTEGER")?;
            self.add_column("facts", "status", "TEXT")?;
            self.add_column("facts", "brief", "TEXT")?;
        }
        let long = |what: &str| eprintln!("korolev: schema {}: {what}", version + 1);
        match version {
            1 => {
                // Version 2 added the site, people and detail of a claim.
                self.add_column("claims", "site", "TEXT REFERENCES entities(id)")?;
                self.add_column("claims", "people", "TEXT NOT NULL DEFAULT '[]'")?;
                self.add_column("claims", "detail", "TEXT")?;
            }
            2 => {
                // Version 3 added the news listing.
                long("listing the news");
                self.backfill_news()?;
            }
            3 => {
                // Version 4 keeps the news counts, each entity's articles by time and a text
                // index.
                long("counting and indexing the news");
                for sql in [
                    news::RECOUNT_SQL,
                    news::REINDEX_ENTITIES_SQL,
                    news::REINDEX_TEXT_SQL,
                ] {
                    self.conn.execute_batch(sql).map_err(open_err)?;
                }
            }
            4 => {}
            5 => {
                // Version 6 flags the articles that tell of a launch.
                long("flagging the articles that tell of a launch");
                self.add_column("news", "launches", "INTEGER NOT NULL DEFAULT 0")?;
                for sql in [news::FLAG_LAUNCHES_SQL, news::LAUNCHES_INDEX_SQL] {
                    self.conn.execute_batch(sql).map_err(open_err)?;
                }
            }
            6 => {
                // Version 7 keeps how many articles tell of a launch.
                self.conn
                    .execute_batch(news::RECOUNT_LAUNCHES_SQL)
                    .map_err(open_err)?;
            }
            7 => {
                // Version 8 keeps the merged facts: each claim's group, then every group
                // merged.
                long("merging the stored claims into facts");
                self.add_column("claims", "group_key", "TEXT")?;
                self.add_column("claims", "flight", "INTEGER NOT NULL DEFAULT 0")?;
                self.group_claims()?;
                self.conn
                    .execute_batch(facts::CLAIMS_GROUP_INDEX_SQL)
                    .map_err(open_err)?;
                facts::rebuild(&self.conn, &mut |_, _| {})?;
            }
            8 => {
                // Version 9 knows which documents are revisions of one article.
                long("naming each document's article");
                self.add_column("documents", "identity", "TEXT")?;
                self.add_column("documents", "superseded_by", "TEXT")?;
                self.identify_documents()?;
                self.conn
                    .execute_batch(DOCUMENTS_IDENTITY_INDEX_SQL)
                    .map_err(open_err)?;
            }
            9 => {
                // Version 10 keeps what a document was read with, to read it again.
                for column in ["hint_url", "hint_published", "extracted_with"] {
                    self.add_column("documents", column, "TEXT")?;
                }
            }
            10 => {
                // Version 11 lists the facts in SQL: what a fact tells of, a launch's UUID,
                // the people of each fact, the counts.
                long("indexing the merged facts for their lists");
                facts::backfill_listing(&self.conn)?;
                self.conn
                    .execute_batch(facts::FACTS_LISTING_INDEX_SQL)
                    .map_err(open_err)?;
            }
            12 => {
                // Version 13 keeps the rest of a fetch's hints, to read a page again as it was
                // read first (and the podcast episodes feeds list, made above).
                self.add_column("documents", "hint_more", "TEXT")?;
            }
            // Version 12 keeps what the fetcher asked for and how each source fared, version
            // 14 indexes the undated articles, version 15 keeps copies of lead images: all
            // are made above.
            _ => {}
        }
        Ok(version + 1)
    }

    /// Adds a column to a table of an older store, unless it has it already.
    fn add_column(&self, table: &str, column: &str, decl: &str) -> Result<()> {
        if !self.has_column(table, column)? {
            self.conn
                .execute_batch(&format!("ALTER TABLE {table} ADD COLUMN {column} {decl};"))?;
        }
        Ok(())
    }

    fn has_column(&self, table: &str, column: &str) -> rusqlite::Result<bool> {
        let n: i64 = self.conn.query_row(
            &format!("SELECT count(*) FROM pragma_table_info('{table}') WHERE name = ?1"),
            [column],
            |r| r.get(0),
        )?;
        Ok(n > 0)
    }

    /// Gives every stored document its identity (schema 9). Documents stored before, which
    /// share one, stay separate articles.
    fn identify_documents(&mut self) -> Result<()> {
        let mut read = self.conn.prepare(
            "SELECT d.id, d.source, a.canonical_url FROM documents d
             LEFT JOIN articles a ON a.document_id = d.id WHERE d.identity IS NULL",
        )?;
        let mut set = self
            .conn
            .prepare("UPDATE documents SET identity = ?1 WHERE id = ?2")?;
        let mut rows = read.query([])?;
        while let Some(r) = rows.next()? {
            let doc = DocumentInfo {
                id: r.get(0)?,
                source: r.get(1)?,
                format: String::new(),
                encoding: String::new(),
                bytes: 0,
            };
            let article = ArticleInfo {
                canonical_url: r.get(2)?,
                ..ArticleInfo::default()
            };
            set.execute(params![identity(&doc, &article), doc.id])?;
        }
        Ok(())
    }

    /// Gives every stored claim its group key (schema 8).
    fn group_claims(&mut self) -> Result<()> {
        let mut read = self.conn.prepare(&format!(
            "SELECT {CLAIM_COLUMNS}, id FROM claims WHERE group_key IS NULL"
        ))?;
        let mut set = self
            .conn
            .prepare("UPDATE claims SET group_key = ?1 WHERE id = ?2")?;
        let mut rows = read.query([])?;
        while let Some(r) = rows.next()? {
            let claim = claim_from_row(r)?;
            let id: i64 = r.get(19)?;
            set.execute(params![korolev_facts::merge::group_key(&claim), id])?;
        }
        Ok(())
    }

    /// Lets this connection keep up to `mb` megabytes of the database in memory (SQLite's
    /// own default is 2 MB): for a bulk writer on a large store, whose every page touches index
    /// pages all over the file.
    pub fn set_cache_mb(&self, mb: u32) -> Result<()> {
        self.conn
            .execute_batch(&format!("PRAGMA cache_size = -{}", u64::from(mb) * 1024))?;
        Ok(())
    }

    /// Runs `f` in one read transaction: everything it reads is of one moment of the store,
    /// and the file is locked once for all of it rather than once per query.
    pub fn reading<T>(&self, f: impl FnOnce(&Store) -> Result<T>) -> Result<T> {
        if !self.conn.is_autocommit() {
            return f(self);
        }
        self.conn.prepare_cached("BEGIN DEFERRED")?.execute([])?;
        let out = f(self);
        let end = if out.is_ok() { "COMMIT" } else { "ROLLBACK" };
        let ended = self
            .conn
            .prepare_cached(end)
            .and_then(|mut s| s.execute([]).map(|_| ()));
        if ended.is_err() && !self.conn.is_autocommit() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        let v = out?;
        ended?;
        Ok(v)
    }

    /// SQLite's `data_version` of this connection: it changes when another connection (another
    /// process) has committed to the store since it was last asked.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// The schema version the store is at, read with a table of it: an error when the store
    /// cannot be read.
    pub fn schema_version(&self) -> Result<i64> {
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?;
        self.conn
            .query_row("SELECT count(*) FROM news_counts", [], |r| {
                r.get::<_, i64>(0)
            })?;
        Ok(version)
    }

    /// SQLite's full `integrity_check`: the problems it finds, none when the file is sound.
    /// It reads the whole file.
    pub fn integrity_problems(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        let found: Vec<String> = rows.collect::<rusqlite::Result<_>>()?;
        Ok(found.into_iter().filter(|l| l != "ok").collect())
    }

    /// True when a document with this id is stored.
    pub fn contains(&self, id: &str) -> Result<bool> {
        Ok(self
            .conn
            .query_row("SELECT 1 FROM documents WHERE id = ?1", [id], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// Records that an already stored document was also read from `source`.
    pub fn add_source(&self, id: &str, source: &str) -> Result<()> {
        self.conn.execute(
            "INSERT OR IGNORE INTO document_sources (document_id, source) VALUES (?1, ?2)",
            params![id, source],
        )?;
        Ok(())
    }

    /// Stores a document, its article and its facts in one transaction.
    pub fn put(&mut self, raw: &[u8], facts: &DocumentFacts) -> Result<Stored> {
        self.put_with(raw, facts, &PutMeta::default())
    }

    /// [`Store::put`], with what the caller knows beside the document kept with it, so that
    /// its bytes can be read again as they were (`korolev reextract`).
    pub fn put_with(
        &mut self,
        raw: &[u8],
        facts: &DocumentFacts,
        meta: &PutMeta,
    ) -> Result<Stored> {
        let doc = &facts.document;
        if self.contains(&doc.id)? {
            self.add_source(&doc.id, &doc.source)?;
            return Ok(Stored::Unchanged);
        }
        // The write lock from the start, and the check again under it: another process may
        // have stored the same bytes since.
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let stored = put_in(&tx, raw, facts, meta)?;
        tx.commit()?;
        Ok(stored)
    }

    /// Stores many documents in one transaction, each as [`Store::put_with`] would (a savepoint
    /// each: one that fails is left out, with its error, and the others are stored). For bulk
    /// ingest: a transaction per page costs more than the page, and the text index is written
    /// once per transaction. Keep batches short (a few hundred pages, a second or so): other
    /// writers wait while one is open.
    pub fn put_many(
        &mut self,
        docs: &[(&[u8], &DocumentFacts, &PutMeta)],
    ) -> Result<Vec<Result<Stored>>> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut out = Vec::with_capacity(docs.len());
        for (raw, facts, meta) in docs {
            tx.execute_batch("SAVEPOINT one_document")?;
            let stored = put_in(&tx, raw, facts, meta);
            tx.execute_batch(if stored.is_ok() {
                "RELEASE one_document"
            } else {
                "ROLLBACK TO one_document; RELEASE one_document"
            })?;
            out.push(stored);
        }
        tx.commit()?;
        Ok(out)
    }
}

/// [`Store::put_with`] inside the caller's transaction.
fn put_in(tx: &Connection, raw: &[u8], facts: &DocumentFacts, meta: &PutMeta) -> Result<Stored> {
    let doc = &facts.document;
    let mut compressed = ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    let packed = compressed
        .write_all(raw)
        .and_then(|_| compressed.finish())
        .map_err(|e| StoreError::Damaged {
            id: doc.id.clone(),
            reason: format!("cannot compress: {e}"),
        })?;
    let now = now();
    let stored_since = tx
        .query_row("SELECT 1 FROM documents WHERE id = ?1", [&doc.id], |_| {
            Ok(())
        })
        .optional()?
        .is_some();
    if stored_since {
        tx.execute(
            "INSERT OR IGNORE INTO document_sources (document_id, source) VALUES (?1, ?2)",
            params![doc.id, doc.source],
        )?;
        return Ok(Stored::Unchanged);
    }
    let a = &facts.article;
    let identity = identity(doc, a);
    // The article these bytes are a new revision of, if any: what it says goes (its
    // claims leave their facts), its public number stays.
    type Earlier = (String, Option<i64>, Option<i64>);
    let earlier: Option<Earlier> = tx
        .query_row(
            "SELECT d.id, n.id, n.published FROM documents d
             LEFT JOIN news n ON n.document_id = d.id
             WHERE d.identity = ?1 AND d.superseded_by IS NULL
             ORDER BY d.ingested_at DESC, d.rowid DESC LIMIT 1",
            [&identity],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let mut number = None;
    if let Some((old, news_id, published)) = &earlier {
        remove_derived(tx, old)?;
        tx.execute(
            "UPDATE documents SET superseded_by = ?1 WHERE id = ?2",
            params![doc.id, old],
        )?;
        number = news_id.zip(*published);
    }
    tx.execute(
        "INSERT INTO documents (id, source, format, encoding, bytes, raw, ingested_at, identity,
                                hint_url, hint_published, extracted_with, hint_more)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            doc.id,
            doc.source,
            doc.format,
            doc.encoding,
            doc.bytes as i64,
            packed,
            now,
            identity,
            meta.url,
            meta.published,
            meta.extracted_with,
            meta.more
                .as_ref()
                .filter(|m| !m.is_empty())
                .and_then(|m| serde_json::to_string(m).ok())
        ],
    )?;
    tx.execute(
        "INSERT INTO document_sources (document_id, source) VALUES (?1, ?2)",
        params![doc.id, doc.source],
    )?;
    // An undated page is listed when it was seen: a page archived years ago does not top
    // the news because it was stored today.
    insert_derived(tx, facts, now, number, meta.seen.map(|seen| seen.min(now)))?;
    Ok(if earlier.is_some() {
        Stored::Revised
    } else {
        Stored::New
    })
}

impl Store {
    /// Stores what a new reading of a stored document's bytes found (`korolev reextract`), in
    /// place of what was found before, in one transaction: the article keeps its public
    /// number, the facts follow. False when the document is not stored or is an earlier
    /// revision.
    pub fn replace_facts(&mut self, facts: &DocumentFacts, extracted_with: &str) -> Result<bool> {
        let id = &facts.document.id;
        let now = now();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let current: Option<(Option<i64>, Option<i64>)> = tx
            .query_row(
                "SELECT n.id, n.published FROM documents d LEFT JOIN news n ON n.document_id = d.id
                 WHERE d.id = ?1 AND d.superseded_by IS NULL",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((news_id, published)) = current else {
            return Ok(false);
        };
        remove_derived(&tx, id)?;
        insert_derived(&tx, facts, now, news_id.zip(published), None)?;
        tx.execute(
            "UPDATE documents SET extracted_with = ?1 WHERE id = ?2",
            params![extracted_with, id],
        )?;
        tx.commit()?;
        Ok(true)
    }

    /// Up to `limit` current documents, after the one numbered `after`, not read by
    /// `extracted_with` (all of them when `None`): each with its number (to go on after it),
    /// id, source and the hints it was stored with.
    pub fn documents_to_reextract(
        &self,
        after: i64,
        limit: usize,
        extracted_with: Option<&str>,
    ) -> Result<Vec<StoredDocument>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT rowid, id, source, hint_url, hint_published, hint_more FROM documents
             WHERE rowid > ?1 AND superseded_by IS NULL
                   AND (?2 IS NULL OR extracted_with IS NOT ?2)
             ORDER BY rowid LIMIT {limit}"
        ))?;
        let rows = stmt.query_map(params![after, extracted_with], |r| {
            Ok(StoredDocument {
                number: r.get(0)?,
                id: r.get(1)?,
                source: r.get(2)?,
                url: r.get(3)?,
                published: r.get(4)?,
                more: r
                    .get::<_, Option<String>>(5)?
                    .and_then(|j| serde_json::from_str(&j).ok()),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// How many current documents were not read by `extracted_with` (all when `None`).
    pub fn count_to_reextract(&self, extracted_with: Option<&str>) -> Result<u64> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM documents WHERE superseded_by IS NULL
                   AND (?1 IS NULL OR extracted_with IS NOT ?1)",
            [extracted_with],
            |r| r.get::<_, i64>(0),
        )? as u64)
    }
}

/// A stored document as `korolev reextract` reads it again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDocument {
    /// Its place in the store (rowid): documents are walked in this order.
    pub number: i64,
    pub id: String,
    pub source: String,
    /// The hints it was stored with: the URL it was fetched from (or `--url`) and the
    /// publication date the caller gave (ISO 8601).
    pub url: Option<String>,
    pub published: Option<String>,
    pub more: Option<MoreHints>,
}

/// What a fetch told of a page beside its URL and date, kept to read the page again as it
/// was read first: the answer's content type (its charset), and what the feed said of it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MoreHints {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
}

impl MoreHints {
    pub fn is_empty(&self) -> bool {
        *self == MoreHints::default()
    }
}

/// What the caller of [`Store::put_with`] knows beside the document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PutMeta {
    /// The URL the page was fetched from, or `--url`.
    pub url: Option<String>,
    /// The publication date the caller gave (ISO 8601).
    pub published: Option<String>,
    /// When the page was fetched or archived (unix seconds), if not now: an undated page is
    /// listed at that time.
    pub seen: Option<i64>,
    /// The version of the extraction that read it (see `korolev_pipeline::EXTRACTED_WITH`).
    pub extracted_with: Option<String>,
    /// The rest of what the caller was told of it.
    pub more: Option<MoreHints>,
}

/// Removes what was found in document `id` (its article, news row, claims, mentions, aliases)
/// and brings the facts its claims told up to date.
fn remove_derived(tx: &Connection, id: &str) -> Result<()> {
    let groups = facts::groups_of(tx, id)?;
    for table in ["news", "claims", "mentions", "aliases", "articles"] {
        tx.execute(&format!("DELETE FROM {table} WHERE document_id = ?1"), [id])?;
    }
    for key in &groups {
        facts::refold(tx, key)?;
    }
    Ok(())
}

/// Runs one statement, compiled once per connection: a page's entities, mentions and claims
/// run the same few statements hundreds of times.
pub(crate) fn exec(tx: &Connection, sql: &str, params: impl rusqlite::Params) -> Result<usize> {
    Ok(tx.prepare_cached(sql)?.execute(params)?)
}

/// Stores what was found in a document whose row is stored: its article, entities, mentions,
/// aliases and claims, the facts they tell, and its news row (`earlier`: the public number and
/// publication time it keeps).
fn insert_derived(
    tx: &Connection,
    facts: &DocumentFacts,
    now: i64,
    earlier: Option<(i64, i64)>,
    seen: Option<i64>,
) -> Result<()> {
    let doc = &facts.document;
    let a = &facts.article;
    exec(
        tx,
        "INSERT INTO articles (document_id, title, published_at, date_precision, authors, lang,
                               site_name, canonical_url, image_url, body)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            doc.id,
            a.title,
            a.published_at,
            a.date_precision.map(DatePrecision::as_str),
            serde_json::to_string(&a.authors).unwrap_or_else(|_| "[]".into()),
            a.lang,
            a.site_name,
            a.canonical_url,
            a.image_url,
            a.body
        ],
    )?;
    for e in &facts.entities {
        exec(
            tx,
            "INSERT INTO entities (id, kind, name, agency, known, occupation, class)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT(id) DO UPDATE SET
                 known = max(known, excluded.known),
                 agency = coalesce(agency, excluded.agency),
                 occupation = CASE WHEN occupation = 'astronaut' THEN occupation
                                   ELSE coalesce(excluded.occupation, occupation) END,
                 class = coalesce(excluded.class, class)",
            params![
                e.id,
                e.kind.as_str(),
                e.name,
                e.agency,
                e.known,
                e.occupation.map(Occupation::as_str),
                e.class.map(OrgClass::as_str)
            ],
        )?;
        for alias in &e.aliases {
            exec(
                tx,
                "INSERT OR IGNORE INTO aliases (entity_id, alias, document_id) VALUES (?1, ?2, ?3)",
                params![e.id, alias, doc.id],
            )?;
        }
        for m in &e.mentions {
            exec(
                tx,
                "INSERT INTO mentions (document_id, entity_id, start, end, line, text)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    doc.id,
                    e.id,
                    m.start as i64,
                    m.end as i64,
                    m.line as i64,
                    m.text
                ],
            )?;
        }
    }
    for c in &facts.claims {
        exec(
            tx,
            "INSERT INTO claims (document_id, kind, subject, object, role, date, date_precision,
                                 status, confidence, ev_start, ev_end, ev_line, ev_text,
                                 extractor, extractor_version, site, people, detail, mission,
                                 group_key)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                     ?18, ?19, ?20)",
            params![
                doc.id,
                c.kind.as_str(),
                c.subject,
                c.object,
                c.role.map(CrewRole::as_str),
                c.date,
                c.date_precision.map(DatePrecision::as_str),
                c.status.map(LaunchStatus::as_str),
                c.confidence as f64,
                c.evidence.start as i64,
                c.evidence.end as i64,
                c.evidence.line as i64,
                c.evidence.text,
                c.evidence.extractor,
                c.evidence.version,
                c.site,
                serde_json::to_string(&c.people).unwrap_or_else(|_| "[]".into()),
                c.detail,
                c.mission,
                korolev_facts::merge::group_key(c)
            ],
        )?;
    }
    let source = source_of(a.site_name.as_deref(), a.canonical_url.as_deref(), &doc.id);
    facts::add_document(tx, &facts.claims, &source)?;
    // Last: the listing's triggers read the mentions stored above.
    let launches = facts.claims.iter().any(|c| c.kind == ClaimKind::Launch);
    news::insert(tx, doc, a, now, launches, earlier, seen)?;
    Ok(())
}

impl Store {
    /// The original bytes of a stored document.
    pub fn raw(&self, id: &str) -> Result<Option<Vec<u8>>> {
        let packed: Option<Vec<u8>> = self
            .conn
            .query_row("SELECT raw FROM documents WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?;
        let Some(packed) = packed else {
            return Ok(None);
        };
        let mut out = Vec::new();
        ZlibDecoder::new(packed.as_slice())
            .read_to_end(&mut out)
            .map_err(|e| StoreError::Damaged {
                id: id.to_string(),
                reason: format!("raw bytes do not decompress: {e}"),
            })?;
        Ok(Some(out))
    }

    pub fn counts(&self) -> Result<Counts> {
        let n = |sql: &str| -> Result<u64> {
            Ok(self.conn.query_row(sql, [], |r| r.get::<_, i64>(0))? as u64)
        };
        Ok(Counts {
            documents: n("SELECT count(*) FROM documents")?,
            articles: n("SELECT count(*) FROM articles")?,
            entities: n("SELECT count(*) FROM entities")?,
            claims: n("SELECT count(*) FROM claims")?,
        })
    }

    /// Ids of all documents, in the order they were stored.
    pub fn document_ids(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id FROM documents ORDER BY rowid")?;
        let ids = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(ids)
    }

    /// Rebuilds the facts of one stored document, in the shape `korolev facts` prints.
    pub fn document_facts(&self, id: &str) -> Result<Option<DocumentFacts>> {
        let doc = self
            .conn
            .query_row(
                "SELECT id, source, format, encoding, bytes FROM documents WHERE id = ?1",
                [id],
                |r| {
                    Ok(DocumentInfo {
                        id: r.get(0)?,
                        source: r.get(1)?,
                        format: r.get(2)?,
                        encoding: r.get(3)?,
                        bytes: r.get::<_, i64>(4)? as usize,
                    })
                },
            )
            .optional()?;
        let Some(document) = doc else { return Ok(None) };
        let damaged = |reason: String| StoreError::Damaged {
            id: id.to_string(),
            reason,
        };
        let article = self.conn.query_row(
            "SELECT title, published_at, date_precision, authors, lang, site_name, canonical_url, image_url, body
             FROM articles WHERE document_id = ?1",
            [id],
            |r| {
                Ok((
                    ArticleInfo {
                        title: r.get(0)?,
                        published_at: r.get(1)?,
                        date_precision: r.get::<_, Option<String>>(2)?.as_deref().and_then(DatePrecision::parse),
                        authors: Vec::new(),
                        lang: r.get(4)?,
                        site_name: r.get(5)?,
                        canonical_url: r.get(6)?,
                        image_url: r.get(7)?,
                        body: r.get(8)?,
                    },
                    r.get::<_, String>(3)?,
                ))
            },
        ).optional()?;
        // A revision superseded by a later one keeps only its bytes.
        let Some((mut article, authors)) = article else {
            return Ok(None);
        };
        article.authors =
            serde_json::from_str(&authors).map_err(|e| damaged(format!("authors: {e}")))?;

        let mut entities: Vec<Entity> = Vec::new();
        let mut stmt = self.conn.prepare(
            "SELECT e.id, e.kind, e.name, e.agency, e.known, m.text, m.start, m.end, m.line, e.occupation, e.class
             FROM mentions m JOIN entities e ON e.id = m.entity_id
             WHERE m.document_id = ?1 ORDER BY m.rowid",
        )?;
        let mut rows = stmt.query([id])?;
        while let Some(r) = rows.next()? {
            let eid: String = r.get(0)?;
            let mention = Mention {
                text: r.get(5)?,
                start: r.get::<_, i64>(6)? as usize,
                end: r.get::<_, i64>(7)? as usize,
                line: r.get::<_, i64>(8)? as usize,
            };
            if let Some(e) = entities.iter_mut().find(|e| e.id == eid) {
                e.mentions.push(mention);
                continue;
            }
            let kind: String = r.get(1)?;
            entities.push(Entity {
                kind: EntityKind::parse(&kind)
                    .ok_or_else(|| damaged(format!("entity kind {kind:?}")))?,
                id: eid,
                name: r.get(2)?,
                agency: r.get(3)?,
                known: r.get(4)?,
                aliases: Vec::new(),
                mentions: vec![mention],
                occupation: r
                    .get::<_, Option<String>>(9)?
                    .as_deref()
                    .and_then(Occupation::parse),
                class: r
                    .get::<_, Option<String>>(10)?
                    .as_deref()
                    .and_then(OrgClass::parse),
            });
        }
        let mut stmt = self.conn.prepare(
            "SELECT entity_id, alias FROM aliases WHERE document_id = ?1 ORDER BY rowid",
        )?;
        let mut rows = stmt.query([id])?;
        while let Some(r) = rows.next()? {
            let eid: String = r.get(0)?;
            if let Some(e) = entities.iter_mut().find(|e| e.id == eid) {
                e.aliases.push(r.get(1)?);
            }
        }

        let mut claims = Vec::new();
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {CLAIM_COLUMNS} FROM claims WHERE document_id = ?1 ORDER BY id"
        ))?;
        let mut rows = stmt.query([id])?;
        while let Some(r) = rows.next()? {
            claims.push(claim_from_row(r)?);
        }
        Ok(Some(DocumentFacts {
            schema: SCHEMA.to_string(),
            document,
            article,
            entities,
            claims,
        }))
    }

    /// Everything the store's claims say, merged (see `korolev_facts::knowledge`), with
    /// `aboard` told for the day `at`: the facts kept in the store and the entities' names.
    pub fn knowledge(&self, at: &str) -> Result<Knowledge> {
        let facts = self.facts()?;
        let mut stmt = self
            .conn
            .prepare("SELECT id, kind, name, agency FROM entities ORDER BY id")?;
        let mut entities = Vec::new();
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let kind: String = r.get(1)?;
            let id: String = r.get(0)?;
            let Some(kind) = EntityKind::parse(&kind) else {
                return Err(StoreError::Damaged {
                    id,
                    reason: format!("entity kind {kind:?}"),
                });
            };
            entities.push(EntityName {
                id,
                kind,
                name: r.get(2)?,
                agency: r.get(3)?,
            });
        }
        Ok(Knowledge::of_facts(facts, entities, at))
    }

    /// Removes a stored document with its article and claims, and brings the facts it told
    /// up to date, in one transaction; false when no such document is stored.
    pub fn delete(&mut self, id: &str) -> Result<bool> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let groups = facts::groups_of(&tx, id)?;
        let removed = tx.execute("DELETE FROM documents WHERE id = ?1", [id])? > 0;
        for key in &groups {
            facts::refold(&tx, key)?;
        }
        tx.commit()?;
        Ok(removed)
    }

    /// Every spelling stored for an entity, with the document it came from.
    pub fn aliases(&self, entity_id: &str) -> Result<Vec<(String, String)>> {
        let mut stmt = self.conn.prepare("SELECT alias, document_id FROM aliases WHERE entity_id = ?1 ORDER BY alias, document_id")?;
        let rows = stmt.query_map([entity_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

/// The columns [`claim_from_row`] reads, in its order.
const CLAIM_COLUMNS: &str = "kind, subject, object, role, date, date_precision, status, confidence,
    ev_start, ev_end, ev_line, ev_text, extractor, extractor_version, site, people, detail,
    document_id, mission";

fn claim_from_row(r: &rusqlite::Row) -> Result<Claim> {
    let document: String = r.get(17)?;
    let damaged = |reason: String| StoreError::Damaged {
        id: document.clone(),
        reason,
    };
    let kind: String = r.get(0)?;
    Ok(Claim {
        kind: ClaimKind::parse(&kind).ok_or_else(|| damaged(format!("claim kind {kind:?}")))?,
        subject: r.get(1)?,
        object: r.get(2)?,
        role: r
            .get::<_, Option<String>>(3)?
            .as_deref()
            .and_then(CrewRole::parse),
        date: r.get(4)?,
        date_precision: r
            .get::<_, Option<String>>(5)?
            .as_deref()
            .and_then(DatePrecision::parse),
        status: r
            .get::<_, Option<String>>(6)?
            .as_deref()
            .and_then(LaunchStatus::parse),
        site: r.get(14)?,
        people: serde_json::from_str(&r.get::<_, String>(15)?)
            .map_err(|e| damaged(format!("claim people: {e}")))?,
        detail: r.get(16)?,
        mission: r.get(18)?,
        confidence: r.get::<_, f64>(7)? as f32,
        evidence: Evidence {
            start: r.get::<_, i64>(8)? as usize,
            end: r.get::<_, i64>(9)? as usize,
            line: r.get::<_, i64>(10)? as usize,
            text: r.get(11)?,
            extractor: r.get(12)?,
            version: r.get(13)?,
            document,
        },
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use korolev_facts::knowledge::launch_uuid;

    fn doc(n: u32, published: Option<&str>) -> DocumentFacts {
        DocumentFacts {
            schema: SCHEMA.into(),
            document: DocumentInfo {
                id: document_id(format!("page {n}").as_bytes()),
                source: format!("page{n}.html"),
                format: "html".into(),
                encoding: "UTF-8".into(),
                bytes: 6,
            },
            article: ArticleInfo {
                title: Some(format!("Story {n}")),
                published_at: published.map(String::from),
                date_precision: None,
                authors: vec!["A. Writer".into()],
                lang: Some("en".into()),
                site_name: Some("Site".into()),
                canonical_url: None,
                image_url: None,
                body: format!("Body of story {n}.\n\nMore."),
            },
            entities: Vec::new(),
            claims: Vec::new(),
        }
    }

    #[test]
    fn new_bytes_at_an_address_stored_before_are_a_revision_of_its_article() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let first = doc(1, Some("2020-01-02"));
        assert_eq!(store.put(b"page 1", &first).unwrap(), Stored::New);
        let (_, before) = store.news(&NewsQuery::default()).unwrap();
        // The same path, other bytes, another title and no date of its own.
        let mut second = doc(2, None);
        second.document.source.clone_from(&first.document.source);
        assert_eq!(store.put(b"page 2", &second).unwrap(), Stored::Revised);
        let (count, after) = store.news(&NewsQuery::default()).unwrap();
        assert_eq!(count, 1);
        assert_eq!(
            (after[0].id, after[0].title.as_str()),
            (before[0].id, "Story 2")
        );
        assert_eq!(after[0].published, before[0].published, "the date is kept");
        assert!(after[0].updated >= before[0].updated);
        // Both revisions' bytes are kept; the first, seen again, changes nothing.
        assert!(store.raw(&first.document.id).unwrap().is_some());
        assert_eq!(store.put(b"page 1", &first).unwrap(), Stored::Unchanged);
        assert_eq!(
            store.news(&NewsQuery::default()).unwrap().1[0].title,
            "Story 2"
        );
        // A canonical URL names the article wherever it was read from; a site's front page
        // names none, and standard input is only itself.
        let mut a = doc(3, None);
        a.article.canonical_url = Some("https://example.org/news/a#top".into());
        assert_eq!(
            identity(&a.document, &a.article),
            "https://example.org/news/a"
        );
        a.article.canonical_url = Some("https://example.org/".into());
        assert_eq!(identity(&a.document, &a.article), "page3.html");
        a.document.source = "-".into();
        assert_eq!(identity(&a.document, &a.article), a.document.id);
    }

    #[test]
    fn news_pages_in_order_and_a_store_from_before_the_listing_is_backfilled() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        for (n, d) in [(1, Some("2020-01-02")), (2, Some("2020-01-02")), (3, None)] {
            let f = doc(n, d);
            store.put(format!("page {n}").as_bytes(), &f).unwrap();
        }
        let q = NewsQuery {
            limit: 2,
            ..NewsQuery::default()
        };
        let (count, page) = store.news(&q).unwrap();
        assert_eq!(count, 3);
        // Undated page 3 counts as stored now, so it is newest; the tie breaks by id.
        let titles: Vec<&str> = page.iter().map(|n| n.title.as_str()).collect();
        assert_eq!(titles, ["Story 3", "Story 2"]);
        assert!(!page[0].dated && page[1].dated);
        assert_eq!(page[1].summary, "Body of story 2.");

        // A store of schema 2 had no news table: opening it fills one in.
        store
            .conn
            .execute_batch("DROP TABLE news; PRAGMA user_version = 2;")
            .unwrap();
        drop(store);
        let store = Store::open(dir.path()).unwrap();
        let (count, _) = store.news(&NewsQuery::default()).unwrap();
        assert_eq!(count, 3);
    }

    #[test]
    fn articles_that_tell_of_a_launch_are_flagged_also_in_an_older_store() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        for n in 1..=4 {
            let mut f = doc(n, Some("2021-05-06"));
            if n % 2 == 0 {
                let evidence = Evidence {
                    document: f.document.id.clone(),
                    start: 0,
                    end: 4,
                    line: 1,
                    text: "text".into(),
                    extractor: "test".into(),
                    version: "1".into(),
                };
                f.entities.push(Entity {
                    id: "spacecraft/soyuz-ms-18".into(),
                    kind: EntityKind::Spacecraft,
                    name: "Soyuz MS-18".into(),
                    agency: None,
                    known: true,
                    aliases: Vec::new(),
                    mentions: Vec::new(),
                    occupation: None,
                    class: None,
                });
                f.claims.push(Claim::new(
                    ClaimKind::Launch,
                    "spacecraft/soyuz-ms-18".into(),
                    0.9,
                    evidence,
                ));
            }
            store.put(format!("page {n}").as_bytes(), &f).unwrap();
        }
        let with = |store: &Store, has: bool| {
            let q = NewsQuery {
                has_launch: Some(has),
                ..NewsQuery::default()
            };
            let (n, page) = store.news(&q).unwrap();
            let mut titles: Vec<String> = page.into_iter().map(|a| a.title).collect();
            titles.sort();
            (n, titles)
        };
        let launched = (2, vec!["Story 2".to_string(), "Story 4".to_string()]);
        assert_eq!(with(&store, true), launched);
        assert_eq!(with(&store, false).0, 2);
        // The kept totals match counting (a time filter every article passes makes it count).
        let counted = |store: &Store, has: bool| {
            let q = NewsQuery {
                has_launch: Some(has),
                times: vec![(TimeField::Published, 0, true, true)],
                ..NewsQuery::default()
            };
            store.news(&q).unwrap().0
        };
        assert_eq!((counted(&store, true), counted(&store, false)), (2, 2));
        store
            .conn
            .execute(
                "DELETE FROM documents WHERE id = ?1",
                [document_id(b"page 4")],
            )
            .unwrap();
        assert_eq!((with(&store, true).0, with(&store, false).0), (1, 2));
        assert_eq!((counted(&store, true), counted(&store, false)), (1, 2));
        let launched = (1, vec!["Story 2".to_string()]);
        // A store of schema 5 had no flag (the added column holds 0 everywhere): opening it
        // sets the flags from the claims.
        store
            .conn
            .execute_batch(
                "DROP INDEX news_launches; UPDATE news SET launches = 0;
                 PRAGMA user_version = 5;",
            )
            .unwrap();
        assert_eq!(with(&store, true).0, 0);
        drop(store);
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(with(&store, true), launched);
    }

    #[test]
    fn an_upgrade_goes_a_step_at_a_time_and_goes_on_where_it_stopped() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        for n in 1..=4 {
            let mut f = doc(n, Some("2021-05-06"));
            let evidence = Evidence {
                document: f.document.id.clone(),
                start: 0,
                end: 4,
                line: 1,
                text: "text".into(),
                extractor: "test".into(),
                version: "1".into(),
            };
            let craft = format!("spacecraft/soyuz-ms-{}", 17 + n % 2);
            f.entities.push(Entity {
                id: craft.clone(),
                kind: EntityKind::Spacecraft,
                name: craft.clone(),
                agency: None,
                known: true,
                aliases: Vec::new(),
                mentions: Vec::new(),
                occupation: None,
                class: None,
            });
            f.claims
                .push(Claim::new(ClaimKind::Launch, craft, 0.9, evidence));
            store.put(format!("page {n}").as_bytes(), &f).unwrap();
        }
        let launched = |store: &Store| {
            let q = NewsQuery {
                has_launch: Some(true),
                ..NewsQuery::default()
            };
            store.news(&q).unwrap().0
        };
        let version = |store: &Store| -> i64 {
            store
                .conn
                .query_row("PRAGMA user_version", [], |r| r.get(0))
                .unwrap()
        };
        let facts = store.facts().unwrap();
        assert_eq!((facts.len(), launched(&store)), (2, 4));
        // The store as schema 5 left it: no article flagged, no claim grouped or merged, no
        // document named.
        store
            .conn
            .execute_batch(
                "UPDATE news SET launches = 0; UPDATE claims SET group_key = NULL;
                 DELETE FROM facts; DELETE FROM tallies; UPDATE documents SET identity = NULL;
                 PRAGMA user_version = 5;",
            )
            .unwrap();
        drop(store);
        // Stopped after the steps to 6 and 7, as a kill before the eighth leaves it: those
        // two are kept, the eighth is not begun.
        let half = Store::open_to(dir.path(), 7).unwrap();
        assert_eq!(version(&half), 7);
        assert_eq!(launched(&half), 4);
        assert!(half.facts().unwrap().is_empty());
        drop(half);
        // The next open goes on from there.
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(version(&store), SCHEMA_VERSION);
        assert_eq!(store.facts().unwrap(), facts);
        assert_eq!(launched(&store), 4);
        let unnamed: i64 = store
            .conn
            .query_row(
                "SELECT count(*) FROM documents WHERE identity IS NULL",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(unnamed, 0);
        // A store of a later korolev is refused, not touched.
        store
            .conn
            .execute_batch(&format!("PRAGMA user_version = {}", SCHEMA_VERSION + 1))
            .unwrap();
        drop(store);
        assert!(matches!(
            Store::open(dir.path()),
            Err(StoreError::NewerSchema { found, .. }) if found == SCHEMA_VERSION + 1
        ));
    }

    #[test]
    fn an_upgrade_to_schema_13_adds_the_episodes_and_the_fetch_hints() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        // A store as schema 12 made it: no episodes, no hint_more.
        store
            .conn
            .execute_batch(
                "DROP TABLE episodes; ALTER TABLE documents DROP COLUMN hint_more;
                 PRAGMA user_version = 12;",
            )
            .unwrap();
        assert!(!store.has_column("documents", "hint_more").unwrap());
        drop(store);
        let store = Store::open(dir.path()).unwrap();
        let version: i64 = store
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);
        assert!(store.has_column("documents", "hint_more").unwrap());
        assert_eq!(store.episodes(0, 10).unwrap().0, 0);
    }

    #[test]
    fn an_upgrade_to_schema_11_lists_the_facts_stored_before() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        for n in 1..=3 {
            let mut f = doc(n, Some("2021-05-06"));
            let evidence = Evidence {
                document: f.document.id.clone(),
                start: 0,
                end: 4,
                line: 1,
                text: "text".into(),
                extractor: "test".into(),
                version: "1".into(),
            };
            let mut launch = Claim::new(
                ClaimKind::Launch,
                format!("spacecraft/soyuz-ms-{}", 16 + n),
                0.9,
                evidence.clone(),
            );
            launch.date = Some(format!("2021-0{n}-09"));
            launch.people = vec![format!("person/p{n}")];
            launch.object = Some("launch_vehicle/soyuz-2-1a".into());
            let mut crew = Claim::new(ClaimKind::CrewMember, format!("person/p{n}"), 0.9, evidence);
            crew.object = Some("expedition/65".into());
            for (id, kind) in [
                (
                    format!("spacecraft/soyuz-ms-{}", 16 + n),
                    EntityKind::Spacecraft,
                ),
                (format!("person/p{n}"), EntityKind::Person),
                (
                    "launch_vehicle/soyuz-2-1a".into(),
                    EntityKind::LaunchVehicle,
                ),
                ("expedition/65".into(), EntityKind::Expedition),
            ] {
                f.entities.push(Entity {
                    name: id.clone(),
                    id,
                    kind,
                    agency: None,
                    known: true,
                    aliases: Vec::new(),
                    mentions: Vec::new(),
                    occupation: None,
                    class: None,
                });
            }
            f.claims.extend([launch, crew]);
            store.put(format!("page {n}").as_bytes(), &f).unwrap();
        }
        let listed = |store: &Store| {
            (
                store.facts_page(0, 100).unwrap(),
                store.crew_facts().unwrap(),
                store
                    .launches(&LaunchQuery {
                        limit: 10,
                        ..LaunchQuery::default()
                    })
                    .unwrap(),
                store.launch_ids(&[&launch_uuid("soyuz-ms-17")]).unwrap(),
                store.facts_about("expedition/65", 10).unwrap().len(),
            )
        };
        let want = listed(&store);
        assert_eq!(
            (want.0 .0, want.1.len(), want.2 .0, want.3.len(), want.4),
            (6, 6, 3, 1, 3)
        );
        // The store as schema 10 left it: none of what lists the facts.
        store
            .conn
            .execute_batch(
                "DROP INDEX facts_object; DROP INDEX facts_listed; DROP INDEX facts_launch_uuid;
                 DROP INDEX facts_listed_newest;
                 UPDATE facts SET object = NULL, launch_uuid = NULL, listed = NULL, status = NULL,
                                  brief = NULL;
                 DELETE FROM fact_people; DELETE FROM fact_counts; PRAGMA user_version = 10;",
            )
            .unwrap();
        assert_eq!(store.crew_facts().unwrap().len(), 0);
        drop(store);
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(listed(&store), want);
    }

    #[test]
    fn kept_news_counts_match_counting_through_inserts_deletes_and_an_upgrade() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        for n in 1..=5 {
            let mut f = doc(n, Some("2021-05-06"));
            if n % 2 == 0 {
                f.article.canonical_url = Some(format!("https://site.example/blog/post-{n}"));
            }
            store.put(format!("page {n}").as_bytes(), &f).unwrap();
        }
        // Kept totals (no filter) against counted ones (a filter every article passes).
        let totals = |store: &Store| -> Vec<(u64, u64)> {
            [
                None,
                Some(NewsKind::Article),
                Some(NewsKind::Blog),
                Some(NewsKind::Report),
            ]
            .into_iter()
            .map(|kind| {
                let kept = NewsQuery {
                    kind,
                    ..NewsQuery::default()
                };
                let counted = NewsQuery {
                    kind,
                    times: vec![(TimeField::Published, 0, true, true)],
                    ..NewsQuery::default()
                };
                (
                    store.news(&kept).unwrap().0,
                    store.news(&counted).unwrap().0,
                )
            })
            .collect()
        };
        assert_eq!(totals(&store), [(5, 5), (3, 3), (2, 2), (0, 0)]);
        store
            .conn
            .execute(
                "DELETE FROM documents WHERE id = ?1",
                [document_id(b"page 2")],
            )
            .unwrap();
        assert_eq!(totals(&store), [(4, 4), (3, 3), (1, 1), (0, 0)]);

        // A store of schema 3 kept no counts: opening it counts.
        store
            .conn
            .execute_batch("DROP TABLE news_counts; PRAGMA user_version = 3;")
            .unwrap();
        drop(store);
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(totals(&store), [(4, 4), (3, 3), (1, 1), (0, 0)]);
    }

    #[test]
    fn an_entitys_news_and_related_articles_come_from_the_kept_index() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let person = |id: &str| Entity {
            id: format!("person/{id}"),
            kind: EntityKind::Person,
            name: id.to_string(),
            agency: None,
            known: false,
            aliases: Vec::new(),
            mentions: vec![Mention {
                text: id.to_string(),
                start: 0,
                end: id.len(),
                line: 0,
            }],
            occupation: None,
            class: None,
        };
        // Page n, its day in January 2021 and whom it mentions.
        for (n, day, who) in [
            (1, 1, &["a", "b"][..]),
            (2, 5, &["a", "b"]),
            (3, 2, &["a"]),
            (4, 3, &["c"]),
        ] {
            let mut f = doc(n, Some(&format!("2021-01-0{day}")));
            f.entities = who.iter().map(|w| person(w)).collect();
            store.put(format!("page {n}").as_bytes(), &f).unwrap();
        }
        let titles =
            |items: Vec<NewsItem>| -> Vec<String> { items.into_iter().map(|n| n.title).collect() };
        assert_eq!(
            titles(store.documents_mentioning("person/a", 10).unwrap()),
            ["Story 2", "Story 3", "Story 1"]
        );
        assert_eq!(
            titles(store.documents_mentioning("person/a", 2).unwrap()),
            ["Story 2", "Story 3"]
        );
        // Story 2 shares two people with story 1, story 3 one; story 4 none.
        let one = document_id(b"page 1");
        assert_eq!(
            titles(store.related_news(&one, 5).unwrap()),
            ["Story 2", "Story 3"]
        );
        store
            .conn
            .execute(
                "DELETE FROM documents WHERE id = ?1",
                [document_id(b"page 2")],
            )
            .unwrap();
        assert_eq!(titles(store.related_news(&one, 5).unwrap()), ["Story 3"]);
        assert_eq!(
            titles(store.documents_mentioning("person/a", 10).unwrap()),
            ["Story 3", "Story 1"]
        );
    }

    #[test]
    fn searches_find_the_same_through_the_text_index_few_or_many_and_by_kind() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let bodies = [
            "Soyuz crew docks at the station.",
            "Soyuz rollout to the pad.",
            "A cargo ship leaves the station.",
            "Soyuz MS crew lands in Kazakhstan.",
            "Spacewalk on the station's truss.",
            "Soyuz fairing test.",
        ];
        for (i, body) in bodies.iter().enumerate() {
            let n = i as u32 + 1;
            let mut f = doc(n, Some(&format!("2022-03-{:02}", n)));
            f.article.body = body.to_string();
            if n == 6 {
                f.article.canonical_url = Some("https://site.example/blog/fairing".into());
            }
            store.put(format!("page {n}").as_bytes(), &f).unwrap();
        }
        let page = |store: &Store, kind: Option<NewsKind>, groups: &[&[&str]], offset: usize| {
            let q = NewsQuery {
                kind,
                text: groups
                    .iter()
                    .map(|g| (TextField::Either, g.iter().map(|w| w.to_string()).collect()))
                    .collect(),
                limit: 3,
                offset,
                ..NewsQuery::default()
            };
            let (count, page) = store.news(&q).unwrap();
            (
                count,
                page.into_iter().map(|n| n.summary).collect::<Vec<_>>(),
            )
        };
        let search = |kind: Option<NewsKind>, groups: &[&[&str]]| page(&store, kind, groups, 0);
        let s = |i: usize| bodies[i - 1].to_string();
        // Many matches (more than FEW_MATCHES in tests): read in order; newest first. The
        // first page walks few rows and matches each one's text (WALKED_ROWS in tests), the
        // second would walk more and reads the index's matches: the same either way.
        assert_eq!(search(None, &[&["SOYUZ"]]), (4, vec![s(6), s(4), s(2)]));
        assert_eq!(search(None, &[&["soyuz"]]), (4, vec![s(6), s(4), s(2)]));
        assert_eq!(page(&store, None, &[&["soyuz"]], 2), (4, vec![s(2), s(1)]));
        assert_eq!(page(&store, None, &[&["soyuz"]], 3), (4, vec![s(1)]));
        // The kind narrows (one Soyuz page is a blog), with and without the index's help.
        let articles = Some(NewsKind::Article);
        assert_eq!(search(articles, &[&["soyuz"]]), (3, vec![s(4), s(2), s(1)]));
        assert_eq!(
            search(articles, &[&["soyuz"], &["crew"]]),
            (2, vec![s(4), s(1)])
        );
        // A short word is matched row by row, alone or beside a long one.
        assert_eq!(search(articles, &[&["ms"]]), (1, vec![s(4)]));
        assert_eq!(search(articles, &[&["ms", "cargo"]]), (2, vec![s(4), s(3)]));
        // A quote in a word is a character, not syntax.
        assert_eq!(search(None, &[&["station's"]]), (1, vec![s(5)]));
        assert_eq!(search(None, &[&["\"soyuz"]]), (0, vec![]));
        // A search's count is kept until the store changes, by this connection or another.
        let mut f = doc(7, Some("2022-03-07"));
        f.article.body = "Soyuz launch abort test.".into();
        store.put(b"page 7", &f).unwrap();
        assert_eq!(page(&store, None, &[&["soyuz"]], 0).0, 5);
        let other = Store::open(dir.path()).unwrap();
        assert_eq!(page(&other, None, &[&["soyuz"]], 0).0, 5);
        let mut f = doc(8, Some("2022-03-08"));
        f.article.body = "Soyuz crew returns.".into();
        store.put(b"page 8", &f).unwrap();
        assert_eq!(page(&other, None, &[&["soyuz"]], 0).0, 6);
    }
}
