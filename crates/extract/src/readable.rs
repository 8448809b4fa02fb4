//! Which part of an HTML page is the article: a score for every container, from the text
//! it holds, and a pruning pass over the winner.
//!
//! The scoring follows the idea that made readability work — paragraphs vote for the
//! containers they sit in, weighted by length and clause count and discounted by link density —
//! with korolev's own additions: paragraphs vote only with their unlinked text, the markup's own
//! statements (`itemprop="articleBody"`, `<article>`, `role="main"`) count as strong evidence,
//! and the chosen container is widened to ancestors that hold substantially more prose of the
//! same kind, then pruned of captions, share strips, related-link lists, bylines and the like.
//!
//! The result is one flag per node: part of the article or not.

use crate::dom::{Data, Dom, Tag, ROOT};

/// Per-node figures the decisions are made on.
#[derive(Debug, Clone, Copy, Default)]
struct Stat {
    /// Non-whitespace characters of visible text.
    chars: u32,
    /// Of which inside links.
    link_chars: u32,
    /// Clause separators.
    commas: u32,
    /// Paragraph-like elements with at least a sentence of text.
    paras: u16,
    /// Images.
    imgs: u16,
    /// Form controls.
    inputs: u16,
    /// List items.
    lis: u16,
    /// Characters inside tag and category links.
    tag_chars: u32,
    /// Characters inside regions that are never the article (comments, related stories).
    aside_chars: u32,
    /// `<article>` elements below: more than one makes a list of stories.
    articles: u16,
    /// Any block element below.
    has_block: bool,
    /// Text of direct inline content (text and inline elements without blocks) of an element
    /// that also has block children: an implicit paragraph.
    inline_chars: u32,
    inline_link_chars: u32,
    inline_commas: u32,
}

impl Stat {
    fn link_density(&self) -> f32 {
        if self.chars == 0 {
            0.0
        } else {
            self.link_chars as f32 / self.chars as f32
        }
    }
}

// What a word in a `class` or `id` says about its element.
/// The article's own container: "article-body", "entry-content", "storyBody".
const POS: u8 = 1;
/// Usually not the article: "sidebar", "promo", "meta".
const NEG: u8 = 2;
/// Furniture to cut from inside the article (a narrower set than `NEG`: a data table's
/// `class="player-row"` is not a video player).
const CUT: u8 = 4;
/// A region that is never the article, whatever it holds: comments, related stories.
const ASIDE: u8 = 8;

/// Every class/id word that means something, sorted for binary search, with what it means.
const WORDS: &[(&str, u8)] = &[
    ("ad", NEG | CUT),
    ("ads", NEG | CUT),
    ("advert", NEG | CUT),
    ("advertisement", NEG | CUT),
    ("article", POS),
    ("articlebody", POS),
    ("articlecontent", POS),
    ("articletext", POS),
    ("aside", NEG),
    ("author", NEG | CUT),
    ("banner", NEG | CUT),
    ("blog", POS),
    ("body", POS),
    ("bodytext", POS),
    ("breadcrumb", NEG | CUT),
    ("breadcrumbs", NEG | CUT),
    ("byline", NEG | CUT),
    ("caption", NEG | CUT),
    ("combx", NEG),
    ("comment", NEG | CUT | ASIDE),
    ("commentlist", ASIDE),
    ("comments", NEG | CUT | ASIDE),
    ("content", POS),
    ("cookie", NEG | CUT),
    ("cookies", NEG | CUT),
    ("copyright", NEG),
    ("credit", NEG),
    ("dateline", NEG | CUT),
    ("detail", POS),
    ("disclaimer", NEG),
    ("disqus", NEG | CUT | ASIDE),
    ("embed", NEG),
    ("entry", POS),
    ("entrycontent", POS),
    ("foot", NEG),
    ("footer", NEG | CUT | ASIDE),
    ("gallery", NEG),
    ("hentry", POS),
    ("hidden", NEG),
    ("jump", NEG),
    ("login", NEG),
    ("main", POS),
    ("masthead", NEG),
    ("menu", NEG | CUT),
    ("meta", NEG),
    ("modal", NEG | CUT),
    ("more", NEG),
    ("nav", NEG | CUT),
    ("navigation", NEG | CUT),
    ("news", POS),
    ("newsarticle", POS),
    ("newsletter", NEG | CUT),
    ("outbrain", NEG | CUT | ASIDE),
    ("page", POS),
    ("pager", NEG | CUT),
    ("pagination", NEG | CUT),
    ("photo", NEG),
    ("player", NEG),
    ("popular", NEG | CUT),
    ("popup", NEG | CUT),
    ("post", POS),
    ("postbody", POS),
    ("postcontent", POS),
    ("print", NEG),
    ("promo", NEG | CUT),
    ("promoted", NEG | CUT),
    ("prose", POS),
    ("rail", NEG | CUT),
    ("recommendations", NEG | CUT),
    ("recommended", NEG | CUT | ASIDE),
    ("related", NEG | CUT | ASIDE),
    ("replies", ASIDE),
    ("respond", ASIDE),
    ("richtext", POS),
    ("scroll", NEG),
    ("share", NEG | CUT),
    ("sharing", NEG | CUT),
    ("shopping", NEG),
    ("shoutbox", NEG),
    ("sidebar", NEG | CUT | ASIDE),
    ("signup", NEG | CUT),
    ("skyscraper", NEG | CUT),
    ("social", NEG | CUT),
    ("sponsor", NEG | CUT),
    ("sponsored", NEG | CUT),
    ("story", POS),
    ("storybody", POS),
    ("subscribe", NEG | CUT),
    ("subscription", NEG | CUT),
    ("taboola", NEG | CUT | ASIDE),
    ("tag", NEG),
    ("tags", NEG | CUT),
    ("teaser", NEG),
    ("text", POS),
    ("timestamp", NEG | CUT),
    ("toolbar", NEG | CUT),
    ("tools", NEG),
    ("trending", NEG | CUT),
    ("utility", NEG),
    ("video", NEG),
    ("widget", NEG | CUT),
];

/// What an element's attributes say about it, read in one pass over them.
#[derive(Debug, Clone, Copy, Default)]
struct Marks {
    /// Positive minus negative class/id words.
    weight: i32,
    /// Union of the word flags.
    words: u8,
    hidden: bool,
    article_body: bool,
    article_type: bool,
    role_main: bool,
    role_furniture: bool,
    /// `rel="tag"` or `rel="category"`: a link to a tag or category page.
    tag_link: bool,
}

/// Open-addressing table over [`WORDS`], keyed by FNV-1a of the lowercase word: one probe
/// or two per class word instead of a binary search.
struct WordTable {
    slots: Vec<u16>,
}

const EMPTY_SLOT: u16 = u16::MAX;

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn word_table() -> &'static WordTable {
    static TABLE: std::sync::OnceLock<WordTable> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let size = (WORDS.len() * 4).next_power_of_two();
        let mut slots = vec![EMPTY_SLOT; size];
        for (i, (w, _)) in WORDS.iter().enumerate() {
            let mut at = fnv1a(w.as_bytes()) as usize & (size - 1);
            while slots[at] != EMPTY_SLOT {
                at = (at + 1) & (size - 1);
            }
            slots[at] = i as u16;
        }
        WordTable { slots }
    })
}

/// The flags of one class/id word, compared in lowercase without allocating.
fn word_flags(word: &str) -> u8 {
    let mut buf = [0u8; 24];
    if word.len() > buf.len() || word.len() < 2 {
        return 0;
    }
    for (d, s) in buf.iter_mut().zip(word.bytes()) {
        *d = s.to_ascii_lowercase();
    }
    let key = &buf[..word.len()];
    let table = word_table();
    let mask = table.slots.len() - 1;
    let mut at = fnv1a(key) as usize & mask;
    loop {
        let slot = table.slots[at];
        if slot == EMPTY_SLOT {
            return 0;
        }
        let (w, flags) = WORDS[slot as usize];
        if w.as_bytes() == key {
            return flags;
        }
        at = (at + 1) & mask;
    }
}

/// Splits a class or id value into words — on punctuation, and on camelCase
/// ("articleBody" is also "article" and "body") — and adds up what they say.
fn read_words(value: &str, marks: &mut Marks) {
    // After "has", "with" or "without" a word describes a layout, not the element:
    // "has-sidebar", "with-related" say nothing against the element's own content. ("no-comments"
    // is left alone: it is as often the "No comments yet" notice as a layout.)
    let mut modified = false;
    let mut add = |word: &str, modified: bool| {
        let mut f = word_flags(word);
        if modified {
            f &= POS;
        }
        marks.words |= f;
        if f & NEG != 0 {
            marks.weight -= 1;
        } else if f & POS != 0 {
            marks.weight += 1;
        }
    };
    // Real class lists are short; a hostile one is read only so far.
    let end = (0..=value.len().min(512))
        .rev()
        .find(|&i| value.is_char_boundary(i))
        .unwrap_or(0);
    for part in value[..end].split(|c: char| !c.is_ascii_alphanumeric()) {
        if part.is_empty() {
            continue;
        }
        add(part, modified);
        let b = part.as_bytes();
        let mut start = 0;
        for i in 1..b.len() {
            if b[i].is_ascii_uppercase() && b[i - 1].is_ascii_lowercase() {
                add(&part[start..i], modified);
                start = i;
            }
        }
        if start > 0 {
            add(&part[start..], modified);
        }
        modified = ["has", "with", "without"]
            .iter()
            .any(|m| part.eq_ignore_ascii_case(m));
    }
}

/// FNV-1a: a cheap hash for the short class strings a page repeats on many elements.
#[derive(Default)]
struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type WordCache<'a> =
    std::collections::HashMap<&'a str, (i32, u8), std::hash::BuildHasherDefault<Fnv>>;

/// `display:none` or `visibility:hidden`, in any case and spacing.
fn style_hides(style: &str) -> bool {
    let b = style.as_bytes();
    let has = |needle: &[u8]| {
        b.windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
    };
    if !(has(b"none") || has(b"hidden")) {
        return false;
    }
    let squeezed: String = style
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    squeezed.contains("display:none") || squeezed.contains("visibility:hidden")
}

fn read_marks<'a>(dom: &Dom<'a>, id: u32, cache: &mut WordCache<'a>) -> Marks {
    let mut m = Marks::default();
    for (name, value) in dom.attrs(id) {
        match name.len() {
            2 | 5 if name.eq_ignore_ascii_case("id") || name.eq_ignore_ascii_case("class") => {
                let (weight, words) = *cache.entry(value).or_insert_with(|| {
                    let mut w = Marks::default();
                    read_words(value, &mut w);
                    (w.weight, w.words)
                });
                m.weight += weight;
                m.words |= words;
            }
            6 if name.eq_ignore_ascii_case("hidden") => m.hidden = true,
            11 if name.eq_ignore_ascii_case("aria-hidden") => {
                m.hidden |= value.trim().eq_ignore_ascii_case("true")
            }
            5 if name.eq_ignore_ascii_case("style") => m.hidden |= style_hides(value),
            8 if name.eq_ignore_ascii_case("itemprop") => {
                m.article_body |= value.eq_ignore_ascii_case("articleBody")
            }
            8 if name.eq_ignore_ascii_case("itemtype") => {
                m.article_type |= ["Article", "BlogPosting", "Report"]
                    .iter()
                    .any(|k| value.contains(k))
            }
            3 if name.eq_ignore_ascii_case("rel") => {
                m.tag_link |= value
                    .split_ascii_whitespace()
                    .any(|r| r.eq_ignore_ascii_case("tag") || r.eq_ignore_ascii_case("category"))
            }
            4 if name.eq_ignore_ascii_case("role") => {
                m.role_main |= value.trim().eq_ignore_ascii_case("main");
                m.role_furniture |= is_furniture_role(value);
            }
            _ => {}
        }
    }
    m.weight = m.weight.clamp(-2, 2);
    m
}

fn is_furniture_role(role: &str) -> bool {
    matches!(
        role.trim().to_ascii_lowercase().as_str(),
        "navigation" | "banner" | "contentinfo" | "complementary" | "search" | "menu" | "menubar"
    )
}

/// Ancestors that hold too little more to be the article, passed over in a row before the
/// widening stops.
const PASSED_OVER: u32 = 2;

/// Items of one kind (tag and class) under one parent that make a page of several posts.
const REPEATED_ITEMS: usize = 3;
/// Items alike that make a page a list rather than an article, at least.
const LISTING_ITEMS: usize = 5;
/// How many times the best article's prose a list's items hold, at least, to be the page.
const LISTING_TIMES: u32 = 4;
/// Text of its own an item of a list holds, at least: a line with a few words beside its link.
const LISTING_ITEM_TEXT: u32 = 60;

/// Characters of prose an item of such a page holds at least.
const ITEM_PROSE: u32 = 200;

/// Characters of prose from which a text is long enough that an ancestor doubling it in
/// few paragraphs holds more of it.
const LONG_PROSE: f32 = 800.0;

/// Characters of unlinked text a sibling holds, at least, to count as prose around a list.
const AMID_PROSE: u32 = 80;

/// Share of a container's prose a child must hold to stand for it when the rest is asides.
const NARROW_SHARE: f32 = 0.8;

/// Share of more prose an ancestor must hold to be taken as the article.
const WIDEN_GAIN: f32 = 0.25;

/// Tags whose content is never shown as article text.
fn is_dead_tag(tag: Tag) -> bool {
    use Tag::*;
    matches!(
        tag,
        Head | Script
            | Style
            | Title
            | Template
            | Button
            | Input
            | Select
            | Textarea
            | Option
            | Noscript
            | Svg
            | Math
            | Iframe
            | Object
            | Canvas
            | Audio
            | Video
            | Map
            | Dialog
    )
}

/// The page split into article and the rest.
pub struct Selection {
    /// Node is visible text or markup of the page.
    pub live: Vec<bool>,
    /// Node belongs to the article.
    pub keep: Vec<bool>,
    /// Node sits inside page-level furniture (`nav`, `aside`, `footer`, forms…).
    pub furniture: Vec<bool>,
    /// The chosen container, if scoring found one.
    pub root: Option<u32>,
}

struct Scorer<'d, 'a> {
    dom: &'d Dom<'a>,
    live: Vec<bool>,
    stats: Vec<Stat>,
    weight: Vec<i8>,
    /// Inside a region marked as comments, related links, sidebar or footer.
    aside: Vec<bool>,
    /// What each element's attributes say.
    marks: Vec<Marks>,
    /// A sibling before and a sibling after hold a paragraph of prose.
    amid_prose: Vec<bool>,
}

impl Scorer<'_, '_> {
    fn tag(&self, id: u32) -> Tag {
        self.dom.tag(id).unwrap_or(Tag::Other)
    }

    fn compute(&mut self) {
        let dom = self.dom;
        let n = dom.nodes.len();
        // The elements that hold the page's first main heading.
        let mut holds_headline = vec![false; n];
        if let Some(h1) =
            (1..n).find(|&id| matches!(dom.nodes[id].data, Data::Element { tag: Tag::H1, .. }))
        {
            let mut at = h1;
            while at != 0 {
                holds_headline[at] = true;
                at = dom.nodes[at].parent as usize;
            }
        }
        // Top-down: liveness, what the attributes say, and regions that are never the article.
        let mut cache = WordCache::default();
        for id in 1..n {
            let node = &dom.nodes[id];
            let parent = node.parent as usize;
            let Data::Element { tag, .. } = node.data else {
                self.live[id] = self.live[parent];
                continue;
            };
            if !self.live[parent] || is_dead_tag(tag) {
                continue;
            }
            let m = read_marks(dom, id as u32, &mut cache);
            if m.hidden {
                continue;
            }
            self.live[id] = true;
            let mut w = m.weight;
            if m.article_body {
                w += 3;
            }
            if m.article_type {
                w += 2;
            }
            self.weight[id] = w as i8;
            self.marks[id] = m;
            // The page's own frame is never an aside, whatever its classes say; nor is a
            // layout column named both for the content and for its sidebar
            // (`id="body_main" class="sidebar"`) or an `<aside class="blogPost">` that holds
            // the page's headline.
            let frame = matches!(tag, Tag::Body | Tag::Html | Tag::Main)
                || (m.words & POS != 0 && holds_headline.get(id) == Some(&true));
            self.aside[id] = self.aside[parent]
                || (m.words & ASIDE != 0 && !frame)
                || m.role_furniture
                || matches!(tag, Tag::Nav | Tag::Footer)
                || (tag == Tag::Aside && !frame);
        }
        // Bottom-up: text statistics.
        for id in (1..n).rev() {
            if !self.live[id] {
                continue;
            }
            let node = &dom.nodes[id];
            let mut s = self.stats[id];
            match &node.data {
                Data::Text(r) => {
                    let text = &dom.src.as_bytes()[r.start as usize..r.end as usize];
                    let in_aside = self.aside[node.parent as usize];
                    let mut multibyte = false;
                    for &c in text {
                        if c & 0xC0 != 0x80 && !c.is_ascii_whitespace() {
                            s.chars += 1;
                        }
                        if c == b',' {
                            s.commas += 1;
                        }
                        multibyte |= c >= 0x80;
                    }
                    if multibyte {
                        let t = &dom.src[r.start as usize..r.end as usize];
                        s.commas += t
                            .chars()
                            .filter(|c| matches!(c, '，' | '、' | '،' | '。'))
                            .count() as u32;
                    }
                    if in_aside {
                        s.aside_chars = s.chars;
                    }
                }
                Data::Element { tag, .. } => {
                    match tag {
                        Tag::A => {
                            s.link_chars = s.chars;
                            if self.marks[id].tag_link {
                                s.tag_chars = s.chars;
                            }
                        }
                        Tag::Img => s.imgs += 1,
                        Tag::Input | Tag::Select | Tag::Textarea => s.inputs += 1,
                        Tag::Li => s.lis += 1,
                        Tag::Article => s.articles += 1,
                        _ => {}
                    }
                    if (s.chars >= 60 && self.is_paragraph(*tag, &s))
                        || (s.has_block && s.inline_chars >= 60)
                    {
                        s.paras += 1;
                    }
                }
            }
            self.stats[id] = s;
            let parent = node.parent as usize;
            let tag = self.tag(id as u32);
            let p = &mut self.stats[parent];
            p.chars += s.chars;
            p.link_chars += s.link_chars;
            p.tag_chars += s.tag_chars;
            p.aside_chars += s.aside_chars;
            p.commas += s.commas;
            p.paras = p.paras.saturating_add(s.paras);
            p.imgs = p.imgs.saturating_add(s.imgs);
            p.inputs = p.inputs.saturating_add(s.inputs);
            p.lis = p.lis.saturating_add(s.lis);
            p.articles = p.articles.saturating_add(s.articles);
            p.has_block |= s.has_block || (tag.is_block() && tag != Tag::Br);
            let inline = match node.data {
                Data::Text(_) => true,
                Data::Element { tag, .. } => !tag.is_block() && !s.has_block,
            };
            if inline {
                p.inline_chars += s.chars;
                p.inline_link_chars += s.link_chars;
                p.inline_commas += s.commas;
            }
        }
    }

    /// Marks the elements that stand between paragraphs of prose among their siblings: once
    /// over every node's children, so linear in the page.
    fn mark_amid_prose(&mut self) {
        let dom = self.dom;
        let mut kids = Vec::new();
        for p in 0..dom.nodes.len() as u32 {
            if !self.live[p as usize] || (dom.tag(p).is_none() && p != ROOT) {
                continue;
            }
            kids.clear();
            kids.extend(dom.children(p).filter(|&c| self.live[c as usize]));
            let prose = |c: u32| {
                let s = &self.stats[c as usize];
                s.paras > 0 && s.chars.saturating_sub(s.link_chars) >= AMID_PROSE
            };
            let mut seen = false;
            for &c in &kids {
                self.amid_prose[c as usize] = seen;
                seen |= prose(c);
            }
            let mut seen = false;
            for &c in kids.iter().rev() {
                self.amid_prose[c as usize] &= seen;
                seen |= prose(c);
            }
        }
    }

    /// A paragraph: a `<p>`/`<pre>`, or any element that holds text but no blocks.
    fn is_paragraph(&self, tag: Tag, s: &Stat) -> bool {
        use Tag::*;
        match tag {
            P | Pre => true,
            Td | Blockquote | Dd | Li | Div | Section | Article | Span | Font | Center | Main
            | Figure | Em | B | Strong | I => !s.has_block,
            _ => false,
        }
    }

    fn select(&self) -> Option<u32> {
        let dom = self.dom;
        let n = dom.nodes.len();
        let mut score = vec![0f32; n];
        let mut scored = vec![false; n];
        for id in 1..n {
            if !self.live[id] {
                continue;
            }
            let Some(tag) = dom.tag(id as u32) else {
                continue;
            };
            let s = &self.stats[id];
            // A paragraph votes for its ancestors; loose text beside blocks votes for the
            // element that holds it.
            let (chars, link_chars, commas, first) = if self.is_paragraph(tag, s) {
                (s.chars, s.link_chars, s.commas, dom.nodes[id].parent)
            } else if s.has_block && tag != Tag::Body && tag != Tag::Html {
                (
                    s.inline_chars,
                    s.inline_link_chars,
                    s.inline_commas,
                    id as u32,
                )
            } else {
                continue;
            };
            let plain = chars.saturating_sub(link_chars) as f32;
            if chars < 25 || plain < 20.0 {
                continue;
            }
            let density = link_chars as f32 / chars as f32;
            let vote = (1.0 + commas as f32 + (plain / 100.0).min(3.0)) * (1.0 - density);
            // Prose in a comment thread or a related-stories box votes within it, never for
            // the page around it: forty comments under a short post must not make the page's
            // column the article.
            let in_aside = first != ROOT && first != u32::MAX && self.aside[first as usize];
            let mut anc = first;
            for level in 0..5 {
                if anc == ROOT || anc == u32::MAX {
                    break;
                }
                let a = anc as usize;
                if in_aside && !self.aside[a] {
                    break;
                }
                if !scored[a] {
                    scored[a] = true;
                    score[a] = self.initial_score(anc);
                }
                let div = match level {
                    0 => 1.0,
                    1 => 2.0,
                    l => l as f32 * 3.0,
                };
                score[a] += vote / div;
                anc = dom.nodes[a].parent;
            }
        }
        let final_score = |id: usize| {
            let own_article = u16::from(dom.tag(id as u32) == Some(Tag::Article));
            let listing = self.stats[id].articles.saturating_sub(own_article) >= 2;
            let penalty = if self.aside[id] || listing { 0.2 } else { 1.0 };
            score[id] * (1.0 - self.stats[id].link_density()) * penalty
        };
        let mut best: Option<(usize, f32)> = None;
        for (id, _) in scored.iter().enumerate().filter(|(_, &s)| s) {
            let s = final_score(id);
            if best.is_none_or(|(_, b)| s > b) {
                best = Some((id, s));
            }
        }
        let Some((mut top, top_score)) = best else {
            return self.declared_main();
        };
        // A container that won by its name ("content") while its text is mostly a comment
        // thread or related stories gives way to the child that holds its prose: the post.
        let prose = |s: &Stat| s.chars.saturating_sub(s.link_chars + s.aside_chars) as f32;
        loop {
            let s = &self.stats[top];
            if (s.aside_chars as f32) < prose(s) {
                break;
            }
            let Some(child) = dom.children(top as u32).find(|&c| {
                let c = c as usize;
                !self.aside[c]
                    && self.weight[c] > 0
                    && scored[c]
                    && final_score(c) >= 0.5 * top_score
                    && prose(&self.stats[c]) >= NARROW_SHARE * prose(s)
            }) else {
                break;
            };
            top = child as usize;
        }
        // Widen to an ancestor that holds clearly more of the same prose: articles split over
        // several sibling containers, or a body container whose paragraphs sit one level down.
        // Prose in comment and related-story regions does not count.
        let mut cur = top;
        let mut passed = 0;
        loop {
            let parent = dom.nodes[cur].parent;
            if parent == ROOT || parent == u32::MAX {
                break;
            }
            let p = parent as usize;
            // The page's body is the article only when it is a run of items alike (the
            // sections of a document saved as a web page).
            if dom.tag(parent) == Some(Tag::Html)
                || (dom.tag(parent) == Some(Tag::Body)
                    && self.repeated_items(cur, parent) < REPEATED_ITEMS)
            {
                break;
            }
            let (ps, cs) = (&self.stats[p], &self.stats[top]);
            let gain = prose(ps) - prose(cs);
            // More paragraphs, or a long text's prose doubled in as few (old pages set an
            // article in a few large table cells; a short one doubles by any box beside it).
            let enough_more = gain > WIDEN_GAIN * prose(cs)
                && (ps.paras > cs.paras + 1 || (gain > prose(cs) && prose(cs) >= LONG_PROSE));
            let same_kind = ps.link_density() < 0.25 && self.weight[p] >= 0 && !self.aside[p];
            let parent_score = if scored[p] { final_score(p) } else { 0.0 };
            if self.stats[p].chars == self.stats[cur].chars && cur == top {
                // A wrapper around the winner and nothing else.
                top = p;
                cur = p;
                continue;
            }
            let widen = enough_more
                && same_kind
                && ((passed == 0 && (parent_score >= top_score * 0.2 || !scored[p]))
                    || self.repeated_items(cur, parent) >= REPEATED_ITEMS);
            if widen {
                top = p;
                cur = p;
                passed = 0;
                continue;
            }
            // An ancestor that adds little (an entry's footer line) is passed over, and the
            // ones above it are asked whether they hold several items like this one: the
            // posts of a blog's page.
            passed += 1;
            if passed > PASSED_OVER {
                break;
            }
            cur = p;
        }
        Some(self.listing_over(top as u32).unwrap_or(top as u32))
    }

    /// A page that is a list — search results, classifieds, a table of entries — rather than
    /// an article: the container of many items alike (the same tag and class, zebra stripes
    /// aside) whose own text is several times the prose of `top`, the best article found.
    fn listing_over(&self, top: u32) -> Option<u32> {
        let dom = self.dom;
        let plain = |s: &Stat| s.chars.saturating_sub(s.link_chars + s.aside_chars);
        let top_plain = plain(&self.stats[top as usize]);
        if top_plain >= LONG_PROSE as u32 {
            return None;
        }
        // A class as a set of words, less the numbering and striping of one item.
        type Signature<'a> = (Option<Tag>, Vec<&'a str>);
        let signature = |id: u32| -> Signature<'_> {
            let mut w: Vec<&str> = dom
                .attr_raw(id, "class")
                .unwrap_or("")
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|w| !w.is_empty() && !w.bytes().any(|b| b.is_ascii_digit()))
                .filter(|w| {
                    !["odd", "even", "alt", "first", "last"]
                        .iter()
                        .any(|z| w.eq_ignore_ascii_case(z))
                })
                .take(16)
                .collect();
            w.sort_unstable();
            w.dedup();
            (dom.tag(id), w)
        };
        let mut best: Option<(u32, u32)> = None;
        for id in 1..dom.nodes.len() as u32 {
            let s = &self.stats[id as usize];
            if !self.live[id as usize]
                || self.aside[id as usize]
                || self.weight[id as usize] < 0
                || plain(s) < top_plain.saturating_mul(LISTING_TIMES)
                || s.link_density() > 0.6
            {
                continue;
            }
            // Each kind of child: how many, and their text.
            let mut groups: Vec<(Signature, usize, u32)> = Vec::new();
            for c in dom.children(id) {
                let cs = &self.stats[c as usize];
                if dom.tag(c).is_none() || plain(cs) < LISTING_ITEM_TEXT {
                    continue;
                }
                let sig = signature(c);
                match groups.iter().position(|g| g.0 == sig) {
                    Some(i) => {
                        groups[i].1 += 1;
                        groups[i].2 += plain(cs);
                    }
                    None if groups.len() < 64 => groups.push((sig, 1, plain(cs))),
                    None => {}
                }
            }
            let Some(&(_, n, text)) = groups.iter().max_by_key(|g| g.2) else {
                continue;
            };
            if n >= LISTING_ITEMS
                && text >= top_plain.saturating_mul(LISTING_TIMES)
                && text * 10 >= plain(s) * 6
                && best.is_none_or(|(_, t)| text > t)
            {
                best = Some((id, text));
            }
        }
        best.map(|(id, _)| id)
    }

    /// How many children of `parent` are items like `child`: the same tag and class words
    /// (but those with digits, which number an item), each with a paragraph's worth of prose
    /// of its own.
    fn repeated_items(&self, child: usize, parent: u32) -> usize {
        let dom = self.dom;
        // A class as a set of words, less those that number one item ("post-123").
        let words = |id: u32| -> Vec<&str> {
            let mut w: Vec<&str> = dom
                .attr_raw(id, "class")
                .unwrap_or("")
                .split_ascii_whitespace()
                .filter(|w| !w.bytes().any(|b| b.is_ascii_digit()))
                .take(16)
                .collect();
            w.sort_unstable();
            w.dedup();
            w
        };
        // Items without a class are alike by their attributes (old pages set each post in a
        // `<table width="94%" border=0>`); a bare layout element is like every other.
        let look = |id: u32| -> Vec<(String, &str)> {
            let mut a: Vec<(String, &str)> = dom
                .attrs(id)
                .filter(|(n, _)| {
                    !["id", "name", "href", "src", "style", "title", "alt"]
                        .iter()
                        .any(|k| n.eq_ignore_ascii_case(k))
                })
                .take(16)
                .map(|(n, v)| (n.to_ascii_lowercase(), v))
                .collect();
            a.sort_unstable();
            a
        };
        let class = words(child as u32);
        let tag = dom.tag(child as u32);
        let attrs = if class.is_empty() {
            look(child as u32)
        } else {
            Vec::new()
        };
        if class.is_empty() && attrs.is_empty() {
            return 0;
        }
        dom.children(parent)
            .filter(|&c| {
                let s = &self.stats[c as usize];
                dom.tag(c) == tag
                    && words(c) == class
                    && (!class.is_empty() || look(c) == attrs)
                    && s.chars.saturating_sub(s.link_chars + s.aside_chars) >= ITEM_PROSE
            })
            .count()
    }

    /// With too little prose to score, the element the markup calls the main content.
    fn declared_main(&self) -> Option<u32> {
        let dom = self.dom;
        (1..dom.nodes.len() as u32)
            .filter(|&id| self.live[id as usize] && self.stats[id as usize].chars > 0)
            .filter(|&id| {
                let m = &self.marks[id as usize];
                matches!(dom.tag(id), Some(Tag::Article | Tag::Main))
                    || m.role_main
                    || m.article_body
            })
            .max_by_key(|&id| (self.stats[id as usize].chars, std::cmp::Reverse(id)))
    }

    fn initial_score(&self, id: u32) -> f32 {
        use Tag::*;
        let base = match self.tag(id) {
            Div | Article | Main | Section => 5.0,
            Pre | Td | Blockquote => 3.0,
            Address | Ol | Ul | Dl | Dd | Dt | Li | Form => -3.0,
            H1 | H2 | H3 | H4 | H5 | H6 | Th => -5.0,
            _ => 0.0,
        };
        let mut extra = 0.0;
        if self.tag(id) == Article {
            extra += 10.0;
        }
        if self.marks[id as usize].role_main {
            extra += 10.0;
        }
        base + extra + self.weight[id as usize] as f32 * 12.5
    }

    /// Whether an element inside the article is furniture to cut.
    fn prune(&self, id: u32, root_chars: u32) -> bool {
        use Tag::*;
        let tag = self.tag(id);
        let s = &self.stats[id as usize];
        let w = self.weight[id as usize];
        let share = s.chars as f32 / root_chars.max(1) as f32;
        match tag {
            Nav | Aside | Footer | Figcaption | H1 | Form | Label | Legend => return share < 0.5,
            Header => return share < 0.3,
            Figure => return s.paras == 0 && share < 0.2,
            Br | Hr | Img | Picture | Source | Wbr => return false,
            _ => {}
        }
        // A date standing alone (a dateline, "Updated 2 hours ago") is metadata, not prose;
        // a date inside a sentence stays.
        if tag == Time {
            let parent = self.dom.nodes[id as usize].parent as usize;
            return self.stats[parent].chars.saturating_sub(s.chars) < 30;
        }
        // Tag and category lists, with their label ("Tags: a, b, c").
        if s.tag_chars * 2 > s.chars && share < 0.25 {
            return true;
        }
        let marked = self.marks[id as usize].words & CUT != 0;
        if matches!(tag, Tr | Td | Th | Tbody | Thead | Tfoot) {
            return false;
        }
        if !tag.is_block() {
            return marked && share < 0.05 && s.paras == 0;
        }
        // An element its class calls furniture is cut, unless its class says more for the
        // content and it holds paragraphs: "entry entry_author_X" is a post by X.
        if marked && share < 0.25 && !(w > 0 && s.paras >= 1) {
            return true;
        }
        if s.chars == 0 {
            return false;
        }
        let ld = s.link_density();
        // Lists and boxes of links: related stories, tag clouds, share strips — but a list
        // the article's paragraphs stand around is the article's own (its sources, its
        // examples), and so are its items.
        let parent = self.dom.nodes[id as usize].parent as usize;
        let in_prose = match tag {
            Ul | Ol | Dl | Table => self.amid_prose[id as usize],
            Li => self.amid_prose[parent],
            _ => false,
        };
        if matches!(tag, Ul | Ol | Div | Section | Table | Dl | Menu | P | Li)
            && ld > 0.5
            && share < 0.25
            && !in_prose
        {
            // A paragraph that is a bare address cites a source: it stays.
            if tag != P {
                return true;
            }
            let text = self.dom.text_content(id);
            return !(text.contains("://") || text.starts_with("www."));
        }
        if matches!(tag, Div | Section | Table | Ul | Ol) && s.commas < 10 && share < 0.25 {
            let paras = s.paras as u32;
            let imgs = s.imgs as u32;
            if s.inputs as u32 > paras / 3 + 1 {
                return true;
            }
            // A strip of pictures with little text, unless its class calls it the content
            // (a short post of photographs is still the post).
            if imgs > 1 && paras * 2 < imgs && s.chars < 200 && w <= 0 {
                return true;
            }
            if w <= 0 && ld > 0.33 && !in_prose {
                return true;
            }
        }
        false
    }
}

/// Chooses the article's nodes.
pub fn select(dom: &Dom<'_>) -> Selection {
    let n = dom.nodes.len();
    let mut scorer = Scorer {
        dom,
        live: vec![false; n],
        stats: vec![Stat::default(); n],
        weight: vec![0; n],
        aside: vec![false; n],
        marks: vec![Marks::default(); n],
        amid_prose: vec![false; n],
    };
    scorer.live[ROOT as usize] = true;
    scorer.compute();
    scorer.mark_amid_prose();
    let root = scorer.select();
    let mut keep = vec![false; n];
    let mut furniture = vec![false; n];
    let root_chars = root.map_or(0, |r| scorer.stats[r as usize].chars);
    for id in 1..n {
        if !scorer.live[id] {
            continue;
        }
        let parent = dom.nodes[id].parent as usize;
        let tag = dom.tag(id as u32);
        furniture[id] = furniture[parent]
            || matches!(tag, Some(Tag::Nav | Tag::Aside | Tag::Footer | Tag::Form))
            || scorer.marks[id].role_furniture;
        keep[id] = if Some(id as u32) == root {
            true
        } else {
            keep[parent]
                && match tag {
                    Some(_) => !scorer.prune(id as u32, root_chars),
                    None => true,
                }
        };
    }
    Selection {
        live: scorer.live,
        keep,
        furniture,
        root,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_table_is_sorted_and_read_without_case() {
        assert!(WORDS.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(word_flags("Comments") & ASIDE, ASIDE);
        assert_eq!(word_flags("player") & CUT, 0);
        let mut m = Marks::default();
        read_words("articleBody main-content", &mut m);
        assert!(m.weight > 0 && m.words & POS != 0);
        let mut layout = Marks::default();
        read_words("content has-sidebar with-comments", &mut layout);
        assert_eq!(layout.words & (ASIDE | NEG | CUT), 0);
        assert!(layout.weight > 0);
    }

    fn kept_text(html: &str) -> String {
        let dom = crate::dom::parse(html);
        let sel = select(&dom);
        (0..dom.nodes.len() as u32)
            .filter(|&i| {
                sel.keep[i as usize] && matches!(dom.nodes[i as usize].data, Data::Text(_))
            })
            .map(|i| dom.raw_text(i).trim())
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join("|")
    }

    #[test]
    fn a_layout_wrapper_named_after_its_sidebar_is_not_an_aside() {
        let para = |s: &str| {
            format!("<p>{s}, with a clause, and another clause, as prose has, to make the paragraph long enough to count.</p>")
        };
        let html = format!(
            "<body><div class=\"layout has-sidebar\"><div class=entry>{}{}{}</div></div><div class=box>{}{}</div></body>",
            para("Crew-10 docked"),
            para("The hatches opened"),
            para("The crews held a welcome ceremony"),
            para("Box one"),
            para("Box two"),
        );
        let kept = kept_text(&html);
        assert!(
            kept.contains("Crew-10 docked") && !kept.contains("Box one"),
            "{kept}"
        );
    }

    #[test]
    fn a_content_column_classed_sidebar_that_holds_the_headline_is_not_an_aside() {
        let para = |s: &str| {
            format!("<p>{s}, with a clause, and another clause, as prose has, to make the paragraph long enough to count.</p>")
        };
        let page = |column: &str, headline: &str| {
            format!(
                "<body><div class=bar>{}</div>\
                 <div {column}>{headline}<div class=copy>{}{}{}</div></div></body>",
                para("Since you last looked"),
                para("Crew-10 docked"),
                para("The hatches opened"),
                para("The crews held a welcome ceremony"),
            )
        };
        let kept = kept_text(&page(
            "id=body_main class=sidebar",
            "<h1>Crew-10 docks</h1>",
        ));
        assert!(kept.contains("Crew-10 docked"), "{kept}");
        // Without a word for the content, or without the headline, a sidebar stays one.
        for (column, headline) in [
            ("class=sidebar", "<h1>Crew-10 docks</h1>"),
            ("id=body_main class=sidebar", ""),
        ] {
            let kept = kept_text(&page(column, headline));
            assert!(
                !kept.contains("Crew-10 docked"),
                "{column} {headline}: {kept}"
            );
        }
    }

    #[test]
    fn a_long_article_set_in_two_table_cells_is_kept_whole() {
        let sentence = "The crew worked on the station's water recycler, a long and careful job, and then on the air system, which took the rest of the day.";
        // Old pages: the article's start in one cell, in paragraphs, and the rest of it in
        // one long run of text in the cell beside.
        let page = format!(
            "<body><table><tr><td><a href=/>Home</a> <a href=/news>News</a></td></tr>\
             <tr><td><div>Part one begins here. {}</div><div>{}</div></td><td><div>Part two begins here {}</div></td></tr></table></body>",
            sentence.repeat(4),
            sentence.repeat(4),
            " and the report went on without a pause".repeat(60),
        );
        let kept = kept_text(&page);
        assert!(
            kept.contains("Part one") && kept.contains("Part two"),
            "{kept}"
        );
        // A short text does not take in a box beside it for being as long.
        let short = format!(
            "<body><div><div class=story><p>{}</p></div><div class=box><p>Box text. {}</p></div></div></body>",
            sentence.repeat(2),
            sentence.repeat(3)
        );
        let kept = kept_text(&short);
        assert!(!kept.contains("Box text"), "{kept}");
    }

    #[test]
    fn a_page_of_several_posts_keeps_them_all() {
        let para = |s: &str| {
            format!("<p>{s}, with a clause, and another clause, as prose has, to make the paragraph long enough to count.</p>")
        };
        // Each post: a dated wrapper (its class numbering it too, as blogs number posts), the
        // entry (its class naming its author, a word that
        // alone marks a byline to cut) with its body and a footer line of links.
        let post = |n: u32, last: &str| {
            format!(
                "<div class=\"day day-{n}\"><h3>Day {n}</h3><div class=\"entry entry_author_ann\"><div class=entry-body>{}{}{}</div>\
                 <div class=entry-footer><a href=/p/{n}>Posted by Ann</a> | <a href=/c/{n}>Comments</a></div></div></div>",
                para(&format!("Post {n} begins")),
                para(&format!("Post {n} goes on")),
                para(last),
            )
        };
        let html = format!(
            "<body><div id=content>{}{}{}{}{}</div><div class=links><a href=/a>Archive</a></div></body>",
            post(1, "The longest post of the page goes on, and on, and on, with a long clause added to make it the longest of all, with still more words"),
            post(2, "Second post"),
            post(3, "Third post"),
            post(4, "Fourth post"),
            post(5, "Fifth post"),
        );
        let kept = kept_text(&html);
        for n in 1..=5 {
            assert!(kept.contains(&format!("Post {n} begins")), "{kept}");
        }
        // Posts each of their own kind (no shared class) are not a list of posts.
        let html = html
            .replacen("class=\"day day-1\"", "class=one", 1)
            .replacen("class=\"day day-2\"", "class=two", 1);
        let kept = kept_text(&html);
        assert!(
            kept.contains("Post 1 begins") && !kept.contains("Post 2 begins"),
            "{kept}"
        );
    }

    fn prose(s: &str) -> String {
        format!("<p>{s}, with a clause, and another clause, as prose has, to make the paragraph long enough to count for something.</p>")
    }

    /// A page whose `frame` holds, where it says `{}`, the items 1 to 4 that `item` makes.
    fn four_items(frame: &str, item: impl Fn(u32) -> String) -> String {
        frame.replacen("{}", &(1..=4).map(item).collect::<String>(), 1)
    }

    /// Asserts that the article keeps the text `said` gives for each of the items 1 to 4.
    fn keeps_every_item(html: &str, said: impl Fn(u32) -> String) {
        let kept = kept_text(html);
        for n in 1..=4 {
            assert!(kept.contains(&said(n)), "{kept}");
        }
    }

    #[test]
    fn a_short_post_under_a_long_thread_is_the_article() {
        // The post is one sentence and a few pictures; forty comments below it, each a
        // paragraph, must neither make the page's column the article nor cut the post.
        let comments: String = (0..40)
            .map(|i| {
                format!(
                    "<li class=comment>{}</li>",
                    prose(&format!("Reader {i} says"))
                )
            })
            .collect();
        let html = format!(
            "<body><div id=content><div class=\"post hentry\"><h1>Sample images</h1>\
             <div class=entry-content><p><img src=a.jpg></p><p><img src=b.jpg></p><p><img src=c.jpg></p>\
             <p>Here are a few more pictures found on a photo site.</p></div></div>\
             <div id=comments><ol>{comments}</ol></div></div></body>"
        );
        let kept = kept_text(&html);
        assert!(kept.contains("a few more pictures"), "{kept}");
        assert!(!kept.contains("Reader 3 says"), "{kept}");
    }

    #[test]
    fn an_aside_named_for_the_post_that_holds_the_headline_is_the_article() {
        let html = format!(
            "<body><section id=left><aside class=blogPost><h1>The headline</h1>{}{}</aside></section>\
             <section id=right><div class=box>{}</div></section></body>",
            prose("The story begins"),
            prose("The story goes on"),
            prose("A box beside it"),
        );
        let kept = kept_text(&html);
        assert!(
            kept.contains("The story begins") && kept.contains("The story goes on"),
            "{kept}"
        );
        assert!(!kept.contains("A box beside it"), "{kept}");
        // An aside that is not named for the content stays an aside.
        let html = html.replace("class=blogPost", "class=promo");
        assert!(!kept_text(&html).contains("The story begins"));
    }

    #[test]
    fn a_list_of_links_between_paragraphs_is_the_articles_own() {
        let list = |name: &str| {
            format!(
                "<ul class={name}><li><a href=/1>First link of {name}</a></li><li><a href=/2>Second link</a></li>\
                 <li><a href=/3>Third link</a></li></ul>"
            )
        };
        let html = format!(
            "<body><div class=entry-content>{}{}{}{}{}</div></body>",
            prose("The newsletters I sent, by opening rate"),
            list("sources"),
            prose("The rates tell a story"),
            prose("And the end of it"),
            list("more"),
        );
        let kept = kept_text(&html);
        assert!(kept.contains("First link of sources"), "{kept}");
        assert!(!kept.contains("First link of more"), "{kept}");
    }

    #[test]
    fn a_document_of_sections_alike_keeps_every_section() {
        // A word processor's page: the body is the sections, each a run of paragraphs.
        let section = |n: u32| {
            format!(
                "<div class=Section1><div><div>{}{}</div></div></div>",
                prose(&format!("Section {n} opens")),
                prose(&format!("Section {n} closes"))
            )
        };
        let html = four_items("<body class=Normal>{}</body>", section);
        keeps_every_item(&html, |n| format!("Section {n} opens"));
        // Old pages set each post in a table with no class, alike by their attributes, its
        // footer row a line that adds little to the post.
        let post = |n: u32| {
            format!(
                "<table width=\"94%\" border=0><tr><td><b>Item {n}</b><br>{}{}</td></tr>\
                 <tr><td><a href=/c/{n}>Comments</a> | by Ann</td></tr></table>",
                prose(&format!("Item {n} says")),
                prose(&format!("Item {n} adds"))
            )
        };
        let html = four_items(
            "<body><table><tr><td class=nav><a href=/>Home</a></td><td>{}</td></tr></table></body>",
            post,
        );
        keeps_every_item(&html, |n| format!("Item {n} says"));
    }

    #[test]
    fn a_post_of_one_paragraph_whose_class_names_its_author_is_kept() {
        let post = |n: u32| {
            format!(
                "<div class=\"serendipity_entry serendipity_entry_author_ann\">{}</div>",
                prose(&format!("Post {n} of Ann"))
            )
        };
        let html = four_items(
            "<body><div id=content><p>The blog of Ann, a line of it.</p>{}</div></body>",
            post,
        );
        keeps_every_item(&html, |n| format!("Post {n} of Ann"));
    }

    #[test]
    fn a_page_that_is_a_list_keeps_the_list() {
        // Search results in a striped table, and a short notice elsewhere on the page.
        let row = |n: u32| {
            let stripe = if n.is_multiple_of(2) {
                "row-even"
            } else {
                "row-odd"
            };
            format!(
                "<tr class=\"result {stripe}\"><td><a href=/job/{n}>Engineer {n}</a>\
                 <div>Full time, on site, with a team that builds and tests flight software \
                 for small satellites.<div class=acts><a href=/save/{n}>Save</a></div></div></td></tr>"
            )
        };
        let rows: String = (1..=8).map(row).collect();
        let html = format!(
            "<body><div class=notice><div class=box>You must sign in to save a job, and signing \
             in is closed today, so please come back later.</div></div>\
             <table class=results>{rows}</table></body>"
        );
        let kept = kept_text(&html);
        for n in [1, 4, 8] {
            assert!(kept.contains(&format!("Engineer {n}")), "{kept}");
        }
        assert!(!kept.contains("sign in"), "{kept}");
    }

    #[test]
    fn an_article_is_not_taken_for_a_list_by_its_teasers() {
        let para = |s: &str| {
            format!("<p>{s}, with a clause, and another clause, as prose has, to make the paragraph long enough to count.</p>")
        };
        let teaser = |n: u32| {
            format!("<li class=teaser><a href=/s/{n}>Story {n}</a> A short line that sums up the story in a few words.</li>")
        };
        let teasers: String = (1..=8).map(teaser).collect();
        let html = format!(
            "<body><div class=story>{}{}{}</div><ul class=more>{teasers}</ul></body>",
            para("Soyuz MS-27 docked"),
            para("The crew opened the hatch"),
            para("The station's crew welcomed them"),
        );
        let kept = kept_text(&html);
        assert!(kept.contains("Soyuz MS-27 docked"), "{kept}");
        assert!(!kept.contains("Story 3"), "{kept}");
    }

    #[test]
    fn the_article_wins_over_comments_and_related_stories() {
        let para = |s: &str| {
            format!("<p>{s}, with a clause, and another clause, as prose has, to make the paragraph long enough to count.</p>")
        };
        let html = format!(
            "<body><nav><a href=/>Home</a></nav><div class=story-body>{}{}<div class=share-tools><a href=#>Share</a></div></div>\
             <div id=comments>{}{}{}</div><div class=related><article>{}</article><article>{}</article></div></body>",
            para("Soyuz MS-27 docked"),
            para("The crew opened the hatch"),
            para("Comment one"),
            para("Comment two"),
            para("Comment three"),
            para("Teaser one"),
            para("Teaser two"),
        );
        let kept = kept_text(&html);
        assert!(
            kept.contains("Soyuz MS-27 docked") && kept.contains("The crew opened the hatch"),
            "{kept}"
        );
        assert!(
            !kept.contains("Comment") && !kept.contains("Teaser") && !kept.contains("Share"),
            "{kept}"
        );
    }
}
