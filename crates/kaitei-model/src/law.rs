//! Law-style documents (規程, 規則, 訓令, 要綱): which headings are 編, 章,
//! 節, 款 or 附則, and the table of contents (目次) made from the body.
//!
//! A 目次 lists the part/chapter/section headings with the articles under
//! each (`第2章 組織体制（第7条―第13条）`) and ends with `附則`. kaitei keeps
//! only whether a document has one ([`crate::Metadata::contents`]) and
//! makes its entries from the body ([`Contents::of`]) whenever it is
//! written, so a 目次 can never disagree with the body it lists.

use crate::document::{Document, Node, NodeKind};
use crate::label::Label;

/// The heading rank of 附則: above every part (it closes them all).
pub const SUPPLEMENTARY_RANK: u8 = 0;

/// Whether a heading's text is a 附則 heading: `附則`, `附　則`, or `附則`
/// followed by the amending regulation in parentheses
/// (`附則（令和5年3月31日訓令第1号）`). Returns the title to keep, without
/// the white space inside `附　則`.
pub fn supplementary_title(text: &str) -> Option<String> {
    let rest = text.strip_prefix('附')?;
    let rest = rest.trim_start_matches([' ', '\u{3000}', '\t']);
    let rest = rest.strip_prefix('則')?;
    let rest = rest.trim_matches([' ', '\u{3000}', '\t']);
    if rest.is_empty() {
        return Some("附則".to_string());
    }
    let inner = rest.strip_prefix(['（', '('])?.strip_suffix(['）', ')'])?;
    (!inner.is_empty() && !inner.contains(['（', '(', '）', ')'])).then(|| format!("附則{rest}"))
}

/// The law-style rank of a heading node: 附則 0, 編 1, 章 2, 節 3, 款 4;
/// `None` for any other node.
pub fn heading_rank(node: &Node) -> Option<u8> {
    if node.kind != NodeKind::Heading {
        return None;
    }
    match &node.label {
        Some(l) => l.style().heading_rank(),
        None => node
            .title
            .as_deref()
            .and_then(supplementary_title)
            .map(|_| SUPPLEMENTARY_RANK),
    }
}

/// The first and last article under a heading: `第1条―第10条`, or one
/// article (`first == last`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleRange {
    /// The first article.
    pub first: Label,
    /// The last article.
    pub last: Label,
}

/// One line of a 目次.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentsEntry {
    /// 0 for the top level, 1 for a heading under a listed heading …
    pub depth: usize,
    /// The heading's label (`第2章`); `None` for `附則`.
    pub label: Option<Label>,
    /// The heading's title (`組織体制`, `附則`).
    pub title: String,
    /// The articles under the heading, when it has any.
    pub articles: Option<ArticleRange>,
    /// How many articles the heading holds, when known (0 when not): a
    /// 目次 writes two as `（第8条・第9条）`, more as `（第8条―第12条）`.
    pub article_count: usize,
}

/// A table of contents (目次): its entries in order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Contents {
    /// The entries.
    pub entries: Vec<ContentsEntry>,
}

impl Contents {
    /// The 目次 of a document's body: every part/chapter/section/subsection
    /// heading with the articles under it, then one `附則` entry when the
    /// document has any 附則 (several 附則 are listed once, as 例規集 do).
    /// Other headings are not listed; the headings under them are.
    pub fn of(doc: &Document) -> Contents {
        fn visit(nodes: &[Node], depth: usize, out: &mut Vec<ContentsEntry>, supp: &mut bool) {
            for n in nodes {
                match heading_rank(n) {
                    Some(SUPPLEMENTARY_RANK) => *supp = true,
                    Some(_) => {
                        out.push(ContentsEntry {
                            depth,
                            label: n.label.clone(),
                            title: n.title.clone().unwrap_or_default(),
                            articles: articles_under(n),
                            article_count: articles(n).count(),
                        });
                        visit(&n.children, depth + 1, out, supp);
                    }
                    None if n.kind == NodeKind::Heading => visit(&n.children, depth, out, supp),
                    None => {}
                }
            }
        }
        let mut entries = Vec::new();
        let mut supplementary = false;
        visit(&doc.children, 0, &mut entries, &mut supplementary);
        if supplementary {
            entries.push(ContentsEntry {
                depth: 0,
                label: None,
                title: "附則".to_string(),
                articles: None,
                article_count: 0,
            });
        }
        Contents { entries }
    }
}

/// The articles in `node`'s subtree (itself excluded), in document order.
fn articles(node: &Node) -> impl Iterator<Item = &Node> {
    node.walk().skip(1).filter(|n| {
        n.kind == NodeKind::Article && n.label.as_ref().is_some_and(|l| l.style().is_article())
    })
}

/// The first and last article in `node`'s subtree, in document order.
pub fn articles_under(node: &Node) -> Option<ArticleRange> {
    let mut articles = articles(node);
    let first = articles.next()?.label.clone()?;
    let last = articles.last().and_then(|n| n.label.clone());
    Some(ArticleRange {
        last: last.unwrap_or_else(|| first.clone()),
        first,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{DocumentKind, Key, Metadata};
    use crate::label::LabelContext;

    #[test]
    fn supplementary_titles() {
        assert_eq!(supplementary_title("附則").as_deref(), Some("附則"));
        assert_eq!(supplementary_title("附　則").as_deref(), Some("附則"));
        assert_eq!(
            supplementary_title("附　則（令和5年3月31日訓令第1号）").as_deref(),
            Some("附則（令和5年3月31日訓令第1号）")
        );
        assert_eq!(supplementary_title("附則第2項"), None);
        assert_eq!(supplementary_title("附則の規定により"), None);
        assert_eq!(supplementary_title("附則（a）（b）"), None);
        assert_eq!(supplementary_title("附則()"), None);
    }

    fn node(kind: NodeKind, label: &str, title: &str, children: Vec<Node>) -> Node {
        let mut n = Node::new(kind, Key::new("k").unwrap());
        n.label = Label::parse(label, LabelContext::Item);
        n.title = (!title.is_empty()).then(|| title.to_string());
        n.children = children;
        n
    }

    #[test]
    fn contents_of_a_body() {
        let art = |l: &str| node(NodeKind::Article, l, "", vec![]);
        let mut doc = Document::new(Metadata::new(DocumentKind::Policy, "t", "e"));
        doc.children = vec![
            node(
                NodeKind::Heading,
                "第1章",
                "総則",
                vec![art("第1条"), art("第2条")],
            ),
            node(
                NodeKind::Heading,
                "第2章",
                "管理",
                vec![
                    node(NodeKind::Heading, "第1節", "通則", vec![art("第3条")]),
                    node(NodeKind::Heading, "第2節", "空", vec![]),
                ],
            ),
            node(NodeKind::Heading, "", "附則", vec![]),
            node(
                NodeKind::Heading,
                "",
                "附則（令和5年3月31日訓令第1号）",
                vec![],
            ),
        ];
        let c = Contents::of(&doc);
        let lines: Vec<String> = c
            .entries
            .iter()
            .map(|e| {
                format!(
                    "{}{} {} {}",
                    e.depth,
                    e.label.as_ref().map_or("", |l| l.written()),
                    e.title,
                    e.articles
                        .as_ref()
                        .map_or(String::new(), |r| format!("{}-{}", r.first, r.last))
                )
            })
            .collect();
        assert_eq!(
            lines,
            [
                "0第1章 総則 第1条-第2条",
                "0第2章 管理 第3条-第3条",
                "1第1節 通則 第3条-第3条",
                "1第2節 空 ",
                "0 附則 ",
            ]
        );
    }
}
