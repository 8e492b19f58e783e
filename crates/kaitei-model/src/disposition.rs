//! What the ministry does with each comment (意見への対応): a disposition —
//! 反映 / 不反映 / 対応済 / 参考 — with its reason, given to a cluster of
//! near-duplicate comments at once or to one comment alone; and the rule
//! that a draft is published only when its consultations have closed and
//! every comment received has one.

use std::fmt;

use crate::text::{check_controls, normalize_newlines};

/// The longest reason, in characters.
pub const MAX_REASON_CHARS: usize = 4000;

/// What was done with a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DispositionKind {
    /// 反映: the draft was changed for it.
    Reflected,
    /// 不反映: not taken up, for the reason given.
    NotReflected,
    /// 対応済: the draft already says it (or another change covers it).
    AlreadyAddressed,
    /// 参考: noted for the future, or a question answered.
    ForReference,
}

impl DispositionKind {
    /// Every kind, in the order the response table explains them.
    pub const ALL: [DispositionKind; 4] = [
        DispositionKind::Reflected,
        DispositionKind::NotReflected,
        DispositionKind::AlreadyAddressed,
        DispositionKind::ForReference,
    ];

    /// As stored and in the API: `reflected`, `not_reflected`,
    /// `addressed`, `reference`.
    pub fn as_str(self) -> &'static str {
        match self {
            DispositionKind::Reflected => "reflected",
            DispositionKind::NotReflected => "not_reflected",
            DispositionKind::AlreadyAddressed => "addressed",
            DispositionKind::ForReference => "reference",
        }
    }

    /// 反映, 不反映, 対応済, 参考.
    pub fn japanese(self) -> &'static str {
        match self {
            DispositionKind::Reflected => "反映",
            DispositionKind::NotReflected => "不反映",
            DispositionKind::AlreadyAddressed => "対応済",
            DispositionKind::ForReference => "参考",
        }
    }

    /// Reads [`DispositionKind::as_str`] or [`DispositionKind::japanese`].
    pub fn parse(s: &str) -> Option<DispositionKind> {
        let s = s.trim();
        DispositionKind::ALL
            .into_iter()
            .find(|d| d.as_str() == s || d.japanese() == s)
    }
}

impl fmt::Display for DispositionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.japanese())
    }
}

/// A disposition: what was done and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disposition {
    /// 対応.
    pub kind: DispositionKind,
    /// 考え方: the reason, as the response table prints it.
    pub reason: String,
}

/// Checks a disposition as typed: a reason is required (the response table
/// answers every comment), within [`MAX_REASON_CHARS`], without control
/// characters; newlines become LF and the ends are trimmed.
pub fn check_disposition(kind: DispositionKind, reason: &str) -> Result<Disposition, String> {
    let reason = normalize_newlines(reason).into_owned();
    if let Err(e) = check_controls(&reason) {
        return Err(format!("the reason, line {}: {}", e.line, e.message()));
    }
    let reason = reason.trim().to_string();
    if reason.is_empty() {
        return Err(format!(
            "a {} disposition needs its reason (考え方): the response table gives it to every submitter",
            kind.japanese()
        ));
    }
    let n = reason.chars().count();
    if n > MAX_REASON_CHARS {
        return Err(format!(
            "the reason is {n} characters, over the limit of {MAX_REASON_CHARS}; shorten it"
        ));
    }
    Ok(Disposition { kind, reason })
}

/// Why a draft may not be published yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublishRefusal {
    /// These consultations on the draft have not closed.
    Open(Vec<String>),
    /// Comments received without a disposition.
    Undisposed {
        /// The first few ids.
        first: Vec<String>,
        /// How many in all.
        total: usize,
    },
}

impl fmt::Display for PublishRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PublishRefusal::Open(ids) => write!(
                f,
                "consultation {} on this draft has not closed: publish after its window ends",
                ids.join(", ")
            ),
            PublishRefusal::Undisposed { first, total } => write!(
                f,
                "{total} comment(s) have no disposition yet ({}{}): give each a disposition first",
                first.join(", "),
                if *total > first.len() { ", …" } else { "" }
            ),
        }
    }
}

/// How many undisposed ids a refusal names.
const NAMED: usize = 5;

/// Whether a draft may be published: every consultation on it closed
/// (`open` lists those that are not), every comment received disposed
/// (`undisposed` lists those that are not, in order).
pub fn check_publication(open: &[String], undisposed: &[String]) -> Result<(), PublishRefusal> {
    if !open.is_empty() {
        return Err(PublishRefusal::Open(open.to_vec()));
    }
    if !undisposed.is_empty() {
        return Err(PublishRefusal::Undisposed {
            first: undisposed.iter().take(NAMED).cloned().collect(),
            total: undisposed.len(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_read_both_ways() {
        for d in DispositionKind::ALL {
            assert_eq!(DispositionKind::parse(d.as_str()), Some(d));
            assert_eq!(DispositionKind::parse(d.japanese()), Some(d));
        }
        assert_eq!(DispositionKind::parse("採用"), None);
    }

    #[test]
    fn a_reason_is_required_and_checked() {
        use DispositionKind::*;
        assert!(check_disposition(NotReflected, "  \n ").is_err());
        assert!(check_disposition(Reflected, "a\u{7}b").is_err());
        assert!(check_disposition(Reflected, &"あ".repeat(MAX_REASON_CHARS + 1)).is_err());
        let d = check_disposition(Reflected, " 御意見を踏まえ修正します。\r\n").unwrap();
        assert_eq!(d.reason, "御意見を踏まえ修正します。");
    }

    #[test]
    fn publication_waits_for_the_window_and_every_disposition() {
        assert!(check_publication(&[], &[]).is_ok());
        let open = check_publication(&["R8-1".into()], &[]).unwrap_err();
        assert!(open.to_string().contains("R8-1"));
        let ids: Vec<String> = (1..=7).map(|n| format!("R8-1-{n:04}")).collect();
        let m = check_publication(&[], &ids).unwrap_err().to_string();
        assert!(
            m.starts_with("7 comment(s)") && m.contains("R8-1-0005") && !m.contains("R8-1-0006"),
            "{m}"
        );
    }
}
