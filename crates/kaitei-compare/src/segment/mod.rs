//! Japanese word boundaries by TinySegmenter (a small averaged-perceptron
//! model that needs no dictionary, so it builds offline).
//!
//! Ported here because the `tinysegmenter` crate builds its boundary
//! markers with `char::from_u32_unchecked` on values that are not
//! characters, which is undefined behaviour (it aborts under debug
//! checks). The model tables are unchanged (see `model.rs`).

mod model;

use std::hash::Hash;

use rustc_hash::FxHashMap as HashMap;
use std::sync::OnceLock;

use model::*;

fn ctype(c: char) -> char {
    match c as u32 {
        0x4E00 | 0x4E8C | 0x4E09 | 0x56DB | 0x4E94 | 0x516D | 0x4E03 | 0x516B | 0x4E5D | 0x5341 => {
            'M'
        }
        0x767E | 0x5343 | 0x4E07 | 0x5104 | 0x5146 => 'M',
        0x4E00..=0x9FA0 | 0x3005 | 0x3006 | 0x30F5 | 0x30F6 => 'H',
        0x3041..=0x3093 => 'I',
        0x30A1..=0x30F4 | 0x30FC | 0xFF71..=0xFF9D | 0xFF9E | 0xFF70 => 'K',
        0x61..=0x7A | 0x41..=0x5A | 0xFF41..=0xFF5A | 0xFF21..=0xFF3A => 'A',
        0x30..=0x3A | 0xFF10..=0xFF19 => 'N',
        _ => 'O',
    }
}

fn table<K: Eq + Hash + Copy>(entries: &[(K, i32)]) -> HashMap<K, i32> {
    entries.iter().copied().collect()
}

type T2 = HashMap<(char, char), i32>;
type T3 = HashMap<(char, char, char), i32>;
type T4 = HashMap<(char, char, char, char), i32>;

struct Model {
    up: [HashMap<char, i32>; 3],
    bp: [T2; 2],
    uw: [HashMap<char, i32>; 6],
    bw: [T2; 3],
    tw: [T3; 4],
    uc: [HashMap<char, i32>; 6],
    bc: [T2; 3],
    tc: [T3; 4],
    uq: [T2; 3],
    bq: [T3; 4],
    tq: [T4; 4],
}

fn model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| Model {
        up: [table(UP1), table(UP2), table(UP3)],
        bp: [table(BP1), table(BP2)],
        uw: [
            table(UW1),
            table(UW2),
            table(UW3),
            table(UW4),
            table(UW5),
            table(UW6),
        ],
        bw: [table(BW1), table(BW2), table(BW3)],
        tw: [table(TW1), table(TW2), table(TW3), table(TW4)],
        uc: [
            table(UC1),
            table(UC2),
            table(UC3),
            table(UC4),
            table(UC5),
            table(UC6),
        ],
        bc: [table(BC1), table(BC2), table(BC3)],
        tc: [table(TC1), table(TC2), table(TC3), table(TC4)],
        uq: [table(UQ1), table(UQ2), table(UQ3)],
        bq: [table(BQ1), table(BQ2), table(BQ3), table(BQ4)],
        tq: [table(TQ1), table(TQ2), table(TQ3), table(TQ4)],
    })
}

fn get<K: Eq + Hash>(t: &HashMap<K, i32>, k: &K) -> i32 {
    t.get(k).copied().unwrap_or(0)
}

/// Word boundaries of `s` as character offsets, from 0 to its length.
pub fn boundaries(s: &str) -> Vec<usize> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = vec![0];
    if chars.is_empty() {
        return out;
    }
    let m = model();
    let seg: Vec<char> = [B3, B2, B1]
        .into_iter()
        .chain(chars.iter().copied())
        .chain([E1, E2, E3])
        .collect();
    let ct: Vec<char> = ['O'; 3]
        .into_iter()
        .chain(chars.iter().map(|&c| ctype(c)))
        .chain(['O'; 3])
        .collect();
    let mut p = ['U'; 3];
    for i in 4..seg.len() - 3 {
        let w = &seg[i - 3..i + 3];
        let c = &ct[i - 3..i + 3];
        let mut score = BIAS;
        score += get(&m.up[0], &p[0]) + get(&m.up[1], &p[1]) + get(&m.up[2], &p[2]);
        score += get(&m.bp[0], &(p[0], p[1])) + get(&m.bp[1], &(p[1], p[2]));
        for (k, t) in m.uw.iter().enumerate() {
            score += get(t, &w[k]);
        }
        for (k, t) in m.bw.iter().enumerate() {
            score += get(t, &(w[k + 1], w[k + 2]));
        }
        for (k, t) in m.tw.iter().enumerate() {
            score += get(t, &(w[k], w[k + 1], w[k + 2]));
        }
        for (k, t) in m.uc.iter().enumerate() {
            score += get(t, &c[k]);
        }
        for (k, t) in m.bc.iter().enumerate() {
            score += get(t, &(c[k + 1], c[k + 2]));
        }
        for (k, t) in m.tc.iter().enumerate() {
            score += get(t, &(c[k], c[k + 1], c[k + 2]));
        }
        score += get(&m.uq[0], &(p[0], c[0]))
            + get(&m.uq[1], &(p[1], c[1]))
            + get(&m.uq[2], &(p[2], c[2]));
        score += get(&m.bq[0], &(p[1], c[1], c[2]))
            + get(&m.bq[1], &(p[1], c[2], c[3]))
            + get(&m.bq[2], &(p[2], c[1], c[2]))
            + get(&m.bq[3], &(p[2], c[2], c[3]));
        score += get(&m.tq[0], &(p[1], c[0], c[1], c[2]))
            + get(&m.tq[1], &(p[1], c[1], c[2], c[3]))
            + get(&m.tq[2], &(p[2], c[0], c[1], c[2]))
            + get(&m.tq[3], &(p[2], c[1], c[2], c[3]));
        p = [p[1], p[2], if score < 0 { 'O' } else { 'B' }];
        if score > 0 {
            // A word ends before seg[i], which is chars[i - 3].
            out.push(i - 3);
        }
    }
    out.push(chars.len());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
