#!/usr/bin/env bash
# Benchmark of `kaitei diff --format json` on a full-size pair (issue:
# comparison engine). Generates a synthetic guideline of 3,200 clauses
# (about 490,000 characters) and a revision of it (edits, deletions,
# insertions, moves, splits, merges, a new chapter that renumbers the rest),
# then times, pinned to one core, median of 5 runs:
#   kaitei diff --format json OLD NEW
#   git diff --no-index --word-diff-regex=. OLD NEW
#   python3 bench/difflib_clauses.py OLD NEW  (difflib, clause by clause)
# and prints the ratios. Target: kaitei ≤ 50 ms and faster than git diff.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"
cargo build --release --quiet -p kaitei
cargo build --release --quiet -p kaitei-compare --example synth_pair
out="$target/bench/diff"
"$target/release/examples/synth_pair" "$out" "${NODES:-3200}" "${SEED:-2025}"
old="$out/old.md"
new="$out/new.md"
kaitei="$target/release/kaitei"
"$kaitei" diff --format json "$old" "$new" > "$out/kaitei.json"
python3 bench/timing.py "${RUNS:-5}" "${CPU:-0}" \
    "kaitei=$kaitei diff --format json $old $new" \
    "git=git diff --no-index --word-diff-regex=. $old $new" \
    "difflib=python3 bench/difflib_clauses.py $old $new"
