//! Document → authoring-format text.

use kaitei_model::{Conflict, Document, LabelContext, Node, NodeKind, split_label};

use crate::attributes::format_attributes;
use crate::front_matter;

/// Choices the printer leaves to the caller.
#[derive(Debug, Clone, Copy, Default)]
pub struct PrintOptions {
    /// Write every node's key (`{#key}`), not only pinned ones: for exports
    /// that must re-import with the same keys.
    pub all_keys: bool,
}

/// Whether a stand-alone paragraph would be misread unless escaped with `\`.
fn needs_escape(p: &str) -> bool {
    p.starts_with(['#', '>', '\\'])
        || p.starts_with("<<<<<<<")
        || split_label(p, LabelContext::InArticle).is_some()
        || split_label(p, LabelContext::Item).is_some()
        || (p.starts_with(['(', '（']) && p.ends_with([')', '）']))
}

fn paragraph(out: &mut String, p: &str) {
    if needs_escape(p) {
        out.push('\\');
    }
    out.push_str(p);
    out.push_str("\n\n");
}

fn conflict(out: &mut String, c: &Conflict) {
    let marker = |out: &mut String, m: &str, name: &str| {
        out.push_str(m);
        if !name.is_empty() {
            out.push(' ');
            out.push_str(name);
        }
        out.push('\n');
    };
    marker(out, "<<<<<<<", &c.ours_name);
    for l in &c.ours {
        out.push_str(l);
        out.push('\n');
    }
    if let Some((name, base)) = &c.base {
        marker(out, "|||||||", name);
        for l in base {
            out.push_str(l);
            out.push('\n');
        }
    }
    out.push_str("=======\n");
    for l in &c.theirs {
        out.push_str(l);
        out.push('\n');
    }
    marker(out, ">>>>>>>", &c.theirs_name);
    out.push('\n');
}

fn node(out: &mut String, n: &Node, heading_level: usize, opts: PrintOptions) {
    let key = (n.key_pinned || opts.all_keys).then_some(&n.key);
    let attrs = format_attributes(key, n.from.as_ref(), n.status);
    let mut paragraphs = n.paragraphs.iter();
    let mut child_level = heading_level;
    match n.kind {
        NodeKind::Heading => {
            let level = (heading_level + 1).min(6);
            child_level = level;
            out.push_str(&"#".repeat(level));
            for part in [n.label.as_ref().map(|l| l.written()), n.title.as_deref()]
                .into_iter()
                .flatten()
            {
                out.push(' ');
                out.push_str(part);
            }
            out.push_str(&attrs);
            out.push_str("\n\n");
        }
        NodeKind::Article | NodeKind::Paragraph | NodeKind::Item => {
            if let (NodeKind::Article, Some(t)) = (n.kind, &n.title) {
                out.push('（');
                out.push_str(t);
                out.push_str("）\n");
            }
            if let Some(l) = &n.label {
                out.push_str(l.written());
            }
            if let Some(first) = paragraphs.next() {
                out.push(' ');
                out.push_str(first);
            }
            out.push_str(&attrs);
            out.push_str("\n\n");
        }
    }
    for p in paragraphs {
        paragraph(out, p);
    }
    for c in &n.conflicts {
        conflict(out, c);
    }
    if !n.commentary.is_empty() {
        let quoted: Vec<String> = n.commentary.iter().map(|c| format!("> {c}\n")).collect();
        out.push_str(&quoted.join(">\n"));
        out.push('\n');
    }
    for c in &n.children {
        node(out, c, child_level, opts);
    }
}

/// Writes a document in the authoring format.
pub fn print(doc: &Document, opts: PrintOptions) -> String {
    let mut out = front_matter::write(&doc.meta);
    out.push('\n');
    for p in &doc.preamble {
        paragraph(&mut out, p);
    }
    for n in &doc.children {
        node(&mut out, n, 0, opts);
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}
