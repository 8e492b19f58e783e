//! Where a new guideline clause goes in a policy enacted in law style
//! (規程: 章, 条, 項, 号), as Japanese legislative drafting inserts
//! provisions — without renumbering (see the table in ARCHITECTURE.md):
//!
//! - it becomes the unit its guideline siblings became (an article where
//!   they became articles, a 号 where they became 号), placed after the unit
//!   its previous sibling became — never inside a list of another kind;
//! - 章, 節, 条 and 号 (`三の二`, `(3の2)`) take the next free branch number of the unit
//!   they follow (after 第23条 with 第23条の2–の4, 第23条の5, after の4); a
//!   new first unit follows the unit before it in the whole 規程 (a new
//!   first article of a chapter after 第30条 is 第30条の2);
//! - 項 have no branch numbers: a new 項 goes at the end of its article;
//!   where the guideline's order puts it earlier, the review says so;
//! - an article deleted with its guideline clause stays as 「第N条　削除」
//!   (the later articles keep their numbers);
//! - a 項 deleted with its guideline clause leaves no gap: the later 項 of
//!   the article move up (項の繰上げ: 第4項を第3項とする), and the review
//!   says so, references to them included;
//! - other item styles continue their list (`(13)` → `(14)`) where the new
//!   one comes last, else go last and the review says so;
//! - a new article's caption is the guideline node's title, else its
//!   parent's (else the one of the article it follows), and the review
//!   says so.

use kaitei_model::{Key, Label, LabelContext, LabelStyle, Node, NodeKind};

use super::notes::{MergeNote, PlacementReason};

/// A node's place: child indices from the top.
type Path = Vec<usize>;

/// The path of the node derived from guideline key `from`.
pub(super) fn find_from(nodes: &[Node], from: &Key) -> Option<Path> {
    for (i, n) in nodes.iter().enumerate() {
        if n.from.as_ref() == Some(from) {
            return Some(vec![i]);
        }
        if let Some(mut rest) = find_from(&n.children, from) {
            rest.insert(0, i);
            return Some(rest);
        }
    }
    None
}

/// The list holding the node at `path`.
fn container_mut<'a>(nodes: &'a mut Vec<Node>, path: &[usize]) -> &'a mut Vec<Node> {
    let mut list = nodes;
    for &i in &path[..path.len() - 1] {
        list = &mut list[i].children;
    }
    list
}

fn container<'a>(nodes: &'a [Node], path: &[usize]) -> &'a [Node] {
    let mut list = nodes;
    for &i in &path[..path.len() - 1] {
        list = &list[i].children;
    }
    list
}

/// Every label of `style` in the document, in document order.
fn labels_of(nodes: &[Node], style: LabelStyle, out: &mut Vec<Vec<u32>>) {
    for n in nodes {
        if let Some(l) = &n.label
            && l.style() == style
        {
            out.push(l.value().to_vec());
        }
        labels_of(&n.children, style, out);
    }
}

/// Whether a style takes branch numbers (`第3条の2`, `三の二`).
fn branches(style: LabelStyle) -> bool {
    matches!(
        style,
        LabelStyle::Part
            | LabelStyle::Chapter
            | LabelStyle::Section
            | LabelStyle::Subsection
            | LabelStyle::Article
            | LabelStyle::Kanji
            | LabelStyle::ParenArabic
            | LabelStyle::ParenKanji
    )
}

/// Whether the numbers of a style run through the whole 規程 (articles,
/// chapters …) rather than one list.
fn document_wide(style: LabelStyle) -> bool {
    matches!(
        style,
        LabelStyle::Part
            | LabelStyle::Chapter
            | LabelStyle::Section
            | LabelStyle::Subsection
            | LabelStyle::Article
    )
}

/// The next free branch after unit number `base` of `style` among `taken`.
fn next_branch(style: LabelStyle, base: u32, taken: &[Vec<u32>]) -> Option<Label> {
    let last = taken
        .iter()
        .filter(|v| v.first() == Some(&base))
        .map(|v| v.get(1).copied().unwrap_or(1))
        .max()
        .unwrap_or(1);
    Label::canonical(style, &[base, last + 1])
}

/// Where new guideline node `d` (already derived: text filled, key and
/// provenance set) goes, given where its guideline siblings went: after
/// `prev` (the path of the unit its previous sibling became) or, as a new
/// first unit, before `next`. Inserts it and returns what the review should
/// be told, if anything. `None` when neither sibling is in the policy (the
/// caller places it under the unit its parent became).
pub(super) fn insert_law_style(
    top: &mut Vec<Node>,
    mut d: Node,
    parent_title: Option<&str>,
    prev: Option<Path>,
    next: Option<Path>,
) -> Result<Option<MergeNote>, Box<Node>> {
    let (path, after) = match (prev, next) {
        (Some(p), _) => (p, true),
        (None, Some(n)) => (n, false),
        (None, None) => return Err(Box::new(d)),
    };
    let list = container(top, &path);
    let at = path[path.len() - 1];
    let unit = &list[at];
    let Some(label) = unit.label.clone() else {
        // An unlabelled neighbour: the new one goes beside it as it is.
        let pos = if after { at + 1 } else { at };
        container_mut(top, &path).insert(pos, d);
        return Ok(None);
    };
    let style = label.style();
    let kind = unit.kind;
    let mut note = Vec::new();
    // The kind of its siblings' units, and an article's caption.
    if kind == NodeKind::Article && d.kind != NodeKind::Article {
        if d.title.is_none() {
            match parent_title {
                Some(t) => {
                    d.title = Some(t.to_string());
                    note.push(PlacementReason::CaptionFromParent);
                }
                None => {
                    d.title = unit.title.clone();
                    note.push(PlacementReason::CaptionFromPrevious);
                }
            }
        } else {
            note.push(PlacementReason::CaptionIsTitle);
        }
    }
    if kind != NodeKind::Article && kind != NodeKind::Heading && d.title.is_some() {
        // An item or 項 has no title: the guideline's heading title opens
        // its text.
        if let Some(t) = d.title.take() {
            d.paragraphs.insert(0, t);
        }
    }
    d.kind = kind;
    let last_of_style = list
        .iter()
        .rposition(|n| n.label.as_ref().is_some_and(|l| l.style() == style));
    // A 号 after the last of its list simply continues it ((13) → (14));
    // articles and chapters are numbered through the whole 規程, so a new
    // one always takes a branch number.
    let continues = after && !document_wide(style) && last_of_style == Some(at);
    let (new_label, pos) = if branches(style) && (after || document_wide(style)) && !continues {
        let mut taken = Vec::new();
        if document_wide(style) {
            labels_of(top, style, &mut taken);
        } else {
            taken.extend(
                list.iter()
                    .filter_map(|n| n.label.as_ref())
                    .filter(|l| l.style() == style)
                    .map(|l| l.value().to_vec()),
            );
        }
        // The unit it follows: its previous sibling's, or for a new first
        // unit the one before it in the whole 規程.
        let base = if after {
            label.value()[0]
        } else {
            let mut before = Vec::new();
            labels_before(top, &path, style, &mut before);
            match before.last() {
                Some(v) => v[0],
                None => {
                    let note = d.from.clone().map(|from| MergeNote::Placed {
                        label: d.label.as_ref().map_or("", |l| l.written()).to_string(),
                        title: d.title.clone(),
                        from,
                        reasons: vec![PlacementReason::NothingBefore],
                    });
                    container_mut(top, &path).insert(at, d);
                    return Ok(note);
                }
            }
        };
        let new_label = next_branch(style, base, &taken);
        // After the last branch of that unit in this list (第23条の4).
        let pos = if after {
            list.iter()
                .rposition(|n| {
                    n.label
                        .as_ref()
                        .is_some_and(|l| l.style() == style && l.value().first() == Some(&base))
                })
                .map_or(at + 1, |i| i + 1)
        } else {
            at
        };
        (new_label, pos)
    } else {
        // No branch numbers: the next number, at the end of its list.
        let last = last_of_style;
        let max = list
            .iter()
            .filter_map(|n| n.label.as_ref())
            .filter(|l| l.style() == style)
            .filter_map(|l| l.value().first().copied())
            .max()
            .unwrap_or(0);
        let pos = last.map_or(at + 1, |i| i + 1);
        if !after || last != Some(at) {
            note.push(if style == LabelStyle::Paragraph {
                PlacementReason::ParagraphAtEnd
            } else {
                PlacementReason::OrderNotKept
            });
        }
        (Label::canonical(style, &[max + 1]), pos)
    };
    match new_label {
        Some(l) => d.label = Some(l),
        None => note.push(PlacementReason::NoLabel),
    }
    let placed = d
        .from
        .clone()
        .filter(|_| !note.is_empty())
        .map(|from| MergeNote::Placed {
            label: d.label.as_ref().map_or("", |l| l.written()).to_string(),
            title: d.title.clone(),
            from,
            reasons: note,
        });
    let list = container_mut(top, &path);
    list.insert(pos.min(list.len()), d);
    Ok(placed)
}

/// The node at `path`.
pub(super) fn node_mut<'a>(nodes: &'a mut [Node], path: &[usize]) -> Option<&'a mut Node> {
    let (&first, rest) = path.split_first()?;
    let n = nodes.get_mut(first)?;
    if rest.is_empty() {
        Some(n)
    } else {
        node_mut(&mut n.children, rest)
    }
}

/// Labels of `style` before the node at `path`, in document order.
fn labels_before(nodes: &[Node], path: &[usize], style: LabelStyle, out: &mut Vec<Vec<u32>>) {
    let Some((&first, rest)) = path.split_first() else {
        return;
    };
    for n in &nodes[..first] {
        if let Some(l) = &n.label
            && l.style() == style
        {
            out.push(l.value().to_vec());
        }
        labels_of(&n.children, style, out);
    }
    if !rest.is_empty() {
        let n = &nodes[first];
        if let Some(l) = &n.label
            && l.style() == style
        {
            out.push(l.value().to_vec());
        }
        labels_before(&n.children, rest, style, out);
    }
}

/// Closes the gaps deleted 項 left among `kept`, the 項 and other children
/// an article keeps of `before` (its children before the merge): the 項
/// after a deleted one move up, numbered on from the first 項's number, in
/// the width they were written in. Returns each renumbering as (old, new)
/// written labels; none when no 項 was deleted.
pub(super) fn close_paragraph_gaps(before: &[Node], kept: &mut [Node]) -> Vec<(String, String)> {
    let is_paragraph = |n: &Node| {
        n.label
            .as_ref()
            .is_some_and(|l| l.style() == LabelStyle::Paragraph)
    };
    let before_count = before.iter().filter(|n| is_paragraph(n)).count();
    let kept_count = kept.iter().filter(|n| is_paragraph(n)).count();
    if kept_count >= before_count {
        return Vec::new();
    }
    let Some(first) = before
        .iter()
        .find(|n| is_paragraph(n))
        .and_then(|n| n.label.as_ref())
        .and_then(|l| l.value().first().copied())
    else {
        return Vec::new();
    };
    let mut moved = Vec::new();
    for (number, n) in (first..).zip(kept.iter_mut().filter(|n| is_paragraph(n))) {
        let Some(old) = n.label.clone() else { continue };
        if old.value().first() == Some(&number) {
            continue;
        }
        let Some(new) = respelled(&old, number) else {
            continue;
        };
        moved.push((old.written().to_string(), new.written().to_string()));
        n.label = Some(new);
    }
    moved
}

/// 項 number `n` written as `like` is (full-width digits stay full-width).
fn respelled(like: &Label, n: u32) -> Option<Label> {
    let ascii = Label::canonical(LabelStyle::Paragraph, &[n])?;
    let wide = like.written().chars().any(|c| ('０'..='９').contains(&c));
    if !wide {
        return Some(ascii);
    }
    let written: String = ascii
        .written()
        .chars()
        .map(|c| {
            c.to_digit(10)
                .and_then(|d| char::from_u32('０' as u32 + d))
                .unwrap_or(c)
        })
        .collect();
    Label::parse(&written, LabelContext::InArticle)
}

/// Whether `n` is an article of a 規程 (第N条).
pub(super) fn is_article(n: &Node) -> bool {
    n.kind == NodeKind::Article
        && n.label
            .as_ref()
            .is_some_and(|l| l.style() == LabelStyle::Article)
}

/// Article `n` deleted in place: its number kept, its caption and text
/// replaced by 「削除」, no longer derived from the guideline (whose clause
/// is gone).
pub(super) fn deleted_in_place(n: &Node) -> Node {
    let mut d = n.clone();
    d.title = None;
    d.paragraphs = vec!["削除".to_string()];
    d.commentary.clear();
    d.conflicts.clear();
    d.from = None;
    d.status = None;
    d
}
