//! The audit trail as CSV, for the ministry's administrator: UTF-8 with a
//! byte-order mark (so that Excel reads the Japanese right), one event per
//! row, RFC 4180 quoting (`csv_text.rs`).

use kaitei_model::audit::{AuditEvent, action_ja};
use kaitei_model::{BodyCode, registry};

use crate::csv_text::row;

/// The header row.
const HEADER: [&str; 11] = [
    "番号",
    "日時",
    "操作者",
    "操作",
    "操作（説明）",
    "団体コード",
    "団体名",
    "対象",
    "変更前SHA-256",
    "変更後SHA-256",
    "ハッシュ",
];

/// `events` as a CSV file.
pub fn csv(events: &[AuditEvent]) -> Vec<u8> {
    let mut out = String::from(crate::csv_text::BOM);
    row(&mut out, HEADER.iter().copied());
    for e in events {
        let body_name = e
            .body
            .as_deref()
            .and_then(|c| BodyCode::parse(c).ok())
            .and_then(|c| registry().get(c))
            .map_or("", |b| b.name.as_str());
        let seq = e
            .seq
            .map_or_else(|| "未連結".to_string(), |s| s.to_string());
        let at = e.at.to_string();
        row(
            &mut out,
            [
                seq.as_str(),
                at.as_str(),
                e.actor.as_str(),
                e.action.as_str(),
                action_ja(&e.action),
                e.body.as_deref().unwrap_or(""),
                body_name,
                e.subject.as_str(),
                e.before.as_deref().unwrap_or(""),
                e.after.as_deref().unwrap_or(""),
                e.hash.as_deref().unwrap_or(""),
            ]
            .into_iter(),
        );
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use kaitei_model::JstTime;

    fn event(subject: &str) -> AuditEvent {
        AuditEvent {
            seq: Some(7),
            at: JstTime::parse("2026-01-13T10:00:00+09:00").unwrap(),
            actor: "user:shiwa".into(),
            action: "clause.edit".into(),
            body: Some("033219".into()),
            subject: subject.into(),
            before: Some("ab".into()),
            after: None,
            hash: Some("cd".into()),
        }
    }

    #[test]
    fn rows_are_quoted_and_named_in_japanese() {
        let text = String::from_utf8(csv(&[event("policy 令和7年度版 \"c1\", 第2条")])).unwrap();
        let mut lines = text.split("\r\n");
        assert!(
            lines
                .next()
                .unwrap()
                .starts_with("\u{feff}番号,日時,操作者")
        );
        assert_eq!(
            lines.next().unwrap(),
            "7,2026-01-13T10:00:00+09:00,user:shiwa,clause.edit,条項の編集,033219,紫波町,\"policy 令和7年度版 \"\"c1\"\", 第2条\",ab,,cd"
        );
    }

    #[test]
    fn a_formula_is_never_exported_as_one() {
        let text = String::from_utf8(csv(&[event("=HYPERLINK(\"x\")")])).unwrap();
        assert!(text.contains(",\"'=HYPERLINK(\"\"x\"\")\","), "{text}");
    }
}
