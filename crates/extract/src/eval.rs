//! Scoring of extracted text against a reference, as `tools/score_extraction.py` of the shared
//! benchmark defines it: bag-of-words token overlap per document.

use std::collections::HashMap;

/// Precision, recall and F1 of one document.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

/// Lowercase runs of word characters (letters, digits, marks and `_`), as Python's `\w+`.
pub fn tokens(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    lower
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

fn bag(text: &str) -> (HashMap<String, usize>, usize) {
    let mut bag = HashMap::new();
    let mut n = 0;
    for t in tokens(text) {
        *bag.entry(t).or_insert(0) += 1;
        n += 1;
    }
    (bag, n)
}

/// Multiset token overlap: P = tp/|pred|, R = tp/|gold|. Both empty scores 1; one empty, 0.
pub fn bow_prf(pred: &str, gold: &str) -> Prf {
    let (p, np) = bag(pred);
    let (g, ng) = bag(gold);
    if np == 0 && ng == 0 {
        return Prf {
            precision: 1.0,
            recall: 1.0,
            f1: 1.0,
        };
    }
    if np == 0 || ng == 0 {
        return Prf {
            precision: 0.0,
            recall: 0.0,
            f1: 0.0,
        };
    }
    let tp: usize = p
        .iter()
        .map(|(t, &c)| c.min(g.get(t).copied().unwrap_or(0)))
        .sum();
    let precision = tp as f64 / np as f64;
    let recall = tp as f64 / ng as f64;
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    Prf {
        precision,
        recall,
        f1,
    }
}

/// One page of an extraction benchmark: its HTML, the reference body, and a group (its
/// language) that figures are also reported by.
pub struct Sample {
    pub name: String,
    pub html: Vec<u8>,
    pub gold: String,
    pub group: String,
    /// The reference headline, where the set labels one.
    pub title: Option<String>,
}

/// Whether an extracted headline is the reference one: the same words (lowercase runs of
/// word characters, punctuation aside), as the shared scorer (`tools/score_extraction.py`)
/// compares them.
pub fn title_matches(pred: Option<&str>, gold: &str) -> bool {
    pred.is_some_and(|p| !p.trim().is_empty() && tokens(p) == tokens(gold))
}

/// Title exact-match over the samples that have a reference headline: (matched, labelled).
pub fn title_score(samples: &[Sample], titles: &[Option<String>]) -> (usize, usize) {
    let labelled: Vec<(&str, Option<&str>)> = samples
        .iter()
        .zip(titles)
        .filter_map(|(s, t)| Some((s.title.as_deref()?, t.as_deref())))
        .collect();
    let matched = labelled
        .iter()
        .filter(|(gold, pred)| title_matches(*pred, gold))
        .count();
    (matched, labelled.len())
}

/// One tool's pass over the samples: per-page scores, and the fastest round's wall time,
/// measured by the caller (this crate reads no clocks).
pub struct Run {
    pub tool: String,
    pub scores: Vec<Prf>,
    pub seconds: f64,
}

impl Run {
    fn mean(&self, pick: impl Fn(&Prf) -> f64, keep: impl Fn(usize) -> bool) -> (f64, usize) {
        let chosen: Vec<f64> = self
            .scores
            .iter()
            .enumerate()
            .filter(|(i, _)| keep(*i))
            .map(|(_, s)| pick(s))
            .collect();
        let n = chosen.len();
        (chosen.iter().sum::<f64>() / n.max(1) as f64, n)
    }
}

/// The side-by-side table: F1, precision, recall, pages/s and MB/s per tool, the ratios to
/// the first tool, and F1 per group.
pub fn report(samples: &[Sample], runs: &[Run]) -> String {
    use std::fmt::Write;
    let bytes: usize = samples.iter().map(|s| s.html.len()).sum();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} pages, {:.1} MB of HTML; F1/P/R: bag-of-words per page, averaged",
        samples.len(),
        bytes as f64 / 1e6
    );
    let _ = writeln!(
        out,
        "{:<14} {:>7} {:>7} {:>7} {:>9} {:>8}",
        "tool", "F1", "P", "R", "pages/s", "MB/s"
    );
    for run in runs {
        let all = |_| true;
        let pages_s = samples.len() as f64 / run.seconds.max(1e-9);
        let _ = writeln!(
            out,
            "{:<14} {:>7.4} {:>7.4} {:>7.4} {:>9.1} {:>8.2}",
            run.tool,
            run.mean(|s| s.f1, all).0,
            run.mean(|s| s.precision, all).0,
            run.mean(|s| s.recall, all).0,
            pages_s,
            bytes as f64 / 1e6 / run.seconds.max(1e-9)
        );
    }
    if let Some((first, rest)) = runs.split_first() {
        for other in rest {
            let _ = writeln!(
                out,
                "{} vs {}: {:.2}× the pages/s, F1 {:+.4}",
                first.tool,
                other.tool,
                other.seconds / first.seconds.max(1e-9),
                first.mean(|s| s.f1, |_| true).0 - other.mean(|s| s.f1, |_| true).0
            );
        }
    }
    let mut groups: Vec<&str> = samples.iter().map(|s| s.group.as_str()).collect();
    groups.sort_unstable();
    groups.dedup();
    if groups.len() > 1 {
        let _ = write!(out, "F1 by language: {:<8}", "");
        for run in runs {
            let _ = write!(out, " {:>12}", run.tool);
        }
        let _ = writeln!(out);
        for g in groups {
            let in_group = |i: usize| samples[i].group == g;
            let n = samples.iter().filter(|s| s.group == g).count();
            let _ = write!(out, "  {:<10} {:>4} pages", g, n);
            for run in runs {
                let _ = write!(out, " {:>12.4}", run.mean(|s| s.f1, in_group).0);
            }
            let _ = writeln!(out);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlap_counts_multisets() {
        let s = bow_prf("the cat the dog", "The cat, the cat.");
        // pred: the×2 cat dog (4); gold: the×2 cat×2 (4); overlap the×2 cat = 3.
        assert!((s.precision - 0.75).abs() < 1e-9);
        assert!((s.recall - 0.75).abs() < 1e-9);
        assert_eq!(bow_prf("", "").f1, 1.0);
        assert_eq!(bow_prf("x", "").f1, 0.0);
        assert_eq!(
            tokens("Союз МС-27, it's"),
            vec!["союз", "мс", "27", "it", "s"]
        );
    }

    #[test]
    fn titles_match_by_their_words() {
        assert!(title_matches(
            Some("Crew-9  lands, at last"),
            "crew-9 lands at last"
        ));
        assert!(!title_matches(
            Some("Crew-9 lands"),
            "Crew-9 lands | Orbit Weekly"
        ));
        assert!(!title_matches(None, "Crew-9 lands"));
        assert!(!title_matches(Some(" "), ""));
    }
}
