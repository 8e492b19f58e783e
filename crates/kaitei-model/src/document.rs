//! Documents and their node trees.

use std::collections::BTreeMap;
use std::fmt;

use crate::body::BodyCode;
pub use crate::date::Date;
use crate::label::Label;

/// A stable node key: survives renumbering, so a clause keeps its identity
/// across editions. Keys are not labels and never appear in body text.
///
/// A boxed `str` rather than a `String`: every node holds one (and may hold
/// a second in `from`), and keys never grow.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key(Box<str>);

impl Key {
    /// Builds a key; `None` when `s` is empty or holds white space, braces,
    /// `=` or quotes (which the attribute syntax cannot carry).
    pub fn new(s: &str) -> Option<Key> {
        let ok = !s.is_empty()
            && s.chars()
                .all(|c| !c.is_whitespace() && !matches!(c, '{' | '}' | '=' | '"' | '\'' | '#'));
        ok.then(|| Key(s.into()))
    }

    /// The key as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for Key {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocumentKind {
    /// An edition (or draft) of the ministry's guideline.
    Guideline,
    /// A body's own policy.
    Policy,
}

impl DocumentKind {
    /// The word used in front matter.
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Guideline => "guideline",
            DocumentKind::Policy => "policy",
        }
    }

    /// Reads the front-matter word.
    pub fn parse(s: &str) -> Option<DocumentKind> {
        match s {
            "guideline" => Some(DocumentKind::Guideline),
            "policy" => Some(DocumentKind::Policy),
            _ => None,
        }
    }
}

/// How a body's node relates to the guideline node it derives from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// Text as in the guideline.
    Adopted,
    /// The body's own wording of a guideline clause.
    Modified,
    /// A body-only clause.
    Added,
}

impl Status {
    /// The attribute value.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Adopted => "adopted",
            Status::Modified => "modified",
            Status::Added => "added",
        }
    }

    /// Reads an attribute value.
    pub fn parse(s: &str) -> Option<Status> {
        match s {
            "adopted" => Some(Status::Adopted),
            "modified" => Some(Status::Modified),
            "added" => Some(Status::Added),
            _ => None,
        }
    }
}

/// A guideline node a policy left out, with the body's reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Omission {
    /// The guideline node's key.
    pub from: Key,
    /// Why the body left it out (required).
    pub reason: String,
}

/// One amendment of a regulation, as its 例規集 lists it under `改正`:
/// the day it was made and the number of the amending regulation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Amendment {
    /// When (`令和5年3月31日` is 2023-03-31).
    pub date: Date,
    /// The amending regulation's number (`訓令第1号`); empty when none was
    /// given.
    pub number: String,
}

/// The front matter: what the document is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Metadata {
    /// Guideline edition or body policy.
    pub kind: DocumentKind,
    /// The document's title.
    pub title: String,
    /// The edition name, shown to people (`令和7年3月版`).
    pub edition: String,
    /// The publication date.
    pub published: Option<Date>,
    /// For a policy: the body it belongs to.
    pub body: Option<BodyCode>,
    /// For a policy: the guideline edition it follows.
    pub derived_from: Option<String>,
    /// For a policy: guideline nodes it omits.
    pub omitted: Vec<Omission>,
    /// For a regulation: its number (`訓令第3号`, `規程第1号`); with
    /// `published`, the day it was enacted.
    pub number: Option<String>,
    /// For a regulation: its amendments, oldest first (`改正` lines).
    pub amendments: Vec<Amendment>,
    /// Whether the document has a table of contents (目次). Its entries are
    /// never stored: they are made from the body when the document is
    /// written ([`crate::Contents::of`]), so they cannot disagree with it.
    pub contents: bool,
    /// For a policy: the placeholder values the body confirmed
    /// (`CISO職名` → `副市長`), so that a merge fills them without inferring
    /// them again from the body's text (`values:` in the front matter).
    pub values: BTreeMap<String, String>,
}

impl Metadata {
    /// Metadata with only the required fields set.
    pub fn new(kind: DocumentKind, title: &str, edition: &str) -> Metadata {
        Metadata {
            kind,
            title: title.to_string(),
            edition: edition.to_string(),
            published: None,
            body: None,
            derived_from: None,
            omitted: Vec::new(),
            number: None,
            amendments: Vec::new(),
            contents: false,
            values: BTreeMap::new(),
        }
    }
}

/// What sort of node this is; it decides how the node is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NodeKind {
    /// A heading (`#` lines, or Word heading styles).
    Heading,
    /// A law-style article (`第N条`), with its caption as title.
    Article,
    /// A 項 inside an article (`2`, `3`).
    Paragraph,
    /// A labelled item inside a section or article (`(1)`, `①`, `ア` …).
    Item,
}

impl NodeKind {
    /// A short English name.
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Heading => "heading",
            NodeKind::Article => "article",
            NodeKind::Paragraph => "paragraph",
            NodeKind::Item => "item",
        }
    }

    /// Reads a name written by [`NodeKind::as_str`].
    pub fn parse(s: &str) -> Option<NodeKind> {
        match s {
            "heading" => Some(NodeKind::Heading),
            "article" => Some(NodeKind::Article),
            "paragraph" => Some(NodeKind::Paragraph),
            "item" => Some(NodeKind::Item),
            _ => None,
        }
    }
}

/// An unresolved merge conflict held inside a node (git style).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// Text after `<<<<<<<` on the marker line (who "ours" is).
    pub ours_name: String,
    /// The body's current text.
    pub ours: Vec<String>,
    /// Text after `|||||||`, and the old guideline text, when present.
    pub base: Option<(String, Vec<String>)>,
    /// The new guideline text.
    pub theirs: Vec<String>,
    /// Text after `>>>>>>>`.
    pub theirs_name: String,
}

/// One clause or heading of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// The stable key.
    pub key: Key,
    /// Whether the key was pinned by the author (`{#key}`) rather than
    /// assigned by kaitei. Only pinned keys pair nodes of two files.
    pub key_pinned: bool,
    /// What sort of node.
    pub kind: NodeKind,
    /// The number as written, when there is one.
    pub label: Option<Label>,
    /// A heading's title or an article's caption.
    pub title: Option<String>,
    /// The node's own text (例文), paragraph by paragraph.
    pub paragraphs: Vec<String>,
    /// Unresolved merge conflicts in the node.
    pub conflicts: Vec<Conflict>,
    /// The commentary (解説), paragraph by paragraph.
    pub commentary: Vec<String>,
    /// For a policy: the guideline node this derives from.
    pub from: Option<Key>,
    /// For a policy: how it derives.
    pub status: Option<Status>,
    /// Child nodes, in order.
    pub children: Vec<Node>,
}

impl Node {
    /// An empty node of `kind` with key `key` (not pinned).
    pub fn new(kind: NodeKind, key: Key) -> Node {
        Node {
            key,
            key_pinned: false,
            kind,
            label: None,
            title: None,
            paragraphs: Vec::new(),
            conflicts: Vec::new(),
            commentary: Vec::new(),
            from: None,
            status: None,
            children: Vec::new(),
        }
    }

    /// The node's own text: its paragraphs joined by `\n`.
    pub fn text(&self) -> String {
        self.paragraphs.join("\n")
    }

    /// The node's commentary paragraphs joined by `\n`.
    pub fn commentary_text(&self) -> String {
        self.commentary.join("\n")
    }

    /// What the node is called (see [`clause_name`]).
    pub fn name(&self) -> Option<&str> {
        clause_name(
            self.title.as_deref(),
            &self
                .paragraphs
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>(),
        )
    }

    /// What stands for this node in a label path: its label as written, or
    /// for an unlabelled heading its title.
    pub fn path_segment(&self) -> &str {
        match (&self.label, &self.title) {
            (Some(l), _) => l.written(),
            (None, Some(t)) => t,
            (None, None) => "",
        }
    }

    /// The placeholder names (`{{団体名}}` → `団体名`) used in the node's
    /// title, text and commentary, in order of appearance.
    pub fn placeholders(&self) -> Vec<String> {
        let mut out = Vec::new();
        let fields = self
            .title
            .iter()
            .chain(&self.paragraphs)
            .chain(&self.commentary);
        for s in fields {
            for name in crate::text::placeholders(s) {
                if !out.iter().any(|n| n == name) {
                    out.push(name.to_string());
                }
            }
        }
        out
    }

    /// This node and all its descendants, depth first, in document order.
    pub fn walk(&self) -> impl Iterator<Item = &Node> {
        let mut stack = vec![self];
        std::iter::from_fn(move || {
            let node = stack.pop()?;
            stack.extend(node.children.iter().rev());
            Some(node)
        })
    }
}

/// Longest first paragraph taken as an item's name ([`clause_name`]).
pub const NAME_MAX_CHARS: usize = 30;

/// What a clause is called: its title or caption; else, for an item whose
/// first line names it — the guideline writes 「(7) 機器の廃棄・データ消去」
/// on a line of its own above its text or its items — that line: a first
/// paragraph of at most [`NAME_MAX_CHARS`] characters that is no sentence
/// (no 。).
pub fn clause_name<'a>(title: Option<&'a str>, paragraphs: &[&'a str]) -> Option<&'a str> {
    if title.is_some() {
        return title;
    }
    match paragraphs {
        [first, ..]
            if !first.trim().is_empty()
                && first.chars().count() <= NAME_MAX_CHARS
                && !first.contains('。') =>
        {
            Some(first)
        }
        _ => None,
    }
}

/// A whole document: front matter, text before the first node, and nodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The front matter.
    pub meta: Metadata,
    /// Paragraphs before the first node.
    pub preamble: Vec<String>,
    /// The top-level nodes.
    pub children: Vec<Node>,
}

/// A node with where it sits: its depth and label path.
#[derive(Debug, Clone)]
pub struct Located<'a> {
    /// The node.
    pub node: &'a Node,
    /// Labels as written from the top of the document down to the node.
    pub path: Vec<String>,
    /// The parent's key (`None` at the top level).
    pub parent: Option<&'a Key>,
    /// Index among its siblings.
    pub index: usize,
}

impl Document {
    /// An empty document.
    pub fn new(meta: Metadata) -> Document {
        Document {
            meta,
            preamble: Vec::new(),
            children: Vec::new(),
        }
    }

    /// Every node, depth first in document order.
    pub fn nodes(&self) -> impl Iterator<Item = &Node> {
        self.children.iter().flat_map(Node::walk)
    }

    /// Every node with its label path and parent, in document order.
    pub fn located(&self) -> Vec<Located<'_>> {
        fn visit<'a>(
            nodes: &'a [Node],
            parent: Option<&'a Key>,
            prefix: &[String],
            out: &mut Vec<Located<'a>>,
        ) {
            for (index, node) in nodes.iter().enumerate() {
                let mut path = prefix.to_vec();
                path.push(node.path_segment().to_string());
                out.push(Located {
                    node,
                    path: path.clone(),
                    parent,
                    index,
                });
                visit(&node.children, Some(&node.key), &path, out);
            }
        }
        let mut out = Vec::new();
        visit(&self.children, None, &[], &mut out);
        out
    }

    /// The node with key `key` and its label path, found without building
    /// the paths of the other nodes.
    pub fn locate(&self, key: &str) -> Option<(Vec<&str>, &Node)> {
        fn visit<'a>(nodes: &'a [Node], key: &str, path: &mut Vec<&'a str>) -> Option<&'a Node> {
            for n in nodes {
                path.push(n.path_segment());
                if n.key.as_str() == key {
                    return Some(n);
                }
                if let Some(found) = visit(&n.children, key, path) {
                    return Some(found);
                }
                path.pop();
            }
            None
        }
        let mut path = Vec::new();
        visit(&self.children, key, &mut path).map(|n| (path, n))
    }

    /// The number of nodes.
    pub fn node_count(&self) -> usize {
        self.nodes().count()
    }

    /// The node with key `key`.
    pub fn find(&self, key: &Key) -> Option<&Node> {
        self.nodes().find(|n| &n.key == key)
    }
}

/// A tree of borrowed nodes listed in document order, each with the index
/// of its parent in the list: a document's own nodes ([`FlatNodes::of`]),
/// or nodes shared among many documents and placed by each
/// ([`FlatNodes::new`]) — a national run decodes each distinct node once
/// and lays out every policy with it, rather than a tree of copies per
/// policy. The nodes' own children are not followed.
#[derive(Debug, Clone, Default)]
pub struct FlatNodes<'a> {
    nodes: Vec<(&'a Node, Option<usize>)>,
}

impl<'a> FlatNodes<'a> {
    /// Nodes in document order, each with the index of its parent. A parent
    /// must come before its children; otherwise the list names the first
    /// offending index.
    pub fn new(nodes: Vec<(&'a Node, Option<usize>)>) -> Result<FlatNodes<'a>, usize> {
        match nodes
            .iter()
            .enumerate()
            .find(|(i, (_, parent))| parent.is_some_and(|p| p >= *i))
        {
            Some((i, _)) => Err(i),
            None => Ok(FlatNodes { nodes }),
        }
    }

    /// The forest `nodes` and every descendant, depth first.
    pub fn of(nodes: &'a [Node]) -> FlatNodes<'a> {
        fn visit<'a>(
            nodes: &'a [Node],
            parent: Option<usize>,
            out: &mut Vec<(&'a Node, Option<usize>)>,
        ) {
            for n in nodes {
                let at = out.len();
                out.push((n, parent));
                visit(&n.children, Some(at), out);
            }
        }
        let mut out = Vec::new();
        visit(nodes, None, &mut out);
        FlatNodes { nodes: out }
    }

    /// Every node with its index, in document order.
    pub fn iter(&self) -> impl Iterator<Item = (usize, &'a Node)> + '_ {
        self.nodes.iter().enumerate().map(|(i, (n, _))| (i, *n))
    }

    /// The label path of node `i` (its ancestors' segments and its own,
    /// as [`Node::path_segment`] gives them) joined by `" / "`.
    pub fn path(&self, i: usize) -> String {
        let mut segments = Vec::new();
        let mut at = Some(i);
        while let Some(j) = at {
            let (n, parent) = self.nodes[j];
            segments.push(n.path_segment());
            at = parent;
        }
        segments.reverse();
        segments.join(" / ")
    }

    /// Whether any node records the guideline node it derives from.
    pub fn has_provenance(&self) -> bool {
        self.nodes.iter().any(|(n, _)| n.from.is_some())
    }
}

/// Builds a forest from nodes listed in document order, each with the
/// index of its parent in the list. A parent must come before its children;
/// otherwise the list names the first offending index.
pub fn assemble_tree(flat: Vec<(Node, Option<usize>)>) -> Result<Vec<Node>, usize> {
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); flat.len()];
    let mut roots = Vec::new();
    for (i, (_, parent)) in flat.iter().enumerate() {
        match parent {
            Some(p) if *p < i => children[*p].push(i),
            Some(_) => return Err(i),
            None => roots.push(i),
        }
    }
    let mut slots: Vec<Option<Node>> = flat.into_iter().map(|(n, _)| Some(n)).collect();
    // Children are filled in reverse document order, so each node's
    // children are complete when it is moved into its parent.
    for i in (0..slots.len()).rev() {
        let kids: Vec<Node> = children[i]
            .iter()
            .filter_map(|&c| slots[c].take())
            .collect();
        if let Some(node) = slots[i].as_mut() {
            node.children = kids;
        }
    }
    Ok(roots.into_iter().filter_map(|r| slots[r].take()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_item_is_named_by_a_short_first_line_over_its_text() {
        let text = "情報システム管理者は、機器を廃棄する場合、記憶装置から全ての情報を消去しなければならない。";
        assert_eq!(
            clause_name(None, &["機器の廃棄・データ消去", text]),
            Some("機器の廃棄・データ消去")
        );
        assert_eq!(
            clause_name(Some("目的"), &[text]),
            Some("目的"),
            "a title first"
        );
        assert_eq!(
            clause_name(None, &[text]),
            None,
            "a sentence alone is its text"
        );
        assert_eq!(clause_name(None, &[""]), None, "nothing is no name");
        assert_eq!(clause_name(None, &[]), None);
        assert_eq!(
            clause_name(None, &["サーバの冗長化"]),
            Some("サーバの冗長化"),
            "a line over items alone"
        );
        assert_eq!(
            clause_name(None, &["全てを消去する。", text]),
            None,
            "a sentence is no name"
        );
        let at_limit = "字".repeat(NAME_MAX_CHARS);
        let over = "字".repeat(NAME_MAX_CHARS + 1);
        assert!(clause_name(None, &[&at_limit, text]).is_some());
        assert!(clause_name(None, &[&over, text]).is_none());
    }

    #[test]
    fn locates_a_node_with_its_path() {
        let mut a = Node::new(NodeKind::Heading, Key::new("a").unwrap());
        a.title = Some("総則".into());
        let mut b = Node::new(NodeKind::Item, Key::new("b").unwrap());
        b.label = crate::Label::parse("(1)", crate::LabelContext::Item);
        a.children.push(b);
        let mut doc = Document::new(Metadata::new(DocumentKind::Guideline, "t", "e"));
        doc.children.push(a);
        let (path, node) = doc.locate("b").unwrap();
        assert_eq!(path, ["総則", "(1)"]);
        assert_eq!(node.key.as_str(), "b");
        assert!(doc.locate("c").is_none());
    }

    #[test]
    fn assembles_trees() {
        let n = |k: &str| Node::new(NodeKind::Item, Key::new(k).unwrap());
        let forest = assemble_tree(vec![
            (n("a"), None),
            (n("b"), Some(0)),
            (n("c"), Some(1)),
            (n("d"), Some(0)),
            (n("e"), None),
        ])
        .unwrap();
        let keys: Vec<&str> = forest
            .iter()
            .flat_map(Node::walk)
            .map(|n| n.key.as_str())
            .collect();
        assert_eq!(keys, ["a", "b", "c", "d", "e"]);
        assert_eq!(forest[0].children.len(), 2);
        assert_eq!(assemble_tree(vec![(n("a"), Some(0))]).unwrap_err(), 0);
    }

    #[test]
    fn keys() {
        assert!(Key::new("s4-1-1").is_some());
        assert!(Key::new("g-3.3-3").is_some());
        assert!(Key::new("").is_none());
        assert!(Key::new("a b").is_none());
        assert!(Key::new("a=b").is_none());
        assert!(Key::new("a}").is_none());
    }
}
