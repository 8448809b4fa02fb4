//! Words and sentences of prose, English or Russian, with the character offsets that evidence
//! needs.
//!
//! A word is a run of letters and digits that may hold a hyphen, an apostrophe or a dot between
//! two of them ("Kud-Sverchkov", "O'Hara", "Soyuz-2.1a", "МКС-64"). A possessive "'s" is cut
//! off. Commas, colons, semicolons and sentence ends are tokens of their own; other marks are
//! skipped.

use crate::names::skeleton;
use compact_str::{CompactString, ToCompactString};

/// A word's strings are [`CompactString`]s: a word is short, so it lives inside the token, and
/// a page of millions of tokens costs no allocation per word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tok {
    pub text: CompactString,
    /// Character offsets in the text that was split, end exclusive.
    pub start: usize,
    pub end: usize,
    /// Comparison key ([`skeleton`] of the word); empty for punctuation.
    pub key: CompactString,
    /// The key without its trailing vowels: Russian case endings fall away ("Байконура" and
    /// "Байконур" meet).
    pub stem: CompactString,
    pub word: bool,
    pub upper: bool,
    pub cyrillic: bool,
    /// The word carried a possessive "'s": a name ends here ("Boeing's Starliner").
    pub possessive: bool,
    /// The word stands in quotes of its own: a nickname (Barry “Butch” Wilmore).
    pub quoted: bool,
    /// The text in lowercase, made once: rules compare it many times.
    lc: CompactString,
}

impl Tok {
    pub fn lower(&self) -> String {
        self.lc.to_string()
    }

    /// [`Tok::lower`] without a copy.
    pub fn lc(&self) -> &str {
        &self.lc
    }

    pub fn is(&self, p: &str) -> bool {
        !self.word && self.text == p
    }
}

/// The stem of a key: trailing vowels dropped while at least three letters remain.
pub fn stem(key: &str) -> String {
    let mut s = key.to_string();
    while s.len() > 3 && s.ends_with(['a', 'e', 'i', 'o', 'u']) {
        s.pop();
    }
    s
}

fn joins(c: char) -> bool {
    matches!(c, '-' | '\'' | '’' | '.' | '‐' | '‑')
}

/// What a word is, whatever its place: its key, stem and lowercase, whether it starts in
/// uppercase and whether it is Cyrillic.
#[derive(Clone)]
struct Word {
    key: CompactString,
    stem: CompactString,
    lc: CompactString,
    upper: bool,
    cyrillic: bool,
}

/// A word's [`Word`]. Transliterating and lowercasing a word are the dearest steps of
/// tokenizing, and news repeats its words: the words seen before on this thread are kept (up
/// to a bound, then forgotten at once).
fn word_of(word: &str) -> Word {
    use rustc_hash::FxHashMap;
    use std::cell::RefCell;
    const KEPT: usize = 1 << 16;
    thread_local! {
        static WORDS: RefCell<FxHashMap<CompactString, Word>> =
            RefCell::new(FxHashMap::default());
    }
    WORDS.with(|words| {
        let mut words = words.borrow_mut();
        if let Some(w) = words.get(word) {
            return w.clone();
        }
        let key = skeleton(word).replace(' ', "");
        let w = Word {
            stem: stem(&key).into(),
            key: key.into(),
            lc: word.to_lowercase().into(),
            upper: word.chars().next().is_some_and(char::is_uppercase),
            cyrillic: word.chars().any(|c| ('\u{400}'..='\u{4ff}').contains(&c)),
        };
        if words.len() >= KEPT {
            words.clear();
        }
        words.insert(word.into(), w.clone());
        w
    })
}

/// Splits `text` into tokens.
pub fn tokens(text: &str) -> Vec<Tok> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_alphanumeric() {
            let start = i;
            i += 1;
            // A time ("10:34") is one word: its colon opens no clause.
            let time_colon = |i: usize| {
                chars[i] == ':'
                    && chars[i - 1].is_ascii_digit()
                    && chars.get(i + 1).is_some_and(char::is_ascii_digit)
            };
            while i < chars.len()
                && (chars[i].is_alphanumeric()
                    || (joins(chars[i]) || time_colon(i))
                        && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric()))
            {
                i += 1;
            }
            let mut end = i;
            let mut possessive = false;
            // A possessive: "Boeing's", "Tuesday’s".
            if end - start > 2
                && matches!(chars[end - 2], '\'' | '’')
                && matches!(chars[end - 1], 's' | 'S')
            {
                end -= 2;
                possessive = true;
            }
            let word: CompactString = chars[start..end].iter().collect();
            let w = word_of(&word);
            let quote = |c: Option<&char>| {
                c.is_some_and(|c| matches!(c, '"' | '“' | '”' | '\'' | '‘' | '’'))
            };
            let quoted = start > 0 && quote(chars.get(start - 1)) && quote(chars.get(i));
            out.push(Tok {
                stem: w.stem,
                lc: w.lc,
                key: w.key,
                upper: w.upper,
                cyrillic: w.cyrillic,
                text: word,
                start,
                end,
                word: true,
                possessive,
                quoted,
            });
        } else {
            if matches!(c, ',' | ';' | ':' | '.' | '!' | '?' | '—' | '–' | '(' | ')') {
                out.push(Tok {
                    text: c.to_compact_string(),
                    start: i,
                    end: i + 1,
                    key: CompactString::default(),
                    stem: CompactString::default(),
                    word: false,
                    upper: false,
                    cyrillic: false,
                    possessive: false,
                    quoted: false,
                    lc: c.to_compact_string(),
                });
            }
            i += 1;
        }
    }
    out
}

/// Words before a dot that do not end a sentence.
const ABBREVIATIONS: [&str; 34] = [
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "gen", "col", "no", "vs", "lt", "capt", "cmdr",
    "maj", "sgt", "prof", "gov", "sen", "rep", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "a.m", "p.m",
];

/// Splits tokens into sentences: index ranges into `toks`.
pub fn sentences(toks: &[Tok]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, t) in toks.iter().enumerate() {
        if !(t.is(".") || t.is("!") || t.is("?")) {
            continue;
        }
        if t.is(".") && i > 0 {
            let prev = &toks[i - 1];
            // "S." or "S.P." before a surname.
            let initial = prev.word
                && prev.upper
                && (prev.text.chars().count() == 1
                    || prev.text.contains('.')
                        && prev.text.chars().all(|c| c == '.' || c.is_uppercase()));
            let abbrev = prev.word && ABBREVIATIONS.contains(&prev.lc());
            let next_lower = toks
                .get(i + 1)
                .is_some_and(|n| n.word && !n.upper && n.text.chars().all(char::is_alphabetic));
            if initial || abbrev || next_lower {
                continue;
            }
        }
        if i > start {
            push_bounded(&mut out, start..i);
        }
        start = i + 1;
    }
    if start < toks.len() {
        push_bounded(&mut out, start..toks.len());
    }
    out
}

/// Tokens one sentence holds at most: text without sentence ends (a list, a dump of words)
/// is read in runs of this many, so that no rule's work within a sentence grows with the
/// page. Real sentences are far shorter.
const SENTENCE_TOKENS: usize = 256;

fn push_bounded(out: &mut Vec<std::ops::Range<usize>>, r: std::ops::Range<usize>) {
    let mut from = r.start;
    while r.end - from > SENTENCE_TOKENS {
        out.push(from..from + SENTENCE_TOKENS);
        from += SENTENCE_TOKENS;
    }
    out.push(from..r.end);
}

/// Words that open a new clause: what follows them is told of separately ("docked … after a
/// launch from …").
const CLAUSE_OPENERS: [&str; 10] = [
    "after",
    "before",
    "ahead",
    "while",
    "who",
    "which",
    "после",
    "перед",
    "который",
    "которая",
];

/// Splits a sentence into clauses at semicolons, colons, the [`CLAUSE_OPENERS`] and a comma
/// before "and" / "but" / "и" — unless a name (a token index in `names`) follows: that is a
/// list ("Koch, Meir, and Morgan").
pub fn clauses(
    toks: &[Tok],
    sentence: std::ops::Range<usize>,
    names: &[usize],
) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = sentence.start;
    for i in sentence.clone() {
        let t = &toks[i];
        // ", and Flight Engineer Marina Vasilevskaya": a list goes on past a role or a title.
        let name_follows = (i + 1..(i + 5).min(sentence.end))
            .take_while(|&k| {
                k == i + 1
                    || matches!(
                        toks[k - 1].lc(),
                        "flight"
                            | "engineer"
                            | "engineers"
                            | "commander"
                            | "astronaut"
                            | "astronauts"
                            | "cosmonaut"
                            | "cosmonauts"
                            | "participant"
                            | "nasa"
                            | "esa"
                            | "jaxa"
                            | "roscosmos"
                            | "csa"
                    )
            })
            .any(|k| names.contains(&k));
        let conjunction = i > start
            && toks[i - 1].is(",")
            && matches!(t.lc(), "and" | "but" | "и" | "а" | "но")
            && !name_follows;
        let cut_before = t.word && i > start && (CLAUSE_OPENERS.contains(&t.lc()) || conjunction);
        // A sentence that opens with "After …," or "Ahead of …," tells its main event after
        // the comma.
        let opened = toks[start].word
            && matches!(
                toks[start].lc(),
                "after" | "before" | "ahead" | "following" | "после" | "перед"
            );
        let cut_at = t.is(";") || t.is(":") || t.is(",") && opened && i > start + 2;
        if cut_before {
            out.push(start..i);
            start = i;
        } else if cut_at {
            if i > start {
                out.push(start..i);
            }
            start = i + 1;
        }
    }
    if start < sentence.end {
        out.push(start..sentence.end);
    }
    out
}

/// Character offsets of a text turned into byte offsets in constant time: the byte offset of
/// every `STEP`th character is kept, the rest is a walk of fewer than `STEP` characters. A
/// page's spans are character offsets; slicing them one by one from the start of the text
/// would cost the square of its length.
pub struct CharIndex<'a> {
    text: &'a str,
    marks: Vec<usize>,
}

impl<'a> CharIndex<'a> {
    const STEP: usize = 64;

    pub fn new(text: &'a str) -> CharIndex<'a> {
        let marks = text
            .char_indices()
            .step_by(Self::STEP)
            .map(|(b, _)| b)
            .collect();
        CharIndex { text, marks }
    }

    /// The byte offset of character `c` (the text's length past its end).
    pub fn byte(&self, c: usize) -> usize {
        let Some(&mark) = self.marks.get(c / Self::STEP) else {
            return self.text.len();
        };
        self.text[mark..]
            .char_indices()
            .nth(c % Self::STEP)
            .map_or(self.text.len(), |(b, _)| mark + b)
    }

    /// Characters `start..end`; empty when `end` is not after `start`.
    pub fn slice(&self, start: usize, end: usize) -> &'a str {
        let a = self.byte(start);
        let b = self.byte(end).max(a);
        &self.text[a..b]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_without_sentence_ends_is_read_in_bounded_runs() {
        let toks = tokens(&"word ".repeat(1000));
        let s = sentences(&toks);
        assert!(s.iter().all(|r| r.len() <= SENTENCE_TOKENS), "{s:?}");
        assert_eq!(s.first().map(|r| r.start), Some(0));
        assert_eq!(s.last().map(|r| r.end), Some(toks.len()));
        assert!(s.windows(2).all(|w| w[0].end == w[1].start));
        // A real sentence stays whole.
        assert_eq!(
            sentences(&tokens("Soyuz MS-25 docked. It was on time.")).len(),
            2
        );
    }

    #[test]
    fn char_index_slices_as_a_walk_from_the_start_does() {
        let text: String = "Прогресс МС-25 — “docked” at Звезда. ".repeat(40);
        let index = CharIndex::new(&text);
        let n = text.chars().count();
        for (a, b) in [
            (0, 0),
            (0, 5),
            (3, 70),
            (63, 64),
            (64, 130),
            (n - 3, n),
            (n, n + 4),
            (9, 2),
        ] {
            let walked: String = text.chars().skip(a).take(b.saturating_sub(a)).collect();
            assert_eq!(index.slice(a, b), walked, "{a}..{b}");
        }
    }

    fn words(s: &str) -> Vec<String> {
        tokens(s).into_iter().map(|t| t.text.to_string()).collect()
    }

    #[test]
    fn words_keep_inner_marks_and_drop_possessives() {
        assert_eq!(
            words("Boeing's Soyuz-2.1a flew O'Hara, Kud-Sverchkov."),
            [
                "Boeing",
                "Soyuz-2.1a",
                "flew",
                "O'Hara",
                ",",
                "Kud-Sverchkov",
                "."
            ]
        );
        assert_eq!(words("к МКС-64."), ["к", "МКС-64", "."]);
    }

    #[test]
    fn sentences_do_not_end_at_initials() {
        let t = tokens("S.P. Korolev built it. Then it flew! Did it?");
        let s = sentences(&t);
        assert_eq!(s.len(), 3, "{s:?}");
        let t = tokens("Dr. Kim landed. He rested.");
        assert_eq!(sentences(&t).len(), 2);
    }

    #[test]
    fn clauses_split_before_after() {
        let t = tokens("It docked after a launch from Florida; all is well");
        let c = clauses(&t, 0..t.len(), &[]);
        let texts: Vec<String> = c
            .iter()
            .map(|r| {
                t[r.clone()]
                    .iter()
                    .map(|x| x.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        assert_eq!(
            texts,
            ["It docked", "after a launch from Florida", "all is well"]
        );
    }

    #[test]
    fn offsets_are_characters() {
        let t = tokens("Союз МС-17 долетел");
        assert_eq!((t[1].start, t[1].end), (5, 10));
        assert_eq!(t[1].stem, stem(&t[1].key));
    }
}
