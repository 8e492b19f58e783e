//! The JSON export of a document (`kaitei export --format json`).
//!
//! The schema is a contract, documented in `docs/export-json.md`; these
//! types exist only to write it, so the model stays free of serde.

use kaitei_model::{Document, Node};
use serde::Serialize;

/// The schema's name and version, written as `"schema"`.
pub const SCHEMA: &str = "kaitei-document/1";

#[derive(Serialize)]
struct ExportDocument<'a> {
    schema: &'static str,
    meta: ExportMeta<'a>,
    preamble: &'a [String],
    nodes: Vec<ExportNode<'a>>,
}

#[derive(Serialize)]
struct ExportMeta<'a> {
    kind: &'static str,
    title: &'a str,
    edition: &'a str,
    published: Option<String>,
    body: Option<String>,
    derived_from: Option<&'a str>,
    omitted: Vec<ExportOmission<'a>>,
}

#[derive(Serialize)]
struct ExportOmission<'a> {
    from: &'a str,
    reason: &'a str,
}

#[derive(Serialize)]
struct ExportNode<'a> {
    key: &'a str,
    kind: &'static str,
    label: Option<&'a str>,
    label_style: Option<&'static str>,
    label_value: Option<&'a [u32]>,
    path: Vec<String>,
    title: Option<&'a str>,
    text: String,
    commentary: String,
    placeholders: Vec<String>,
    from: Option<&'a str>,
    status: Option<&'static str>,
    children: Vec<ExportNode<'a>>,
}

fn node<'a>(n: &'a Node, parent_path: &[String]) -> ExportNode<'a> {
    let mut path = parent_path.to_vec();
    path.push(n.path_segment().to_string());
    let children = n.children.iter().map(|c| node(c, &path)).collect();
    ExportNode {
        key: n.key.as_str(),
        kind: n.kind.as_str(),
        label: n.label.as_ref().map(|l| l.written()),
        label_style: n.label.as_ref().map(|l| l.style().name()),
        label_value: n.label.as_ref().map(|l| l.value()),
        path,
        title: n.title.as_deref(),
        text: n.text(),
        commentary: n.commentary_text(),
        placeholders: n.placeholders(),
        from: n.from.as_ref().map(|k| k.as_str()),
        status: n.status.map(|s| s.as_str()),
        children,
    }
}

/// Writes `doc` as pretty-printed JSON.
pub fn to_json(doc: &Document) -> String {
    let m = &doc.meta;
    let export = ExportDocument {
        schema: SCHEMA,
        meta: ExportMeta {
            kind: m.kind.as_str(),
            title: &m.title,
            edition: &m.edition,
            published: m.published.map(|d| d.to_string()),
            body: m.body.map(|b| b.to_string()),
            derived_from: m.derived_from.as_deref(),
            omitted: m
                .omitted
                .iter()
                .map(|o| ExportOmission {
                    from: o.from.as_str(),
                    reason: &o.reason,
                })
                .collect(),
        },
        preamble: &doc.preamble,
        nodes: doc.children.iter().map(|n| node(n, &[])).collect(),
    };
    // Serialising these plain structs cannot fail.
    serde_json::to_string_pretty(&export).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authoring::parse;

    #[test]
    fn nodes_carry_key_label_path_and_children() {
        let doc = parse("---\nkind: guideline\ntitle: t\nedition: e\n---\n# 第2編 例文 {#p2}\n## 4.1. サーバ\n(1) {{団体名}}の機器 {#s1 from=g1 status=adopted}\n> 解説\n").document;
        let v: serde_json::Value = serde_json::from_str(&to_json(&doc)).unwrap();
        assert_eq!(v["schema"], SCHEMA);
        let item = &v["nodes"][0]["children"][0]["children"][0];
        assert_eq!(item["key"], "s1");
        assert_eq!(item["label"], "(1)");
        assert_eq!(item["label_style"], "paren-arabic");
        assert_eq!(item["path"], serde_json::json!(["第2編", "4.1.", "(1)"]));
        assert_eq!(item["text"], "{{団体名}}の機器");
        assert_eq!(item["commentary"], "解説");
        assert_eq!(item["placeholders"], serde_json::json!(["団体名"]));
        assert_eq!(item["status"], "adopted");
        assert_eq!(v["nodes"][0]["title"], "例文");
    }
}
