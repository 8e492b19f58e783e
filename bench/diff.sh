#!/usr/bin/env bash
# Benchmark of `kaitei diff --format json` on two full-size generated pairs
# (issue: comparison engine), each about 3,200 clauses and 500,000
# characters:
#   stock      `synth::guideline` revised by `synth::revise`: edits,
#              deletions, insertions, moves, splits, merges, a new chapter
#              that renumbers the rest;
#   templated  `synth::templated` revised by `synth::revise_templated`:
#              every chapter from one template, chapters inserted (the rest
#              renumbered, titles unchanged), moved, swapped, renamed, their
#              intros reworded, and clause-level changes.
# For each pair it times, pinned to one core, median of RUNS (default 9):
#   kaitei diff --format json OLD NEW
#   git diff --no-index --word-diff-regex=. OLD NEW
#   python3 bench/difflib_clauses.py OLD NEW  (difflib, clause by clause)
# and prints wall and CPU medians with the ratios to kaitei. Targets: kaitei
# no slower than git diff on either pair, and ≤ 20 ms on the stock
# (well-aligned) one.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"
cargo build --release --quiet -p kaitei
cargo build --release --quiet -p kaitei-compare --example synth_pair
kaitei="$target/release/kaitei"
for kind in stock templated; do
    out="$target/bench/diff-$kind"
    echo "== $kind pair"
    "$target/release/examples/synth_pair" "$out" "${NODES:-3200}" "${SEED:-2025}" "$kind"
    old="$out/old.md"
    new="$out/new.md"
    "$kaitei" diff --format json "$old" "$new" > "$out/kaitei.json"
    python3 bench/timing.py "${RUNS:-9}" "${CPU:-0}" \
        "kaitei=$kaitei diff --format json $old $new" \
        "git=git diff --no-index --word-diff-regex=. $old $new" \
        "difflib=python3 bench/difflib_clauses.py $old $new"
done
