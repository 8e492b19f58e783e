#!/usr/bin/env bash
# Benchmark of the clustering of consultation comments (issue 13, item 2):
# generated answers with known truth (`synth::comments`: many bodies raising
# one concern in their own words — openers, closers, 頂き/いただき/ほしい,
# full-width digits, punctuation, paraphrase, reasons — next to different
# concerns in near-identical words on the same clause), for every one of the
# 1,788 local governments writing 1..PER comments (default 5, then 10) on a
# synthetic guideline. For each size and seed it prints pairwise precision,
# recall and F1 and the time taken, for
#   kaitei   `cluster::cluster`, the clustering `kaitei consult cluster` runs
#   exact    the naive baseline: equal text after NFKC and white-space
#            removal, on the same clause
# and the ratios of the two in the same run. The seeds (default 201–203) are
# not those the constants were tuned on (1–5). Target: F1 ≥ 0.95.
# Then it times `kaitei consult cluster` itself on the largest set, as JSON.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"
cargo build --release --quiet -p kaitei
cargo build --release --quiet -p kaitei-compare --example cluster_quality
seeds="${SEEDS:-201 202 203}"
for per in ${PER:-5 10}; do
    echo "== ${BODIES:-1788} bodies × 1..$per comments"
    # shellcheck disable=SC2086
    "$target/release/examples/cluster_quality" "${BODIES:-1788}" "$per" $seeds
done
out="$target/bench/cluster"
mkdir -p "$out"
"$target/release/examples/cluster_quality" --json "${BODIES:-1788}" 10 "${seeds%% *}" > "$out/comments.json"
echo "== kaitei consult cluster on $(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$out/comments.json") comments (JSON in and out)"
python3 bench/timing.py "${RUNS:-5}" "${CPU:-0}" \
    "kaitei=$target/release/kaitei consult cluster $out/comments.json -o $out/clustered.json"
