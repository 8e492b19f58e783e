//! Mutation robustness of the Word reader: `fixtures/policies/city.docx`
//! (headings, automatic numbering) and `fixtures/regulations/shizukuishi.docx`
//! (plain paragraphs, a table) damaged by seeded mutations, at two depths —
//!
//! - the file's bytes: bits flipped, bytes set, inserted, deleted and
//!   duplicated, the file truncated, and fields of the zip headers (local,
//!   central directory, end of central directory) set to extreme values;
//! - the XML parts inside a well-formed zip (`word/document.xml`,
//!   `word/numbering.xml`, `word/styles.xml`, `docProps/core.xml`,
//!   `docProps/custom.xml`): elements dropped, duplicated (up to hundreds of
//!   times), moved, renamed and nested thousands deep; attribute values
//!   replaced by huge, negative, empty or non-numeric ones
//!   (`w:ilvl w:val="999999"`, `w:start w:val="4294967295"`…) or removed;
//!   crafted numbering, style and property elements inserted; non-UTF-8
//!   bytes, entities and markup debris inserted; parts truncated, emptied
//!   or removed.
//!
//! Each case checks that [`read`] never panics, takes less than
//! [`crate::mutate::MAX_CASE_TIME`] even in a debug build, and, when it
//! refuses the file, says why (a non-empty message, with a non-empty cause
//! for a damaged zip or malformed XML); and that a document it reads
//! without errors prints in the authoring format and reads back the same.
//!
//! `KAITEI_MUTATIONS=20000` runs more cases (see `crate::mutate`).

use std::io::{Cursor, Read, Write};

use zip::write::SimpleFileOptions;

use kaitei_model::{Document, Node};

use super::{DocxError, DocxOptions, read};
use crate::authoring::{PrintOptions, parse, print};
use crate::mutate::{Report, Rng, case_numbers, excerpt, run_case, seed};

/// Cases in the default run of each test.
const DEFAULT_BYTE_CASES: usize = 150;
const DEFAULT_PART_CASES: usize = 150;

fn fixtures() -> Vec<Vec<u8>> {
    ["policies/city.docx", "regulations/shizukuishi.docx"]
        .iter()
        .map(|f| {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../fixtures")
                .join(f);
            std::fs::read(path).expect("fixture")
        })
        .collect()
}

/// The entries of a zip, in order.
fn entries(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("fixture is a zip");
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).expect("entry");
            let mut data = Vec::new();
            f.read_to_end(&mut data).expect("entry data");
            (f.name().to_string(), data)
        })
        .collect()
}

fn zip_of(parts: &[(String, Vec<u8>)], stored: bool) -> Vec<u8> {
    let method = if stored {
        zip::CompressionMethod::Stored
    } else {
        zip::CompressionMethod::Deflated
    };
    let options = SimpleFileOptions::default().compression_method(method);
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, body) in parts {
        out.start_file(name.as_str(), options).expect("start part");
        out.write_all(body).expect("write part");
    }
    out.finish().expect("finish zip").into_inner()
}

/// Reads `bytes`; a refusal must explain itself.
fn check(bytes: Vec<u8>) -> Result<&'static str, String> {
    let options = DocxOptions {
        stem: "city".into(),
        ..DocxOptions::default()
    };
    match read(bytes, &options) {
        Ok(parsed) => {
            if let Some(d) = parsed
                .diagnostics
                .iter()
                .find(|d| d.message.trim().is_empty())
            {
                return Err(format!("a diagnostic that says nothing: {d:?}"));
            }
            if parsed.has_errors() {
                return Ok("read, with errors");
            }
            round_trip(&parsed.document)?;
            Ok("read, round-trips")
        }
        Err(e) => {
            let message = e.to_string();
            let cause_missing = match &e {
                DocxError::Damaged(cause) => cause.trim().is_empty(),
                DocxError::Xml { part, message, .. } => {
                    part.trim().is_empty() || message.trim().is_empty()
                }
                DocxError::Bomb { part, .. } => part.trim().is_empty(),
                _ => false,
            };
            if message.trim().is_empty() || cause_missing {
                return Err(format!("UNCLEAR ERROR: {e:?} → {message:?}"));
            }
            Ok(match e {
                DocxError::TooLarge { .. } => "TooLarge",
                DocxError::Encrypted => "Encrypted",
                DocxError::NotZip => "NotZip",
                DocxError::Damaged(_) => "Damaged",
                DocxError::TooManyEntries(_) => "TooManyEntries",
                DocxError::Bomb { .. } => "Bomb",
                DocxError::NoDocument => "NoDocument",
                DocxError::Xml { .. } => "Xml",
            })
        }
    }
}

/// An error-free document read from Word prints in the authoring format and
/// reads back the same (as `every_fixture_round_trips` checks for the
/// fixture itself). A policy's `body:` is the one error allowed: a `.docx`
/// may leave it to the command line.
fn round_trip(doc: &Document) -> Result<(), String> {
    let printed = print(doc, PrintOptions::default());
    let again = parse(&printed);
    let errors: Vec<String> = again
        .diagnostics
        .iter()
        .filter(|d| d.is_error() && !d.message.contains("needs `body:`"))
        .map(|d| d.to_string())
        .collect();
    if !errors.is_empty() {
        return Err(format!(
            "ROUND TRIP: an error-free document printed as text with errors: {errors:?}"
        ));
    }
    if &again.document != doc {
        let shallow = |n: &Node| {
            let mut n = n.clone();
            n.children.clear();
            n
        };
        let differs = doc
            .nodes()
            .zip(again.document.nodes())
            .find(|(a, b)| shallow(a) != shallow(b))
            .map(|(a, b)| format!("{:?}\nvs {:?}", shallow(a), shallow(b)));
        return Err(format!(
            "ROUND TRIP: print ∘ parse changed the document read from Word ({} nodes, then {}): {}",
            doc.nodes().count(),
            again.document.nodes().count(),
            differs.unwrap_or_else(|| "the front matter, preamble or nesting".into())
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------
// Mutations of the file's bytes

/// Values that break assumptions about sizes, offsets and counts.
const INTERESTING: &[u32] = &[
    0,
    1,
    0x7F,
    0x80,
    0xFF,
    0x100,
    0x7FFF,
    0x8000,
    0xFFFF,
    0x1_0000,
    0x7FFF_FFFF,
    0x8000_0000,
    0xFFFF_FFFE,
    0xFFFF_FFFF,
];

/// Offsets of zip header signatures and the length of each header.
fn headers(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for i in 0..bytes.len().saturating_sub(3) {
        if bytes[i] == b'P' && bytes[i + 1] == b'K' {
            match (bytes[i + 2], bytes[i + 3]) {
                (3, 4) => out.push((i, 30)),
                (1, 2) => out.push((i, 46)),
                (5, 6) => out.push((i, 22)),
                (6, 6) => out.push((i, 56)),
                (6, 7) => out.push((i, 20)),
                _ => {}
            }
        }
    }
    out
}

fn mutate_bytes(rng: &mut Rng, bytes: &mut Vec<u8>) {
    let len = bytes.len();
    if len == 0 {
        bytes.extend_from_slice(b"PK\x03\x04");
        return;
    }
    let at = rng.below(len);
    match rng.below(10) {
        0 => bytes[at] ^= 1 << rng.below(8),
        1 => bytes[at] = rng.next_u64() as u8,
        2 => {
            let n = rng.between(1, 16);
            let junk: Vec<u8> = (0..n).map(|_| rng.next_u64() as u8).collect();
            bytes.splice(at..at, junk);
        }
        3 => {
            let n = rng.between(1, 64).min(len - at);
            bytes.drain(at..at + n);
        }
        4 => bytes.truncate(at),
        5 => {
            let n = rng.between(1, 1024).min(len - at);
            let copy = bytes[at..at + n].to_vec();
            let to = rng.below(len + 1);
            bytes.splice(to..to, copy);
        }
        6..=8 => {
            // A field of a zip header: sizes, offsets, counts, lengths,
            // methods, flags.
            let hs = headers(bytes);
            if hs.is_empty() {
                bytes[at] ^= 0xFF;
                return;
            }
            let &(start, hlen) = rng.pick(&hs);
            let field = start + rng.between(4, hlen - 1);
            let value = if rng.one_in(4) {
                rng.next_u64() as u32
            } else {
                *rng.pick(INTERESTING)
            };
            let width = *rng.pick(&[1usize, 2, 2, 4, 4]);
            for (k, b) in value.to_le_bytes().iter().take(width).enumerate() {
                if let Some(slot) = bytes.get_mut(field + k) {
                    *slot = *b;
                }
            }
        }
        _ => {
            // Another beginning.
            let magic: &[&[u8]] = &[
                b"PK",
                b"PK\x05\x06",
                b"PK\x03\x04\x14\x00\x09\x00",
                &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1],
                b"<?xml",
                b"",
            ];
            let m = rng.pick(magic);
            let n = m.len().min(len);
            bytes[..n].copy_from_slice(&m[..n]);
        }
    }
}

#[test]
fn damaged_docx_bytes_never_panic_and_errors_explain() {
    let originals = fixtures();
    let stored: Vec<Vec<u8>> = originals
        .iter()
        .map(|o| zip_of(&entries(o), true))
        .collect();
    let seed = seed();
    let mut report = Report::default();
    for case in case_numbers(DEFAULT_BYTE_CASES) {
        let mut rng = Rng::for_case(seed, case);
        let which = rng.below(originals.len());
        // A stored (uncompressed) copy puts the XML itself under the flips.
        let mut bytes = if rng.one_in(4) {
            stored[which].clone()
        } else {
            originals[which].clone()
        };
        for _ in 0..rng.small(6) {
            mutate_bytes(&mut rng, &mut bytes);
        }
        let outcome = run_case(|| check(bytes));
        report.record(case, outcome, || {
            format!("(the mutated bytes of fixture {which})")
        });
    }
    report.finish("docx byte mutations");
}

// ---------------------------------------------------------------------
// Mutations of the XML inside

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TagKind {
    Open,
    Close,
    Empty,
    Other,
}

#[derive(Debug, Clone, Copy)]
struct Tag {
    start: usize,
    end: usize,
    kind: TagKind,
    name: (usize, usize),
}

/// The tags of `xml`, found naively (`<` to the next `>`).
fn tags(xml: &[u8]) -> Vec<Tag> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = xml[i..].iter().position(|&b| b == b'<') {
        let start = i + off;
        let Some(len) = xml[start..].iter().position(|&b| b == b'>') else {
            break;
        };
        let end = start + len + 1;
        let body = &xml[start + 1..end - 1];
        let (kind, name_start) = match body.first() {
            Some(b'/') => (TagKind::Close, start + 2),
            Some(b'?' | b'!') => (TagKind::Other, start + 1),
            _ if body.last() == Some(&b'/') => (TagKind::Empty, start + 1),
            _ => (TagKind::Open, start + 1),
        };
        let name_len = xml[name_start..end]
            .iter()
            .position(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>')
            .unwrap_or(0);
        out.push(Tag {
            start,
            end,
            kind,
            name: (name_start, name_start + name_len),
        });
        i = end;
    }
    out
}

/// Element spans (start of the start tag, end of the end tag, and the
/// name's range) of the well-nested part of `xml`.
fn elements(xml: &[u8], tags: &[Tag]) -> Vec<(usize, usize, (usize, usize))> {
    let name = |t: &Tag| &xml[t.name.0..t.name.1];
    let mut out = Vec::new();
    let mut stack: Vec<&Tag> = Vec::new();
    for t in tags {
        match t.kind {
            TagKind::Open => stack.push(t),
            TagKind::Empty => out.push((t.start, t.end, t.name)),
            TagKind::Close => {
                if let Some(pos) = stack.iter().rposition(|o| name(o) == name(t)) {
                    let open = stack[pos];
                    stack.truncate(pos);
                    out.push((open.start, t.end, open.name));
                }
            }
            TagKind::Other => {}
        }
    }
    out
}

/// Values for attributes: out of range, negative, huge, empty, not
/// numbers, number formats, level texts.
fn bad_value(rng: &mut Rng) -> String {
    const VALUES: &[&str] = &[
        "999999",
        "-1",
        "-2147483648",
        "8",
        "9",
        "10",
        "255",
        "256",
        "65535",
        "9999",
        "10000",
        "4000",
        "3999",
        "2147483647",
        "4294967295",
        "4294967296",
        "18446744073709551615",
        "18446744073709551616",
        "999999999999999999999999999999",
        "0",
        "",
        " ",
        "abc",
        "1.5",
        "１",
        "0x10",
        "+1",
        "%",
        "%0",
        "%10",
        "%1%2%3%4%5%6%7%8%9",
        "第%1条",
        "(%1)",
        "%1.%2.%3.",
        "&amp;",
        "&#0;",
        "&#x110000;",
        "&bogus;",
        "&",
        "decimal",
        "bullet",
        "none",
        "upperRoman",
        "lowerRoman",
        "japaneseCounting",
        "chineseCountingThousand",
        "ideographDigital",
        "decimalEnclosedCircle",
        "decimalEnclosedParen",
        "decimalFullWidth",
        "aiueo",
        "irohaFullWidth",
        "lowerLetter",
        "upperLetter",
        "Heading1",
        "Title",
        "Quote",
        "heading 0",
        "heading 9",
        "見出し 7",
        "表題",
        "引用文",
        "kaitei-kind",
        "kaitei-published",
        "body",
    ];
    match rng.below(20) {
        0 => "%1".repeat(rng.between(10, 5_000)),
        1 => "あ".repeat(rng.between(10, 50_000)),
        2 => (rng.next_u64() as i64).to_string(),
        _ => rng.pick(VALUES).to_string(),
    }
}

/// Elements and attributes the reader looks at.
const TARGETS: &[(&str, &str)] = &[
    ("w:ilvl", "w:val"),
    ("w:numId", "w:val"),
    ("w:abstractNumId", "w:val"),
    ("w:lvl", "w:ilvl"),
    ("w:lvlOverride", "w:ilvl"),
    ("w:start", "w:val"),
    ("w:startOverride", "w:val"),
    ("w:numFmt", "w:val"),
    ("w:lvlText", "w:val"),
    ("w:outlineLvl", "w:val"),
    ("w:pStyle", "w:val"),
    ("w:basedOn", "w:val"),
    ("w:style", "w:styleId"),
    ("w:name", "w:val"),
    ("w:abstractNum", "w:abstractNumId"),
    ("w:num", "w:numId"),
    ("property", "name"),
];

/// Elements to insert: numbering, styles, paragraphs and properties with
/// extreme values, cycles and unbalanced markup.
const CRAFTED: &[&str] = &[
    r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="999999"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>項目</w:t></w:r></w:p>"#,
    r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="-1"/><w:numId w:val="2"/></w:numPr></w:pPr><w:r><w:t>項目</w:t></w:r></w:p>"#,
    r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="8"/><w:numId w:val="1"/></w:numPr></w:pPr></w:p>"#,
    r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr></w:pPr><w:r><w:t>x</w:t></w:r></w:p>"#,
    r#"<w:p><w:pPr><w:numPr><w:numId w:val="999"/></w:numPr></w:pPr><w:r><w:t>x</w:t></w:r></w:p>"#,
    r#"<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="4294967295"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1%1%1"/></w:lvl></w:abstractNum>"#,
    r#"<w:lvl w:ilvl="0"><w:start w:val="4294967295"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>"#,
    r#"<w:lvl w:ilvl="1"><w:start w:val="10000"/><w:numFmt w:val="japaneseCounting"/><w:lvlText w:val="第%2条"/></w:lvl>"#,
    r#"<w:lvl w:ilvl="2"><w:start w:val="4000000"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="%3"/></w:lvl>"#,
    r#"<w:lvl w:ilvl="999999"><w:start w:val="1"/></w:lvl>"#,
    r#"<w:num w:numId="1"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="4294967295"/></w:lvlOverride></w:num>"#,
    r#"<w:num w:numId="2"><w:abstractNumId w:val="2"/><w:lvlOverride w:ilvl="999999"><w:startOverride w:val="-5"/></w:lvlOverride></w:num>"#,
    r#"<w:num w:numId="3"><w:abstractNumId w:val="3"/></w:num>"#,
    r#"<w:style w:styleId="Heading1"><w:name w:val="x"/><w:basedOn w:val="Heading1"/></w:style>"#,
    r#"<w:style w:styleId="A"><w:basedOn w:val="B"/></w:style><w:style w:styleId="B"><w:basedOn w:val="A"/></w:style>"#,
    r#"<w:style w:styleId="TextBody"><w:name w:val="見出し 99999999999"/><w:pPr><w:outlineLvl w:val="255"/></w:pPr></w:style>"#,
    r#"<w:style w:styleId="TextBody"><w:name w:val="Title"/></w:style>"#,
    r#"<w:style><w:name w:val="heading 1"/></w:style>"#,
    r#"<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>表題</w:t></w:r></w:p>"#,
    r#"<w:p><w:pPr><w:pStyle w:val="Quote"/></w:pPr><w:r><w:t>引用</w:t></w:r></w:p>"#,
    r#"<w:p><w:pPr><w:outlineLvl w:val="255"/></w:pPr><w:r><w:t>x</w:t></w:r></w:p>"#,
    r#"<w:p><w:pPr><w:pStyle w:val="Heading9"/></w:pPr><w:r><w:t>第1章 見出し</w:t></w:r></w:p>"#,
    r#"<w:p><w:r><w:t>（解説）</w:t></w:r></w:p>"#,
    r#"<w:p><w:r><w:t>【解説】　解説文</w:t></w:r></w:p>"#,
    r#"<w:p><w:r><w:t>第1条　本文 {#k from=x status=bogus}</w:t></w:r></w:p>"#,
    r#"<w:p><w:r><w:t>&lt;&lt;&lt;&lt;&lt;&lt;&lt; 本団体</w:t></w:r></w:p>"#,
    r#"<w:p><w:r><w:t>（目的）</w:t></w:r></w:p><w:p><w:r><w:t>第2条の2　本文</w:t></w:r></w:p>"#,
    r#"<w:p><w:r><w:t>2　項</w:t></w:r></w:p>"#,
    r#"<w:p><w:r><w:t>イ　いろは</w:t></w:r></w:p><w:p><w:r><w:t>ロ　ろ</w:t></w:r></w:p>"#,
    r#"<w:p><w:r><w:t># 見出し風</w:t></w:r></w:p>"#,
    r#"<w:p><w:r><w:t>&gt; 引用風</w:t></w:r></w:p>"#,
    r#"<w:p><w:r><w:tab/><w:t>　</w:t></w:r></w:p>"#,
    r#"<w:del><w:p><w:r><w:t>消した</w:t></w:r></w:p></w:del>"#,
    r#"<w:ins><w:p><w:r><w:t>足した</w:t></w:r></w:p></w:ins>"#,
    r#"<w:del>"#,
    r#"</w:del>"#,
    r#"<w:p>"#,
    r#"</w:p>"#,
    r#"<w:t>"#,
    r#"<w:instrText>PAGE</w:instrText>"#,
    r#"<w:p><w:r><w:t>"#,
    r#"<property name="kaitei-published"><vt:lpwstr>2025-13-45</vt:lpwstr></property>"#,
    r#"<property name="kaitei-body"><vt:lpwstr>999999</vt:lpwstr></property>"#,
    r#"<property name="kaitei-kind"><vt:lpwstr>nonsense</vt:lpwstr></property>"#,
    r#"<property name="edition"><vt:lpwstr></vt:lpwstr></property>"#,
    r#"<property><vt:lpwstr>名前なし</vt:lpwstr></property>"#,
    r#"<cp:keywords>kind: guideline; body: 131016; published=令和99年</cp:keywords>"#,
    r#"<dc:title></dc:title>"#,
    r#"<dc:subject>令和7年3月版</dc:subject>"#,
    r#"<![CDATA[第1条　本文]]>"#,
    r#"<!-- comment -->"#,
    r#"<?pi data?>"#,
];

/// Junk to insert anywhere.
const JUNK: &[&[u8]] = &[
    b"<",
    b">",
    b"</",
    b"/>",
    b"&",
    b"&amp",
    b"&#0;",
    b"&#x110000;",
    b"&#xFFFFFFFFFF;",
    b"&unknown;",
    b"\"",
    b"'",
    b"=",
    b"<!--",
    b"-->",
    b"<![CDATA[",
    b"]]>",
    b"<?xml version=\"1.0\"?>",
    b"<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;\">]>",
    b"&b;",
    b"\0",
    b"\r",
    b"\xEF\xBB\xBF",
    b"\xFF",
    b"\xFE\xFF",
    b"\xC0\x80",
    b"\x80",
    b"\xE3\x81",
    b"\xED\xA0\x80",
    b"\xF4\x90\x80\x80",
];

/// Label-like texts for `<w:t>`.
const TEXTS: &[&str] = &[
    "a\n(1)\u{3000}b",
    "\n# x",
    "\r\n&gt; q",
    "x\n\ny",
    "&#10;(2) z",
    "\t",
    "&lt;!-- c --&gt;",
    "&lt;!-",
    "第1条　",
    "第１章 ",
    "（目的）",
    "(1)　",
    "①　",
    "⑴ ",
    "ア　",
    "イ　",
    "一　",
    "2　",
    "1. ",
    "# ",
    "&gt; ",
    "\\",
    "{#k}",
    " {#x from=y}",
    "{{団体名}}",
    "&lt;&lt;&lt;&lt;&lt;&lt;&lt; ",
    "=======",
    "&gt;&gt;&gt;&gt;&gt;&gt;&gt; ",
    "（解説）",
    "【解説】",
    "　",
    "",
];

fn splice(xml: &mut Vec<u8>, at: usize, insert: &[u8]) {
    xml.splice(at..at, insert.iter().copied());
}

/// Finds `<tag` elements and sets (or adds) attribute `attr` of one.
fn set_target(rng: &mut Rng, xml: &mut Vec<u8>, tag: &str, attr: &str) -> bool {
    let open = format!("<{tag}");
    let found: Vec<usize> = xml
        .windows(open.len() + 1)
        .enumerate()
        .filter(|(_, w)| {
            w.starts_with(open.as_bytes())
                && matches!(w[open.len()], b' ' | b'/' | b'>' | b'\t' | b'\n')
        })
        .map(|(i, _)| i)
        .collect();
    if found.is_empty() {
        return false;
    }
    let at = *rng.pick(&found);
    let Some(len) = xml[at..].iter().position(|&b| b == b'>') else {
        return false;
    };
    let tag_bytes = &xml[at..at + len];
    let needle = format!(" {attr}=\"");
    let value = bad_value(rng);
    match tag_bytes
        .windows(needle.len())
        .position(|w| w == needle.as_bytes())
    {
        Some(p) => {
            let vstart = at + p + needle.len();
            let vlen = xml[vstart..].iter().position(|&b| b == b'"').unwrap_or(0);
            xml.splice(vstart..vstart + vlen, value.bytes());
        }
        None => {
            let insert = format!(" {attr}=\"{value}\"");
            splice(xml, at + open.len(), insert.as_bytes());
        }
    }
    true
}

fn mutate_xml(rng: &mut Rng, xml: &mut Vec<u8>) {
    let ts = tags(xml);
    if ts.is_empty() {
        let junk = *rng.pick(CRAFTED);
        xml.extend_from_slice(junk.as_bytes());
        return;
    }
    let els = elements(xml, &ts);
    // A place between tags inside the root (after the first two tags).
    let boundary = |rng: &mut Rng| {
        let t = &ts[rng.between(ts.len().min(2), ts.len()).min(ts.len() - 1)];
        t.start
    };
    let op = rng.below(16);
    match op {
        0 | 1 if !els.is_empty() => {
            let &(s, e, _) = rng.pick(&els);
            xml.drain(s..e);
        }
        2 | 3 if !els.is_empty() => {
            let &(s, e, _) = rng.pick(&els);
            let copies = if rng.one_in(8) {
                rng.between(10, 300)
            } else {
                rng.small(3)
            };
            let copy = xml[s..e].repeat(copies);
            splice(xml, e, &copy);
        }
        4 if !els.is_empty() => {
            let &(s, e, _) = rng.pick(&els);
            let el: Vec<u8> = xml.drain(s..e).collect();
            let rest = tags(xml);
            let to = rest
                .get(rng.below(rest.len()))
                .map_or(xml.len(), |t| t.start);
            splice(xml, to, &el);
        }
        5..=7 => {
            let &(tag, attr) = rng.pick(TARGETS);
            if !set_target(rng, xml, tag, attr) {
                // Not in this part: set a random attribute instead.
                let t = rng.pick(&ts);
                let name = String::from_utf8_lossy(&xml[t.name.0..t.name.1]).into_owned();
                set_target(rng, xml, &name, "w:val");
            }
        }
        8 => {
            // Remove an attribute.
            let t = *rng.pick(&ts);
            let body = &xml[t.name.1..t.end];
            let attrs: Vec<usize> = body
                .windows(2)
                .enumerate()
                .filter(|(_, w)| w[0] == b' ' && w[1] != b' ')
                .map(|(i, _)| t.name.1 + i)
                .collect();
            if let Some(&a) = attrs.get(rng.below(attrs.len().max(1))) {
                let end = xml[a + 1..t.end]
                    .iter()
                    .position(|&b| b == b' ' || b == b'/' || b == b'>')
                    .map_or(t.end - 1, |p| a + 1 + p);
                // Past the closing quote of the value.
                let end = match xml[a..t.end].iter().position(|&b| b == b'"') {
                    Some(q1) => xml[a + q1 + 1..t.end]
                        .iter()
                        .position(|&b| b == b'"')
                        .map_or(end, |q2| a + q1 + 1 + q2 + 1),
                    None => end,
                };
                xml.drain(a..end.max(a));
            }
        }
        9 if !els.is_empty() => {
            // Deep nesting.
            let &(s, e, _) = rng.pick(&els);
            let wrapper = *rng.pick(&[
                "w:p",
                "w:r",
                "w:del",
                "w:pPr",
                "w:numPr",
                "w:x",
                "w:lvl",
                "w:abstractNum",
                "w:style",
                "w:t",
                "property",
            ]);
            let depth = if rng.one_in(10) {
                rng.between(10_000, 100_000)
            } else {
                rng.between(2, 2_000)
            };
            let open = format!("<{wrapper}>").repeat(depth);
            let close = format!("</{wrapper}>").repeat(depth);
            splice(xml, e, close.as_bytes());
            splice(xml, s, open.as_bytes());
        }
        10 => {
            let at = rng.below(xml.len() + 1);
            let junk = *rng.pick(JUNK);
            splice(xml, at, junk);
        }
        11 => {
            let at = rng.below(xml.len() + 1);
            xml.truncate(at);
        }
        12 | 13 => {
            let at = boundary(rng);
            let crafted = *rng.pick(CRAFTED);
            splice(xml, at, crafted.as_bytes());
        }
        14 if !els.is_empty() => {
            // Rename an element (both tags).
            let &(s, e, (n0, n1)) = rng.pick(&els);
            let old = xml[n0..n1].to_vec();
            let new = rng
                .pick(&[
                    "w:p",
                    "w:del",
                    "w:t",
                    "w:r",
                    "w:lvl",
                    "w:num",
                    "w:style",
                    "w:pPrChange",
                    "w:instrText",
                    "property",
                    "dc:title",
                    "x",
                ])
                .as_bytes()
                .to_vec();
            let mut el = xml[s..e].to_vec();
            // The end tag, if any, is the last `</old>`.
            let close: Vec<u8> = [b"</".as_slice(), &old, b">"].concat();
            if el.ends_with(&close) {
                let cut = el.len() - close.len();
                el.truncate(cut);
                el.extend_from_slice(&[b"</".as_slice(), &new, b">"].concat());
            }
            el.splice(n0 - s..n1 - s, new);
            xml.splice(s..e, el);
        }
        _ => {
            // Text inside `<w:t>`, or a stray tag removed.
            let texts: Vec<usize> = ts
                .iter()
                .filter(|t| t.kind == TagKind::Open && &xml[t.name.0..t.name.1] == b"w:t")
                .map(|t| t.end)
                .collect();
            if texts.is_empty() || rng.one_in(4) {
                let t = *rng.pick(&ts);
                xml.drain(t.start..t.end);
            } else {
                let at = *rng.pick(&texts);
                let text = *rng.pick(TEXTS);
                splice(xml, at, text.as_bytes());
            }
        }
    }
}

/// The parts the reader reads, weighted by how much it does with them.
const PARTS: &[&str] = &[
    "word/document.xml",
    "word/document.xml",
    "word/document.xml",
    "word/numbering.xml",
    "word/numbering.xml",
    "word/styles.xml",
    "word/styles.xml",
    "docProps/core.xml",
    "docProps/custom.xml",
];

fn mutate_parts(rng: &mut Rng, parts: &mut Vec<(String, Vec<u8>)>) -> String {
    let mut what = Vec::new();
    for _ in 0..rng.small(3) {
        let name = *rng.pick(PARTS);
        let Some(i) = parts.iter().position(|(n, _)| n == name) else {
            continue;
        };
        match rng.below(40) {
            0 => {
                parts.remove(i);
                what.push(format!("{name}: removed"));
            }
            1 => {
                parts[i].1.clear();
                what.push(format!("{name}: emptied"));
            }
            2 => {
                parts[i].0 = format!("{name}.bak");
                what.push(format!("{name}: renamed"));
            }
            _ => {
                let n = rng.small(6);
                for _ in 0..n {
                    mutate_xml(rng, &mut parts[i].1);
                }
                what.push(format!("{name}: {n} mutations"));
            }
        }
    }
    what.join("; ")
}

#[test]
fn mutated_docx_parts_never_panic_and_errors_explain() {
    let all: Vec<Vec<(String, Vec<u8>)>> = fixtures().iter().map(|f| entries(f)).collect();
    let seed = seed();
    let mut report = Report::default();
    for case in case_numbers(DEFAULT_PART_CASES) {
        let mut rng = Rng::for_case(seed, case);
        let parts = rng.pick(&all);
        let mut mutated = parts.clone();
        let what = mutate_parts(&mut rng, &mut mutated);
        let bytes = zip_of(&mutated, rng.one_in(4));
        let outcome = run_case(|| check(bytes));
        report.record(case, outcome, || {
            let changed: Vec<String> = mutated
                .iter()
                .filter(|(n, b)| parts.iter().all(|(on, ob)| on != n || ob != b))
                .map(|(n, b)| format!("{n}:\n{}", excerpt(&String::from_utf8_lossy(b), 2000)))
                .collect();
            format!("{what}\n{}", changed.join("\n"))
        });
    }
    report.finish("docx part mutations");
}

// ---------------------------------------------------------------------
// Regressions: inputs the mutations found (or that their findings pointed
// to), kept as they were reduced.

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

/// A document of `n` paragraphs numbered by list 1 at level 0, with
/// `styles.xml` and `numbering.xml` as given.
fn numbered(n: usize, style: &str, styles: &str, numbering: &str) -> Vec<u8> {
    let p = format!(
        r#"<w:p><w:pPr><w:pStyle w:val="{style}"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>本文</w:t></w:r></w:p>"#
    );
    let document = format!(
        r#"<w:document {W}><w:body>{}</w:body></w:document>"#,
        p.repeat(n)
    );
    zip_of(
        &[
            ("word/document.xml".into(), document.into_bytes()),
            ("word/styles.xml".into(), styles.as_bytes().to_vec()),
            ("word/numbering.xml".into(), numbering.as_bytes().to_vec()),
        ],
        false,
    )
}

fn one_level(start: &str, format: &str, text: &str) -> String {
    format!(
        r#"<w:numbering {W}><w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="{start}"/><w:numFmt w:val="{format}"/><w:lvlText w:val="{text}"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num></w:numbering>"#
    )
}

const NO_STYLES: &str = r#"<w:styles xmlns:w="x"/>"#;

/// Reads `bytes` within the time limit and returns the labels read.
#[allow(
    clippy::disallowed_methods,
    reason = "the test bounds the reader's time; no result depends on it"
)]
fn labels_of(bytes: Vec<u8>) -> Vec<String> {
    let started = std::time::Instant::now();
    let parsed = read(bytes, &DocxOptions::default()).expect("readable");
    let took = started.elapsed();
    assert!(took < crate::mutate::MAX_CASE_TIME, "took {took:?}");
    parsed
        .document
        .nodes()
        .filter_map(|n| n.label.as_ref().map(|l| l.written().to_string()))
        .collect()
}

/// Part-mutation case 46: `japaneseCounting` from 10000 made `to_kanji`
/// index past its digit table.
#[test]
fn regression_kanji_list_numbers_past_9999() {
    let labels = labels_of(numbered(
        2,
        "Normal",
        NO_STYLES,
        &one_level("9999", "japaneseCounting", "第%1条"),
    ));
    assert_eq!(labels, ["第九千九百九十九条", "第10000条"]);
}

/// Part-mutation case 110: a list starting at 4294967295 overflowed the
/// counter (and then the label-sequence check) in debug builds.
#[test]
fn regression_list_counter_at_u32_max() {
    let labels = labels_of(numbered(
        3,
        "Normal",
        NO_STYLES,
        &one_level("4294967295", "decimal", "(%1)"),
    ));
    assert_eq!(labels.len(), 3);
    assert!(labels.iter().all(|l| l == "(4294967295)"), "{labels:?}");
}

/// A roman list starting at 4294967295 wrote 4 MB of `M` per paragraph.
#[test]
fn regression_roman_list_numbers_past_3999() {
    let labels = labels_of(numbered(
        200,
        "Normal",
        NO_STYLES,
        &one_level("4294967295", "upperRoman", "%1."),
    ));
    assert_eq!(labels.len(), 200);
    assert!(labels.iter().all(|l| l == "4294967295."), "{labels:?}");
    // Below 4000 the numerals stay (as text: roman numerals are no label
    // style of kaitei's).
    let bytes = numbered(
        1,
        "Normal",
        NO_STYLES,
        &one_level("3999", "lowerRoman", "%1."),
    );
    let parsed = read(bytes, &DocxOptions::default()).expect("readable");
    assert_eq!(parsed.document.preamble, ["mmmcmxcix.\u{3000}本文"]);
}

/// A level text of 200,000 characters copied into each of 5,000
/// paragraphs: gigabytes of labels from a file of a few hundred KB.
#[test]
fn regression_huge_level_text_is_no_label() {
    let labels = labels_of(numbered(
        5_000,
        "Normal",
        NO_STYLES,
        &one_level("1", "decimal", &"%1".repeat(100_000)),
    ));
    assert!(labels.is_empty(), "{} labels", labels.len());
}

/// A style name of 1,000,000 characters looked up for each of 5,000
/// paragraphs.
#[test]
fn regression_huge_style_name_is_read_once() {
    let styles = format!(
        r#"<w:styles {W}><w:style w:styleId="Big"><w:name w:val="{}"/></w:style></w:styles>"#,
        "あ".repeat(1_000_000)
    );
    let labels = labels_of(numbered(
        5_000,
        "Big",
        &styles,
        &one_level("1", "decimal", "(%1)"),
    ));
    assert_eq!(labels.len(), 5_000);
}

/// Part-mutation cases 71, 573 and 12 more of 5,000 (once text with line
/// breaks was among the mutations): a line break inside `<w:t>` was kept in
/// the text, and printing it started new paragraphs and clauses.
#[test]
fn regression_line_breaks_inside_text_are_spaces() {
    let document = format!(
        r#"<w:document {W}><w:body><w:p><w:r><w:t>(1)　本文a&#10;(2)　b
# c&#13;&#9;d</w:t></w:r></w:p></w:body></w:document>"#
    );
    let bytes = zip_of(
        &[("word/document.xml".into(), document.into_bytes())],
        false,
    );
    let options = DocxOptions {
        stem: "policy".into(),
        ..DocxOptions::default()
    };
    let parsed = read(bytes, &options).expect("readable");
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    let nodes: Vec<&Node> = parsed.document.nodes().collect();
    assert_eq!(nodes.len(), 1);
    assert_eq!(nodes[0].paragraphs, ["本文a (2)　b # c  d"]);
    round_trip(&parsed.document).expect("round trip");
}

/// Seed 4, part-mutation case 8426: a level text of white space
/// (`w:lvlText w:val=" "`) gave the label " ", and a paragraph beginning
/// with white space that printed differently; a label with white space
/// around it (`" (%1) "`) was no label at all.
#[test]
fn regression_white_space_around_list_labels() {
    let options = DocxOptions {
        stem: "policy".into(),
        ..DocxOptions::default()
    };
    for (text, label) in [(" ", None), ("\u{3000}(%1) ", Some("(1)"))] {
        let bytes = numbered(1, "Normal", NO_STYLES, &one_level("1", "decimal", text));
        let parsed = read(bytes, &options).expect("readable");
        match label {
            Some(l) => {
                let node = parsed.document.nodes().next().expect("a clause");
                assert_eq!(node.label.as_ref().map(|l| l.written()), Some(l));
            }
            // No clause at all: an error, so nothing to print.
            None => assert_eq!(parsed.document.preamble, ["本文"]),
        }
        if !parsed.has_errors() {
            round_trip(&parsed.document).expect("round trip");
        }
    }
}
