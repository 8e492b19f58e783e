//! Each named threshold, on realistic clause text, with one case just above
//! it and one just below.
//!
//! Texts at a chosen score are made by replacing the tail of a real-looking
//! clause with the tail of another, a character at a time, until the score
//! crosses the threshold: the two sides of the crossing are the cases.

use kaitei_format::authoring::parse;
use kaitei_model::Document;

use crate::align::{
    KeyUse, MOVE_MARGIN, MOVE_MIN, OVERLAP_MIN_BIGRAMS, PIECE_CONTAINED, SIBLING_MIN,
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
