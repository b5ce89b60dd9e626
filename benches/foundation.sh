#!/usr/bin/env bash
# Foundation benchmark: time to ready on an empty data directory and on restart, then /healthz
# and the signed-in start page under wrk at 64 connections, and the server's memory under load.
# Needs: the release build, Debian's postgresql, wrk and curl (apt-get install wrk curl).
# Usage: benches/foundation.sh [seconds per load run, default 15]
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-15}"
port=18080
base="http://127.0.0.1:$port"
data="$(mktemp -d /tmp/portfolj-bench-XXXXXX)"
log="$data.log"
cargo build --release -j2 --quiet

now_ms() { date +%s%3N; }
start_server() {
  PORTFOLJ_DATA_DIR="$data" PORTFOLJ_ADDR="127.0.0.1:$port" RUST_LOG=warn \
    ./target/release/portfolj >>"$log" 2>&1 &
  pid=$!
}
wait_ready() {
  local t0=$1
  until curl -fs "$base/readyz" >/dev/null 2>&1; do sleep 0.01; done
  echo $(( $(now_ms) - t0 ))
}
stop_server() { kill -TERM "$pid"; wait "$pid" || true; }
trap 'kill -TERM $pid 2>/dev/null || true; rm -rf "$data" "$log" "$data.cookies"' EXIT

t0=$(now_ms); start_server; first=$(wait_ready "$t0"); stop_server
t0=$(now_ms); start_server; restart=$(wait_ready "$t0")

# Sign in as a user with every panel a role has, keep the session cookie.
jar="$data.cookies"
token=$(curl -s -c "$jar" -b "$jar" "$base/logga-in" | sed -n 's/.*name="csrf_token" value="\([0-9a-f]*\)".*/\1/p' | head -1)
curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "csrf_token=$token" \
  --data-urlencode "email=itcenter@demo.portfolj.se" --data-urlencode "password=demo" "$base/logga-in"
cookie=$(awk '$6 == "portfolj" { print "portfolj=" $7 }' "$jar")
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$base/")" = 200 ] || { echo "sign-in failed"; exit 1; }

run() { # path, extra header...
  wrk -t2 -c64 -d"${duration}s" --latency "$@" 2>&1
}
summary() { # wrk output -> "req/s p50 p99"
  awk '/Requests\/sec/ { rps = $2 } /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 } END { print rps, p50, p99 }'
}
health=$(run "$base/healthz" | summary)
rss_before=$(awk '/VmRSS/ { print $2 }' /proc/$pid/status)
start=$(run -H "Cookie: $cookie" "$base/" | summary)
rss_peak=$(awk '/VmHWM/ { print $2 }' /proc/$pid/status)
stop_server

read -r h_rps h_p50 h_p99 <<<"$health"
read -r s_rps s_p50 s_p99 <<<"$start"
ratio=$(awk -v a="$s_rps" -v b="$h_rps" 'BEGIN { printf "%.0f", 100 * a / b }')
cat <<REPORT
| measurement | value |
|---|---|
| first start on an empty data dir → ready | ${first} ms |
| restart → ready | ${restart} ms |
| /healthz, 64 connections, ${duration} s | ${h_rps} req/s, p50 ${h_p50}, p99 ${h_p99} |
| start page (signed in), 64 connections, ${duration} s | ${s_rps} req/s, p50 ${s_p50}, p99 ${s_p99} |
| start page throughput / healthz throughput | ${ratio} % |
| server RSS idle after /healthz load → peak during start-page load | $((rss_before / 1024)) MB → $((rss_peak / 1024)) MB |
REPORT
