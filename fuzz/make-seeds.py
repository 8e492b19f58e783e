#!/usr/bin/env python3
"""Writes the seed corpus, corpus/TARGET/, from the repository's fixtures,
the inputs the mutation tests found (their regression tests, in
crates/kaitei-format/src/{authoring,docx}/mutation_tests.rs), what this
fuzzer found (crates/kaitei-format/tests/fuzz/TARGET/) and the answer
templates in corpus/consultation_template/*.xlsx (written by
kaitei_report::consultation_template::template for the subject of
crates/kaitei-report/tests/subject: empty, with three comments, and marked
意見なし). Small files only: libFuzzer grows the corpus from them.

Usage: fuzz/make-seeds.py   (from anywhere; rewrites the generated seeds)
"""
import hashlib
import os
import re
import sys
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bundle import PART, pack  # noqa: E402

FUZZ = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(FUZZ)
FIX = os.path.join(ROOT, "fixtures")
CORPUS = os.path.join(FUZZ, "corpus")


def write(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def clear(target, keep=()):
    d = os.path.join(CORPUS, target)
    if os.path.isdir(d):
        for f in os.listdir(d):
            if not f.endswith(keep):
                os.remove(os.path.join(d, f))


def fixture(path, mode="r"):
    with open(os.path.join(FIX, path), mode + ("" if mode == "rb" else "")) as f:
        return f.read()


# ---------------------------------------------------------------- authoring

def excerpt(text, at, size=3000):
    """Front matter, then about `size` bytes of the body from the first
    heading at or after fraction `at` of it."""
    _, fm, body = text.split("---\n", 2)
    lines = body.splitlines(keepends=True)
    start = int(len(lines) * at)
    while start < len(lines) and not re.match(r"#|（|第", lines[start]):
        start += 1
    out, n = [], 0
    for line in lines[start:]:
        if n + len(line.encode()) > size:
            break
        out.append(line)
        n += len(line.encode())
    return "---\n" + fm + "---\n\n" + "".join(out)


FM = "---\nkind: guideline\ntitle: テスト\nedition: 令和7年3月版\n---\n"

AUTHORING_REGRESSIONS = {
    "bare-hash-headings": FM + "#\n(1) 本文\n# \n###\n######\u3000\n(1) 本文\n",
    "u32-max-labels": FM + "# 第4294967295章 章\n(4294967295) 一\n(4294967295) 二\n"
    "# 第4294967295章の4294967295 章\n",
    "attribute-like-text": FM + "# 第1章 総則\n② 情報シス\nテム管理者は、措置を講じる。 "
    "{#c-160 from=s4-1-3-2 status=adopted}\n②\n本文。{#a}\n② 本文\n続き {#c-399status=added}\n"
    "②\n{x} ア {#a}\n第1条\n本文 {#a}\n2 項\n{#b}\n",
    "comment-opener": FM + "# a<!-<!-- x -->-b\n本文a<!-<!-- x -->-b\n(1) 本文a<!-\n-b\n\n"
    "\\二つ目<!-\n-->c\n> 解説a<!-\n> -b<!-\n>\n> <!---<!---->->\n（目的<!-<!---->-）\n第1条 本文\n",
    "policy-empty-body": "---\nkind: policy\nbody: # \"032018\"\ntitle: t\nedition: e\n---\n# 第1章 総則\n",
    "policy-kind-trimmed": "---\nkind: \" policy\"\ntitle: t\nedition: e\n---\n# 第1章 総則\n",
}


def authoring():
    clear("authoring")
    for path, parts in [
        ("guideline/r6-10.md", [0, 0.5]),
        ("guideline/r7-03.md", [0.8]),
        ("policies/city.md", [0, 0.6]),
        ("policies/prefecture.md", [0.3]),
        ("policies/town.md", [0, 0.7]),
    ]:
        text = fixture(path)
        for at in parts:
            name = os.path.basename(path)[:-3]
            write("authoring", f"{name}-{int(at * 100)}.md", excerpt(text, at))
    write("authoring", "kuzumaki.md", fixture("regulations/kuzumaki.md"))
    for name in ["hiraizumi", "kuzumaki", "shizukuishi"]:
        write("authoring", f"{name}.txt", fixture(f"regulations/{name}.txt"))
    for name, text in AUTHORING_REGRESSIONS.items():
        write("authoring", f"regression-{name}.md", text)


# --------------------------------------------------------------------- docx

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def bundle(parts):
    return b"\n".join(PART + n.encode() + b"\n" + (b if isinstance(b, bytes) else b.encode())
                      for n, b in parts)


def numbered(n, style, numbering, styles=f'<w:styles {W}/>', text="本文"):
    # As `numbered` in docx/mutation_tests.rs.
    p = (f'<w:p><w:pPr><w:pStyle w:val="{style}"/><w:numPr><w:ilvl w:val="0"/>'
         f'<w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>')
    doc = f"<w:document {W}><w:body>{p * n}</w:body></w:document>"
    return bundle([("word/document.xml", doc), ("word/styles.xml", styles),
                   ("word/numbering.xml", numbering)])


def one_level(start, fmt, text):
    return (f'<w:numbering {W}><w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0">'
            f'<w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
            f'</w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'
            f'</w:numbering>')


def city_excerpt(paragraphs=40):
    """city.docx cut to its first paragraphs, with only the lists they use."""
    with zipfile.ZipFile(os.path.join(FIX, "policies/city.docx")) as z:
        doc = z.read("word/document.xml").decode()
        numbering = z.read("word/numbering.xml").decode()
        styles = z.read("word/styles.xml")
    head, body = doc.split("<w:body>", 1)
    ps = body.split("</w:p>")[:paragraphs]
    doc = head + "<w:body>" + "</w:p>".join(ps) + "</w:p></w:body></w:document>"
    used = set(re.findall(r'w:numId w:val="(\d+)"', doc))
    nums = re.findall(r'<w:num w:numId="(\d+)"[^>]*>.*?</w:num>', numbering, re.S)
    num_xml = {m.group(1): m.group(0) for m in
               re.finditer(r'<w:num w:numId="(\d+)"[^>]*>.*?</w:num>', numbering, re.S)}
    abstract_of = {k: re.search(r'w:abstractNumId w:val="(\d+)"', v).group(1)
                   for k, v in num_xml.items()}
    keep_abs = {abstract_of[n] for n in used if n in abstract_of}
    abstracts = [m.group(0) for m in
                 re.finditer(r'<w:abstractNum w:abstractNumId="(\d+)".*?</w:abstractNum>',
                             numbering, re.S) if m.group(1) in keep_abs]
    nhead = numbering.split("<w:abstractNum ", 1)[0]
    numbering = (nhead + "".join(abstracts)
                 + "".join(num_xml[n] for n in sorted(used) if n in num_xml) + "</w:numbering>")
    assert nums
    return bundle([("word/document.xml", doc), ("word/styles.xml", styles),
                   ("word/numbering.xml", numbering)])


def docx():
    clear("docx")
    for name in ["hiraizumi", "kuzumaki", "shizukuishi"]:
        write("docx", f"{name}.docx", fixture(f"regulations/{name}.docx", "rb"))
    write("docx", "city.docx", fixture("policies/city.docx", "rb"))
    write("docx", "hiraizumi.bundle",
          pack(os.path.join(FIX, "regulations/hiraizumi.docx"),
               {"word/document.xml", "word/styles.xml", "docProps/core.xml",
                "docProps/custom.xml"}))
    write("docx", "city-40.bundle", city_excerpt())
    no_styles = '<w:styles xmlns:w="x"/>'
    write("docx", "regression-kanji-past-9999.bundle",
          numbered(2, "Normal", one_level("9999", "japaneseCounting", "第%1条"), no_styles))
    write("docx", "regression-counter-u32-max.bundle",
          numbered(3, "Normal", one_level("4294967295", "decimal", "(%1)"), no_styles))
    write("docx", "regression-roman-past-3999.bundle",
          numbered(3, "Normal", one_level("3998", "upperRoman", "%1."), no_styles))
    write("docx", "regression-level-text-white-space.bundle",
          numbered(2, "Normal", one_level("1", "decimal", "\u3000(%1) "), no_styles))
    write("docx", "regression-line-breaks-in-text.bundle", bundle([(
        "word/document.xml",
        f"<w:document {W}><w:body><w:p><w:r><w:t>(1)　本文a&#10;(2)　b\n"
        f"# c&#13;&#9;d</w:t></w:r></w:p></w:body></w:document>")]))
    styles = (f'<w:styles {W}><w:style w:styleId="Big"><w:name w:val="{"あ" * 200}"/>'
              f'</w:style></w:styles>')
    write("docx", "regression-long-style-name.bundle",
          numbered(3, "Big", one_level("1", "decimal", "(%1)"), styles))


# -------------------------------------------------------------------- label

LABELS = [
    (0, "第1編 総則"), (0, "第3章の2 雑則"), (0, "第2節"), (0, "第1款 研修"),
    (0, "1. 目的"), (0, "4.1 定義"), (0, "6.1.2"), (0, "第4294967295章"),
    (1, "(1) ネットワーク"), (1, "（１）　全角"), (1, "⑴ 括弧数字"), (1, "③ 丸数字"),
    (1, "㉒"), (1, "ア 項目"), (1, "ニ"), (1, "(エ)"), (1, "（ア）"), (1, "c"),
    (1, "(d) 英字"), (1, "十一"), (1, "三の二"), (1, "(三)"), (1, "2."),
    (1, "(4294967295)"), (1, "(1の2)"),
    (2, "第12条 目的"), (2, "第十二条"), (2, "第3条の2"), (2, "2 項"), (2, "３　全角"),
    (2, "第3"), (2, "一 号"),
]


def label():
    clear("label")
    for i, (context, text) in enumerate(LABELS):
        write("label", f"{i:02}", bytes([context]) + text.encode())


# ---------------------------------------------------- consultation_template

XLSX_PARTS = {"[Content_Types].xml", "_rels/.rels", "xl/_rels/workbook.xml.rels",
              "xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml",
              "xl/sharedStrings.xml"}


def consultation_template():
    clear("consultation_template", keep=(".xlsx",))
    d = os.path.join(CORPUS, "consultation_template")
    for name in ["filled", "no-comment"]:
        write("consultation_template", f"{name}.bundle",
              pack(os.path.join(d, f"{name}.xlsx"), XLSX_PARTS))


def finds():
    tests = os.path.join(ROOT, "crates/kaitei-format/tests/fuzz")
    for target in ["authoring", "docx", "consultation_template"]:
        d = os.path.join(tests, target)
        for name in sorted(os.listdir(d)) if os.path.isdir(d) else []:
            with open(os.path.join(d, name), "rb") as f:
                write(target, "find-" + name, f.read())


if __name__ == "__main__":
    authoring()
    docx()
    label()
    consultation_template()
    finds()
    for target in sorted(os.listdir(CORPUS)):
        files = os.listdir(os.path.join(CORPUS, target))
        size = sum(os.path.getsize(os.path.join(CORPUS, target, f)) for f in files)
        print(f"{target}: {len(files)} seeds, {size} bytes")
