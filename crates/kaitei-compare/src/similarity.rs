//! Text similarity: character-bigram multisets compared by Dice's
//! coefficient, after NFKC and with white space removed.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;

/// A multiset of character bigrams, sorted so two can be intersected by a
/// merge.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bigrams(Vec<u64>);

fn pack(a: char, b: char) -> u64 {
    (u64::from(a as u32) << 32) | u64::from(b as u32)
}

/// Text as compared: NFKC, white space removed.
///
/// Most guideline text is kana, kanji, ASCII and full-width punctuation,
/// whose NFKC forms are known per character; only text with anything else
/// (half-width kana, combining marks, compatibility characters) goes
/// through the full algorithm.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    normalize_into(&mut out, s);
    out
}

/// The three-byte characters (U+0800..U+FFFF) that are their own NFKC
/// form and not white space, as far as [`simple_nfkc`] knows: one bit
/// each. Kanji and kana are most of the text, and they alternate, so a
/// table look-up serves better than branching on ranges.
const OWN_FORM: [u64; 1024] = {
    let mut t = [0u64; 1024];
    let ranges: [(u32, u32); 6] = [
        (0x3001, 0x3003),
        (0x3005, 0x3011),
        (0x3014, 0x301C),
        (0x3041, 0x3096),
        (0x30A1, 0x30FE),
        (0x4E00, 0x9FFF),
    ];
    let mut r = 0;
    while r < ranges.len() {
        let mut c = ranges[r].0;
        while c <= ranges[r].1 {
            t[(c >> 6) as usize] |= 1 << (c & 63);
            c += 1;
        }
        r += 1;
    }
    t
};

/// `s` as compared ([`normalize`]), borrowed when it already is — as
/// most guideline text is, so that flattening a document copies little.
pub fn normalized(s: &str) -> Cow<'_, str> {
    if first_change(s).is_none() {
        Cow::Borrowed(s)
    } else {
        let mut out = String::with_capacity(s.len());
        normalize_into(&mut out, s);
        Cow::Owned(out)
    }
}

/// The byte offset of the first character of `s` that normalising would
/// change or drop, and that character.
///
/// The common characters — printable ASCII, kanji, kana — are recognised
/// from their UTF-8 bytes (slice patterns, so nothing is bounds-checked);
/// only the rest are decoded and looked at.
fn first_change(s: &str) -> Option<(usize, char)> {
    let bytes = s.as_bytes();
    let mut rest = bytes;
    while !rest.is_empty() {
        match rest {
            [b0 @ 0xE0..=0xEF, b1, b2, tail @ ..] => {
                let c = (u32::from(b0 & 0x0F) << 12)
                    | (u32::from(b1 & 0x3F) << 6)
                    | u32::from(b2 & 0x3F);
                if OWN_FORM[(c >> 6) as usize] & (1 << (c & 63)) != 0 {
                    rest = tail;
                    continue;
                }
            }
            [0x21..=0x7E, tail @ ..] => {
                rest = tail;
                continue;
            }
            _ => {}
        }
        let i = bytes.len() - rest.len();
        let c = s.get(i..).and_then(|r| r.chars().next())?;
        if simple_nfkc(c) != Some(Some(c)) {
            return Some((i, c));
        }
        rest = &rest[c.len_utf8()..];
    }
    None
}

/// [`normalize`], appending to `out`.
pub fn normalize_into(out: &mut String, s: &str) {
    let start = out.len();
    // Runs of characters that are their own NFKC form are copied whole.
    let mut done = 0;
    while let Some((at, c)) = first_change(&s[done..]) {
        let i = done + at;
        out.push_str(&s[done..i]);
        match simple_nfkc(c) {
            Some(m) => out.extend(m),
            None => {
                out.truncate(start);
                out.extend(s.nfkc().filter(|c| !c.is_whitespace()));
                return;
            }
        }
        done = i + c.len_utf8();
    }
    out.push_str(&s[done..]);
}

/// The NFKC form of a character whose form does not depend on its
/// neighbours: `Some(None)` for white space, `None` when not known here.
pub(crate) fn simple_nfkc(c: char) -> Option<Option<char>> {
    // The common cases first: white space is tested last, since testing
    // it costs a table look-up outside ASCII.
    match c as u32 {
        // Hiragana, katakana (not ヿ, which expands), CJK ideographs and the
        // CJK punctuation that NFKC leaves alone.
        0x4E00..=0x9FFF | 0x3041..=0x3096 | 0x30A1..=0x30FE => Some(Some(c)),
        0x21..=0x7E => Some(Some(c)),
        0x3001..=0x3003 | 0x3005..=0x3007 | 0x3008..=0x3011 | 0x3014..=0x301C => Some(Some(c)),
        // Full-width ASCII: （ → (, Ａ → A, １ → 1.
        0xFF01..=0xFF5E => Some(char::from_u32(c as u32 - 0xFEE0)),
        _ if c.is_whitespace() => Some(None),
        _ => None,
    }
}

impl Bigrams {
    /// The bigrams of already-normalised text. A one-character text is one
    /// "bigram" of itself, so it is not empty.
    pub fn of(normalized: &str) -> Bigrams {
        let mut chars = normalized.chars();
        let Some(mut prev) = chars.next() else {
            return Bigrams(Vec::new());
        };
        let mut v: Vec<u64> = Vec::with_capacity(normalized.len() / 3 + 1);
        for c in chars {
            v.push(pack(prev, c));
            prev = c;
        }
        if v.is_empty() {
            v.push(pack(prev, '\0'));
        }
        v.sort_unstable();
        Bigrams(v)
    }

    /// How many bigrams (with repeats).
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The multiset union (sum) of two.
    pub fn plus(&self, other: &Bigrams) -> Bigrams {
        let mut v = Vec::with_capacity(self.0.len() + other.0.len());
        let (mut i, mut j) = (0, 0);
        while i < self.0.len() && j < other.0.len() {
            if self.0[i] <= other.0[j] {
                v.push(self.0[i]);
                i += 1;
            } else {
                v.push(other.0[j]);
                j += 1;
            }
        }
        v.extend_from_slice(&self.0[i..]);
        v.extend_from_slice(&other.0[j..]);
        Bigrams(v)
    }

    /// The size of the multiset intersection.
    pub fn common(&self, other: &Bigrams) -> usize {
        let (a, b) = (&self.0, &other.0);
        let (mut i, mut j, mut n) = (0, 0, 0);
        // Without branches on the comparison: which side advances is as
        // good as random, and a mispredicted branch per step cost more
        // than the steps themselves.
        while let (Some(&x), Some(&y)) = (a.get(i), b.get(j)) {
            n += usize::from(x == y);
            i += usize::from(x <= y);
            j += usize::from(y <= x);
        }
        n
    }

    /// Dice's coefficient: 2|A∩B| / (|A|+|B|), 1 for two empty texts.
    pub fn dice(&self, other: &Bigrams) -> f64 {
        Bigrams::dice_of(self.common(other), self.len() + other.len())
    }

    /// Dice's coefficient from the size of the intersection and the sum
    /// of the sizes, for a caller that needs the
    /// intersection for more than Dice.
    pub fn dice_of(common: usize, total: usize) -> f64 {
        if total == 0 {
            return 1.0;
        }
        2.0 * common as f64 / total as f64
    }

    /// How much of `self` is found in `other`: |A∩B| / |A|.
    pub fn contained_in(&self, other: &Bigrams) -> f64 {
        if self.is_empty() {
            return 0.0;
        }
        self.common(other) as f64 / self.len() as f64
    }
}

/// How many hashes a [`Sketch`] keeps.
pub const SKETCH_SIZE: usize = 128;

/// A bottom-k MinHash sketch of a set of bigrams: the `SKETCH_SIZE`
/// smallest hashes. Two sketches estimate the Jaccard similarity of the
/// sets in time independent of their size, and the sketch of a subtree is
/// the merge of its children's, so profiles of whole chapters are cheap.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sketch(Vec<u64>);

fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Sketch {
    /// The sketch of a bigram multiset.
    pub fn of(b: &Bigrams) -> Sketch {
        Sketch::from_hashes(b.0.iter().map(|&x| mix(x)).collect())
    }

    /// The sketch of the bigrams of already-normalised text.
    pub fn of_text(normalized: &str) -> Sketch {
        thread_local! {
            // One scratch buffer per thread: sketches are made for every
            // node of a document, and most of a buffer is thrown away.
            static SCRATCH: std::cell::RefCell<Vec<u64>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        let mut chars = normalized.chars();
        let Some(mut prev) = chars.next() else {
            return Sketch(Vec::new());
        };
        SCRATCH.with_borrow_mut(|v| {
            v.clear();
            for c in chars {
                v.push(mix(pack(prev, c)));
                prev = c;
            }
            if v.is_empty() {
                v.push(mix(pack(prev, '\0')));
            }
            Sketch::bottom_k(v)
        })
    }

    fn from_hashes(mut v: Vec<u64>) -> Sketch {
        Sketch::bottom_k(&mut v)
    }

    /// The `SKETCH_SIZE` smallest distinct values of `v` (which it reorders).
    fn bottom_k(v: &mut [u64]) -> Sketch {
        let v = if v.len() > SKETCH_SIZE * 2 {
            let (small, _, _) = v.select_nth_unstable(SKETCH_SIZE * 2);
            small
        } else {
            v
        };
        v.sort_unstable();
        let mut out = Vec::with_capacity(SKETCH_SIZE.min(v.len()));
        for &x in v.iter() {
            if out.last() != Some(&x) {
                out.push(x);
                if out.len() == SKETCH_SIZE {
                    break;
                }
            }
        }
        Sketch(out)
    }

    /// The sketch of the union of two sets: a merge that stops after
    /// `SKETCH_SIZE` distinct hashes.
    pub fn union(&self, other: &Sketch) -> Sketch {
        let (a, b) = (&self.0, &other.0);
        let mut v = Vec::with_capacity(SKETCH_SIZE.min(a.len() + b.len()));
        let (mut i, mut j) = (0, 0);
        while v.len() < SKETCH_SIZE && (i < a.len() || j < b.len()) {
            let next = match (a.get(i), b.get(j)) {
                (Some(&x), Some(&y)) if x == y => {
                    i += 1;
                    j += 1;
                    x
                }
                (Some(&x), Some(&y)) if x < y => {
                    i += 1;
                    x
                }
                (_, Some(&y)) => {
                    j += 1;
                    y
                }
                (Some(&x), None) => {
                    i += 1;
                    x
                }
                (None, None) => break,
            };
            v.push(next);
        }
        Sketch(v)
    }

    /// Whether the set was empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The `n` smallest hashes (all, when there are fewer).
    pub fn smallest(&self, n: usize) -> &[u64] {
        &self.0[..n.min(self.0.len())]
    }

    /// Estimated Dice coefficient of the two sets (from the Jaccard
    /// estimate J as 2J / (1 + J)); 1 for two empty sets.
    pub fn dice(&self, other: &Sketch) -> f64 {
        let (a, b) = (&self.0, &other.0);
        if a.is_empty() && b.is_empty() {
            return 1.0;
        }
        // Walk the k smallest hashes of the union; count those in both.
        let (mut i, mut j, mut seen, mut both) = (0, 0, 0, 0);
        while seen < SKETCH_SIZE && (i < a.len() || j < b.len()) {
            match (a.get(i), b.get(j)) {
                (Some(x), Some(y)) if x == y => {
                    both += 1;
                    i += 1;
                    j += 1;
                }
                (Some(x), Some(y)) if x < y => i += 1,
                (Some(_), Some(_)) => j += 1,
                (Some(_), None) => i += 1,
                (None, _) => j += 1,
            }
            seen += 1;
        }
        let jaccard = both as f64 / seen as f64;
        2.0 * jaccard / (1.0 + jaccard)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(s: &str) -> Bigrams {
        Bigrams::of(&normalize(s))
    }

    #[test]
    fn the_fast_path_agrees_with_nfkc() {
        // Every character of the ranges the fast paths cover (and their
        // neighbours), alone and between two kanji.
        for u in (0x0..0x100)
            .chain(0x3000..0x3100)
            .chain(0x4D00..0xA100)
            .chain(0xFF00..0xFFEF)
        {
            let Some(c) = char::from_u32(u) else { continue };
            for s in [c.to_string(), format!("漢{c}字")] {
                let full: String = s.nfkc().filter(|c| !c.is_whitespace()).collect();
                assert_eq!(normalize(&s), full, "U+{u:04X}");
            }
        }
        assert_eq!(normalize("ｶﾞｲﾄﾞﾗｲﾝ　（１）"), "ガイドライン(1)");
        // The table agrees with simple_nfkc over the whole BMP.
        for u in 0x800..0x10000 {
            if let Some(c) = char::from_u32(u) {
                let bit = OWN_FORM[(u >> 6) as usize] & (1 << (u & 63)) != 0;
                assert_eq!(bit, simple_nfkc(c) == Some(Some(c)), "U+{u:04X}");
            }
        }
        // Whole texts, as the byte-level decoding meets them: mixed
        // widths, two- and four-byte characters, and every fixture line.
        let nfkc = |s: &str| -> String { s.nfkc().filter(|c| !c.is_whitespace()).collect() };
        for s in [
            "é ü ß ©",
            "𠮷野家 ＡＢＣ ①②",
            "㈱ｶﾞ 第１条\t（目的）",
            "a\u{3000}b\u{0085}c",
        ] {
            assert_eq!(normalize(s), nfkc(s), "{s}");
        }
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
        for rel in ["guideline/r6-10.md", "policies/town.md"] {
            let text = std::fs::read_to_string(dir.join(rel)).expect("fixture");
            for line in text.lines() {
                assert_eq!(normalize(line), nfkc(line), "{line}");
            }
        }
    }

    #[test]
    fn dice_and_containment() {
        assert_eq!(b("情報資産").dice(&b("情報資産")), 1.0);
        assert_eq!(
            b("ＡＢＣ").dice(&b("ABC")),
            1.0,
            "width is not a difference"
        );
        assert_eq!(
            b("サーバ 等").dice(&b("サーバ等")),
            1.0,
            "white space is not"
        );
        assert_eq!(b("abc").dice(&b("xyz")), 0.0);
        let whole = b("サーバ等の機器を設置する。保守を行う。");
        let half = b("保守を行う。");
        assert!(half.contained_in(&whole) > 0.99);
        assert!(whole.contained_in(&half) < 0.5);
        assert_eq!(b("ab").plus(&b("cd")).len(), 2);
    }

    #[test]
    fn sketches_estimate_dice() {
        let a = b(
            "情報セキュリティ管理者は、サーバ等の機器を管理区域に設置し、定期的に点検しなければならない。",
        );
        let c = b(
            "情報セキュリティ管理者は、サーバ等の機器を管理区域に設置し、毎年度点検しなければならない。",
        );
        let exact = a.dice(&c);
        let est = Sketch::of(&a).dice(&Sketch::of(&c));
        assert!((exact - est).abs() < 0.1, "{exact} vs {est}");
        assert_eq!(Sketch::of(&a).dice(&Sketch::of(&a)), 1.0);
        let u = Sketch::of(&a).union(&Sketch::of(&b("全く別の文章である")));
        assert!(u.dice(&Sketch::of(&a)) > 0.6);
        let text = normalize("情報セキュリティ管理者は、サーバ等の機器を設置する。");
        assert_eq!(Sketch::of_text(&text), Sketch::of(&Bigrams::of(&text)));
    }
}
