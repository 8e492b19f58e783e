//! Edits of a draft (改定案): the changes the ministry makes to its working
//! copy of the next edition — a clause's text, title, commentary or label;
//! adding, deleting, moving and splitting clauses. Applying one is pure;
//! the store keeps the history and refuses stale saves.

use std::fmt;

use crate::document::{Document, Key, Node};
use crate::label::Label;

/// One change of a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DraftEdit {
    /// Replaces a clause's text (paragraph by paragraph).
    Text {
        /// The clause.
        key: Key,
        /// Its new text.
        paragraphs: Vec<String>,
    },
    /// Replaces (or removes) a clause's title.
    Title {
        /// The clause.
        key: Key,
        /// Its new title.
        title: Option<String>,
    },
    /// Replaces a clause's commentary (解説).
    Commentary {
        /// The clause.
        key: Key,
        /// Its new commentary.
        paragraphs: Vec<String>,
    },
    /// Replaces (or removes) a clause's label.
    Relabel {
        /// The clause.
        key: Key,
        /// Its new label.
        label: Option<Label>,
    },
    /// Adds a new clause.
    Insert {
        /// The clause, with a key the draft does not use yet and no
        /// children.
        node: Node,
        /// Where: under this clause (`None`: at the top level)…
        parent: Option<Key>,
        /// …after this sibling (`None`: first).
        after: Option<Key>,
    },
    /// Deletes a clause and everything under it.
    Delete {
        /// The clause.
        key: Key,
    },
    /// Moves a clause (with everything under it).
    Move {
        /// The clause.
        key: Key,
        /// Its new parent (`None`: the top level)…
        parent: Option<Key>,
        /// …after this sibling (`None`: first).
        after: Option<Key>,
    },
    /// Splits a clause: its paragraphs from `at` on become a new clause of
    /// the same kind just after it.
    Split {
        /// The clause.
        key: Key,
        /// The first paragraph (0-based) of the new clause.
        at: usize,
        /// The new clause's key.
        new_key: Key,
    },
}

impl DraftEdit {
    /// The word the history and the API use.
    pub fn op(&self) -> &'static str {
        match self {
            DraftEdit::Text { .. } => "text",
            DraftEdit::Title { .. } => "title",
            DraftEdit::Commentary { .. } => "commentary",
            DraftEdit::Relabel { .. } => "label",
            DraftEdit::Insert { .. } => "insert",
            DraftEdit::Delete { .. } => "delete",
            DraftEdit::Move { .. } => "move",
            DraftEdit::Split { .. } => "split",
        }
    }

    /// The clause it is about.
    pub fn key(&self) -> &Key {
        match self {
            DraftEdit::Insert { node, .. } => &node.key,
            DraftEdit::Text { key, .. }
            | DraftEdit::Title { key, .. }
            | DraftEdit::Commentary { key, .. }
            | DraftEdit::Relabel { key, .. }
            | DraftEdit::Delete { key }
            | DraftEdit::Move { key, .. }
            | DraftEdit::Split { key, .. } => key,
        }
    }
}

/// What an applied edit changed, for the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// One line: what was done (`第1編 / 2. のタイトルを変更`).
    pub summary: String,
    /// The clause's text before (paragraphs joined by LF; empty for an
    /// insertion).
    pub before: String,
    /// Its text after (empty for a deletion).
    pub after: String,
}

/// Why an edit cannot be applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftError(pub String);

impl fmt::Display for DraftError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DraftError {}

/// Applies `edit` to `doc`: on error `doc` is unchanged.
pub fn apply(doc: &mut Document, edit: &DraftEdit) -> Result<Change, DraftError> {
    let err = |m: String| Err(DraftError(m));
    let path = |doc: &Document, key: &Key| -> Option<String> {
        doc.locate(key.as_str()).map(|(p, _)| p.join(" / "))
    };
    let missing = |key: &Key| DraftError(format!("the draft has no clause {key}"));
    match edit {
        DraftEdit::Text { key, paragraphs } | DraftEdit::Commentary { key, paragraphs } => {
            let commentary = matches!(edit, DraftEdit::Commentary { .. });
            let clean: Vec<String> = paragraphs
                .iter()
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty())
                .collect();
            if clean.is_empty() && !commentary {
                let node = find(&doc.children, key).ok_or_else(|| missing(key))?;
                if node.children.is_empty() && node.title.is_none() {
                    return err(format!(
                        "clause {key} would have no text, title or sub-clauses: delete it instead"
                    ));
                }
            }
            let at = path(doc, key).ok_or_else(|| missing(key))?;
            let node = find_mut(&mut doc.children, key).ok_or_else(|| missing(key))?;
            let slot = if commentary {
                &mut node.commentary
            } else {
                &mut node.paragraphs
            };
            if *slot == clean {
                return err(format!("{at}: nothing changed"));
            }
            let before = slot.join("\n");
            *slot = clean;
            let after = slot.join("\n");
            let what = if commentary { "解説" } else { "本文" };
            Ok(Change {
                summary: format!("{at} の{what}を変更"),
                before,
                after,
            })
        }
        DraftEdit::Title { key, title } => {
            let at = path(doc, key).ok_or_else(|| missing(key))?;
            let node = find_mut(&mut doc.children, key).ok_or_else(|| missing(key))?;
            let title = title
                .as_ref()
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty());
            if node.title == title {
                return err(format!("{at}: nothing changed"));
            }
            let before = node.title.clone().unwrap_or_default();
            node.title = title;
            Ok(Change {
                summary: format!("{at} の見出しを変更"),
                before,
                after: node.title.clone().unwrap_or_default(),
            })
        }
        DraftEdit::Relabel { key, label } => {
            let at = path(doc, key).ok_or_else(|| missing(key))?;
            let node = find_mut(&mut doc.children, key).ok_or_else(|| missing(key))?;
            if node.label == *label {
                return err(format!("{at}: nothing changed"));
            }
            let before = node
                .label
                .as_ref()
                .map(|l| l.written().to_string())
                .unwrap_or_default();
            node.label = label.clone();
            let after = label
                .as_ref()
                .map(|l| l.written().to_string())
                .unwrap_or_default();
            Ok(Change {
                summary: format!("{at} の番号を「{before}」から「{after}」に変更"),
                before,
                after,
            })
        }
        DraftEdit::Insert {
            node,
            parent,
            after,
        } => {
            if doc.nodes().any(|n| n.key == node.key) {
                return err(format!("key {} is already used in the draft", node.key));
            }
            if !node.children.is_empty() {
                return err("a new clause is added without sub-clauses".to_string());
            }
            if node.paragraphs.is_empty() && node.title.is_none() {
                return err("a new clause needs a title or text".to_string());
            }
            place(doc, node.clone(), parent.as_ref(), after.as_ref())?;
            let at = path(doc, &node.key).unwrap_or_default();
            Ok(Change {
                summary: format!("{at} を追加"),
                before: String::new(),
                after: node.paragraphs.join("\n"),
            })
        }
        DraftEdit::Delete { key } => {
            let at = path(doc, key).ok_or_else(|| missing(key))?;
            let removed = take(&mut doc.children, key).ok_or_else(|| missing(key))?;
            let n = removed.walk().count();
            let below = if n > 1 {
                format!("（配下の{}項目を含む）", n - 1)
            } else {
                String::new()
            };
            Ok(Change {
                summary: format!("{at} を削除{below}"),
                before: removed.paragraphs.join("\n"),
                after: String::new(),
            })
        }
        DraftEdit::Move { key, parent, after } => {
            let from = path(doc, key).ok_or_else(|| missing(key))?;
            if after.as_ref() == Some(key) {
                return err(format!("clause {key} cannot follow itself"));
            }
            if let Some(p) = parent {
                let node = find(&doc.children, key).ok_or_else(|| missing(key))?;
                if node.walk().any(|n| n.key == *p) {
                    return err(format!(
                        "clause {key} cannot move under itself or one of its sub-clauses"
                    ));
                }
            }
            let mut copy = doc.children.clone();
            let node = take(&mut copy, key).ok_or_else(|| missing(key))?;
            let text = node.paragraphs.join("\n");
            let mut moved = Document {
                meta: doc.meta.clone(),
                preamble: Vec::new(),
                children: copy,
            };
            place(&mut moved, node, parent.as_ref(), after.as_ref())?;
            doc.children = moved.children;
            let to = path(doc, key).unwrap_or_default();
            Ok(Change {
                summary: format!("{from} を {to} へ移動"),
                before: text.clone(),
                after: text,
            })
        }
        DraftEdit::Split { key, at, new_key } => {
            if doc.nodes().any(|n| n.key == *new_key) {
                return err(format!("key {new_key} is already used in the draft"));
            }
            let where_ = path(doc, key).ok_or_else(|| missing(key))?;
            let node = find(&doc.children, key).ok_or_else(|| missing(key))?;
            if *at == 0 || *at >= node.paragraphs.len() {
                return err(format!(
                    "{where_} has {} paragraph(s): split it at paragraph 2 to {}",
                    node.paragraphs.len(),
                    node.paragraphs.len()
                ));
            }
            let before = node.paragraphs.join("\n");
            let parent = parent_of(&doc.children, key, None).flatten();
            let node = find_mut(&mut doc.children, key).ok_or_else(|| missing(key))?;
            let mut second = Node::new(node.kind, new_key.clone());
            second.key_pinned = true;
            second.paragraphs = node.paragraphs.split_off(*at);
            let after = node.paragraphs.join("\n");
            place(doc, second, parent.as_ref(), Some(key))?;
            Ok(Change {
                summary: format!("{where_} を第{}段落で分割（新しい項目 {new_key}）", at + 1),
                before,
                after,
            })
        }
    }
}

fn find<'a>(nodes: &'a [Node], key: &Key) -> Option<&'a Node> {
    nodes.iter().find_map(|n| {
        if n.key == *key {
            Some(n)
        } else {
            find(&n.children, key)
        }
    })
}

fn find_mut<'a>(nodes: &'a mut [Node], key: &Key) -> Option<&'a mut Node> {
    for n in nodes {
        if n.key == *key {
            return Some(n);
        }
        if let Some(found) = find_mut(&mut n.children, key) {
            return Some(found);
        }
    }
    None
}

/// `Some(parent)` of the node with `key` (`Some(None)` at the top level);
/// `None` when there is no such node.
fn parent_of(nodes: &[Node], key: &Key, parent: Option<&Key>) -> Option<Option<Key>> {
    for n in nodes {
        if n.key == *key {
            return Some(parent.cloned());
        }
        if let Some(p) = parent_of(&n.children, key, Some(&n.key)) {
            return Some(p);
        }
    }
    None
}

fn take(nodes: &mut Vec<Node>, key: &Key) -> Option<Node> {
    if let Some(i) = nodes.iter().position(|n| n.key == *key) {
        return Some(nodes.remove(i));
    }
    nodes.iter_mut().find_map(|n| take(&mut n.children, key))
}

fn place(
    doc: &mut Document,
    node: Node,
    parent: Option<&Key>,
    after: Option<&Key>,
) -> Result<(), DraftError> {
    let siblings = match parent {
        None => &mut doc.children,
        Some(p) => {
            &mut find_mut(&mut doc.children, p)
                .ok_or_else(|| DraftError(format!("the draft has no clause {p}")))?
                .children
        }
    };
    let at = match after {
        None => 0,
        Some(a) => {
            siblings.iter().position(|n| n.key == *a).ok_or_else(|| {
                DraftError(format!(
                    "clause {a} is not a sibling at that place: choose one of the clauses \
                         directly under the new parent"
                ))
            })? + 1
        }
    };
    siblings.insert(at, node);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{DocumentKind, Metadata, NodeKind};

    fn k(s: &str) -> Key {
        Key::new(s).unwrap()
    }

    fn node(key: &str, text: &[&str], children: Vec<Node>) -> Node {
        let mut n = Node::new(NodeKind::Item, k(key));
        n.paragraphs = text.iter().map(|s| s.to_string()).collect();
        n.children = children;
        n
    }

    fn doc() -> Document {
        let mut d = Document::new(Metadata::new(DocumentKind::Guideline, "t", "draft"));
        d.children = vec![
            node("a", &["A1", "A2", "A3"], vec![node("a1", &["x"], vec![])]),
            node("b", &["B"], vec![]),
        ];
        d
    }

    fn keys(d: &Document) -> Vec<String> {
        d.nodes().map(|n| n.key.as_str().to_string()).collect()
    }

    #[test]
    fn text_title_and_commentary() {
        let mut d = doc();
        let c = apply(
            &mut d,
            &DraftEdit::Text {
                key: k("b"),
                paragraphs: vec!["B'".into(), " ".into()],
            },
        )
        .unwrap();
        assert_eq!((c.before.as_str(), c.after.as_str()), ("B", "B'"));
        assert!(
            apply(
                &mut d,
                &DraftEdit::Text {
                    key: k("b"),
                    paragraphs: vec!["B'".into()]
                }
            )
            .is_err()
        );
        assert!(
            apply(
                &mut d,
                &DraftEdit::Text {
                    key: k("b"),
                    paragraphs: vec![]
                }
            )
            .is_err()
        );
        assert!(
            apply(
                &mut d,
                &DraftEdit::Text {
                    key: k("zz"),
                    paragraphs: vec!["x".into()]
                }
            )
            .is_err()
        );
        apply(
            &mut d,
            &DraftEdit::Title {
                key: k("a"),
                title: Some("見出し".into()),
            },
        )
        .unwrap();
        apply(
            &mut d,
            &DraftEdit::Commentary {
                key: k("a"),
                paragraphs: vec!["解説".into()],
            },
        )
        .unwrap();
        let a = d.find(&k("a")).unwrap();
        assert_eq!(
            (a.title.as_deref(), a.commentary.len()),
            (Some("見出し"), 1)
        );
    }

    #[test]
    fn insert_delete_move_split() {
        let mut d = doc();
        let new = node("n", &["N"], vec![]);
        apply(
            &mut d,
            &DraftEdit::Insert {
                node: new.clone(),
                parent: None,
                after: Some(k("a")),
            },
        )
        .unwrap();
        assert_eq!(keys(&d), ["a", "a1", "n", "b"]);
        assert!(
            apply(
                &mut d,
                &DraftEdit::Insert {
                    node: new,
                    parent: None,
                    after: None
                }
            )
            .is_err()
        );
        let c = apply(
            &mut d,
            &DraftEdit::Move {
                key: k("b"),
                parent: Some(k("a")),
                after: Some(k("a1")),
            },
        )
        .unwrap();
        assert!(c.summary.contains("移動"), "{}", c.summary);
        assert_eq!(keys(&d), ["a", "a1", "b", "n"]);
        let before = d.clone();
        assert!(
            apply(
                &mut d,
                &DraftEdit::Move {
                    key: k("a"),
                    parent: Some(k("a1")),
                    after: None
                }
            )
            .is_err()
        );
        assert!(
            apply(
                &mut d,
                &DraftEdit::Move {
                    key: k("a"),
                    parent: None,
                    after: Some(k("zz"))
                }
            )
            .is_err()
        );
        assert_eq!(d, before, "a refused edit changes nothing");
        apply(
            &mut d,
            &DraftEdit::Split {
                key: k("a"),
                at: 2,
                new_key: k("a-2"),
            },
        )
        .unwrap();
        assert_eq!(keys(&d), ["a", "a1", "b", "a-2", "n"]);
        assert_eq!(d.find(&k("a")).unwrap().paragraphs, ["A1", "A2"]);
        assert_eq!(d.find(&k("a-2")).unwrap().paragraphs, ["A3"]);
        assert!(
            apply(
                &mut d,
                &DraftEdit::Split {
                    key: k("n"),
                    at: 1,
                    new_key: k("n2")
                }
            )
            .is_err()
        );
        let c = apply(&mut d, &DraftEdit::Delete { key: k("a") }).unwrap();
        assert!(c.summary.contains("配下の2項目"), "{}", c.summary);
        assert_eq!(keys(&d), ["a-2", "n"]);
    }
}
