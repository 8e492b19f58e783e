//! Reading and printing the authoring format.

use expect_test::{Expect, expect};
use kaitei_model::{Document, LabelStyle, Node, NodeKind, Status};

use super::{PrintOptions, parse, print};

const FM: &str = "---\nkind: guideline\ntitle: テスト\nedition: 令和7年3月版\n---\n";

/// An outline of the tree: one line per node with kind, label (style),
/// title, text and commentary.
pub(crate) fn outline(doc: &Document) -> String {
    fn visit(n: &Node, depth: usize, out: &mut String) {
        let label = n
            .label
            .as_ref()
            .map(|l| format!("{}<{}>", l.written(), l.style().name()))
            .unwrap_or_default();
        let mut line = format!("{}{} {}", "  ".repeat(depth), n.kind.as_str(), label);
        if let Some(t) = &n.title {
            line.push_str(&format!(" [{t}]"));
        }
        for p in &n.paragraphs {
            line.push_str(&format!(" | {p}"));
        }
        for c in &n.commentary {
            line.push_str(&format!(" > {c}"));
        }
        out.push_str(line.trim_end());
        out.push('\n');
        for c in &n.children {
            visit(c, depth + 1, out);
        }
    }
    let mut out = String::new();
    for p in &doc.preamble {
        out.push_str(&format!("preamble | {p}\n"));
    }
    for n in &doc.children {
        visit(n, 0, &mut out);
    }
    out
}

fn check(body: &str, expect: Expect) {
    let parsed = parse(&format!("{FM}{body}"));
    let errors: Vec<_> = parsed.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    expect.assert_eq(&outline(&parsed.document));
    assert_round_trip(&parsed.document);
}

/// print ∘ parse is the identity on trees, and printing is stable.
pub(crate) fn assert_round_trip(doc: &Document) {
    let printed = print(doc, PrintOptions::default());
    let again = parse(&printed);
    assert_eq!(
        outline(&again.document),
        outline(doc),
        "tree changed on re-reading:\n{printed}"
    );
    assert_eq!(
        &again.document, doc,
        "document changed on re-reading:\n{printed}"
    );
    assert_eq!(print(&again.document, PrintOptions::default()), printed);
}

#[test]
fn headings_labels_and_titles() {
    check(
        "# 第2編 例文\n## 第1章 基本方針\n### 1. 目的\n本文。\n### 2 定義\n## 附則\n#### 4.1. サーバ\n",
        expect![[r#"
            heading 第2編<part> [例文]
              heading 第1章<chapter> [基本方針]
                heading 1.<dotted> [目的] | 本文。
                heading 2<dotted> [定義]
              heading  [附則]
                heading 4.1.<dotted> [サーバ]
        "#]],
    );
}

#[test]
fn paragraphs_join_lines_and_split_at_blank_lines() {
    check(
        "# 1. 目的\n一行目と\n二行目。\n\n次の段落。\n(1) 項目の\n続き。\n\n項目の第二段落。\n",
        expect![[r#"
            heading 1.<dotted> [目的] | 一行目と二行目。 | 次の段落。
              item (1)<paren-arabic> | 項目の続き。 | 項目の第二段落。
        "#]],
    );
}

#[test]
fn the_escape_keeps_text_plain() {
    check(
        "# 1. 目的\n(1) 項目\n\n\\(2) これは項目ではない\n続く行\n\n\\# 見出しでもない\n",
        expect![[r#"
            heading 1.<dotted> [目的]
              item (1)<paren-arabic> | 項目 | (2) これは項目ではない続く行 | # 見出しでもない
        "#]],
    );
}

#[test]
fn items_nest_by_first_appearance() {
    check(
        "# 4.1. サーバ\n(1) 取付け\n① 火災\nア 具体\n(ア) 細目\nイ 次\n② 次\n(2) 冗長化\nア 直下のア\n## 4.2. 別の節\nア 最初のア\n(1) 二番目の様式\n",
        expect![[r#"
            heading 4.1.<dotted> [サーバ]
              item (1)<paren-arabic> | 取付け
                item ①<circled> | 火災
                  item ア<katakana> | 具体
                    item (ア)<paren-katakana> | 細目
                  item イ<katakana> | 次
                item ②<circled> | 次
              item (2)<paren-arabic> | 冗長化
                item ア<katakana> | 直下のア
              heading 4.2.<dotted> [別の節]
                item ア<katakana> | 最初のア
                  item (1)<paren-arabic> | 二番目の様式
        "#]],
    );
}

#[test]
fn full_width_forms_and_spaces() {
    let parsed = parse(&format!(
        "{FM}# １． 目的\n（１）　全角\n⑵　丸括弧\n①　丸数字\n"
    ));
    let doc = &parsed.document;
    let h = &doc.children[0];
    assert_eq!(h.children.len(), 2);
    assert_eq!(h.children[0].paragraphs, ["全角"]);
    assert_eq!(
        h.children[1].label.as_ref().map(|l| l.value().to_vec()),
        Some(vec![2])
    );
    assert_eq!(h.children[1].children[0].paragraphs, ["丸数字"]);
    assert_round_trip(doc);
}

#[test]
fn iroha_is_chosen_by_the_first_label_of_its_scope() {
    let parsed = parse(&format!(
        "{FM}# 1. 見出し\nイ 一つ目\nロ 二つ目\nハ 三つ目\n# 2. 別\nア 一\nイ 二\n"
    ));
    let doc = &parsed.document;
    let styles: Vec<_> = doc.children[0]
        .children
        .iter()
        .map(|n| {
            (
                n.label.as_ref().unwrap().style(),
                n.label.as_ref().unwrap().value()[0],
            )
        })
        .collect();
    assert_eq!(
        styles,
        [
            (LabelStyle::Iroha, 1),
            (LabelStyle::Iroha, 2),
            (LabelStyle::Iroha, 3)
        ]
    );
    let second: Vec<_> = doc.children[1]
        .children
        .iter()
        .map(|n| n.label.as_ref().unwrap().style())
        .collect();
    assert_eq!(second, [LabelStyle::Katakana, LabelStyle::Katakana]);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
}

#[test]
fn articles_captions_paragraphs_and_items() {
    check(
        "# 第1章 総則\n（目的）\n第1条　この規程は、目的を定める。\n\n（定義）\n\n第2条 用語の意義は、次のとおりとする。\n(1) ネットワーク　機器の総体\n(2) 情報システム　処理の仕組み\n２　前項の規定にかかわらず、次に掲げる。\n一　例外の一\nア 細目\n二　例外の二\n3. 三項\n第3条の2 見出しのない条\n2 二項\n## 第1節 細則\n第4条 本文\n",
        expect![[r#"
            heading 第1章<chapter> [総則]
              article 第1条<article> [目的] | この規程は、目的を定める。
              article 第2条<article> [定義] | 用語の意義は、次のとおりとする。
                item (1)<paren-arabic> | ネットワーク　機器の総体
                item (2)<paren-arabic> | 情報システム　処理の仕組み
                paragraph ２<paragraph> | 前項の規定にかかわらず、次に掲げる。
                  item 一<kanji> | 例外の一
                    item ア<katakana> | 細目
                  item 二<kanji> | 例外の二
                paragraph 3.<paragraph> | 三項
              article 第3条の2<article> | 見出しのない条
                paragraph 2<paragraph> | 二項
              heading 第1節<section> [細則]
                article 第4条<article> | 本文
        "#]],
    );
}

#[test]
fn a_caption_without_a_blank_line_before_its_article() {
    check(
        "# 第1章 総則\n第1条 本文。\n（定義）\n第2条 本文二。\n",
        expect![[r#"
            heading 第1章<chapter> [総則]
              article 第1条<article> | 本文。
              article 第2条<article> [定義] | 本文二。
        "#]],
    );
}

#[test]
fn a_caption_not_before_an_article_is_text() {
    check(
        "# 1. 見出し\n（参考）\n",
        expect![[r#"
            heading 1.<dotted> [見出し] | （参考）
        "#]],
    );
}

#[test]
fn commentary_belongs_to_the_node_before_it() {
    check(
        "# 1. 目的\n> 見出しの解説\n本文\n(1) 項目\n> 項目の解説、\n> 続き\n>\n> 第二段落\n\n> 第三段落\n",
        expect![[r#"
            heading 1.<dotted> [目的] | 本文 > 見出しの解説
              item (1)<paren-arabic> | 項目 > 項目の解説、続き > 第二段落 > 第三段落
        "#]],
    );
}

#[test]
fn placeholders_are_kept_and_listed() {
    let parsed = parse(&format!(
        "{FM}# 1. 目的\n{{{{団体名}}}}の{{{{CISO職名}}}}は、{{{{団体名}}}}の…\n"
    ));
    let node = &parsed.document.children[0];
    assert_eq!(
        node.paragraphs,
        ["{{団体名}}の{{CISO職名}}は、{{団体名}}の…"]
    );
    assert_eq!(node.placeholders(), ["団体名", "CISO職名"]);
}

#[test]
fn pinned_keys_and_attributes() {
    let parsed = parse(&format!(
        "{FM}# 1. 目的 {{#k-1}}\n(1) 本文 {{#k-2 from=g-1-1 status=modified}}\n続き {{#not-a-key}}\n(2) 二 {{from=g-1-2 status=adopted}}\n"
    ));
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let h = &parsed.document.children[0];
    assert_eq!((h.key.as_str(), h.key_pinned), ("k-1", true));
    let i = &h.children[0];
    assert_eq!(i.key.as_str(), "k-2");
    assert_eq!(i.from.as_ref().map(|k| k.as_str()), Some("g-1-1"));
    assert_eq!(i.status, Some(Status::Modified));
    // Only the first line carries attributes: later lines are text.
    assert_eq!(i.paragraphs, ["本文続き {#not-a-key}"]);
    let j = &h.children[1];
    assert!(!j.key_pinned);
    assert_eq!(j.status, Some(Status::Adopted));
    assert_round_trip(&parsed.document);
}

#[test]
fn duplicate_keys_and_bad_attributes_are_errors() {
    let parsed = parse(&format!(
        "{FM}# 1. 目的 {{#k}}\n(1) 一 {{#k}}\n(2) 二 {{status=gone}}\n"
    ));
    let msgs: Vec<String> = parsed
        .diagnostics
        .iter()
        .map(|d| format!("{}: {}", d.line, d.message))
        .collect();
    assert_eq!(msgs.len(), 2, "{msgs:?}");
    assert!(
        msgs[0].starts_with("7: key `#k` is pinned twice"),
        "{msgs:?}"
    );
    assert!(
        msgs[1].starts_with("8: bad attribute block: `status=gone`"),
        "{msgs:?}"
    );
}

#[test]
fn conflicts_are_errors_until_resolved() {
    let src = format!(
        "{FM}# 1. 目的\n(1) 本文\n<<<<<<< 本団体\n本団体の文\n||||||| 旧版 令和6年10月版\n旧\n=======\n新\n>>>>>>> 新版 令和7年3月版\n"
    );
    let parsed = parse(&src);
    assert_eq!(parsed.diagnostics.len(), 1);
    assert_eq!(parsed.diagnostics[0].line, 8);
    assert!(
        parsed.diagnostics[0]
            .message
            .contains("unresolved merge conflict")
    );
    let item = &parsed.document.children[0].children[0];
    assert_eq!(item.conflicts.len(), 1);
    assert_round_trip(&parsed.document);
}

#[test]
fn empty_and_headless_documents() {
    let empty = parse(FM);
    assert!(
        empty
            .diagnostics
            .iter()
            .any(|d| d.message.contains("no clauses"))
    );
    let no_fm = parse("# 1. 目的\n");
    assert_eq!(no_fm.diagnostics[0].line, 1);
    assert!(no_fm.diagnostics[0].message.contains("front matter"));
    assert_eq!(no_fm.document.children.len(), 1, "the body is still read");
}

#[test]
fn label_gaps_are_warnings() {
    let parsed = parse(&format!("{FM}# 1. 目的\n(1) 一\n(3) 三\n"));
    assert_eq!(parsed.diagnostics.len(), 1);
    assert!(!parsed.diagnostics[0].is_error());
    assert!(parsed.diagnostics[0].message.contains("(3) follows (1)"));
    let branch = parse(&format!("{FM}# 第3章 a\n# 第3章の2 b\n# 第4章 c\n"));
    assert!(branch.diagnostics.is_empty(), "{:?}", branch.diagnostics);
}

#[test]
fn node_kinds_and_lines() {
    let parsed = parse(&format!("{FM}# 第1章 総則\n第1条 本文\n2 二項\n"));
    let kinds: Vec<NodeKind> = parsed.document.nodes().map(|n| n.kind).collect();
    assert_eq!(
        kinds,
        [NodeKind::Heading, NodeKind::Article, NodeKind::Paragraph]
    );
    let article = &parsed.document.children[0].children[0];
    assert_eq!(parsed.line_of(&article.key), Some(7));
}

/// Every document under `fixtures/` (and each `.docx` read through the Word
/// reader) survives print ∘ parse unchanged.
#[test]
fn every_fixture_round_trips() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    let mut seen = 0;
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("fixtures folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let doc = match path.extension().and_then(|e| e.to_str()) {
                Some("md") => {
                    let text = std::fs::read_to_string(&path).expect("UTF-8 fixture");
                    if !text.starts_with("---") {
                        continue; // notes that are not documents
                    }
                    parse(&text).document
                }
                Some("txt") => {
                    let text = std::fs::read_to_string(&path).expect("UTF-8 fixture");
                    if path.parent().and_then(|p| p.file_name()) != Some("regulations".as_ref()) {
                        continue; // notes that are not documents
                    }
                    crate::pasted::read(&text, &crate::ReadOptions::default()).document
                }
                Some("docx") => {
                    let bytes = std::fs::read(&path).expect("readable fixture");
                    let options = crate::docx::DocxOptions::default();
                    crate::docx::read(bytes, &options)
                        .expect("readable docx")
                        .document
                }
                _ => continue,
            };
            assert!(doc.node_count() > 0, "{}", path.display());
            assert_round_trip(&doc);
            seen += 1;
        }
    }
    assert!(seen >= 2, "fixtures were found: {seen}");
}

/// Issue #10, item 5: line breaks are made LF first (CRLF and a lone CR
/// alike); a control character left after that is an error naming its line
/// and column, and the rest of the file is still read.
#[test]
fn line_breaks_become_lf_and_control_characters_are_errors() {
    let lf = format!("{FM}# 1. 目的\n(1) 一行目\n二行目\n\n(2) 次\n> 解説\n");
    let as_read = |text: &str| {
        let parsed = parse(text);
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        outline(&parsed.document)
    };
    let want = as_read(&lf);
    assert_eq!(as_read(&lf.replace('\n', "\r\n")), want);
    assert_eq!(
        as_read(&lf.replace('\n', "\r")),
        want,
        "a lone CR is a line break"
    );

    let errors = |text: &str| -> Vec<String> {
        parse(text)
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| format!("{}: {}", d.line, d.message))
            .collect()
    };
    assert_eq!(
        errors(&format!(
            "{FM}# 1. 目的\r\n(1) 本文\u{1b}[31m赤\r\n(3) \u{0}\r\n"
        )),
        [
            "7: control character U+001B (ESC) at column 7 is not allowed in text; delete it (the text holds 2 such characters)"
        ]
    );
    assert_eq!(
        errors(&format!("{FM}# 1. 目的\n(1) 一\u{2028}二\n")),
        [
            "7: control character U+2028 (LINE SEPARATOR) at column 6 is not allowed in text; delete it"
        ]
    );
    // In the front matter too, with its other problems still reported.
    assert_eq!(
        errors("---\nkind: guideline\ntitle: \u{7f}\n---\n# 1. 目的\n(1) 本文\u{8}\n"),
        [
            "3: control character U+007F (DEL) at column 8 is not allowed in text; delete it (the text holds 2 such characters)"
        ]
    );
}

/// Issue #10, item 4: a file of more than `MAX_LINES` lines is refused with
/// one error, before anything is built for it; one of exactly that many is
/// read.
#[test]
fn files_over_the_line_limit_are_refused() {
    let head = format!("{FM}# 1. 目的\n");
    let at_limit = format!(
        "{head}{}",
        "\n".repeat(crate::MAX_LINES - head.lines().count())
    );
    assert_eq!(at_limit.lines().count(), crate::MAX_LINES);
    let parsed = parse(&at_limit);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    assert_eq!(parsed.document.node_count(), 1);

    let over = format!("{at_limit}(1) 一\n");
    let parsed = parse(&over);
    let errors: Vec<String> = parsed
        .diagnostics
        .iter()
        .map(|d| format!("{}: {}", d.line, d.message))
        .collect();
    assert_eq!(
        errors,
        [
            "200001: the document has more than 200,000 lines, the most kaitei reads (the memory a document takes grows with its lines; the full guideline has some 7,000): it is not read"
        ]
    );
    assert_eq!(parsed.document.node_count(), 0);
}
