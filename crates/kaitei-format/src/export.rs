//! The JSON export of a document (`kaitei export --format json`).
//!
//! The schema is a contract, documented in `docs/export-json.md`; these
//! types exist only to write it, so the model stays free of serde.

use kaitei_model::{Contents, Document, Node};
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
    number: Option<&'a str>,
    amendments: Vec<ExportAmendment<'a>>,
    contents: Option<Vec<ExportEntry>>,
}

#[derive(Serialize)]
struct ExportAmendment<'a> {
    date: String,
    number: &'a str,
}

#[derive(Serialize)]
struct ExportEntry {
    depth: usize,
    label: Option<String>,
    title: String,
    articles: Option<[String; 2]>,
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
            number: m.number.as_deref(),
            amendments: m
                .amendments
                .iter()
                .map(|a| ExportAmendment {
                    date: a.date.to_string(),
                    number: &a.number,
                })
                .collect(),
            contents: m.contents.then(|| {
                Contents::of(doc)
                    .entries
                    .into_iter()
                    .map(|e| ExportEntry {
                        depth: e.depth,
                        label: e.label.map(|l| l.written().to_string()),
                        title: e.title,
                        articles: e
                            .articles
                            .map(|r| [r.first.written().to_string(), r.last.written().to_string()]),
                    })
                    .collect()
            }),
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
        assert_eq!(v["meta"]["number"], serde_json::Value::Null);
        assert_eq!(v["meta"]["contents"], serde_json::Value::Null);
    }

    #[test]
    fn a_regulation_s_number_amendments_and_contents() {
        let doc = parse("---\nkind: guideline\ntitle: t\nedition: e\nnumber: 訓令第3号\namendments: [{date: 2023-03-31, number: 訓令第1号}]\n---\n目次\n\n第1章 総則（第1条）\n\n附則\n\n第1章 総則\n\n第1条 本文\n\n第2条 本文\n\n附則\n\nこの訓令は、公布の日から施行する。\n").document;
        let v: serde_json::Value = serde_json::from_str(&to_json(&doc)).unwrap();
        assert_eq!(v["meta"]["number"], "訓令第3号");
        assert_eq!(
            v["meta"]["amendments"],
            serde_json::json!([{"date": "2023-03-31", "number": "訓令第1号"}])
        );
        // Made from the body, not copied from the file's 目次.
        assert_eq!(
            v["meta"]["contents"],
            serde_json::json!([
                {"depth": 0, "label": "第1章", "title": "総則", "articles": ["第1条", "第2条"]},
                {"depth": 0, "label": null, "title": "附則", "articles": null}
            ])
        );
    }
}
