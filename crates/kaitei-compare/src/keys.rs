//! Carrying stable keys forward from one edition to the next.

use std::collections::HashSet;

use kaitei_model::{Document, Key, Node};

use crate::align::KeyUse;
use crate::table::compare;

/// Gives each node of `new` the key of the old node it came from, so a
/// clause keeps its identity across editions. The first piece of a split
/// keeps the key; the other pieces, merged parts and new nodes keep keys of
/// their own, renamed where they would clash with an old key. Returns how
/// many keys were inherited.
pub fn inherit_keys(old: &Document, new: &mut Document) -> usize {
    let inherited: Vec<Option<Key>> = {
        let cmp = compare(old, new, KeyUse::OldAll);
        (0..cmp.new.len())
            .map(|n| {
                let o = cmp.alignment.old_for(n)?;
                // A split's later pieces do not take the old key.
                (cmp.alignment.new_for(o) == Some(n)).then(|| cmp.old.nodes[o].node.key.clone())
            })
            .collect()
    };
    let old_keys: HashSet<Key> = old.nodes().map(|n| n.key.clone()).collect();
    let mut used: HashSet<Key> = inherited.iter().flatten().cloned().collect();
    let mut count = 0;
    let mut index = 0;
    fn visit(
        nodes: &mut [Node],
        inherited: &[Option<Key>],
        index: &mut usize,
        old_keys: &HashSet<Key>,
        used: &mut HashSet<Key>,
        count: &mut usize,
    ) {
        for node in nodes {
            match &inherited[*index] {
                Some(k) => {
                    node.key = k.clone();
                    node.key_pinned = true;
                    *count += 1;
                }
                None => {
                    let base = node.key.as_str().to_string();
                    let mut candidate = node.key.clone();
                    let mut n = 2;
                    while old_keys.contains(&candidate) || used.contains(&candidate) {
                        candidate = Key::new(&format!("{base}~{n}")).unwrap_or(candidate);
                        n += 1;
                    }
                    used.insert(candidate.clone());
                    node.key = candidate;
                }
            }
            *index += 1;
            visit(&mut node.children, inherited, index, old_keys, used, count);
        }
    }
    visit(
        &mut new.children,
        &inherited,
        &mut index,
        &old_keys,
        &mut used,
        &mut count,
    );
    count
}
