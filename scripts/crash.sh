#!/usr/bin/env bash
# Crash safety, tested (issue #16 item 1). For each backend (SQLite, then
# PostgreSQL) it prepares one database — both guideline editions, an open
# consultation of every local government, a policy derived from the older
# edition for every body that edits or adopts, an officer for every body —
# and then, REPS times (20): starts `kaitei serve`, runs the load client
# (crates/kaitei/examples/crash.rs: clause edits, answers of 40 comments,
# merge reviews decided and adopted, from eight bodies at once for
# BURST seconds), kills the server with SIGKILL at a random moment within
# the burst, starts it again and has the client check that every write
# acknowledged is there and intact and that no write of many rows is
# there in part. On SQLite it then does the same TWO_REPS times (3) with
# two servers on the one database file, the bodies writing through both
# and one of the two killed: two `kaitei serve` on one SQLite file work.
#
# Any loss, half-written write, unexpected reply or server that will not
# start fails the script, naming what. The debug build the tests use
# (`cargo build` of it is a no-op after `cargo test`); CARGO_PROFILE=release
# for the release build. PostgreSQL at KAITEI_TEST_POSTGRES (a role that may
# create databases; scripts/test.sh sets it); under CI its absence fails,
# never skips. BACKENDS=sqlite or BACKENDS=postgres runs one only.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"
profile="${CARGO_PROFILE:-dev}"
reps="${REPS:-20}"
two_reps="${TWO_REPS:-3}"
burst="${BURST:-1.0}"
out="$target/crash"
rm -rf "$out" && mkdir -p "$out"
# The examples build with the tests' features: after `cargo test` nothing
# is compiled again.
cargo build --quiet --locked --workspace --bins --examples --profile "$profile"
dir_of_profile=$([ "$profile" = dev ] && echo debug || echo "$profile")
kaitei="$target/$dir_of_profile/kaitei"
crash="$target/$dir_of_profile/examples/crash"
password="crash-password-2026"
id=CRASH-1
backends=" ${BACKENDS:-sqlite postgres} "
started_at=$SECONDS

die() {
  echo "crash.sh: $*" >&2
  exit 1
}

# Runs a preparing command, quietly unless it fails.
quiet() {
  local log
  log=$(mktemp)
  "$@" > "$log" 2>&1 || { cat "$log" >&2; rm -f "$log"; die "preparing failed: $*"; }
  rm -f "$log"
}

# Open since ten minutes ago for 20 days, in the fiscal year it opened in.
opens=$(TZ=Asia/Tokyo date -d '-10 minutes' +%Y-%m-%dT%H:%M)
closes=$(TZ=Asia/Tokyo date -d '+20 days' +%Y-%m-%dT%H:%M)
year=$(TZ=Asia/Tokyo date -d '-10 minutes' +%Y)
[ "$(TZ=Asia/Tokyo date -d '-10 minutes' +%-m)" -lt 4 ] && year=$((year - 1))

# The bodies: three edit clauses of their policies, three answer the
# consultation (the same ones every repetition), and two fresh ones per
# repetition adopt their merge review (a policy is adopted once).
mapfile -t cities < <("$kaitei" bodies --kind city 2>/dev/null | cut -f1)
editors="${cities[0]},${cities[1]},${cities[2]}"
answerers="${cities[3]},${cities[4]},${cities[5]}"
adopters_needed=$((2 * (reps + two_reps)))
[ "${#cities[@]}" -ge $((6 + adopters_needed)) ] || die "too few cities for $reps repetitions"
adopters_of() { # repetition (1-based, two-server ones after the others)
  echo "${cities[6 + 2 * ($1 - 1)]},${cities[7 + 2 * ($1 - 1)]}"
}

# Their policies, derived once for both backends.
mkdir -p "$out/policies"
printf '%s\n' "${cities[@]:0:3}" "${cities[@]:6:$adopters_needed}" | quiet xargs -P 2 -I{} \
  "$kaitei" policy derive fixtures/guideline/r6-10.md --body {} \
  --set 適用機関=市長部局 --set CISO職名=副市長 -o "$out/policies/{}.md"

server_pid= server_addr= client_pid=
servers=()
trap 'for p in "${servers[@]}" $client_pid; do kill -9 "$p" 2>/dev/null || true; done' EXIT

# Starts `kaitei serve` on $1 on a free port, logging to $2; sets
# server_pid and server_addr.
start_server() {
  local db=$1 log=$2
  # Made first: the server's redirection happens in the background.
  : > "$log.out"
  "$kaitei" --db "$db" serve --addr 127.0.0.1:0 > "$log.out" 2>> "$log" &
  server_pid=$!
  servers+=("$server_pid")
  for _ in $(seq 600); do
    server_addr=$(sed -n 's|^kaitei: serving .* on http://\([^/]*\)/.*|\1|p' "$log.out")
    [ -n "$server_addr" ] && return 0
    kill -0 "$server_pid" 2>/dev/null || die "kaitei serve did not start: $(tail -5 "$log")"
    sleep 0.05
  done
  die "kaitei serve did not start within 30 s: $(tail -5 "$log")"
}

# Kills $1 with SIGKILL and reaps it.
kill_server() {
  kill -9 "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# Stops $1 as a service manager does (SIGTERM) and waits for it.
stop_server() {
  kill -TERM "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# A random moment within the burst, in seconds after it began: between 5 %
# and 95 % of it, in the $1-th of $2 equal slices of that span. Each
# repetition draws from a slice of its own (in shuffled order), so that the
# kills cover the whole burst rather than however the dice fall.
kill_delay() {
  awk -v b="$burst" -v i="$1" -v n="$2" -v r="$RANDOM" \
    'BEGIN { printf "%.3f", b * (0.05 + 0.9 * (i + r / 32768) / n) }'
}

# Runs the burst of repetition $1 through servers $2 (comma-separated
# addresses) into directory $3; returns once the burst has begun.
start_burst() {
  local rep=$1 addrs=$2 dir=$3
  "$crash" burst --addr "$addrs" --rep "$rep" --consultation "$id" \
    --clauses "$out/clauses.json" --editors "$editors" --answerers "$answerers" \
    --adopters "$(adopters_of "$rep")" --seconds "$burst" --out "$dir" --sessions "$bdir/sessions.json" \
    > "$dir/client.out" 2> "$dir/client.err" &
  client_pid=$!
  for _ in $(seq 600); do
    [ -e "$dir/started" ] && return 0
    kill -0 "$client_pid" 2>/dev/null || die "the load client stopped before its burst: $(cat "$dir/client.err")"
    sleep 0.01
  done
  die "the load client did not start its burst within 6 s"
}

# Waits for the load client to end its burst (its writes stop at the first
# without a reply, and at the burst's end).
end_burst() {
  wait "$client_pid" || die "the load client failed: $(cat "$1/client.err")"
}

# Checks through a server at $2 what the client recorded in $1 (on SQLite,
# $3 is the file to check the integrity of first).
verify() {
  local dir=$1 addr=$2 file=${3:-}
  if ! "$crash" verify --addr "$addr" --out "$dir" ${file:+--sqlite "$file"} > "$dir/verify.out" 2> "$dir/verify.err"; then
    cat "$dir/verify.out" "$dir/verify.err" >&2
    die "$backend, repetition $rep: acknowledged writes lost or wrong (above); the servers' logs are in $dir"
  fi
  cat "$dir/verify.out"
}

# The totals of a backend's figures (the columns `crash verify` writes:
# acknowledged edits, answers, decisions, adoptions; comments, nodes; in
# flight at the kill, by the same kinds; done of those, by kind; problems).
totals() {
  local backend=$1 n=$2
  awk -F'\t' -v backend="$backend" -v n="$n" '
    { for (i = 1; i <= NF; i++) t[i] += $i }
    END {
      printf "crash.sh: %s: %d repetitions, %d acknowledged writes checked (%d clause edits, %d answers = %d comments, %d review decisions, %d adoptions = %d nodes); %d writes in flight at the kill (%d edits, %d answers, %d decisions, %d adoptions), %d of them done (%d adoptions); lost or wrong: %d\n",
        backend, n, t[1] + t[2] + t[3] + t[4], t[1], t[2], t[5], t[3], t[4], t[6],
        t[7] + t[8] + t[9] + t[10], t[7], t[8], t[9], t[10], t[11] + t[12] + t[13] + t[14], t[14], t[15]
    }' "${@:3}"
}

run() {
  local backend=$1 db=$2 file=${3:-} bdir="$out/$1"
  mkdir -p "$bdir"
  local t0=$SECONDS
  echo "== $backend: preparing"
  quiet "$kaitei" --db "$db" import fixtures/guideline/r6-10.md fixtures/guideline/r7-03.md
  quiet "$kaitei" --db "$db" cycle create "$year"
  quiet "$kaitei" --db "$db" draft create crash-draft --year "$year" --from 令和7年3月版
  quiet "$kaitei" --db "$db" consult create "$id" --draft crash-draft --title "ガイドライン改定案に関する意見照会" \
    --audience all --opens "$opens" --closes "$closes"
  [ -e "$out/clauses.json" ] || quiet "$kaitei" --db "$db" export 令和7年3月版 --format json -o "$out/clauses.json"
  # Two importers at once: reading the files is most of the work.
  find "$out/policies" -name '*.md' | quiet xargs -P 2 -n $(((adopters_needed + 4) / 2)) \
    "$kaitei" --db "$db" import
  printf '%s\n' "${cities[@]:0:$((6 + adopters_needed))}" | KAITEI_PASSWORD=$password quiet xargs -P 2 -I{} \
    "$kaitei" --db "$db" user add crash-{} --role body --body {}
  echo "== $backend: prepared in $((SECONDS - t0)) s; $reps repetitions, one server killed mid-burst in each"
  t0=$SECONDS
  local figures=() slices
  mapfile -t slices < <(shuf -i "0-$((reps - 1))")
  for rep in $(seq "$reps"); do
    local dir="$bdir/rep-$rep"
    mkdir -p "$dir"
    start_server "$db" "$dir/serve.log"
    local first=$server_pid
    start_burst "$rep" "$server_addr" "$dir"
    delay=$(kill_delay "${slices[rep - 1]}" "$reps")
    sleep "$delay"
    kill_server "$first"
    end_burst "$dir"
    echo -n "killed at $delay s; "
    start_server "$db" "$dir/serve-again.log"
    verify "$dir" "$server_addr" "$file"
    stop_server "$server_pid"
    figures+=("$dir/figures")
  done
  totals "$backend" "$reps" "${figures[@]}" | tee "$bdir/totals"
  echo "== $backend: $reps repetitions in $((SECONDS - t0)) s"
  [ -z "$file" ] && return 0
  t0=$SECONDS
  echo "== $backend: $two_reps repetitions with two servers on the one file, one killed mid-burst"
  figures=()
  mapfile -t slices < <(shuf -i "0-$((two_reps - 1))")
  for n in $(seq "$two_reps"); do
    rep=$((reps + n))
    local dir="$bdir/rep-$rep"
    mkdir -p "$dir"
    start_server "$db" "$dir/serve-a.log"
    local a=$server_pid a_addr=$server_addr
    start_server "$db" "$dir/serve-b.log"
    local b=$server_pid b_addr=$server_addr
    start_burst "$rep" "$a_addr,$b_addr" "$dir"
    delay=$(kill_delay "${slices[n - 1]}" "$two_reps")
    sleep "$delay"
    # The bodies writing through the other server go on to the burst's
    # end; the killed one is started again beside it, and what both
    # acknowledged is checked through the new one.
    if [ $((RANDOM % 2)) -eq 0 ]; then kill_server "$a"; a=$b; else kill_server "$b"; fi
    end_burst "$dir"
    echo -n "one of two killed at $delay s; "
    start_server "$db" "$dir/serve-again.log"
    verify "$dir" "$server_addr" "$file"
    stop_server "$server_pid"
    stop_server "$a"
    figures+=("$dir/figures")
  done
  totals "$backend (two servers)" "$two_reps" "${figures[@]}" | tee "$bdir/totals-two"
  echo "== $backend: $two_reps repetitions with two servers in $((SECONDS - t0)) s"
}

if [[ $backends == *" sqlite "* ]]; then
  backend=sqlite
  run sqlite "sqlite://$out/sqlite/crash.db" "$out/sqlite/crash.db"
fi
if [[ $backends == *" postgres "* ]]; then
  backend=postgres
  if [ -z "${KAITEI_TEST_POSTGRES:-}" ]; then
    [ -n "${CI:-}" ] && die "CI is set but KAITEI_TEST_POSTGRES is not: the PostgreSQL backend must be tested"
    echo "crash.sh: KAITEI_TEST_POSTGRES is not set: PostgreSQL not tested" >&2
  else
    admin=$KAITEI_TEST_POSTGRES
    psql "$admin" -qc "DROP DATABASE IF EXISTS kaitei_crash WITH (FORCE)" 2>/dev/null
    psql "$admin" -qc "CREATE DATABASE kaitei_crash"
    run postgres "${admin%/*}/kaitei_crash"
    psql "$admin" -qc "DROP DATABASE kaitei_crash WITH (FORCE)"
  fi
fi
echo "crash.sh: done in $((SECONDS - started_at)) s"
