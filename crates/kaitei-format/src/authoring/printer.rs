//! Document → authoring-format text.

use kaitei_model::law::supplementary_title;
use kaitei_model::{Conflict, Contents, Document, LabelContext, Node, NodeKind, split_label};

use crate::attributes::{format_attributes, split_attributes};
use crate::front_matter;
use crate::structure::law::{LawHeading, bullet, caption_phrase, is_contents_marker};

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
        || bullet(p).is_some()
        || is_contents_marker(p)
        || supplementary_title(p).is_some()
}

/// Where to break the first paragraph of a clause, which is printed on the
/// clause's label line, when its end would be read as that line's attribute
/// block (`… {#key}`): `None` when it would not (or when no break is safe).
///
/// Such text can only have been read from a later line of the paragraph
/// (the reader takes attributes from the first line alone), so it is put
/// back on a line of its own: the label line ends at the returned byte
/// offset and the rest follows on the next line, which the reader joins
/// without a space. The break must leave no white space at either side
/// (lines are trimmed), and the next line must not begin like a label,
/// heading, quote or escape.
fn attribute_like_break(first: &str) -> Option<usize> {
    if split_attributes(first).1 == Ok(None) {
        return None;
    }
    let open = first.rfind('{')?;
    let safe = |p: usize| {
        let (line, next) = first.split_at(p);
        !next.starts_with(char::is_whitespace)
            && !needs_escape(next)
            && (p == 0
                || (!line.ends_with(char::is_whitespace) && split_attributes(line).1 == Ok(None)))
    };
    // Try the last few places before the block (a short, bounded search),
    // then the label line alone.
    first[..=open]
        .char_indices()
        .rev()
        .map(|(i, _)| i)
        .take(64)
        .chain([0])
        .find(|&p| safe(p))
}

/// Writes text. `<!--` in text would open an HTML comment, so it is written
/// `<!<!---->--`: the empty comment in the middle is dropped and what is
/// left around it reads back as `<!--` (such text comes from Word, or from
/// lines the reader joined: `a<!-` then `-b`).
fn push_text(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(at) = rest.find("<!--") {
        out.push_str(&rest[..at]);
        out.push_str("<!<!---->--");
        rest = &rest[at + 4..];
    }
    out.push_str(rest);
}

fn paragraph(out: &mut String, p: &str) {
    paragraph_escaped(out, p, false);
}

/// Writes a paragraph, escaped when it would be misread or when `force`.
fn paragraph_escaped(out: &mut String, p: &str, force: bool) {
    if force || needs_escape(p) {
        out.push('\\');
    }
    push_text(out, p);
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

/// A heading as the plain paragraph that reads back as the same law-style
/// heading (`第1章 総則`, `附則`), if it is one.
fn plain_law_heading(n: &Node) -> Option<String> {
    let line = [n.label.as_ref().map(|l| l.written()), n.title.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let read = crate::structure::law::law_heading(&line)?;
    let same = match (&read, &n.label) {
        (LawHeading::Labelled { label, title, .. }, Some(l)) => {
            label.written() == l.written()
                && (title.is_empty() && n.title.is_none()
                    || Some(title.as_str()) == n.title.as_deref())
        }
        (LawHeading::Supplementary { title }, None) => Some(title.as_str()) == n.title.as_deref(),
        _ => false,
    };
    same.then_some(line)
}

fn node(out: &mut String, n: &Node, heading_level: usize, opts: PrintOptions) {
    let key = (n.key_pinned || opts.all_keys).then_some(&n.key);
    let attrs = format_attributes(key, n.from.as_ref(), n.status);
    // `第1条 対象範囲` followed by a plain paragraph (or by a 項 1) would
    // read back with the phrase as the caption: such an article's label
    // line is written alone and its phrase as an escaped paragraph.
    let phrase_first = n.kind == NodeKind::Article
        && n.title.is_none()
        && n.paragraphs.first().is_some_and(|p| caption_phrase(p))
        && (n.paragraphs.len() > 1
            || n.children.first().is_some_and(|c| {
                c.kind == NodeKind::Paragraph && c.label.as_ref().is_some_and(|l| l.value() == [1])
            }));
    let mut paragraphs = n.paragraphs.iter();
    let mut escaped_first = None;
    if phrase_first {
        escaped_first = paragraphs.next();
    }
    let mut child_level = heading_level;
    // Deeper than `######`: a law-style heading (`第1章 総則`, `附則`) read
    // from a plain paragraph under six levels of `#` headings is written as
    // it was read, a plain paragraph, which is placed by its rank again (a
    // seventh `#` would make it a sibling of its parent).
    let plain = (n.kind == NodeKind::Heading && heading_level >= 6)
        .then(|| plain_law_heading(n))
        .flatten();
    match n.kind {
        NodeKind::Heading if plain.is_some() => {
            push_text(out, plain.as_deref().unwrap_or_default());
            out.push_str(&attrs);
            out.push_str("\n\n");
        }
        NodeKind::Heading => {
            let level = (heading_level + 1).min(6);
            child_level = level;
            out.push_str(&"#".repeat(level));
            for part in [n.label.as_ref().map(|l| l.written()), n.title.as_deref()]
                .into_iter()
                .flatten()
            {
                out.push(' ');
                push_text(out, part);
            }
            out.push_str(&attrs);
            out.push_str("\n\n");
        }
        NodeKind::Article | NodeKind::Paragraph | NodeKind::Item => {
            // An article's caption; a 附則's 項 may have one too.
            if let (NodeKind::Article | NodeKind::Paragraph, Some(t)) = (n.kind, &n.title) {
                out.push('（');
                push_text(out, t);
                out.push_str("）\n");
            }
            // An item without a label is a `・` bullet, written close to
            // its text.
            let separator = match &n.label {
                Some(l) => {
                    out.push_str(l.written());
                    " "
                }
                None => {
                    out.push('・');
                    ""
                }
            };
            if let Some(first) = (!phrase_first).then(|| paragraphs.next()).flatten() {
                match attrs
                    .is_empty()
                    .then(|| attribute_like_break(first))
                    .flatten()
                {
                    Some(at) => {
                        if at > 0 {
                            out.push_str(separator);
                            push_text(out, &first[..at]);
                        }
                        out.push('\n');
                        push_text(out, &first[at..]);
                    }
                    // No line break keeps the block off the label line
                    // (`②` then `1 {#}`, which would read as a 項): the
                    // label (or `・`) line alone, then the text as an
                    // escaped paragraph (found by fuzzing).
                    None if attrs.is_empty() && split_attributes(first).1 != Ok(None) => {
                        escaped_first = Some(first);
                    }
                    None => {
                        out.push_str(separator);
                        push_text(out, first);
                    }
                }
            }
            out.push_str(&attrs);
            out.push_str("\n\n");
        }
    }
    if let Some(p) = escaped_first {
        paragraph_escaped(out, p, true);
    }
    for p in paragraphs {
        paragraph(out, p);
    }
    for c in &n.conflicts {
        conflict(out, c);
    }
    if !n.commentary.is_empty() {
        for (i, c) in n.commentary.iter().enumerate() {
            if i > 0 {
                out.push_str(">\n");
            }
            out.push_str("> ");
            push_text(out, c);
            out.push('\n');
        }
        out.push('\n');
    }
    for c in &n.children {
        node(out, c, child_level, opts);
    }
}

/// Writes a table of contents (目次): `目次`, then one entry per line,
/// `第2章 組織体制（第7条―第13条）`.
fn contents(out: &mut String, c: &Contents) {
    out.push_str("目次\n\n");
    let mut first: Option<&kaitei_model::Label> = None;
    for e in &c.entries {
        // The reader ends a 目次 where the first entry's label comes again
        // (the body's first heading): a document with two such headings
        // lists the first only.
        if first.is_some() && e.label.as_ref() == first {
            break;
        }
        let start = out.len();
        match &e.label {
            Some(l) => {
                out.push_str(l.written());
                if !e.title.is_empty() {
                    out.push(' ');
                    push_text(out, &e.title);
                }
            }
            None => push_text(out, &e.title),
        }
        match &e.articles {
            Some(r) if r.first == r.last => {
                out.push_str(&format!("（{}）", r.first));
            }
            Some(r) if e.article_count == 2 => {
                out.push_str(&format!("（{}・{}）", r.first, r.last));
            }
            Some(r) => out.push_str(&format!("（{}―{}）", r.first, r.last)),
            None => {}
        }
        // A heading whose title holds a sentence would not read back as an
        // entry (and end the 目次 early): it is left out.
        if !crate::structure::is_contents_entry(&out[start..]) {
            out.truncate(start);
            continue;
        }
        if first.is_none() {
            first = e.label.as_ref();
        }
        out.push_str("\n\n");
    }
}

/// Writes a document in the authoring format.
pub fn print(doc: &Document, opts: PrintOptions) -> String {
    let mut out = front_matter::write(&doc.meta);
    out.push('\n');
    for p in &doc.preamble {
        paragraph(&mut out, p);
    }
    if doc.meta.contents {
        contents(&mut out, &Contents::of(doc));
    }
    for n in &doc.children {
        node(&mut out, n, 0, opts);
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}
