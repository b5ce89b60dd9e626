#!/usr/bin/env bash
# Projects benchmark: 1 000 projects (5 goals, 8 budget lines, 24 outcome entries each), then at
# 64 connections for a bounded time, side by side in one run:
#   - /healthz                  the HTTP stack alone (ceiling 1)
#   - GET /projekt              the project list, first page
#   - GET /projekt/{id}         a random project's page
#   - pgbench -f <page's SQL>   the same statements straight against PostgreSQL (ceiling 2),
#                               printed by target/release/page-sql from the application's code
# and the CPU time the server and PostgreSQL spent per request during each page's run (from
# /proc, see lib.sh), so the database's share of a request is measured in the same run.
# Needs: the release build, Debian's postgresql (psql, pgbench), wrk and curl.
# Usage: benches/projects.sh [seconds per run, default 15]
#        BENCH_BIN=<dir with portfolj and page-sql> benches/projects.sh …   (another build)
set -euo pipefail
duration="${1:-15}"
port=18081
source "$(dirname "$0")/lib.sh"
echo "filled: $(psql_ -Atc 'SELECT count(*) FROM project') projects, $(psql_ -Atc 'SELECT count(*) FROM effect_goal') goals, $(psql_ -Atc 'SELECT count(*) FROM budget_line') lines, $(psql_ -Atc 'SELECT count(*) FROM outcome_entry') outcome entries" >&2

session=$(sign_in revisor@demo.portfolj.se)
cookie="portfolj=$session"
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$base/projekt")" = 200 ] || { echo "sign-in failed"; exit 1; }
user_id=$(psql_ -Atc "SELECT id FROM app_user WHERE email = 'revisor@demo.portfolj.se'")

# wrk picks a random benchmark project per request, as pgbench does.
{
  echo "paths = {"
  psql_ -Atc "SELECT '\"/projekt/' || md5('bench-' || n)::uuid || '\",' FROM generate_series(1, 1000) AS n"
  echo "}"
  echo 'request = function() return wrk.format("GET", paths[math.random(1, #paths)]) end'
} >"$work/random_project.lua"
# The pages' own statements, printed by the application's code (src/bin/page-sql.rs).
"$bin/page-sql" list >"$work/list.sql"
"$bin/page-sql" project >"$work/page.sql"

pgbench_() {
  pgbench -n -M prepared -c 64 -j 2 -T "$duration" -h "$socket_dir" -p "$pg_port" -U portfolj \
    -D "sid=$session" -D "uid=$user_id" -f "$1" portfolj >"$1.out" 2>&1
  if grep -q "error" "$1.out"; then grep -m3 "error" "$1.out" >&2; exit 1; fi
  awk '/^latency average/ { lat = $4 } /^tps/ { tps = $3 } END { print tps, lat }' "$1.out"
}

read -r h_rps h_p50 h_p99 h_bad _ <<<"$(wrk_ 64 "$base/healthz")"
read -r l_rps l_p50 l_p99 l_bad l_n l_srv l_db <<<"$(wrk_cpu 64 -H "Cookie: $cookie" "$base/projekt")"
read -r p_rps p_p50 p_p99 p_bad p_n p_srv p_db <<<"$(wrk_cpu 64 -H "Cookie: $cookie" -s "$work/random_project.lua" "$base/projekt")"
read -r lq_tps lq_lat <<<"$(pgbench_ "$work/list.sql")"
read -r pq_tps pq_lat <<<"$(pgbench_ "$work/page.sql")"
rss_peak=$(awk '/VmHWM/ { print $2 }' /proc/$pid/status)
[ "$h_bad$l_bad$p_bad" = 000 ] || { echo "non-2xx responses: $h_bad $l_bad $p_bad"; exit 1; }

pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f %%", 100 * a / b }'; }
ms() { awk -v a="$1" -v n="$2" 'BEGIN { printf "%.3f ms", 1000 * a / n }'; }
cat <<REPORT
| measurement (64 connections, ${duration} s each) | req/s or tps | p50 | p99 |
|---|---|---|---|
| /healthz (HTTP stack alone) | ${h_rps} | ${h_p50} | ${h_p99} |
| GET /projekt (list, first page of 1 000) | ${l_rps} | ${l_p50} | ${l_p99} |
| GET /projekt/{id} (random project) | ${p_rps} | ${p_p50} | ${p_p99} |
| pgbench: the list page's statements | ${lq_tps} | avg ${lq_lat} ms | – |
| pgbench: the project page's statements | ${pq_tps} | avg ${pq_lat} ms | – |

| ratio | value |
|---|---|
| list page / its pgbench ceiling | $(pct "$l_rps" "$lq_tps") |
| project page / its pgbench ceiling | $(pct "$p_rps" "$pq_tps") |
| list page / /healthz | $(pct "$l_rps" "$h_rps") |
| project page / /healthz | $(pct "$p_rps" "$h_rps") |
| server peak RSS | $((rss_peak / 1024)) MB |

| CPU during the page's run (${duration} s, 2 cores) | requests | server CPU | PostgreSQL CPU | server CPU / request | PostgreSQL CPU / request |
|---|---|---|---|---|---|
| GET /projekt | ${l_n} | ${l_srv} s | ${l_db} s | $(ms "$l_srv" "$l_n") | $(ms "$l_db" "$l_n") |
| GET /projekt/{id} | ${p_n} | ${p_srv} s | ${p_db} s | $(ms "$p_srv" "$p_n") | $(ms "$p_db" "$p_n") |
REPORT
