//! The round-trip guarantee of `FORMAT.md`, checked as a property over
//! generated documents: print ∘ parse gives the same tree, and printing is
//! stable.

use kaitei_model::{
    Amendment, Date, Document, DocumentKind, Key, Label, LabelContext, LabelStyle, Metadata, Node,
    NodeKind, Status,
};
use proptest::prelude::*;

use super::{PrintOptions, parse, print};

const FRAGMENTS: &[&str] = &[
    "情報セキュリティ管理者は、",
    "{{団体名}}の",
    "サーバ等",
    "を管理しなければならない。",
    "（例：LGWAN接続系）",
    "機密性3A",
    "２０２５年",
    "ａｂｃ",
    "a",
    "、",
    "。",
    "監査",
    "第3条の規定",
    " と ",
    "　全角空白　",
    "(注)",
    "> 引用ではない",
    "<<注>>",
];

/// Beginnings that would be misread if not escaped.
const TRICKY_STARTS: &[&str] = &[
    "(1) ",
    "# ",
    "> ",
    "第2条 ",
    "2 ",
    "ア ",
    "（目的）",
    "\\",
    "<<<<<<< ",
    "1. ",
    "一 ",
    "⑴ ",
];

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 1..5)
        .prop_map(|parts| parts.concat().trim_matches([' ', '\u{3000}']).to_string())
        .prop_filter("non-empty", |s| !s.is_empty())
}

/// A paragraph that may begin like a label, a heading or a quote.
fn loose_text() -> impl Strategy<Value = String> {
    (
        prop::option::of(prop::sample::select(TRICKY_STARTS)),
        text(),
    )
        .prop_map(|(start, t)| {
            let s = format!("{}{}", start.unwrap_or(""), t);
            s.trim_matches([' ', '\u{3000}']).to_string()
        })
}

fn key() -> impl Strategy<Value = Option<String>> {
    prop::option::weighted(0.3, "[a-z][a-z0-9-]{0,6}")
}

fn provenance() -> impl Strategy<Value = (Option<String>, Option<Status>)> {
    (
        prop::option::weighted(0.2, "g-[0-9]{1,3}"),
        prop::option::weighted(
            0.2,
            prop::sample::select(vec![Status::Adopted, Status::Modified, Status::Added]),
        ),
    )
}

/// A node shell: its key, text, commentary and provenance.
#[derive(Debug, Clone)]
struct Shell {
    key: Option<String>,
    paragraphs: Vec<String>,
    commentary: Vec<String>,
    from: Option<String>,
    status: Option<Status>,
    title: String,
}

fn shell() -> impl Strategy<Value = Shell> {
    (
        key(),
        text(),
        prop::collection::vec(loose_text(), 0..2),
        prop::collection::vec(loose_text(), 0..3),
        provenance(),
        text(),
    )
        .prop_map(
            |(key, first, more, commentary, (from, status), title)| Shell {
                key,
                paragraphs: std::iter::once(first).chain(more).collect(),
                commentary,
                from,
                status,
                title,
            },
        )
}

fn node(kind: NodeKind, label: Option<Label>, s: &Shell) -> Node {
    let mut n = Node::new(kind, Key::new("_").expect("valid"));
    if let Some(k) = &s.key {
        n.key = Key::new(k).expect("generated keys are valid");
        n.key_pinned = true;
    }
    n.label = label;
    n.paragraphs = s.paragraphs.clone();
    n.commentary = s.commentary.clone();
    n.from = s.from.as_deref().and_then(Key::new);
    n.status = s.status;
    n
}

const ITEM_STYLES: &[LabelStyle] = &[
    LabelStyle::ParenArabic,
    LabelStyle::Circled,
    LabelStyle::Katakana,
    LabelStyle::Iroha,
    LabelStyle::ParenKatakana,
    LabelStyle::Latin,
    LabelStyle::ParenLatin,
    LabelStyle::Kanji,
    LabelStyle::ParenKanji,
    LabelStyle::Dotted(1),
];

fn item_styles(in_article: bool) -> impl Strategy<Value = Vec<LabelStyle>> {
    prop::sample::subsequence(ITEM_STYLES, 1..4)
        .prop_shuffle()
        .prop_map(move |mut v| {
            // One katakana family per scope; no dotted numbers in articles
            // (a bare number there is a 項).
            if v.contains(&LabelStyle::Katakana) {
                v.retain(|&s| s != LabelStyle::Iroha);
            }
            if in_article {
                v.retain(|&s| s != LabelStyle::Dotted(1));
            }
            if v.is_empty() {
                v.push(LabelStyle::ParenArabic);
            }
            v
        })
}

/// A tree of item shells: each entry has its `・` bullets and its children.
#[derive(Debug, Clone)]
struct ItemTree(Shell, Vec<Shell>, Vec<ItemTree>);

/// `・` bullets: unlabelled items, which come first among their siblings
/// (a bullet belongs to the node before it that is not a bullet).
fn bullets() -> impl Strategy<Value = Vec<Shell>> {
    prop::collection::vec(shell(), 1..3)
}

fn item_trees() -> impl Strategy<Value = Vec<ItemTree>> {
    let leaf = (shell(), prop::option::weighted(0.15, bullets()))
        .prop_map(|(s, b)| ItemTree(s, b.unwrap_or_default(), Vec::new()));
    let tree = leaf.prop_recursive(3, 12, 3, |inner| {
        (
            shell(),
            prop::option::weighted(0.15, bullets()),
            prop::collection::vec(inner, 0..3),
        )
            .prop_map(|(s, b, c)| ItemTree(s, b.unwrap_or_default(), c))
    });
    prop::collection::vec(tree, 0..4)
}

fn bullet_nodes(shells: &[Shell]) -> Vec<Node> {
    shells
        .iter()
        .map(|s| node(NodeKind::Item, None, s))
        .collect()
}

fn items(trees: &[ItemTree], styles: &[LabelStyle], depth: usize) -> Vec<Node> {
    let Some(&style) = styles.get(depth) else {
        return Vec::new();
    };
    trees
        .iter()
        .enumerate()
        .map(|(i, ItemTree(s, bullets, children))| {
            let label = Label::canonical(style, &[i as u32 + 1]);
            let mut n = node(NodeKind::Item, label, s);
            n.children = bullet_nodes(bullets);
            n.children.extend(items(children, styles, depth + 1));
            n
        })
        .collect()
}

#[derive(Debug, Clone)]
struct Article {
    shell: Shell,
    caption: Option<String>,
    /// `第N` (要綱) instead of `第N条`.
    ordinal: bool,
    bullets: Vec<Shell>,
    items: Vec<ItemTree>,
    paragraphs: Vec<(Shell, Vec<ItemTree>)>,
    styles: Vec<LabelStyle>,
}

/// A caption that reads back as one (`（…）` must not be a label).
fn caption() -> impl Strategy<Value = Option<String>> {
    prop::option::of(text()).prop_map(|c| {
        c.filter(|c| {
            !c.starts_with(['(', '（'])
                && Label::parse(&format!("（{c}）"), LabelContext::Item).is_none()
        })
    })
}

fn article() -> impl Strategy<Value = Article> {
    (
        shell(),
        caption(),
        prop::bool::weighted(0.2),
        prop::option::weighted(0.15, bullets()),
        item_trees(),
        prop::collection::vec((shell(), item_trees()), 0..3),
        item_styles(true),
    )
        .prop_map(
            |(shell, caption, ordinal, bullets, items, paragraphs, styles)| Article {
                shell,
                caption,
                ordinal,
                bullets: bullets.unwrap_or_default(),
                items,
                paragraphs,
                styles,
            },
        )
}

#[derive(Debug, Clone)]
struct Section {
    shell: Shell,
    label: Option<(LabelStyle, u32)>,
    text: bool,
    items: Vec<ItemTree>,
    styles: Vec<LabelStyle>,
    /// For a 附則 (unlabelled): its numbered paragraphs (項), each with an
    /// optional caption (`（施行期日）`).
    supplementary: Vec<(Shell, Vec<ItemTree>, Option<String>)>,
    articles: Vec<Article>,
    subsections: Vec<Section>,
}

fn section() -> impl Strategy<Value = Section> {
    let heading_label = prop::option::weighted(
        0.85,
        (
            prop::sample::select(vec![
                LabelStyle::Part,
                LabelStyle::Chapter,
                LabelStyle::Section,
                LabelStyle::Dotted(1),
                LabelStyle::Dotted(2),
                LabelStyle::ParenArabic,
            ]),
            1u32..30,
        ),
    );
    let leaf = (
        shell(),
        heading_label,
        any::<bool>(),
        item_trees(),
        item_styles(false),
        prop::collection::vec((shell(), item_trees(), caption()), 0..3),
        prop::collection::vec(article(), 0..2),
    )
        .prop_map(
            |(shell, label, text, items, styles, supplementary, articles)| Section {
                shell,
                label,
                text,
                items,
                styles,
                supplementary,
                articles,
                subsections: Vec::new(),
            },
        );
    leaf.prop_recursive(3, 10, 3, |inner| {
        (inner.clone(), prop::collection::vec(inner, 0..3)).prop_map(|(mut s, subs)| {
            s.subsections = subs;
            s
        })
    })
}

fn section_node(s: &Section) -> Node {
    let label = s.label.and_then(|(style, v)| {
        let value: Vec<u32> = match style {
            LabelStyle::Dotted(2) => vec![v, 1],
            _ => vec![v],
        };
        Label::canonical(style, &value)
    });
    let mut n = node(NodeKind::Heading, label.clone(), &s.shell);
    n.title = Some(if label.is_some() {
        s.shell.title.clone()
    } else {
        "附則".to_string()
    });
    if !s.text {
        n.paragraphs.clear();
    }
    // In a 附則 (the unlabelled heading here) bare and dotted numbers are
    // its 項: its items use the other styles.
    let mut styles: Vec<LabelStyle> = s.styles.clone();
    if label.is_none() {
        styles.retain(|&st| st != LabelStyle::Dotted(1));
        if styles.is_empty() {
            styles.push(LabelStyle::ParenArabic);
        }
    }
    n.children = items(&s.items, &styles, 0);
    if label.is_none() {
        for (j, (ps, its, cap)) in s.supplementary.iter().enumerate() {
            let mut pn = node(
                NodeKind::Paragraph,
                Label::canonical(LabelStyle::Paragraph, &[j as u32 + 1]),
                ps,
            );
            pn.title = cap.clone();
            pn.children = items(its, &styles, 0);
            n.children.push(pn);
        }
    }
    for (i, a) in s.articles.iter().enumerate() {
        let style = if a.ordinal {
            LabelStyle::Ordinal
        } else {
            LabelStyle::Article
        };
        let mut an = node(
            NodeKind::Article,
            Label::canonical(style, &[i as u32 + 1]),
            &a.shell,
        );
        an.title = a.caption.clone();
        an.children = bullet_nodes(&a.bullets);
        an.children.extend(items(&a.items, &a.styles, 0));
        for (j, (ps, its)) in a.paragraphs.iter().enumerate() {
            let mut pn = node(
                NodeKind::Paragraph,
                Label::canonical(LabelStyle::Paragraph, &[j as u32 + 2]),
                ps,
            );
            pn.children = items(its, &a.styles, 0);
            an.children.push(pn);
        }
        n.children.push(an);
    }
    n.children.extend(s.subsections.iter().map(section_node));
    n
}

/// A regulation's number, amendments and 目次 flag.
fn regulation() -> impl Strategy<Value = (Option<String>, Vec<Amendment>, bool)> {
    (
        prop::option::weighted(0.3, "(訓令|規程|規則)第[1-9][0-9]?号"),
        prop::collection::vec(
            (0i64..20_000, prop::option::of("(訓令|規程)第[1-9]号")),
            0..3,
        ),
        prop::bool::weighted(0.3),
    )
        .prop_map(|(number, amendments, contents)| {
            let amendments = amendments
                .into_iter()
                .filter_map(|(days, number)| {
                    Some(Amendment {
                        date: Date::from_unix_days(days)?,
                        number: number.unwrap_or_default(),
                    })
                })
                .collect();
            (number, amendments, contents)
        })
}

fn document() -> impl Strategy<Value = Document> {
    (
        prop::collection::vec(text(), 0..2),
        prop::collection::vec(section(), 1..4),
        regulation(),
    )
        .prop_map(|(preamble, sections, (number, amendments, contents))| {
            let mut doc = Document::new(Metadata::new(
                DocumentKind::Guideline,
                "生成された文書",
                "令和7年3月版",
            ));
            doc.meta.number = number;
            doc.meta.amendments = amendments;
            doc.meta.contents = contents;
            doc.preamble = preamble;
            doc.children = sections.iter().map(section_node).collect();
            doc
        })
}

/// Clears keys the reader generated, which the generator cannot know.
fn without_generated_keys(mut doc: Document) -> Document {
    fn visit(nodes: &mut [Node]) {
        for n in nodes {
            if !n.key_pinned {
                n.key = Key::new("_").expect("valid");
            }
            visit(&mut n.children);
        }
    }
    visit(&mut doc.children);
    doc
}

fn has_duplicate_pins(doc: &Document) -> bool {
    let mut seen = std::collections::HashSet::new();
    doc.nodes()
        .filter(|n| n.key_pinned)
        .any(|n| !seen.insert(n.key.clone()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn print_then_parse_gives_the_same_tree(doc in document()) {
        prop_assume!(!has_duplicate_pins(&doc));
        let printed = print(&doc, PrintOptions::default());
        let parsed = parse(&printed);
        let errors: Vec<_> = parsed.diagnostics.iter().filter(|d| d.is_error()).collect();
        prop_assert!(errors.is_empty(), "{errors:?}\n{printed}");
        prop_assert_eq!(&without_generated_keys(parsed.document.clone()), &doc, "\n{}", printed);
        let again = print(&parsed.document, PrintOptions::default());
        prop_assert_eq!(&again, &printed);
        prop_assert_eq!(&parse(&again).document, &parsed.document);
    }

    #[test]
    fn all_keys_export_re_reads_with_the_same_keys(doc in document()) {
        prop_assume!(!has_duplicate_pins(&doc));
        let first = parse(&print(&doc, PrintOptions::default())).document;
        let exported = print(&first, PrintOptions { all_keys: true });
        let again = parse(&exported).document;
        let keys = |d: &Document| d.nodes().map(|n| n.key.clone()).collect::<Vec<_>>();
        prop_assert_eq!(keys(&again), keys(&first));
    }
}
