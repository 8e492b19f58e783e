#!/usr/bin/env bash
# Burst benchmark of the consultation (issue #13, item 7): all 1,788 local
# governments answer one consultation within one 60-second window. For
# each backend (SQLite, then PostgreSQL) it makes a fresh database with both
# guideline editions, the cycle of the current fiscal year, a draft, an
# open consultation of every local government routed directly to the
# ministry, and an officer with the right to submit for each body; runs
# `kaitei serve` pinned to CPU 1 and the load client
# (crates/kaitei/examples/burst.rs) pinned to CPU 0. The client signs every
# officer in first (not timed), then each body, at a time drawn uniformly in
# the window, saves its answer of 20 comments through the JSON API and
# submits it; it prints p50/p90/p99/max latency, the status codes, and
# reads every answer back through the API. Then the server is killed
# (SIGKILL) and every acknowledged comment and submission is looked for in
# the database itself. Targets: p99 ≤ 1 s, no 5xx, no acknowledged comment
# lost. PostgreSQL at PG_URL (default the tests' role; the role creates
# and drops the database kaitei_burst); BACKENDS=sqlite or
# BACKENDS=postgres runs one only; COUNT and WINDOW (seconds) make it smaller.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"
out="$target/bench/burst"
rm -rf "$out" && mkdir -p "$out"
cargo build --release --quiet -p kaitei
cargo build --release --quiet -p kaitei --example burst
kaitei="$target/release/kaitei"
burst="$target/release/examples/burst"
count="${COUNT:-1788}"
window="${WINDOW:-60}"
pg_admin="${PG_URL:-postgres://kaitei_test:kaitei_test@127.0.0.1:5432/postgres}"
password="burst-password-2026"
id=BURST-1
# Open since ten minutes ago for 20 days, in the fiscal year it opened in.
opens=$(TZ=Asia/Tokyo date -d '-10 minutes' +%Y-%m-%dT%H:%M)
closes=$(TZ=Asia/Tokyo date -d '+20 days' +%Y-%m-%dT%H:%M)
year=$(TZ=Asia/Tokyo date -d '-10 minutes' +%Y)
[ "$(TZ=Asia/Tokyo date -d '-10 minutes' +%-m)" -lt 4 ] && year=$((year - 1))
query="SELECT a.respondent, c.ord, c.node_key, c.quote_exact, c.kind, c.text, c.proposal \
FROM comments c JOIN answers a ON a.id = c.answer_id WHERE c.consultation_id = '$id'"
submitted="SELECT respondent FROM answers WHERE consultation_id = '$id' AND status = 'submitted'"
server=
trap '[ -n "$server" ] && kill -9 $server 2>/dev/null; true' EXIT

run() {
  local backend=$1 db=$2 dir="$out/$1" port=18095
  mkdir -p "$dir"
  echo "== $backend"
  echo "setting up (not timed with the window)…" >&2
  "$kaitei" --db "$db" import fixtures/guideline/r6-10.md fixtures/guideline/r7-03.md 2>/dev/null
  "$kaitei" --db "$db" cycle create "$year" 2>/dev/null
  "$kaitei" --db "$db" draft create burst-draft --year "$year" --from 令和7年3月版 2>/dev/null
  "$kaitei" --db "$db" consult create "$id" --draft burst-draft --title "ガイドライン改定案に関する意見照会" \
    --audience all --opens "$opens" --closes "$closes" 2>/dev/null
  "$kaitei" --db "$db" export 令和7年3月版 --format json -o "$dir/clauses.json" 2>/dev/null
  local start=$SECONDS
  # Two at a time (argon2 takes its time on purpose; two cores).
  "$burst" codes "$count" | KAITEI_PASSWORD=$password xargs -P 2 -I{} \
    "$kaitei" --db "$db" user add burst-{} --role body --body {} --can-submit 2>/dev/null
  echo "accounts: $count made in $((SECONDS - start)) s (two at a time)"
  taskset -c 1 "$kaitei" --db "$db" serve --addr "127.0.0.1:$port" > "$dir/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/login" && break; sleep 0.1; done
  taskset -c 0 "$burst" run "127.0.0.1:$port" "$id" "$dir/clauses.json" "$dir" "$count" "$window" | tee "$dir/client.txt"
  # As after a crash: whatever was acknowledged must be in the database.
  kill -9 "$server"; wait "$server" 2>/dev/null || true; server=
  if [ "$backend" = sqlite ]; then
    sqlite3 -separator $'\t' "${db#sqlite://}" "$query" > "$dir/stored.tsv"
    sqlite3 "${db#sqlite://}" "$submitted" > "$dir/stored-submitted.txt"
  else
    psql "$db" -AtF $'\t' -c "$query" > "$dir/stored.tsv"
    psql "$db" -At -c "$submitted" > "$dir/stored-submitted.txt"
  fi
  for f in acknowledged.tsv stored.tsv submitted.txt stored-submitted.txt; do
    LC_ALL=C sort -o "$dir/$f" "$dir/$f"
  done
  local lost unsent
  lost=$(LC_ALL=C comm -23 "$dir/acknowledged.tsv" "$dir/stored.tsv" | wc -l)
  unsent=$(LC_ALL=C comm -23 "$dir/submitted.txt" "$dir/stored-submitted.txt" | wc -l)
  echo "in the database after SIGKILL: $(wc -l < "$dir/stored.tsv") comments, $(wc -l < "$dir/stored-submitted.txt") answers submitted"
  echo "acknowledged but lost: $lost comments, $unsent submissions — target zero: $([ "$lost" -eq 0 ] && [ "$unsent" -eq 0 ] && echo met || echo missed)"
}

backends=" ${BACKENDS:-sqlite postgres} "
if [[ $backends == *" sqlite "* ]]; then
  run sqlite "sqlite://$out/burst.db"
fi
if [[ $backends == *" postgres "* ]]; then
  psql "$pg_admin" -qc "DROP DATABASE IF EXISTS kaitei_burst" 2>/dev/null
  psql "$pg_admin" -qc "CREATE DATABASE kaitei_burst"
  run postgres "${pg_admin%/*}/kaitei_burst"
fi
