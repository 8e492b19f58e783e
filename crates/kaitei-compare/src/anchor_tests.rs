//! Re-anchoring across draft edits and across two editions.

use std::collections::HashMap;

use kaitei_format::authoring::parse;
use kaitei_model::draft::{DraftEdit, apply};
use kaitei_model::{Document, Key, Label, LabelContext, Node, NodeKind};

use super::*;

const FRONT: &str = "---\nkind: guideline\ntitle: 改定案\nedition: 令和8年度案\n---\n\n";

/// A section of a draft: clauses to move, split, rewrite, merge, delete.
const DRAFT: &str = "\
# 第1章 組織体制 {#c1}

## 1. 情報セキュリティ管理者 {#s1}

(1) 情報セキュリティ管理者は、所管する課室等の情報資産について、情報セキュリティ対策に関する権限及び責任を有する。 {#a}

(2) 情報セキュリティ管理者は、年1回以上、職員等に対して情報セキュリティに関する研修を実施しなければならない。 {#b}

(3) 情報セキュリティ管理者は、情報システムの利用状況を定期的に確認し、その結果を統括情報セキュリティ責任者に報告しなければならない。 {#c}

(4) 外部記録媒体の管理 {#e}

職員等は、外部記録媒体を使用する場合、情報セキュリティ管理者の許可を得なければならない。

外部記録媒体は、施錠可能な場所に保管し、その持出し及び返却を記録しなければならない。

(5) 職員等は、パスワードを他者に知られないように管理しなければならない。 {#h1}

(6) 職員等は、パスワードを定期的に変更しなければならない。 {#h2}

(7) 情報セキュリティ管理者は、不要となったアカウントを速やかに削除しなければならない。 {#f}

(8) 職員等は、業務以外の目的でウェブを閲覧してはならない。 {#g}

## 2. 情報システムの管理 {#s2}

(1) 情報システム管理者は、情報システムの構成を文書化し、最新の状態に保たなければならない。 {#d}
";

fn k(s: &str) -> Key {
    Key::new(s).unwrap()
}

fn doc(body: &str) -> Document {
    let parsed = parse(&format!("{FRONT}{body}"));
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    parsed.document
}

fn text_of(d: &Document, key: &str) -> String {
    d.nodes()
        .find(|n| n.key.as_str() == key)
        .unwrap_or_else(|| panic!("no clause {key}"))
        .text()
}

/// The quote of `words` in clause `key` of `d`, as a comment makes it.
fn quote(d: &Document, key: &str, words: &str) -> TextQuote {
    TextQuote::select(&text_of(d, key), words).unwrap_or_else(|| panic!("{words:?} not in {key}"))
}

fn edit(d: &mut Document, edits: &[DraftEdit]) {
    for e in edits {
        apply(d, e).unwrap_or_else(|err| panic!("{e:?}: {err}"));
    }
}

fn text(key: &str, paragraphs: &[&str]) -> DraftEdit {
    DraftEdit::Text {
        key: k(key),
        paragraphs: paragraphs.iter().map(|p| p.to_string()).collect(),
    }
}

/// The draft after one round of the ministry's edits: `c` moved to
/// section 2, `e` split between its paragraphs, `b` reworded, `f`
/// rewritten, `g` deleted, `h2` merged into `h1`, a clause inserted before
/// `d` (renumbered).
fn edited(old: &Document) -> Document {
    let mut new = old.clone();
    let mut inserted = Node::new(NodeKind::Item, k("n0"));
    inserted.label = Label::parse("(1)", LabelContext::Item);
    inserted.paragraphs =
        vec!["情報システム管理者は、所管する情報システムの台帳を整備しなければならない。".into()];
    edit(
        &mut new,
        &[
            DraftEdit::Move {
                key: k("c"),
                parent: Some(k("s2")),
                after: Some(k("d")),
            },
            DraftEdit::Split {
                key: k("e"),
                at: 2,
                new_key: k("e2"),
            },
            text(
                "b",
                &[
                    "情報セキュリティ管理者は、年2回以上、職員等に対して情報セキュリティに関する研修を実施しなければならない。",
                ],
            ),
            text(
                "f",
                &[
                    "情報システム管理者は、利用されていない利用者IDを四半期ごとに点検し、無効化しなければならない。",
                ],
            ),
            DraftEdit::Delete { key: k("g") },
            text(
                "h1",
                &[
                    "職員等は、パスワードを他者に知られないように管理しなければならない。また、職員等は、パスワードを定期的に変更しなければならない。",
                ],
            ),
            DraftEdit::Delete { key: k("h2") },
            DraftEdit::Insert {
                node: inserted,
                parent: Some(k("s2")),
                after: None,
            },
            DraftEdit::Relabel {
                key: k("d"),
                label: Label::parse("(2)", LabelContext::Item),
            },
        ],
    );
    new
}

/// One expectation: a comment on `clause` quoting `words` (empty: the
/// whole clause) ends up with `status` on `to` (with `also`), moved for
/// `moved` (a kind), its quote now `now` (`None`: as it was).
struct Case {
    clause: &'static str,
    words: &'static str,
    status: &'static str,
    to: Option<&'static str>,
    also: &'static [&'static str],
    moved: Option<MoveKind>,
    now: Option<&'static str>,
}

const fn case(
    clause: &'static str,
    words: &'static str,
    status: &'static str,
    to: Option<&'static str>,
) -> Case {
    Case {
        clause,
        words,
        status,
        to,
        also: &[],
        moved: None,
        now: None,
    }
}

fn cases() -> Vec<Case> {
    vec![
        // Untouched, and renumbered: exact.
        case("a", "所管する課室等の情報資産", "exact", Some("a")),
        case("a", "", "exact", Some("a")),
        case("d", "構成を文書化し", "exact", Some("d")),
        // Its clause moved to another section.
        Case {
            moved: Some(MoveKind::Parent),
            ..case("c", "利用状況を定期的に確認し", "moved", Some("c"))
        },
        Case {
            moved: Some(MoveKind::Parent),
            ..case("c", "", "moved", Some("c"))
        },
        // Reworded: one character of thirteen.
        Case {
            now: Some("年2回以上、職員等に対して"),
            ..case("b", "年1回以上、職員等に対して", "fuzzy", Some("b"))
        },
        // Split: each part keeps what it holds; across the boundary, both.
        case("e", "管理者の許可を得なければ", "exact", Some("e")),
        Case {
            moved: Some(MoveKind::SplitOff),
            ..case("e", "施錠可能な場所に保管し", "moved", Some("e2"))
        },
        Case {
            also: &["e2"],
            now: Some("許可を得なければならない。"),
            ..case(
                "e",
                "許可を得なければならない。\n外部記録媒体は、施錠可能",
                "split",
                Some("e"),
            )
        },
        Case {
            also: &["e2"],
            ..case("e", "", "split", Some("e"))
        },
        // Merged into the clause before it.
        case("h1", "他者に知られないように", "exact", Some("h1")),
        Case {
            moved: Some(MoveKind::Merged),
            ..case("h2", "パスワードを定期的に変更", "moved", Some("h1"))
        },
        Case {
            moved: Some(MoveKind::Merged),
            ..case("h2", "", "moved", Some("h1"))
        },
        // Rewritten: the words are gone, the clause is still there.
        case(
            "f",
            "不要となったアカウントを速やかに削除",
            "orphaned",
            Some("f"),
        ),
        // Deleted.
        case("g", "業務以外の目的でウェブを閲覧", "orphaned", None),
        case("g", "", "orphaned", None),
    ]
}

/// Runs `cases` from `old` to `new`; `key` maps an old expected key to the
/// new document's.
fn check(old: &Document, new: &Document, keys: KeyUse, key: impl Fn(&str) -> Option<String>) {
    let cases = cases();
    let quotes: Vec<TextQuote> = cases
        .iter()
        .map(|c| quote(old, c.clause, c.words))
        .collect();
    let found = reanchor(
        old,
        new,
        keys,
        cases.iter().zip(&quotes).map(|(c, q)| (c.clause, q)),
    );
    for ((c, q), r) in cases.iter().zip(&quotes).zip(&found) {
        let what = format!("{} {:?}: {r:?}", c.clause, c.words);
        assert_eq!(r.status.as_str(), c.status, "{what}");
        assert_eq!(r.clause, c.to.and_then(&key), "{what}");
        let also: Vec<String> = r.also.iter().map(|p| p.clause.clone()).collect();
        let want: Vec<String> = c.also.iter().filter_map(|k| key(k)).collect();
        assert_eq!(also, want, "{what}");
        assert_eq!(r.moved.as_ref().map(|m| m.kind), c.moved, "{what}");
        assert_eq!(r.quote.exact, c.now.unwrap_or(&q.exact), "{what}");
        // The quote is found again where it was put.
        let found_in = |key: &str, q: &TextQuote| {
            new.nodes()
                .find(|n| n.key.as_str() == key)
                .is_some_and(|n| q.locate(&n.text()).is_some())
        };
        if let Some(k) = &r.clause
            && r.status != AnchorStatus::Orphaned
        {
            assert!(found_in(k, &r.quote), "{what}");
        }
        for p in &r.also {
            assert!(found_in(&p.clause, &p.quote), "{what}");
        }
    }
}

#[test]
fn a_draft_edit_that_moves_splits_rewrites_merges_and_deletes() {
    let old = doc(DRAFT);
    let new = edited(&old);
    check(&old, &new, KeyUse::All, |k| Some(k.to_string()));
}

#[test]
fn the_details_of_each_status() {
    let old = doc(DRAFT);
    let new = edited(&old);
    let q = [
        quote(&old, "b", "年1回以上、職員等に対して"),
        quote(&old, "c", "利用状況を定期的に確認し"),
        quote(
            &old,
            "e",
            "許可を得なければならない。\n外部記録媒体は、施錠可能",
        ),
        quote(&old, "f", "不要となったアカウントを速やかに削除"),
    ];
    let r = reanchor(
        &old,
        &new,
        KeyUse::All,
        [("b", &q[0]), ("c", &q[1]), ("e", &q[2]), ("f", &q[3])],
    );
    // One substitution in thirteen characters.
    assert_eq!(
        r[0].status,
        AnchorStatus::Fuzzy {
            similarity: 1.0 - 1.0 / 13.0
        }
    );
    assert_eq!(r[0].moved, None);
    assert_eq!(r[0].quote.prefix, "情報セキュリティ管理者は、");
    assert_eq!(r[0].quote.suffix, "情報セキュリティに関する研修を実");
    assert_eq!(
        r[1].moved,
        Some(Move {
            from: "第1章 / 1. / (3)".into(),
            to: "第1章 / 2. / (3)".into(),
            kind: MoveKind::Parent,
        })
    );
    assert_eq!(r[1].status, AnchorStatus::Moved);
    assert!(r[1].status.needs_confirmation());
    assert_eq!(r[2].status, AnchorStatus::Split { similarity: 1.0 });
    assert_eq!(r[2].quote.suffix, "");
    assert_eq!(
        r[2].also,
        vec![Part {
            clause: "e2".into(),
            quote: TextQuote {
                exact: "外部記録媒体は、施錠可能".into(),
                prefix: String::new(),
                suffix: "な場所に保管し、その持出し及び返".into(),
            },
        }]
    );
    // An orphaned comment keeps its quote, on the clause still there.
    assert_eq!(r[3].quote, q[3]);
    assert!(r[3].status.needs_confirmation());
}

/// Between two versions whose keys were not kept: the alignment alone.
#[test]
fn the_same_edit_with_every_key_changed() {
    let old = doc(DRAFT);
    let mut new = edited(&old);
    fn rekey(nodes: &mut [Node]) {
        for n in nodes {
            n.key = Key::new(&format!("x-{}", n.key)).unwrap();
            rekey(&mut n.children);
        }
    }
    rekey(&mut new.children);
    // The rewritten clause is too different to pair by content: its
    // comment is orphaned with no clause.
    let old_f = quote(&old, "f", "不要となったアカウントを速やかに削除");
    let r = reanchor(&old, &new, KeyUse::Ignore, [("f", &old_f)]);
    assert_eq!(r[0].status, AnchorStatus::Orphaned);
    let f_kept = r[0].clause.is_some();
    check(&old, &new, KeyUse::Ignore, |k| {
        (k != "f" || f_kept).then(|| format!("x-{k}"))
    });
}

#[test]
fn comments_on_the_document_or_on_no_clause() {
    let old = doc(DRAFT);
    let new = edited(&old);
    let q = TextQuote::default();
    let r = reanchor(&old, &new, KeyUse::All, [("", &q), ("nowhere", &q)]);
    assert_eq!(r[0].status, AnchorStatus::Exact);
    assert_eq!(r[0].clause.as_deref(), Some(""));
    assert_eq!(r[1].status, AnchorStatus::Orphaned);
    assert_eq!(r[1].clause, None);
}

const TWO_CLAUSES: &str = "\
# 第1章 外部委託 {#c1}

## 1. 委託事業者の管理 {#s1}

(1) 情報セキュリティ管理者は、委託事業者における情報セキュリティ対策の実施状況を確認しなければならない。 {#p}

(2) 統括情報セキュリティ責任者は、委託事業者における情報セキュリティ対策の実施状況を確認しなければならない。 {#q}
";

/// The words are also in another clause, with the old context even: the
/// aligned clause keeps the comment.
#[test]
fn the_aligned_clause_is_preferred() {
    let old = doc(TWO_CLAUSES);
    let words = "実施状況を確認しなければならない";
    let on_p = quote(&old, "p", words);
    // Exactly, in a new context.
    let mut new = old.clone();
    edit(
        &mut new,
        &[text(
            "p",
            &["情報セキュリティ管理者は、契約に基づき、委託先の実施状況を確認しなければならない。"],
        )],
    );
    let r = reanchor(&old, &new, KeyUse::All, [("p", &on_p)]);
    assert_eq!(r[0].status, AnchorStatus::Exact);
    assert_eq!(r[0].clause.as_deref(), Some("p"));
    assert_eq!(r[0].quote.prefix, "管理者は、契約に基づき、委託先の");
    // Approximately, while the other clause holds the words exactly.
    let mut new = old.clone();
    edit(
        &mut new,
        &[text(
            "p",
            &[
                "情報セキュリティ管理者は、委託事業者における情報セキュリティ対策の実施状況を定期的に確認しなければならない。",
            ],
        )],
    );
    let r = reanchor(&old, &new, KeyUse::All, [("p", &on_p)]);
    assert_eq!(r[0].clause.as_deref(), Some("p"));
    assert_eq!(r[0].quote.exact, "実施状況を定期的に確認しなければならない");
    let AnchorStatus::Fuzzy { similarity } = r[0].status else {
        panic!("{r:?}");
    };
    // Four characters inserted into sixteen: 1 − 4/20.
    assert!((similarity - 0.8).abs() < 1e-12, "{similarity}");
}

const MOVED_SENTENCE: &str = "\
# 第1章 記録 {#c1}

## 1. 記録の管理 {#s1}

(1) 情報システム管理者は、アクセス記録を取得しなければならない。なお、アクセス記録は5年間保存しなければならない。 {#x}

(2) 情報システム管理者は、取得した記録を定期的に点検しなければならない。 {#y}

(3) 職員等は、記録を改ざんしてはならない。 {#z}
";

/// A sentence moved to another clause takes its comment along when it is
/// long enough and found there only.
#[test]
fn words_that_moved_to_another_clause() {
    let old = doc(MOVED_SENTENCE);
    let long = quote(&old, "x", "アクセス記録は5年間保存しなければならない");
    let short = quote(&old, "x", "5年間保存し");
    let mut new = old.clone();
    edit(
        &mut new,
        &[
            text(
                "x",
                &["情報システム管理者は、アクセス記録を取得しなければならない。"],
            ),
            text(
                "y",
                &[
                    "情報システム管理者は、取得した記録を定期的に点検しなければならない。アクセス記録は5年間保存しなければならない。",
                ],
            ),
        ],
    );
    let r = reanchor(&old, &new, KeyUse::All, [("x", &long), ("x", &short)]);
    assert_eq!(r[0].status, AnchorStatus::Moved);
    assert_eq!(r[0].clause.as_deref(), Some("y"));
    assert_eq!(r[0].quote.prefix, "定期的に点検しなければならない。");
    assert_eq!(
        r[0].moved,
        Some(Move {
            from: "第1章 / 1. / (1)".into(),
            to: "第1章 / 1. / (2)".into(),
            kind: MoveKind::Words,
        })
    );
    // Too short to be told from a stock phrase: orphaned on its clause.
    assert_eq!(r[1].status, AnchorStatus::Orphaned);
    assert_eq!(r[1].clause.as_deref(), Some("x"));
    // Found in two clauses: which one is not known.
    let mut twice = new.clone();
    edit(
        &mut twice,
        &[text(
            "z",
            &["職員等は、記録を改ざんしてはならない。アクセス記録は5年間保存しなければならない。"],
        )],
    );
    let r = reanchor(&old, &twice, KeyUse::All, [("x", &long)]);
    assert_ne!(r[0].status, AnchorStatus::Moved);
    assert_eq!(r[0].clause.as_deref(), Some("x"));
    // The clause deleted and its sentence kept elsewhere: followed too.
    let mut deleted = new.clone();
    edit(&mut deleted, &[DraftEdit::Delete { key: k("x") }]);
    let r = reanchor(&old, &deleted, KeyUse::All, [("x", &long)]);
    assert_eq!(r[0].status, AnchorStatus::Moved);
    assert_eq!(r[0].clause.as_deref(), Some("y"));
}

/// [`FUZZY_MIN`] on realistic text: ten characters, three changed (0.7)
/// stay; four changed (0.6) are gone.
#[test]
fn fuzzy_threshold_just_above_and_below() {
    let old = doc("\
# 第1章 研修 {#c1}

(1) 情報セキュリティ管理者は、職員等に対し研修を年1回以上実施しなければならない。 {#t}
");
    let words = "研修を年1回以上実施";
    assert_eq!(words.chars().count(), 10);
    let q = quote(&old, "t", words);
    let with = |changed: &str| {
        let mut new = old.clone();
        let t = text_of(&old, "t").replace(words, changed);
        edit(&mut new, &[text("t", &[&t])]);
        reanchor(&old, &new, KeyUse::All, [("t", &q)]).remove(0)
    };
    let at = with("研修を年4回程度実施");
    assert_eq!(
        at.status,
        AnchorStatus::Fuzzy {
            similarity: FUZZY_MIN
        }
    );
    assert_eq!(at.quote.exact, "研修を年4回程度実施");
    let below = with("研修を月4回程度実施");
    assert_eq!(below.status, AnchorStatus::Orphaned);
    assert_eq!(below.quote, q);
}

/// Of two equally near passages, the one whose context agrees wins.
#[test]
fn fuzzy_ties_go_to_the_context() {
    let old = doc("\
# 第1章 管理 {#c1}

(1) 職員等は、端末を施錠しなければならない。情報システム管理者は、サーバを施錠しなければならない。 {#t}
");
    let q = quote(&old, "t", "サーバを施錠しなければ");
    let mut new = old.clone();
    edit(
        &mut new,
        &[text(
            "t",
            &[
                "職員等は、サーバを施錠しておかなければならない。情報システム管理者は、サーバを施錠しておかなければならない。",
            ],
        )],
    );
    let r = reanchor(&old, &new, KeyUse::All, [("t", &q)]).remove(0);
    assert!(matches!(r.status, AnchorStatus::Fuzzy { .. }), "{r:?}");
    assert_eq!(r.quote.prefix, "ならない。情報システム管理者は、");
}

fn fixture(name: &str) -> Document {
    crate::truth_tests::doc(&format!("guideline/{name}"))
}

/// Quotes of every clause of `d`: the whole clause, and windows of 1, 4,
/// 12 and 30 characters every seven characters.
fn sweep(d: &Document) -> Vec<(String, TextQuote)> {
    let mut out = Vec::new();
    for n in d.nodes() {
        let t = n.text();
        out.push((n.key.to_string(), TextQuote::default()));
        let at: Vec<usize> = t.char_indices().map(|(i, _)| i).chain([t.len()]).collect();
        let chars = at.len() - 1;
        for start in (0..chars).step_by(7) {
            for len in [1, 4, 12, 30] {
                if start + len <= chars {
                    out.push((
                        n.key.to_string(),
                        TextQuote::at(&t, at[start]..at[start + len]),
                    ));
                }
            }
        }
    }
    out
}

/// Nothing changed: every quote is exact, on its clause, as it was.
#[test]
fn an_unchanged_document_keeps_every_quote_exact() {
    let old = fixture("r6-10.md");
    let anchors = sweep(&old);
    assert!(anchors.len() > 5_000, "{}", anchors.len());
    for keys in [KeyUse::All, KeyUse::Ignore] {
        let new = old.clone();
        let found = reanchor(
            &old,
            &new,
            keys,
            anchors.iter().map(|(k, q)| (k.as_str(), q)),
        );
        for ((k, q), r) in anchors.iter().zip(&found) {
            assert_eq!(r.status, AnchorStatus::Exact, "{keys:?} {k} {q:?}: {r:?}");
            assert_eq!(r.clause.as_deref(), Some(k.as_str()), "{keys:?} {q:?}");
            assert_eq!(r.quote, *q, "{keys:?} {k}");
            assert!(r.also.is_empty() && r.moved.is_none());
        }
    }
}

/// The fixture editions (r6-10 → r7-03, no key kept): every comment on
/// a clause the truth calls `same` stays exact on its counterpart, moved
/// clauses take theirs along, the split and the merge behave, deleted
/// clauses orphan theirs.
#[test]
fn fixture_editions_reanchor_as_the_truth_says() {
    let old = fixture("r6-10.md");
    let new = fixture("r7-03.md");
    let (of, nf) = (FlatDoc::new(&old), FlatDoc::new(&new));
    let alignment = align(&of, &nf, KeyUse::Pinned);
    let reanchorer = Reanchorer::new(&of, &nf, &alignment);
    let new_path: HashMap<&str, String> = (0..nf.len())
        .map(|j| (nf.nodes[j].node.key.as_str(), nf.path_string(j)))
        .collect();
    let truth_text = crate::truth_tests::fixture("guideline/truth-r6-10_r7-03.tsv");
    let mut truth: HashMap<String, (Vec<String>, String)> = HashMap::new();
    for line in truth_text.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() == 3 && !f[0].is_empty() {
            let e = truth
                .entry(f[0].to_string())
                .or_insert_with(|| (Vec::new(), f[2].to_string()));
            if !f[1].is_empty() {
                e.0.push(f[1].to_string());
            }
        }
    }
    let mut counts: HashMap<&str, usize> = HashMap::new();
    let mut checked = 0;
    for i in 0..of.len() {
        let path = of.path_string(i);
        let key = of.nodes[i].node.key.as_str();
        let (to, relation) = truth.get(&path).unwrap_or_else(|| panic!("{path}"));
        let t = of.nodes[i].node.text();
        let mut quotes = vec![TextQuote::default()];
        // Each sentence, and its first ten characters.
        for s in t.split_inclusive(['。', '\n']) {
            let s = s.trim_end_matches('\n');
            if s.chars().count() >= 4 {
                quotes.push(TextQuote::select(&t, s).unwrap());
                let head: String = s.chars().take(10).collect();
                quotes.push(TextQuote::select(&t, &head).unwrap());
            }
        }
        for q in &quotes {
            let r = reanchorer.reanchor(key, q);
            *counts.entry(r.status.as_str()).or_default() += 1;
            checked += 1;
            let what = format!("{path} ({relation}) {:?}: {r:?}", q.exact);
            let at = r.clause.as_deref().map(|k| new_path[k].clone());
            let words_moved = r.moved.as_ref().is_some_and(|m| m.kind == MoveKind::Words);
            match relation.as_str() {
                "same" => {
                    assert_eq!(r.status, AnchorStatus::Exact, "{what}");
                    assert_eq!(at.as_ref(), to.first(), "{what}");
                }
                "moved" => {
                    assert_eq!(r.status, AnchorStatus::Moved, "{what}");
                    assert_eq!(r.moved.as_ref().map(|m| m.kind), Some(MoveKind::Parent));
                    assert_eq!(at.as_ref(), to.first(), "{what}");
                }
                "moved-changed" => {
                    assert_eq!(r.moved.as_ref().map(|m| m.kind), Some(MoveKind::Parent));
                    assert_eq!(at.as_ref(), to.first(), "{what}");
                }
                "changed" if !words_moved => {
                    assert!(
                        r.status != AnchorStatus::Moved
                            && !matches!(r.status, AnchorStatus::Split { .. }),
                        "{what}"
                    );
                    assert_eq!(at.as_ref(), to.first(), "{what}");
                }
                "split" => {
                    let at = at.unwrap_or_else(|| panic!("{what}"));
                    assert!(to.contains(&at), "{what}");
                }
                "merged" => {
                    assert!(
                        matches!(r.status, AnchorStatus::Exact | AnchorStatus::Moved),
                        "{what}"
                    );
                    assert_eq!(at.as_ref(), to.first(), "{what}");
                }
                "deleted" if !words_moved => {
                    assert_eq!(r.status, AnchorStatus::Orphaned, "{what}");
                    assert_eq!(r.clause, None, "{what}");
                }
                _ => {}
            }
        }
    }
    eprintln!("fixture pair: {checked} comments: {counts:?}");
    // The cases CHANGES.txt names.
    let one = |path: &str, words: &str| {
        let i = (0..of.len()).find(|&i| of.path_string(i) == path).unwrap();
        let q = TextQuote::select(&of.nodes[i].node.text(), words).unwrap();
        reanchorer.reanchor(of.nodes[i].node.key.as_str(), &q)
    };
    // A cross-reference renumbered: 上記3の脅威 → 上記4の脅威.
    let r = one("第2編 / 第1章 / 6.", "上記3の脅威から情報資産を保護する");
    assert!(matches!(r.status, AnchorStatus::Fuzzy { .. }), "{r:?}");
    assert_eq!(r.quote.exact, "上記4の脅威から情報資産を保護する");
    // The split: the terminal sentence to (3), the media one (reworded) to (4).
    let r = one(
        "第2編 / 第2章 / 4. / 4.4. / (4)",
        "端末にセキュリティチップが搭載されている場合",
    );
    assert_eq!(
        new_path[r.clause.as_deref().unwrap()],
        "第2編 / 第2章 / 5. / 5.4. / (3)"
    );
    let r = one(
        "第2編 / 第2章 / 4. / 4.4. / (4)",
        "電磁的記録媒体についてもデータ暗号化機能を備える媒体を使用しなければならない",
    );
    assert!(matches!(r.status, AnchorStatus::Fuzzy { .. }), "{r:?}");
    assert_eq!(
        new_path[r.clause.as_deref().unwrap()],
        "第2編 / 第2章 / 5. / 5.4. / (4)"
    );
    let r = one("第2編 / 第2章 / 4. / 4.4. / (4)", "");
    assert_eq!(r.status, AnchorStatus::Split { similarity: 1.0 });
    assert_eq!(r.also.len(), 1);
}

/// Thousands of comments against one pair: the alignment once, then a
/// search per comment — on the fixture pair, and on a generated guideline
/// of 3,000 nodes revised (edits, moves, splits, merges, deletions). Prints
/// the times; bounds them loosely, as a debug build on a busy machine runs
/// them.
#[test]
#[allow(clippy::disallowed_methods)]
fn thousands_of_comments_are_quick() {
    use crate::synth::{Rates, guideline, revise};
    let generated = guideline(13, 3_000);
    let revised = revise(&generated, 13 * 7919, Rates::default()).document;
    let pairs = [
        ("fixture pair", fixture("r6-10.md"), fixture("r7-03.md")),
        ("3,000 nodes", generated, revised),
    ];
    for (name, old, new) in &pairs {
        let mut anchors = sweep(old);
        anchors.truncate(5_000);
        assert_eq!(anchors.len(), 5_000);
        let started = std::time::Instant::now();
        let (of, nf) = (FlatDoc::new(old), FlatDoc::new(new));
        let alignment = align(&of, &nf, KeyUse::Pinned);
        let aligned = started.elapsed();
        let reanchorer = Reanchorer::new(&of, &nf, &alignment);
        let found: Vec<Reanchored> = anchors
            .iter()
            .map(|(k, q)| reanchorer.reanchor(k, q))
            .collect();
        let took = started.elapsed();
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for r in &found {
            *counts.entry(r.status.as_str()).or_default() += 1;
        }
        eprintln!(
            "{name} ({} → {} nodes): 5,000 comments in {took:?} (alignment {aligned:?}): {counts:?}",
            of.len(),
            nf.len()
        );
        assert!(took.as_secs_f64() < 10.0, "{took:?}");
    }
}
