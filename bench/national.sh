#!/usr/bin/env bash
# Benchmark of a national database (issue #17), on SQLite and PostgreSQL.
# Writes a policy for each of the 1,788 local governments, derived from
# the 令和6年10月版 fixture with mixed adoption (the nation generator,
# `synth::nation`), and prints, for each backend:
#   the import of both guideline editions and every policy, a transaction
#     per policy (`kaitei import`, as an operator runs it), and the
#     database's size after it (SQLite: the file and its WAL);
#   search as each role sees it (`GET /search?q=…` on `kaitei serve`, the
#     page's first 2,000 hits counted): p50 and p99 over a fixed set of
#     queries — two-character words (監査, 暗号), common and rare words, a
#     phrase, a body's own words — each asked 15 times per role;
#   `kaitei policy impact --all --from 令和6年10月版 --to 令和7年3月版`
#     (median of 3, peak memory) against the naive way, `kaitei policy
#     impact FILE --from OLD --to NEW` once per policy (once, on files).
# Targets: import ≤ 60 s and database ≤ 150 MB on SQLite (PostgreSQL
# within 2×), search p99 ≤ 50 ms, impact ≤ 1 s and ≥ 20× the naive way.
# PostgreSQL: KAITEI_BENCH_POSTGRES names a server URL whose user may
# create databases (default: the local cluster as scripts/test.sh sets it
# up); BACKENDS=sqlite skips it. COUNT=N stores N policies.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"
cargo build --release --quiet -p kaitei
cargo build --release --quiet -p kaitei-compare --example synth_policies
out="$target/bench/national"
rm -rf "$out"
mkdir -p "$out"
kaitei="$target/release/kaitei"
old=fixtures/guideline/r6-10.md
new=fixtures/guideline/r7-03.md
"$target/release/examples/synth_policies" "$old" "$out/policies" "${COUNT:-1788}"
server_url="${KAITEI_BENCH_POSTGRES:-postgres://kaitei_test:kaitei_test@127.0.0.1:5432/postgres}"
echo "CPU: $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(nproc) cores; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 -u bench/national.py "$kaitei" "$out" "$old" "$new" "$server_url" "${BACKENDS:-sqlite postgres}"
