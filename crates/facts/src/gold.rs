//! The development gold set for facts from prose (`gold/prose.gold`) and its scorer.
//!
//! Per page, the gold lists the entity ids the prose names and the claims it states. The
//! scorer merges a page's predicted prose claims (as [`crate::merge`] does across pages) and
//! compares them with the gold claim for claim: a claim counts only when every scored field
//! matches (the fields per kind are in [`scored`]). Entities are compared as sets of ids.

use crate::model::{Claim, ClaimKind, Entity};
use std::collections::{BTreeMap, BTreeSet};

/// The gold set shipped with korolev.
pub const PROSE_GOLD: &str = include_str!("../gold/prose.gold");

/// The gold of one page.
#[derive(Debug, Default, Clone)]
pub struct PageGold {
    pub entities: BTreeSet<String>,
    pub claims: Vec<String>,
}

/// The fields that make a claim right, as one comparable line.
pub fn scored(kind: ClaimKind, subject: &str, fields: &BTreeMap<&str, String>) -> String {
    let names: &[&str] = match kind {
        ClaimKind::CrewMember => &["object", "role"],
        ClaimKind::Launch => &["object", "site", "date", "status", "crew"],
        ClaimKind::Docking => &["object", "date", "status", "crew"],
        ClaimKind::Undocking => &["object", "date", "status"],
        ClaimKind::Landing => &["site", "date", "status", "crew"],
        ClaimKind::Agreement => &["object", "date"],
        ClaimKind::Appointment => &["object", "office"],
    };
    let mut out = format!("{} {subject}", kind.as_str());
    for n in names {
        if let Some(v) = fields.get(n).filter(|v| !v.is_empty()) {
            out.push_str(&format!(" {n}={v}"));
        }
    }
    out
}

/// The scored line of a predicted (merged) claim.
pub fn claim_line(c: &crate::merge::Fact) -> String {
    let mut f = BTreeMap::new();
    let mut put = |k, v: Option<String>| {
        if let Some(v) = v {
            f.insert(k, v);
        }
    };
    put("object", c.object.clone());
    put("role", c.role.map(|r| r.as_str().to_string()));
    put("date", c.date.clone());
    put("status", c.status.map(|s| s.as_str().to_string()));
    put("site", c.site.clone());
    put("office", c.detail.clone());
    let mut crew = c.people.clone();
    crew.sort();
    put("crew", (!crew.is_empty()).then(|| crew.join(",")));
    scored(c.kind, &c.subject, &f)
}

/// A gold file that does not parse: the line is named.
#[derive(Debug, thiserror::Error)]
#[error("gold line {line}: {reason}")]
pub struct GoldError {
    pub line: usize,
    pub reason: String,
}

/// Parses a gold file: page name → its gold.
pub fn parse(text: &str) -> Result<BTreeMap<String, PageGold>, GoldError> {
    let mut pages: BTreeMap<String, PageGold> = BTreeMap::new();
    let mut current: Option<String> = None;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        let err = |reason: String| GoldError {
            line: i + 1,
            reason,
        };
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix("== ") {
            current = Some(name.trim().to_string());
            pages.entry(name.trim().to_string()).or_default();
            continue;
        }
        let page = current
            .as_ref()
            .and_then(|c| pages.get_mut(c))
            .ok_or_else(|| err("a fact before the first '== page' line".into()))?;
        let mut words = line.split_whitespace();
        let head = words.next().unwrap_or_default();
        if head == "entities" {
            page.entities.extend(words.map(String::from));
            continue;
        }
        let kind =
            ClaimKind::parse(head).ok_or_else(|| err(format!("unknown claim kind {head:?}")))?;
        let subject = words.next().ok_or_else(|| err("no subject".into()))?;
        // Values run to the next "name=": an office may hold spaces.
        let mut fields: BTreeMap<&str, String> = BTreeMap::new();
        let mut last: Option<&str> = None;
        for w in words {
            match w.split_once('=') {
                Some((k, v)) if !k.is_empty() && k.chars().all(|c| c.is_ascii_lowercase()) => {
                    let k = match k {
                        "office" | "object" | "role" | "date" | "status" | "site" | "crew" => k,
                        other => return Err(err(format!("unknown field {other:?}"))),
                    };
                    fields.insert(k, v.to_string());
                    last = Some(k);
                }
                _ => {
                    let k = last.ok_or_else(|| err(format!("stray word {w:?}")))?;
                    if let Some(v) = fields.get_mut(k) {
                        v.push(' ');
                        v.push_str(w);
                    }
                }
            }
        }
        if let Some(crew) = fields.get_mut("crew") {
            let mut ids: Vec<&str> = crew.split(',').collect();
            ids.sort();
            *crew = ids.join(",");
        }
        page.claims.push(scored(kind, subject, &fields));
    }
    Ok(pages)
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    pub fn add(&mut self, o: Counts) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }
}

/// `a / b`, and 0 when there is nothing to divide (no prediction, no gold), as the shared
/// sets' scorer counts it.
fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Scores of a run over the gold: per claim kind and per entity kind, and what was missed or
/// wrong, page by page.
#[derive(Debug, Default)]
pub struct Score {
    pub claims: BTreeMap<String, Counts>,
    pub entities: BTreeMap<String, Counts>,
    /// (page, "missed" | "wrong", line)
    pub errors: Vec<(String, &'static str, String)>,
    pub pages: usize,
}

impl Score {
    pub fn total(map: &BTreeMap<String, Counts>) -> Counts {
        let mut t = Counts::default();
        for c in map.values() {
            t.add(*c);
        }
        t
    }

    /// Adds one page: its gold and what korolev found in its prose.
    pub fn page(&mut self, name: &str, gold: &PageGold, entities: &[Entity], claims: &[Claim]) {
        self.pages += 1;
        let facts = crate::merge::merge(claims.iter().map(|c| (c, name)));
        let predicted: Vec<String> = facts.iter().map(claim_line).collect();
        let kind_of = |line: &str| line.split(' ').next().unwrap_or_default().to_string();
        let mut left: Vec<&String> = gold.claims.iter().collect();
        for p in &predicted {
            let c = self.claims.entry(kind_of(p)).or_default();
            if let Some(i) = left.iter().position(|g| *g == p) {
                left.remove(i);
                c.tp += 1;
            } else {
                c.fp += 1;
                self.errors.push((name.to_string(), "wrong", p.clone()));
            }
        }
        for g in left {
            self.claims.entry(kind_of(g)).or_default().fn_ += 1;
            self.errors.push((name.to_string(), "missed", g.clone()));
        }
        // A type name alone was not annotated in this set: one the gold does not list is not
        // counted against a page.
        let found: BTreeSet<&str> = entities
            .iter()
            .map(|e| e.id.as_str())
            .filter(|id| !id.starts_with("spacecraft_family/") || gold.entities.contains(*id))
            .collect();
        let kind = |id: &str| id.split('/').next().unwrap_or_default().to_string();
        for id in &found {
            let c = self.entities.entry(kind(id)).or_default();
            if gold.entities.contains(*id) {
                c.tp += 1;
            } else {
                c.fp += 1;
                self.errors
                    .push((name.to_string(), "wrong", format!("entity {id}")));
            }
        }
        for id in gold
            .entities
            .iter()
            .filter(|id| !found.contains(id.as_str()))
        {
            self.entities.entry(kind(id)).or_default().fn_ += 1;
            self.errors
                .push((name.to_string(), "missed", format!("entity {id}")));
        }
    }

    /// The table that `korolev eval facts` prints.
    pub fn report(&self) -> String {
        let mut out = format!(
            "{} pages; a claim counts only when every scored field matches\n",
            self.pages
        );
        for (title, map) in [("claims", &self.claims), ("entities", &self.entities)] {
            out.push_str(&format!(
                "{title:<18} {:>5} {:>5} {:>5}  {:>9} {:>6} {:>6}\n",
                "gold", "found", "right", "precision", "recall", "F1"
            ));
            let mut rows: Vec<(String, Counts)> =
                map.iter().map(|(k, c)| (format!("  {k}"), *c)).collect();
            rows.push(("  all".to_string(), Score::total(map)));
            for (k, c) in rows {
                out.push_str(&format!(
                    "{k:<18} {:>5} {:>5} {:>5}  {:>9.3} {:>6.3} {:>6.3}\n",
                    c.tp + c.fn_,
                    c.tp + c.fp,
                    c.tp,
                    c.precision(),
                    c.recall(),
                    c.f1()
                ));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_gold_parses() {
        let pages = parse(PROSE_GOLD).expect("gold parses");
        assert_eq!(pages.len(), 48);
        let seed = &pages["004_0ab93f9235e1e3a8"];
        assert!(seed
            .claims
            .iter()
            .any(|c| c.starts_with("launch spacecraft/soyuz-ms-27 date=2025-04-08")));
        assert!(seed
            .claims
            .contains(&"appointment person/kenneth-bowersox object=agency/nasa office=associate administrator for space operations".to_string()));
    }

    #[test]
    fn bad_gold_names_the_line() {
        let e = parse("== a\nlaunch x colour=red\n").expect_err("bad field");
        assert_eq!(e.line, 2);
        assert!(parse("launch x\n").is_err());
    }
}
