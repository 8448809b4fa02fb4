//! Names in queries: a word that is a word of an entity's name or of a name pages gave it
//! ("Kononenko", "Кононенко") stands for that entity, so an article telling of it is found
//! whatever script it is written in.

use std::collections::HashMap;

/// Entities one word of a query may stand for; a word more share (a common first name)
/// stands for none.
const ENTITIES_PER_WORD: usize = 3;
/// Words shorter than this are too common to stand for anyone.
const SHORTEST: usize = 4;

fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| w.chars().count() >= SHORTEST)
}

/// Every way the store writes each entity, by lowercased word.
#[derive(Debug, Default)]
pub struct Spellings {
    by_word: HashMap<String, Vec<String>>,
}

impl Spellings {
    /// From (entity id, name or alias) pairs.
    pub fn new(spellings: impl IntoIterator<Item = (String, String)>) -> Spellings {
        let mut by_word: HashMap<String, Vec<String>> = HashMap::new();
        for (id, spelling) in spellings {
            for w in words(&spelling) {
                let ids = by_word.entry(w.to_lowercase()).or_default();
                if !ids.contains(&id) {
                    ids.push(id.clone());
                }
            }
        }
        Spellings { by_word }
    }

    /// The entities a query names: those whose spellings hold every plain word of it (not
    /// its `field:` terms, exclusions or short words) — "kononenko", "Oleg Kononenko",
    /// "Кононенко" — when at most a few do. A query that is more than a name names none.
    pub fn entities(&self, query: &str) -> Vec<String> {
        // Every plain word, however short: "ISS kononenko" is more than a name.
        let plain: Vec<String> = query
            .split_whitespace()
            .filter(|t| !t.contains(':') && !t.starts_with('-'))
            .flat_map(|t| t.split(|c: char| !c.is_alphanumeric() && c != '-'))
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        let mut named: Option<Vec<String>> = None;
        for w in &plain {
            let Some(ids) = self.by_word.get(w) else {
                return Vec::new();
            };
            named = Some(match named {
                None => ids.clone(),
                Some(before) => before.into_iter().filter(|id| ids.contains(id)).collect(),
            });
        }
        let mut out = named.unwrap_or_default();
        if out.len() > ENTITIES_PER_WORD {
            return Vec::new();
        }
        out.sort();
        out.dedup();
        out
    }
}

/// Edits (insertions, deletions, substitutions) from `a` to `b`, by characters; `None` once
/// past `most`.
fn distance(a: &[char], b: &[char], most: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > most {
        return None;
    }
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        let mut least = row[0];
        for (j, cb) in b.iter().enumerate() {
            let here = if ca == cb {
                prev
            } else {
                1 + prev.min(row[j]).min(row[j + 1])
            };
            prev = row[j + 1];
            row[j + 1] = here;
            least = least.min(here);
        }
        if least > most {
            return None;
        }
    }
    Some(row[b.len()]).filter(|d| *d <= most)
}

impl Spellings {
    /// "Did you mean": the query with each plain word that spells no entity replaced by the
    /// closest word of an entity's name (one edit for words of five to seven letters, two for
    /// longer), when there is one; `None` when nothing would change.
    pub fn suggest(&self, query: &str) -> Option<String> {
        let mut changed = false;
        let out: Vec<String> = query
            .split_whitespace()
            .map(|t| {
                let lower = t.to_lowercase();
                let chars: Vec<char> = lower.chars().collect();
                if t.contains(':')
                    || t.starts_with('-')
                    || chars.len() < 5
                    || !chars.iter().all(|c| c.is_alphanumeric() || *c == '-')
                    || self.by_word.contains_key(&lower)
                {
                    return t.to_string();
                }
                let most = if chars.len() <= 7 { 1 } else { 2 };
                let best = self
                    .by_word
                    .keys()
                    .filter_map(|w| {
                        let wc: Vec<char> = w.chars().collect();
                        distance(&chars, &wc, most).map(|d| (d, w))
                    })
                    .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
                match best {
                    Some((_, w)) => {
                        changed = true;
                        w.clone()
                    }
                    None => t.to_string(),
                }
            })
            .collect();
        changed.then(|| out.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_surname_in_either_script_stands_for_its_entity() {
        let s = Spellings::new([
            (
                "person/oleg-kononenko".to_string(),
                "Oleg Kononenko".to_string(),
            ),
            (
                "person/oleg-kononenko".to_string(),
                "Олег Кононенко".to_string(),
            ),
            (
                "person/oleg-artemyev".to_string(),
                "Oleg Artemyev".to_string(),
            ),
            (
                "person/oleg-novitsky".to_string(),
                "Oleg Novitsky".to_string(),
            ),
            (
                "person/oleg-skripochka".to_string(),
                "Oleg Skripochka".to_string(),
            ),
        ]);
        assert_eq!(s.entities("kononenko"), vec!["person/oleg-kononenko"]);
        assert_eq!(s.entities("Кононенко"), vec!["person/oleg-kononenko"]);
        // Four Olegs: the first name picks out none; excluded and field terms neither.
        assert!(s.entities("oleg").is_empty());
        assert!(s.entities("-kononenko author:kononenko").is_empty());
        // A name, and more than a name.
        assert_eq!(s.entities("Oleg Kononenko"), vec!["person/oleg-kononenko"]);
        assert!(s.entities("kononenko spacewalk").is_empty());
        assert!(s.entities("ISS kononenko").is_empty());
        // Misspelt, in either script.
        assert_eq!(s.suggest("kononeko").as_deref(), Some("kononenko"));
        assert_eq!(
            s.suggest("Kononenkko spacewalk").as_deref(),
            Some("kononenko spacewalk")
        );
        assert_eq!(s.suggest("Кононенка").as_deref(), Some("кононенко"));
        assert_eq!(s.suggest("kononenko"), None);
        assert_eq!(s.suggest("zzzzzzzz"), None);
    }
}
