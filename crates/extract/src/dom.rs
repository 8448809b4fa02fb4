//! A compact, forgiving HTML tree: one pass of a byte tokenizer that builds an arena of nodes.
//!
//! This is not a spec-conforming HTML5 parser. It implements the parts of tree construction
//! that shape an article page — implied end tags (`<p>` closed by a block, `<li>` by the next
//! `<li>`, table cells and rows), void elements, raw-text elements, end tags with no open
//! element ignored — and nothing that only matters for scripting. Text and attribute values
//! are kept as byte ranges of the source and decoded only when read, so building the tree
//! allocates little beyond the arena itself.
//!
//! Limits: nesting deeper than [`MAX_DEPTH`] is flattened (deeper elements become children of
//! the deepest open one), and at most [`MAX_NODES`] nodes are built; the rest of a page past
//! that is dropped and [`Dom::truncated`] says so.

use std::ops::Range;

use memchr::memchr;

/// Deepest element nesting that is kept.
pub const MAX_DEPTH: usize = 512;
/// Most nodes built for one page.
pub const MAX_NODES: usize = 1 << 20;
/// Index of the document node, the root of every tree.
pub const ROOT: u32 = 0;
const NONE: u32 = u32::MAX;

macro_rules! tags {
    ($($variant:ident = $name:literal,)*) => {
        /// The element names the extractor tells apart; everything else is `Other`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Tag { Document, Other, $($variant,)* }

        impl Tag {
            /// The tag of an element name, in any case.
            pub fn named(name: &str) -> Tag {
                lower_tag(name.as_bytes())
            }

            fn from_lower(name: &[u8]) -> Tag {
                match name {
                    $($name => Tag::$variant,)*
                    _ => Tag::Other,
                }
            }
        }
    };
}

tags! {
    A = b"a", Abbr = b"abbr", Address = b"address", Area = b"area", Article = b"article",
    Aside = b"aside", Audio = b"audio", B = b"b", Base = b"base", Blockquote = b"blockquote",
    Body = b"body", Br = b"br", Button = b"button", Canvas = b"canvas", Caption = b"caption",
    Center = b"center", Cite = b"cite", Code = b"code", Col = b"col", Dd = b"dd",
    Details = b"details", Dialog = b"dialog", Div = b"div", Dl = b"dl", Dt = b"dt", Em = b"em",
    Embed = b"embed", Fieldset = b"fieldset", Figcaption = b"figcaption", Figure = b"figure",
    Font = b"font", Footer = b"footer", Form = b"form", Frameset = b"frameset", H1 = b"h1",
    H2 = b"h2", H3 = b"h3", H4 = b"h4", H5 = b"h5", H6 = b"h6", Head = b"head",
    Header = b"header", Hgroup = b"hgroup", Hr = b"hr", Html = b"html", I = b"i",
    Iframe = b"iframe", Img = b"img", Input = b"input", Label = b"label", Legend = b"legend",
    Li = b"li", Link = b"link", Main = b"main", Map = b"map", Math = b"math", Menu = b"menu",
    Meta = b"meta", Nav = b"nav", Noembed = b"noembed", Noframes = b"noframes",
    Noscript = b"noscript", Object = b"object", Ol = b"ol", Optgroup = b"optgroup",
    Option = b"option", Output = b"output", P = b"p", Param = b"param", Picture = b"picture",
    Pre = b"pre", Q = b"q", S = b"s", Script = b"script", Section = b"section",
    Select = b"select", Small = b"small", Source = b"source", Span = b"span", Strong = b"strong",
    Style = b"style", Sub = b"sub", Summary = b"summary", Sup = b"sup", Svg = b"svg",
    Table = b"table", Tbody = b"tbody", Td = b"td", Template = b"template",
    Textarea = b"textarea", Tfoot = b"tfoot", Th = b"th", Thead = b"thead", Time = b"time",
    Title = b"title", Tr = b"tr", Track = b"track", U = b"u", Ul = b"ul", Video = b"video",
    Wbr = b"wbr", Xmp = b"xmp",
}

impl Tag {
    pub fn is_void(self) -> bool {
        use Tag::*;
        matches!(
            self,
            Area | Base
                | Br
                | Col
                | Embed
                | Hr
                | Img
                | Input
                | Link
                | Meta
                | Param
                | Source
                | Track
                | Wbr
        )
    }

    /// Elements whose content is raw text, ended only by their own end tag.
    fn is_raw_text(self) -> bool {
        use Tag::*;
        matches!(
            self,
            Script | Style | Title | Textarea | Xmp | Noembed | Noframes
        )
    }

    /// Elements whose content is never page text; their subtrees are not built.
    fn is_opaque(self) -> bool {
        use Tag::*;
        matches!(
            self,
            Svg | Math
                | Template
                | Iframe
                | Object
                | Canvas
                | Noscript
                | Select
                | Audio
                | Video
                | Map
                | Frameset
                | Dialog
        )
    }

    /// Elements whose content is never page text: the opaque ones, and raw text that is not
    /// kept (scripts, styles, `noembed`, `noframes`).
    pub fn holds_no_page_text(self) -> bool {
        use Tag::*;
        self.is_opaque() || matches!(self, Script | Style | Noembed | Noframes)
    }

    /// Elements that start a new block of text.
    pub fn is_block(self) -> bool {
        use Tag::*;
        matches!(
            self,
            Address
                | Article
                | Aside
                | Blockquote
                | Body
                | Br
                | Caption
                | Center
                | Dd
                | Details
                | Div
                | Dl
                | Dt
                | Fieldset
                | Figcaption
                | Figure
                | Footer
                | Form
                | H1
                | H2
                | H3
                | H4
                | H5
                | H6
                | Header
                | Hgroup
                | Hr
                | Html
                | Legend
                | Li
                | Main
                | Menu
                | Nav
                | Ol
                | P
                | Pre
                | Section
                | Summary
                | Table
                | Tbody
                | Td
                | Tfoot
                | Th
                | Thead
                | Tr
                | Ul
                | Option
                | Textarea
        )
    }

    /// Start tags that close an open `<p>`.
    /// The formatting elements of the standard: their end tag does not end the blocks
    /// opened inside them.
    fn is_formatting(self) -> bool {
        use Tag::*;
        matches!(self, A | B | Code | Em | Font | I | S | Small | Strong | U)
    }

    /// The elements the standard's parser keeps in the head; any other ends it.
    fn belongs_in_head(self) -> bool {
        use Tag::*;
        matches!(
            self,
            Base | Link | Meta | Title | Style | Script | Noscript | Noframes | Template | Head
        )
    }

    fn closes_p(self) -> bool {
        use Tag::*;
        self.is_block()
            && !matches!(
                self,
                Br | Td | Th | Tr | Tbody | Thead | Tfoot | Caption | Li | Dd | Dt | Option
            )
    }

    pub fn heading_level(self) -> Option<u8> {
        use Tag::*;
        match self {
            H1 => Some(1),
            H2 => Some(2),
            H3 => Some(3),
            H4 => Some(4),
            H5 => Some(5),
            H6 => Some(6),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Data {
    Element {
        tag: Tag,
        /// Range of [`Dom::attrs`].
        attrs: Range<u32>,
    },
    /// Byte range of the source; character references not yet decoded.
    Text(Range<u32>),
}

#[derive(Debug, Clone)]
pub struct Node {
    pub data: Data,
    pub parent: u32,
    pub first_child: u32,
    pub last_child: u32,
    pub next_sibling: u32,
}

/// An attribute as byte ranges of the source: the name (already lowercase in the source or
/// compared case-insensitively) and the raw value.
#[derive(Debug, Clone)]
pub struct Attr {
    name: Range<u32>,
    value: Range<u32>,
}

pub struct Dom<'a> {
    pub src: &'a str,
    pub nodes: Vec<Node>,
    attrs: Vec<Attr>,
    /// The node limit was reached and the rest of the page was dropped.
    pub truncated: bool,
    /// Elements were nested deeper than [`MAX_DEPTH`].
    pub too_deep: bool,
}

fn idx(i: u32) -> usize {
    i as usize
}

impl<'a> Dom<'a> {
    pub fn tag(&self, id: u32) -> Option<Tag> {
        match self.nodes[idx(id)].data {
            Data::Element { tag, .. } => Some(tag),
            Data::Text(_) => None,
        }
    }

    pub fn children(&self, id: u32) -> Children<'_, 'a> {
        Children {
            dom: self,
            next: self.nodes[idx(id)].first_child,
        }
    }

    pub fn parent(&self, id: u32) -> Option<u32> {
        let p = self.nodes[idx(id)].parent;
        (p != NONE).then_some(p)
    }

    /// The raw value of an attribute, looked up by lowercase name.
    pub fn attr_raw(&self, id: u32, name: &str) -> Option<&'a str> {
        self.attrs(id)
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    }

    /// All attributes of an element as raw `(name, value)` pairs.
    pub fn attrs(&self, id: u32) -> impl Iterator<Item = (&'a str, &'a str)> + '_ {
        let range = match &self.nodes[idx(id)].data {
            Data::Element { attrs, .. } => idx(attrs.start)..idx(attrs.end),
            Data::Text(_) => 0..0,
        };
        let src = self.src;
        self.attrs[range].iter().map(move |a| {
            (
                &src[idx(a.name.start)..idx(a.name.end)],
                &src[idx(a.value.start)..idx(a.value.end)],
            )
        })
    }

    /// An attribute's value with character references decoded.
    pub fn attr(&self, id: u32, name: &str) -> Option<String> {
        self.attr_raw(id, name).map(crate::html::decode_entities)
    }

    /// The raw source text of a text node.
    pub fn raw_text(&self, id: u32) -> &'a str {
        match &self.nodes[idx(id)].data {
            Data::Text(r) => &self.src[idx(r.start)..idx(r.end)],
            Data::Element { .. } => "",
        }
    }

    /// All text under a node, each text node decoded, with whitespace collapsed to single
    /// spaces.
    pub fn text_content(&self, id: u32) -> String {
        let mut text = String::new();
        for n in id..self.subtree_end(id) {
            if let Data::Text(r) = &self.nodes[idx(n)].data {
                text.push_str(&crate::html::decode_entities_cow(
                    &self.src[idx(r.start)..idx(r.end)],
                ));
                text.push(' ');
            }
        }
        collapse_whitespace(&text)
    }

    /// One past the last node of `id`'s subtree: nodes are stored in document order, so a
    /// subtree is a contiguous range of ids.
    pub fn subtree_end(&self, id: u32) -> u32 {
        let mut n = id;
        while n != NONE {
            let node = &self.nodes[idx(n)];
            if node.next_sibling != NONE {
                return node.next_sibling;
            }
            n = node.parent;
        }
        self.nodes.len() as u32
    }
}

pub struct Children<'d, 'a> {
    dom: &'d Dom<'a>,
    next: u32,
}

impl Iterator for Children<'_, '_> {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        if self.next == NONE {
            return None;
        }
        let id = self.next;
        self.next = self.dom.nodes[idx(id)].next_sibling;
        Some(id)
    }
}

/// Collapses runs of whitespace (including no-break spaces) into one space and trims.
pub fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let bytes = s.as_bytes();
    let mut word: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // Whitespace is ASCII or one of a few characters that start with these bytes; the
        // rest of the text is copied a word at a time.
        let space_len = match b {
            b' ' | b'\t'..=b'\r' => 1,
            0xC2 | 0xE1 | 0xE2 | 0xE3 => s[i..]
                .chars()
                .next()
                .filter(|c| c.is_whitespace())
                .map_or(0, char::len_utf8),
            _ => 0,
        };
        if space_len == 0 {
            word.get_or_insert(i);
            i += 1;
            continue;
        }
        if let Some(start) = word.take() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&s[start..i]);
        }
        i += space_len;
    }
    if let Some(start) = word {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&s[start..]);
    }
    out
}

struct Builder<'a> {
    src: &'a str,
    nodes: Vec<Node>,
    attrs: Vec<Attr>,
    stack: Vec<(u32, Tag)>,
    /// How many elements of each tag are on the stack: an end tag or an implied close for a
    /// tag that is not open costs nothing, whatever the depth.
    open: [u32; TAG_COUNT],
    truncated: bool,
    too_deep: bool,
    /// A `head` was opened: a second one is ignored, as a browser ignores it.
    head_seen: bool,
    head_id: u32,
    /// Something of the body (an element with no place in a head, or text) has been added:
    /// from then on, elements of the head stay where they stand.
    body_begun: bool,
}

/// The elements that end the scope in which `</p>` or a block's start closes a paragraph.
const BUTTON_SCOPE: &[Tag] = &[
    Tag::Table,
    Tag::Td,
    Tag::Th,
    Tag::Caption,
    Tag::Html,
    Tag::Button,
    Tag::Object,
    Tag::Template,
];

/// More than the number of `Tag` variants.
const TAG_COUNT: usize = 128;

impl<'a> Builder<'a> {
    fn push(&mut self, id: u32, tag: Tag) {
        self.stack.push((id, tag));
        self.open[tag as usize] += 1;
    }

    /// Pops open elements down to `len`.
    fn pop_to(&mut self, len: usize) {
        while self.stack.len() > len {
            if let Some((_, t)) = self.stack.pop() {
                self.open[t as usize] -= 1;
            }
        }
    }

    /// Whether the node added last is `id` or inside it.
    fn last_within(&self, id: u32) -> bool {
        if id == NONE {
            return false;
        }
        let mut n = self.nodes.len() as u32 - 1;
        while n != NONE {
            if n == id {
                return true;
            }
            n = self.nodes[idx(n)].parent;
        }
        false
    }

    fn top(&self) -> Option<Tag> {
        self.stack.last().map(|&(_, t)| t)
    }

    fn current(&self) -> u32 {
        self.stack.last().map_or(ROOT, |&(id, _)| id)
    }

    fn append(&mut self, data: Data) -> Option<u32> {
        if self.nodes.len() >= MAX_NODES {
            self.truncated = true;
            return None;
        }
        let id = self.nodes.len() as u32;
        let parent = self.current();
        self.nodes.push(Node {
            data,
            parent,
            first_child: NONE,
            last_child: NONE,
            next_sibling: NONE,
        });
        let p = &mut self.nodes[idx(parent)];
        let prev = p.last_child;
        p.last_child = id;
        if prev == NONE {
            p.first_child = id;
        } else {
            self.nodes[idx(prev)].next_sibling = id;
        }
        Some(id)
    }

    fn text(&mut self, range: Range<usize>) {
        if range.is_empty() {
            return;
        }
        // Text in the head itself (not in its title) ends it: the body has begun.
        if !self.body_begun && !self.src[range.clone()].trim().is_empty() {
            if self.stack.last().is_some_and(|&(_, t)| t == Tag::Head) {
                self.close_if_open(Tag::Head, &[]);
            }
            if self.open[Tag::Head as usize] == 0 {
                self.body_begun = true;
            }
        }
        // Adjacent text (split by a comment or a dropped tag) joins one node.
        let cur = self.current();
        let last = self.nodes[idx(cur)].last_child;
        if last != NONE {
            if let Data::Text(r) = &mut self.nodes[idx(last)].data {
                if idx(r.end) == range.start {
                    r.end = range.end as u32;
                    return;
                }
            }
        }
        self.append(Data::Text(range.start as u32..range.end as u32));
    }

    /// Pops open elements up to and including the innermost `tag`, if it is open below any of
    /// the `boundary` elements.
    fn close_if_open(&mut self, tag: Tag, boundary: &[Tag]) -> bool {
        if self.open[tag as usize] == 0 {
            return false;
        }
        for i in (0..self.stack.len()).rev() {
            let t = self.stack[i].1;
            if t == tag {
                self.pop_to(i);
                return true;
            }
            if boundary.contains(&t) {
                return false;
            }
        }
        false
    }

    fn start(&mut self, tag: Tag, attrs: Range<u32>, self_closing: bool) -> Option<u32> {
        use Tag::*;
        // The head as the standard's parser builds it. Before the body begins, what belongs
        // in a head goes into it: into one implied when the page opened none, back into it
        // when the page closed it early. `</head>` may be left out: any tag that has no place
        // in a head ends it, so that a page without `</head>` (or with a second `<head>`)
        // keeps its body out of the head. A second `html`, `head` or `body` is no element.
        if !self.body_begun && tag.belongs_in_head() && tag != Head {
            if !self.head_seen {
                self.start(Head, 0..0, false);
            } else if self.open[Head as usize] == 0 && self.last_within(self.head_id) {
                // Only while nothing stands after the head: a subtree stays one run of ids.
                self.push(self.head_id, Head);
            }
        }
        if self.open[Head as usize] > 0 && !tag.belongs_in_head() && tag != Html {
            self.close_if_open(Head, &[]);
        }
        match tag {
            Head if self.head_seen => return None,
            Html | Body if self.open[tag as usize] > 0 => return None,
            Head => self.head_seen = true,
            Html => {}
            _ if !tag.belongs_in_head() => self.body_begun = true,
            _ => {}
        }
        if tag.closes_p() {
            self.close_if_open(P, BUTTON_SCOPE);
        }
        match tag {
            Li => {
                self.close_if_open(Li, &[Ul, Ol, Menu, Table, Td, Th]);
            }
            Dt | Dd if !self.close_if_open(Dt, &[Dl, Table, Dd]) => {
                self.close_if_open(Dd, &[Dl, Table, Dt]);
            }
            Td | Th if !self.close_if_open(Td, &[Tr, Table]) => {
                self.close_if_open(Th, &[Tr, Table]);
            }
            Tr => {
                self.close_if_open(Tr, &[Table]);
            }
            Tbody | Thead | Tfoot => {
                for t in [Tbody, Thead, Tfoot] {
                    self.close_if_open(t, &[Table]);
                }
            }
            Option => {
                self.close_if_open(Option, &[Select, Optgroup]);
            }
            A => {
                self.close_if_open(A, &[Table, Td, Th, Div, P, Li]);
            }
            H1 | H2 | H3 | H4 | H5 | H6 => {
                if let Some(&(_, t)) = self.stack.last() {
                    if t.heading_level().is_some() {
                        self.pop_to(self.stack.len() - 1);
                    }
                }
            }
            _ => {}
        }
        // A cell stands in a row: a row the page leaves out is implied. (The table's body a
        // browser implies too is not built: the article's scoring reads a table's rows as
        // its children, and measured better so.)
        if matches!(tag, Td | Th) && matches!(self.top(), Some(Table | Tbody | Thead | Tfoot)) {
            self.start(Tr, 0..0, false);
        }
        let id = self.append(Data::Element { tag, attrs })?;
        if tag == Head {
            self.head_id = id;
        }
        if !tag.is_void() && !self_closing {
            if self.stack.len() < MAX_DEPTH {
                self.push(id, tag);
            } else {
                self.too_deep = true;
            }
        }
        Some(id)
    }

    fn end(&mut self, tag: Tag) {
        // `</html>`, `</body>` and `</br>` end the head, if open, and begin the body; a
        // `</head>` before any head closes an empty one.
        if matches!(tag, Tag::Html | Tag::Body | Tag::Br) {
            self.close_if_open(Tag::Head, &[]);
            self.body_begun = true;
        }
        if tag == Tag::Head && !self.head_seen && !self.body_begun {
            if let Some(id) = self.append(Data::Element {
                tag: Tag::Head,
                attrs: 0..0,
            }) {
                self.head_seen = true;
                self.head_id = id;
            }
            return;
        }
        if tag == Tag::Br {
            self.body_begun = true;
            self.append(Data::Element {
                tag: Tag::Br,
                attrs: 0..0,
            });
            return;
        }
        if tag == Tag::Other {
            // Unknown end tags close the innermost unknown element.
            if self.open[Tag::Other as usize] > 0 {
                if let Some(i) = self.stack.iter().rposition(|&(_, t)| t == Tag::Other) {
                    self.pop_to(i);
                }
            }
            return;
        }
        if tag == Tag::P {
            // `</p>` with no paragraph open (in its scope) stands for an empty one, once the
            // body has begun.
            if !self.close_if_open(Tag::P, BUTTON_SCOPE) && self.body_begun {
                self.append(Data::Element {
                    tag: Tag::P,
                    attrs: 0..0,
                });
            }
            return;
        }
        if self.open[tag as usize] == 0 {
            return;
        }
        if let Some(i) = self.stack.iter().rposition(|&(_, t)| t == tag) {
            // `<b><p>text</b> more</p>`: a browser ends the bold and keeps the paragraph
            // open, so that what follows is still the paragraph's. The formatting element
            // leaves the open elements; the blocks inside it stay open.
            if tag.is_formatting() && self.stack[i + 1..].iter().any(|&(_, t)| t.is_block()) {
                self.stack.remove(i);
                self.open[tag as usize] -= 1;
                return;
            }
            self.pop_to(i);
        }
    }
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b':' | b'_' | b'.')
}

/// Parses a page into a tree.
pub fn parse(src: &str) -> Dom<'_> {
    let bytes = src.as_bytes();
    let mut b = Builder {
        src,
        nodes: Vec::with_capacity(src.len() / 40 + 16),
        attrs: Vec::with_capacity(src.len() / 60 + 16),
        stack: Vec::with_capacity(64),
        open: [0; TAG_COUNT],
        truncated: false,
        too_deep: false,
        head_seen: false,
        head_id: NONE,
        body_begun: false,
    };
    b.nodes.push(Node {
        data: Data::Element {
            tag: Tag::Document,
            attrs: 0..0,
        },
        parent: NONE,
        first_child: NONE,
        last_child: NONE,
        next_sibling: NONE,
    });
    let len = bytes.len();
    let mut pos = 0;
    // Inside an opaque element: its tag and how many of the same are open inside it.
    let mut opaque: Option<(Tag, usize)> = None;
    while pos < len && !b.truncated {
        let Some(lt) = memchr(b'<', &bytes[pos..]).map(|p| pos + p) else {
            if opaque.is_none() {
                b.text(pos..len);
            }
            break;
        };
        let next = bytes.get(lt + 1).copied().unwrap_or(b' ');
        let is_tag = next.is_ascii_alphabetic() || next == b'/' || next == b'!' || next == b'?';
        if !is_tag {
            // A bare '<' in text: keep it as text.
            if opaque.is_none() {
                b.text(pos..lt + 1);
            }
            pos = lt + 1;
            continue;
        }
        if opaque.is_none() {
            b.text(pos..lt);
        }
        if next == b'!' || next == b'?' {
            pos = if bytes[lt..].starts_with(b"<!--") {
                find_bytes(bytes, lt + 4, b"-->").map_or(len, |p| p + 3)
            } else {
                memchr(b'>', &bytes[lt..]).map_or(len, |p| lt + p + 1)
            };
            continue;
        }
        let closing = next == b'/';
        let name_start = if closing { lt + 2 } else { lt + 1 };
        let mut i = name_start;
        while i < len && is_name_byte(bytes[i]) {
            i += 1;
        }
        let tag = lower_tag(&bytes[name_start..i]);
        if closing {
            pos = memchr(b'>', &bytes[i..]).map_or(len, |p| i + p + 1);
            if i == name_start {
                continue;
            }
            match &mut opaque {
                Some((t, depth)) if *t == tag => {
                    if *depth == 0 {
                        opaque = None;
                        b.end(tag);
                    } else {
                        *depth -= 1;
                    }
                }
                Some(_) => {}
                None => b.end(tag),
            }
            continue;
        }
        let attr_start = b.attrs.len() as u32;
        let (self_closing, after) = parse_attrs(bytes, i, &mut b.attrs, opaque.is_none());
        let attrs = attr_start..b.attrs.len() as u32;
        pos = after;
        if let Some((t, depth)) = &mut opaque {
            if *t == tag && !self_closing {
                *depth += 1;
            }
            continue;
        }
        if tag.is_raw_text() && !self_closing {
            let mut end = find_end_tag(bytes, after, tag_name_bytes(tag));
            let unclosed_title = tag == Tag::Title && end == len;
            if unclosed_title {
                // A title never closed would hold the rest of the page, as the standard
                // reads it; a browser shows such a page's text all the same, and so does
                // korolev: the title ends at the next tag.
                end = next_tag(bytes, after).unwrap_or(len);
            }
            let id = b.start(tag, attrs, false);
            // Script bodies are kept only for JSON-LD; styles never.
            let keep = match tag {
                Tag::Title | Tag::Textarea | Tag::Xmp => true,
                Tag::Script => id.is_some_and(|id| {
                    attr_value(&b, id, "type")
                        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"))
                }),
                _ => false,
            };
            if keep {
                b.text(after..end);
            }
            b.end(tag);
            pos = if unclosed_title {
                end
            } else {
                memchr(b'>', &bytes[end..]).map_or(len, |p| end + p + 1)
            };
            continue;
        }
        b.start(tag, attrs, self_closing);
        if tag.is_opaque() && !self_closing {
            opaque = Some((tag, 0));
        }
    }
    Dom {
        src,
        nodes: b.nodes,
        attrs: b.attrs,
        truncated: b.truncated,
        too_deep: b.too_deep,
    }
}

fn attr_value<'a>(b: &Builder<'a>, id: u32, name: &str) -> Option<&'a str> {
    let Data::Element { attrs, .. } = &b.nodes[idx(id)].data else {
        return None;
    };
    b.attrs[idx(attrs.start)..idx(attrs.end)]
        .iter()
        .find(|a| b.src[idx(a.name.start)..idx(a.name.end)].eq_ignore_ascii_case(name))
        .map(|a| &b.src[idx(a.value.start)..idx(a.value.end)])
}

fn tag_name_bytes(tag: Tag) -> &'static [u8] {
    match tag {
        Tag::Script => b"script",
        Tag::Style => b"style",
        Tag::Title => b"title",
        Tag::Textarea => b"textarea",
        Tag::Xmp => b"xmp",
        Tag::Noembed => b"noembed",
        Tag::Noframes => b"noframes",
        _ => b"",
    }
}

fn lower_tag(name: &[u8]) -> Tag {
    if name.is_empty() || name.len() > 10 {
        return Tag::Other;
    }
    let mut buf = [0u8; 10];
    for (d, s) in buf.iter_mut().zip(name) {
        *d = s.to_ascii_lowercase();
    }
    Tag::from_lower(&buf[..name.len()])
}

/// Finds `needle` at or after `from`.
fn find_bytes(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let first = *needle.first()?;
    let mut i = from;
    while i < hay.len() {
        let p = i + memchr(first, &hay[i..])?;
        if hay[p..].starts_with(needle) {
            return Some(p);
        }
        i = p + 1;
    }
    None
}

/// Where the next tag starts at or after `from`: a `<` before a letter or `/`.
fn next_tag(hay: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while let Some(p) = memchr(b'<', &hay[i..]).map(|p| i + p) {
        if hay
            .get(p + 1)
            .is_some_and(|&c| c.is_ascii_alphabetic() || c == b'/')
        {
            return Some(p);
        }
        i = p + 1;
    }
    None
}

/// Whether `hay` holds `needle` in any ASCII case, without lowercasing a copy of `hay`.
pub fn contains_ignore_ascii_case(hay: &str, needle: &str) -> bool {
    let n = needle.len();
    n == 0
        || hay
            .as_bytes()
            .windows(n)
            .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Finds `</name` (any case) followed by a non-name byte, at or after `from`; the end of the
/// input when there is none.
fn find_end_tag(hay: &[u8], from: usize, name: &[u8]) -> usize {
    let mut i = from;
    while i < hay.len() {
        let Some(p) = memchr(b'<', &hay[i..]).map(|p| i + p) else {
            break;
        };
        let n = p + 2;
        if hay.get(p + 1) == Some(&b'/')
            && hay.len() >= n + name.len()
            && hay[n..n + name.len()].eq_ignore_ascii_case(name)
            && hay.get(n + name.len()).is_none_or(|&c| !is_name_byte(c))
        {
            return p;
        }
        i = p + 1;
    }
    hay.len()
}

/// Parses attributes from `i` up to the tag's `>`; returns whether the tag ended in `/>` and
/// the index after `>`. Attributes are recorded only when `keep` is set.
fn parse_attrs(bytes: &[u8], mut i: usize, out: &mut Vec<Attr>, keep: bool) -> (bool, usize) {
    let len = bytes.len();
    let mut count = 0;
    loop {
        let mut slash = false;
        while i < len && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            slash = bytes[i] == b'/';
            i += 1;
        }
        if i >= len {
            return (false, len);
        }
        if bytes[i] == b'>' {
            return (slash, i + 1);
        }
        let name_start = i;
        while i < len && !bytes[i].is_ascii_whitespace() && !matches!(bytes[i], b'=' | b'>' | b'/')
        {
            i += 1;
        }
        if i == name_start {
            i += 1;
            continue;
        }
        let name_end = i;
        while i < len && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = i..i;
        if i < len && bytes[i] == b'=' {
            i += 1;
            while i < len && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < len && (bytes[i] == b'"' || bytes[i] == b'\'') {
                let quote = bytes[i];
                let vstart = i + 1;
                let vend = memchr(quote, &bytes[vstart..]).map_or(len, |p| vstart + p);
                value = vstart..vend;
                i = (vend + 1).min(len);
            } else {
                let vstart = i;
                while i < len && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
                    i += 1;
                }
                value = vstart..i;
            }
        }
        if keep && count < 64 {
            out.push(Attr {
                name: name_start as u32..name_end as u32,
                value: value.start as u32..value.end as u32,
            });
            count += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contains_in_any_ascii_case() {
        assert!(contains_ignore_ascii_case("entry-Title main", "title"));
        assert!(contains_ignore_ascii_case("HEADLINE", "headline"));
        assert!(!contains_ignore_ascii_case("tit-le", "title"));
        assert!(!contains_ignore_ascii_case("ti", "title"));
        assert!(contains_ignore_ascii_case("Überschrift TITLE", "title"));
    }

    fn shape(dom: &Dom<'_>, id: u32) -> String {
        match &dom.nodes[id as usize].data {
            Data::Text(_) => format!("'{}'", dom.raw_text(id).trim()),
            Data::Element { tag, .. } => {
                let kids: Vec<String> = dom.children(id).map(|c| shape(dom, c)).collect();
                format!("{tag:?}[{}]", kids.join(","))
            }
        }
    }

    #[test]
    fn implied_end_tags() {
        let dom = parse("<div><p>one<p>two<ul><li>a<li>b</ul><p>three</div>");
        assert_eq!(
            shape(&dom, ROOT),
            "Document[Div[P['one'],P['two'],Ul[Li['a'],Li['b']],P['three']]]"
        );
    }

    #[test]
    fn the_head_ends_where_the_body_begins() {
        // No `</head>`: the body's first tag ends the head.
        let dom = parse("<html><head><title>T</title><body><p>text</p></body></html>");
        assert_eq!(
            shape(&dom, ROOT),
            "Document[Html[Head[Title['T']],Body[P['text']]]]"
        );
        // A title never closed ends at the next tag.
        let dom = parse("<title>T<meta charset=utf-8><p>text");
        assert_eq!(
            shape(&dom, ROOT),
            "Document[Head[Title['T'],Meta[]],P['text']]"
        );
        // Nor a `<body>`: the first tag with no place in a head, or text.
        let dom = parse("<head><meta charset=utf-8><link rel=x><div>a</div>");
        assert_eq!(shape(&dom, ROOT), "Document[Head[Meta[],Link[]],Div['a']]");
        let dom = parse("<head><title>T</title> \n Words<p>b");
        assert_eq!(
            shape(&dom, ROOT),
            "Document[Head[Title['T']],'Words',P['b']]"
        );
        // Before the body, what belongs in a head goes into one: implied, or the one the page
        // closed early; `</html>` or `</body>` begins the body.
        let dom = parse("<meta><title>T</title><p>x");
        assert_eq!(
            shape(&dom, ROOT),
            "Document[Head[Meta[],Title['T']],P['x']]"
        );
        let dom = parse("<head></head><title>X</title><p>y<title>Z</title>");
        assert_eq!(
            shape(&dom, ROOT),
            "Document[Head[Title['X']],P['y',Title['Z']]]"
        );
        let dom = parse("<head></html><meta><p>");
        assert_eq!(shape(&dom, ROOT), "Document[Head[],Meta[],P[]]");
        // A second head, html or body is no element of its own.
        let dom = parse("<html><head><title>T</title></head><head><body><p>a<body><p>b</html>");
        assert_eq!(
            shape(&dom, ROOT),
            "Document[Html[Head[Title['T']],Body[P['a'],P['b']]]]"
        );
    }

    #[test]
    fn paragraphs_rows_and_formatting_as_a_browser_ends_them() {
        // `</p>` with no paragraph open is an empty one.
        let dom = parse("<p>a<hr></p>b");
        assert_eq!(shape(&dom, ROOT), "Document[P['a'],Hr[],P[],'b']");
        // A cell without its row gets one.
        let dom = parse("<table><td>a<td>b</table>");
        assert_eq!(shape(&dom, ROOT), "Document[Table[Tr[Td['a'],Td['b']]]]");
        // The end of a bold inside which a paragraph began leaves the paragraph open.
        let dom = parse("<b><p>a</b>b</p>c");
        assert_eq!(shape(&dom, ROOT), "Document[B[P['a','b']],'c']");
        let dom = parse("<b><span>a</b>b");
        assert_eq!(shape(&dom, ROOT), "Document[B[Span['a']],'b']");
    }

    #[test]
    fn raw_text_and_opaque_elements() {
        let dom = parse(
            "<p>a<script>if (a<b) { x = '</p>' }</script>b<svg><svg></svg><text>no</text></svg>c</p><style>p{}</style>",
        );
        assert_eq!(
            shape(&dom, ROOT),
            "Document[P['a',Script[],'b',Svg[],'c'],Style[]]"
        );
    }

    #[test]
    fn stray_end_tags_and_unclosed_markup() {
        let dom = parse("</div><b>x<i>y</b>z</i><p class=\"q\" data-x='1' hidden>w");
        assert_eq!(shape(&dom, ROOT), "Document[B['x',I['y']],'z',P['w']]");
        let p = (0..dom.nodes.len() as u32)
            .find(|&i| dom.tag(i) == Some(Tag::P))
            .unwrap_or(ROOT);
        assert_eq!(dom.attr_raw(p, "class"), Some("q"));
        assert_eq!(dom.attr_raw(p, "DATA-X"), Some("1"));
        assert!(dom.attr_raw(p, "hidden").is_some());
    }

    #[test]
    fn subtrees_are_contiguous() {
        let dom = parse("<div><p>a<b>b</b></p><p>c</p></div><p>d</p>");
        let div = 1;
        assert_eq!(dom.text_content(div), "a b c");
        assert_eq!(dom.subtree_end(div), 8);
        assert_eq!(dom.text_content(ROOT), "a b c d");
        // Every node's descendants are the ids up to its subtree's end, also where the head
        // was taken up again or a bold ended inside a paragraph.
        for src in [
            "<head></head><meta><title>t</title>\n<link><p>x",
            "<head></head>\n<meta><p>x",
            "<b><p>a</b>b<i>c</i></p>d",
        ] {
            let dom = parse(src);
            for id in 0..dom.nodes.len() as u32 {
                for d in id + 1..dom.subtree_end(id) {
                    let mut up = dom.nodes[d as usize].parent;
                    while up != id && up != NONE {
                        up = dom.nodes[up as usize].parent;
                    }
                    assert_eq!(up, id, "{src:?}: node {d} in the range of {id}");
                }
            }
        }
    }

    #[test]
    fn every_tag_fits_the_open_counts() {
        assert!((Tag::Xmp as usize) < TAG_COUNT && (Tag::Other as usize) < TAG_COUNT);
    }

    #[test]
    fn depth_is_bounded() {
        let src = "<div>".repeat(100_000) + "deep";
        let dom = parse(&src);
        assert!(dom.too_deep);
        assert_eq!(dom.text_content(ROOT), "deep");
    }
}
