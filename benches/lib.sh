# Shared by the load scripts (sourced, not run): builds the release binaries, starts the server
# on an empty temporary data directory with its private PostgreSQL, fills it with the benchmark
# projects, and signs in. Expects `port` to be set; defines base, data, work, pid, bin, psql_,
# sign_in, the CPU counters and the wrk helpers (wrk_, wrk_cpu), and stops the server and
# removes the data on exit.
# BENCH_BIN=<dir> runs the portfolj and page-sql binaries in <dir> instead of building
# target/release (to measure two builds, e.g. before and after a change, in the same conditions).
cd "$(dirname "${BASH_SOURCE[0]}")/.."
base="http://127.0.0.1:$port"
data="$(mktemp -d /tmp/portfolj-bench-XXXXXX)"
chmod 755 "$data" # PostgreSQL runs as its own user and must reach the directory
work="$data.work"
mkdir -p "$work"
bin="${BENCH_BIN:-target/release}"
[ -n "${BENCH_BIN:-}" ] || cargo build --release -j2 --quiet

PORTFOLJ_DATA_DIR="$data" PORTFOLJ_ADDR="127.0.0.1:$port" RUST_LOG=warn \
  "$bin/portfolj" >"$work/server.log" 2>&1 &
pid=$!
trap 'kill -TERM $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$data" "$work"' EXIT
until curl -fs "$base/readyz" >/dev/null 2>&1; do sleep 0.05; done

# The private server's socket directory and port, from its postmaster.pid.
socket_dir=$(sed -n 5p "$data/postgres/postmaster.pid")
pg_port=$(sed -n 4p "$data/postgres/postmaster.pid")
psql_() { psql -X -q -v ON_ERROR_STOP=1 -h "$socket_dir" -p "$pg_port" -U portfolj -d portfolj "$@"; }
psql_ -f benches/sql/fill_projects.sql >/dev/null

# CPU time used so far, in seconds (utime + stime from /proc/<pid>/stat, fields 14 and 15).
# cpu_server: the server process, all its threads. cpu_db: the whole PostgreSQL cluster, that is
# the postmaster, its live children (backends, autovacuum, checkpointer …) and the children it
# has already reaped (fields 16 and 17), so connections that closed during a run still count.
clk_tck=$(getconf CLK_TCK)
pg_pid=$(sed -n 1p "$data/postgres/postmaster.pid")
cpu_server() { awk -v hz="$clk_tck" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$pid/stat"; }
cpu_db() {
  # comm (field 2) is "(postgres)", without spaces, so the fields are counted as usual.
  # (A process that ends between the glob and cat makes cat fail: not an error here.)
  { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v pg="$pg_pid" -v hz="$clk_tck" '
    $1 == pg { s += $14 + $15 + $16 + $17 } $4 == pg { s += $14 + $15 }
    END { printf "%.2f", s / hz }'
}

# Signs in as the demo account $1 with a cookie jar in $work/cookies; prints the session id.
sign_in() {
  local jar="$work/cookies" token
  token=$(curl -s -c "$jar" -b "$jar" "$base/logga-in" | sed -n 's/.*name="csrf_token" value="\([0-9a-f]*\)".*/\1/p' | head -1)
  curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "csrf_token=$token" \
    --data-urlencode "email=$1" --data-urlencode "password=demo" "$base/logga-in"
  awk '$6 == "portfolj" { print $7 }' "$jar"
}

# wrk at $1 connections for $duration seconds (set by the caller) on the rest of the arguments
# (headers, script, URL); prints "req/s p50 p99 non-2xx requests".
wrk_() {
  local connections="$1"
  shift
  wrk -t2 -c"$connections" -d"${duration}s" --latency "$@" 2>&1 | awk '
    /Requests\/sec/ { rps = $2 } /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 }
    / requests in / { n = $1 } / Non-2xx/ { bad = $5 }
    END { print rps, p50, p99, (bad == "" ? 0 : bad), n }'
}
# wrk_ with the CPU seconds the server and PostgreSQL used meanwhile, appended.
wrk_cpu() {
  local s0 d0 out
  s0=$(cpu_server) d0=$(cpu_db)
  out=$(wrk_ "$@")
  echo "$out $(awk -v a="$(cpu_server)" -v b="$s0" 'BEGIN { printf "%.2f", a - b }') \
$(awk -v a="$(cpu_db)" -v b="$d0" 'BEGIN { printf "%.2f", a - b }')"
}
