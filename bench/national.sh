#!/usr/bin/env bash
# Benchmark of the national impact run (issue: local policies). Writes a
# policy for each of the 1,788 local governments, derived from the
# 令和6年10月版 fixture with mixed adoption (each body rewrites, omits and
# adds clauses at its own rate — the nation generator, `synth::nation`), stores them with both guideline
# editions in a fresh SQLite database, then measures in one run:
#   kaitei policy impact --all --from 令和6年10月版 --to 令和7年3月版   (median of 3, peak memory)
#   the naive way: `kaitei policy impact FILE --from OLD --to NEW` once per policy
# and prints the ratio. Target: ≤ 5 s, ≥ 10× faster than the naive way.
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
db="sqlite://$out/bench.db"
echo "importing (set-up, not timed)…" >&2
"$kaitei" --db "$db" import "$old" "$new" "$out/policies" 2>/dev/null
python3 - "$kaitei" "$db" "$old" "$new" "$out" <<'PY'
import glob, os, resource, statistics, subprocess, sys, time
kaitei, db, old, new, out = sys.argv[1:]
def timed(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start
# Both ways write their JSON to /dev/null, so neither is timed writing files.
all_cmd = [kaitei, "--db", db, "policy", "impact", "--all", "--from", "令和6年10月版", "--to", "令和7年3月版",
           "--format", "json"]
runs = [timed(all_cmd) for _ in range(3)]
peak = subprocess.run(["/usr/bin/time", "-f", "%M"] + all_cmd, check=True, capture_output=True, text=True).stderr.strip().splitlines()[-1]
files = sorted(glob.glob(os.path.join(out, "policies", "*.md")))
start = time.perf_counter()
for f in files:
    subprocess.run([kaitei, "policy", "impact", f, "--from", old, "--to", new, "--format", "json"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
naive = time.perf_counter() - start
best = statistics.median(runs)
print(f"policies:                 {len(files)}")
print(f"impact --all (median of 3): {best:.2f} s   (runs: {', '.join(f'{r:.2f}' for r in runs)})")
print(f"impact --all peak memory:   {int(peak) / 1024:.0f} MiB")
print(f"naive, once per policy:     {naive:.1f} s")
print(f"ratio naive / --all:        {naive / best:.0f}x")
print(f"target ≤ 5 s: {'met' if best <= 5 else 'missed'}; ≥ 10x: {'met' if naive / best >= 10 else 'missed'}")
PY
