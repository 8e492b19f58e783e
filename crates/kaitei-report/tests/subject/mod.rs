//! The small subject both template tests write and read back: its
//! clauses, a template of them, and their texts as a reader looks them up.

#![allow(dead_code, reason = "each test file uses part of it")]

use std::collections::HashMap;

use kaitei_model::consultation::ConsultationId;
use kaitei_report::consultation_template::{PrefilledComment, TemplateRow, TemplateSpec};

/// The clauses of a small subject: key, label path, text.
pub const CLAUSES: [(&str, &str, &str); 4] = [
    (
        "g1-1-1",
        "第1編 / 1. / (1)",
        "情報セキュリティ対策の基本的な考え方について定める。",
    ),
    (
        "g1-1-2",
        "第1編 / 1. / (2)",
        "地方公共団体は、情報資産を重要性に応じて分類し、\n分類に応じた管理を行わなければならない。",
    ),
    (
        "g1-2",
        "第1編 / 2.",
        "職員等は、外部記録媒体を用いたデータの授受を原則として行ってはならない。",
    ),
    (
        "g2-1",
        "第2編 / 1.",
        "機器を廃棄する場合は、データを復元できないよう消去しなければならない。",
    ),
];

pub fn spec(rows: Vec<TemplateRow>) -> TemplateSpec {
    TemplateSpec {
        consultation: ConsultationId::parse("R7-1").expect("an id"),
        consultation_title: "ガイドライン改定案に対する意見照会".to_string(),
        subject_name: "地方公共団体における情報セキュリティポリシーに関するガイドライン"
            .to_string(),
        subject_version: "改定案 第12版".to_string(),
        closes: "令和7年12月19日（金）17時00分".to_string(),
        body_code: "012033".to_string(),
        body_name: "小樽市".to_string(),
        rows,
        no_comment: false,
    }
}

pub fn rows(comments: &[(usize, PrefilledComment)]) -> Vec<TemplateRow> {
    CLAUSES
        .iter()
        .enumerate()
        .map(|(i, &(key, path, text))| TemplateRow {
            key: key.to_string(),
            label_path: path.to_string(),
            text: text.to_string(),
            comments: comments
                .iter()
                .filter(|(c, _)| *c == i)
                .map(|(_, p)| p.clone())
                .collect(),
        })
        .collect()
}

/// The clause texts of `spec`, as the caller of the reader looks them up.
pub fn texts(spec: &TemplateSpec) -> HashMap<String, String> {
    spec.rows
        .iter()
        .map(|r| (r.key.clone(), r.text.clone()))
        .collect()
}
