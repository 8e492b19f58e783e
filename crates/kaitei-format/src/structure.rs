//! [`Block`]s → a node tree, by the rules of `FORMAT.md`: headings nest by
//! level; items nest by the order in which label styles first appear in
//! their scope (the section, or the article); `第N条` paragraphs are
//! articles with an optional caption, bare numbers inside them are 項;
//! quotes are commentary of the node before them.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt::Write;

use kaitei_model::{
    Document, Key, Label, LabelContext, LabelStyle, Metadata, Node, NodeKind, split_label,
};

use crate::attributes::{Attributes, split_attributes};
use crate::block::{Block, Line};
use crate::chunked::{Arena, Chunked, into_tree};
use crate::diagnostic::Diagnostic;

/// A document as read, with what was wrong and where each node was read.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The document.
    pub document: Document,
    /// Problems found, in line order.
    pub diagnostics: Vec<Diagnostic>,
    /// The line each node starts on, in the order of
    /// [`Document::nodes`] (a map by key cost more than a short item).
    lines: Vec<u32>,
}

impl Parsed {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// A document not read at all, with the one error that says why (a
    /// limit it is over).
    pub fn refused(meta: Metadata, why: Diagnostic) -> Parsed {
        Parsed {
            document: Document::new(meta),
            diagnostics: vec![why],
            lines: Vec::new(),
        }
    }

    /// The line (for Word, the paragraph) the node with `key` starts on.
    pub fn line_of(&self, key: &Key) -> Option<usize> {
        let i = self.document.nodes().position(|n| &n.key == key)?;
        self.lines.get(i).map(|&l| l as usize)
    }
}

/// One paragraph after splitting runs at label lines.
struct Paragraph<'a> {
    line: usize,
    first: Cow<'a, str>,
    rest: Vec<Cow<'a, str>>,
    escaped: bool,
}

impl Paragraph<'_> {
    fn text(&self) -> String {
        let len = self.first.len() + self.rest.iter().map(|r| r.len()).sum::<usize>();
        let mut s = String::with_capacity(len);
        s.push_str(&self.first);
        for r in &self.rest {
            s.push_str(r);
        }
        s
    }
}

enum Unit<'a> {
    Heading {
        line: usize,
        level: u8,
        text: Cow<'a, str>,
    },
    Paragraph(Paragraph<'a>),
    Quote {
        line: usize,
        paragraphs: Vec<String>,
    },
    Conflict {
        line: usize,
        conflict: Box<kaitei_model::Conflict>,
    },
}

/// Whether `s` is only a caption in parentheses: `（目的）`, `(目的)`.
fn caption(s: &str) -> Option<&str> {
    let inner = s
        .strip_prefix(['（', '('])?
        .strip_suffix(['）', ')'])?
        .trim();
    (!inner.is_empty() && split_label(s, LabelContext::Item).is_none()).then_some(inner)
}

fn starts_article(s: &str) -> bool {
    split_label(s, LabelContext::Item).is_some_and(|(l, _)| l.style() == LabelStyle::Article)
}

/// Splits text runs into paragraphs: a line that begins with a label (in
/// the context of the moment) starts one, and so does a caption line right
/// before an article line. In chunks, freed as the builder takes them.
fn units(blocks: Vec<Block<'_>>) -> Chunked<Unit<'_>> {
    let mut out = Chunked::default();
    let mut in_article = false;
    // For each block, whether the next block is a text run that starts
    // with an article (a caption may end one run, its article start the
    // next).
    let next_starts_article: Vec<bool> = (0..blocks.len())
        .map(|i| match blocks.get(i + 1) {
            Some(Block::Text {
                lines,
                escaped: false,
            }) => lines.first().is_some_and(|l| starts_article(&l.text)),
            _ => false,
        })
        .collect();
    for (bi, block) in blocks.into_iter().enumerate() {
        match block {
            Block::Heading { line, level, text } => {
                in_article = false;
                out.push(Unit::Heading { line, level, text });
            }
            Block::Quote { line, paragraphs } => out.push(Unit::Quote { line, paragraphs }),
            Block::Conflict { line, conflict } => out.push(Unit::Conflict { line, conflict }),
            Block::Text {
                lines,
                escaped: true,
            } => {
                let mut it = lines.into_iter();
                if let Some(first) = it.next() {
                    out.push(Unit::Paragraph(Paragraph {
                        line: first.number,
                        first: first.text,
                        rest: it.map(|l| l.text).collect(),
                        escaped: true,
                    }));
                }
            }
            Block::Text {
                lines,
                escaped: false,
            } => {
                let mut current: Option<Paragraph> = None;
                let count = lines.len();
                let mut iter = lines.into_iter().enumerate().peekable();
                while let Some((li, Line { number, text })) = iter.next() {
                    let context = if in_article {
                        LabelContext::InArticle
                    } else {
                        LabelContext::Item
                    };
                    let label = split_label(&text, context);
                    let is_caption = caption(&text).is_some()
                        && match iter.peek() {
                            Some((_, next)) => starts_article(&next.text),
                            None => li + 1 == count && next_starts_article[bi],
                        };
                    if label
                        .as_ref()
                        .is_some_and(|(l, _)| l.style() == LabelStyle::Article)
                    {
                        in_article = true;
                    }
                    if label.is_some() || is_caption || current.is_none() {
                        out.extend(current.take().map(Unit::Paragraph));
                        current = Some(Paragraph {
                            line: number,
                            first: text,
                            rest: Vec::new(),
                            escaped: false,
                        });
                    } else if let Some(p) = current.as_mut() {
                        p.rest.push(text);
                    }
                }
                out.extend(current.map(Unit::Paragraph));
            }
        }
    }
    out
}

#[derive(Default)]
struct Scope {
    /// Label families in order of first appearance.
    styles: Vec<LabelStyle>,
    /// Open items: (depth, arena index).
    stack: Vec<(usize, usize)>,
    /// Whether one-katakana labels in this scope are iroha.
    iroha: Option<bool>,
}

impl Scope {
    /// Places an item with `label` in this scope; returns its (possibly
    /// iroha-reread) label and its depth.
    fn place(&mut self, label: Label) -> (Label, usize) {
        let label = if label.style() == LabelStyle::Katakana {
            let iroha = *self.iroha.get_or_insert(label.is_katakana_i());
            if iroha { label.to_iroha() } else { label }
        } else {
            label
        };
        let family = label.style().nesting_family();
        let depth = match self.styles.iter().position(|&s| s == family) {
            Some(i) => i + 1,
            None => {
                self.styles.push(family);
                self.styles.len()
            }
        };
        while self.stack.last().is_some_and(|&(d, _)| d >= depth) {
            self.stack.pop();
        }
        (label, depth)
    }

    fn parent(&self) -> Option<usize> {
        self.stack.last().map(|&(_, i)| i)
    }
}

struct ArticleState {
    index: usize,
    scope: Scope,
    paragraph: Option<usize>,
}

struct Builder {
    arena: Arena,
    preamble: Vec<String>,
    headings: Vec<(u8, usize)>,
    section: Scope,
    article: Option<ArticleState>,
    last: Option<usize>,
    pinned: Vec<(usize, Key)>,
    diags: Vec<Diagnostic>,
}

fn placeholder_key() -> Key {
    Key::new("_").expect("valid key")
}

impl Builder {
    fn push(&mut self, node: Node, parent: Option<usize>, line: usize, attrs: Attributes) -> usize {
        let index = self.arena.len();
        let mut node = node;
        if let Some(k) = attrs.key {
            self.pinned.push((index, k));
        }
        node.from = attrs.from;
        node.status = attrs.status;
        self.arena.push((node, parent, line));
        self.last = Some(index);
        index
    }

    fn attributes<'t>(&mut self, line: usize, text: &'t str) -> (&'t str, Attributes) {
        let (rest, attrs) = split_attributes(text);
        let attrs = match attrs {
            Ok(a) => a.unwrap_or_default(),
            Err(msg) => {
                self.diags.push(Diagnostic::error(
                    line,
                    format!("bad attribute block: {msg}"),
                ));
                Attributes::default()
            }
        };
        (rest, attrs)
    }

    fn heading(&mut self, line: usize, level: u8, text: &str) {
        let (text, attrs) = self.attributes(line, text);
        let mut node = Node::new(NodeKind::Heading, placeholder_key());
        match split_label(text, LabelContext::Heading) {
            Some((label, title)) => {
                node.label = Some(label);
                node.title = (!title.is_empty()).then(|| title.to_string());
            }
            None => node.title = (!text.is_empty()).then(|| text.to_string()),
        }
        while self.headings.last().is_some_and(|&(l, _)| l >= level) {
            self.headings.pop();
        }
        let parent = self.headings.last().map(|&(_, i)| i);
        let index = self.push(node, parent, line, attrs);
        self.headings.push((level, index));
        self.section = Scope::default();
        self.article = None;
    }

    fn heading_parent(&self) -> Option<usize> {
        self.headings.last().map(|&(_, i)| i)
    }

    fn paragraph(&mut self, p: Paragraph<'_>, title: Option<String>) {
        if p.escaped {
            self.continuation(p.text());
            return;
        }
        let context = if self.article.is_some() {
            LabelContext::InArticle
        } else {
            LabelContext::Item
        };
        let Some((label, _)) = split_label(&p.first, context) else {
            self.continuation(p.text());
            return;
        };
        // Attributes end the first line; strip them before reading the rest.
        let (first, attrs) = self.attributes(p.line, &p.first);
        let start = split_label(first, context).map_or("", |(_, r)| r);
        let mut text =
            String::with_capacity(start.len() + p.rest.iter().map(|r| r.len()).sum::<usize>());
        text.push_str(start);
        for r in &p.rest {
            text.push_str(r);
        }
        let mut node = Node::new(NodeKind::Item, placeholder_key());
        if !text.is_empty() {
            // Not `push`: a first push reserves room for four.
            node.paragraphs = vec![text];
        }
        match label.style() {
            LabelStyle::Article => {
                node.kind = NodeKind::Article;
                node.label = Some(label);
                node.title = title;
                self.section.stack.clear();
                let parent = self.heading_parent();
                let index = self.push(node, parent, p.line, attrs);
                self.article = Some(ArticleState {
                    index,
                    scope: Scope::default(),
                    paragraph: None,
                });
            }
            LabelStyle::Paragraph => {
                node.kind = NodeKind::Paragraph;
                node.label = Some(label);
                let Some(article) = self.article.as_ref() else {
                    unreachable!("bare numbers are labels only inside articles")
                };
                let parent = Some(article.index);
                let index = self.push(node, parent, p.line, attrs);
                if let Some(a) = self.article.as_mut() {
                    a.scope.stack.clear();
                    a.paragraph = Some(index);
                }
            }
            _ => {
                let (scope, base) = match self.article.as_mut() {
                    Some(a) => (&mut a.scope, Some(a.paragraph.unwrap_or(a.index))),
                    None => (&mut self.section, self.headings.last().map(|&(_, i)| i)),
                };
                let (label, depth) = scope.place(label);
                let parent = scope.parent().or(base);
                node.label = Some(label);
                let index = self.push(node, parent, p.line, attrs);
                let scope = match self.article.as_mut() {
                    Some(a) => &mut a.scope,
                    None => &mut self.section,
                };
                scope.stack.push((depth, index));
            }
        }
    }

    fn continuation(&mut self, text: String) {
        if text.is_empty() {
            return;
        }
        match self.last {
            Some(i) => self.arena[i].0.paragraphs.push(text),
            None => self.preamble.push(text),
        }
    }

    /// Gives pinned nodes their keys; returns the keys pinned.
    fn pin_keys(&mut self) -> HashSet<Key> {
        let mut used = HashSet::new();
        for (index, key) in std::mem::take(&mut self.pinned) {
            let line = self.arena[index].2;
            if !used.insert(key.clone()) {
                self.diags.push(Diagnostic::error(
                    line,
                    format!("key `#{key}` is pinned twice; each node needs its own key"),
                ));
                continue;
            }
            self.arena[index].0.key = key;
            self.arena[index].0.key_pinned = true;
        }
        used
    }

    fn finish(mut self, meta: Metadata) -> Parsed {
        let pinned = self.pin_keys();
        let (mut children, lines) = into_tree(std::mem::take(&mut self.arena));
        positional_keys(&mut children, &mut String::new(), &pinned);
        let document = Document {
            meta,
            preamble: self.preamble,
            children,
        };
        label_sequence_warnings(&document, &lines, &mut self.diags);
        if document.children.is_empty() {
            self.diags.push(Diagnostic::error(
                0,
                "the document has no clauses: it needs headings (`# …`) or labelled items",
            ));
        }
        self.diags.sort_by_key(|d| d.line);
        Parsed {
            document,
            diagnostics: self.diags,
            lines,
        }
    }
}

/// Gives every unpinned node a key from its position (`n2.1.3`): stable
/// under printing and re-reading, and never used to pair two files. Made
/// on the tree, one path at a time (`prefix`), so no list of every node's
/// position is kept beside the keys.
fn positional_keys(nodes: &mut [Node], prefix: &mut String, pinned: &HashSet<Key>) {
    let start = prefix.len();
    for (i, node) in nodes.iter_mut().enumerate() {
        prefix.truncate(start);
        // Writing to a String cannot fail.
        let _ = match start {
            0 => write!(prefix, "n{}", i + 1),
            _ => write!(prefix, ".{}", i + 1),
        };
        if !node.key_pinned {
            // Positional keys never contain `~`, so only a pinned key can
            // clash with one.
            let mut candidate = prefix.clone();
            let mut k = 2;
            while pinned.contains(candidate.as_str()) {
                candidate = format!("{prefix}~{k}");
                k += 1;
            }
            node.key = Key::new(&candidate).expect("generated keys are valid");
        }
        positional_keys(&mut node.children, prefix, pinned);
    }
    prefix.truncate(start);
}

/// Warns where a sibling's label does not follow the one before it of the
/// same style (a likely typing error: `(1)`, `(3)`).
fn label_sequence_warnings(doc: &Document, lines: &[u32], diags: &mut Vec<Diagnostic>) {
    fn follows(prev: &[u32], cur: &[u32]) -> bool {
        // `checked_add`: a label may be numbered 4294967295 (`(4294967295)`,
        // or a Word list starting there), and its successor is no number.
        let next = |a: u32, b: u32| a.checked_add(1) == Some(b);
        let n = prev.len().min(cur.len());
        if n == 0 {
            return true;
        }
        if cur.len() == prev.len() {
            let last = n - 1;
            return prev[..last] == cur[..last] && next(prev[last], cur[last]);
        }
        // A branch number (第3章の2 after 第3章) or the next number after a
        // branch (第4章 after 第3章の2).
        (cur.len() > prev.len() && cur[..n] == prev[..n])
            || (cur.len() < prev.len()
                && next(prev[n - 1], cur[n - 1])
                && cur[..n - 1] == prev[..n - 1])
    }
    // `lines` is in tree order, as `visit` goes.
    fn visit<'a>(
        nodes: &[Node],
        lines: &mut impl Iterator<Item = &'a u32>,
        diags: &mut Vec<Diagnostic>,
    ) {
        let mut last: HashMap<LabelStyle, &Label> = HashMap::new();
        for node in nodes {
            let line = lines.next().map_or(0, |&l| l as usize);
            if let Some(label) = &node.label {
                if let Some(prev) = last.get(&label.style())
                    && !follows(prev.value(), label.value())
                {
                    diags.push(Diagnostic::warning(
                        line,
                        format!("label {label} follows {prev}: is one missing or misnumbered?"),
                    ));
                }
                last.insert(label.style(), label);
            }
            visit(&node.children, lines, diags);
        }
    }
    visit(&doc.children, &mut lines.iter(), diags);
}

/// Builds a document from blocks.
pub fn build(meta: Metadata, blocks: Vec<Block<'_>>, mut diagnostics: Vec<Diagnostic>) -> Parsed {
    let units = units(blocks);
    let mut b = Builder {
        // Every node comes from one unit: the arena is never copied to grow.
        arena: Arena::with_capacity(units.len()),
        preamble: Vec::new(),
        headings: Vec::new(),
        section: Scope::default(),
        article: None,
        last: None,
        pinned: Vec::new(),
        diags: std::mem::take(&mut diagnostics),
    };
    let mut units = units.into_iter().peekable();
    while let Some(unit) = units.next() {
        match unit {
            Unit::Heading { line, level, text } => b.heading(line, level, &text),
            Unit::Paragraph(p) => {
                // A caption paragraph directly before an article is its title.
                let cap = (!p.escaped && p.rest.is_empty())
                    .then(|| caption(&p.first))
                    .flatten()
                    .map(str::to_string);
                let next_is_article = matches!(units.peek(), Some(Unit::Paragraph(n)) if !n.escaped && starts_article(&n.first));
                match cap {
                    Some(title) if next_is_article => {
                        if let Some(Unit::Paragraph(article)) = units.next() {
                            b.paragraph(article, Some(title));
                        }
                    }
                    _ => b.paragraph(p, None),
                }
            }
            Unit::Quote { line, paragraphs } => match b.last {
                Some(i) => b.arena[i].0.commentary.extend(paragraphs),
                None => b.diags.push(Diagnostic::error(
                    line,
                    "commentary (`>`) before any heading or clause: put it after the node it explains",
                )),
            },
            Unit::Conflict { line, conflict } => {
                b.diags.push(Diagnostic::error(
                    line,
                    "unresolved merge conflict: keep the right text, then delete the lines from `<<<<<<<` to `>>>>>>>`",
                ));
                match b.last {
                    Some(i) => b.arena[i].0.conflicts.push(*conflict),
                    None => b.diags.push(Diagnostic::error(
                        line,
                        "a merge conflict before any heading or clause",
                    )),
                }
            }
        }
    }
    b.finish(meta)
}
