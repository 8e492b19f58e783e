//! Each named threshold, on realistic clause text, with one case just above
//! it and one just below.
//!
//! Texts at a chosen score are made by replacing the tail of a real-looking
//! clause with the tail of another, a character at a time, until the score
//! crosses the threshold: the two sides of the crossing are the cases.

use kaitei_format::authoring::parse;
use kaitei_model::Document;

use crate::align::{
    ANCHORS_DECIDE, KeyUse, MOVE_MARGIN, MOVE_MIN, OVERLAP_MIN_BIGRAMS, PIECE_CONTAINED,
    SIBLING_MIN,
};
use crate::similarity::{Bigrams, normalize};
use crate::table::{RowKind, compare};

const BASE: &str = "情報システム管理者は、外部からの訪問者が管理区域に入る場合には、必要に応じて立ち入り区域を制限した上で、管理区域への入退室を許可された職員等が付き添うものとし、外見上職員等と区別できる措置を講じなければならない。";
const OTHER: &str = "統括情報セキュリティ責任者は、機密性の高い情報を取り扱うネットワークについて、情報の盗聴等を防ぐため、暗号化等の措置を講じるとともに、通信経路の監視を行い、異常を検知した場合には速やかに報告させなければならない。";

fn dice(a: &str, b: &str) -> f64 {
    Bigrams::of(&normalize(a)).dice(&Bigrams::of(&normalize(b)))
}

/// Variants of `base` whose tail is replaced by `other`'s tail, from
/// little to all: their Dice with `base` falls step by step.
fn variants(base: &str, other: &str) -> Vec<(f64, String)> {
    let b: Vec<char> = base.chars().collect();
    let o: Vec<char> = other.chars().collect();
    (0..b.len().min(o.len()))
        .map(|k| {
            let text: String = b[..b.len() - k].iter().chain(&o[o.len() - k..]).collect();
            (dice(base, &text), text)
        })
        .collect()
}

/// The variants just above and just below `threshold` (by Dice with `base`).
fn around(base: &str, other: &str, threshold: f64) -> (String, String) {
    let v = variants(base, other);
    let i = v
        .iter()
        .position(|(s, _)| *s < threshold)
        .expect("the variants cross the threshold");
    let (above, below) = (&v[i - 1], &v[i]);
    assert!(
        above.0 >= threshold && above.0 - threshold < 0.05,
        "{}",
        above.0
    );
    assert!(
        below.0 < threshold && threshold - below.0 < 0.05,
        "{}",
        below.0
    );
    (above.1.clone(), below.1.clone())
}

fn doc(body: &str) -> Document {
    let parsed = parse(&format!(
        "---\nkind: guideline\ntitle: t\nedition: e\n---\n{body}"
    ));
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    parsed.document
}

fn kinds(old: &Document, new: &Document) -> Vec<(RowKind, bool)> {
    compare(old, new, KeyUse::Pinned)
        .rows
        .iter()
        .map(|r| (r.kind, r.moved))
        .collect()
}

#[test]
fn sibling_min() {
    let (above, below) = around(BASE, OTHER, SIBLING_MIN);
    let old = doc(&format!("# 4.2. 管理区域の管理\n(1) {BASE}\n"));
    let paired = doc(&format!("# 4.2. 管理区域の管理\n(1) {above}\n"));
    assert_eq!(
        kinds(&old, &paired),
        [(RowKind::Unchanged, false), (RowKind::Changed, false)]
    );
    let apart = doc(&format!("# 4.2. 管理区域の管理\n(1) {below}\n"));
    assert_eq!(
        kinds(&old, &apart),
        [
            (RowKind::Unchanged, false),
            (RowKind::Deleted, false),
            (RowKind::Added, false)
        ]
    );
}

#[test]
fn move_min() {
    let (above, below) = around(BASE, OTHER, MOVE_MIN);
    let old = doc(&format!(
        "# 4.2. 管理区域\n(1) {BASE}\n# 5.1. 遵守事項\n(1) {OTHER}\n"
    ));
    let moved = |text: &str| {
        doc(&format!(
            "# 4.2. 管理区域\n# 5.1. 遵守事項\n(1) {OTHER}\n(2) {text}\n"
        ))
    };
    let rows = kinds(&old, &moved(&above));
    assert!(rows.contains(&(RowKind::Changed, true)), "{rows:?}");
    let rows = kinds(&old, &moved(&below));
    assert!(!rows.iter().any(|r| r.1), "{rows:?}");
    assert!(rows.contains(&(RowKind::Added, false)) && rows.contains(&(RowKind::Deleted, false)));
}

#[test]
fn move_margin() {
    // The moved clause itself scores high; a look-alike elsewhere scores
    // either just within the margin (ambiguous: no move) or just outside.
    let all = variants(BASE, OTHER);
    let moved_text = &all.iter().find(|(s, _)| *s < 0.92).expect("a light edit").1;
    let s = dice(BASE, moved_text);
    assert!(s > MOVE_MIN + MOVE_MARGIN, "{s}");
    let (close, far) = around(BASE, OTHER, s - MOVE_MARGIN);
    let old = doc(&format!(
        "# 4.2. 管理区域\n(1) {BASE}\n# 5.1. 遵守事項\n(1) 職員等は、規程を遵守しなければならない。\n"
    ));
    let new = |look_alike: &str| {
        doc(&format!(
            "# 4.2. 管理区域\n# 5.1. 遵守事項\n(1) 職員等は、規程を遵守しなければならない。\n(2) {moved_text}\n# 6.1. 監視\n(1) {look_alike}\n"
        ))
    };
    let rows = kinds(&old, &new(&far));
    assert!(
        rows.contains(&(RowKind::Changed, true)),
        "a clear winner moves: {rows:?}"
    );
    let rows = kinds(&old, &new(&close));
    assert!(
        !rows.iter().any(|r| r.1),
        "no clear winner, no move: {rows:?}"
    );
}

#[test]
fn piece_contained() {
    // An old clause of two sentences split in two; the second piece either
    // comes (just) from the old clause or has (just) too much new text.
    // The first piece is the longer: the old clause pairs with it, and the
    // second piece is what the threshold decides on.
    let first = "情報システム管理者は、サーバ等の機器の保守を行う場合には、保守作業の内容を記録し、統括情報セキュリティ責任者に報告しなければならない。";
    let second = "情報システム管理者は、サーバ等の機器を管理区域に設置しなければならない。";
    let old = doc(&format!("# 4.1. サーバ\n(1) {first}{second}\n"));
    let extra = "あわせて、委託事業者による作業に立ち会う職員等を指名し、作業の状況を確認させるものとする。";
    let piece = |added: usize| {
        let tail: String = extra.chars().take(added).collect();
        format!("{second}{tail}")
    };
    let containment = |t: &str| {
        Bigrams::of(&normalize(t))
            .contained_in(&Bigrams::of(&normalize(&format!("{first}{second}"))))
    };
    let k = (0..extra.chars().count())
        .position(|k| containment(&piece(k)) < PIECE_CONTAINED)
        .expect("crosses");
    assert!(containment(&piece(k - 1)) >= PIECE_CONTAINED);
    let split = doc(&format!(
        "# 4.1. サーバ\n(1) {first}\n(2) {}\n",
        piece(k - 1)
    ));
    let rows = kinds(&old, &split);
    assert_eq!(
        rows.iter().filter(|r| r.0 == RowKind::Split).count(),
        2,
        "{rows:?}"
    );
    let not_split = doc(&format!("# 4.1. サーバ\n(1) {first}\n(2) {}\n", piece(k)));
    let rows = kinds(&old, &not_split);
    assert!(!rows.iter().any(|r| r.0 == RowKind::Split), "{rows:?}");
    assert!(rows.contains(&(RowKind::Added, false)));
}

#[test]
fn overlap_needs_enough_text() {
    // A sentence added to a short item keeps its identity when the item
    // has enough text of its own; a bare caption does not.
    let added = "委託事業者は、著作権を侵害しないよう必要な措置を講じなければならない。";
    let long_item = "著作権法（昭和45年法律第48号）";
    let short_item = "著作権法";
    assert!(Bigrams::of(&normalize(long_item)).len() >= OVERLAP_MIN_BIGRAMS);
    assert!(Bigrams::of(&normalize(short_item)).len() < OVERLAP_MIN_BIGRAMS);
    for (item, pairs) in [(long_item, true), (short_item, false)] {
        let old = doc(&format!("# 7.5. 法令遵守\n(1) {item}\n"));
        let new = doc(&format!("# 7.5. 法令遵守\n(1) {item}{added}\n"));
        let rows = kinds(&old, &new);
        assert_eq!(
            rows.contains(&(RowKind::Changed, false)),
            pairs,
            "{item}: {rows:?}"
        );
    }
}

#[test]
fn anchors_decide() {
    // Old section 1.1 基本方針 holds two clauses found word for word once
    // in each document (anchors) and six others. The new chapter has two
    // sections: 1.1 基本方針等 with the anchors, and 1.2 基本的な方針 with
    // the six others, edited (no anchors, but most of the words). With
    // ANCHORS_DECIDE anchored descendants between old 1.1 and new 1.1,
    // the anchors decide and the sections pair (at one more, the subtrees
    // would decide, and 1.2 holds more of the words); with one fewer (the
    // second anchor moved to chapter 2) whole-subtree similarity decides
    // and old 1.1 pairs with new 1.2 (had the single shared anchor
    // decided, it would have outweighed 1.2's other title).
    assert_eq!(ANCHORS_DECIDE, 4);
    let anchors = [
        "職員等は、利用者IDを他の者に利用させてはならない。",
        "職員等は、利用者IDを共用してはならない。",
    ];
    let others: Vec<String> = [
        "情報システム管理者は、利用者の登録、変更、抹消等の情報管理、職員等の異動、出向、退職者に伴う利用者IDの取扱い等の方法を定めなければならない。",
        "情報システム管理者は、利用されていないIDが放置されないよう、人事管理部門と連携し、点検しなければならない。",
        "統括情報セキュリティ責任者及び情報システム管理者は、管理者権限等の特権を付与されたIDを利用する者を必要最小限にし、当該IDのパスワードの漏えい等が発生しないよう、当該ID及びパスワードを厳重に管理しなければならない。",
        "統括情報セキュリティ責任者及び情報システム管理者の特権を代行する者は、統括情報セキュリティ責任者及び情報システム管理者が指名し、最高情報セキュリティ責任者が認めた者でなければならない。",
        "最高情報セキュリティ責任者は、代行者を認めた場合、速やかに統括情報セキュリティ責任者、情報セキュリティ責任者、情報セキュリティ管理者及び情報システム管理者に通知しなければならない。",
        "統括情報セキュリティ責任者及び情報システム管理者は、特権を付与されたID及びパスワードの変更について、外部委託事業者に行わせてはならない。",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let list = |texts: &[String]| -> String {
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| format!("({}) {t}\n", i + 1))
            .collect()
    };
    let edited: Vec<String> = others
        .iter()
        .map(|t| {
            t.replacen("は、", "は、委託事業者と協議の上、必要に応じて", 1)
                .replace("なければならない", "るものとする")
        })
        .collect();
    let mut old_items: Vec<String> = anchors.iter().map(|s| s.to_string()).collect();
    old_items.extend(others.iter().cloned());
    let old = doc(&format!(
        "# 1. 利用者IDに関する対策\n## 1.1 基本方針\n{}# 2. その他\n## 2.1 雑則\n(1) 職員等は、本対策基準を遵守しなければならない。\n",
        list(&old_items)
    ));
    let new = |kept: usize| {
        let moved: String = anchors[kept..]
            .iter()
            .map(|t| format!("(2) {t}\n"))
            .collect();
        let kept: Vec<String> = anchors[..kept].iter().map(|s| s.to_string()).collect();
        doc(&format!(
            "# 1. 利用者IDに関する対策\n## 1.1 基本方針等\n{}## 1.2 基本的な方針\n{}# 2. その他\n## 2.1 雑則\n(1) 職員等は、本対策基準を遵守しなければならない。\n{moved}",
            list(&kept),
            list(&edited)
        ))
    };
    let counterpart = |new: &Document| {
        let cmp = compare(&old, new, KeyUse::Pinned);
        let o = (0..cmp.old.len())
            .find(|&o| cmp.old.path_string(o) == "1. / 1.1")
            .expect("old 1.1");
        cmp.alignment.new_for(o).map(|n| cmp.new.path_string(n))
    };
    // Two anchors below each side: 4 = ANCHORS_DECIDE.
    assert_eq!(counterpart(&new(2)).as_deref(), Some("1. / 1.1"));
    // One below the new section, two below the old: 3.
    assert_eq!(counterpart(&new(1)).as_deref(), Some("1. / 1.2"));
}
