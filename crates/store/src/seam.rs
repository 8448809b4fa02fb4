//! The storage seam: what the server reads ([`Reader`]) and what the pipeline writes
//! ([`Writer`]), as traits that [`Store`] (SQLite) implements and that a PostgreSQL backend is
//! to implement next. The web and pipeline crates name only these traits, never SQL.

use crate::{
    Episode, FetchRecord, LaunchQuery, NewsItem, NewsQuery, PutMeta, Result, SourceStatus, Store,
    StoreError, Stored, StoredDocument,
};
use korolev_facts::knowledge::EntityName;
use korolev_facts::merge::Fact;
use korolev_facts::model::DocumentFacts;
use std::collections::HashMap;

/// What the server reads: the news listing, the merged facts a page at a time, one document's
/// facts.
pub trait Reader: Send {
    /// A number that changes whenever another connection has written: what a reader keeps
    /// is stale once it does.
    fn data_version(&self) -> Result<i64>;
    /// Runs `f` with everything it reads of one moment of the store.
    fn in_one_read(&self, f: &mut dyn FnMut(&dyn Reader) -> Result<()>) -> Result<()>;
    /// The facts that put people in a crew or aboard a flight (bounded by the crewed flights
    /// told, not by the articles).
    fn crew_facts(&self) -> Result<Vec<Fact>>;
    fn facts_page(&self, offset: usize, limit: usize) -> Result<(u64, Vec<Fact>)>;
    fn facts_about(&self, entity_id: &str, limit: usize) -> Result<Vec<Fact>>;
    fn launches(&self, q: &LaunchQuery) -> Result<(u64, Vec<(String, Fact)>)>;
    fn launch(&self, id: &str) -> Result<Option<Fact>>;
    /// The launch id of each UUID of `uuids` that names a launch.
    fn launch_ids(&self, uuids: &[&str]) -> Result<HashMap<String, String>>;
    fn entities_named(&self, ids: &[&str]) -> Result<Vec<EntityName>>;
    /// With `flew`, only the people the facts put in a crew or aboard a flight.
    fn entities_page(
        &self,
        flew: bool,
        offset: usize,
        limit: usize,
    ) -> Result<(u64, Vec<EntityName>)>;
    fn news(&self, q: &NewsQuery) -> Result<(u64, Vec<NewsItem>)>;
    fn news_item(&self, id: i64) -> Result<Option<NewsItem>>;
    fn news_of_documents(&self, document_ids: &[&str]) -> Result<HashMap<String, NewsItem>>;
    fn news_neighbours(&self, item: &NewsItem) -> Result<(Option<NewsItem>, Option<NewsItem>)>;
    fn latest_news(&self, dated: bool, limit: usize) -> Result<Vec<NewsItem>>;
    fn news_max_id(&self) -> Result<i64>;
    fn news_stamps(&self, first: i64, last: i64) -> Result<Vec<(i64, i64)>>;
    fn news_sites(&self) -> Result<Vec<(String, u64)>>;
    fn news_days(&self, start: i64, end: i64) -> Result<Vec<(i64, u64)>>;
    fn news_span(&self) -> Result<Option<(i64, i64)>>;
    fn documents_mentioning(&self, entity_id: &str, limit: usize) -> Result<Vec<NewsItem>>;
    fn related_news(&self, document_id: &str, limit: usize) -> Result<Vec<NewsItem>>;
    fn document_facts(&self, id: &str) -> Result<Option<DocumentFacts>>;
    fn launches_of(&self, documents: &[&str]) -> Result<HashMap<String, Vec<String>>>;
    /// The podcast episodes, newest first, a page at a time, with how many there are.
    fn episodes(&self, offset: usize, limit: usize) -> Result<(u64, Vec<Episode>)>;
    /// The newest episodes whose page mentions the entity.
    fn episodes_about(&self, entity_id: &str, limit: usize) -> Result<Vec<Episode>>;
    /// The episodes whose page is the article with this news number.
    fn episodes_of_article(&self, article: i64) -> Result<Vec<Episode>>;
    /// The kept copy of a lead image, by the key it is served under.
    fn image_by_key(&self, key: &str) -> Result<Option<crate::KeptImage>>;
    /// The key of each image address of `urls` whose copy is kept.
    fn image_keys(&self, urls: &[&str]) -> Result<HashMap<String, String>>;
    /// How each source fetched so far has fared.
    fn source_statuses(&self) -> Result<Vec<SourceStatus>>;
    /// The schema version the store is at; an error when it cannot be read.
    fn schema_version(&self) -> Result<i64>;
    /// Every name and alias of every entity: (id, spelling).
    fn entity_spellings(&self) -> Result<Vec<(String, String)>>;
    /// The next articles for the search index, after `after` (updated, number).
    fn index_rows(&self, after: (i64, i64), limit: usize) -> Result<Vec<crate::IndexRow>>;
    /// The text of articles by number.
    fn bodies(&self, ids: &[i64]) -> Result<HashMap<i64, String>>;
    /// How many documents, articles, entities and claims are stored.
    fn counts(&self) -> Result<crate::Counts>;
}

/// What the pipeline writes, and reads to decide what to write.
pub trait Writer {
    fn contains(&self, id: &str) -> Result<bool>;
    fn add_source(&self, id: &str, source: &str) -> Result<()>;
    fn put_with(&mut self, raw: &[u8], facts: &DocumentFacts, meta: &PutMeta) -> Result<Stored>;
    /// Many documents in one transaction, each stored or refused on its own.
    fn put_many(
        &mut self,
        docs: &[(&[u8], &DocumentFacts, &PutMeta)],
    ) -> Result<Vec<Result<Stored>>>;
    fn replace_facts(&mut self, facts: &DocumentFacts, extracted_with: &str) -> Result<bool>;
    fn raw(&self, id: &str) -> Result<Option<Vec<u8>>>;
    fn documents_to_reextract(
        &self,
        after: i64,
        limit: usize,
        extracted_with: Option<&str>,
    ) -> Result<Vec<StoredDocument>>;
    fn count_to_reextract(&self, extracted_with: Option<&str>) -> Result<u64>;
}

impl Reader for Store {
    fn data_version(&self) -> Result<i64> {
        Store::data_version(self)
    }
    fn in_one_read(&self, f: &mut dyn FnMut(&dyn Reader) -> Result<()>) -> Result<()> {
        self.reading(|s| f(s))
    }
    fn crew_facts(&self) -> Result<Vec<Fact>> {
        Store::crew_facts(self)
    }
    fn facts_page(&self, offset: usize, limit: usize) -> Result<(u64, Vec<Fact>)> {
        Store::facts_page(self, offset, limit)
    }
    fn facts_about(&self, entity_id: &str, limit: usize) -> Result<Vec<Fact>> {
        Store::facts_about(self, entity_id, limit)
    }
    fn launches(&self, q: &LaunchQuery) -> Result<(u64, Vec<(String, Fact)>)> {
        Store::launches(self, q)
    }
    fn launch(&self, id: &str) -> Result<Option<Fact>> {
        Store::launch(self, id)
    }
    fn launch_ids(&self, uuids: &[&str]) -> Result<HashMap<String, String>> {
        Store::launch_ids(self, uuids)
    }
    fn entities_named(&self, ids: &[&str]) -> Result<Vec<EntityName>> {
        Store::entities_named(self, ids)
    }
    fn entities_page(
        &self,
        flew: bool,
        offset: usize,
        limit: usize,
    ) -> Result<(u64, Vec<EntityName>)> {
        Store::entities_page(self, flew, offset, limit)
    }
    fn news(&self, q: &NewsQuery) -> Result<(u64, Vec<NewsItem>)> {
        Store::news(self, q)
    }
    fn news_item(&self, id: i64) -> Result<Option<NewsItem>> {
        Store::news_item(self, id)
    }
    fn news_of_documents(&self, document_ids: &[&str]) -> Result<HashMap<String, NewsItem>> {
        Store::news_of_documents(self, document_ids)
    }
    fn news_neighbours(&self, item: &NewsItem) -> Result<(Option<NewsItem>, Option<NewsItem>)> {
        Store::news_neighbours(self, item)
    }
    fn latest_news(&self, dated: bool, limit: usize) -> Result<Vec<NewsItem>> {
        Store::latest_news(self, dated, limit)
    }
    fn news_max_id(&self) -> Result<i64> {
        Store::news_max_id(self)
    }
    fn news_stamps(&self, first: i64, last: i64) -> Result<Vec<(i64, i64)>> {
        Store::news_stamps(self, first, last)
    }
    fn news_sites(&self) -> Result<Vec<(String, u64)>> {
        Store::news_sites(self)
    }
    fn news_days(&self, start: i64, end: i64) -> Result<Vec<(i64, u64)>> {
        Store::news_days(self, start, end)
    }
    fn news_span(&self) -> Result<Option<(i64, i64)>> {
        Store::news_span(self)
    }
    fn documents_mentioning(&self, entity_id: &str, limit: usize) -> Result<Vec<NewsItem>> {
        Store::documents_mentioning(self, entity_id, limit)
    }
    fn related_news(&self, document_id: &str, limit: usize) -> Result<Vec<NewsItem>> {
        Store::related_news(self, document_id, limit)
    }
    fn document_facts(&self, id: &str) -> Result<Option<DocumentFacts>> {
        Store::document_facts(self, id)
    }
    fn launches_of(&self, documents: &[&str]) -> Result<HashMap<String, Vec<String>>> {
        Store::launches_of(self, documents)
    }
    fn episodes(&self, offset: usize, limit: usize) -> Result<(u64, Vec<Episode>)> {
        Store::episodes(self, offset, limit)
    }
    fn episodes_about(&self, entity_id: &str, limit: usize) -> Result<Vec<Episode>> {
        Store::episodes_about(self, entity_id, limit)
    }
    fn episodes_of_article(&self, article: i64) -> Result<Vec<Episode>> {
        Store::episodes_of_article(self, article)
    }
    fn image_by_key(&self, key: &str) -> Result<Option<crate::KeptImage>> {
        Store::image_by_key(self, key)
    }
    fn image_keys(&self, urls: &[&str]) -> Result<HashMap<String, String>> {
        Store::image_keys(self, urls)
    }
    fn source_statuses(&self) -> Result<Vec<SourceStatus>> {
        Store::source_statuses(self)
    }
    fn index_rows(&self, after: (i64, i64), limit: usize) -> Result<Vec<crate::IndexRow>> {
        Store::index_rows(self, after, limit)
    }
    fn bodies(&self, ids: &[i64]) -> Result<HashMap<i64, String>> {
        Store::bodies(self, ids)
    }
    fn entity_spellings(&self) -> Result<Vec<(String, String)>> {
        Store::entity_spellings(self)
    }
    fn counts(&self) -> Result<crate::Counts> {
        Store::counts(self)
    }
    fn schema_version(&self) -> Result<i64> {
        Store::schema_version(self)
    }
}

impl Writer for Store {
    fn contains(&self, id: &str) -> Result<bool> {
        Store::contains(self, id)
    }
    fn add_source(&self, id: &str, source: &str) -> Result<()> {
        Store::add_source(self, id, source)
    }
    fn put_with(&mut self, raw: &[u8], facts: &DocumentFacts, meta: &PutMeta) -> Result<Stored> {
        Store::put_with(self, raw, facts, meta)
    }
    fn put_many(
        &mut self,
        docs: &[(&[u8], &DocumentFacts, &PutMeta)],
    ) -> Result<Vec<Result<Stored>>> {
        Store::put_many(self, docs)
    }
    fn replace_facts(&mut self, facts: &DocumentFacts, extracted_with: &str) -> Result<bool> {
        Store::replace_facts(self, facts, extracted_with)
    }
    fn raw(&self, id: &str) -> Result<Option<Vec<u8>>> {
        Store::raw(self, id)
    }
    fn documents_to_reextract(
        &self,
        after: i64,
        limit: usize,
        extracted_with: Option<&str>,
    ) -> Result<Vec<StoredDocument>> {
        Store::documents_to_reextract(self, after, limit, extracted_with)
    }
    fn count_to_reextract(&self, extracted_with: Option<&str>) -> Result<u64> {
        Store::count_to_reextract(self, extracted_with)
    }
}

/// What the fetcher keeps between runs: the validators of each address's last answer and
/// each source's health (see `fetched.rs`).
pub trait FetchLog {
    fn fetched(&self, url: &str) -> Result<Option<FetchRecord>>;
    fn record_fetch(&self, record: &FetchRecord) -> Result<()>;
    fn source_status(&self, url: &str) -> Result<Option<SourceStatus>>;
    fn source_statuses(&self) -> Result<Vec<SourceStatus>>;
    fn record_source(&self, status: &SourceStatus) -> Result<()>;
    fn record_episode(&self, episode: &Episode) -> Result<()>;
    /// Whether the lead image at `url` was asked for before, kept or not.
    fn image_tried(&self, url: &str) -> Result<bool>;
    /// Keeps a copy of the lead image at `url` fetched at `at`, or why there is none.
    fn keep_image(
        &self,
        url: &str,
        got: std::result::Result<&crate::KeptImage, &str>,
        at: i64,
    ) -> Result<()>;
}

impl FetchLog for Store {
    fn fetched(&self, url: &str) -> Result<Option<FetchRecord>> {
        Store::fetched(self, url)
    }
    fn record_fetch(&self, record: &FetchRecord) -> Result<()> {
        Store::record_fetch(self, record)
    }
    fn source_status(&self, url: &str) -> Result<Option<SourceStatus>> {
        Store::source_status(self, url)
    }
    fn source_statuses(&self) -> Result<Vec<SourceStatus>> {
        Store::source_statuses(self)
    }
    fn record_source(&self, status: &SourceStatus) -> Result<()> {
        Store::record_source(self, status)
    }
    fn record_episode(&self, episode: &Episode) -> Result<()> {
        Store::record_episode(self, episode)
    }
    fn image_tried(&self, url: &str) -> Result<bool> {
        Store::image_tried(self, url)
    }
    fn keep_image(
        &self,
        url: &str,
        got: std::result::Result<&crate::KeptImage, &str>,
        at: i64,
    ) -> Result<()> {
        Store::keep_image(self, url, got, at)
    }
}

/// Runs `f` in one read of `reader` and gives back what it returns.
pub fn read_once<T>(reader: &dyn Reader, f: impl FnOnce(&dyn Reader) -> Result<T>) -> Result<T> {
    let mut f = Some(f);
    let mut out = None;
    reader.in_one_read(&mut |r| {
        let f = f.take().ok_or_else(|| StoreError::Damaged {
            id: String::new(),
            reason: "a read ran twice".into(),
        })?;
        out = Some(f(r)?);
        Ok(())
    })?;
    out.ok_or_else(|| StoreError::Damaged {
        id: String::new(),
        reason: "a read did not run".into(),
    })
}
