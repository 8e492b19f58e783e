#!/usr/bin/env bash
# Load benchmark of the web application (issue: web application). Stores
# both guideline editions and a policy for each of the 1,788 bodies, runs
# `kaitei serve` pinned to CPU 1, and in the same run serves a saved copy
# of the same clause page with nginx (one worker, also on CPU 1); wrk,
# pinned to CPU 0, loads each for 20 s at 64 connections. Prints requests
# per second, p99 latency, the ratio to nginx and the server's peak RSS
# (after the national dashboard has read every stored policy once). The
# load starts once the server has prepared search (its log says so).
# Targets: clause page ≥ 50 % of nginx's throughput, p99 ≤ 20 ms; peak RSS
# ≤ 200 MB. Needs wrk and nginx (apt-get install wrk nginx-light).
# BACKEND=postgres runs the server on PostgreSQL (see below).
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"
out="$target/bench/web"
rm -rf "$out" && mkdir -p "$out/static"
out="$(cd "$out" && pwd)"  # nginx wants absolute paths; CARGO_TARGET_DIR may be either
cargo build --release --quiet -p kaitei
cargo build --release --quiet -p kaitei-compare --example synth_policies
kaitei="$target/release/kaitei"
# BACKEND=postgres: a fresh database `kaitei_bench_web` on the server of
# KAITEI_BENCH_POSTGRES (the test server by default) instead of SQLite.
if [ "${BACKEND:-sqlite}" = postgres ]; then
    server_url="${KAITEI_BENCH_POSTGRES:-postgres://kaitei_test:kaitei_test@127.0.0.1:5432/postgres}"
    psql "$server_url" -qtAc "DROP DATABASE IF EXISTS kaitei_bench_web WITH (FORCE)"
    psql "$server_url" -qtAc "CREATE DATABASE kaitei_bench_web"
    db="${server_url%/*}/kaitei_bench_web"
else
    db="sqlite://$out/web.db"
fi
echo "CPU: $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(nproc) cores; backend ${BACKEND:-sqlite}; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
"$target/release/examples/synth_policies" fixtures/guideline/r6-10.md "$out/policies" "${COUNT:-1788}"
echo "importing (set-up, not timed)…" >&2
"$kaitei" --db "$db" import fixtures/guideline/r6-10.md fixtures/guideline/r7-03.md "$out/policies" 2>/dev/null
KAITEI_PASSWORD="bench-password-2026" "$kaitei" --db "$db" user add bench --role committee 2>/dev/null
KAITEI_PASSWORD="bench-password-2026" "$kaitei" --db "$db" user add bench-admin --role admin 2>/dev/null
port=18090
taskset -c 1 "$kaitei" --db "$db" serve --addr "127.0.0.1:$port" > "$out/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; [ -n "${nginx_pid:-}" ] && kill $nginx_pid 2>/dev/null; true' EXIT
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/login" && break; sleep 0.1; done
# The server reads what a search walks in the background as it starts (a
# few seconds for the nation on one core): measured in its steady state,
# after that.
for _ in $(seq 600); do grep -q "search prepared" "$out/serve.log" && break; sleep 0.1; done
grep -q "search prepared" "$out/serve.log" || { echo "the server did not prepare search within a minute" >&2; exit 1; }
grep -o "seconds=[0-9.]*" "$out/serve.log" | head -1 | sed 's/^/search prepared after starting: /' >&2
jar="$out/jar"
csrf=$(curl -s -c "$jar" "http://127.0.0.1:$port/login" | grep -o '[0-9a-f]\{64\}' | head -1)
curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode login=bench --data-urlencode password=bench-password-2026 --data-urlencode "csrf=$csrf" "http://127.0.0.1:$port/login"
cookie="kaitei_session=$(awk '$6 == "kaitei_session" {print $7}' "$jar")"
# The ministry's dashboard assesses every stored policy: made once here (and
# timed), so that the peak RSS below includes all 1,788 policies read.
admin_jar="$out/admin_jar"
csrf=$(curl -s -c "$admin_jar" "http://127.0.0.1:$port/login" | grep -o '[0-9a-f]\{64\}' | head -1)
curl -s -b "$admin_jar" -c "$admin_jar" -o /dev/null --data-urlencode login=bench-admin --data-urlencode password=bench-password-2026 --data-urlencode "csrf=$csrf" "http://127.0.0.1:$port/login"
dashboard_time=$(curl -s -b "$admin_jar" -o "$out/dashboard.html" -w '%{time_total}' "http://127.0.0.1:$port/dashboard")
grep -q '全国への影響' "$out/dashboard.html" || { echo "the dashboard did not load" >&2; exit 1; }
clause="/editions/%E4%BB%A4%E5%92%8C7%E5%B9%B43%E6%9C%88%E7%89%88/clauses/s4-1"
compare="/diff?old=%E4%BB%A4%E5%92%8C6%E5%B9%B410%E6%9C%88%E7%89%88&new=%E4%BB%A4%E5%92%8C7%E5%B9%B43%E6%9C%88%E7%89%88"
curl -s -H "Cookie: $cookie" "http://127.0.0.1:$port$clause" > "$out/static/clause.html"
[ -s "$out/static/clause.html" ] || { echo "the clause page did not load" >&2; exit 1; }
cat > "$out/nginx.conf" <<NGINX
worker_processes 1;
daemon off;
pid $out/nginx.pid;
error_log $out/nginx.err;
events { worker_connections 1024; }
http {
  access_log off;
  types { text/html html; }
  server { listen 127.0.0.1:18091; root $out/static; }
}
NGINX
taskset -c 1 nginx -c "$out/nginx.conf" &
nginx_pid=$!
sleep 0.5
load() { taskset -c 0 wrk -t1 -c64 -d"${SECONDS_PER_RUN:-20}"s --latency "$@" 2>&1; }
report() {
  local name=$1 file=$2
  local rps p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$file")
  p99=$(awk '$1 == "99%" {print $2}' "$file")
  printf '%-34s %10s req/s   p99 %s\n' "$name" "$rps" "$p99"
}
load -H "Cookie: $cookie" "http://127.0.0.1:$port$clause" > "$out/clause.txt"
load -H "Cookie: $cookie" "http://127.0.0.1:$port$compare" > "$out/compare.txt"
load "http://127.0.0.1:18091/clause.html" > "$out/nginx.txt"
rss=$(awk '/VmHWM/ {print $2}' "/proc/$server/status")
echo "clause page: $(wc -c < "$out/static/clause.html") bytes; $(ls "$out/policies" | wc -l) policies stored"
echo "national dashboard, first made: ${dashboard_time} s (then kept for a minute)"
report "kaitei clause page" "$out/clause.txt"
report "kaitei comparison page" "$out/compare.txt"
report "nginx, saved clause page" "$out/nginx.txt"
python3 - "$out" "$rss" <<'PY'
import sys
out, rss = sys.argv[1], int(sys.argv[2])
def rps(name):
    for line in open(f"{out}/{name}.txt"):
        if line.startswith("Requests/sec"):
            return float(line.split()[1])
ratio = rps("clause") / rps("nginx")
print(f"clause page vs nginx: {ratio:.0%} (target ≥ 50%)")
print(f"server peak RSS: {rss / 1024:.0f} MiB (target ≤ 200)")
PY
