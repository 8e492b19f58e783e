//! The reader's long lists: the paragraph units a document is split into
//! ([`Chunked`]), and the arena of nodes the structure builder fills
//! ([`Arena`]), made into a tree without holding the document twice
//! ([`into_tree`]).
//!
//! Memory per input byte is what limits how large a document kaitei reads
//! (issue #10: 868 MB for a 9 MB file of 600,000 short items). A `Vec`
//! that grows by doubling holds up to twice what it needs and copies itself
//! on each growth, and one that is consumed from the front keeps its whole
//! buffer to the end. A [`Chunked`] list grows a chunk at a time and frees
//! each chunk as soon as iteration has moved past it — so the units are
//! freed while the arena fills, and the allocator gives their memory to
//! the nodes' own strings.

use std::collections::HashMap;
use std::ops::{Index, IndexMut};

use kaitei_model::Node;

/// Elements per chunk: enough that the per-chunk cost is nothing, few
/// enough that a chunk in use is a small part of any large document.
const CHUNK: usize = 4096;

/// A list in chunks of [`CHUNK`] elements.
#[derive(Debug)]
pub(crate) struct Chunked<T> {
    chunks: Vec<Vec<T>>,
    len: usize,
}

impl<T> Default for Chunked<T> {
    fn default() -> Self {
        Chunked {
            chunks: Vec::new(),
            len: 0,
        }
    }
}

impl<T> Chunked<T> {
    /// The number of elements.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Appends an element.
    pub(crate) fn push(&mut self, value: T) {
        match self.chunks.last_mut() {
            Some(last) if last.len() < CHUNK => last.push(value),
            _ => {
                let mut chunk = Vec::with_capacity(CHUNK);
                chunk.push(value);
                self.chunks.push(chunk);
            }
        }
        self.len += 1;
    }

    #[cfg(test)]
    fn iter(&self) -> impl Iterator<Item = &T> {
        self.chunks.iter().flatten()
    }
}

impl<T> Index<usize> for Chunked<T> {
    type Output = T;

    fn index(&self, i: usize) -> &T {
        &self.chunks[i / CHUNK][i % CHUNK]
    }
}

impl<T> IndexMut<usize> for Chunked<T> {
    fn index_mut(&mut self, i: usize) -> &mut T {
        &mut self.chunks[i / CHUNK][i % CHUNK]
    }
}

impl<T> Extend<T> for Chunked<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        for value in iter {
            self.push(value);
        }
    }
}

impl<T> IntoIterator for Chunked<T> {
    type Item = T;
    // `Flatten` drops each chunk's buffer once it has moved past it.
    type IntoIter = std::iter::Flatten<std::vec::IntoIter<Vec<T>>>;

    fn into_iter(self) -> Self::IntoIter {
        self.chunks.into_iter().flatten()
    }
}

/// One node of the arena, with the index of its parent (which comes before
/// it) and the line it was read on.
pub(crate) type Entry = (Node, Option<usize>, usize);

/// The structure builder's arena of nodes, in document order.
///
/// One buffer, reserved once at its largest possible size (one node per
/// paragraph unit; pages never written cost no memory), so it is never
/// copied while it grows; [`into_tree`] then makes the largest list of
/// children out of that same buffer.
#[derive(Debug, Default)]
pub(crate) struct Arena {
    /// `None` only while [`into_tree`] moves nodes out.
    slots: Vec<Option<Entry>>,
}

impl Arena {
    /// An arena with room for `n` nodes.
    pub(crate) fn with_capacity(n: usize) -> Arena {
        Arena {
            slots: Vec::with_capacity(n),
        }
    }

    /// The number of nodes.
    pub(crate) fn len(&self) -> usize {
        self.slots.len()
    }

    /// Whether there are no nodes.
    pub(crate) fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Appends a node.
    pub(crate) fn push(&mut self, entry: Entry) {
        self.slots.push(Some(entry));
    }

    /// The parent a node gets in the tree: its parent when that comes
    /// before it (the builder makes no other), else none (the top level).
    fn parent(&self, i: usize) -> Option<usize> {
        match self.slots.get(i) {
            Some(Some((_, Some(p), _))) if *p < i => Some(*p),
            _ => None,
        }
    }
}

impl Index<usize> for Arena {
    type Output = Entry;

    fn index(&self, i: usize) -> &Entry {
        self.slots[i]
            .as_ref()
            .expect("the builder only sees nodes still in the arena")
    }
}

impl IndexMut<usize> for Arena {
    fn index_mut(&mut self, i: usize) -> &mut Entry {
        self.slots[i]
            .as_mut()
            .expect("the builder only sees nodes still in the arena")
    }
}

/// Moves the arena's nodes into a tree (children in arena order) and
/// returns it with each node's line in the order of
/// [`kaitei_model::Document::nodes`].
///
/// The tree is made without holding the document twice: the largest list
/// of children (the top level, or one node's children — in a document of
/// many items, nearly every node) is made in place, out of the arena's own
/// buffer; every other node is moved, last first, into its parent's list,
/// made at its exact size. (Moving every node to a new list held the arena
/// and the tree at once: twice the document.)
pub(crate) fn into_tree(mut arena: Arena) -> (Vec<Node>, Vec<u32>) {
    let lines = lines_in_tree_order(&arena);
    let n = arena.len();
    let mut counts = vec![0u32; n];
    let mut top_count = 0u32;
    for i in 0..n {
        match arena.parent(i) {
            Some(p) => counts[p] += 1,
            None => top_count += 1,
        }
    }
    // The list made in place: `None` is the top level.
    let big = counts
        .iter()
        .enumerate()
        .max_by_key(|&(_, c)| *c)
        .filter(|&(_, c)| *c > top_count)
        .map(|(i, _)| i);
    let path = big.map(|b| path_to(&arena, b)).unwrap_or_default();

    // Children moved so far, last first, of parents not yet reached.
    let mut pending: HashMap<usize, Vec<Node>> = HashMap::new();
    let mut top: Vec<Node> = Vec::with_capacity(if big.is_some() { top_count as usize } else { 0 });
    for i in (0..n).rev() {
        let parent = arena.parent(i);
        let Some(entry) = arena.slots[i].as_mut() else {
            continue;
        };
        if let Some(mut children) = pending.remove(&i) {
            children.reverse();
            entry.0.children = children;
        }
        if parent == big {
            continue; // stays, to become part of the list made in place
        }
        let Some((node, _, _)) = arena.slots[i].take() else {
            continue;
        };
        match parent {
            Some(p) => pending
                .entry(p)
                .or_insert_with(|| Vec::with_capacity(counts[p] as usize))
                .push(node),
            None => top.push(node),
        }
    }
    // What is left in the arena is the big list, in order; collecting it
    // from the arena's own iterator reuses the arena's buffer.
    let in_place: Vec<Node> = arena
        .slots
        .into_iter()
        .filter_map(|slot| slot.map(|(node, _, _)| node))
        .collect();
    if big.is_none() {
        return (in_place, lines);
    }
    top.reverse();
    match node_at(&mut top, &path) {
        Some(node) => node.children = in_place,
        // The path is the big node's own place; never missed.
        None => top.extend(in_place),
    }
    (top, lines)
}

/// Where node `b` will be in the tree: its ordinal among its siblings, and
/// each of its ancestors', from the top level down.
fn path_to(arena: &Arena, b: usize) -> Vec<usize> {
    // The chain from `b` up: each member's parent is unique to it.
    let mut chain = vec![b];
    while let Some(p) = chain.last().and_then(|&c| arena.parent(c)) {
        chain.push(p);
    }
    let mut ordinal: HashMap<Option<usize>, (usize, usize)> =
        chain.iter().map(|&c| (arena.parent(c), (c, 0))).collect();
    for j in 0..arena.len() {
        if let Some((member, count)) = ordinal.get_mut(&arena.parent(j))
            && j < *member
        {
            *count += 1;
        }
    }
    chain
        .iter()
        .rev()
        .map(|&c| ordinal.get(&arena.parent(c)).map_or(0, |&(_, n)| n))
        .collect()
}

/// The node at `path` (ordinals from the top level down).
fn node_at<'a>(top: &'a mut [Node], path: &[usize]) -> Option<&'a mut Node> {
    let (&last, above) = path.split_last()?;
    let mut list = top;
    for &o in above {
        list = &mut list.get_mut(o)?.children;
    }
    list.get_mut(last)
}

/// The arena's lines in tree order (depth first). That is the arena's own
/// order when each node's parent is the node before it or one of that
/// node's ancestors — how the builder adds nodes — which is checked on a
/// stack of open ancestors; otherwise the order is worked out.
fn lines_in_tree_order(arena: &Arena) -> Vec<u32> {
    let line = |i: usize| u32::try_from(arena[i].2).unwrap_or(u32::MAX);
    let mut open: Vec<usize> = Vec::new();
    let mut in_order = true;
    for i in 0..arena.len() {
        match arena.parent(i) {
            Some(p) => {
                while open.last().is_some_and(|&t| t != p) {
                    open.pop();
                }
                if open.is_empty() {
                    in_order = false;
                    break;
                }
            }
            _ => open.clear(),
        }
        open.push(i);
    }
    if in_order {
        return (0..arena.len()).map(line).collect();
    }
    let n = arena.len();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut top = Vec::new();
    for i in 0..n {
        match arena.parent(i) {
            Some(p) => children[p].push(i),
            None => top.push(i),
        }
    }
    let mut out = Vec::with_capacity(n);
    let mut stack: Vec<usize> = top.into_iter().rev().collect();
    while let Some(i) = stack.pop() {
        out.push(line(i));
        stack.extend(children[i].iter().rev());
    }
    out
}

#[cfg(test)]
mod tests {
    use kaitei_model::{Key, NodeKind};

    use super::*;

    #[test]
    fn a_chunked_list_is_a_list() {
        let mut c = Chunked::default();
        c.extend(0..3 * CHUNK + 5);
        assert_eq!(c.len(), 3 * CHUNK + 5);
        assert_eq!(c[CHUNK + 1], CHUNK + 1);
        c[CHUNK + 1] = 7;
        assert_eq!(c.iter().nth(CHUNK + 1), Some(&7));
        assert_eq!(c.chunks.len(), 4);
        assert!(c.chunks.iter().all(|chunk| chunk.capacity() == CHUNK));
        let all: Vec<usize> = c.into_iter().collect();
        assert_eq!(all.len(), 3 * CHUNK + 5);
        assert_eq!(all[CHUNK + 1], 7);
    }

    fn arena(parents: &[Option<usize>]) -> Arena {
        let mut a = Arena::default();
        for (i, p) in parents.iter().enumerate() {
            let key = Key::new(&format!("k{i}")).expect("valid key");
            a.push((Node::new(NodeKind::Item, key), *p, 10 + i));
        }
        a
    }

    fn keys(nodes: &[Node]) -> Vec<String> {
        nodes
            .iter()
            .flat_map(Node::walk)
            .map(|n| format!("{}:{}", n.key, n.children.len()))
            .collect()
    }

    #[test]
    fn the_arena_becomes_a_tree_in_order() {
        let (tree, lines) = into_tree(arena(&[None, Some(0), Some(1), Some(0), None, Some(4)]));
        assert_eq!(
            keys(&tree),
            ["k0:2", "k1:1", "k2:0", "k3:0", "k4:1", "k5:0"]
        );
        assert_eq!(lines, [10, 11, 12, 13, 14, 15]);
        // Many children in many chunks.
        let mut parents = vec![None];
        parents.extend(std::iter::repeat_n(Some(0), 3 * CHUNK));
        let (tree, lines) = into_tree(arena(&parents));
        assert_eq!(tree[0].children.len(), 3 * CHUNK);
        assert_eq!(
            tree[0].children[CHUNK].key.as_str(),
            format!("k{}", CHUNK + 1)
        );
        assert_eq!(lines.len(), 3 * CHUNK + 1);
    }

    #[test]
    fn the_largest_list_is_made_in_place_wherever_it_is() {
        // k2 (under k0 / k1) has the most children; a later top-level node
        // with children of its own comes after it.
        let (tree, lines) = into_tree(arena(&[
            None,
            Some(0),
            Some(1),
            Some(2),
            Some(2),
            Some(2),
            Some(1),
            None,
            Some(7),
        ]));
        assert_eq!(
            keys(&tree),
            [
                "k0:1", "k1:2", "k2:3", "k3:0", "k4:0", "k5:0", "k6:0", "k7:1", "k8:0"
            ]
        );
        assert_eq!(lines, [10, 11, 12, 13, 14, 15, 16, 17, 18]);
        // A second node with children before the big one is counted in its
        // place.
        let (tree, _) = into_tree(arena(&[None, Some(0), None, Some(2), Some(2), Some(2)]));
        assert_eq!(
            keys(&tree),
            ["k0:1", "k1:0", "k2:3", "k3:0", "k4:0", "k5:0"]
        );
    }

    #[test]
    fn a_parent_off_the_open_path_still_gives_tree_order() {
        // k4's parent k2 is no longer open when k4 comes (k3 closed it):
        // the tree's order is k0 k1 k2 k4 k3, not the arena's.
        let (tree, lines) = into_tree(arena(&[None, Some(0), Some(1), Some(1), Some(2)]));
        assert_eq!(keys(&tree), ["k0:1", "k1:2", "k2:1", "k4:0", "k3:0"]);
        assert_eq!(lines, [10, 11, 12, 14, 13]);
        // A parent after its child is not possible; the node is kept.
        let (tree, _) = into_tree(arena(&[Some(1), None]));
        assert_eq!(keys(&tree), ["k0:0", "k1:0"]);
    }
}
