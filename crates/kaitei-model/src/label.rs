//! Labels: the numbers clauses carry (`第2章`, `4.1`, `(3)`, `①`, `ア`, `第12条の2`).
//!
//! A [`Label`] keeps the spelling as written and its parsed [`LabelStyle`] and
//! value. Two labels are equal when style and value are equal, so `（1）`,
//! `(1)` and `⑴` are one label, and so are `第十二条` and `第12条`. NFKC is
//! never applied to labels: it would turn `①` into `1`, another style.

use std::fmt;
use std::hash::{Hash, Hasher};

use crate::numeral::{leading_arabic, leading_kanji, leading_number, to_kanji};

/// The numbering style of a label. Styles decide nesting (items nest by the
/// order in which styles first appear in a section) and equality.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LabelStyle {
    /// `第1編`
    Part,
    /// `第2章`, `第3章の2`
    Chapter,
    /// `第3節`
    Section,
    /// `第1款`
    Subsection,
    /// `第1条`, `第十二条`, `第3条の2` (law style)
    Article,
    /// `第1`, `第2`: an article numbered without `条`, as 要綱 are.
    Ordinal,
    /// 項: a bare number (`2`, `３`) inside an article.
    Paragraph,
    /// `1.`, `2.3`, `6.1.2`: the number of components is part of the style.
    Dotted(u8),
    /// `(1)`, `（1）`, `⑴`
    ParenArabic,
    /// `①` … `⑳`, `㉑` …
    Circled,
    /// `ア`, `イ`, `ウ` … (gojūon order)
    Katakana,
    /// `イ`, `ロ`, `ハ` … (iroha order): a one-katakana list whose first label is `イ`.
    Iroha,
    /// `(ア)`, `（ア）`
    ParenKatakana,
    /// `a`, `b`
    Latin,
    /// `(a)`, `(b)`
    ParenLatin,
    /// 号 in kanji: `一`, `二`, `十一`, `三の二`
    Kanji,
    /// 号 in kanji in parentheses: `(一)`, `（二）`
    ParenKanji,
}

impl LabelStyle {
    /// The style used for nesting by first appearance: katakana and iroha
    /// are one family (only one of them is used in a scope).
    pub fn nesting_family(self) -> LabelStyle {
        match self {
            LabelStyle::Iroha => LabelStyle::Katakana,
            other => other,
        }
    }

    /// Whether this is a structural (`第N…`) style.
    pub fn is_structural(self) -> bool {
        matches!(
            self,
            LabelStyle::Part
                | LabelStyle::Chapter
                | LabelStyle::Section
                | LabelStyle::Subsection
                | LabelStyle::Article
                | LabelStyle::Ordinal
        )
    }

    /// Whether a paragraph with this label is an article (`第N条`, or `第N`
    /// in a 要綱).
    pub fn is_article(self) -> bool {
        matches!(self, LabelStyle::Article | LabelStyle::Ordinal)
    }

    /// The rank of a part/chapter/section/subsection label among law-style
    /// headings: 編 1 > 章 2 > 節 3 > 款 4 (a smaller rank holds the larger
    /// ones); `None` for other styles.
    pub fn heading_rank(self) -> Option<u8> {
        match self {
            LabelStyle::Part => Some(1),
            LabelStyle::Chapter => Some(2),
            LabelStyle::Section => Some(3),
            LabelStyle::Subsection => Some(4),
            _ => None,
        }
    }

    /// A short English name, for messages and exports.
    pub fn name(self) -> &'static str {
        match self {
            LabelStyle::Part => "part",
            LabelStyle::Chapter => "chapter",
            LabelStyle::Section => "section",
            LabelStyle::Subsection => "subsection",
            LabelStyle::Article => "article",
            LabelStyle::Ordinal => "ordinal",
            LabelStyle::Paragraph => "paragraph",
            LabelStyle::Dotted(_) => "dotted",
            LabelStyle::ParenArabic => "paren-arabic",
            LabelStyle::Circled => "circled",
            LabelStyle::Katakana => "katakana",
            LabelStyle::Iroha => "iroha",
            LabelStyle::ParenKatakana => "paren-katakana",
            LabelStyle::Latin => "latin",
            LabelStyle::ParenLatin => "paren-latin",
            LabelStyle::Kanji => "kanji",
            LabelStyle::ParenKanji => "paren-kanji",
        }
    }
}

/// Where a label is being read: the rules differ slightly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelContext {
    /// A heading line: a dotted number needs no dot, and the label may end the line.
    Heading,
    /// An item paragraph outside an article: a dotted number needs its dot.
    Item,
    /// An item paragraph inside an article: a bare number is a 項.
    InArticle,
}

/// A clause label: as written, with its style and value.
///
/// Kept small (40 bytes, one heap block for most labels): every node of
/// every document read holds one, and a document of many short items is
/// mostly labels and nodes.
#[derive(Debug, Clone)]
pub struct Label {
    written: Box<str>,
    style: LabelStyle,
    value: Value,
}

/// A label's value: one number inline (almost every label), several on the
/// heap (`4.1.2`, `第3章の2`).
#[derive(Debug, Clone)]
enum Value {
    One(u32),
    Many(Box<[u32]>),
}

/// A label's numbers while it is read: inline up to four (`6.1.2.3`,
/// `第12条の3の2`), so that asking whether a line starts with a label —
/// several times a line while a document is read — allocates nothing.
#[derive(Debug, Clone, Default)]
struct Numbers {
    inline: [u32; 4],
    len: usize,
    /// All of them, once there are more than four.
    more: Vec<u32>,
}

impl Numbers {
    fn one(n: u32) -> Numbers {
        let mut v = Numbers::default();
        v.push(n);
        v
    }

    fn push(&mut self, n: u32) {
        if self.len < self.inline.len() {
            self.inline[self.len] = n;
        } else {
            if self.more.is_empty() {
                self.more.extend_from_slice(&self.inline);
            }
            self.more.push(n);
        }
        self.len += 1;
    }

    fn len(&self) -> usize {
        self.len
    }

    fn as_slice(&self) -> &[u32] {
        if self.more.is_empty() {
            &self.inline[..self.len]
        } else {
            &self.more
        }
    }
}

impl Value {
    fn from_numbers(v: &Numbers) -> Value {
        match v.as_slice() {
            [one] => Value::One(*one),
            many => Value::Many(many.into()),
        }
    }

    fn from_vec(v: Vec<u32>) -> Value {
        match v.as_slice() {
            [one] => Value::One(*one),
            _ => Value::Many(v.into_boxed_slice()),
        }
    }

    fn as_slice(&self) -> &[u32] {
        match self {
            Value::One(v) => std::slice::from_ref(v),
            Value::Many(v) => v,
        }
    }
}

impl PartialEq for Label {
    fn eq(&self, other: &Self) -> bool {
        self.style == other.style && self.value() == other.value()
    }
}

impl Eq for Label {}

impl Hash for Label {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.style.hash(state);
        self.value().hash(state);
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.written)
    }
}

const GOJUON: &str = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヰヱヲン";
const IROHA: &str = "イロハニホヘトチリヌルヲワカヨタレソツネナラムウヰノオクヤマケフコエテアサキユメミシヱヒモセスン";

fn kana_index(order: &str, c: char) -> Option<u32> {
    // Both orders hold only katakana from ア to ン: anything else (most
    // lines start with a kanji) is told without walking the order, which
    // every label scan of a line that is not a label used to do.
    if !('ア'..='ン').contains(&c) {
        return None;
    }
    order.chars().position(|k| k == c).map(|i| i as u32 + 1)
}

fn kana_at(order: &str, n: u32) -> Option<char> {
    order.chars().nth(n.checked_sub(1)? as usize)
}

/// Normalises a half-width katakana or full-width Latin character to the
/// form the label tables use; other characters are returned unchanged.
fn fold_width(c: char) -> char {
    match c {
        'ａ'..='ｚ' => char::from_u32(c as u32 - 'ａ' as u32 + 'a' as u32).unwrap_or(c),
        _ => c,
    }
}

fn is_space(c: char) -> bool {
    c == ' ' || c == '\t' || c == '\u{3000}'
}

fn circled_value(c: char) -> Option<u32> {
    let u = c as u32;
    match u {
        0x2460..=0x2473 => Some(u - 0x2460 + 1),
        0x3251..=0x325F => Some(u - 0x3251 + 21),
        0x32B1..=0x32BF => Some(u - 0x32B1 + 36),
        _ => None,
    }
}

fn circled_char(n: u32) -> Option<char> {
    match n {
        1..=20 => char::from_u32(0x2460 + n - 1),
        21..=35 => char::from_u32(0x3251 + n - 21),
        36..=50 => char::from_u32(0x32B1 + n - 36),
        _ => None,
    }
}

fn paren_digit_value(c: char) -> Option<u32> {
    let u = c as u32;
    (0x2474..=0x2487).contains(&u).then(|| u - 0x2474 + 1)
}

impl Label {
    /// The label as written.
    pub fn written(&self) -> &str {
        &self.written
    }

    /// The parsed style.
    pub fn style(&self) -> LabelStyle {
        self.style
    }

    /// The parsed value: one number, or several for dotted labels and
    /// branch numbers (`第3章の2` is `[3, 2]`).
    pub fn value(&self) -> &[u32] {
        self.value.as_slice()
    }

    /// Builds a label in its usual spelling (used when kaitei renumbers).
    pub fn canonical(style: LabelStyle, value: &[u32]) -> Option<Label> {
        let first = *value.first()?;
        let branches = |s: &mut String| {
            for b in &value[1..] {
                s.push('の');
                s.push_str(&b.to_string());
            }
        };
        let written = match style {
            LabelStyle::Part
            | LabelStyle::Chapter
            | LabelStyle::Section
            | LabelStyle::Subsection
            | LabelStyle::Article => {
                let suffix = match style {
                    LabelStyle::Part => '編',
                    LabelStyle::Chapter => '章',
                    LabelStyle::Section => '節',
                    LabelStyle::Subsection => '款',
                    _ => '条',
                };
                let mut s = format!("第{first}{suffix}");
                branches(&mut s);
                s
            }
            LabelStyle::Ordinal => {
                let mut s = format!("第{first}");
                branches(&mut s);
                s
            }
            LabelStyle::Paragraph => first.to_string(),
            LabelStyle::Dotted(n) => {
                if value.len() != n as usize {
                    return None;
                }
                let parts: Vec<String> = value.iter().map(u32::to_string).collect();
                if n == 1 {
                    format!("{}.", parts[0])
                } else {
                    parts.join(".")
                }
            }
            LabelStyle::ParenArabic => {
                let mut s = format!("({first}");
                branches(&mut s);
                s.push(')');
                s
            }
            LabelStyle::Circled => circled_char(first)?.to_string(),
            LabelStyle::Katakana => kana_at(GOJUON, first)?.to_string(),
            LabelStyle::Iroha => kana_at(IROHA, first)?.to_string(),
            LabelStyle::ParenKatakana => format!("({})", kana_at(GOJUON, first)?),
            LabelStyle::Latin => char::from_u32('a' as u32 + first.checked_sub(1)?)
                .filter(char::is_ascii_lowercase)?
                .to_string(),
            LabelStyle::ParenLatin => format!(
                "({})",
                char::from_u32('a' as u32 + first.checked_sub(1)?)
                    .filter(char::is_ascii_lowercase)?
            ),
            LabelStyle::Kanji => {
                let mut s = kanji_label_number(first);
                for b in &value[1..] {
                    s.push('の');
                    s.push_str(&kanji_label_number(*b));
                }
                s
            }
            LabelStyle::ParenKanji => {
                let mut s = format!("({}", kanji_label_number(first));
                for b in &value[1..] {
                    s.push('の');
                    s.push_str(&kanji_label_number(*b));
                }
                s.push(')');
                s
            }
        };
        Some(Label {
            written: written.into_boxed_str(),
            style,
            value: Value::from_vec(value.to_vec()),
        })
    }

    /// Reads the whole of `s` as one label (no trailing text allowed).
    pub fn parse(s: &str, context: LabelContext) -> Option<Label> {
        match split_label(s, context) {
            Some((label, "")) => Some(label),
            _ => None,
        }
    }

    /// The same label read as iroha: `イ` is the first iroha label, `ロ`
    /// the second. Labels of other styles are returned unchanged.
    pub fn to_iroha(&self) -> Label {
        if self.style != LabelStyle::Katakana {
            return self.clone();
        }
        let c = self.written.chars().next().unwrap_or('ア');
        match kana_index(IROHA, c) {
            Some(v) => Label {
                written: self.written.clone(),
                style: LabelStyle::Iroha,
                value: Value::One(v),
            },
            None => self.clone(),
        }
    }

    /// Whether this one-katakana label is `イ` (which starts an iroha list).
    pub fn is_katakana_i(&self) -> bool {
        self.style == LabelStyle::Katakana && self.value() == [2]
    }
}

/// A number of a kanji label as the label parser reads it back: the unit
/// form (`三百二十五`) below ten thousand, the positional form (`三二三二二`)
/// from there on, since labels know no `万` or `億`.
fn kanji_label_number(n: u32) -> String {
    if n < 10_000 {
        to_kanji(n)
    } else {
        const DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
        n.to_string()
            .bytes()
            .map(|d| DIGITS[usize::from(d - b'0')])
            .collect()
    }
}

/// Reads a label at the start of `s`, followed by white space (or by the end
/// of `s`). Returns the label and the rest of `s` with leading white space
/// removed.
pub fn split_label(s: &str, context: LabelContext) -> Option<(Label, &str)> {
    let (style, value, len) = scan_followed(s, context)?;
    let label = Label {
        written: s[..len].into(),
        style,
        value: Value::from_numbers(&value),
    };
    Some((label, s[len..].trim_start_matches(is_space)))
}

/// The style of the label [`split_label`] would read at the start of `s`,
/// without making the label: for the many places that only ask whether a
/// line starts with one, or with which kind.
pub fn label_style_at(s: &str, context: LabelContext) -> Option<LabelStyle> {
    scan_followed(s, context).map(|(style, _, _)| style)
}

/// Whether `s` starts with an article's label (`第1条`, or `第1` in a
/// 要綱): [`label_style_at`] in the item context, with the lines that cannot
/// start one — most lines, asked several times each while parsing — turned
/// away at their first character.
pub fn article_at(s: &str) -> bool {
    s.starts_with(STRUCTURAL)
        && label_style_at(s, LabelContext::Item).is_some_and(LabelStyle::is_article)
}

/// The law-style heading rank (編 1 … 款 4) of the label at the start of
/// `s`, as [`LabelStyle::heading_rank`] gives it, turning lines away at
/// their first character as [`article_at`] does.
pub fn heading_rank_at(s: &str) -> Option<u8> {
    if !s.starts_with(STRUCTURAL) {
        return None;
    }
    label_style_at(s, LabelContext::Item)?.heading_rank()
}

/// The first character of every article and 編/章/節/款 label.
const STRUCTURAL: char = '第';

/// The rest of `s` after the label [`split_label`] would read, without
/// making the label.
pub fn after_label(s: &str, context: LabelContext) -> Option<&str> {
    let (_, _, len) = scan_followed(s, context)?;
    Some(s[len..].trim_start_matches(is_space))
}

/// [`scan`], when the label is followed by white space or the end of `s`.
fn scan_followed(s: &str, context: LabelContext) -> Option<(LabelStyle, Numbers, usize)> {
    let found = scan(s, context)?;
    match s[found.2..].chars().next() {
        None => Some(found),
        Some(c) if is_space(c) => Some(found),
        _ => None,
    }
}

/// Recognises a label at the start of `s`; returns its style, value and
/// length in bytes. Does not check what follows.
fn scan(s: &str, context: LabelContext) -> Option<(LabelStyle, Numbers, usize)> {
    let first = s.chars().next()?;
    if first == STRUCTURAL {
        return scan_structural(s);
    }
    if let Some(v) = circled_value(first) {
        return Some((LabelStyle::Circled, Numbers::one(v), first.len_utf8()));
    }
    if let Some(v) = paren_digit_value(first) {
        return Some((LabelStyle::ParenArabic, Numbers::one(v), first.len_utf8()));
    }
    if first == '(' || first == '（' {
        return scan_parenthesised(s);
    }
    if leading_arabic(s).is_some() {
        return scan_arabic(s, context);
    }
    if let Some((v, len)) = leading_kanji(s) {
        return Some(kanji_branches(s, v, len));
    }
    if let Some(v) = kana_index(GOJUON, first) {
        return Some((LabelStyle::Katakana, Numbers::one(v), first.len_utf8()));
    }
    let folded = fold_width(first);
    if folded.is_ascii_lowercase() {
        let v = folded as u32 - 'a' as u32 + 1;
        return Some((LabelStyle::Latin, Numbers::one(v), first.len_utf8()));
    }
    None
}

fn scan_structural(s: &str) -> Option<(LabelStyle, Numbers, usize)> {
    let mut pos = '第'.len_utf8();
    let (n, len) = leading_number(&s[pos..])?;
    pos += len;
    let marker = s[pos..].chars().next();
    let style = match marker {
        Some('編') => LabelStyle::Part,
        Some('章') => LabelStyle::Chapter,
        Some('節') => LabelStyle::Section,
        Some('款') => LabelStyle::Subsection,
        Some('条') => LabelStyle::Article,
        // `第1` then white space (or nothing): a 要綱's article.
        None => return Some((LabelStyle::Ordinal, Numbers::one(n), pos)),
        Some(c) if is_space(c) => return Some((LabelStyle::Ordinal, Numbers::one(n), pos)),
        _ => return None,
    };
    pos += marker.map_or(0, char::len_utf8);
    let mut value = Numbers::one(n);
    // Branch numbers: 第3章の2, 第12条の3の2.
    while let Some(rest) = s[pos..].strip_prefix('の') {
        match leading_number(rest) {
            Some((b, len)) => {
                value.push(b);
                pos += 'の'.len_utf8() + len;
            }
            None => break,
        }
    }
    Some((style, value, pos))
}

/// A kanji 号 with its branch numbers (`三の二`): `first` is the value of
/// the numeral of `len` bytes at the start of `s`.
fn kanji_branches(s: &str, first: u32, len: usize) -> (LabelStyle, Numbers, usize) {
    let mut value = Numbers::one(first);
    let mut pos = len;
    while let Some(rest) = s[pos..].strip_prefix('の') {
        match leading_kanji(rest) {
            Some((b, blen)) => {
                value.push(b);
                pos += 'の'.len_utf8() + blen;
            }
            None => break,
        }
    }
    (LabelStyle::Kanji, value, pos)
}

fn scan_parenthesised(s: &str) -> Option<(LabelStyle, Numbers, usize)> {
    let open = s.chars().next()?;
    let inner_start = open.len_utf8();
    let inner = &s[inner_start..];
    let (style, value, inner_len) = if let Some((v, len)) = leading_arabic(inner) {
        (LabelStyle::ParenArabic, v, len)
    } else if let Some((v, len)) = leading_kanji(inner) {
        (LabelStyle::ParenKanji, v, len)
    } else {
        let c = inner.chars().next()?;
        if let Some(v) = kana_index(GOJUON, c) {
            (LabelStyle::ParenKatakana, v, c.len_utf8())
        } else if fold_width(c).is_ascii_lowercase() {
            (
                LabelStyle::ParenLatin,
                fold_width(c) as u32 - 'a' as u32 + 1,
                c.len_utf8(),
            )
        } else {
            return None;
        }
    };
    // Branch numbers of a 号 inserted without renumbering: `(3の2)`,
    // `（三の二）`.
    let mut values = Numbers::one(value);
    let mut inner_len = inner_len;
    if matches!(style, LabelStyle::ParenArabic | LabelStyle::ParenKanji) {
        while let Some(rest) = inner[inner_len..].strip_prefix('の') {
            let branch = match style {
                LabelStyle::ParenArabic => leading_arabic(rest),
                _ => leading_kanji(rest),
            };
            match branch {
                Some((b, len)) => {
                    values.push(b);
                    inner_len += 'の'.len_utf8() + len;
                }
                None => break,
            }
        }
    }
    let close = inner[inner_len..].chars().next()?;
    if close != ')' && close != '）' {
        return None;
    }
    Some((style, values, inner_start + inner_len + close.len_utf8()))
}

fn is_dot(c: char) -> bool {
    c == '.' || c == '．'
}

fn scan_arabic(s: &str, context: LabelContext) -> Option<(LabelStyle, Numbers, usize)> {
    let mut value = Numbers::default();
    let mut pos = 0;
    let mut trailing_dot = false;
    loop {
        let (n, len) = leading_arabic(&s[pos..])?;
        value.push(n);
        pos += len;
        match s[pos..].chars().next() {
            Some(c) if is_dot(c) => {
                pos += c.len_utf8();
                if leading_arabic(&s[pos..]).is_none() {
                    trailing_dot = true;
                    break;
                }
            }
            _ => break,
        }
    }
    let dots = value.len() - 1 + usize::from(trailing_dot);
    match context {
        LabelContext::InArticle if value.len() == 1 => Some((LabelStyle::Paragraph, value, pos)),
        LabelContext::Item | LabelContext::InArticle if dots == 0 => None,
        _ => {
            let n = u8::try_from(value.len()).ok()?;
            Some((LabelStyle::Dotted(n), value, pos))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(s: &str) -> Label {
        Label::parse(s, LabelContext::Item).unwrap_or_else(|| panic!("{s} is a label"))
    }

    fn heading(s: &str) -> Label {
        Label::parse(s, LabelContext::Heading).unwrap_or_else(|| panic!("{s} is a label"))
    }

    fn style_value(l: &Label) -> (LabelStyle, Vec<u32>) {
        (l.style(), l.value().to_vec())
    }

    #[test]
    fn branch_numbers_of_parenthesised_items_round_trip() {
        for (style, value, written) in [
            (LabelStyle::ParenArabic, vec![3, 2], "(3の2)"),
            (LabelStyle::ParenKanji, vec![3, 2], "(三の二)"),
            (LabelStyle::ParenArabic, vec![13], "(13)"),
        ] {
            let l = Label::canonical(style, &value).expect("canonical");
            assert_eq!(l.written(), written);
            let back = Label::parse(written, LabelContext::Item).expect("parsed");
            assert_eq!((back.style(), back.value()), (style, &value[..]));
        }
        // `(3の2)` is not `(3)`, and `(3の)` is no branch.
        let a = Label::parse("(3の2)", LabelContext::Item).unwrap();
        let b = Label::parse("(3)", LabelContext::Item).unwrap();
        assert_ne!(a.value(), b.value());
        assert!(Label::parse("(3の)", LabelContext::Item).is_none());
    }

    #[test]
    fn the_kana_orders_lie_between_a_and_n() {
        // `kana_index` rejects anything outside ア..=ン before walking an
        // order: that is only right while both orders lie inside it.
        for order in [GOJUON, IROHA] {
            assert!(order.chars().all(|k| ('ア'..='ン').contains(&k)), "{order}");
        }
        assert_eq!(kana_index(GOJUON, 'ン'), Some(48));
        assert_eq!(kana_index(IROHA, 'イ'), Some(1));
        assert_eq!(kana_index(GOJUON, 'ァ'), None);
        assert_eq!(kana_index(GOJUON, '情'), None);
    }

    #[test]
    fn every_style_is_parsed() {
        use LabelStyle::*;
        let cases: &[(&str, LabelStyle, &[u32])] = &[
            ("第1編", Part, &[1]),
            ("第二章", Chapter, &[2]),
            ("第3節", Section, &[3]),
            ("第1款", Subsection, &[1]),
            ("第3章の2", Chapter, &[3, 2]),
            ("第十二条", Article, &[12]),
            ("第12条の3", Article, &[12, 3]),
            ("第１２条の３の２", Article, &[12, 3, 2]),
            ("1.", Dotted(1), &[1]),
            ("2.3", Dotted(2), &[2, 3]),
            ("6.1.2", Dotted(3), &[6, 1, 2]),
            ("6.1.2.", Dotted(3), &[6, 1, 2]),
            ("１．", Dotted(1), &[1]),
            ("(1)", ParenArabic, &[1]),
            ("（13）", ParenArabic, &[13]),
            ("（１３）", ParenArabic, &[13]),
            ("(3の2)", ParenArabic, &[3, 2]),
            ("（３の２）", ParenArabic, &[3, 2]),
            ("(三の二)", ParenKanji, &[3, 2]),
            ("⑴", ParenArabic, &[1]),
            ("⒇", ParenArabic, &[20]),
            ("①", Circled, &[1]),
            ("⑳", Circled, &[20]),
            ("㉑", Circled, &[21]),
            ("㉟", Circled, &[35]),
            ("㊱", Circled, &[36]),
            ("㊿", Circled, &[50]),
            ("ア", Katakana, &[1]),
            ("ウ", Katakana, &[3]),
            ("(ア)", ParenKatakana, &[1]),
            ("（イ）", ParenKatakana, &[2]),
            ("a", Latin, &[1]),
            ("ｂ", Latin, &[2]),
            ("(a)", ParenLatin, &[1]),
            ("（ｃ）", ParenLatin, &[3]),
            ("一", Kanji, &[1]),
            ("十一", Kanji, &[11]),
            ("三の二", Kanji, &[3, 2]),
            ("(一)", ParenKanji, &[1]),
            ("（十二）", ParenKanji, &[12]),
            ("第1", Ordinal, &[1]),
            ("第十二", Ordinal, &[12]),
            ("第２", Ordinal, &[2]),
        ];
        for (s, style, value) in cases {
            let l = item(s);
            assert_eq!(style_value(&l), (*style, value.to_vec()), "{s}");
            assert_eq!(l.written(), *s);
        }
    }

    #[test]
    fn equal_labels() {
        assert_eq!(item("(1)"), item("（1）"));
        assert_eq!(item("(1)"), item("⑴"));
        assert_eq!(item("(1)"), item("（１）"));
        assert_eq!(item("第十二条"), item("第12条"));
        assert_eq!(item("第3章の2"), item("第三章の二"));
        assert_eq!(heading("2"), heading("2."));
        assert_eq!(heading("4.1"), heading("4.1."));
        assert_eq!(item("(ア)"), item("（ア）"));
    }

    #[test]
    fn different_labels() {
        assert_ne!(item("①"), item("(1)"));
        assert_ne!(heading("1"), item("(1)"));
        assert_ne!(item("ア"), item("(ア)"));
        assert_ne!(item("a"), item("(a)"));
        assert_ne!(item("一"), item("①"));
        assert_ne!(item("第1章"), item("第1節"));
        assert_ne!(item("第3章"), item("第3章の2"));
        assert_ne!(heading("4.1"), heading("4.1.1"));
        assert_ne!(item("イ"), item("イ").to_iroha());
    }

    #[test]
    fn dotted_labels_need_their_dot_in_items() {
        assert!(split_label("2024年に改定", LabelContext::Item).is_none());
        assert!(split_label("2 項の本文", LabelContext::Item).is_none());
        assert!(split_label("2. 本文", LabelContext::Item).is_some());
        assert!(split_label("2 見出し", LabelContext::Heading).is_some());
        assert!(split_label("1.5倍とする", LabelContext::Item).is_none());
    }

    #[test]
    fn bare_numbers_are_paragraphs_in_articles() {
        let (l, rest) = split_label("２　前項の規定にかかわらず", LabelContext::InArticle).unwrap();
        assert_eq!(style_value(&l), (LabelStyle::Paragraph, vec![2]));
        assert_eq!(rest, "前項の規定にかかわらず");
        let (l, _) = split_label("3. 本文", LabelContext::InArticle).unwrap();
        assert_eq!(l.style(), LabelStyle::Paragraph);
    }

    #[test]
    fn the_quick_questions_answer_as_the_full_reading_does() {
        for s in [
            "第1条 目的",
            "第１条　目的",
            "第12条の3 定義",
            "第1 総則",
            "第1",
            "第2章 組織",
            "第3節",
            "第1編 総則",
            "第一款 通則",
            "第1条の",
            "第三者",
            "第",
            " 第1条",
            "1. 目的",
            "(1) 定義",
            "ア 項目",
            "",
            "附則",
        ] {
            let style = label_style_at(s, LabelContext::Item);
            assert_eq!(
                article_at(s),
                style.is_some_and(LabelStyle::is_article),
                "{s:?}"
            );
            assert_eq!(
                heading_rank_at(s),
                style.and_then(LabelStyle::heading_rank),
                "{s:?}"
            );
        }
        assert!(article_at("第1条 目的"));
        assert_eq!(heading_rank_at("第2章 組織"), Some(2));
    }

    #[test]
    fn a_label_needs_white_space_after_it() {
        assert!(split_label("アクセス制御", LabelContext::Item).is_none());
        assert!(split_label("一般に", LabelContext::Item).is_none());
        assert!(split_label("十分な対策", LabelContext::Item).is_none());
        assert!(split_label("（目的）", LabelContext::Item).is_none());
        assert!(split_label("第1条の規定", LabelContext::Item).is_none());
        assert!(split_label("a great", LabelContext::Item).is_some());
        let (l, rest) = split_label("ア　本文", LabelContext::Item).unwrap();
        assert_eq!(l.written(), "ア");
        assert_eq!(rest, "本文");
        let (l, rest) = split_label("第2章", LabelContext::Heading).unwrap();
        assert_eq!(l.written(), "第2章");
        assert_eq!(rest, "");
    }

    #[test]
    fn ordinals_are_articles_without_jou() {
        let (l, rest) = split_label("第1　趣旨", LabelContext::Item).unwrap();
        assert_eq!(style_value(&l), (LabelStyle::Ordinal, vec![1]));
        assert!(l.style().is_article());
        assert_eq!(rest, "趣旨");
        assert_ne!(item("第1"), item("第1条"));
        // Only white space may follow the number.
        assert!(split_label("第1回の会議", LabelContext::Item).is_none());
        assert!(split_label("第1号", LabelContext::Item).is_none());
        assert!(split_label("一の規定", LabelContext::Item).is_none());
        assert_eq!(LabelStyle::Chapter.heading_rank(), Some(2));
        assert_eq!(LabelStyle::Article.heading_rank(), None);
    }

    #[test]
    fn iroha() {
        let i = item("イ").to_iroha();
        assert_eq!(style_value(&i), (LabelStyle::Iroha, vec![1]));
        assert_eq!(
            style_value(&item("ロ").to_iroha()),
            (LabelStyle::Iroha, vec![2])
        );
        assert_eq!(
            style_value(&item("ハ").to_iroha()),
            (LabelStyle::Iroha, vec![3])
        );
        assert!(item("イ").is_katakana_i());
        assert!(!item("ア").is_katakana_i());
    }

    #[test]
    fn canonical_spelling_round_trips() {
        for s in [
            "第3章の2",
            "第12条",
            "(4)",
            "③",
            "ウ",
            "(エ)",
            "c",
            "(d)",
            "十一",
            "4.1",
            "2.",
            "㉒",
            "第3",
            "(三)",
            "三の二",
        ] {
            let l = item_or_heading(s);
            let c = Label::canonical(l.style(), l.value()).expect("renderable");
            assert_eq!(c, l, "{s}");
            assert_eq!(c.written(), s);
        }
        let i = item("ニ").to_iroha();
        assert_eq!(
            Label::canonical(i.style(), i.value()).unwrap().written(),
            "ニ"
        );
    }

    /// Found by the `label` fuzz target (`fuzz/`): the positional kanji 号
    /// `三二三二二` (32322) was spelled `三万二千三百二十二` by `canonical`,
    /// which is no label, so a policy's 号 numbered next after it (as
    /// `kaitei policy align` numbers an inserted one) did not read back.
    #[test]
    fn canonical_kanji_from_ten_thousand_reads_back() {
        for s in [
            "三二三二二",
            "(一〇〇〇〇)",
            "一〇〇〇〇の二",
            "四二九四九六七二九五",
        ] {
            let l = Label::parse(s, LabelContext::Item).expect("a label");
            let c = Label::canonical(l.style(), l.value()).expect("renderable");
            assert_eq!(c.written(), s);
            let back = Label::parse(c.written(), LabelContext::Item).expect("reads back");
            assert_eq!(style_value(&back), style_value(&l), "{s}");
        }
        let next = Label::canonical(LabelStyle::Kanji, &[32323]).expect("renderable");
        assert_eq!(next.written(), "三二三二三");
        assert_eq!(
            Label::canonical(LabelStyle::Kanji, &[9999])
                .expect("renderable")
                .written(),
            "九千九百九十九"
        );
    }

    fn item_or_heading(s: &str) -> Label {
        Label::parse(s, LabelContext::Item).unwrap_or_else(|| heading(s))
    }
}
