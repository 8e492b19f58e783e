//! Writers for the comparison table (新旧対照表) that `kaitei-compare`
//! builds: JSON (the contract of `CONTRACTS.md`), text for terminals,
//! HTML, DOCX and XLSX.

pub mod docx;
pub mod html;
pub mod json;
pub mod text;
pub mod xlsx;

/// Which side is on the left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Columns {
    /// New on the left, old on the right: the ministry's convention.
    #[default]
    NewOld,
    /// Old on the left, new on the right.
    OldNew,
}

/// What the DOCX and HTML tables need besides the rows.
#[derive(Debug, Clone, Default)]
pub struct TableOptions {
    /// Column order.
    pub columns: Columns,
}

/// Drops the characters XML 1.0 does not allow (C0 controls other than tab,
/// line feed and carriage return; U+FFFE, U+FFFF): one stray control
/// character would make the whole document unreadable.
pub(crate) fn allowed_in_xml(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Escapes text for XML or HTML content and quoted attributes, dropping
/// characters XML cannot carry; `apostrophe` is the entity each writes for
/// `'` (`&apos;` in Word's XML, `&#39;` in HTML).
pub(crate) fn escape_markup(s: &str, apostrophe: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().filter(|&c| allowed_in_xml(c)) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str(apostrophe),
            _ => out.push(c),
        }
    }
    out
}
