//! Text helpers shared by every layer: normalisation for comparison,
//! placeholder scanning, and the one check of what characters text may hold
//! ([`check_controls`]).

use std::borrow::Cow;
use std::fmt;

use unicode_normalization::UnicodeNormalization;

/// Text as compared: NFKC, so full-width and half-width variants are not
/// changes. Never applied to labels (see [`crate::label`]).
pub fn normalize(s: &str) -> String {
    s.nfkc().collect()
}

/// The names of the `{{name}}` placeholders in `s`, in order.
pub fn placeholders(s: &str) -> impl Iterator<Item = &str> {
    let mut rest = s;
    std::iter::from_fn(move || {
        loop {
            let start = rest.find("{{")?;
            let after = &rest[start + 2..];
            let end = after.find("}}")?;
            let name = &after[..end];
            rest = &after[end + 2..];
            if !name.is_empty() && !name.contains(['{', '}']) && !name.contains(char::is_whitespace)
            {
                return Some(name);
            }
        }
    })
}

/// Replaces each `{{name}}` whose name `value` knows; others stay.
pub fn fill_placeholders(s: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        let name = &after[..end];
        out.push_str(&rest[..start]);
        match value(name) {
            Some(v) => out.push_str(&v),
            None => {
                out.push_str("{{");
                out.push_str(name);
                out.push_str("}}");
            }
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

/// Turns CRLF and a lone CR into LF. Borrows when `s` holds no CR (the
/// usual case), so text that needs nothing costs nothing.
///
/// Browsers send a textarea's text with CRLF and Windows files have it; a
/// lone CR is an old Mac line break. Either way the author meant a line
/// break, so it becomes one before anything else looks at the text.
pub fn normalize_newlines(s: &str) -> Cow<'_, str> {
    // SIMD search (the `memchr` crate's): the standard library's, a word
    // at a time, was a noticeable part of reading a full-size file.
    if memchr::memchr(b'\r', s.as_bytes()).is_none() {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('\r') {
        out.push_str(&rest[..i]);
        out.push('\n');
        rest = &rest[i + 1..];
        // CRLF is one break, not two.
        rest = rest.strip_prefix('\n').unwrap_or(rest);
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Whether `c` may not appear in document text: a C0 control other than tab
/// and LF, DEL, or the Unicode line and paragraph separators.
///
/// They are invisible or act on the screen (`ESC [31m` recolours a
/// terminal), and U+2028/U+2029 break lines where kaitei's formats see
/// none; no policy needs them. CR is not listed because
/// [`normalize_newlines`] has already made it LF.
pub fn is_refused_control(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}' | '\u{2028}' | '\u{2029}')
        // A lone CR only reaches here when a caller skipped the
        // normalisation; it is refused rather than let through.
        || c == '\r'
}

/// A refused character found by [`check_controls`]: where the first one is,
/// and how many the text holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControlError {
    /// The 1-based line of the first one, counted in the text after
    /// [`normalize_newlines`] (which keeps the line count of CRLF text and
    /// counts a lone CR as the line break an editor shows).
    pub line: usize,
    /// Its 1-based column in characters (Unicode scalar values; a tab is
    /// one).
    pub column: usize,
    /// The character.
    pub ch: char,
    /// How many refused characters the text holds in all (at least 1).
    pub count: usize,
}

impl ControlError {
    /// What is wrong without the line, for messages that give the line (or
    /// the Word paragraph) themselves: `control character U+001B (ESC) at
    /// column 5 is not allowed in text; delete it`.
    pub fn message(&self) -> String {
        let mut m = format!(
            "control character {} at column {} is not allowed in text; delete it",
            describe_char(self.ch),
            self.column
        );
        if self.count > 1 {
            m.push_str(&format!(" (the text holds {} such characters)", self.count));
        }
        m
    }
}

/// `U+001B (ESC)`: a refused character's code point and name.
pub fn describe_char(c: char) -> String {
    const C0: [&str; 32] = [
        "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "TAB", "LF", "VT", "FF",
        "CR", "SO", "SI", "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM",
        "SUB", "ESC", "FS", "GS", "RS", "US",
    ];
    let name = match c {
        '\u{7f}' => "DEL",
        '\u{2028}' => "LINE SEPARATOR",
        '\u{2029}' => "PARAGRAPH SEPARATOR",
        c => C0.get(c as usize).copied().unwrap_or("control"),
    };
    format!("U+{:04X} ({name})", c as u32)
}

impl fmt::Display for ControlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message())
    }
}

impl std::error::Error for ControlError {}

/// The check every entry point of text applies — the authoring-format and
/// Word readers, and the web forms and API — so that all refuse the same
/// characters: first [`normalize_newlines`], then refuse any character
/// [`is_refused_control`] names. Returns the normalised text (borrowed when
/// it had no CR), or where the first refused character is.
///
/// ```
/// use kaitei_model::text::check_controls;
///
/// assert_eq!(check_controls("一行目\r\n二行目").unwrap(), "一行目\n二行目");
/// let e = check_controls("一行目\n二\u{1b}[31m").unwrap_err();
/// assert_eq!((e.line, e.column, e.ch), (2, 2, '\u{1b}'));
/// ```
pub fn check_controls(s: &str) -> Result<Cow<'_, str>, ControlError> {
    let text = normalize_newlines(s);
    match find_controls(&text) {
        Some(e) => Err(e),
        None => Ok(text),
    }
}

/// The first refused character of `s` (already normalised) and how many
/// there are; `None` when there is none. One pass over the bytes, no
/// allocation, no decoding.
fn find_controls(s: &str) -> Option<ControlError> {
    // Every refused character but the separators is ASCII; the separators
    // are the three bytes E2 80 A8 / E2 80 A9, which in UTF-8 can only be
    // U+2028 / U+2029 (E2 is never a continuation byte). Japanese text is
    // full of other E2 characters (①, ⑴, ○, ―), so they are told apart
    // by their bytes rather than by decoding from the first E2 on.
    let bytes = s.as_bytes();
    // The usual case, no refused character, checked in blocks the compiler
    // vectorises (no early exit inside a block) and by substring search.
    let ascii = |b: u8| (b < 0x20 && b != b'\t' && b != b'\n') || b == 0x7f;
    // The separators are found from their first byte, E2, which is far
    // rarer in Japanese text than their last (A8 or A9, the last byte of
    // one character in 32): `str::contains` searched for that last byte,
    // and stopped at every such character.
    let separator = || {
        memchr::memchr_iter(0xe2, bytes).any(|i| {
            bytes.get(i + 1) == Some(&0x80) && matches!(bytes.get(i + 2), Some(0xa8 | 0xa9))
        })
    };
    if !bytes
        .chunks(64)
        .any(|c| c.iter().fold(false, |any, &b| any | ascii(b)))
        && !separator()
    {
        return None;
    }
    let (mut first, mut count) = (None, 0usize);
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let width = if ascii(b) {
            1
        } else if b == 0xe2
            && bytes.get(i + 1) == Some(&0x80)
            && matches!(bytes.get(i + 2), Some(0xa8 | 0xa9))
        {
            3
        } else {
            i += 1;
            continue;
        };
        first.get_or_insert(i);
        count += 1;
        i += width;
    }
    let first = first?;
    let before = &s[..first];
    let line_start = before.rfind('\n').map_or(0, |p| p + 1);
    Some(ControlError {
        line: before.bytes().filter(|&b| b == b'\n').count() + 1,
        column: before[line_start..].chars().count() + 1,
        ch: s[first..].chars().next()?,
        count,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newlines_become_lf() {
        assert!(matches!(normalize_newlines("a\nb"), Cow::Borrowed("a\nb")));
        assert_eq!(normalize_newlines("a\r\nb\rc\r\r\nd\r"), "a\nb\nc\n\nd\n");
        assert_eq!(normalize_newlines("\r\n\r\n"), "\n\n");
    }

    #[test]
    fn refuses_c0_del_and_separators_with_their_place() {
        for c in (0u32..0x20)
            .chain([0x7f, 0x2028, 0x2029])
            .filter_map(char::from_u32)
            .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        {
            let text = format!("一行目\r\n二行目の{c}x");
            let e = check_controls(&text).expect_err(&describe_char(c));
            assert_eq!((e.line, e.column, e.ch, e.count), (2, 5, c, 1), "{c:?}");
        }
        // Tab, LF and CR (as a line break) stay; so do other characters
        // that look unusual but are text.
        let fine = "a\tb\r\nc\rd\u{3000}\u{feff}\u{85}é";
        assert_eq!(
            check_controls(fine).unwrap(),
            "a\tb\nc\nd\u{3000}\u{feff}\u{85}é"
        );
    }

    #[test]
    fn names_the_first_and_counts_the_rest() {
        let e = check_controls("\u{0} \u{1b}[31m \u{2028}").unwrap_err();
        assert_eq!((e.line, e.column, e.ch, e.count), (1, 1, '\u{0}', 3));
        assert_eq!(
            e.to_string(),
            "line 1: control character U+0000 (NUL) at column 1 is not allowed in text; delete it (the text holds 3 such characters)"
        );
        assert_eq!(describe_char('\u{2029}'), "U+2029 (PARAGRAPH SEPARATOR)");
        assert_eq!(describe_char('\u{7f}'), "U+007F (DEL)");
        // Columns count characters, not bytes.
        let e = check_controls("本文\n見出し\u{7f}").unwrap_err();
        assert_eq!((e.line, e.column), (2, 4));
    }

    #[test]
    fn other_characters_led_by_e2_are_text() {
        // ① ⑴ ○ ― and U+2027 / U+202A (E2 80 A7 / E2 80 AA) surround the
        // separators' bytes but are not refused; a separator after them is.
        let fine = "①⑴○―\u{2027}\u{202a}\u{20ac}";
        assert_eq!(check_controls(fine).unwrap(), fine);
        let e = check_controls("①⑴\n○―\u{2027}\u{2029}\u{202a}\u{1}").unwrap_err();
        assert_eq!((e.line, e.column, e.ch, e.count), (2, 4, '\u{2029}', 2));
    }

    #[test]
    fn nfkc_folds_width() {
        assert_eq!(normalize("ＡＢＣ１２３（１）"), "ABC123(1)");
        assert_eq!(normalize("ｻｰﾊﾞ"), "サーバ");
    }

    #[test]
    fn finds_placeholders() {
        let names: Vec<_> = placeholders("{{団体名}}の{{CISO職名}}は、{{ 空白 }}{{}}").collect();
        assert_eq!(names, ["団体名", "CISO職名"]);
    }

    #[test]
    fn fills_placeholders() {
        let s = fill_placeholders("{{団体名}}の{{CISO職名}}", |n| {
            (n == "団体名").then(|| "千代田区".to_string())
        });
        assert_eq!(s, "千代田区の{{CISO職名}}");
    }
}
