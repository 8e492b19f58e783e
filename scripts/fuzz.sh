#!/usr/bin/env bash
# Fuzzes kaitei's readers of untrusted input with cargo-fuzz (libFuzzer),
# each target for SECONDS: the authoring-format and pasted-text reader,
# the Word reader, the label parser and the consultation template reader
# (fuzz/fuzz_targets/). Not part of CI: it needs the nightly toolchain and
# takes as long as asked.
#
#   scripts/fuzz.sh SECONDS [TARGET…]
#
# One target at a time, one process at low priority (one core), at most
# 2 GB of memory and 10 s per input. Each target starts from its seeds
# (fuzz/corpus/TARGET, committed; fuzz/make-seeds.py remakes them) and the
# corpus earlier runs grew (fuzz/grown/TARGET, not committed). A crash, a
# hang or a memory blow-up is saved under fuzz/artifacts/TARGET/; reproduce
# it with `cd fuzz && cargo +nightly fuzz run -a -s none TARGET FILE`, add
# `KAITEI_FUZZ_SHOW=1` to see what the reader made of it. The log of each
# run is fuzz/logs/TARGET.log; a summary (executions, corpus, crashes)
# ends the run. Exit status: 0 when no target crashed, 1 otherwise.
set -uo pipefail

usage() { echo "usage: scripts/fuzz.sh SECONDS [TARGET…]" >&2; exit 2; }
[[ $# -ge 1 && $1 =~ ^[0-9]+$ ]] || usage
seconds=$1
shift
all=(authoring docx label consultation_template)
targets=("${@:-${all[@]}}")

cd "$(dirname "$0")/../fuzz" || exit 2
if ! rustup toolchain list | grep -q '^nightly'; then
    echo "fuzz.sh: cargo-fuzz needs the nightly toolchain: rustup toolchain install nightly" >&2
    exit 2
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked || exit 2
fi
# The fuzz crate is its own workspace: fuzz the dependency versions kaitei
# ships with (its Cargo.lock), not the newest ones.
[[ -f Cargo.lock ]] || cp ../Cargo.lock Cargo.lock

# -a: debug assertions and overflow checks, as in `cargo test`. -s none: no
# sanitizer (kaitei forbids unsafe code); the checks are the targets' own.
flags=(-a -s none)
cargo +nightly fuzz build "${flags[@]}" || exit 2

failed=0
summary=()
for t in "${targets[@]}"; do
    mkdir -p "grown/$t" "artifacts/$t" logs
    echo "== $t: $seconds s"
    nice -n 19 cargo +nightly fuzz run "${flags[@]}" "$t" "grown/$t" "corpus/$t" -- \
        -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
        -artifact_prefix="artifacts/$t/" -print_final_stats=1 >"logs/$t.log" 2>&1
    status=$?
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "logs/$t.log" | grep -o '[0-9]*$' | tail -1)
    corpus=$(grep -o 'corp: [0-9]*/[0-9a-zA-Z]*' "logs/$t.log" | tail -1)
    if [[ $status -ne 0 ]]; then
        failed=1
        summary+=("$t: FAILED (exit $status) after ${execs:-?} executions; see fuzz/logs/$t.log and fuzz/artifacts/$t/")
        tail -30 "logs/$t.log"
    else
        summary+=("$t: ${execs:-?} executions in $seconds s, ${corpus:-corp: ?}, no crashes")
    fi
done
echo "== $(date -u +%Y-%m-%d) summary"
printf '%s\n' "${summary[@]}"
exit $failed
