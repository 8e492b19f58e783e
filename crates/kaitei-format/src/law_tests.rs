//! Regulations as bodies keep them (issue #11): structure from the kind of
//! label, the 目次, the enactment preamble, 附則, and the shapes real
//! regulations take — each read from the authoring format, from text
//! pasted from a 例規集 page and from a Word file of plain paragraphs, to
//! the same tree. The texts are written for the project in the style of
//! real regulations.

use std::io::{Cursor, Write};

use expect_test::{Expect, expect};
use kaitei_model::{Document, NodeKind};
use zip::write::SimpleFileOptions;

use crate::authoring::tests::{assert_round_trip, outline};
use crate::authoring::{PrintOptions, parse, print};
use crate::{Parsed, ReadOptions, docx, pasted};

const FM: &str =
    "---\nkind: policy\ntitle: 雫石町情報セキュリティ対策規程\nedition: e\nbody: \"033014\"\n---\n";

/// The front matter's lines: diagnostics of `md` are this much further down.
const FM_LINES: usize = 6;

fn options() -> ReadOptions {
    ReadOptions {
        stem: "規程".into(),
        ..ReadOptions::default()
    }
}

/// The lines as an authoring file: front matter, a blank line between
/// paragraphs.
fn md(lines: &[&str]) -> Parsed {
    parse(&format!("{FM}{}\n", lines.join("\n\n")))
}

/// The warning for pasted text without a `○` title.
const UNTITLED: &str = "no front matter and no regulation title";

/// The lines as pasted from a web page: one paragraph per line. (Without a
/// `○` title the reader warns that the file's name is its title: the
/// texts of these tests are parts of regulations, so that is dropped.)
fn txt(lines: &[&str]) -> Parsed {
    let mut p = pasted::read(&lines.join("\n"), &options());
    let untitled = !lines.first().is_some_and(|l| l.starts_with('○'));
    let before = p.diagnostics.len();
    p.diagnostics.retain(|d| !d.message.starts_with(UNTITLED));
    assert_eq!(before - p.diagnostics.len(), usize::from(untitled));
    p
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A Word file of plain paragraphs, as a Word user types a regulation:
/// manual bold and indentation, no heading styles; a line with tabs is a
/// table row. `styled` lines (`#1 …`) take the Heading 1 style.
fn docx_bytes(lines: &[&str]) -> Vec<u8> {
    let mut body = String::new();
    let mut in_table = false;
    for line in lines {
        if line.contains('\t') {
            if !in_table {
                body.push_str("<w:tbl>");
                in_table = true;
            }
            body.push_str("<w:tr>");
            for cell in line.split('\t') {
                body.push_str(&format!(
                    "<w:tc><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>",
                    escape(cell)
                ));
            }
            body.push_str("</w:tr>");
            continue;
        }
        if in_table {
            body.push_str("</w:tbl>");
            in_table = false;
        }
        let (style, text) = match line.strip_prefix("#1 ") {
            Some(t) => (r#"<w:pStyle w:val="1"/>"#, t),
            None => ("", *line),
        };
        body.push_str(&format!(
            r#"<w:p><w:pPr>{style}<w:ind w:left="420"/></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{}</w:t></w:r></w:p>"#,
            escape(text)
        ));
    }
    if in_table {
        body.push_str("</w:tbl>");
    }
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    let styles = r#"<w:styles xmlns:w="x"><w:style w:styleId="1"><w:name w:val="heading 1"/></w:style></w:styles>"#;
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, part) in [
        ("word/document.xml", document.as_str()),
        ("word/styles.xml", styles),
    ] {
        zip.start_file(name, SimpleFileOptions::default())
            .expect("start part");
        zip.write_all(part.as_bytes()).expect("write part");
    }
    zip.finish().expect("finish zip").into_inner()
}

fn word(lines: &[&str]) -> Parsed {
    docx::read(docx_bytes(lines), &options()).expect("readable")
}

/// `line: message` of every diagnostic.
fn messages(p: &Parsed) -> Vec<String> {
    p.diagnostics
        .iter()
        .map(|d| format!("{}: {}", d.line, d.message))
        .collect()
}

/// The tree and diagnostics, with `md`'s lines counted as in the others.
fn report(p: &Parsed, line_offset: usize) -> String {
    let mut out = outline(&p.document);
    for d in &p.diagnostics {
        out.push_str(&format!(
            "! {}: {}\n",
            d.line.saturating_sub(line_offset),
            d.message
        ));
    }
    out
}

/// Reads `lines` in all three forms: the same tree and the same
/// diagnostics (by paragraph) from each, as `expect` says; each round-trips
/// through the authoring format.
fn check_all(lines: &[&str], expect: Expect) {
    let from_txt = txt(lines);
    let from_word = word(lines);
    let from_md = md(lines);
    let t = report(&from_txt, 0);
    assert_eq!(report(&from_word, 0), t, "Word and pasted text differ");
    // In the authoring file paragraph n is on line FM_LINES + 2n - 1.
    let paragraph = |line: usize| line.saturating_sub(FM_LINES).div_ceil(2);
    let md_report = {
        let mut p = from_md.clone();
        for d in &mut p.diagnostics {
            d.line = paragraph(d.line);
            // Lines named in the message too.
            let mut parts = d.message.split("line ");
            let mut message = parts.next().unwrap_or("").to_string();
            for part in parts {
                let digits: String = part.chars().take_while(char::is_ascii_digit).collect();
                let n: usize = digits.parse().unwrap_or(0);
                message.push_str(&format!("line {}{}", paragraph(n), &part[digits.len()..]));
            }
            d.message = message;
        }
        report(&p, 0)
    };
    assert_eq!(md_report, t, "the authoring format and pasted text differ");
    expect.assert_eq(&t);
    for p in [&from_txt, &from_word, &from_md] {
        assert_round_trip(&p.document);
    }
}

fn same_tree(a: &Document, b: &Document) -> bool {
    outline(a) == outline(b)
}

// 1. Structure from the kind of label.

#[test]
fn chapters_sections_and_subsections_by_the_kind_of_label() {
    check_all(
        &[
            "第1編　総則",
            "第1章　通則",
            "（目的）",
            "第1条　この規程は、情報資産の保護に関し必要な事項を定める。",
            "第2章　対策",
            "第1節　人的対策",
            "第1款　遵守事項",
            "第2条　職員等は、この規程を遵守しなければならない。",
            "２　職員等は、次に掲げる行為をしてはならない。",
            "一　業務以外の目的で情報資産を利用すること。",
            "第2款　研修",
            "第3条　研修は、毎年度行う。",
            "第2節　技術的対策",
            "第4条　アクセスは、業務上必要な者に限る。",
            "第2編　雑則",
            "第5条　この規程は、公布の日から施行する。",
        ],
        expect![[r#"
            heading 第1編<part> [総則]
              heading 第1章<chapter> [通則]
                article 第1条<article> [目的] | この規程は、情報資産の保護に関し必要な事項を定める。
              heading 第2章<chapter> [対策]
                heading 第1節<section> [人的対策]
                  heading 第1款<subsection> [遵守事項]
                    article 第2条<article> | 職員等は、この規程を遵守しなければならない。
                      paragraph ２<paragraph> | 職員等は、次に掲げる行為をしてはならない。
                        item 一<kanji> | 業務以外の目的で情報資産を利用すること。
                  heading 第2款<subsection> [研修]
                    article 第3条<article> | 研修は、毎年度行う。
                heading 第2節<section> [技術的対策]
                  article 第4条<article> | アクセスは、業務上必要な者に限る。
            heading 第2編<part> [雑則]
              article 第5条<article> | この規程は、公布の日から施行する。
        "#]],
    );
}

#[test]
fn a_chapter_line_with_a_sentence_or_a_long_title_is_no_heading() {
    let long = format!(
        "第2章　{}",
        "あ".repeat(crate::structure::law::HEADING_TITLE_MAX + 1)
    );
    check_all(
        &[
            "第1章　総則",
            "第1条　本文。",
            "第2章　この章の規定は、別に定める。",
            &long,
        ],
        expect![[r#"
            heading 第1章<chapter> [総則]
              article 第1条<article> | 本文。
                item 第2章<chapter> | この章の規定は、別に定める。
                item 第2章<chapter> | あああああああああああああああああああああああああああああああああああああああああ
            ! 4: label 第2章 follows 第2章: is one missing or misnumbered?
        "#]],
    );
}

#[test]
fn a_section_without_its_chapter_is_a_warning_naming_the_line() {
    check_all(
        &[
            "第1節　通則",
            "第1条　本文。",
            "第2節　管理",
            "第2条　本文。",
            "第1章　総則",
            "第1款　禁止行為",
            "第3条　本文。",
            "第1節　細則",
            "第2款　例外",
        ],
        expect![[r#"
            heading 第1節<section> [通則]
              article 第1条<article> | 本文。
            heading 第2節<section> [管理]
              article 第2条<article> | 本文。
            heading 第1章<chapter> [総則]
              heading 第1款<subsection> [禁止行為]
                article 第3条<article> | 本文。
              heading 第1節<section> [細則]
                heading 第2款<subsection> [例外]
            ! 1: 第1節 通則 has no 章 before it: it is placed at the top of the document; is a 章 heading missing?
            ! 6: 第1款 禁止行為 has no 節 before it: it is placed under 第1章; is a 節 heading missing?
        "#]],
    );
}

#[test]
fn hash_headings_and_word_heading_styles_win() {
    // `#` (or Heading 1) makes 第1章 a heading whatever its text; the plain
    // 節 lines nest under it by their kind.
    let md_doc = parse(&format!(
        "{FM}# 第1章 総則\n\n第1節　通則\n\n第1条　本文。\n\n第2節　細則\n\n第2条　本文。\n\n# 第2章 この章の見出しは、文の形でも見出しである。\n\n第3条　本文。\n"
    ));
    let word_doc = word(&[
        "#1 第1章 総則",
        "第1節　通則",
        "第1条　本文。",
        "第2節　細則",
        "第2条　本文。",
        "#1 第2章 この章の見出しは、文の形でも見出しである。",
        "第3条　本文。",
    ]);
    expect![[r#"
        heading 第1章<chapter> [総則]
          heading 第1節<section> [通則]
            article 第1条<article> | 本文。
          heading 第2節<section> [細則]
            article 第2条<article> | 本文。
        heading 第2章<chapter> [この章の見出しは、文の形でも見出しである。]
          article 第3条<article> | 本文。
    "#]]
    .assert_eq(&outline(&md_doc.document));
    assert!(same_tree(&md_doc.document, &word_doc.document));
    assert!(md_doc.diagnostics.is_empty(), "{:?}", messages(&md_doc));
    assert_round_trip(&md_doc.document);
}

// 2. The 目次.

const WITH_CONTENTS: &[&str] = &[
    "目次",
    "第1章　総則（第1条―第2条）",
    "第2章　管理",
    "第1節　分類(第3条・第4条)",
    "第2節　取扱い(第5条~第6条)",
    "附則",
    "第1章　総則",
    "第1条　本文。",
    "第2条　本文。",
    "第2章　管理",
    "第1節　分類",
    "第3条　本文。",
    "第4条　本文。",
    "第2節　取扱い",
    "第5条　本文。",
    "第6条　本文。",
    "附　則",
    "この規程は、公布の日から施行する。",
];

#[test]
fn the_contents_are_kept_not_read_as_nodes() {
    check_all(
        WITH_CONTENTS,
        expect![[r#"
            heading 第1章<chapter> [総則]
              article 第1条<article> | 本文。
              article 第2条<article> | 本文。
            heading 第2章<chapter> [管理]
              heading 第1節<section> [分類]
                article 第3条<article> | 本文。
                article 第4条<article> | 本文。
              heading 第2節<section> [取扱い]
                article 第5条<article> | 本文。
                article 第6条<article> | 本文。
            heading  [附則] | この規程は、公布の日から施行する。
        "#]],
    );
    let p = txt(WITH_CONTENTS);
    assert!(p.document.meta.contents);
    let entries: Vec<String> = p
        .contents
        .as_ref()
        .expect("the 目次 as read")
        .entries
        .iter()
        .map(|e| {
            let range = e
                .articles
                .as_ref()
                .map_or(String::new(), |r| format!(" {}-{}", r.first, r.last));
            let label = e.label.as_ref().map_or(String::new(), |l| l.to_string());
            format!("{}{label} {}{range}", "  ".repeat(e.depth), e.title)
        })
        .collect();
    assert_eq!(
        entries,
        [
            "第1章 総則 第1条-第2条",
            "第2章 管理",
            "  第1節 分類 第3条-第4条",
            "  第2節 取扱い 第5条-第6条",
            " 附則",
        ]
    );
}

#[test]
fn contents_that_disagree_with_the_body_are_warnings_naming_both_places() {
    check_all(
        &[
            "目次",
            "第1章　総則（第1条―第3条）",
            "第2章　組織",
            "第3章　雑則（第4条）",
            "第1章　総則",
            "第1条　本文。",
            "第2条　本文。",
            "第2章　組織体制",
            "第3条　本文。",
            "第4章　補則",
            "第4条　本文。",
            "附則",
            "この規程は、公布の日から施行する。",
        ],
        expect![[r#"
            heading 第1章<chapter> [総則]
              article 第1条<article> | 本文。
              article 第2条<article> | 本文。
            heading 第2章<chapter> [組織体制]
              article 第3条<article> | 本文。
            heading 第4章<chapter> [補則]
              article 第4条<article> | 本文。
            heading  [附則] | この規程は、公布の日から施行する。
            ! 2: the 目次 gives 第1章 the articles 第1条―第3条, but the heading at line 5 has 第1条―第2条
            ! 3: the 目次 calls 第2章 「組織」, the heading at line 8 「組織体制」
            ! 4: the 目次 lists 第3章 雑則 here, but the body has no such heading
            ! 10: label 第4章 follows 第2章: is one missing or misnumbered?
            ! 10: the heading 第4章 補則 is not in the 目次 (line 1)
            ! 12: 附則 is not in the 目次 (line 1)
        "#]],
    );
}

#[test]
fn contents_are_written_back_from_the_body() {
    let mut doc = txt(WITH_CONTENTS).document;
    doc.meta.body = kaitei_model::parse_body_code("033014").ok();
    // The body changes (an article is deleted): the 目次 written follows it.
    doc.children[1].children[1].children.pop();
    let printed = print(&doc, PrintOptions::default());
    let contents: Vec<&str> = printed
        .lines()
        .skip_while(|l| *l != "目次")
        .take_while(|l| !l.starts_with('#'))
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(
        contents,
        [
            "目次",
            "第1章 総則（第1条・第2条）",
            "第2章 管理（第3条―第5条）",
            "第1節 分類（第3条・第4条）",
            "第2節 取扱い（第5条）",
            "附則",
        ]
    );
    let again = parse(&printed);
    assert!(again.diagnostics.is_empty(), "{:?}", messages(&again));
    assert_eq!(again.document, doc);
    // A document without a 目次 is written without one.
    let plain = txt(&WITH_CONTENTS[6..]).document;
    assert!(!plain.meta.contents);
    assert!(!print(&plain, PrintOptions::default()).contains("目次"));
}

// 3. The enactment preamble.

const PREAMBLE: &[&str] = &[
    "○雫石町情報セキュリティ対策規程",
    "平成23年11月25日",
    "訓令第3号",
    "改正　平成28年3月31日訓令第5号",
    "　　　令和5年3月31日訓令第1号",
    "雫石町情報セキュリティ規程（平成17年訓令第2号）の全部を次のように改正する。",
    "（目的）",
    "第1条　この訓令は、情報資産の保護に関し必要な事項を定める。",
];

#[test]
fn the_preamble_gives_title_date_number_and_amendments() {
    for p in [txt(PREAMBLE), word(PREAMBLE)] {
        let m = &p.document.meta;
        assert_eq!(m.title, "雫石町情報セキュリティ対策規程");
        assert_eq!(
            m.published.map(|d| d.to_string()).as_deref(),
            Some("2011-11-25")
        );
        assert_eq!(m.number.as_deref(), Some("訓令第3号"));
        let amendments: Vec<String> = m
            .amendments
            .iter()
            .map(|a| format!("{} {}", a.date, a.number))
            .collect();
        assert_eq!(amendments, ["2016-03-31 訓令第5号", "2023-03-31 訓令第1号"]);
        assert_eq!(m.edition, "令和5年3月31日改正");
        assert_eq!(m.body.map(|b| b.to_string()).as_deref(), Some("033014"));
        assert_eq!(
            p.document.preamble,
            ["雫石町情報セキュリティ規程（平成17年訓令第2号）の全部を次のように改正する。"]
        );
        assert!(p.diagnostics.is_empty(), "{:?}", messages(&p));
        // Written with front matter, read back the same.
        assert_round_trip(&p.document);
        let printed = print(&p.document, PrintOptions::default());
        assert!(printed.contains("number: 訓令第3号\n"), "{printed}");
        assert!(
            printed.contains("- date: 2016-03-31\n  number: 訓令第5号\n"),
            "{printed}"
        );
    }
}

#[test]
fn options_win_over_the_preamble() {
    let options = ReadOptions {
        body: Some("033022".into()),
        edition: Some("令和6年度版".into()),
        stem: "x".into(),
        ..ReadOptions::default()
    };
    let p = pasted::read(&PREAMBLE.join("\n"), &options);
    assert_eq!(
        p.document.meta.body.map(|b| b.to_string()).as_deref(),
        Some("033022")
    );
    assert_eq!(p.document.meta.edition, "令和6年度版");
    let w = docx::read(docx_bytes(PREAMBLE), &options).expect("readable");
    assert_eq!(w.document.meta, p.document.meta);
    // Without a preamble: the file's stem, no body, and a warning.
    let bare = pasted::read(&PREAMBLE[6..].join("\n"), &self::options());
    assert_eq!(
        messages(&bare),
        [format!(
            "1: {UNTITLED} (`○…`) at the top: read as text pasted from a 例規集 page, titled by the file name (a file in the authoring format starts with a `---` line)"
        )]
    );
    assert_eq!(bare.document.meta.title, "規程");
    assert_eq!(bare.document.meta.edition, "規程");
    assert_eq!(bare.document.meta.body, None);
}

// 4. 附則.

#[test]
fn supplementary_provisions_hold_their_paragraphs_in_order() {
    check_all(
        &[
            "第1条　本文。",
            "附　則",
            "この訓令は、平成24年4月1日から施行する。",
            "附　則（平成29年3月31日訓令第6号）",
            "この訓令は、平成29年4月1日から施行する。",
            "附　則（令和5年3月31日訓令第2号）",
            "（施行期日）",
            "１　この訓令は、令和5年4月1日から施行する。",
            "（経過措置）",
            "２　この訓令の施行の際現にされている許可は、改正後の規定によりされた許可とみなす。",
            "(1)　許可の期間は、従前の例による。",
            "附　則（令和6年3月29日訓令第3号）",
            "（施行期日）",
            "第1条　この訓令は、令和6年4月1日から施行する。",
            "（経過措置）",
            "第2条　この訓令の施行前にした行為については、なお従前の例による。",
        ],
        expect![[r#"
            article 第1条<article> | 本文。
            heading  [附則] | この訓令は、平成24年4月1日から施行する。
            heading  [附則（平成29年3月31日訓令第6号）] | この訓令は、平成29年4月1日から施行する。
            heading  [附則（令和5年3月31日訓令第2号）]
              paragraph １<paragraph> [施行期日] | この訓令は、令和5年4月1日から施行する。
              paragraph ２<paragraph> [経過措置] | この訓令の施行の際現にされている許可は、改正後の規定によりされた許可とみなす。
                item (1)<paren-arabic> | 許可の期間は、従前の例による。
            heading  [附則（令和6年3月29日訓令第3号）]
              article 第1条<article> [施行期日] | この訓令は、令和6年4月1日から施行する。
              article 第2条<article> [経過措置] | この訓令の施行前にした行為については、なお従前の例による。
        "#]],
    );
}

// 5. Other shapes.

#[test]
fn an_article_line_of_a_short_phrase_is_its_caption() {
    let long = format!(
        "第3条　{}",
        "あ".repeat(crate::structure::law::CAPTION_PHRASE_MAX + 1)
    );
    check_all(
        &[
            "第1条　対象範囲",
            "この規程は、町長部局に適用する。",
            "第2条　遵守義務",
            "２　職員等は、この規程を遵守しなければならない。",
            &long,
            "この行は前の条の段落である。",
        ],
        expect![[r#"
            article 第1条<article> [対象範囲] | この規程は、町長部局に適用する。
            article 第2条<article> | 遵守義務
              paragraph ２<paragraph> | 職員等は、この規程を遵守しなければならない。
            article 第3条<article> | あああああああああああああああああああああ | この行は前の条の段落である。
        "#]],
    );
}

/// Authoring-format mutation case 18497 (seed 118066125235561): `第4`
/// alone, its text `電子メールの利用` on the next line, then `1 …` — the
/// phrase is the article's text (it followed no article line), and must
/// not become the caption when printed and read again.
#[test]
fn regression_a_phrase_after_a_bare_article_line_stays_text() {
    let p = txt(&[
        "第4",
        "電子メールの利用",
        "１　職員等は、電子メールを私用に使わない。",
    ]);
    expect![[r#"
        article 第4<ordinal> | 電子メールの利用
          paragraph １<paragraph> | 職員等は、電子メールを私用に使わない。
    "#]]
    .assert_eq(&outline(&p.document));
    assert_round_trip(&p.document);
    let two = txt(&[
        "第4",
        "電子メールの利用",
        "職員等は、電子メールを私用に使わない。",
    ]);
    assert_round_trip(&two.document);
}

#[test]
fn yoko_style_articles_without_jou() {
    check_all(
        &[
            "第1　趣旨",
            "この要綱は、職員等が守るべき事項を定める。",
            "第2　電子メールの利用",
            "１　職員等は、業務以外の目的で電子メールを送信してはならない。",
            "２　不審な電子メールは、開かずに報告しなければならない。",
            "第3　この要綱は、令和2年4月1日から施行する。",
        ],
        expect![[r#"
            article 第1<ordinal> [趣旨] | この要綱は、職員等が守るべき事項を定める。
            article 第2<ordinal> [電子メールの利用]
              paragraph １<paragraph> | 職員等は、業務以外の目的で電子メールを送信してはならない。
              paragraph ２<paragraph> | 不審な電子メールは、開かずに報告しなければならない。
            article 第3<ordinal> | この要綱は、令和2年4月1日から施行する。
        "#]],
    );
}

#[test]
fn items_in_kanji_and_in_parentheses() {
    check_all(
        &[
            "第1条　次に掲げる者に適用する。",
            "一　町の職員",
            "二　派遣労働者",
            "二の二　受託者の従業者",
            "２　前項の者は、次に掲げる事項を守らなければならない。",
            "（一）　パスワードを他人に知らせないこと。",
            "（二）　端末を施錠すること。",
            "(1)　離席時に画面を施錠すること。",
        ],
        expect![[r#"
            article 第1条<article> | 次に掲げる者に適用する。
              item 一<kanji> | 町の職員
              item 二<kanji> | 派遣労働者
              item 二の二<kanji> | 受託者の従業者
              paragraph ２<paragraph> | 前項の者は、次に掲げる事項を守らなければならない。
                item （一）<paren-kanji> | パスワードを他人に知らせないこと。
                item （二）<paren-kanji> | 端末を施錠すること。
                  item (1)<paren-arabic> | 離席時に画面を施錠すること。
        "#]],
    );
}

#[test]
fn definitions_in_a_table_are_the_article_s_items() {
    let lines = [
        "（定義）",
        "第2条　この規程において、次の表の左欄に掲げる用語の意義は、同表の右欄に定めるところによる。",
        "用語\t意義",
        "情報資産\t町の業務で取り扱う情報及びそれを記録した媒体をいう。",
        "職員等\t町の職員及び派遣労働者をいう。",
        "(3)\tCISO\t最高情報セキュリティ責任者をいう。",
        "２　前項に定めるもののほか、用語の意義は基本方針の例による。",
    ];
    let from_word = word(&lines);
    let from_txt = txt(&lines);
    expect![[r#"
        article 第2条<article> [定義] | この規程において、次の表の左欄に掲げる用語の意義は、同表の右欄に定めるところによる。
          item  | 情報資産　町の業務で取り扱う情報及びそれを記録した媒体をいう。
          item  | 職員等　町の職員及び派遣労働者をいう。
          item (3)<paren-arabic> | CISO　最高情報セキュリティ責任者をいう。
          paragraph ２<paragraph> | 前項に定めるもののほか、用語の意義は基本方針の例による。
    "#]]
    .assert_eq(&outline(&from_word.document));
    assert_eq!(from_txt.document, from_word.document);
    assert!(
        from_word.diagnostics.is_empty(),
        "{:?}",
        messages(&from_word)
    );
    assert_round_trip(&from_word.document);
}

#[test]
fn bullets_are_unlabelled_items_of_their_parent() {
    check_all(
        &[
            "第3条　職員等は、パスワードを次のとおり管理しなければならない。",
            "・他人に知られないようにすること。",
            "・定期的に変更すること。",
            "(1)　管理者は、初期パスワードを変更させること。",
            "・変更の記録を残すこと。",
            "２　前項の規定は、委託事業者に準用する。",
        ],
        expect![[r#"
            article 第3条<article> | 職員等は、パスワードを次のとおり管理しなければならない。
              item  | 他人に知られないようにすること。
              item  | 定期的に変更すること。
              item (1)<paren-arabic> | 管理者は、初期パスワードを変更させること。
                item  | 変更の記録を残すこと。
              paragraph ２<paragraph> | 前項の規定は、委託事業者に準用する。
        "#]],
    );
    // The authoring format writes them back as bullets.
    let printed = print(
        &txt(&["第3条　本文。", "・一つ目"]).document,
        PrintOptions::default(),
    );
    assert!(printed.ends_with("第3条 本文。\n\n・一つ目\n"), "{printed}");
}

// 6. The fixtures: one regulation, three forms, one tree.

fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/regulations")
        .join(name)
}

fn read_fixture(name: &str) -> Parsed {
    let path = fixture(name);
    let options = ReadOptions {
        stem: name.rsplit_once('.').map_or(name, |(s, _)| s).into(),
        ..ReadOptions::default()
    };
    if name.ends_with(".docx") {
        docx::read(std::fs::read(&path).expect("fixture"), &options).expect("readable")
    } else {
        crate::read_text(&std::fs::read_to_string(&path).expect("fixture"), &options)
    }
}

#[test]
fn each_regulation_reads_to_one_tree_from_every_form() {
    for (name, forms) in [
        ("shizukuishi", &["txt", "docx"][..]),
        ("kuzumaki", &["txt", "docx", "md"][..]),
        ("hiraizumi", &["txt", "docx"][..]),
    ] {
        let first = read_fixture(&format!("{name}.txt"));
        assert!(
            first.diagnostics.is_empty(),
            "{name}: {:?}",
            messages(&first)
        );
        for form in &forms[1..] {
            let other = read_fixture(&format!("{name}.{form}"));
            assert!(
                other.diagnostics.is_empty(),
                "{name}.{form}: {:?}",
                messages(&other)
            );
            assert_eq!(other.document, first.document, "{name}.{form}");
        }
        assert_round_trip(&first.document);
    }
}

#[test]
fn the_town_s_kunrei_as_pasted() {
    let p = read_fixture("shizukuishi.txt");
    let d = &p.document;
    assert_eq!(d.meta.title, "雫石町情報セキュリティ対策規程");
    assert_eq!(d.meta.number.as_deref(), Some("訓令第4号"));
    assert_eq!(d.meta.amendments.len(), 2);
    assert!(d.meta.contents);
    assert_eq!(d.preamble.len(), 1);
    let kinds = |k: NodeKind| d.nodes().filter(|n| n.kind == k).count();
    assert_eq!(
        (
            kinds(NodeKind::Heading),
            kinds(NodeKind::Article),
            kinds(NodeKind::Paragraph),
            kinds(NodeKind::Item)
        ),
        (12, 16, 7, 9)
    );
    let paths: Vec<String> = d
        .located()
        .iter()
        .filter(|l| l.node.kind != NodeKind::Item)
        .map(|l| l.path.join(" / "))
        .collect();
    expect![[r#"
        第1章
        第1章 / 第1条
        第1章 / 第2条
        第1章 / 第3条
        第1章 / 第3条 / ２
        第2章
        第2章 / 第4条
        第2章 / 第4条 / ２
        第2章 / 第5条
        第2章 / 第6条
        第2章 / 第7条
        第2章 / 第7条 / ２
        第2章 / 第7条 / ３
        第3章
        第3章 / 第1節
        第3章 / 第1節 / 第8条
        第3章 / 第1節 / 第9条
        第3章 / 第2節
        第3章 / 第2節 / 第10条
        第3章 / 第2節 / 第11条
        第3章 / 第2節 / 第12条
        第3章 / 第2節 / 第12条 / ２
        第4章
        第4章 / 第1節
        第4章 / 第1節 / 第13条
        第4章 / 第2節
        第4章 / 第2節 / 第14条
        第4章 / 第2節 / 第15条
        第5章
        第5章 / 第16条
        附則
        附則（平成29年3月31日訓令第6号）
        附則（令和5年3月31日訓令第2号）
        附則（令和5年3月31日訓令第2号） / １
        附則（令和5年3月31日訓令第2号） / ２
    "#]]
    .assert_eq(&(paths.join("\n") + "\n"));
}

/// A `.md` file without front matter is read as pasted text.
#[test]
fn markdown_without_front_matter_is_read_as_pasted_text() {
    let text = std::fs::read_to_string(fixture("hiraizumi.txt")).expect("fixture");
    let as_md = crate::read_text(&text, &options());
    assert_eq!(
        as_md.document,
        txt(&text.lines().collect::<Vec<_>>()).document
    );
    assert!(as_md.diagnostics.is_empty(), "{:?}", messages(&as_md));
    // With front matter, the authoring format: its title; the `○` line is
    // text.
    let with_fm = crate::read_text(&format!("{FM}{text}"), &options());
    assert_eq!(
        with_fm.document.meta.title,
        "雫石町情報セキュリティ対策規程"
    );
    assert!(with_fm.document.preamble[0].starts_with("○平泉町情報セキュリティ実施要綱"));
}
