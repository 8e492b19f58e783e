//! Text similarity: character-bigram multisets compared by Dice's
//! coefficient, after NFKC and with white space removed.

use unicode_normalization::UnicodeNormalization;

/// A multiset of character bigrams, sorted so two can be intersected by a
/// merge.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bigrams(Vec<u64>);

fn pack(a: char, b: char) -> u64 {
    (u64::from(a as u32) << 32) | u64::from(b as u32)
}

/// Text as compared: NFKC, white space removed.
pub fn normalize(s: &str) -> String {
    s.nfkc().filter(|c| !c.is_whitespace()).collect()
}

impl Bigrams {
    /// The bigrams of already-normalised text. A one-character text is one
    /// "bigram" of itself, so it is not empty.
    pub fn of(normalized: &str) -> Bigrams {
        let chars: Vec<char> = normalized.chars().collect();
        let mut v: Vec<u64> = match chars.len() {
            0 => Vec::new(),
            1 => vec![pack(chars[0], '\0')],
            _ => chars.windows(2).map(|w| pack(w[0], w[1])).collect(),
        };
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
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    n += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        n
    }

    /// Dice's coefficient: 2|A∩B| / (|A|+|B|), 1 for two empty texts.
    pub fn dice(&self, other: &Bigrams) -> f64 {
        let total = self.len() + other.len();
        if total == 0 {
            return 1.0;
        }
        2.0 * self.common(other) as f64 / total as f64
    }

    /// How much of `self` is found in `other`: |A∩B| / |A|.
    pub fn contained_in(&self, other: &Bigrams) -> f64 {
        if self.is_empty() {
            return 0.0;
        }
        self.common(other) as f64 / self.len() as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(s: &str) -> Bigrams {
        Bigrams::of(&normalize(s))
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
}
