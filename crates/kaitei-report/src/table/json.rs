//! `kaitei diff --format json`, exactly the schema of `CONTRACTS.md`.
//!
//! Written by hand rather than through serde's structs: a full-size table
//! is megabytes of clause text, and building a row struct with each
//! node's paragraphs joined into a fresh `String` first took a fifth of
//! the whole `diff`. The bytes are serde_json's compact output, escaping
//! included (`escape_tests` holds the two to each other).

use std::io::{self, Write};

use kaitei_compare::FlatDoc;
use kaitei_compare::table::{Comparison, Row, RowKind};

/// Writes the comparison as JSON (compact: it is for programs).
pub fn to_json(cmp: &Comparison) -> String {
    to_json_cited(cmp, &super::Citations::new())
}

/// [`to_json`], each changed row with the ids of the consultation comments
/// behind it (`comments`, left out when there are none).
pub fn to_json_cited(cmp: &Comparison, citations: &super::Citations) -> String {
    // Only UTF-8 is ever written: the text comes from `&str`s.
    String::from_utf8(to_json_bytes_cited(cmp, citations)).unwrap_or_default()
}

/// [`to_json_cited`] as bytes, as a response body or a file takes them
/// (no second pass to check they are UTF-8).
pub fn to_json_bytes_cited(cmp: &Comparison, citations: &super::Citations) -> Vec<u8> {
    let mut out = Vec::with_capacity(size_hint(cmp));
    // Writing to memory cannot fail.
    let _ = write_json_cited(cmp, citations, &mut out);
    out
}

/// Streams the comparison as JSON to `w` (a 3,000-clause table is several
/// megabytes: better not held twice).
pub fn write_json(cmp: &Comparison, w: impl Write) -> io::Result<()> {
    write_json_cited(cmp, &super::Citations::new(), w)
}

/// [`write_json`] with the comments behind each changed row.
pub fn write_json_cited(
    cmp: &Comparison,
    citations: &super::Citations,
    w: impl Write,
) -> io::Result<()> {
    let mut out = Out::new(w);
    out.raw(b"{\"old\":");
    doc_info(&mut out, &cmp.old);
    out.raw(b",\"new\":");
    doc_info(&mut out, &cmp.new);
    out.raw(b",\"rows\":[");
    for (i, r) in cmp.rows.iter().enumerate() {
        if i > 0 {
            out.raw(b",");
        }
        row(&mut out, cmp, r, cited(cmp, citations, r))?;
    }
    out.raw(b"]}\n");
    out.finish()
}

/// The comments a row cites: none for a row where nothing happened.
fn cited<'a>(cmp: &Comparison, citations: &'a super::Citations, r: &Row) -> &'a [String] {
    let quiet = r.kind == RowKind::Unchanged && !r.moved && !r.renumbered;
    match r.new {
        Some(n) if !quiet => citations
            .get(cmp.new.nodes[n].node.key.as_str())
            .map_or(&[], Vec::as_slice),
        _ => &[],
    }
}

/// Bytes the JSON of `cmp` will about take: every node's text, once per
/// row that shows it, and some for the keys and punctuation.
fn size_hint(cmp: &Comparison) -> usize {
    let node_bytes = |doc: &FlatDoc, i: usize| {
        let n = doc.nodes[i].node;
        let text: usize = n
            .paragraphs
            .iter()
            .chain(&n.commentary)
            .map(String::len)
            .sum();
        text + n.title.as_ref().map_or(0, String::len) + 200
    };
    cmp.rows
        .iter()
        .map(|r| {
            r.old.map_or(0, |o| node_bytes(&cmp.old, o))
                + r.new.map_or(0, |n| node_bytes(&cmp.new, n))
                + 100
                + 50 * r.spans.len()
        })
        .sum()
}

fn doc_info(out: &mut Out<impl Write>, doc: &FlatDoc) {
    out.raw(b"{\"title\":");
    out.string(&doc.doc.meta.title);
    out.raw(b",\"edition\":");
    out.string(&doc.doc.meta.edition);
    out.raw(b"}");
}

fn row(
    out: &mut Out<impl Write>,
    cmp: &Comparison,
    r: &Row,
    comments: &[String],
) -> io::Result<()> {
    out.raw(b"{\"kind\":\"");
    out.raw(r.kind.as_str().as_bytes());
    out.raw(b"\",\"moved\":");
    out.raw(bool_str(r.moved));
    out.raw(b",\"renumbered\":");
    out.raw(bool_str(r.renumbered));
    out.raw(b",\"changed_fields\":[");
    for (i, f) in r.changed_fields.iter().enumerate() {
        out.raw(if i > 0 { b",\"" } else { b"\"" });
        out.raw(f.as_str().as_bytes());
        out.raw(b"\"");
    }
    out.raw(b"],\"old\":");
    node(out, &cmp.old, r.old);
    out.raw(b",\"new\":");
    node(out, &cmp.new, r.new);
    out.raw(b",\"spans\":[");
    for (i, s) in r.spans.iter().enumerate() {
        out.raw(if i > 0 {
            b",{\"side\":\""
        } else {
            b"{\"side\":\""
        });
        out.raw(s.side.as_str().as_bytes());
        out.raw(b"\",\"field\":\"");
        out.raw(s.field.as_str().as_bytes());
        out.raw(b"\",\"start\":");
        out.number(s.run.start);
        out.raw(b",\"end\":");
        out.number(s.run.end);
        out.raw(b"}");
    }
    out.raw(b"]");
    if !comments.is_empty() {
        out.raw(b",\"comments\":[");
        for (i, c) in comments.iter().enumerate() {
            if i > 0 {
                out.raw(b",");
            }
            out.string(c);
        }
        out.raw(b"]");
    }
    out.raw(b"}");
    out.spill()
}

fn bool_str(b: bool) -> &'static [u8] {
    if b { b"true" } else { b"false" }
}

/// A node as the contract has it, or `null`.
fn node(out: &mut Out<impl Write>, doc: &FlatDoc, i: Option<usize>) {
    let Some(i) = i else {
        out.raw(b"null");
        return;
    };
    let flat = &doc.nodes[i];
    let n = flat.node;
    out.raw(b"{\"key\":");
    out.string(n.key.as_str());
    out.raw(b",\"path\":[");
    path(out, doc, i);
    out.raw(b"],\"label\":");
    match &n.label {
        Some(l) => out.string(l.written()),
        None => out.raw(b"null"),
    }
    out.raw(b",\"title\":");
    match &n.title {
        Some(t) => out.string(t),
        None => out.raw(b"null"),
    }
    // The fields' paragraphs joined by `\n`, as `field_text` has them,
    // written one by one instead of joined first.
    out.raw(b",\"text\":");
    out.joined(&n.paragraphs);
    out.raw(b",\"commentary\":");
    out.joined(&n.commentary);
    out.raw(b"}");
}

/// The path segments of node `i`, from the top down, comma-separated.
fn path(out: &mut Out<impl Write>, doc: &FlatDoc, i: usize) {
    let flat = &doc.nodes[i];
    if let Some(p) = flat.parent {
        path(out, doc, p);
        out.raw(b",");
    }
    out.string(flat.node.path_segment());
}

/// A buffer in front of the writer: most pieces are a few bytes, and one
/// `Vec` push is cheaper than a call through `Write`.
struct Out<W: Write> {
    buf: Vec<u8>,
    w: W,
}

/// How much is gathered before it goes to the writer.
const SPILL_AT: usize = 1 << 16;

impl<W: Write> Out<W> {
    fn new(w: W) -> Out<W> {
        Out {
            buf: Vec::with_capacity(SPILL_AT + (SPILL_AT >> 2)),
            w,
        }
    }

    fn raw(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    fn number(&mut self, n: usize) {
        // Offsets into one clause's text: a few digits.
        let mut digits = [0u8; 20];
        let mut at = digits.len();
        let mut n = n;
        loop {
            at -= 1;
            digits[at] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        self.raw(&digits[at..]);
    }

    fn string(&mut self, s: &str) {
        self.buf.push(b'"');
        escape_into(&mut self.buf, s.as_bytes());
        self.buf.push(b'"');
    }

    fn joined(&mut self, parts: &[String]) {
        self.buf.push(b'"');
        for (i, p) in parts.iter().enumerate() {
            if i > 0 {
                self.buf.extend_from_slice(b"\\n");
            }
            escape_into(&mut self.buf, p.as_bytes());
        }
        self.buf.push(b'"');
    }

    /// Hands what was gathered to the writer once there is enough of it.
    fn spill(&mut self) -> io::Result<()> {
        if self.buf.len() >= SPILL_AT {
            self.w.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    fn finish(mut self) -> io::Result<()> {
        self.w.write_all(&self.buf)?;
        self.w.flush()
    }
}

/// Whether JSON escapes byte `b` in a string (serde_json's table: the C0
/// controls, `"` and `\`; nothing else, not even DEL or non-ASCII).
fn needs_escape(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// Appends `s` escaped as serde_json escapes a string's contents.
fn escape_into(out: &mut Vec<u8>, s: &[u8]) {
    // Clause text almost never needs escaping: look at it in blocks,
    // which the compiler vectorises, and copy clean blocks whole.
    const BLOCK: usize = 32;
    let mut start = 0;
    let mut i = 0;
    while i < s.len() {
        let end = (i + BLOCK).min(s.len());
        if s[i..end]
            .iter()
            .fold(false, |acc, &b| acc | needs_escape(b))
        {
            for (j, &b) in s.iter().enumerate().take(end).skip(i) {
                if needs_escape(b) {
                    out.extend_from_slice(&s[start..j]);
                    escape_byte(out, b);
                    start = j + 1;
                }
            }
        }
        i = end;
    }
    out.extend_from_slice(&s[start..]);
}

fn escape_byte(out: &mut Vec<u8>, b: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    match b {
        b'"' => out.extend_from_slice(b"\\\""),
        b'\\' => out.extend_from_slice(b"\\\\"),
        0x08 => out.extend_from_slice(b"\\b"),
        0x09 => out.extend_from_slice(b"\\t"),
        0x0A => out.extend_from_slice(b"\\n"),
        0x0C => out.extend_from_slice(b"\\f"),
        0x0D => out.extend_from_slice(b"\\r"),
        _ => out.extend_from_slice(&[
            b'\\',
            b'u',
            b'0',
            b'0',
            HEX[usize::from(b >> 4)],
            HEX[usize::from(b & 0xF)],
        ]),
    }
}

#[cfg(test)]
mod escape_tests {
    use super::*;

    fn ours(s: &str) -> String {
        let mut out = Vec::new();
        let mut o = Out::new(&mut out);
        o.string(s);
        o.finish().expect("memory");
        String::from_utf8(out).expect("UTF-8")
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        // Every ASCII character alone, before and after a block's edge,
        // and with non-ASCII text around it.
        for c in (0u8..0x80).map(char::from) {
            for pad in [0, 1, 31, 32, 33, 64] {
                let s = format!("{}{c}情報{c}", "あ".repeat(pad));
                let t = format!("{}{c}", "a".repeat(pad));
                for s in [s, t, c.to_string()] {
                    assert_eq!(ours(&s), serde_json::to_string(&s).expect("json"), "{s:?}");
                }
            }
        }
    }

    #[test]
    fn numbers_are_written_in_decimal() {
        for n in [0, 7, 10, 99, 100, 12345, usize::MAX] {
            let mut out = Vec::new();
            let mut o = Out::new(&mut out);
            o.number(n);
            o.finish().expect("memory");
            assert_eq!(out, n.to_string().into_bytes());
        }
    }
}
