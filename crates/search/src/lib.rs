//! The search index beside the store: a tantivy index of every article, kept in step with the
//! store by following its `updated` times (whoever holds the index catches up from the store,
//! so pages stored by another process are found too), rebuilt whole when it is lost, damaged or
//! of another version.
//!
//! Text is read for English and Russian alike: words are lowercased and folded to ASCII where
//! they are Latin ("Mégane" finds "megane"), English and Russian stop words are dropped, and
//! both stemmers run — each leaves the other's script alone. A query is words, "phrases",
//! `-exclusion`, `title:`, `site:`, `author:`, `lang:`, `after:`/`before:` dates, and entity
//! filters; results rank by BM25 with the title counting three times and a little for
//! freshness, carry highlighted snippets, facet counts, and fold the same story told on
//! several sites into one hit ("also on").

mod analysis;
mod follow;
mod spellings;

pub use follow::{catch_up, CatchUp};
pub use spellings::Spellings;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::{AggContextParams, AggregationCollector};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, QueryParser, RangeQuery, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, Value, FAST,
    STORED, STRING,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

/// The directory of the index in a data directory.
pub const INDEX_DIR: &str = "search";

/// Bumped whenever the schema or the analysis changes: an index of another version is rebuilt.
const INDEX_VERSION: &str = "korolev-search 3";
const VERSION_FILE: &str = "korolev-index-version";

/// Memory for the writer's buffers.
const WRITER_BYTES: usize = 64 << 20;

/// Below this many matches a word is searched on one thread.
const RARE: u64 = 20_000;

/// The most hits looked at to fold duplicates and page through.
const MOST_CANDIDATES: usize = 1_000;

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("the search index in {dir}: {cause}")]
    Index {
        dir: PathBuf,
        cause: tantivy::TantivyError,
    },
    /// Another process (a running server) writes the index.
    #[error(
        "the search index in {0} is being written by another korolev (a running server keeps it)"
    )]
    Busy(PathBuf),
    /// The query cannot be read; the message says why, for the person who typed it.
    #[error("{0}")]
    Query(String),
    #[error("reading the store for the search index: {message}")]
    Store { message: String },
    #[error("the search index in {dir}: {cause}")]
    Io { dir: PathBuf, cause: std::io::Error },
}

pub type Result<T> = std::result::Result<T, SearchError>;

/// An article as it is indexed: the store's row of it.
pub use korolev_store::IndexRow as Doc;

/// What is asked.
#[derive(Debug, Clone)]
pub struct Query {
    /// The words, as typed.
    pub text: String,
    /// Only articles telling of each of these entities.
    pub entities: Vec<String>,
    /// Only articles telling of each of these launches (korolev's launch ids).
    pub launches: Vec<String>,
    /// Entities whose names the words spell (in either script): an article telling of one
    /// matches as if it had the word.
    pub also_entities: Vec<String>,
    /// Only sites among these, when given.
    pub sites: Vec<String>,
    /// Only articles published in this month ("2024-03"), when given.
    pub month: Option<String>,
    pub limit: usize,
    pub offset: usize,
    /// The time freshness is measured from (unix seconds).
    pub now: i64,
    /// Count the facets of all matches (site, month, language, entity).
    pub facets: bool,
}

impl Default for Query {
    fn default() -> Query {
        Query {
            text: String::new(),
            entities: Vec::new(),
            launches: Vec::new(),
            also_entities: Vec::new(),
            sites: Vec::new(),
            month: None,
            limit: 10,
            offset: 0,
            now: 0,
            facets: true,
        }
    }
}

/// One result: the article's number, and other articles telling the same story.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: i64,
    pub score: f32,
    pub site: String,
    /// The same story elsewhere: (number, site).
    pub also: Vec<(i64, String)>,
}

/// A value of a facet and how many matching articles have it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facet {
    pub value: String,
    pub count: u64,
}

/// What a search found.
#[derive(Debug, Clone, Default)]
pub struct Found {
    /// Matching articles, before folding.
    pub total: u64,
    pub hits: Vec<Hit>,
    pub sites: Vec<Facet>,
    pub months: Vec<Facet>,
    pub langs: Vec<Facet>,
    pub entities: Vec<Facet>,
}

/// Snippets of one hit, as HTML (escaped, with `<mark>` around what matched).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippets {
    pub title: String,
    pub body: String,
}

#[derive(Clone, Copy)]
struct Fields {
    id: Field,
    title: Field,
    body: Field,
    site: Field,
    site_name: Field,
    author: Field,
    lang: Field,
    month: Field,
    published: Field,
    dated: Field,
    entity: Field,
    simhash: Field,
    updated: Field,
    launch: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let words = |positions: bool| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analysis::WORDS)
                .set_index_option(if positions {
                    IndexRecordOption::WithFreqsAndPositions
                } else {
                    IndexRecordOption::WithFreqs
                }),
        )
    };
    let keyword = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analysis::KEYWORD)
            .set_index_option(IndexRecordOption::Basic),
    );
    let fields = Fields {
        id: b.add_i64_field(
            "id",
            NumericOptions::default()
                .set_indexed()
                .set_fast()
                .set_stored(),
        ),
        title: b.add_text_field("title", words(true)),
        body: b.add_text_field("body", words(true)),
        site: b.add_text_field("site", keyword),
        site_name: b.add_text_field("site_name", STRING | FAST | STORED),
        author: b.add_text_field("author", words(true)),
        lang: b.add_text_field("lang", STRING | FAST),
        month: b.add_text_field("month", STRING | FAST),
        published: b.add_i64_field(
            "published",
            NumericOptions::default().set_indexed().set_fast(),
        ),
        dated: b.add_u64_field("dated", NumericOptions::default().set_indexed().set_fast()),
        entity: b.add_text_field("entity", STRING | FAST),
        simhash: b.add_u64_field("simhash", FAST | STORED),
        updated: b.add_i64_field("updated", STORED),
        launch: b.add_text_field("launch", STRING),
    };
    (b.build(), fields)
}

/// The index of a data directory.
pub struct SearchIndex {
    dir: PathBuf,
    index: Index,
    reader: IndexReader,
    fields: Fields,
    writer: Mutex<Option<IndexWriter>>,
    /// Set by [`SearchIndex::close`]: nothing more is written.
    closed: std::sync::atomic::AtomicBool,
    /// The watermark searches last saw (see [`SearchIndex::reload_if_moved`]).
    seen: Mutex<(i64, i64)>,
}

impl SearchIndex {
    /// Opens the index in `data_dir`, making it where there is none and making it afresh
    /// where it is damaged or of another version (it is rebuilt from the store as it catches
    /// up). Returns whether it was made afresh.
    pub fn open(data_dir: &Path) -> Result<(SearchIndex, bool)> {
        let dir = data_dir.join(INDEX_DIR);
        let io = |cause| SearchError::Io {
            dir: dir.clone(),
            cause,
        };
        let version = std::fs::read_to_string(dir.join(VERSION_FILE)).ok();
        let (schema, fields) = schema();
        let existing = if version.as_deref() == Some(INDEX_VERSION) {
            Index::open_in_dir(&dir)
                .ok()
                .filter(|i| i.schema() == schema)
        } else {
            None
        };
        let fresh = existing.is_none();
        let index = match existing {
            Some(i) => i,
            None => {
                if dir.exists() {
                    std::fs::remove_dir_all(&dir).map_err(io)?;
                }
                std::fs::create_dir_all(&dir).map_err(io)?;
                let i = Index::create_in_dir(&dir, schema).map_err(|cause| SearchError::Index {
                    dir: dir.clone(),
                    cause,
                })?;
                std::fs::write(dir.join(VERSION_FILE), INDEX_VERSION).map_err(io)?;
                i
            }
        };
        let mut index = index;
        analysis::register(&index);
        // A search runs over the index's segments on every core: one request's latency
        // falls, and under load the cores are shared as before.
        if let Err(e) = index.set_default_multithread_executor() {
            return Err(SearchError::Index { dir, cause: e });
        }
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|cause| SearchError::Index {
                dir: dir.clone(),
                cause,
            })?;
        Ok((
            SearchIndex {
                dir,
                index,
                reader,
                fields,
                writer: Mutex::new(None),
                closed: Default::default(),
                seen: Mutex::new((i64::MIN, i64::MIN)),
            },
            fresh,
        ))
    }

    fn err(&self, cause: tantivy::TantivyError) -> SearchError {
        SearchError::Index {
            dir: self.dir.clone(),
            cause,
        }
    }

    /// Runs `f` with the index's writer, taken on first use; [`SearchError::Busy`] when
    /// another process holds it.
    fn writing<T>(&self, f: impl FnOnce(&mut IndexWriter) -> Result<T>) -> Result<T> {
        let mut slot = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        if self.closed.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(SearchError::Busy(self.dir.clone()));
        }
        if slot.is_none() {
            match self.index.writer(WRITER_BYTES) {
                Ok(w) => *slot = Some(w),
                Err(tantivy::TantivyError::LockFailure(..)) => {
                    return Err(SearchError::Busy(self.dir.clone()))
                }
                Err(e) => return Err(self.err(e)),
            }
        }
        match slot.as_mut() {
            Some(w) => f(w),
            None => Err(SearchError::Busy(self.dir.clone())),
        }
    }

    /// Stops writing: a write under way finishes, the writer's merges are waited for and its
    /// lock let go, so the directory can be removed or copied. Later writes are refused.
    pub fn close(&self) {
        let mut slot = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        self.closed.store(true, std::sync::atomic::Ordering::SeqCst);
        if let Some(w) = slot.take() {
            let _ = w.wait_merging_threads();
        }
    }

    /// Whether this process may write the index (no other holds it).
    pub fn writable(&self) -> bool {
        self.writing(|_| Ok(())).is_ok()
    }

    /// How far the index has followed the store: the `updated` time and number of the last
    /// article it took.
    pub fn watermark(&self) -> (i64, i64) {
        let payload = self
            .index
            .load_metas()
            .ok()
            .and_then(|m| m.payload)
            .and_then(|p| serde_json::from_str::<(i64, i64)>(&p).ok());
        payload.unwrap_or((i64::MIN, i64::MIN))
    }

    /// Indexes `docs` (replacing any article of the same number) and records `watermark`,
    /// all in one commit; searches see them at once.
    pub fn put(&self, docs: &[Doc], watermark: (i64, i64)) -> Result<()> {
        let f = self.fields;
        self.writing(|w| {
            for d in docs {
                w.delete_term(Term::from_field_i64(f.id, d.id));
                w.add_document(self.document(d)).map_err(|e| self.err(e))?;
            }
            let mut commit = w.prepare_commit().map_err(|e| self.err(e))?;
            commit.set_payload(&serde_json::to_string(&watermark).unwrap_or_default());
            commit.commit().map_err(|e| self.err(e))?;
            Ok(())
        })?;
        self.reader.reload().map_err(|e| self.err(e))
    }

    /// Empties the index (its watermark too), for a rebuild from the store.
    pub fn clear(&self) -> Result<()> {
        self.writing(|w| {
            w.delete_all_documents().map_err(|e| self.err(e))?;
            let mut commit = w.prepare_commit().map_err(|e| self.err(e))?;
            commit.set_payload("");
            commit.commit().map_err(|e| self.err(e))?;
            Ok(())
        })?;
        self.reader.reload().map_err(|e| self.err(e))
    }

    /// Sees what another process (which holds the writer) committed, when it has moved on
    /// since last looked: returns whether it had.
    pub fn reload_if_moved(&self) -> bool {
        let now = self.watermark();
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        if *seen == now {
            return false;
        }
        *seen = now;
        self.reader.reload().is_ok()
    }

    /// Sees what another process committed since.
    pub fn reload(&self) -> Result<()> {
        self.reader.reload().map_err(|e| self.err(e))
    }

    /// How many articles the index holds.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn document(&self, d: &Doc) -> TantivyDocument {
        let f = self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_i64(f.id, d.id);
        doc.add_text(f.title, &d.title);
        doc.add_text(f.body, &d.body);
        doc.add_text(f.site, &d.site);
        doc.add_text(f.site_name, &d.site);
        for a in &d.authors {
            doc.add_text(f.author, a);
        }
        if let Some(lang) = d.lang.as_deref().filter(|l| !l.is_empty()) {
            doc.add_text(f.lang, lang);
        }
        if d.dated {
            doc.add_text(f.month, analysis::month_of(d.published));
        }
        doc.add_i64(f.published, d.published);
        doc.add_u64(f.dated, u64::from(d.dated));
        for e in &d.entities {
            doc.add_text(f.entity, e);
        }
        doc.add_u64(f.simhash, analysis::simhash(&d.body));
        doc.add_i64(f.updated, d.updated);
        for l in &d.launches {
            doc.add_text(f.launch, l);
        }
        doc
    }

    /// The query `q` asks, for tantivy; an error names what cannot be read.
    fn parse(&self, q: &Query) -> Result<Box<dyn tantivy::query::Query>> {
        let f = self.fields;
        let plan = analysis::plan(&q.text).map_err(SearchError::Query)?;
        let mut parser = QueryParser::for_index(&self.index, vec![f.title, f.body]);
        parser.set_conjunction_by_default();
        parser.set_field_boost(f.title, 3.0);
        let mut must: Vec<(Occur, Box<dyn tantivy::query::Query>)> = Vec::new();
        // Exclusions stand apart, so that no entity a name stands for brings back what they
        // leave out.
        let (negative, positive): (Vec<String>, Vec<String>) = analysis::split(&plan.words)
            .into_iter()
            .partition(|t| t.starts_with('-') && t.len() > 1);
        for t in &negative {
            let (excluded, _) = parser.parse_query_lenient(&t[1..]);
            must.push((Occur::MustNot, excluded));
        }
        let positive = positive.join(" ");
        if !positive.trim().is_empty() {
            let (words, _) = parser.parse_query_lenient(&positive);
            let mut terms = 0;
            words.query_terms(&mut |_, _| terms += 1);
            if terms == 0 && plan.positive_words() && q.also_entities.is_empty() {
                // Only stop words or marks: nothing to find.
                return Ok(Box::new(tantivy::query::EmptyQuery));
            }
            let words: Box<dyn tantivy::query::Query> = if q.also_entities.is_empty() {
                words
            } else {
                // Or: an article that tells of an entity the words name, whatever its script.
                let mut either: Vec<(Occur, Box<dyn tantivy::query::Query>)> =
                    vec![(Occur::Should, words)];
                for e in &q.also_entities {
                    either.push((Occur::Should, self.entity_query(e)));
                }
                Box::new(BooleanQuery::new(either))
            };
            must.push((Occur::Must, words));
        }
        for e in &q.entities {
            must.push((Occur::Must, self.entity_query(e)));
        }
        for l in &q.launches {
            must.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(f.launch, l),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        for (field, value) in &plan.fields {
            let field = match field.as_str() {
                "site" => f.site,
                "author" => f.author,
                "title" => f.title,
                _ => f.lang,
            };
            let (parsed, _) = QueryParser::for_index(&self.index, vec![field])
                .parse_query_lenient(&format!("\"{}\"", value.replace('"', " ")));
            must.push((Occur::Must, parsed));
        }
        for (field, value) in &plan.excluded_fields {
            let field = if field == "site" { f.site } else { f.author };
            let (parsed, _) = QueryParser::for_index(&self.index, vec![field])
                .parse_query_lenient(&format!("\"{}\"", value.replace('"', " ")));
            must.push((Occur::MustNot, parsed));
        }
        if !q.sites.is_empty() {
            let sites: Vec<(Occur, Box<dyn tantivy::query::Query>)> = q
                .sites
                .iter()
                .map(|s| {
                    let t: Box<dyn tantivy::query::Query> = Box::new(TermQuery::new(
                        Term::from_field_text(f.site_name, s),
                        IndexRecordOption::Basic,
                    ));
                    (Occur::Should, t)
                })
                .collect();
            must.push((Occur::Must, Box::new(BooleanQuery::new(sites))));
        }
        if let Some(m) = &q.month {
            must.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(f.month, m),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        if plan.after.is_some() || plan.before.is_some() {
            use std::ops::Bound;
            let lower = plan.after.map_or(Bound::Unbounded, |t| {
                Bound::Included(Term::from_field_i64(f.published, t))
            });
            let upper = plan.before.map_or(Bound::Unbounded, |t| {
                Bound::Excluded(Term::from_field_i64(f.published, t))
            });
            must.push((Occur::Must, Box::new(RangeQuery::new(lower, upper))));
            // An undated article's time is when it was stored, not when it happened.
            must.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_u64(f.dated, 1),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        if must.iter().all(|(o, _)| *o == Occur::MustNot) {
            // Exclusions alone: everything but them.
            must.push((Occur::Must, Box::new(tantivy::query::AllQuery)));
        }
        let mut terms = 0usize;
        for (_, clause) in &must {
            clause.query_terms(&mut |_, _| terms += 1);
        }
        if terms > analysis::MOST_TERMS * 2 {
            return Err(SearchError::Query(format!(
                "the query makes {terms} terms; give at most {}",
                analysis::MOST_TERMS * 2
            )));
        }
        // One clause alone is asked as itself: a word's count is then read, not counted.
        if must.len() == 1 && must[0].0 == Occur::Must {
            if let Some((_, only)) = must.pop() {
                return Ok(only);
            }
        }
        Ok(Box::new(BooleanQuery::new(must)))
    }

    fn entity_query(&self, entity: &str) -> Box<dyn tantivy::query::Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(self.fields.entity, entity),
            IndexRecordOption::Basic,
        ))
    }

    /// Searches: the page of hits asked for (duplicates folded), the total, and the facets.
    pub fn search(&self, q: &Query) -> Result<Found> {
        let query = self.parse(q)?;
        let searcher = self.reader.searcher();
        let asked = q.offset.saturating_add(q.limit);
        let mut wanted = asked.saturating_mul(3).clamp(30, MOST_CANDIDATES);
        let facets = || {
            q.facets.then(|| {
                AggregationCollector::from_aggs(
                    facet_request(),
                    AggContextParams::new(Default::default(), self.index.tokenizers().clone()),
                )
            })
        };
        // A word alone: ranked by BM25 with the blocks that cannot make the top skipped, and
        // its count read off the index. Anything else (phrases, several words, filters) must
        // visit every match to count it, so the ranking, the count and the facets are one
        // pass. Freshness then reorders the candidates; folding may leave fewer hits than
        // asked for, and more candidates are taken then, up to the deepest.
        let one_term = query.downcast_ref::<TermQuery>().is_some();
        // A rare word is answered on this thread: handing a few hundred matches to the other
        // cores costs more than it saves.
        let mut rare = false;
        if one_term {
            let mut freq = u64::MAX;
            query.query_terms(&mut |t, _| freq = searcher.doc_freq(t).unwrap_or(u64::MAX));
            rare = freq < RARE;
        }
        let mut first_pass = None;
        let kept = loop {
            let scored = if one_term {
                let top = TopDocs::with_limit(wanted).order_by_score();
                if rare {
                    searcher.search_with_executor(
                        &query,
                        &top,
                        &tantivy::Executor::single_thread(),
                        tantivy::query::EnableScoring::enabled_from_searcher(&searcher),
                    )
                } else {
                    searcher.search(&query, &top)
                }
                .map_err(|e| self.err(e))?
            } else {
                let (scored, total, aggs) = searcher
                    .search(
                        &query,
                        &(
                            TopDocs::with_limit(wanted).order_by_score(),
                            Count,
                            facets(),
                        ),
                    )
                    .map_err(|e| self.err(e))?;
                first_pass.get_or_insert((
                    total,
                    aggs.map(|a| serde_json::to_value(&a).unwrap_or_default()),
                ));
                scored
            };
            let exhausted = scored.len() < wanted || wanted >= MOST_CANDIDATES;
            let kept = self.fold(&searcher, self.fresher(&searcher, scored, q.now))?;
            if kept.len() >= asked || exhausted {
                break kept;
            }
            wanted = wanted.saturating_mul(4).min(MOST_CANDIDATES);
        };
        let (total, aggs) = match first_pass {
            Some(counted) => counted,
            None => {
                let total = query.count(&searcher).map_err(|e| self.err(e))?;
                let aggs = if q.facets {
                    Some(self.facets_apart(&searcher, &*query)?)
                } else {
                    None
                };
                (total, aggs)
            }
        };
        let hits = kept.into_iter().skip(q.offset).take(q.limit).collect();
        let aggs = aggs.unwrap_or_default();
        let bucket = |name: &str| -> Vec<Facet> {
            aggs[name]["buckets"]
                .as_array()
                .map(|b| {
                    b.iter()
                        .filter_map(|x| {
                            Some(Facet {
                                value: x["key"].as_str()?.to_string(),
                                count: x["doc_count"].as_u64()?,
                            })
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        let mut months = bucket("month");
        months.sort_by(|a, b| b.value.cmp(&a.value));
        Ok(Found {
            total: total as u64,
            hits,
            sites: bucket("site"),
            months,
            langs: bucket("lang"),
            entities: bucket("entity"),
        })
    }

    /// The facets of a word's matches, half of them on another thread: each half is a pass
    /// over the matches, and the two run side by side.
    fn facets_apart(
        &self,
        searcher: &tantivy::Searcher,
        query: &dyn tantivy::query::Query,
    ) -> Result<serde_json::Value> {
        let (first, second) = FACETS.split_at(2);
        let context = || AggContextParams::new(Default::default(), self.index.tokenizers().clone());
        let (a, b) = std::thread::scope(|s| {
            let other = s.spawn(|| {
                searcher.search(
                    query,
                    &AggregationCollector::from_aggs(facets_of(first), context()),
                )
            });
            let here = searcher.search(
                query,
                &AggregationCollector::from_aggs(facets_of(second), context()),
            );
            (other.join(), here)
        });
        let a = a
            .map_err(|_| {
                self.err(tantivy::TantivyError::InternalError(
                    "the thread counting facets stopped".into(),
                ))
            })?
            .map_err(|e| self.err(e))?;
        let b = b.map_err(|e| self.err(e))?;
        let mut merged = serde_json::to_value(&a).unwrap_or_default();
        if let (Some(m), serde_json::Value::Object(rest)) = (
            merged.as_object_mut(),
            serde_json::to_value(&b).unwrap_or_default(),
        ) {
            m.extend(rest);
        }
        Ok(merged)
    }

    /// The candidates reordered with a little for freshness: up to a fifth more for today's
    /// news, fading over a year or so; undated articles get none.
    fn fresher(
        &self,
        searcher: &tantivy::Searcher,
        scored: Vec<(tantivy::Score, DocAddress)>,
        now: i64,
    ) -> Vec<(tantivy::Score, DocAddress)> {
        let mut out: Vec<(tantivy::Score, DocAddress)> = scored
            .into_iter()
            .map(|(score, a)| {
                let fast = searcher.segment_reader(a.segment_ord).fast_fields();
                let published = fast.i64("published").ok().and_then(|c| c.first(a.doc_id));
                let dated = fast.u64("dated").ok().and_then(|c| c.first(a.doc_id));
                let boost = match (published, dated) {
                    (Some(p), Some(1)) => {
                        let age_days = ((now - p).max(0) / 86_400) as f32;
                        1.0 + 0.2 / (1.0 + age_days / 180.0)
                    }
                    _ => 1.0,
                };
                (score * boost, a)
            })
            .collect();
        out.sort_by(|x, y| y.0.total_cmp(&x.0));
        out
    }

    /// Hits in order, a hit whose text is nearly a better-ranked one's folded under it.
    fn fold(
        &self,
        searcher: &tantivy::Searcher,
        scored: Vec<(tantivy::Score, DocAddress)>,
    ) -> Result<Vec<Hit>> {
        let mut kept: Vec<(Hit, u64)> = Vec::new();
        for (score, address) in scored {
            let (id, site, hash) = self.stored(searcher, address)?;
            if let Some((first, _)) = kept.iter_mut().find(|(_, h)| analysis::near(*h, hash)) {
                first.also.push((id, site));
                continue;
            }
            kept.push((
                Hit {
                    id,
                    score,
                    site,
                    also: Vec::new(),
                },
                hash,
            ));
        }
        Ok(kept.into_iter().map(|(h, _)| h).collect())
    }

    fn stored(
        &self,
        searcher: &tantivy::Searcher,
        address: DocAddress,
    ) -> Result<(i64, String, u64)> {
        let f = self.fields;
        let doc: TantivyDocument = searcher.doc(address).map_err(|e| self.err(e))?;
        let id = doc.get_first(f.id).and_then(|v| v.as_i64()).unwrap_or(0);
        let site = doc
            .get_first(f.site_name)
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string();
        let hash = doc
            .get_first(f.simhash)
            .and_then(|v| v.as_u64())
            .unwrap_or(0);
        Ok((id, site, hash))
    }

    /// Whether the index holds article `id` as stored at `updated`.
    pub fn holds(&self, id: i64, updated: i64) -> bool {
        let searcher = self.reader.searcher();
        let q = TermQuery::new(
            Term::from_field_i64(self.fields.id, id),
            IndexRecordOption::Basic,
        );
        let Ok(found) = searcher.search(&q, &tantivy::collector::DocSetCollector) else {
            return false;
        };
        found.into_iter().any(|a| {
            searcher
                .doc::<TantivyDocument>(a)
                .ok()
                .and_then(|d| d.get_first(self.fields.updated).and_then(|v| v.as_i64()))
                == Some(updated)
        })
    }

    /// The articles among `ids` that tell the same story as one listed before them (by
    /// their bodies' fingerprints): each such article's number with the number of the first
    /// one. Articles the index does not hold are left alone.
    pub fn same_stories(&self, ids: &[i64]) -> HashMap<i64, i64> {
        let searcher = self.reader.searcher();
        let mut seen: Vec<(i64, u64)> = Vec::new();
        let mut out = HashMap::new();
        for &id in ids {
            let q = TermQuery::new(
                Term::from_field_i64(self.fields.id, id),
                IndexRecordOption::Basic,
            );
            let Ok(found) = searcher.search(&q, &tantivy::collector::DocSetCollector) else {
                continue;
            };
            let Some(hash) = found
                .into_iter()
                .next()
                .and_then(|a| self.stored(&searcher, a).ok())
                .map(|(_, _, h)| h)
            else {
                continue;
            };
            match seen.iter().find(|(_, h)| analysis::near(*h, hash)) {
                Some((first, _)) => {
                    out.insert(id, *first);
                }
                None => seen.push((id, hash)),
            }
        }
        out
    }

    /// Snippets of an article for query `q`: its title and the best passage of `body`, with
    /// what matched marked.
    pub fn snippets(&self, q: &Query, title: &str, body: &str) -> Result<Snippets> {
        let query = self.parse(q)?;
        let searcher = self.reader.searcher();
        let mark = |field: Field, text: &str, chars: usize| -> Result<String> {
            let mut g =
                SnippetGenerator::create(&searcher, &*query, field).map_err(|e| self.err(e))?;
            g.set_max_num_chars(chars);
            let mut s = g.snippet(text);
            s.set_snippet_prefix_postfix("<mark>", "</mark>");
            // Paragraph breaks read as spaces in a one-line snippet.
            Ok(s.to_html().split_whitespace().collect::<Vec<_>>().join(" "))
        };
        let title_html = mark(self.fields.title, title, title.len().max(1))?;
        let mut body_html = mark(self.fields.body, body, 240)?;
        if body_html.is_empty() {
            // No word of the body matched (a title or entity match): its start.
            let start: String = body.chars().take(240).collect();
            body_html = analysis::escape(&start.split_whitespace().collect::<Vec<_>>().join(" "));
        }
        Ok(Snippets {
            title: if title_html.is_empty() {
                analysis::escape(title)
            } else {
                title_html
            },
            body: body_html,
        })
    }
}

/// The facets, by name: the field counted and how many values are kept.
const FACETS: [(&str, &str, u32); 4] = [
    ("site", "site_name", 10),
    ("month", "month", 24),
    ("lang", "lang", 5),
    ("entity", "entity", 10),
];

fn facet_request() -> Aggregations {
    facets_of(&FACETS)
}

fn facets_of(facets: &[(&str, &str, u32)]) -> Aggregations {
    let request: BTreeMap<&str, serde_json::Value> = facets
        .iter()
        .map(|(name, field, size)| {
            (
                *name,
                serde_json::json!({"terms": {"field": field, "size": size}}),
            )
        })
        .collect();
    serde_json::from_value(serde_json::to_value(request).unwrap_or_default()).unwrap_or_default()
}
