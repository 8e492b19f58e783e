//! Reading Word files, and refusing hostile ones.

use std::io::Write;

use kaitei_model::{DocumentKind, LabelStyle, NodeKind};
use zip::write::SimpleFileOptions;

use super::*;

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, body) in parts {
        out.start_file(*name, SimpleFileOptions::default())
            .expect("start part");
        out.write_all(body).expect("write part");
    }
    out.finish().expect("finish zip").into_inner()
}

fn para(style: Option<&str>, num: Option<(&str, u8)>, text: &str) -> String {
    let style = style.map_or(String::new(), |s| format!(r#"<w:pStyle w:val="{s}"/>"#));
    let num = num.map_or(String::new(), |(id, l)| {
        format!(r#"<w:numPr><w:ilvl w:val="{l}"/><w:numId w:val="{id}"/></w:numPr>"#)
    });
    format!(
        r#"<w:p><w:pPr>{style}{num}</w:pPr><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>"#
    )
}

fn document(paragraphs: &[String]) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{}</w:body></w:document>"#,
        paragraphs.concat()
    )
}

const STYLES: &str = r#"<w:styles xmlns:w="x">
  <w:style w:styleId="a3"><w:name w:val="Title"/></w:style>
  <w:style w:styleId="1"><w:name w:val="heading 1"/></w:style>
  <w:style w:styleId="2"><w:name w:val="見出し 2"/></w:style>
  <w:style w:styleId="Quote"><w:name w:val="引用文"/></w:style>
</w:styles>"#;

fn options() -> DocxOptions {
    DocxOptions {
        stem: "policy".into(),
        ..DocxOptions::default()
    }
}

#[test]
fn manual_numbering_and_styles() {
    let doc = document(&[
        para(Some("a3"), None, "テスト町情報セキュリティポリシー"),
        para(Some("1"), None, "第1章 基本方針"),
        para(Some("2"), None, "1. 目的"),
        para(None, None, "本町の情報資産を守る。"),
        para(None, None, "(1)　機器の管理"),
        para(Some("Quote"), None, "解説の文"),
        para(None, None, "①　火災対策"),
        para(None, None, "【解説】二つ目の解説"),
        para(None, None, "ア　細目 &amp; 注記"),
    ]);
    let bytes = zip_of(&[
        ("word/document.xml", doc.as_bytes()),
        ("word/styles.xml", STYLES.as_bytes()),
    ]);
    let parsed = read(bytes, &options()).expect("readable");
    let d = &parsed.document;
    assert_eq!(d.meta.title, "テスト町情報セキュリティポリシー");
    assert_eq!(d.meta.kind, DocumentKind::Policy);
    assert_eq!(
        d.meta.edition, "policy",
        "edition defaults to the file stem"
    );
    let chapter = &d.children[0];
    assert_eq!(
        chapter.label.as_ref().map(|l| l.style()),
        Some(LabelStyle::Chapter)
    );
    let section = &chapter.children[0];
    assert_eq!(section.title.as_deref(), Some("目的"));
    assert_eq!(section.paragraphs, ["本町の情報資産を守る。"]);
    let item = &section.children[0];
    assert_eq!(item.paragraphs, ["機器の管理"]);
    assert_eq!(item.commentary, ["解説の文"]);
    let sub = &item.children[0];
    assert_eq!(sub.commentary, ["二つ目の解説"]);
    assert_eq!(sub.children[0].paragraphs, ["細目 & 注記"]);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
}

const NUMBERING: &str = r#"<w:numbering xmlns:w="x">
  <w:abstractNum w:abstractNumId="0">
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="第%1条"/></w:lvl>
    <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="japaneseCounting"/><w:lvlText w:val="%2"/></w:lvl>
  </w:abstractNum>
  <w:abstractNum w:abstractNumId="1">
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="(%1)"/></w:lvl>
    <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimalEnclosedCircle"/><w:lvlText w:val="%2"/></w:lvl>
    <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="・"/></w:lvl>
  </w:abstractNum>
  <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
  <w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
</w:numbering>"#;

#[test]
fn automatic_numbering() {
    let doc = document(&[
        para(Some("1"), None, "第1章 総則"),
        para(None, Some(("1", 0)), "この規程は、目的を定める。"),
        para(None, Some(("1", 1)), "一号の文"),
        para(None, Some(("1", 1)), "二号の文"),
        para(None, Some(("1", 0)), "第二条の本文"),
        para(Some("1"), None, "第2章 対策"),
        para(None, Some(("2", 0)), "機器の取付け"),
        para(None, Some(("2", 1)), "火災"),
        para(None, Some(("2", 2)), "箇条書きは本文の続き"),
        para(None, Some(("2", 1)), "水害"),
        para(None, Some(("2", 0)), "二つ目"),
    ]);
    let bytes = zip_of(&[
        ("word/document.xml", doc.as_bytes()),
        ("word/styles.xml", STYLES.as_bytes()),
        ("word/numbering.xml", NUMBERING.as_bytes()),
    ]);
    let parsed = read(bytes, &options()).expect("readable");
    let d = &parsed.document;
    let ch1 = &d.children[0];
    let articles: Vec<_> = ch1
        .children
        .iter()
        .map(|n| (n.kind, n.path_segment()))
        .collect();
    assert_eq!(
        articles,
        [(NodeKind::Article, "第1条"), (NodeKind::Article, "第2条")]
    );
    let items: Vec<_> = ch1.children[0]
        .children
        .iter()
        .map(|n| n.path_segment())
        .collect();
    assert_eq!(items, ["一", "二"]);
    let ch2 = &d.children[1];
    let first = &ch2.children[0];
    assert_eq!(first.path_segment(), "(1)");
    let circled: Vec<_> = first.children.iter().map(|n| n.path_segment()).collect();
    assert_eq!(circled, ["①", "②"]);
    assert_eq!(
        first.children[0].paragraphs,
        ["火災", "箇条書きは本文の続き"]
    );
    assert_eq!(ch2.children[1].path_segment(), "(2)");
}

#[test]
fn document_properties_give_the_front_matter() {
    let doc = document(&[para(Some("1"), None, "1. 目的"), para(None, None, "本文")]);
    let core = r#"<cp:coreProperties xmlns:cp="c" xmlns:dc="d"><dc:title>千代田区ポリシー</dc:title><cp:keywords>derived_from: 令和6年10月版</cp:keywords></cp:coreProperties>"#;
    let custom = r#"<Properties xmlns:vt="v"><property fmtid="x" pid="2" name="kaitei-body"><vt:lpwstr>131016</vt:lpwstr></property><property fmtid="x" pid="3" name="edition"><vt:lpwstr>令和7年度版</vt:lpwstr></property></Properties>"#;
    let bytes = zip_of(&[
        ("word/document.xml", doc.as_bytes()),
        ("docProps/core.xml", core.as_bytes()),
        ("docProps/custom.xml", custom.as_bytes()),
    ]);
    let opts = DocxOptions {
        edition: Some("ignored: properties win".into()),
        kind: Some(kaitei_model::DocumentKind::Policy),
        ..options()
    };
    let parsed = read(bytes, &opts).expect("readable");
    let m = &parsed.document.meta;
    assert_eq!(m.title, "千代田区ポリシー");
    assert_eq!(m.edition, "令和7年度版");
    assert_eq!(m.body.map(|b| b.to_string()).as_deref(), Some("131016"));
    assert_eq!(m.derived_from.as_deref(), Some("令和6年10月版"));
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
}

#[test]
fn options_fill_what_properties_lack_and_bad_codes_are_named() {
    let doc = document(&[para(Some("1"), None, "1. 目的")]);
    let bytes = zip_of(&[("word/document.xml", doc.as_bytes())]);
    let opts = DocxOptions {
        body: Some("011011".into()),
        kind: Some(kaitei_model::DocumentKind::Guideline),
        edition: Some("令和7年3月版".into()),
        ..options()
    };
    let parsed = read(bytes, &opts).expect("readable");
    assert_eq!(parsed.document.meta.kind, DocumentKind::Guideline);
    assert_eq!(parsed.document.meta.edition, "令和7年3月版");
    assert!(
        parsed.diagnostics[0]
            .message
            .contains("not a local government")
    );
}

/// Issue #10, item 5: control characters in a Word file's text are an error
/// naming the paragraph and column of the first; the others are counted.
#[test]
fn control_characters_are_errors_with_paragraph_and_column() {
    let doc = document(&[
        para(Some("1"), None, "1. 目的"),
        para(None, None, "本文"),
        para(None, None, "(1)　赤\u{1b}[31m字"),
        para(None, None, "(2)　&#x7;鐘"),
    ]);
    let bytes = zip_of(&[("word/document.xml", doc.as_bytes())]);
    let parsed = read(bytes, &options()).expect("readable");
    let errors: Vec<String> = parsed
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{}: {}", d.line, d.message))
        .collect();
    assert_eq!(
        errors,
        [
            "3: control character U+001B (ESC) at column 6 is not allowed in text; delete it (the text holds 2 such characters)"
        ]
    );
    // Document properties become the front matter: checked too.
    let doc = document(&[para(Some("1"), None, "1. 目的")]);
    let core = r#"<cp:coreProperties xmlns:cp="c" xmlns:dc="d"><dc:title>題&#x1b;名</dc:title></cp:coreProperties>"#;
    let bytes = zip_of(&[
        ("word/document.xml", doc.as_bytes()),
        ("docProps/core.xml", core.as_bytes()),
    ]);
    let parsed = read(bytes, &options()).expect("readable");
    assert_eq!(
        parsed.diagnostics[0].message,
        "the document property giving `title:` holds a control character U+001B (ESC) at column 2 is not allowed in text; delete it"
    );
    // A line break or tab typed into Word's text is a space, as before.
    let doc = document(&[
        para(Some("1"), None, "1. 目的"),
        para(None, None, "一&#13;&#10;二&#9;三"),
    ]);
    let bytes = zip_of(&[("word/document.xml", doc.as_bytes())]);
    let parsed = read(bytes, &options()).expect("readable");
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
}

/// Issue #10, item 4: a document of more than `MAX_LINES` paragraphs is
/// refused with one error naming the first paragraph over; one of exactly
/// that many is read.
#[test]
fn documents_over_the_paragraph_limit_are_refused() {
    let read_with = |empty: usize| {
        let mut paragraphs = vec![para(Some("1"), None, "1. 目的")];
        paragraphs.extend(std::iter::repeat_n("<w:p/>".to_string(), empty));
        let bytes = zip_of(&[("word/document.xml", document(&paragraphs).as_bytes())]);
        read(bytes, &options()).expect("readable")
    };
    let at_limit = read_with(crate::MAX_LINES - 1);
    assert!(
        at_limit.diagnostics.is_empty(),
        "{:?}",
        at_limit.diagnostics
    );
    assert_eq!(at_limit.document.node_count(), 1);
    let over = read_with(crate::MAX_LINES);
    assert_eq!(over.diagnostics.len(), 1);
    assert_eq!(over.diagnostics[0].line, crate::MAX_LINES + 1);
    assert!(
        over.diagnostics[0]
            .message
            .starts_with("the document has more than 200,000 paragraphs, the most kaitei reads"),
        "{:?}",
        over.diagnostics
    );
    assert_eq!(over.document.node_count(), 0);
}

#[test]
fn hostile_and_broken_files_are_refused() {
    let doc = document(&[para(None, None, "本文")]);
    let good = zip_of(&[("word/document.xml", doc.as_bytes())]);

    let truncated = good[..good.len() / 2].to_vec();
    assert!(matches!(
        read(truncated, &options()),
        Err(DocxError::Damaged(_))
    ));

    assert_eq!(
        read(b"hello, not a zip".to_vec(), &options()).unwrap_err(),
        DocxError::NotZip
    );

    let mut cfb = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    cfb.resize(4096, 0);
    assert_eq!(read(cfb, &options()).unwrap_err(), DocxError::Encrypted);

    let no_doc = zip_of(&[("word/other.xml", b"<x/>")]);
    assert_eq!(read(no_doc, &options()).unwrap_err(), DocxError::NoDocument);

    let bad_xml = zip_of(&[("word/document.xml", b"<w:document><w:body></w:document>")]);
    let err = read(bad_xml, &options()).unwrap_err();
    assert!(
        matches!(&err, DocxError::Xml { part, .. } if part == "word/document.xml"),
        "{err}"
    );

    let mut big = b"PK".to_vec();
    big.resize(50 * 1024 * 1024, 0);
    assert!(matches!(
        read(big, &options()),
        Err(DocxError::TooLarge { .. })
    ));
}

#[test]
fn zip_bombs_are_refused_by_what_they_unpack_to() {
    // 65 MiB of one byte compresses to about 64 KiB.
    let huge = vec![b'a'; (MAX_PART_BYTES + 1024 * 1024) as usize];
    let bomb = zip_of(&[("word/document.xml", &huge)]);
    assert!(
        bomb.len() < 1024 * 1024,
        "the bomb is small: {}",
        bomb.len()
    );
    let err = read(bomb, &options()).unwrap_err();
    assert!(matches!(err, DocxError::Bomb { .. }), "{err}");
    assert!(err.to_string().contains("zip bomb"));

    let names: Vec<String> = (0..=MAX_ENTRIES).map(|i| format!("x/{i}")).collect();
    let parts: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
    let many = zip_of(&parts);
    assert_eq!(
        read(many, &options()).unwrap_err(),
        DocxError::TooManyEntries(MAX_ENTRIES + 1)
    );
}

/// The city's policy as LibreOffice wrote it to Word (automatic numbering,
/// heading styles, document properties) reads to the same tree as the
/// authoring-format file it was made from.
#[test]
fn the_city_docx_fixture_reads_like_its_source() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/policies");
    let bytes = std::fs::read(root.join("city.docx")).expect("fixture");
    let from_word = read(bytes, &options()).expect("readable");
    assert!(
        from_word.diagnostics.is_empty(),
        "{:?}",
        from_word.diagnostics
    );
    let source = std::fs::read_to_string(root.join("city.md")).expect("fixture");
    let from_md = crate::authoring::parse(&source);
    let outline = |d: &kaitei_model::Document| -> Vec<_> {
        d.nodes()
            .map(|n| {
                let value = n.label.as_ref().map(|l| l.value().to_vec());
                (
                    n.kind,
                    value,
                    n.title.clone(),
                    n.paragraphs.clone(),
                    n.commentary.clone(),
                )
            })
            .collect()
    };
    let (w, m) = (outline(&from_word.document), outline(&from_md.document));
    assert_eq!(w.len(), m.len());
    for (a, b) in w.iter().zip(&m) {
        assert_eq!(a, b);
    }
    // Styles agree too, except where a section numbers a level in a style
    // the fixture's Word lists (one format per list level, made from HTML)
    // cannot give: its iroha list and its (a) list.
    let style = |n: &kaitei_model::Node| n.label.as_ref().map(|l| l.style());
    let differing: Vec<_> = from_word
        .document
        .nodes()
        .zip(from_md.document.nodes())
        .filter(|(a, b)| style(a) != style(b))
        .map(|(_, b)| style(b))
        .collect();
    assert!(differing.len() <= 7, "{differing:?}");
    assert!(
        differing
            .iter()
            .all(|s| matches!(s, Some(LabelStyle::Iroha | LabelStyle::ParenLatin))),
        "{differing:?}"
    );
    let meta = &from_word.document.meta;
    assert_eq!(meta.kind, DocumentKind::Policy);
    assert_eq!(meta.body.map(|b| b.to_string()).as_deref(), Some("032018"));
    assert_eq!(meta.derived_from.as_deref(), Some("令和6年10月版"));
    assert_eq!(meta.title, from_md.document.meta.title);
}
