//! `kaitei diff --format json`, exactly the schema of `CONTRACTS.md`.

use kaitei_compare::FlatDoc;
use kaitei_compare::table::{Comparison, Field, field_text};
use serde::Serialize;

#[derive(Serialize)]
struct DocInfo<'a> {
    title: &'a str,
    edition: &'a str,
}

#[derive(Serialize)]
struct NodeOut<'a> {
    key: &'a str,
    path: &'a [&'a str],
    label: Option<&'a str>,
    title: Option<&'a str>,
    text: String,
    commentary: String,
}

#[derive(Serialize)]
struct SpanOut {
    side: &'static str,
    field: &'static str,
    start: usize,
    end: usize,
}

#[derive(Serialize)]
struct RowOut<'a> {
    kind: &'static str,
    moved: bool,
    renumbered: bool,
    changed_fields: Vec<&'static str>,
    old: Option<NodeOut<'a>>,
    new: Option<NodeOut<'a>>,
    spans: Vec<SpanOut>,
    /// The consultation comments behind the change (published editions).
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    comments: &'a [String],
}

#[derive(Serialize)]
struct DiffOut<'a> {
    old: DocInfo<'a>,
    new: DocInfo<'a>,
    rows: Vec<RowOut<'a>>,
}

fn node<'a>(doc: &'a FlatDoc, i: usize) -> NodeOut<'a> {
    let flat = &doc.nodes[i];
    NodeOut {
        key: flat.node.key.as_str(),
        path: &flat.path,
        label: flat.node.label.as_ref().map(|l| l.written()),
        title: flat.node.title.as_deref(),
        text: field_text(doc, i, Field::Text),
        commentary: field_text(doc, i, Field::Commentary),
    }
}

/// Writes the comparison as JSON (compact: it is for programs).
pub fn to_json(cmp: &Comparison) -> String {
    to_json_cited(cmp, &super::Citations::new())
}

/// [`to_json`], each changed row with the ids of the consultation comments
/// behind it (`comments`, left out when there are none).
pub fn to_json_cited(cmp: &Comparison, citations: &super::Citations) -> String {
    let mut out = Vec::new();
    // Writing to memory cannot fail, and serde_json writes UTF-8.
    let _ = write_json_cited(cmp, citations, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Streams the comparison as JSON to `w` (a 3,000-clause table is several
/// megabytes: better not held twice).
pub fn write_json(cmp: &Comparison, w: impl std::io::Write) -> std::io::Result<()> {
    write_json_cited(cmp, &super::Citations::new(), w)
}

/// [`write_json`] with the comments behind each changed row.
pub fn write_json_cited(
    cmp: &Comparison,
    citations: &super::Citations,
    w: impl std::io::Write,
) -> std::io::Result<()> {
    const NONE: &[String] = &[];
    let cited = |r: &kaitei_compare::Row| -> &[String] {
        let quiet = r.kind == kaitei_compare::RowKind::Unchanged && !r.moved && !r.renumbered;
        match r.new {
            Some(n) if !quiet => citations
                .get(cmp.new.nodes[n].node.key.as_str())
                .map_or(NONE, Vec::as_slice),
            _ => NONE,
        }
    };
    let out = DiffOut {
        old: DocInfo {
            title: &cmp.old.doc.meta.title,
            edition: &cmp.old.doc.meta.edition,
        },
        new: DocInfo {
            title: &cmp.new.doc.meta.title,
            edition: &cmp.new.doc.meta.edition,
        },
        rows: cmp
            .rows
            .iter()
            .map(|r| RowOut {
                kind: r.kind.as_str(),
                moved: r.moved,
                renumbered: r.renumbered,
                changed_fields: r.changed_fields.iter().map(|f| f.as_str()).collect(),
                old: r.old.map(|o| node(&cmp.old, o)),
                new: r.new.map(|n| node(&cmp.new, n)),
                spans: r
                    .spans
                    .iter()
                    .map(|s| SpanOut {
                        side: s.side.as_str(),
                        field: s.field.as_str(),
                        start: s.run.start,
                        end: s.run.end,
                    })
                    .collect(),
                comments: cited(r),
            })
            .collect(),
    };
    let mut w = w;
    serde_json::to_writer(&mut w, &out).map_err(std::io::Error::from)?;
    w.write_all(b"\n")
}
