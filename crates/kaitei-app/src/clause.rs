//! One guideline clause as its page shows it: where it sits (its
//! ancestors), the clauses before and after it in reading order, the
//! editions that have it, and what changed in it since the edition before —
//! character by character, as the 新旧対照表 underlines it.

use kaitei_compare::chardiff;
use kaitei_model::{Document, EditionName, Node};

use crate::{App, Error, Result};

/// A clause named by its place: key, label as written and name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crumb {
    /// Its key (the same in every edition that has it).
    pub key: String,
    /// Its label as written (`5.1.`, `(1)`, `①`); empty when it has none.
    pub label: String,
    /// What it is called ([`kaitei_model::clause_name`]): its title, or
    /// an item's first line that names it.
    pub name: Option<String>,
}

impl Crumb {
    /// The crumb of `node`.
    pub fn of(node: &Node) -> Crumb {
        Crumb {
            key: node.key.to_string(),
            label: node
                .label
                .as_ref()
                .map(|l| l.written().to_string())
                .unwrap_or_default(),
            name: node.name().map(str::to_string),
        }
    }
}

/// A text cut where the comparison underlines it: (text, changed).
pub type Pieces = Vec<(String, bool)>;

/// One part of a clause (title, text or commentary) that changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    /// Which part.
    pub field: ClauseField,
    /// The earlier edition's text, changed runs marked.
    pub old: Pieces,
    /// This edition's text, changed runs marked.
    pub new: Pieces,
}

/// A part of a clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClauseField {
    /// Its title or caption (見出し).
    Title,
    /// Its text (本文).
    Text,
    /// Its commentary (解説).
    Commentary,
}

/// What changed in a clause since the edition before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SinceBefore {
    /// This is the first stored edition.
    First,
    /// The edition before did not have it.
    Added {
        /// That edition.
        before: String,
    },
    /// Nothing changed.
    Unchanged {
        /// That edition.
        before: String,
    },
    /// These parts changed (its place or label may have changed too).
    Changed {
        /// That edition.
        before: String,
        /// Its label path there, when it differs from here.
        moved_from: Option<String>,
        /// The parts whose text changed.
        fields: Vec<FieldChange>,
    },
}

/// A clause of one edition with what its page shows around it.
#[derive(Debug, Clone)]
pub struct ClauseInEdition {
    /// The edition.
    pub edition: String,
    /// Its ancestors, from the top of the document down.
    pub ancestors: Vec<Crumb>,
    /// The clause.
    pub node: Node,
    /// The clause before it in reading order.
    pub previous: Option<Crumb>,
    /// The clause after it in reading order.
    pub next: Option<Crumb>,
    /// What changed since the edition before.
    pub since: SinceBefore,
    /// Every stored edition, oldest first, and whether it has the clause.
    pub editions: Vec<(String, bool)>,
}

/// The node of key `key` in `doc`, its ancestors, and its neighbours in
/// reading order.
type Placed<'a> = (Vec<Crumb>, &'a Node, Option<Crumb>, Option<Crumb>);

fn place<'a>(doc: &'a Document, key: &str) -> Option<Placed<'a>> {
    // One walk in reading order, with the ancestors on a stack: a clause
    // page is asked for often, and building every node's path to find one
    // cost more than the rest of the page.
    fn visit<'a>(
        nodes: &'a [Node],
        key: &str,
        stack: &mut Vec<&'a Node>,
        previous: &mut Option<&'a Node>,
    ) -> Option<&'a Node> {
        for n in nodes {
            if n.key.as_str() == key {
                return Some(n);
            }
            *previous = Some(n);
            stack.push(n);
            if let Some(found) = visit(&n.children, key, stack, previous) {
                return Some(found);
            }
            stack.pop();
        }
        None
    }
    let mut stack = Vec::new();
    let mut previous = None;
    let node = visit(&doc.children, key, &mut stack, &mut previous)?;
    let ancestors = stack.into_iter().map(Crumb::of).collect();
    let next = doc
        .nodes()
        .skip_while(|n| n.key.as_str() != key)
        .nth(1)
        .map(Crumb::of);
    Some((ancestors, node, previous.map(Crumb::of), next))
}

/// `old` and `new` cut where the character diff marks them changed.
fn pieces(text: &str, runs: &[chardiff::Run]) -> Pieces {
    let mut out: Pieces = Vec::new();
    for (i, c) in text.chars().enumerate() {
        let changed = runs.iter().any(|r| r.start <= i && i < r.end);
        match out.last_mut() {
            Some((t, u)) if *u == changed => t.push(c),
            _ => out.push((c.to_string(), changed)),
        }
    }
    out
}

/// The parts of `new` that differ from `old`, each diffed by character.
pub fn field_changes(old: &Node, new: &Node) -> Vec<FieldChange> {
    let parts = |n: &Node| {
        [
            (ClauseField::Title, n.title.clone().unwrap_or_default()),
            (ClauseField::Text, n.text()),
            (ClauseField::Commentary, n.commentary_text()),
        ]
    };
    parts(old)
        .into_iter()
        .zip(parts(new))
        .filter(|((_, o), (_, n))| o != n)
        .map(|((field, o), (_, n))| {
            let (old_runs, new_runs) = chardiff::diff(&o, &n);
            FieldChange {
                field,
                old: pieces(&o, &old_runs),
                new: pieces(&n, &new_runs),
            }
        })
        .collect()
}

impl App {
    /// Clause `key` of edition `name`, with its place, neighbours, the
    /// editions that have it and what changed since the edition before.
    pub async fn clause_in_edition(
        &self,
        name: &EditionName,
        key: &str,
    ) -> Result<ClauseInEdition> {
        let doc = self.edition(name).await?;
        let (ancestors, node, previous, next) = place(&doc, key)
            .ok_or_else(|| Error::NotFound(format!("{name} has no clause {key}")))?;
        let list = self.editions().await?;
        let mut editions = Vec::with_capacity(list.len());
        for e in &list {
            let has = match EditionName::parse(&e.edition) {
                Ok(n) => self.edition(&n).await?.locate(key).is_some(),
                Err(_) => false,
            };
            editions.push((e.edition.clone(), has));
        }
        let here = list.iter().position(|e| *name == e.edition);
        let before = here
            .and_then(|i| i.checked_sub(1))
            .map(|i| list[i].edition.clone());
        let since = match before {
            None => SinceBefore::First,
            Some(before) => {
                let old_doc = self.edition_named(&before).await?;
                match old_doc.locate(key) {
                    None => SinceBefore::Added { before },
                    Some((old_path, old)) => {
                        let fields = field_changes(old, node);
                        let path = |p: Vec<&str>| p.join(" / ");
                        let old_path = path(old_path);
                        let new_path = doc.locate(key).map(|(p, _)| path(p)).unwrap_or_default();
                        let moved_from = (old_path != new_path).then_some(old_path);
                        if fields.is_empty() && moved_from.is_none() {
                            SinceBefore::Unchanged { before }
                        } else {
                            SinceBefore::Changed {
                                before,
                                moved_from,
                                fields,
                            }
                        }
                    }
                }
            }
        };
        Ok(ClauseInEdition {
            edition: doc.meta.edition.clone(),
            ancestors,
            node: node.clone(),
            previous,
            next,
            since,
            editions,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kaitei_format::authoring::parse;

    const DOC: &str = "---\nkind: guideline\ntitle: t\nedition: 令和7年3月版\n---\n\n# 第1章 総則 {#c1}\n\n## 1. 目的 {#c1-1}\n\n本文一。\n\n## 2. 定義 {#c1-2}\n\n(1) 情報資産 {#c1-2-1}\n\n情報資産とは、ネットワーク及び情報システムをいう。\n\n# 第2章 組織 {#c2}\n";

    #[test]
    fn a_clause_knows_its_ancestors_and_neighbours() {
        let doc = parse(DOC).document;
        let (ancestors, node, previous, next) = place(&doc, "c1-2-1").expect("placed");
        assert_eq!(
            ancestors
                .iter()
                .map(|c| c.label.as_str())
                .collect::<Vec<_>>(),
            ["第1章", "2."]
        );
        assert_eq!(ancestors[1].name.as_deref(), Some("定義"));
        assert_eq!(node.name(), Some("情報資産"));
        assert_eq!(previous.map(|c| c.key), Some("c1-2".to_string()));
        assert_eq!(next.map(|c| c.key), Some("c2".to_string()));
        let (top, _, first, _) = place(&doc, "c1").expect("placed");
        assert!(
            top.is_empty() && first.is_none(),
            "the first has nothing above or before it"
        );
        let (_, _, deepest, last) = place(&doc, "c2").expect("placed");
        assert_eq!(
            deepest.map(|c| c.key),
            Some("c1-2-1".to_string()),
            "before a chapter, the last clause of the one before"
        );
        assert!(last.is_none());
        assert!(place(&doc, "nothing").is_none());
    }

    #[test]
    fn a_changed_clause_marks_the_changed_words_of_each_part() {
        let doc = parse(DOC).document;
        let changed = DOC.replace(
            "ネットワーク及び情報システム",
            "ネットワーク、情報システム及びクラウドサービス",
        );
        let new = parse(&changed).document;
        let (old_node, new_node) = (
            doc.locate("c1-2-1").expect("old").1,
            new.locate("c1-2-1").expect("new").1,
        );
        let fields = field_changes(old_node, new_node);
        assert_eq!(fields.len(), 1, "only the text changed: {fields:?}");
        assert_eq!(fields[0].field, ClauseField::Text);
        let marked = |p: &Pieces| -> String {
            p.iter()
                .filter(|(_, c)| *c)
                .map(|(t, _)| t.as_str())
                .collect()
        };
        assert!(
            marked(&fields[0].new).contains("クラウドサービス"),
            "{:?}",
            fields[0].new
        );
        assert!(!marked(&fields[0].new).contains("情報資産とは"));
        let whole: String = fields[0].new.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(whole, new_node.text(), "the pieces make the text again");
        assert!(field_changes(old_node, old_node).is_empty());
    }
}
