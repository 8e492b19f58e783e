//! A document flattened for comparison: nodes in document order with
//! parents, paths, normalised text and bigram profiles.

use std::borrow::Cow;
use std::sync::OnceLock;

use kaitei_model::{Document, Node};

use crate::similarity::{Bigrams, Sketch, normalize_into, normalized};

/// One node of a flattened document.
#[derive(Debug)]
pub struct FlatNode<'a> {
    /// The node itself.
    pub node: &'a Node,
    /// Index of its parent (`None` at the top level).
    pub parent: Option<usize>,
    /// Indices of its children, in order.
    pub children: Vec<usize>,
    /// How many ancestors it has (0 at the top level).
    pub depth: usize,
    /// Title and text, normalised (NFKC, no white space): borrowed from the
    /// node when its one paragraph already is.
    pub content: Cow<'a, str>,
    /// Bigrams of `content`, made when first needed: most nodes pair by
    /// exact text and are never scored.
    own: OnceLock<Bigrams>,
    /// A sketch of the bigrams of the node and all its descendants, made
    /// when first needed.
    subtree: OnceLock<Sketch>,
    /// How many bigrams the node and its descendants have.
    pub subtree_len: usize,
    /// One past the index of its last descendant: nodes are in pre-order,
    /// so its subtree is `index..end`.
    pub end: usize,
}

/// A flattened document: `nodes[i]` in document (pre-)order.
#[derive(Debug)]
pub struct FlatDoc<'a> {
    /// The document.
    pub doc: &'a Document,
    /// Its nodes.
    pub nodes: Vec<FlatNode<'a>>,
    /// Indices of the top-level nodes.
    pub roots: Vec<usize>,
}

impl<'a> FlatDoc<'a> {
    /// Flattens `doc`.
    pub fn new(doc: &'a Document) -> FlatDoc<'a> {
        let mut nodes: Vec<FlatNode<'a>> = Vec::with_capacity(doc.node_count());
        let mut roots = Vec::new();
        fn visit<'a>(
            list: &'a [Node],
            parent: Option<usize>,
            depth: usize,
            nodes: &mut Vec<FlatNode<'a>>,
            out: &mut Vec<usize>,
        ) {
            for node in list {
                let index = nodes.len();
                out.push(index);
                let content = match (&node.title, node.paragraphs.as_slice()) {
                    (None, [p]) => normalized(p),
                    _ => {
                        let size = node.title.as_ref().map_or(0, String::len)
                            + node.paragraphs.iter().map(String::len).sum::<usize>();
                        let mut content = String::with_capacity(size);
                        for p in node.title.iter().chain(&node.paragraphs) {
                            normalize_into(&mut content, p);
                        }
                        Cow::Owned(content)
                    }
                };
                nodes.push(FlatNode {
                    node,
                    parent,
                    children: Vec::new(),
                    depth,
                    content,
                    own: OnceLock::new(),
                    subtree: OnceLock::new(),
                    subtree_len: 0,
                    end: 0,
                });
                if !node.children.is_empty() {
                    let mut kids = Vec::with_capacity(node.children.len());
                    visit(&node.children, Some(index), depth + 1, nodes, &mut kids);
                    nodes[index].children = kids;
                }
                nodes[index].end = nodes.len();
            }
        }
        visit(&doc.children, None, 0, &mut nodes, &mut roots);
        for i in (0..nodes.len()).rev() {
            let own = nodes[i].content.chars().count().saturating_sub(1);
            let below: usize = nodes[i]
                .children
                .iter()
                .map(|&c| nodes[c].subtree_len)
                .sum();
            nodes[i].subtree_len = own + below;
        }
        FlatDoc { doc, nodes, roots }
    }

    /// Bigrams of node `i`'s own title and text.
    pub fn own(&self, i: usize) -> &Bigrams {
        self.nodes[i]
            .own
            .get_or_init(|| Bigrams::of(&self.nodes[i].content))
    }

    /// A sketch of the bigrams of node `i` and all its descendants.
    pub fn subtree(&self, i: usize) -> &Sketch {
        self.nodes[i].subtree.get_or_init(|| {
            let own = Sketch::of_text(&self.nodes[i].content);
            self.nodes[i]
                .children
                .iter()
                .fold(own, |acc, &c| acc.union(self.subtree(c)))
        })
    }

    /// The children of `parent` (`None`: the top level).
    pub fn children_of(&self, parent: Option<usize>) -> &[usize] {
        match parent {
            Some(p) => &self.nodes[p].children,
            None => &self.roots,
        }
    }

    /// How many nodes.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Labels as written (or the node's path segment) from the top down
    /// to node `i`. Made when asked for: a row needs it, most nodes do not.
    pub fn path(&self, i: usize) -> Vec<&'a str> {
        let mut path = Vec::with_capacity(self.nodes[i].depth + 1);
        let mut at = Some(i);
        while let Some(j) = at {
            path.push(self.nodes[j].node.path_segment());
            at = self.nodes[j].parent;
        }
        path.reverse();
        path
    }

    /// The path joined with ` / `, as in the truth files and messages.
    pub fn path_string(&self, i: usize) -> String {
        self.path(i).join(" / ")
    }
}
