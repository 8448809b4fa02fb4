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

/// Words in `class`/`id` that mark a container as the article's or as furniture.
const POSITIVE: &[&str] = &[
    "article", "articlebody", "body", "content", "entry", "hentry", "main", "page", "post", "text",
    "blog", "story", "prose", "richtext", "bodytext", "storybody", "postbody", "entrycontent",
    "articletext", "articlecontent", "postcontent", "newsarticle", "news", "detail",
];
/// Words that mark an element inside the article as furniture to cut (a narrower list than
/// [`NEGATIVE`]: a data table's `class="player-row"` is not a video player).
const PRUNE: &[&str] = &[
    "share", "sharing", "social", "related", "comment", "comments", "newsletter", "subscribe",
    "subscription", "promo", "promoted", "ad", "ads", "advert", "advertisement", "sponsor",
    "sponsored", "byline", "caption", "breadcrumb", "breadcrumbs", "tags", "toolbar", "signup",
    "popup", "modal", "cookie", "cookies", "recommended", "recommendations", "taboola",
    "outbrain", "nav", "navigation", "menu", "footer", "sidebar", "widget", "pagination", "pager",
    "rail", "trending", "popular", "disqus", "skyscraper", "banner", "author", "dateline",
    "timestamp",
];

/// Words that mark a whole region as outside the article, whatever it holds.
const ASIDE: &[&str] = &[
    "comment", "comments", "disqus", "respond", "replies", "sidebar", "related", "recommended",
    "footer", "outbrain", "taboola", "commentlist",
];
const NEGATIVE: &[&str] = &[
    "comment", "comments", "combx", "disqus", "foot", "footer", "masthead", "outbrain", "promo",
    "promoted", "related", "scroll", "shoutbox", "sidebar", "skyscraper", "sponsor",
    "sponsored", "shopping", "tags", "tag", "widget", "share", "sharing", "social", "nav",
    "navigation", "menu", "breadcrumb", "breadcrumbs", "subscribe", "subscription", "newsletter",
    "ad", "ads", "advert", "advertisement", "banner", "cookie", "cookies", "popup", "modal",
    "recommended", "recommendations", "taboola", "byline", "author", "caption", "credit",
    "toolbar", "signup", "login", "rail", "aside", "teaser", "trending", "popular", "more",
    "print", "hidden", "copyright", "disclaimer", "meta", "dateline", "timestamp", "photo",
    "gallery", "video", "player", "embed", "tools", "utility", "jump", "pagination", "pager",
];

/// Splits `class` and `id` values into lowercase words: on punctuation, and on camelCase.
fn class_words(dom: &Dom<'_>, id: u32, out: &mut Vec<String>) {
    out.clear();
    for name in ["class", "id"] {
        let Some(value) = dom.attr_raw(id, name) else {
            continue;
        };
        for part in value.split(|c: char| !c.is_ascii_alphanumeric()) {
            if part.is_empty() || part.len() > 40 {
                continue;
            }
            out.push(part.to_ascii_lowercase());
            // camelCase: "articleBody" → also "article", "body".
            let b = part.as_bytes();
            let mut start = 0;
            for i in 1..b.len() {
                if b[i].is_ascii_uppercase() && b[i - 1].is_ascii_lowercase() {
                    out.push(part[start..i].to_ascii_lowercase());
                    start = i;
                }
            }
            if start > 0 {
                out.push(part[start..].to_ascii_lowercase());
            }
        }
    }
}

/// +1 per positive word, −1 per negative one, with strong signals counted twice.
fn class_weight(words: &[String]) -> i32 {
    let mut w = 0;
    for word in words {
        if NEGATIVE.contains(&word.as_str()) {
            w -= 1;
        } else if POSITIVE.contains(&word.as_str()) {
            w += 1;
        }
    }
    w.clamp(-2, 2)
}

fn is_hidden(dom: &Dom<'_>, id: u32) -> bool {
    if dom.has_attr(id, "hidden") {
        return true;
    }
    if dom
        .attr_raw(id, "aria-hidden")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    {
        return true;
    }
    dom.attr_raw(id, "style").is_some_and(|s| {
        let s: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        s.contains("display:none") || s.contains("visibility:hidden")
    })
}

fn is_furniture_role(role: &str) -> bool {
    matches!(
        role.trim().to_ascii_lowercase().as_str(),
        "navigation" | "banner" | "contentinfo" | "complementary" | "search" | "menu" | "menubar"
    )
}

/// Tags whose content is never shown as article text.
fn is_dead_tag(tag: Tag) -> bool {
    use Tag::*;
    matches!(
        tag,
        Head | Script | Style | Title | Template | Button | Input | Select | Textarea | Option
            | Noscript | Svg | Math | Iframe | Object | Canvas | Audio | Video | Map | Dialog
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
    /// Its class or id names it as furniture (see [`PRUNE`]).
    prunable: Vec<bool>,
}

impl Scorer<'_, '_> {
    fn tag(&self, id: u32) -> Tag {
        self.dom.tag(id).unwrap_or(Tag::Other)
    }

    fn compute(&mut self) {
        let dom = self.dom;
        let n = dom.nodes.len();
        let mut words = Vec::new();
        // Top-down: liveness and class weights.
        for id in 1..n {
            let node = &dom.nodes[id];
            let parent_live = self.live[node.parent as usize];
            self.live[id] = parent_live
                && match node.data {
                    Data::Element { tag, .. } => {
                        !is_dead_tag(tag) && !is_hidden(dom, id as u32)
                    }
                    Data::Text(_) => true,
                };
            if self.live[id] && matches!(node.data, Data::Element { .. }) {
                class_words(dom, id as u32, &mut words);
                let mut w = class_weight(&words);
                if dom
                    .attr_raw(id as u32, "itemprop")
                    .is_some_and(|v| v.eq_ignore_ascii_case("articleBody"))
                {
                    w += 3;
                }
                if dom.attr_raw(id as u32, "itemtype").is_some_and(|t| {
                    ["Article", "BlogPosting", "Report"]
                        .iter()
                        .any(|k| t.contains(k))
                }) {
                    w += 2;
                }
                self.weight[id] = w as i8;
                self.prunable[id] = words.iter().any(|w| PRUNE.contains(&w.as_str()));
                // Inside comments, related stories or a sidebar, nothing is the article.
                self.aside[id] = self.aside[node.parent as usize]
                    || words.iter().any(|w| ASIDE.contains(&w.as_str()))
                    || matches!(node.data, Data::Element { tag: Tag::Nav | Tag::Aside | Tag::Footer, .. })
                    || dom.attr_raw(id as u32, "role").is_some_and(is_furniture_role);
            }
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
                }
                Data::Element { tag, .. } => {
                    match tag {
                        Tag::A => s.link_chars = s.chars,
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
                (s.inline_chars, s.inline_link_chars, s.inline_commas, id as u32)
            } else {
                continue;
            };
            let plain = chars.saturating_sub(link_chars) as f32;
            if chars < 25 || plain < 20.0 {
                continue;
            }
            let density = link_chars as f32 / chars as f32;
            let vote = (1.0 + commas as f32 + (plain / 100.0).min(3.0)) * (1.0 - density);
            let mut anc = first;
            for level in 0..5 {
                if anc == ROOT || anc == u32::MAX {
                    break;
                }
                let a = anc as usize;
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
        for id in 1..n {
            if !scored[id] {
                continue;
            }
            let s = final_score(id);
            if best.is_none_or(|(_, b)| s > b) {
                best = Some((id, s));
            }
        }
        let Some((mut top, top_score)) = best else {
            return self.declared_main();
        };
        // Widen to an ancestor that holds clearly more of the same prose: articles split over
        // several sibling containers, or a body container whose paragraphs sit one level down.
        let mut cur = top;
        loop {
            let parent = dom.nodes[cur].parent;
            if parent == ROOT || parent == u32::MAX {
                break;
            }
            let p = parent as usize;
            let (ps, cs) = (&self.stats[p], &self.stats[top]);
            let plain = |s: &Stat| s.chars.saturating_sub(s.link_chars) as f32;
            let gain = plain(ps) - plain(cs);
            let enough_more = gain > 0.35 * plain(cs) && ps.paras > cs.paras + 1;
            let same_kind = ps.link_density() < 0.25 && self.weight[p] >= 0;
            let parent_score = if scored[p] { final_score(p) } else { 0.0 };
            if (enough_more && same_kind && parent_score >= top_score * 0.5)
                || (self.stats[p].chars == self.stats[cur].chars && cur == top)
            {
                top = p;
                cur = p;
                continue;
            }
            break;
        }
        Some(top as u32)
    }

    /// With too little prose to score, the element the markup calls the main content.
    fn declared_main(&self) -> Option<u32> {
        let dom = self.dom;
        (1..dom.nodes.len() as u32)
            .filter(|&id| self.live[id as usize] && self.stats[id as usize].chars > 0)
            .filter(|&id| {
                matches!(dom.tag(id), Some(Tag::Article | Tag::Main))
                    || dom
                        .attr_raw(id, "role")
                        .is_some_and(|r| r.eq_ignore_ascii_case("main"))
                    || dom
                        .attr_raw(id, "itemprop")
                        .is_some_and(|v| v.eq_ignore_ascii_case("articleBody"))
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
        if self
            .dom
            .attr_raw(id, "role")
            .is_some_and(|r| r.eq_ignore_ascii_case("main"))
        {
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
        let marked = self.prunable[id as usize];
        if matches!(tag, Tr | Td | Th | Tbody | Thead | Tfoot) {
            return false;
        }
        if !tag.is_block() {
            return marked && share < 0.05 && s.paras == 0;
        }
        if marked && share < 0.25 {
            return true;
        }
        if s.chars == 0 {
            return false;
        }
        let ld = s.link_density();
        // Lists and boxes of links: related stories, tag clouds, share strips.
        if matches!(tag, Ul | Ol | Div | Section | Table | Dl | Menu | P | Li)
            && ld > 0.5
            && share < 0.25
        {
            return true;
        }
        if matches!(tag, Div | Section | Table | Ul | Ol) && s.commas < 10 && share < 0.25 {
            let paras = s.paras as u32;
            let imgs = s.imgs as u32;
            if s.inputs as u32 > paras / 3 + 1 {
                return true;
            }
            if imgs > 1 && paras * 2 < imgs && s.chars < 200 {
                return true;
            }
            if w <= 0 && ld > 0.33 {
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
        prunable: vec![false; n],
    };
    scorer.live[ROOT as usize] = true;
    scorer.compute();
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
            || dom.attr_raw(id as u32, "role").is_some_and(is_furniture_role);
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
