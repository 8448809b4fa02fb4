//! The merged facts read a page at a time: every list of the knowledge is a bounded, indexed
//! query, so that what a request costs does not grow with what the store knows.

use crate::{Result, Store, StoreError};
use korolev_facts::knowledge::EntityName;
use korolev_facts::merge::Fact;
use korolev_facts::model::EntityKind;
use rusqlite::types::Value;
use rusqlite::{params_from_iter, Row};
use std::collections::HashMap;

/// Which launches to list, and which page of them. Launches are listed by date, those without
/// one last; `newest_first` turns that round (undated ones still last).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LaunchQuery {
    /// Only launches told of this year.
    pub year: Option<u32>,
    /// Only launches whose status is one of these (`done`, `planned`, `failed`); any when empty.
    pub statuses: Vec<String>,
    /// Only launches on or after this day (ISO 8601; one told to the month or the year counts
    /// from that month's or year's start).
    pub from: Option<String>,
    /// Only launches on or before this day (one told to the month or the year counts as on
    /// any day of it).
    pub until: Option<String>,
    /// Only launches whose craft's, mission's or rocket's name holds this (any case).
    pub named: Option<String>,
    /// Only launches whose rocket's name holds this (any case).
    pub vehicle: Option<String>,
    /// Only launches whose craft's or mission's name holds this (any case).
    pub craft: Option<String>,
    /// Only flights of this entity (a spacecraft or a mission) as their subject.
    pub subject: Option<String>,
    pub newest_first: bool,
    pub offset: usize,
    pub limit: usize,
}

/// The most a list gives in one page.
const MOST: usize = 1000;

fn fact_of(r: &Row, column: usize) -> Result<Fact> {
    let json: String = r.get(column)?;
    serde_json::from_str(&json).map_err(|e| StoreError::Damaged {
        id: r
            .get::<_, i64>(0)
            .map_or_else(|_| String::new(), |id| format!("fact {id}")),
        reason: format!("fact: {e}"),
    })
}

fn entity_of(r: &Row) -> Result<EntityName> {
    let id: String = r.get(0)?;
    let kind: String = r.get(1)?;
    let Some(kind) = EntityKind::parse(&kind) else {
        return Err(StoreError::Damaged {
            id,
            reason: format!("entity kind {kind:?}"),
        });
    };
    Ok(EntityName {
        id,
        kind,
        name: r.get(2)?,
        agency: r.get(3)?,
    })
}

/// A substring pattern for `LIKE … ESCAPE '\'`, lowercased.
fn like(part: &str) -> String {
    let mut out = String::from("%");
    for c in part.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

impl Store {
    /// The facts that put people in a crew or aboard a flight, in group-key order: what who
    /// is aboard, the expeditions and their crews are worked out from. They grow with the
    /// crewed flights told, not with the articles.
    pub fn crew_facts(&self) -> Result<Vec<Fact>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, fact FROM facts
             WHERE id IN (SELECT fact_id FROM fact_people)
             ORDER BY group_key, flight",
        )?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(fact_of(r, 1)?);
        }
        Ok(out)
    }

    /// How many facts there are, and one page of them in group-key order.
    pub fn facts_page(&self, offset: usize, limit: usize) -> Result<(u64, Vec<Fact>)> {
        let total: i64 =
            self.conn
                .query_row("SELECT coalesce(sum(n), 0) FROM fact_counts", [], |r| {
                    r.get(0)
                })?;
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT id, fact FROM facts ORDER BY group_key, flight LIMIT {} OFFSET {offset}",
            limit.min(MOST)
        ))?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(fact_of(r, 1)?);
        }
        Ok((total.max(0) as u64, out))
    }

    /// Up to `limit` facts about entity `id`: those it is the subject or the object of, and
    /// those that put it in a crew or aboard a flight; in group-key order.
    pub fn facts_about(&self, id: &str, limit: usize) -> Result<Vec<Fact>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT id, fact FROM facts WHERE id IN (
                 SELECT id FROM facts WHERE subject = ?1
                 UNION SELECT id FROM facts WHERE object = ?1
                 UNION SELECT fact_id FROM fact_people WHERE person = ?1)
             ORDER BY group_key, flight LIMIT {}",
            limit.min(MOST)
        ))?;
        let mut rows = stmt.query([id])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(fact_of(r, 1)?);
        }
        Ok(out)
    }

    /// How many launches `q` finds, and its page of them, each with its id; without their
    /// evidence (its count stays).
    pub fn launches(&self, q: &LaunchQuery) -> Result<(u64, Vec<(String, Fact)>)> {
        let mut wheres = vec!["f.listed IS NOT NULL".to_string()];
        let mut args: Vec<Value> = Vec::new();
        let mut arg = |v: String| {
            args.push(Value::Text(v));
            format!("?{}", args.len())
        };
        if let Some(y) = q.year {
            wheres.push(format!("f.date LIKE {}", arg(format!("{y:04}%"))));
        }
        if !q.statuses.is_empty() {
            let list = serde_json::to_string(&q.statuses).unwrap_or_default();
            wheres.push(format!(
                "f.status IN (SELECT value FROM json_each({}))",
                arg(list)
            ));
        }
        if let Some(d) = &q.from {
            // A launch told to the month is on or after a day of that month.
            wheres.push(format!(
                "f.date >= substr({}, 1, length(f.date))",
                arg(d.clone())
            ));
        }
        if let Some(d) = &q.until {
            // A launch told to the month counts as on any day of it; one told to the minute
            // counts by its day.
            let d = arg(d.clone());
            wheres.push(format!("substr(f.date, 1, length({d})) <= {d}"));
        }
        if let Some(id) = &q.subject {
            wheres.push(format!("f.subject = {}", arg(id.clone())));
        }
        if let Some(v) = q.vehicle.as_deref().filter(|v| !v.trim().is_empty()) {
            wheres.push(format!(
                "EXISTS (SELECT 1 FROM entities e WHERE e.id = f.object
                         AND lower(e.name) LIKE {} ESCAPE '\\')",
                arg(like(v.trim()))
            ));
        }
        // The craft or the mission (and for `named` the rocket) by name, or by the id's slug
        // (a mission's capsule is named by the gazetteer, not always by an entity of the store).
        for (part, columns) in [
            (&q.craft, "f.subject, json_extract(f.fact, '$.mission')"),
            (
                &q.named,
                "f.subject, f.object, json_extract(f.fact, '$.mission')",
            ),
        ] {
            if let Some(c) = part.as_deref().filter(|c| !c.trim().is_empty()) {
                wheres.push(format!(
                    "(EXISTS (SELECT 1 FROM entities e WHERE e.id IN ({columns})
                              AND lower(e.name) LIKE {0} ESCAPE '\\')
                      OR lower(f.launch_id) LIKE {0} ESCAPE '\\')",
                    arg(like(c.trim()).replace(' ', "%"))
                ));
            }
        }
        let filter = wheres.join(" AND ");
        let total: i64 = self.conn.query_row(
            &format!("SELECT count(*) FROM facts f WHERE {filter}"),
            params_from_iter(args.iter()),
            |r| r.get(0),
        )?;
        let order = if q.newest_first {
            "f.date IS NULL, f.date DESC, f.launch_id DESC"
        } else {
            "f.date IS NULL, f.date, f.launch_id"
        };
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT f.id, coalesce(f.brief, f.fact), f.launch_id FROM facts f WHERE {filter}
             ORDER BY {order} LIMIT {} OFFSET {}",
            q.limit.min(MOST),
            q.offset
        ))?;
        let mut rows = stmt.query(params_from_iter(args.iter()))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push((r.get(2)?, fact_of(r, 1)?));
        }
        Ok((total.max(0) as u64, out))
    }

    /// The listed launch with id `id`.
    pub fn launch(&self, id: &str) -> Result<Option<Fact>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, fact FROM facts WHERE launch_id = ?1 AND listed IS NOT NULL
             ORDER BY date IS NULL, date LIMIT 1",
        )?;
        let mut rows = stmt.query([id])?;
        match rows.next()? {
            Some(r) => Ok(Some(fact_of(r, 1)?)),
            None => Ok(None),
        }
    }

    /// The id of each launch among `uuids` (lowercase), by its UUID.
    pub fn launch_ids(&self, uuids: &[&str]) -> Result<HashMap<String, String>> {
        let mut out = HashMap::new();
        if uuids.is_empty() {
            return Ok(out);
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT launch_uuid, launch_id FROM facts
             WHERE launch_uuid IN (SELECT value FROM json_each(?1))",
        )?;
        let json = serde_json::to_string(uuids).unwrap_or_else(|_| "[]".into());
        let mut rows = stmt.query([json])?;
        while let Some(r) = rows.next()? {
            out.insert(r.get(0)?, r.get(1)?);
        }
        Ok(out)
    }

    /// The entities among `ids` that the store knows, by id.
    pub fn entities_named(&self, ids: &[&str]) -> Result<Vec<EntityName>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, kind, name, agency FROM entities
             WHERE id IN (SELECT value FROM json_each(?1)) ORDER BY id",
        )?;
        let json = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
        let mut rows = stmt.query([json])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(entity_of(r)?);
        }
        Ok(out)
    }

    /// Every way the store knows an entity is written: its name and the names pages gave it
    /// (in any script), for finding it by a word of a query.
    pub fn entity_spellings(&self) -> Result<Vec<(String, String)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, name FROM entities UNION SELECT entity_id, alias FROM aliases",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many entities there are, and one page of them by id; with `flew`, only the people
    /// the facts put in a crew or aboard a flight.
    pub fn entities_page(
        &self,
        flew: bool,
        offset: usize,
        limit: usize,
    ) -> Result<(u64, Vec<EntityName>)> {
        let filter = if flew {
            "WHERE kind = 'person' AND id IN (SELECT person FROM fact_people)"
        } else {
            ""
        };
        let total: i64 = self.conn.query_row(
            &format!("SELECT count(*) FROM entities {filter}"),
            [],
            |r| r.get(0),
        )?;
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT id, kind, name, agency FROM entities {filter}
             ORDER BY id LIMIT {} OFFSET {offset}",
            limit.min(MOST)
        ))?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(entity_of(r)?);
        }
        Ok((total.max(0) as u64, out))
    }
}

#[cfg(test)]
mod tests {
    use super::like;

    #[test]
    fn a_pattern_matches_its_text_and_nothing_wider() {
        assert_eq!(like("Soyuz"), "%soyuz%");
        assert_eq!(like("50%_a\\"), "%50\\%\\_a\\\\%");
    }
}
