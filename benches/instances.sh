#!/usr/bin/env bash
# Two instances against one: the project list page (GET /projekt, the 1 000-project data set) at
# 64 connections on one instance, then at 32 + 32 on two instances over the same PostgreSQL (the
# second started on the first one's private server, as an external database), in one run, with
# the CPU time the servers and PostgreSQL spent per request. Sessions are shared: the second
# instance serves the cookie the first one issued.
# Needs: the release build, Debian's postgresql (psql), wrk and curl.
# Usage: benches/instances.sh [seconds per run, default 15]
set -euo pipefail
duration="${1:-15}"
port=18085
source "$(dirname "$0")/lib.sh"
echo "filled: $(psql_ -Atc 'SELECT count(*) FROM project') projects" >&2
session=$(sign_in controller@demo.portfolj.se)
cookie="Cookie: portfolj=$session"

second="http://127.0.0.1:$((port + 1))"
db="postgresql://localhost:$pg_port/portfolj?host=$socket_dir"
DATABASE_URL="${db/localhost/portfolj_app@localhost}" \
  PORTFOLJ_MIGRATION_DATABASE_URL="${db/localhost/portfolj@localhost}" PORTFOLJ_DEMO=0 \
  PORTFOLJ_ADDR="127.0.0.1:$((port + 1))" RUST_LOG=warn "$bin/portfolj" >"$work/second.log" 2>&1 &
pid2=$!
trap 'kill -TERM $pid $pid2 2>/dev/null || true; wait $pid $pid2 2>/dev/null || true; rm -rf "$data" "$work"' EXIT
until curl -fs "$second/readyz" >/dev/null 2>&1; do sleep 0.05; done
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "$cookie" "$second/projekt")" = 200 ] ||
  { echo "the second instance did not accept the first one's session"; exit 1; }
cpu_second() { awk -v hz="$clk_tck" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$pid2/stat"; }

read -r one_rps one_p50 one_p99 one_bad one_n one_srv one_db <<<"$(wrk_cpu 64 -H "$cookie" "$base/projekt")"

s0=$(cpu_server) t0=$(cpu_second) d0=$(cpu_db)
wrk_ 32 -H "$cookie" "$base/projekt" >"$work/a.out" &
first_wrk=$!
wrk_ 32 -H "$cookie" "$second/projekt" >"$work/b.out"
wait "$first_wrk"
read -r a_rps a_p50 a_p99 a_bad a_n <"$work/a.out"
read -r b_rps b_p50 b_p99 b_bad b_n <"$work/b.out"
srv=$(awk -v a="$(cpu_server)" -v b="$s0" -v c="$(cpu_second)" -v d="$t0" 'BEGIN { printf "%.2f", a - b + c - d }')
dbs=$(awk -v a="$(cpu_db)" -v b="$d0" 'BEGIN { printf "%.2f", a - b }')
[ "$one_bad$a_bad$b_bad" = 000 ] || { echo "non-2xx responses: $one_bad $a_bad $b_bad"; exit 1; }

ms() { awk -v a="$1" -v n="$2" 'BEGIN { printf "%.2f ms", 1000 * a / n }'; }
two_rps=$(awk -v a="$a_rps" -v b="$b_rps" 'BEGIN { printf "%.2f", a + b }')
two_n=$((a_n + b_n))
cat <<REPORT
| GET /projekt, 64 connections, ${duration} s | req/s | p50 | p99 | server CPU per request | PostgreSQL CPU per request |
|---|---|---|---|---|---|
| one instance | ${one_rps} | ${one_p50} | ${one_p99} | $(ms "$one_srv" "$one_n") | $(ms "$one_db" "$one_n") |
| two instances (32 + 32), first | ${a_rps} | ${a_p50} | ${a_p99} | – | – |
| two instances (32 + 32), second | ${b_rps} | ${b_p50} | ${b_p99} | – | – |
| two instances, together | ${two_rps} | | | $(ms "$srv" "$two_n") | $(ms "$dbs" "$two_n") |

two instances / one: $(awk -v a="$two_rps" -v b="$one_rps" 'BEGIN { printf "%.2f", a / b }') × the requests per second
REPORT

# Stored size per row of the tables a municipality fills every year (for the sizing estimate in
# docs/OPERATIONS.md): heap, indexes and TOAST, after a VACUUM.
psql_ -c "VACUUM ANALYZE" >/dev/null
echo
echo "| table | rows | bytes with indexes | bytes per row |"
echo "|---|---|---|---|"
for table in project effect_goal budget_line outcome_entry audit_log; do
  rows=$(psql_ -Atc "SELECT count(*) FROM $table")
  bytes=$(psql_ -Atc "SELECT pg_total_relation_size('$table')")
  echo "| $table | $rows | $bytes | $((bytes / (rows > 0 ? rows : 1))) |"
done
echo "database: $(psql_ -Atc "SELECT pg_size_pretty(pg_database_size('portfolj'))")"
