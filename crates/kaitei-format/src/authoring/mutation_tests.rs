//! Mutation robustness of the authoring-format reader (and of the reader of
//! text without front matter, [`crate::pasted`]): every fixture under
//! `fixtures/` (`*.md`, and the regulations' `*.txt`) is cut to a window of
//! lines — text without front matter is read as pasted — and damaged by seeded
//! mutations — lines deleted, duplicated, swapped, moved, joined and split;
//! characters and tokens the reader cares about inserted (full-width digits,
//! `　`, `{#`, `}`, `#`, `>`, `\`, `---`, conflict markers, labels such as
//! `第`, `条`, `①`, `⑴`, iroha, 目次, 附則, `・`, tabs, 和暦 dates, HTML
//! comments, controls, BOM, CR); the whole
//! truncated at a random character — and then parsed. Each case checks:
//!
//! - `parse` never panics and stays well under [`crate::mutate::MAX_CASE_TIME`];
//! - when the result has no errors, print ∘ parse gives the same document
//!   (and printing it again gives the same text), the round-trip promise of
//!   `FORMAT.md` extended from well-formed to arbitrary error-free input.
//!
//! The default run is a few hundred cases; `KAITEI_MUTATIONS=20000` runs
//! more (see `crate::mutate` for the seed and reproducing one case).

use kaitei_model::{Document, Node};

use super::{PrintOptions, parse, print};
use crate::mutate::{Report, Rng, case_numbers, excerpt, run_case, seed};

/// Cases in the default run.
const DEFAULT_CASES: usize = 300;

/// Tokens inserted into lines: what the lexer, the label parser, the
/// attribute parser and the front matter react to.
const TOKENS: &[&str] = &[
    "１",
    "２",
    "０",
    "９",
    "１０",
    "\u{3000}",
    " ",
    "\t",
    "{#",
    "}",
    "{",
    "{#k}",
    "{#a-1}",
    "{#x from=g-1 status=modified}",
    "{from=}",
    "{status=bogus}",
    "{#キー}",
    "#",
    "# ",
    "## ",
    "###### ",
    "####### ",
    ">",
    "> ",
    "\\",
    "---",
    "<<<<<<<",
    "<<<<<<< ours",
    "|||||||",
    "||||||| base",
    "=======",
    ">>>>>>>",
    ">>>>>>> theirs",
    "<!--",
    "-->",
    "ア",
    "イ",
    "イ\u{3000}",
    "ロ\u{3000}",
    "ハ",
    "ヰ",
    "①",
    "⑳",
    "㉑",
    "㊿",
    "⑴",
    "⒇",
    "(1)",
    "（１）",
    "(ア)",
    "（イ）",
    "(a)",
    "ａ",
    "a ",
    "第",
    "条",
    "章",
    "節",
    "款",
    "目",
    "編",
    "の",
    "第1条",
    "第１条\u{3000}",
    "第2条の2 ",
    "第4294967295条 ",
    "第4294967296条 ",
    "(4294967295)\u{3000}",
    "（4294967294）",
    "4294967295. ",
    "第4294967295章の4294967295 ",
    "第99999999999999999999条 ",
    "第一条 ",
    "第十二条の三 ",
    "第3章 ",
    "第0章 ",
    "1. ",
    "4.1. ",
    "0. ",
    "1.2.3.4.5.6.7.8.9. ",
    "2 ",
    "18446744073709551616 ",
    "一\u{3000}",
    "二十\u{3000}",
    "十",
    "千",
    "項",
    "号",
    "附則",
    "附　則（令和5年3月31日訓令第2号）",
    "目次",
    "目　次",
    "・",
    "\t",
    "○",
    "第1章\u{3000}総則",
    "第2節 管理",
    "第1款 細則",
    "第1 ",
    "（一）\u{3000}",
    "二の二 ",
    "（第1条―第3条）",
    "(第1条~第2条)",
    "（第12条・第13条）",
    "平成23年11月25日",
    "令和元年5月1日訓令第3号",
    "改正\u{3000}",
    "訓令第1号",
    "用語\t意義",
    "（目的）",
    "(",
    ")",
    "（",
    "）",
    "（解説）",
    "【解説】",
    "、",
    "。",
    "{{団体名}}",
    "{{",
    "}}",
    "\"",
    "'",
    ":",
    "kind: guideline",
    "kind: nonsense",
    "edition:",
    "published: 2025-13-45",
    "published: 令和99年1月1日",
    "body: \"000000\"",
    "body: 131016",
    "derived_from: [",
    "title: |",
    "\r",
    "\u{feff}",
    "\u{0}",
    "\u{200b}",
    "\u{0301}",
    "\u{fffd}",
    "🎌",
    "𠮷",
];

/// Beginnings a line may be given instead of its own label.
const STARTS: &[&str] = &[
    "# ",
    "## ",
    "#### ",
    "> ",
    ">",
    "\\",
    "第9条\u{3000}",
    "第1条の2 ",
    "(1)\u{3000}",
    "（２）",
    "⑵ ",
    "② ",
    "ア\u{3000}",
    "イ ",
    "(ウ) ",
    "a ",
    "(b) ",
    "三\u{3000}",
    "2 ",
    "２\u{3000}",
    "4294967295 ",
    "1. ",
    "3.2. ",
    "(4294967295) ",
    "第4294967295条 ",
    "<<<<<<< 本団体",
    "=======",
    ">>>>>>> 新版",
    "|||||||",
    "---",
    "",
];

/// Front-matter lines: YAML that is wrong, deep, self-referential or
/// exponential (aliases of aliases).
const YAML: &[&str] = &[
    "a: &a [x, x, x, x, x, x, x, x, x, x]",
    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]",
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]",
    "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]",
    "title: *d",
    "title: *undefined",
    "<<: *a",
    "title: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
    "kind: !!binary aGVsbG8=",
    "kind: [guideline]",
    "title: {a: b}",
    "edition: 12",
    "edition: ~",
    "published: 2025-02-30",
    "published: 99999-01-01",
    "published: 令和元年5月1日",
    "body: 0",
    "body: \"13101\"",
    "body: \"131016\"",
    "body: \"1310165\"",
    "derived_from: \"\"",
    "omitted:",
    "- from: x",
    "- {from: 1}",
    "- 2",
    "omitted: [{from: s4-1-6, reason: ~}, 2, null, {from: \"\"}]",
    "? complex key",
    ": value",
    "title: \"\\uD800\"",
    "title: 'unterminated",
    "\ttitle: tab",
    "%YAML 1.2",
    "...",
];

/// A fixture: its name and text.
struct Fixture {
    name: String,
    text: String,
}

fn fixtures() -> Vec<Fixture> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("fixtures folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "md")
                || (path.extension().is_some_and(|e| e == "txt")
                    && path.parent().and_then(|p| p.file_name()) == Some("regulations".as_ref()))
            {
                let text = std::fs::read_to_string(&path).expect("UTF-8 fixture");
                out.push(Fixture {
                    name: path.display().to_string(),
                    text,
                });
            }
        }
    }
    // Directory order is not stable; cases must be.
    out.sort_by(|a, b| a.name.cmp(&b.name));
    assert!(out.len() >= 3, "fixtures were found: {}", out.len());
    out
}

/// A random character boundary of `s`.
fn boundary(rng: &mut Rng, s: &str) -> usize {
    let n = s.chars().count();
    let k = rng.below(n + 1);
    s.char_indices().nth(k).map_or(s.len(), |(i, _)| i)
}

/// A short made-up line.
fn token_line(rng: &mut Rng) -> String {
    let mut s = String::new();
    for _ in 0..rng.small(5) {
        if rng.one_in(4) {
            s.push(rng.char());
        } else {
            let token: &&str = rng.pick(TOKENS);
            s.push_str(token);
        }
    }
    s
}

/// A merge-conflict block, complete or with markers missing.
fn conflict_block(rng: &mut Rng, lines: &[String]) -> Vec<String> {
    let mut block = vec![format!("<<<<<<< {}", token_line(rng))];
    let take = |rng: &mut Rng, block: &mut Vec<String>| {
        for _ in 0..rng.below(3) {
            if lines.is_empty() || rng.one_in(3) {
                block.push(token_line(rng));
            } else {
                block.push(rng.pick(lines).clone());
            }
        }
    };
    take(rng, &mut block);
    if rng.one_in(2) {
        block.push("||||||| 旧版".into());
        take(rng, &mut block);
    }
    if !rng.one_in(6) {
        block.push("=======".into());
    }
    take(rng, &mut block);
    if !rng.one_in(6) {
        block.push(">>>>>>> 新版".into());
    }
    block
}

/// Applies one line-level mutation.
fn mutate_lines(rng: &mut Rng, lines: &mut Vec<String>) {
    if lines.is_empty() {
        lines.push(token_line(rng));
        return;
    }
    let n = lines.len();
    let i = rng.below(n);
    match rng.below(17) {
        0 => {
            lines.remove(i);
        }
        1 => {
            let l = lines[i].clone();
            lines.insert(i, l);
        }
        2 => lines.swap(i, rng.below(n)),
        3 => {
            let l = lines.remove(i);
            let j = rng.below(lines.len() + 1);
            lines.insert(j, l);
        }
        4..=6 => {
            // A token or character inside a line.
            let at = boundary(rng, &lines[i]);
            let ins = if rng.one_in(3) {
                rng.char().to_string()
            } else {
                rng.pick(TOKENS).to_string()
            };
            lines[i].insert_str(at, &ins);
        }
        7 => {
            // Another beginning: drop the label (up to the first space) and
            // write another.
            let l = &lines[i];
            let rest = l
                .find([' ', '\u{3000}'])
                .map_or(l.as_str(), |p| &l[p..])
                .trim_start_matches([' ', '\u{3000}']);
            lines[i] = format!("{}{rest}", rng.pick(STARTS));
        }
        8 => {
            let l = token_line(rng);
            lines.insert(rng.below(n + 1), l);
        }
        9 => {
            let block = conflict_block(rng, lines);
            let at = rng.below(n + 1);
            lines.splice(at..at, block);
        }
        10 => {
            let len = rng.between(1, 10).min(n - i);
            lines.drain(i..i + len);
        }
        11 => {
            let len = rng.between(1, 10).min(n - i);
            let copy: Vec<String> = lines[i..i + len].to_vec();
            let at = rng.below(n + 1);
            lines.splice(at..at, copy);
        }
        12 => {
            // Replace one character.
            let l = &mut lines[i];
            let at = boundary(rng, l);
            let end = l[at..].chars().next().map_or(at, |c| at + c.len_utf8());
            l.replace_range(at..end, &rng.char().to_string());
        }
        13 => {
            if rng.one_in(2) {
                lines.insert(i, String::new());
            } else if let Some(j) = lines.iter().position(|l| l.trim().is_empty()) {
                lines.remove(j);
            }
        }
        14 => {
            // Join with the next line.
            if i + 1 < n {
                let next = lines.remove(i + 1);
                lines[i].push_str(&next);
            }
        }
        15 => {
            // YAML near the top, where the front matter is.
            let at = rng.between(1, n.min(8));
            let yaml = rng.pick(YAML).to_string();
            lines.insert(at, yaml);
        }
        _ => {
            // Split at a character.
            let at = boundary(rng, &lines[i]);
            let tail = lines[i].split_off(at);
            lines.insert(i + 1, tail);
        }
    }
}

/// The input of one case, and which fixture it came from.
fn input(rng: &mut Rng, fixtures: &[Fixture]) -> (String, String) {
    let fixture = rng.pick(fixtures);
    let all: Vec<&str> = fixture.text.lines().collect();
    // The front matter: the lines up to the second `---`.
    let fm_end = all
        .iter()
        .enumerate()
        .skip(1)
        .find(|(_, l)| l.trim_end() == "---")
        .map_or(0, |(i, _)| i + 1);
    let mut lines: Vec<String> = match rng.below(20) {
        // The whole document (slow in debug builds, so rarely).
        0 => all.iter().map(|l| l.to_string()).collect(),
        // A window anywhere, front matter or not.
        1 | 2 => {
            let start = rng.below(all.len());
            let len = rng.between(1, 80);
            all[start..(start + len).min(all.len())]
                .iter()
                .map(|l| l.to_string())
                .collect()
        }
        // The front matter and a window of the body.
        _ => {
            let body = &all[fm_end..];
            let start = rng.below(body.len());
            let len = rng.between(1, 120);
            all[..fm_end]
                .iter()
                .chain(&body[start..(start + len).min(body.len())])
                .map(|l| l.to_string())
                .collect()
        }
    };
    for _ in 0..rng.small(8) {
        mutate_lines(rng, &mut lines);
    }
    let newline = if rng.one_in(10) { "\r\n" } else { "\n" };
    let mut text = lines.join(newline);
    if rng.one_in(3) {
        text.push_str(newline);
    }
    if rng.one_in(30) {
        text.insert(0, '\u{feff}');
    }
    if rng.one_in(8) {
        let at = boundary(rng, &text);
        text.truncate(at);
    }
    (fixture.name.clone(), text)
}

/// The first node (in document order) that differs, for failure reports.
fn first_difference(a: &Document, b: &Document) -> String {
    if a.meta != b.meta {
        return format!("front matter: {:?}\nvs {:?}", a.meta, b.meta);
    }
    if a.preamble != b.preamble {
        return format!("preamble: {:?}\nvs {:?}", a.preamble, b.preamble);
    }
    let shallow = |n: &Node| {
        let mut n = n.clone();
        n.children.clear();
        n
    };
    let (na, nb): (Vec<&Node>, Vec<&Node>) = (a.nodes().collect(), b.nodes().collect());
    for (x, y) in na.iter().zip(&nb) {
        if shallow(x) != shallow(y) || x.children.len() != y.children.len() {
            return format!(
                "node: {:?} ({} children)\nvs {:?} ({} children)",
                shallow(x),
                x.children.len(),
                shallow(y),
                y.children.len()
            );
        }
    }
    format!("{} nodes vs {} nodes", na.len(), nb.len())
}

/// What [`check`] says of an error-free input that round-trips.
const ROUND_TRIPS: &str = "error-free, round-trips";

/// Reads `text` — the authoring format, or without front matter as pasted
/// text — and if it has no errors, checks print ∘ parse.
fn check(text: &str) -> Result<&'static str, String> {
    let options = crate::ReadOptions {
        body: Some("033014".into()),
        stem: "mutated".into(),
        ..crate::ReadOptions::default()
    };
    let parsed = crate::read_text(text, &options);
    if let Some(d) = parsed
        .diagnostics
        .iter()
        .find(|d| d.message.trim().is_empty())
    {
        return Err(format!("a diagnostic that says nothing: {d:?}"));
    }
    if parsed.has_errors() {
        return Ok("errors");
    }
    let printed = print(&parsed.document, PrintOptions::default());
    let again = parse(&printed);
    if again.has_errors() {
        let errors: Vec<String> = again
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.to_string())
            .collect();
        return Err(format!(
            "ROUND TRIP: an error-free document printed as text with errors: {errors:?}\nprinted:\n{}",
            excerpt(&printed, 3000)
        ));
    }
    if again.document != parsed.document {
        return Err(format!(
            "ROUND TRIP: print ∘ parse changed the document: {}\nprinted:\n{}",
            first_difference(&parsed.document, &again.document),
            excerpt(&printed, 3000)
        ));
    }
    let reprinted = print(&again.document, PrintOptions::default());
    if reprinted != printed {
        return Err(format!(
            "ROUND TRIP: printing is not stable\nfirst:\n{}\nsecond:\n{}",
            excerpt(&printed, 3000),
            excerpt(&reprinted, 3000)
        ));
    }
    Ok(ROUND_TRIPS)
}

#[test]
fn mutated_fixtures_never_panic_and_round_trip_when_error_free() {
    let fixtures = fixtures();
    let seed = seed();
    let mut report = Report::default();
    for case in case_numbers(DEFAULT_CASES) {
        let mut rng = Rng::for_case(seed, case);
        let (name, text) = input(&mut rng, &fixtures);
        let outcome = run_case(|| check(&text));
        report.record(case, outcome, || {
            format!("(from {name})\n{}", excerpt(&text, 4000))
        });
    }
    report.finish("authoring mutations");
}

// ---------------------------------------------------------------------
// Regressions: what the mutations found, reduced by hand.

const FM: &str = "---\nkind: guideline\ntitle: テスト\nedition: 令和7年3月版\n---\n";

/// Case 345 (and 230 more of the first 20,000): a heading line of bare
/// hashes (`#`, `## `) sliced the line out of bounds in the lexer.
#[test]
fn regression_bare_hash_heading_lines() {
    for line in ["#", "# ", "###", "######\u{3000}"] {
        let text = format!("{FM}{line}\n(1) 本文\n");
        let parsed = parse(&text);
        let heading = &parsed.document.children[0];
        assert_eq!((&heading.label, &heading.title), (&None, &None), "{line:?}");
        assert_eq!(check(&text), Ok(ROUND_TRIPS), "{line:?}");
    }
}

/// Part-mutation case 110 of the Word reader, in the authoring format:
/// labels numbered 4294967295 overflowed the label-sequence check.
#[test]
fn regression_label_numbers_at_u32_max() {
    let text = format!(
        "{FM}# 第4294967295章 章\n(4294967295) 一\n(4294967295) 二\n# 第4294967295章の4294967295 章\n"
    );
    let parsed = parse(&text);
    assert_eq!(parsed.document.nodes().count(), 4);
    assert_eq!(check(&text), Ok(ROUND_TRIPS));
}

/// Case 117 (and about 300 more of the first 20,000): text ending like an
/// attribute block, read from a later line of a clause's first paragraph,
/// was printed on the label line and read back as the clause's key.
#[test]
fn regression_attribute_like_text_from_a_later_line() {
    for (body, text) in [
        (
            "② 情報シス\nテム管理者は、措置を講じる。 {#c-160 from=s4-1-3-2 status=adopted}",
            "情報システム管理者は、措置を講じる。 {#c-160 from=s4-1-3-2 status=adopted}",
        ),
        ("② 本文\n{#a}", "本文{#a}"),
        ("②\n本文。{#a}", "本文。{#a}"),
        ("②\n{#a}", "{#a}"),
        // Case 958: a malformed block, an error if read as one.
        (
            "② 本文\n続き {#c-399status=added}",
            "本文続き {#c-399status=added}",
        ),
        // The break must not leave a label (`ア `) at the start of a line.
        ("②\n{x} ア {#a}", "{x} ア {#a}"),
        ("第1条\n本文 {#a}\n2 項\n{#b}", "本文 {#a}"),
    ] {
        let source = format!("{FM}# 第1章 総則\n{body}\n");
        let parsed = parse(&source);
        let clause = &parsed.document.children[0].children[0];
        assert_eq!(clause.paragraphs[0], text, "{body:?}");
        assert!(!clause.key_pinned, "{body:?}");
        assert_eq!(check(&source), Ok(ROUND_TRIPS), "{body:?}");
    }
}

/// `<!--` in text — left when a comment between `<!-` and `-` is removed,
/// or made by joining lines — opened a comment when printed.
#[test]
fn regression_comment_opener_in_text() {
    for body in [
        "# 見出し\n本文a<!-<!-- x -->-b",
        "# a<!-<!-- x -->-b\n本文",
        "# 見出し\n(1) 本文a<!-\n-b",
        "# 見出し\n本文\n\n\\二つ目<!-\n-->c",
        "# 見出し\n> 解説a<!-\n> -b<!-\n>\n> <!---<!---->->",
        "# 見出し\n（目的<!-<!---->-）\n第1条 本文",
    ] {
        let source = format!("{FM}{body}\n");
        let parsed = parse(&source);
        assert!(!parsed.has_errors(), "{body:?}: {:?}", parsed.diagnostics);
        let texts: String = parsed
            .document
            .nodes()
            .flat_map(|n| n.title.iter().chain(&n.paragraphs).chain(&n.commentary))
            .cloned()
            .collect();
        assert!(texts.contains("<!--"), "{body:?}: {texts}");
        assert_eq!(check(&source), Ok(ROUND_TRIPS), "{body:?}");
    }
}

/// Seed 2, case 50143: `body:` with no value (`body: # "032018"`) was
/// accepted for a policy, which then printed without `body:`, an error.
/// So was a policy whose `kind:` needed trimming (`kind: " policy"`).
#[test]
fn regression_policy_with_an_empty_body() {
    for fm in [
        "kind: policy\nbody: # \"032018\"",
        "kind: policy\nbody:",
        "kind: policy\nbody: ~",
        "kind: \" policy\"",
    ] {
        let source = format!("---\n{fm}\ntitle: t\nedition: e\n---\n# 第1章 総則\n");
        let parsed = parse(&source);
        assert!(
            parsed
                .diagnostics
                .iter()
                .any(|d| d.is_error() && d.message.contains("needs `body:`")),
            "{fm:?}: {:?}",
            parsed.diagnostics
        );
        assert_eq!(check(&source), Ok("errors"));
    }
}
