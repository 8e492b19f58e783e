//! Writers for the comparison table (新旧対照表) that `kaitei-compare`
//! builds: JSON (the contract of `CONTRACTS.md`), text for terminals,
//! HTML, DOCX and XLSX.

pub mod docx;
pub mod html;
pub mod json;
pub mod text;
pub mod xlsx;

#[cfg(test)]
mod samples;

use kaitei_compare::Comparison;
use kaitei_compare::view::{Cell, DELETED_MARK, NEW_MARK};

/// Which side is on the left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
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

/// The consultation comments behind each changed clause: ids by the new
/// node's key. A published edition's table cites them
/// ([`kaitei_compare::view::cite`] puts them on the laid-out rows).
pub type Citations = std::collections::BTreeMap<String, Vec<String>>;

/// How a cell cites the comments behind its change: 「（意見 R8-1-0042、…）」.
pub(crate) fn citation_line(ids: &[String]) -> String {
    format!("（意見 {}）", ids.join("、"))
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

// --- text the DOCX and HTML tables share ---------------------------------------

/// The title: 「{new title}」新旧対照表 (the old title when the new one is
/// empty).
pub fn table_title(cmp: &Comparison) -> String {
    let new = cmp.new.doc.meta.title.trim();
    let title = if new.is_empty() {
        cmp.old.doc.meta.title.trim()
    } else {
        new
    };
    if title.is_empty() {
        "新旧対照表".to_string()
    } else {
        format!("「{title}」新旧対照表")
    }
}

/// The editions, in column order: `新: 令和7年3月版 / 旧: 令和6年10月版`.
pub(crate) fn editions_line(cmp: &Comparison, columns: Columns) -> String {
    let new = format!("新: {}", cmp.new.doc.meta.edition);
    let old = format!("旧: {}", cmp.old.doc.meta.edition);
    match columns {
        Columns::NewOld => format!("{new} / {old}"),
        Columns::OldNew => format!("{old} / {new}"),
    }
}

/// The header row's words, left to right.
pub(crate) fn column_headers(columns: Columns) -> [&'static str; 2] {
    match columns {
        Columns::NewOld => ["改正後", "改正前"],
        Columns::OldNew => ["改正前", "改正後"],
    }
}

/// One side of a row as shown: the cell, or the mark shown in its place.
pub(crate) type SideCell<'c> = (Option<&'c Cell>, &'static str);

/// The two sides of a row, left to right. A missing old side is a new node
/// (（新設）), a missing new side a deleted one (（削る））.
pub(crate) fn sides<'c>(
    columns: Columns,
    old: Option<&'c Cell>,
    new: Option<&'c Cell>,
) -> [SideCell<'c>; 2] {
    let old = (old, NEW_MARK);
    let new = (new, DELETED_MARK);
    match columns {
        Columns::NewOld => [new, old],
        Columns::OldNew => [old, new],
    }
}
