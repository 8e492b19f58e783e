//! The node arena and the rules that place each unit in it: headings by
//! level (or, without `#`, by the kind of their label), articles under the
//! nearest heading, 項 under their article (or 附則), items by first
//! appearance of their style, bullets and table rows under the node they
//! follow.

use std::collections::HashSet;

use kaitei_model::{Key, Label, LabelContext, LabelStyle, Node, NodeKind, split_label};

use super::law::LawHeading;
use super::units::{Paragraph, is_supplementary_heading};
use crate::attributes::{Attributes, split_attributes};
use crate::chunked::Arena;
use crate::diagnostic::Diagnostic;

#[derive(Default)]
pub(super) struct Scope {
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

/// The article (or 附則) whose 項 and items are being read.
pub(super) struct ArticleState {
    index: usize,
    scope: Scope,
    paragraph: Option<usize>,
}

/// An open heading.
#[derive(Clone, Copy)]
struct OpenHeading {
    /// `#` count, or for a heading without `#` one more than its parent's.
    level: u8,
    index: usize,
    /// Law-style rank (附則 0, 編 1 … 款 4), if it is one.
    rank: Option<u8>,
}

pub(super) struct Builder {
    /// Nodes in document order, each with its parent and line.
    pub arena: Arena,
    pub preamble: Vec<String>,
    headings: Vec<OpenHeading>,
    section: Scope,
    article: Option<ArticleState>,
    /// The node a continuation paragraph belongs to.
    pub last: Option<usize>,
    /// The node bullets and table rows belong to: the last node that is not
    /// one of them.
    owner: Option<usize>,
    pub pinned: Vec<(usize, Key)>,
    pub diags: Vec<Diagnostic>,
    /// Parents under which a heading without its 章 (or 節) was reported.
    orphans_reported: HashSet<Option<usize>>,
}

fn placeholder_key() -> Key {
    Key::new("_").expect("valid key")
}

/// The rank's kind in Japanese, for messages.
fn rank_name(rank: u8) -> &'static str {
    match rank {
        0 => "附則",
        1 => "編",
        2 => "章",
        3 => "節",
        _ => "款",
    }
}

impl Builder {
    pub fn new(capacity: usize, diags: Vec<Diagnostic>) -> Builder {
        Builder {
            arena: Arena::with_capacity(capacity),
            preamble: Vec::new(),
            headings: Vec::new(),
            section: Scope::default(),
            article: None,
            last: None,
            owner: None,
            pinned: Vec::new(),
            diags,
            orphans_reported: HashSet::new(),
        }
    }

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
        self.owner = Some(index);
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

    /// A heading written with `#` (or a Word heading style) of `level`.
    pub fn heading(&mut self, line: usize, level: u8, text: &str) {
        let supplementary = is_supplementary_heading(text);
        let (text, attrs) = self.attributes(line, text);
        let mut node = Node::new(NodeKind::Heading, placeholder_key());
        let mut rank = None;
        match split_label(text, LabelContext::Heading) {
            Some((label, title)) => {
                rank = label.style().heading_rank();
                node.label = Some(label);
                node.title = (!title.is_empty()).then(|| title.to_string());
            }
            None => node.title = (!text.is_empty()).then(|| text.to_string()),
        }
        if supplementary {
            rank = Some(kaitei_model::law::SUPPLEMENTARY_RANK);
        }
        while self.headings.last().is_some_and(|h| h.level >= level) {
            self.headings.pop();
        }
        self.open_heading(node, level, rank, line, attrs);
    }

    /// A law-style heading written as a plain paragraph: placed by the kind
    /// of its label, under the nearest open heading of a higher kind.
    pub fn law_heading(&mut self, line: usize, text: &str, heading: LawHeading) {
        let (_, attrs) = self.attributes(line, text);
        let rank = heading.rank();
        // 附則 (rank 0) closes every law-style heading, and any law-style
        // heading closes an open 附則.
        while self
            .headings
            .last()
            .and_then(|h| h.rank)
            .is_some_and(|r| r >= rank || r == kaitei_model::law::SUPPLEMENTARY_RANK)
        {
            self.headings.pop();
        }
        let parent = self.headings.last().copied();
        let mut node = Node::new(NodeKind::Heading, placeholder_key());
        match heading {
            LawHeading::Labelled { label, title, .. } => {
                let title = split_attributes(&title).0.to_string();
                node.title = (!title.is_empty()).then_some(title);
                if rank >= 3 && parent.and_then(|p| p.rank) != Some(rank - 1) {
                    self.report_orphan(line, &label, node.title.as_deref(), rank, parent);
                }
                node.label = Some(label);
            }
            LawHeading::Supplementary { title } => node.title = Some(title),
        }
        let level = parent.map_or(1, |p| p.level.saturating_add(1));
        self.open_heading(node, level, Some(rank), line, attrs);
    }

    fn report_orphan(
        &mut self,
        line: usize,
        label: &Label,
        title: Option<&str>,
        rank: u8,
        parent: Option<OpenHeading>,
    ) {
        let parent_index = parent.map(|p| p.index);
        if !self.orphans_reported.insert(parent_index) {
            return;
        }
        let place = match parent_index {
            Some(i) => format!("under {}", self.arena[i].0.path_segment()),
            None => "at the top of the document".to_string(),
        };
        let title = title.map(|t| format!(" {t}")).unwrap_or_default();
        self.diags.push(Diagnostic::warning(
            line,
            format!(
                "{label}{title} has no {} before it: it is placed {place}; is a {} heading missing?",
                rank_name(rank - 1),
                rank_name(rank - 1)
            ),
        ));
    }

    fn open_heading(
        &mut self,
        node: Node,
        level: u8,
        rank: Option<u8>,
        line: usize,
        attrs: Attributes,
    ) {
        let parent = self.headings.last().map(|h| h.index);
        let index = self.push(node, parent, line, attrs);
        self.headings.push(OpenHeading { level, index, rank });
        self.section = Scope::default();
        // Inside a 附則, bare numbers are its 項, as in an article.
        self.article =
            (rank == Some(kaitei_model::law::SUPPLEMENTARY_RANK)).then(|| ArticleState {
                index,
                scope: Scope::default(),
                paragraph: None,
            });
    }

    fn heading_parent(&self) -> Option<usize> {
        self.headings.last().map(|h| h.index)
    }

    /// Whether a 附則 is open and no article in it yet: there a caption may
    /// stand before a 項 (`（施行期日）` / `1 この規程は…`).
    pub fn in_supplementary(&self) -> bool {
        self.article
            .as_ref()
            .is_some_and(|a| self.arena[a.index].0.kind == NodeKind::Heading)
    }

    /// A paragraph: a labelled one starts a node, an unlabelled one
    /// continues the node before it. `title` is an article's caption.
    pub fn paragraph(&mut self, p: Paragraph<'_>, title: Option<String>) {
        if p.escaped {
            self.continuation(p.text());
            return;
        }
        let context = if self.article.is_some() {
            LabelContext::InArticle
        } else {
            LabelContext::Item
        };
        let Some((label, after)) = split_label(&p.first, context) else {
            self.continuation(p.text());
            return;
        };
        // Attributes end the first line; strip them before reading the rest.
        // `first` is a start of the line, so the text after the label starts
        // where it did in the line (or `first` ends before it), and the
        // label is not read a second time.
        let label_end = p.first.len() - after.len();
        let (first, attrs) = self.attributes(p.line, &p.first);
        let start = first.get(label_end..).unwrap_or("");
        let mut text =
            String::with_capacity(start.len() + p.rest.iter().map(|r| r.len()).sum::<usize>());
        text.push_str(start);
        for r in &p.rest {
            text.push_str(r);
        }
        self.labelled(p.line, label, text, title, attrs);
    }

    /// A node with `label` and its first paragraph `text`.
    fn labelled(
        &mut self,
        line: usize,
        label: Label,
        text: String,
        title: Option<String>,
        attrs: Attributes,
    ) {
        let mut node = Node::new(NodeKind::Item, placeholder_key());
        if !text.is_empty() {
            // Not `push`: a first push reserves room for four.
            node.paragraphs = vec![text];
        }
        match label.style() {
            LabelStyle::Article | LabelStyle::Ordinal => {
                node.kind = NodeKind::Article;
                node.label = Some(label);
                node.title = title;
                self.section.stack.clear();
                let parent = self.heading_parent();
                let index = self.push(node, parent, line, attrs);
                self.article = Some(ArticleState {
                    index,
                    scope: Scope::default(),
                    paragraph: None,
                });
            }
            LabelStyle::Paragraph => {
                node.kind = NodeKind::Paragraph;
                node.label = Some(label);
                // A 附則's 項 may have a caption.
                node.title = title;
                // Bare numbers are labels only inside articles (and 附則).
                let parent = self.article.as_ref().map(|a| a.index);
                let index = self.push(node, parent, line, attrs);
                if let Some(a) = self.article.as_mut() {
                    a.scope.stack.clear();
                    a.paragraph = Some(index);
                }
            }
            _ => {
                let (scope, base) = match self.article.as_mut() {
                    Some(a) => (&mut a.scope, Some(a.paragraph.unwrap_or(a.index))),
                    None => (&mut self.section, self.headings.last().map(|h| h.index)),
                };
                let (label, depth) = scope.place(label);
                let parent = scope.parent().or(base);
                node.label = Some(label);
                let index = self.push(node, parent, line, attrs);
                let scope = match self.article.as_mut() {
                    Some(a) => &mut a.scope,
                    None => &mut self.section,
                };
                scope.stack.push((depth, index));
            }
        }
    }

    /// A `・` bullet paragraph: an unlabelled item of the node before it
    /// (its first line may end with an attribute block); before any node,
    /// its text is preamble.
    pub fn bullet(&mut self, p: Paragraph<'_>) {
        if self.owner.is_none() {
            self.preamble.push(p.text());
            return;
        }
        let (first, attrs) = self.attributes(p.line, &p.first);
        let mut text = super::law::bullet(first).unwrap_or(first).to_string();
        for r in &p.rest {
            text.push_str(r);
        }
        self.unlabelled_item(p.line, text, attrs);
    }

    /// An unlabelled item of the current owner (which must exist).
    fn unlabelled_item(&mut self, line: usize, text: String, attrs: Attributes) {
        let Some(owner) = self.owner else {
            self.continuation(text);
            return;
        };
        let mut node = Node::new(NodeKind::Item, placeholder_key());
        if !text.is_empty() {
            node.paragraphs = vec![text];
        }
        let owner_before = self.owner;
        self.push(node, Some(owner), line, attrs);
        // Bullets are siblings: the next one belongs to the same owner.
        self.owner = owner_before;
    }

    /// A table row: a labelled item when its first cell is a label
    /// (`(1)` | `用語` | `意義`), otherwise an unlabelled one. A bare number
    /// in the first cell is text, not a 項: rows are items.
    pub fn row(&mut self, line: usize, cells: Vec<String>) {
        let cells: Vec<String> = cells.into_iter().filter(|c| !c.is_empty()).collect();
        if cells.is_empty() {
            return;
        }
        let label = kaitei_model::Label::parse(&cells[0], LabelContext::Item)
            .filter(|l| !l.style().is_structural() && self.owner.is_some());
        match label {
            Some(label) => {
                let text = cells[1..].join("\u{3000}");
                self.labelled(line, label, text, None, Attributes::default());
            }
            None if self.owner.is_none() => self.preamble.push(cells.join("\u{3000}")),
            None => self.unlabelled_item(line, cells.join("\u{3000}"), Attributes::default()),
        }
    }

    /// A paragraph without a label: more text of the node before it.
    pub fn continuation(&mut self, text: String) {
        if text.is_empty() {
            return;
        }
        match self.last {
            Some(i) => self.arena[i].0.paragraphs.push(text),
            None => self.preamble.push(text),
        }
    }
}
