//! A document flattened for comparison: nodes in document order with
//! parents, paths, normalised text and bigram profiles.

use kaitei_model::{Document, Node};

use crate::similarity::{Bigrams, normalize};

/// One node of a flattened document.
#[derive(Debug)]
pub struct FlatNode<'a> {
    /// The node itself.
    pub node: &'a Node,
    /// Index of its parent (`None` at the top level).
    pub parent: Option<usize>,
    /// Indices of its children, in order.
    pub children: Vec<usize>,
    /// Labels as written from the top down to this node.
    pub path: Vec<String>,
    /// Title and text, normalised (NFKC, no white space).
    pub content: String,
    /// Commentary, normalised.
    pub commentary: String,
    /// Bigrams of the node's own title and text.
    pub own: Bigrams,
    /// Bigrams of the title and text of the node and all its descendants.
    pub subtree: Bigrams,
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
        let mut nodes: Vec<FlatNode<'a>> = Vec::new();
        let mut roots = Vec::new();
        fn visit<'a>(
            list: &'a [Node],
            parent: Option<usize>,
            prefix: &[String],
            nodes: &mut Vec<FlatNode<'a>>,
            out: &mut Vec<usize>,
        ) {
            for node in list {
                let index = nodes.len();
                out.push(index);
                let mut path = prefix.to_vec();
                path.push(node.path_segment());
                let mut content = node.title.as_deref().map(normalize).unwrap_or_default();
                for p in &node.paragraphs {
                    content.push_str(&normalize(p));
                }
                let own = Bigrams::of(&content);
                nodes.push(FlatNode {
                    node,
                    parent,
                    children: Vec::new(),
                    path: path.clone(),
                    commentary: node.commentary.iter().map(|c| normalize(c)).collect(),
                    content,
                    subtree: Bigrams::default(),
                    own,
                });
                let mut kids = Vec::new();
                visit(&node.children, Some(index), &path, nodes, &mut kids);
                nodes[index].children = kids;
            }
        }
        visit(&doc.children, None, &[], &mut nodes, &mut roots);
        // Subtree profiles bottom-up: children come after their parent.
        for i in (0..nodes.len()).rev() {
            let mut sub = nodes[i].own.clone();
            for &c in &nodes[i].children {
                sub = sub.plus(&nodes[c].subtree);
            }
            nodes[i].subtree = sub;
        }
        FlatDoc { doc, nodes, roots }
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

    /// The path joined with ` / `, as in the truth files and messages.
    pub fn path_string(&self, i: usize) -> String {
        self.nodes[i].path.join(" / ")
    }
}
