#!/usr/bin/env python3
"""Baseline for the diff benchmark: Python difflib, clause by clause.

Reads two authoring-format files, treats every non-blank line after the
front matter as a clause, aligns the clause lists with SequenceMatcher and
diffs each replaced pair character by character. Prints the changes as JSON
(so it does comparable work to `kaitei diff --format json`).
"""
import difflib
import json
import sys


def clauses(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[0] == "---":
        end = lines.index("---", 1)
        lines = lines[end + 1:]
    return [line.strip() for line in lines if line.strip()]


def main():
    old, new = clauses(sys.argv[1]), clauses(sys.argv[2])
    rows = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows.extend({"kind": "unchanged", "old": o, "new": n} for o, n in zip(old[i1:i2], new[j1:j2]))
            continue
        pairs = list(zip(old[i1:i2], new[j1:j2]))
        for o, n in pairs:
            spans = [op for op in difflib.SequenceMatcher(None, o, n, autojunk=False).get_opcodes() if op[0] != "equal"]
            rows.append({"kind": "changed", "old": o, "new": n, "spans": spans})
        rows.extend({"kind": "deleted", "old": o} for o in old[i1 + len(pairs):i2])
        rows.extend({"kind": "added", "new": n} for n in new[j1 + len(pairs):j2])
    json.dump({"rows": rows}, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
