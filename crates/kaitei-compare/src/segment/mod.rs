//! Japanese word boundaries by TinySegmenter (a small averaged-perceptron
//! model that needs no dictionary, so it builds offline).
//!
//! Ported here because the `tinysegmenter` crate builds its boundary
//! markers with `char::from_u32_unchecked` on values that are not
//! characters, which is undefined behaviour (it aborts under debug
//! checks). The model tables are unchanged (see `model.rs`).

mod model;

use std::sync::OnceLock;

use rustc_hash::FxHashMap as HashMap;

use model::*;

/// The character classes of TinySegmenter, as indices: M (kanji
/// numerals), H (kanji), I (hiragana), K (katakana), A (Latin), N (digits),
/// O (other).
const CLASSES: [char; 7] = ['M', 'H', 'I', 'K', 'A', 'N', 'O'];
/// The other class, for the boundary markers.
const OTHER: u8 = 6;
/// The previous decisions, as indices: U (unknown), O (no boundary), B
/// (boundary).
const DECISIONS: [char; 3] = ['U', 'O', 'B'];
const UNKNOWN: u8 = 0;
const NO: u8 = 1;
const YES: u8 = 2;

fn ctype(c: char) -> u8 {
    match c as u32 {
        0x4E00 | 0x4E8C | 0x4E09 | 0x56DB | 0x4E94 | 0x516D | 0x4E03 | 0x516B | 0x4E5D | 0x5341 => {
            0
        }
        0x767E | 0x5343 | 0x4E07 | 0x5104 | 0x5146 => 0,
        0x4E00..=0x9FA0 | 0x3005 | 0x3006 | 0x30F5 | 0x30F6 => 1,
        0x3041..=0x3093 => 2,
        0x30A1..=0x30F4 | 0x30FC | 0xFF71..=0xFF9D | 0xFF9E | 0xFF70 => 3,
        0x61..=0x7A | 0x41..=0x5A | 0xFF41..=0xFF5A | 0xFF21..=0xFF3A => 4,
        0x30..=0x3A | 0xFF10..=0xFF19 => 5,
        _ => OTHER,
    }
}

/// The model's weights, arranged for speed: the class and decision
/// features (small alphabets) in flat arrays, and the word features of
/// each character, bigram and trigram gathered in one entry, so that a
/// position costs three hash look-ups instead of forty.
struct Model {
    /// `UW1`…`UW6` of one character.
    uni: HashMap<char, [i32; 6]>,
    /// `BW1`…`BW3` of two.
    bi: HashMap<(char, char), [i32; 3]>,
    /// `TW1`…`TW4` of three.
    tri: HashMap<(char, char, char), [i32; 4]>,
    up: [[i32; 3]; 3],
    bp: [[i32; 9]; 2],
    uc: [[i32; 7]; 6],
    bc: [[i32; 49]; 3],
    tc: [[i32; 343]; 4],
    uq: [[i32; 21]; 3],
    bq: [[i32; 147]; 4],
    tq: [[i32; 1029]; 4],
}

/// The index of a feature key over small alphabets: decisions first (base
/// 3), then classes (base 7). `None` for a key the segmenter never forms.
fn index(decisions: &[char], classes: &[char]) -> Option<usize> {
    let mut i = 0;
    for d in decisions {
        i = i * 3 + DECISIONS.iter().position(|x| x == d)?;
    }
    for c in classes {
        i = i * 7 + CLASSES.iter().position(|x| x == c)?;
    }
    Some(i)
}

fn fill<const N: usize>(out: &mut [i32; N], entries: impl Iterator<Item = (Option<usize>, i32)>) {
    for (i, w) in entries {
        if let Some(slot) = i.and_then(|i| out.get_mut(i)) {
            *slot = w;
        }
    }
}

fn model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| {
        let mut uni: HashMap<char, [i32; 6]> = HashMap::default();
        for (k, t) in [UW1, UW2, UW3, UW4, UW5, UW6].into_iter().enumerate() {
            for &(c, w) in t {
                uni.entry(c).or_default()[k] = w;
            }
        }
        let mut bi: HashMap<(char, char), [i32; 3]> = HashMap::default();
        for (k, t) in [BW1, BW2, BW3].into_iter().enumerate() {
            for &(c, w) in t {
                bi.entry(c).or_default()[k] = w;
            }
        }
        let mut tri: HashMap<(char, char, char), [i32; 4]> = HashMap::default();
        for (k, t) in [TW1, TW2, TW3, TW4].into_iter().enumerate() {
            for &(c, w) in t {
                tri.entry(c).or_default()[k] = w;
            }
        }
        let mut m = Model {
            uni,
            bi,
            tri,
            up: [[0; 3]; 3],
            bp: [[0; 9]; 2],
            uc: [[0; 7]; 6],
            bc: [[0; 49]; 3],
            tc: [[0; 343]; 4],
            uq: [[0; 21]; 3],
            bq: [[0; 147]; 4],
            tq: [[0; 1029]; 4],
        };
        for (out, t) in m.up.iter_mut().zip([UP1, UP2, UP3]) {
            fill(out, t.iter().map(|&(p, w)| (index(&[p], &[]), w)));
        }
        for (out, t) in m.bp.iter_mut().zip([BP1, BP2]) {
            fill(out, t.iter().map(|&((a, b), w)| (index(&[a, b], &[]), w)));
        }
        for (out, t) in m.uc.iter_mut().zip([UC1, UC2, UC3, UC4, UC5, UC6]) {
            fill(out, t.iter().map(|&(c, w)| (index(&[], &[c]), w)));
        }
        for (out, t) in m.bc.iter_mut().zip([BC1, BC2, BC3]) {
            fill(out, t.iter().map(|&((a, b), w)| (index(&[], &[a, b]), w)));
        }
        for (out, t) in m.tc.iter_mut().zip([TC1, TC2, TC3, TC4]) {
            fill(
                out,
                t.iter().map(|&((a, b, c), w)| (index(&[], &[a, b, c]), w)),
            );
        }
        for (out, t) in m.uq.iter_mut().zip([UQ1, UQ2, UQ3]) {
            fill(out, t.iter().map(|&((p, c), w)| (index(&[p], &[c]), w)));
        }
        for (out, t) in m.bq.iter_mut().zip([BQ1, BQ2, BQ3, BQ4]) {
            fill(
                out,
                t.iter().map(|&((p, a, b), w)| (index(&[p], &[a, b]), w)),
            );
        }
        for (out, t) in m.tq.iter_mut().zip([TQ1, TQ2, TQ3, TQ4]) {
            fill(
                out,
                t.iter()
                    .map(|&((p, a, b, c), w)| (index(&[p], &[a, b, c]), w)),
            );
        }
        m
    })
}

/// Calls `found` with each word boundary strictly inside `chars` (as
/// offsets, in increasing order) until it returns `false`: a caller that
/// wants the boundaries near one point stops there instead of segmenting
/// the rest.
pub fn scan(chars: &[char], mut found: impl FnMut(usize) -> bool) {
    let n = chars.len();
    if n == 0 {
        return;
    }
    let m = model();
    // The text with three markers on each side.
    let len = n + 6;
    let seg = |j: usize| -> char {
        match j {
            0 => B3,
            1 => B2,
            2 => B1,
            _ if j < 3 + n => chars[j - 3],
            _ => [E1, E2, E3][(j - 3 - n).min(2)],
        }
    };
    // The classes and word features of the characters (and of the bigram
    // and trigram starting there) in the window of each position, in
    // rings: a position adds one character's, and nothing is allocated.
    let mut ct = [usize::from(OTHER); 8];
    let mut uni = [[0i32; 6]; 8];
    let mut bi = [[0i32; 3]; 8];
    let mut tri = [[0i32; 4]; 8];
    let fill = |j: usize,
                ct: &mut [usize; 8],
                uni: &mut [[i32; 6]; 8],
                bi: &mut [[i32; 3]; 8],
                tri: &mut [[i32; 4]; 8]| {
        let c = seg(j);
        ct[j % 8] = if (3..3 + n).contains(&j) {
            usize::from(ctype(c))
        } else {
            usize::from(OTHER)
        };
        uni[j % 8] = m.uni.get(&c).copied().unwrap_or_default();
        bi[j % 8] = if j + 1 < len {
            m.bi.get(&(c, seg(j + 1))).copied().unwrap_or_default()
        } else {
            [0; 3]
        };
        tri[j % 8] = if j + 2 < len {
            m.tri
                .get(&(c, seg(j + 1), seg(j + 2)))
                .copied()
                .unwrap_or_default()
        } else {
            [0; 4]
        };
    };
    for j in 0..6 {
        fill(j, &mut ct, &mut uni, &mut bi, &mut tri);
    }
    let mut p = [usize::from(UNKNOWN); 3];
    for i in 4..len - 3 {
        fill(i + 2, &mut ct, &mut uni, &mut bi, &mut tri);
        // The window is seg[i - 3..i + 3]; c[k] is the class of seg[i - 3 + k].
        let c: [usize; 6] = std::array::from_fn(|k| ct[(i - 3 + k) % 8]);
        let mut score = BIAS;
        score += m.up[0][p[0]] + m.up[1][p[1]] + m.up[2][p[2]];
        score += m.bp[0][p[0] * 3 + p[1]] + m.bp[1][p[1] * 3 + p[2]];
        for k in 0..6 {
            score += uni[(i - 3 + k) % 8][k];
        }
        score += bi[(i - 2) % 8][0] + bi[(i - 1) % 8][1] + bi[i % 8][2];
        score += tri[(i - 3) % 8][0] + tri[(i - 2) % 8][1] + tri[(i - 1) % 8][2] + tri[i % 8][3];
        for (k, t) in m.uc.iter().enumerate() {
            score += t[c[k]];
        }
        for (k, t) in m.bc.iter().enumerate() {
            score += t[c[k + 1] * 7 + c[k + 2]];
        }
        for (k, t) in m.tc.iter().enumerate() {
            score += t[(c[k] * 7 + c[k + 1]) * 7 + c[k + 2]];
        }
        score += m.uq[0][p[0] * 7 + c[0]] + m.uq[1][p[1] * 7 + c[1]] + m.uq[2][p[2] * 7 + c[2]];
        score += m.bq[0][(p[1] * 7 + c[1]) * 7 + c[2]]
            + m.bq[1][(p[1] * 7 + c[2]) * 7 + c[3]]
            + m.bq[2][(p[2] * 7 + c[1]) * 7 + c[2]]
            + m.bq[3][(p[2] * 7 + c[2]) * 7 + c[3]];
        score += m.tq[0][((p[1] * 7 + c[0]) * 7 + c[1]) * 7 + c[2]]
            + m.tq[1][((p[1] * 7 + c[1]) * 7 + c[2]) * 7 + c[3]]
            + m.tq[2][((p[2] * 7 + c[0]) * 7 + c[1]) * 7 + c[2]]
            + m.tq[3][((p[2] * 7 + c[1]) * 7 + c[2]) * 7 + c[3]];
        let decision = if score < 0 { NO } else { YES };
        p = [p[1], p[2], usize::from(decision)];
        // A word ends before seg[i], which is chars[i - 3].
        if score > 0 && !found(i - 3) {
            return;
        }
    }
}

/// Word boundaries of `s` as character offsets, from 0 to its length.
#[cfg(test)]
pub fn boundaries(s: &str) -> Vec<usize> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = vec![0];
    if chars.is_empty() {
        return out;
    }
    scan(&chars, |b| {
        out.push(b);
        true
    });
    out.push(chars.len());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// TinySegmenter as its reference implementation computes it, feature
    /// by feature from the model's tables: the fast arrangement must give
    /// the same boundaries.
    fn reference(s: &str) -> Vec<usize> {
        fn get<K: PartialEq>(t: &[(K, i32)], k: K) -> i32 {
            t.iter().find(|e| e.0 == k).map_or(0, |e| e.1)
        }
        let chars: Vec<char> = s.chars().collect();
        let mut out = vec![0];
        if chars.is_empty() {
            return out;
        }
        let seg: Vec<char> = [B3, B2, B1]
            .into_iter()
            .chain(chars.iter().copied())
            .chain([E1, E2, E3])
            .collect();
        let ct: Vec<char> = ['O'; 3]
            .into_iter()
            .chain(chars.iter().map(|&c| CLASSES[usize::from(ctype(c))]))
            .chain(['O'; 3])
            .collect();
        let mut p = ['U'; 3];
        for i in 4..seg.len() - 3 {
            let w = &seg[i - 3..i + 3];
            let c = &ct[i - 3..i + 3];
            let mut score = BIAS;
            score += get(UP1, p[0]) + get(UP2, p[1]) + get(UP3, p[2]);
            score += get(BP1, (p[0], p[1])) + get(BP2, (p[1], p[2]));
            for (k, t) in [UW1, UW2, UW3, UW4, UW5, UW6].into_iter().enumerate() {
                score += get(t, w[k]);
            }
            for (k, t) in [BW1, BW2, BW3].into_iter().enumerate() {
                score += get(t, (w[k + 1], w[k + 2]));
            }
            for (k, t) in [TW1, TW2, TW3, TW4].into_iter().enumerate() {
                score += get(t, (w[k], w[k + 1], w[k + 2]));
            }
            for (k, t) in [UC1, UC2, UC3, UC4, UC5, UC6].into_iter().enumerate() {
                score += get(t, c[k]);
            }
            for (k, t) in [BC1, BC2, BC3].into_iter().enumerate() {
                score += get(t, (c[k + 1], c[k + 2]));
            }
            for (k, t) in [TC1, TC2, TC3, TC4].into_iter().enumerate() {
                score += get(t, (c[k], c[k + 1], c[k + 2]));
            }
            score += get(UQ1, (p[0], c[0])) + get(UQ2, (p[1], c[1])) + get(UQ3, (p[2], c[2]));
            score += get(BQ1, (p[1], c[1], c[2]))
                + get(BQ2, (p[1], c[2], c[3]))
                + get(BQ3, (p[2], c[1], c[2]))
                + get(BQ4, (p[2], c[2], c[3]));
            score += get(TQ1, (p[1], c[0], c[1], c[2]))
                + get(TQ2, (p[1], c[1], c[2], c[3]))
                + get(TQ3, (p[2], c[0], c[1], c[2]))
                + get(TQ4, (p[2], c[1], c[2], c[3]));
            p = [p[1], p[2], if score < 0 { 'O' } else { 'B' }];
            if score > 0 {
                out.push(i - 3);
            }
        }
        out.push(chars.len());
        out
    }

    #[test]
    fn the_fast_model_agrees_with_the_reference() {
        let text = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../fixtures/guideline/r7-03.md"),
        )
        .expect("fixture");
        let mut lines = 0;
        for line in text.lines().filter(|l| !l.trim().is_empty()).take(400) {
            assert_eq!(boundaries(line), reference(line), "{line}");
            lines += 1;
        }
        assert!(lines > 100);
        for s in [
            "",
            "a",
            "ＡＢＣ１２３ｶﾀｶﾅ",
            "第十二条　東京都について",
            "(1) USBメモリ",
        ] {
            assert_eq!(boundaries(s), reference(s), "{s}");
        }
    }

    #[test]
    fn a_scan_stops_when_asked() {
        let chars: Vec<char> = "情報セキュリティ管理者は、サーバを設置する。"
            .chars()
            .collect();
        let mut seen = Vec::new();
        scan(&chars, |b| {
            seen.push(b);
            b < 10
        });
        let all = boundaries(&chars.iter().collect::<String>());
        let first_past = all
            .iter()
            .copied()
            .find(|&b| b >= 10)
            .expect("a boundary past 10");
        assert_eq!(seen.last(), Some(&first_past));
        assert!(seen.iter().all(|b| all.contains(b)));
    }

    fn words(s: &str) -> Vec<String> {
        let chars: Vec<char> = s.chars().collect();
        boundaries(s)
            .windows(2)
            .map(|w| chars[w[0]..w[1]].iter().collect())
            .collect()
    }

    #[test]
    fn segments_like_tinysegmenter() {
        // The reference output of TinySegmenter for its demo sentence.
        assert_eq!(
            words("私の名前は中野です"),
            ["私", "の", "名前", "は", "中野", "です"]
        );
        let w = words("情報セキュリティ管理者は、サーバを設置する。");
        assert_eq!(w.concat(), "情報セキュリティ管理者は、サーバを設置する。");
        assert!(w.contains(&"は".to_string()), "{w:?}");
        assert_eq!(boundaries(""), [0]);
    }
}
