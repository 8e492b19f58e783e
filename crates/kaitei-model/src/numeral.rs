//! Numerals as they appear in labels: Arabic (half- or full-width) and kanji.
//!
//! Written by hand: the kanji forms used in Japanese legal numbering
//! (`十二`, `百一`, `二〇`) are a small closed set, and no crate parses exactly
//! these without pulling in a whole number-formatting library.

/// The value of one Arabic digit, half- or full-width.
pub fn arabic_digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

/// The value of one kanji digit (`〇` … `九`, with `零` for zero).
pub fn kanji_digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '零' => 0,
        '一' => 1,
        '二' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

fn kanji_unit(c: char) -> Option<u32> {
    match c {
        '十' => Some(10),
        '百' => Some(100),
        '千' => Some(1000),
        _ => None,
    }
}

/// Whether `c` can be part of a kanji numeral.
pub fn is_kanji_numeral_char(c: char) -> bool {
    kanji_digit(c).is_some() || kanji_unit(c).is_some()
}

/// Reads a run of Arabic digits at the start of `s`; returns the value and
/// the number of bytes read. `None` when `s` does not start with a digit or
/// the value overflows.
pub fn leading_arabic(s: &str) -> Option<(u32, usize)> {
    let mut value: u32 = 0;
    let mut len = 0;
    for c in s.chars() {
        let Some(d) = arabic_digit(c) else { break };
        value = value.checked_mul(10)?.checked_add(d)?;
        len += c.len_utf8();
    }
    (len > 0).then_some((value, len))
}

/// Reads a kanji numeral at the start of `s` (`十二`, `二十一`, `百`, `二〇`);
/// returns the value and the number of bytes read.
pub fn leading_kanji(s: &str) -> Option<(u32, usize)> {
    let len: usize = s
        .chars()
        .take_while(|&c| is_kanji_numeral_char(c))
        .map(char::len_utf8)
        .sum();
    if len == 0 {
        return None;
    }
    parse_kanji(&s[..len]).map(|v| (v, len))
}

/// Parses a whole kanji numeral. Positional forms (`二〇`) and unit forms
/// (`二十一`) are both accepted; malformed runs (`十十`) are not.
pub fn parse_kanji(s: &str) -> Option<u32> {
    if s.chars().any(|c| kanji_unit(c).is_some()) {
        let mut total = 0u32;
        let mut pending: Option<u32> = None;
        let mut last_unit = u32::MAX;
        for c in s.chars() {
            if let Some(unit) = kanji_unit(c) {
                if unit >= last_unit {
                    return None;
                }
                last_unit = unit;
                total += pending.take().unwrap_or(1) * unit;
            } else {
                let d = kanji_digit(c)?;
                if pending.is_some() {
                    return None;
                }
                pending = Some(d);
            }
        }
        Some(total + pending.unwrap_or(0))
    } else {
        s.chars().try_fold(0u32, |acc, c| {
            acc.checked_mul(10)?.checked_add(kanji_digit(c)?)
        })
    }
}

/// Reads an Arabic or kanji numeral at the start of `s`.
pub fn leading_number(s: &str) -> Option<(u32, usize)> {
    leading_arabic(s).or_else(|| leading_kanji(s))
}

/// Writes `n` as a kanji numeral in the unit form used in legal numbering
/// (`三百二十五`); from ten thousand on in groups of 万 and 億
/// (`一万二千`), which no article or item number reaches in practice —
/// [`parse_kanji`] reads numbers below ten thousand only.
pub fn to_kanji(n: u32) -> String {
    if n == 0 {
        return "〇".to_string();
    }
    let mut out = String::new();
    for (unit, name) in [(100_000_000, Some('億')), (10_000, Some('万')), (1, None)] {
        let group = n / unit % 10_000;
        if group > 0 {
            below_ten_thousand(group, &mut out);
            out.extend(name);
        }
    }
    out
}

/// `n` (1 to 9,999) in the unit form.
fn below_ten_thousand(n: u32, out: &mut String) {
    const DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    let mut rest = n;
    for (unit, name) in [(1000, '千'), (100, '百'), (10, '十')] {
        let d = rest / unit;
        rest %= unit;
        if d > 0 {
            if d > 1 {
                out.push(DIGITS[d as usize]);
            }
            out.push(name);
        }
    }
    if rest > 0 {
        out.push(DIGITS[rest as usize]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kanji_numerals() {
        for (s, v) in [
            ("一", 1),
            ("十", 10),
            ("十二", 12),
            ("二十", 20),
            ("二十一", 21),
            ("百", 100),
            ("百一", 101),
            ("三百二十五", 325),
            ("二〇", 20),
            ("千二百", 1200),
        ] {
            assert_eq!(parse_kanji(s), Some(v), "{s}");
            if !s.contains('〇') {
                assert_eq!(to_kanji(v), s);
            }
        }
        // Large numbers are written without panicking.
        assert_eq!(to_kanji(10_000), "一万");
        assert_eq!(to_kanji(12_345), "一万二千三百四十五");
        assert_eq!(to_kanji(100_000_001), "一億一");
        assert_eq!(to_kanji(u32::MAX), "四十二億九千四百九十六万七千二百九十五");
        assert_eq!(parse_kanji("十十"), None);
        assert_eq!(parse_kanji("一二十"), None);
    }

    #[test]
    fn arabic_full_and_half_width() {
        assert_eq!(leading_arabic("12条"), Some((12, 2)));
        assert_eq!(leading_arabic("１２条"), Some((12, 6)));
        assert_eq!(leading_arabic("条"), None);
        assert_eq!(leading_arabic("99999999999"), None);
    }
}
