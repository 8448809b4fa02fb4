//! The merged facts, kept in the store and brought up to date with every document stored or
//! removed, in the same transaction.
//!
//! Claims that tell of one thing share a group key (`korolev_facts::merge::group_key`). Most
//! groups are one fact: the store keeps their [`Tally`] (the claims counted by document) and
//! adds each new document's claims to it, so storing a page costs the same whatever number of
//! pages told the same before. A group that may be several flights (a capsule that flies
//! again) is merged again from its claims; so is any group a document leaves. Either way the
//! stored fact is the one `korolev_facts::merge::merge` gives for the same claims, which
//! [`Store::rebuild_facts`] checks.

use crate::{claim_from_row, Result, Store, StoreError, CLAIM_COLUMNS};
use korolev_facts::knowledge::{is_listed_launch, launch_id, launch_uuid, source_of};
use korolev_facts::merge::{flies_again, group_key, merge_group, Fact, Tally};
use korolev_facts::model::{Claim, ClaimKind};
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::{BTreeMap, HashMap};

pub(crate) const FACTS_SQL: &str = r#"
CREATE TABLE IF NOT EXISTS tallies (
    group_key TEXT PRIMARY KEY,
    tally     TEXT NOT NULL                  -- JSON of korolev_facts::merge::Tally
);
CREATE TABLE IF NOT EXISTS facts (
    id        INTEGER PRIMARY KEY,
    group_key TEXT NOT NULL,
    flight    INTEGER NOT NULL,              -- 0, or the flight of a craft that flies again
    kind      TEXT NOT NULL,
    subject   TEXT NOT NULL,
    date      TEXT,
    launch_id TEXT,                          -- a launch's id (korolev_facts::knowledge::launch_id)
    fact      TEXT NOT NULL,                 -- JSON of korolev_facts::merge::Fact
    object    TEXT,                          -- schema 11: what the fact tells of besides its subject
    launch_uuid TEXT,                        -- schema 11: a launch's UUID (launch_uuid)
    listed    INTEGER,                       -- schema 11: 1 for a launch the lists show (is_listed_launch)
    status    TEXT,                          -- schema 11: an event's status
    brief     TEXT,                          -- schema 11: the fact without its evidence, for lists
    UNIQUE (group_key, flight)
);
CREATE INDEX IF NOT EXISTS facts_kind_date ON facts(kind, date);
CREATE INDEX IF NOT EXISTS facts_subject ON facts(subject);
CREATE INDEX IF NOT EXISTS facts_launch ON facts(launch_id) WHERE launch_id IS NOT NULL;
-- Schema 11: who each fact puts in a crew or aboard a flight (the people of an event, the
-- member of a crew), kept by triggers: astronauts and the crew knowledge are index ranges.
CREATE TABLE IF NOT EXISTS fact_people (
    person  TEXT NOT NULL,
    fact_id INTEGER NOT NULL,
    PRIMARY KEY (person, fact_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS fact_people_fact ON fact_people(fact_id);
CREATE TRIGGER IF NOT EXISTS facts_people_added AFTER INSERT ON facts BEGIN
    INSERT OR IGNORE INTO fact_people (person, fact_id)
        SELECT value, new.id FROM json_each(new.fact, '$.people')
        UNION SELECT new.subject, new.id WHERE new.kind = 'crew_member';
END;
CREATE TRIGGER IF NOT EXISTS facts_people_changed AFTER UPDATE OF fact ON facts BEGIN
    DELETE FROM fact_people WHERE fact_id = old.id;
    INSERT OR IGNORE INTO fact_people (person, fact_id)
        SELECT value, new.id FROM json_each(new.fact, '$.people')
        UNION SELECT new.subject, new.id WHERE new.kind = 'crew_member';
END;
CREATE TRIGGER IF NOT EXISTS facts_people_removed AFTER DELETE ON facts BEGIN
    DELETE FROM fact_people WHERE fact_id = old.id;
END;
-- Schema 11: how many facts there are, so that a list of them is not counted per request.
CREATE TABLE IF NOT EXISTS fact_counts (
    kind TEXT PRIMARY KEY,
    n    INTEGER NOT NULL
);
CREATE TRIGGER IF NOT EXISTS facts_counted AFTER INSERT ON facts BEGIN
    INSERT INTO fact_counts (kind, n) VALUES (new.kind, 1)
        ON CONFLICT(kind) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS facts_uncounted AFTER DELETE ON facts BEGIN
    UPDATE fact_counts SET n = n - 1 WHERE kind = old.kind;
END;
CREATE TRIGGER IF NOT EXISTS facts_recounted AFTER UPDATE OF kind ON facts BEGIN
    UPDATE fact_counts SET n = n - 1 WHERE kind = old.kind;
    INSERT INTO fact_counts (kind, n) VALUES (new.kind, 1)
        ON CONFLICT(kind) DO UPDATE SET n = n + 1;
END;
"#;

/// Indexes of the columns schema 11 added to `facts` (created once an older store has them).
pub(crate) const FACTS_LISTING_INDEX_SQL: &str = "
CREATE INDEX IF NOT EXISTS facts_object ON facts(object) WHERE object IS NOT NULL;
CREATE INDEX IF NOT EXISTS facts_listed ON facts(date IS NULL, date, launch_id)
    WHERE listed IS NOT NULL;
CREATE INDEX IF NOT EXISTS facts_listed_newest ON facts(date IS NULL, date DESC, launch_id DESC)
    WHERE listed IS NOT NULL;
CREATE INDEX IF NOT EXISTS facts_launch_uuid ON facts(launch_uuid) WHERE launch_uuid IS NOT NULL;
";

/// Fills what schema 11 keeps for the facts stored before it: the listing columns, the people
/// of each fact and the counts.
pub(crate) fn backfill_listing(tx: &Connection) -> Result<()> {
    type Listing = (
        i64,
        Option<String>,
        Option<String>,
        Option<i64>,
        Option<&'static str>,
        String,
    );
    let mut rows: Vec<Listing> = Vec::new();
    {
        let mut stmt = tx.prepare("SELECT id, group_key, fact FROM facts")?;
        let mut r = stmt.query([])?;
        while let Some(row) = r.next()? {
            let key: String = row.get(1)?;
            let json: String = row.get(2)?;
            let f: Fact = serde_json::from_str(&json).map_err(|e| damaged(&key, "fact", e))?;
            let (uuid, listed) = listing(&f);
            let brief = brief(&f).map_err(|e| damaged(&key, "fact", e))?;
            let status = f.status.map(|s| s.as_str());
            rows.push((row.get(0)?, f.object.clone(), uuid, listed, status, brief));
        }
    }
    let mut set = tx.prepare(
        "UPDATE facts SET object = ?2, launch_uuid = ?3, listed = ?4, status = ?5, brief = ?6
         WHERE id = ?1",
    )?;
    for (id, object, uuid, listed, status, brief) in rows {
        set.execute(params![id, object, uuid, listed, status, brief])?;
    }
    tx.execute_batch(
        "DELETE FROM fact_people;
         INSERT OR IGNORE INTO fact_people (person, fact_id)
             SELECT j.value, f.id FROM facts f, json_each(f.fact, '$.people') j
             UNION SELECT f.subject, f.id FROM facts f WHERE f.kind = 'crew_member';
         DELETE FROM fact_counts;
         INSERT INTO fact_counts (kind, n) SELECT kind, count(*) FROM facts GROUP BY kind;",
    )?;
    Ok(())
}

/// The JSON of `f` without its pieces of evidence (their count stays): what a list shows.
fn brief(f: &Fact) -> serde_json::Result<String> {
    let mut brief = f.clone();
    brief.evidence = Vec::new();
    serde_json::to_string(&brief)
}

/// A launch's UUID, and 1 when the lists show it.
fn listing(f: &Fact) -> (Option<String>, Option<i64>) {
    if f.kind != ClaimKind::Launch {
        return (None, None);
    }
    (
        Some(launch_uuid(&launch_id(f))),
        is_listed_launch(f).then_some(1),
    )
}

/// Created once the claims have their group column (added by the migration to version 8).
pub(crate) const CLAIMS_GROUP_INDEX_SQL: &str =
    "CREATE INDEX IF NOT EXISTS claims_group ON claims(group_key, flight);";

fn damaged(id: &str, what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Damaged {
        id: id.to_string(),
        reason: format!("{what}: {e}"),
    }
}

/// Brings the facts of the groups `claims` (all of one new document, of `source`) belong to
/// up to date.
pub(crate) fn add_document(tx: &Connection, claims: &[Claim], source: &str) -> Result<()> {
    let mut groups: BTreeMap<String, Vec<&Claim>> = BTreeMap::new();
    for c in claims {
        groups.entry(group_key(c)).or_default().push(c);
    }
    for (key, claims) in groups {
        if flies_again(claims[0]) {
            refold(tx, &key)?;
            continue;
        }
        let mut tally = load_tally(tx, &key)?.unwrap_or_default();
        tally.add_document(&claims, source);
        save(tx, &key, &tally)?;
    }
    Ok(())
}

/// The group keys the claims of document `id` belong to.
pub(crate) fn groups_of(tx: &Connection, id: &str) -> Result<Vec<String>> {
    strings(
        tx,
        "SELECT DISTINCT group_key FROM claims WHERE document_id = ?1 ORDER BY 1",
        [id],
    )
}

/// The one text column of every row `sql` finds.
fn strings(tx: &Connection, sql: &str, params: impl rusqlite::Params) -> Result<Vec<String>> {
    let mut stmt = tx.prepare_cached(sql)?;
    let rows = stmt.query_map(params, |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
}

fn load_tally(tx: &Connection, key: &str) -> Result<Option<Tally>> {
    let json: Option<String> = tx
        .prepare_cached("SELECT tally FROM tallies WHERE group_key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?;
    json.map(|j| serde_json::from_str(&j).map_err(|e| damaged(key, "tally", e)))
        .transpose()
}

/// Stores a one-fact group's tally and the fact it settles on.
fn save(tx: &Connection, key: &str, tally: &Tally) -> Result<()> {
    let json = serde_json::to_string(tally).map_err(|e| damaged(key, "tally", e))?;
    crate::exec(
        tx,
        "INSERT INTO tallies (group_key, tally) VALUES (?1, ?2)
         ON CONFLICT(group_key) DO UPDATE SET tally = excluded.tally",
        params![key, json],
    )?;
    let facts: Vec<Fact> = tally.fact().into_iter().collect();
    write_facts(tx, key, &facts)
}

/// Replaces the facts of group `key` by `facts`, one per flight, keeping the ids of flights
/// that remain.
fn write_facts(tx: &Connection, key: &str, facts: &[Fact]) -> Result<()> {
    for (flight, f) in facts.iter().enumerate() {
        let json = serde_json::to_string(f).map_err(|e| damaged(key, "fact", e))?;
        let launch = (f.kind == ClaimKind::Launch).then(|| launch_id(f));
        let (uuid, listed) = listing(f);
        crate::exec(
            tx,
            "INSERT INTO facts (group_key, flight, kind, subject, date, launch_id, fact, object,
                                launch_uuid, listed, status, brief)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
             ON CONFLICT(group_key, flight) DO UPDATE SET
                 kind = excluded.kind, subject = excluded.subject, date = excluded.date,
                 launch_id = excluded.launch_id, fact = excluded.fact, object = excluded.object,
                 launch_uuid = excluded.launch_uuid, listed = excluded.listed,
                 status = excluded.status, brief = excluded.brief
             WHERE fact IS NOT excluded.fact",
            params![
                key,
                flight as i64,
                f.kind.as_str(),
                f.subject,
                f.date,
                launch,
                json,
                f.object,
                uuid,
                listed,
                f.status.map(|s| s.as_str()),
                brief(f).map_err(|e| damaged(key, "fact", e))?
            ],
        )?;
    }
    crate::exec(
        tx,
        "DELETE FROM facts WHERE group_key = ?1 AND flight >= ?2",
        params![key, facts.len() as i64],
    )?;
    Ok(())
}

/// Every stored claim of group `key`, by id, each with its id and its document's source.
fn claims_of(tx: &Connection, key: &str) -> Result<Vec<(i64, Claim, String)>> {
    let mut stmt = tx.prepare_cached(&format!(
        "SELECT {CLAIM_COLUMNS}, id,
                (SELECT site_name FROM articles a WHERE a.document_id = claims.document_id),
                (SELECT canonical_url FROM articles a WHERE a.document_id = claims.document_id)
         FROM claims WHERE group_key = ?1 ORDER BY id"
    ))?;
    let mut rows = stmt.query([key])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let claim = claim_from_row(r)?;
        let id: i64 = r.get(19)?;
        let site: Option<String> = r.get(20)?;
        let url: Option<String> = r.get(21)?;
        let source = source_of(site.as_deref(), url.as_deref(), &claim.evidence.document);
        out.push((id, claim, source));
    }
    Ok(out)
}

/// The facts of group `key` as its stored claims give them, each flight with the ids of its
/// claims; and the tally, for a one-fact group.
/// A group's facts, each with the ids of its claims, and a one-fact group's tally.
type Folded = (Vec<(Fact, Vec<i64>)>, Option<Tally>);

fn fold(tx: &Connection, key: &str) -> Result<Folded> {
    let claims = claims_of(tx, key)?;
    let Some((_, first, _)) = claims.first() else {
        return Ok((Vec::new(), None));
    };
    let pairs: Vec<(&Claim, &str)> = claims.iter().map(|(_, c, s)| (c, s.as_str())).collect();
    if !flies_again(first) {
        let tally = Tally::of(&pairs);
        let ids = claims.iter().map(|(id, _, _)| *id).collect();
        return Ok((
            tally.fact().map(|f| (f, ids)).into_iter().collect(),
            Some(tally),
        ));
    }
    let facts = merge_group(pairs)
        .into_iter()
        .map(|(f, members)| (f, members.into_iter().map(|i| claims[i].0).collect()))
        .collect();
    Ok((facts, None))
}

/// Merges group `key` again from its stored claims and stores what it gives.
pub(crate) fn refold(tx: &Connection, key: &str) -> Result<()> {
    let (facts, tally) = fold(tx, key)?;
    store_fold(tx, key, &facts, tally.as_ref())
}

fn store_fold(
    tx: &Connection,
    key: &str,
    facts: &[(Fact, Vec<i64>)],
    tally: Option<&Tally>,
) -> Result<()> {
    match tally {
        Some(t) => save(tx, key, t)?,
        None => {
            tx.execute("DELETE FROM tallies WHERE group_key = ?1", [key])?;
            let only: Vec<Fact> = facts.iter().map(|(f, _)| f.clone()).collect();
            write_facts(tx, key, &only)?;
            let mut set = tx.prepare_cached(
                "UPDATE claims SET flight = ?1 WHERE id = ?2 AND flight IS NOT ?1",
            )?;
            for (flight, (_, ids)) in facts.iter().enumerate() {
                for id in ids {
                    set.execute(params![flight as i64, id])?;
                }
            }
        }
    }
    Ok(())
}

/// What [`Store::rebuild_facts`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rebuilt {
    /// Groups of claims merged.
    pub groups: u64,
    /// Groups whose stored facts differed from their claims' (each one's key); stored anew.
    pub differed: Vec<String>,
}

impl Store {
    /// Merges every group of claims again from scratch and stores the facts, in one
    /// transaction; reports each group whose stored facts were not what its claims give
    /// (an empty list when the kept facts were right). `progress` hears (groups done, of).
    pub fn rebuild_facts(&mut self, mut progress: impl FnMut(u64, u64)) -> Result<Rebuilt> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let rebuilt = rebuild(&tx, &mut progress)?;
        tx.commit()?;
        Ok(rebuilt)
    }

    /// The launches each of `documents` tells of, by launch id, in fact order.
    pub fn launches_of(&self, documents: &[&str]) -> Result<HashMap<String, Vec<String>>> {
        let mut out: HashMap<String, Vec<String>> = HashMap::new();
        if documents.is_empty() {
            return Ok(out);
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.document_id, f.launch_id FROM claims c
             JOIN facts f ON f.group_key = c.group_key AND f.flight = c.flight
             WHERE c.document_id IN (SELECT value FROM json_each(?1)) AND c.kind = 'launch'
                   AND f.launch_id IS NOT NULL
             ORDER BY c.document_id, f.group_key, f.flight",
        )?;
        let ids = serde_json::to_string(documents).unwrap_or_else(|_| "[]".into());
        let mut rows = stmt.query([ids])?;
        while let Some(r) = rows.next()? {
            let ids = out.entry(r.get(0)?).or_default();
            let id: String = r.get(1)?;
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        Ok(out)
    }

    /// The merged facts, in group-key order (the order `korolev_facts::merge::merge` gives).
    pub fn facts(&self) -> Result<Vec<Fact>> {
        let mut stmt = self
            .conn
            .prepare("SELECT group_key, fact FROM facts ORDER BY group_key, flight")?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let key: String = r.get(0)?;
            let json: String = r.get(1)?;
            out.push(serde_json::from_str(&json).map_err(|e| damaged(&key, "fact", e))?);
        }
        Ok(out)
    }
}

pub(crate) fn rebuild(tx: &Connection, progress: &mut dyn FnMut(u64, u64)) -> Result<Rebuilt> {
    let keys = strings(tx, "SELECT DISTINCT group_key FROM claims ORDER BY 1", [])?;
    // Groups that have facts but no claims left.
    let stale = strings(
        tx,
        "SELECT DISTINCT group_key FROM facts WHERE group_key NOT IN (SELECT group_key FROM claims)
         UNION SELECT group_key FROM tallies WHERE group_key NOT IN (SELECT group_key FROM claims)",
        [],
    )?;
    let mut out = Rebuilt::default();
    for key in stale {
        tx.execute("DELETE FROM facts WHERE group_key = ?1", [&key])?;
        tx.execute("DELETE FROM tallies WHERE group_key = ?1", [&key])?;
        out.differed.push(key);
    }
    let total = keys.len() as u64;
    for (n, key) in keys.into_iter().enumerate() {
        let (facts, tally) = fold(tx, &key)?;
        let before = stored(tx, &key)?;
        let after: Vec<String> = facts
            .iter()
            .map(|(f, _)| serde_json::to_string(f).map_err(|e| damaged(&key, "fact", e)))
            .collect::<Result<_>>()?;
        let tally_before = load_tally(tx, &key)?;
        if before != after || tally_before.as_ref() != tally.as_ref() {
            out.differed.push(key.clone());
        }
        store_fold(tx, &key, &facts, tally.as_ref())?;
        out.groups += 1;
        progress(n as u64 + 1, total);
    }
    Ok(out)
}

/// The stored facts of group `key`, as JSON, by flight.
fn stored(tx: &Connection, key: &str) -> Result<Vec<String>> {
    strings(
        tx,
        "SELECT fact FROM facts WHERE group_key = ?1 ORDER BY flight",
        [key],
    )
}
