#!/usr/bin/env bash
# API benchmark: GET /api/v1/projekt?limit=100 on the 1 000-project data set at 64 connections,
# side by side in one run with:
#   - /healthz                      the HTTP stack alone (ceiling 1)
#   - GET /projekt                  the same list as a page (25 rows, with sums and filters)
#   - pgbench -f <the call's SQL>   the token's holder with their roles and the 100-row page straight
#                                   against PostgreSQL (ceiling 2), printed by page-sql api-list
# and the CPU time the server and PostgreSQL spent per request (lib.sh). Target: p99 ≤ 50 ms.
# Needs: the release build, Debian's postgresql (psql, pgbench), wrk, curl and sha256sum.
# Usage: benches/api.sh [seconds per run, default 15]
set -euo pipefail
duration="${1:-15}"
port=18083
source "$(dirname "$0")/lib.sh"
echo "filled: $(psql_ -Atc 'SELECT count(*) FROM project') projects" >&2

# A read token of the auditor (who reads every project), made on its page as a user would.
session=$(sign_in revisor@demo.portfolj.se)
cookie="portfolj=$session"
form=$(curl -s -H "Cookie: $cookie" "$base/konto/api-nycklar")
csrf=$(sed -n 's/.*name="csrf_token" value="\([0-9a-f]*\)".*/\1/p' <<<"$form" | head -1)
submission=$(sed -n 's/.*name="submission" value="\([0-9a-f-]*\)".*/\1/p' <<<"$form" | head -1)
token=$(curl -s -H "Cookie: $cookie" --data-urlencode "csrf_token=$csrf" \
  --data-urlencode "submission=$submission" --data-urlencode "name=Belastningstest" \
  --data-urlencode "days=30" --data-urlencode "access=read" "$base/konto/api-nycklar" |
  grep -o 'pfj_[0-9a-f]\{64\}' | head -1)
[ -n "$token" ] || { echo "no token"; exit 1; }
auth="Authorization: Bearer $token"
api="$base/api/v1/projekt?limit=100"
[ "$(curl -s -H "$auth" "$api" | grep -o '"id"' | wc -l)" -ge 100 ] || { echo "the API did not list 100 projects"; exit 1; }
hash=$(printf %s "$token" | sha256sum | cut -d' ' -f1)
user_id=$(psql_ -Atc "SELECT id FROM app_user WHERE email = 'revisor@demo.portfolj.se'")
"$bin/page-sql" api-list >"$work/api.sql"
"$bin/page-sql" list >"$work/list.sql"

pgbench_() {
  pgbench -n -M prepared -c 64 -j 2 -T "$duration" -h "$socket_dir" -p "$pg_port" -U portfolj \
    -D "sid=$session" -D "uid=$user_id" -D "hash=\\x$hash" -f "$1" portfolj >"$1.out" 2>&1
  if grep -q "error" "$1.out"; then grep -m3 "error" "$1.out" >&2; exit 1; fi
  awk '/^latency average/ { lat = $4 } /^tps/ { tps = $3 } END { print tps, lat }' "$1.out"
}

read -r h_rps h_p50 h_p99 h_bad _ <<<"$(wrk_ 64 "$base/healthz")"
read -r a_rps a_p50 a_p99 a_bad a_n a_srv a_db <<<"$(wrk_cpu 64 -H "$auth" "$api")"
read -r l_rps l_p50 l_p99 l_bad l_n l_srv l_db <<<"$(wrk_cpu 64 -H "Cookie: $cookie" "$base/projekt")"
# The same call below saturation: what one integration sees when the two cores are not full.
read -r q_rps q_p50 q_p99 q_bad _ <<<"$(wrk_ 16 -H "$auth" "$api")"
read -r aq_tps aq_lat <<<"$(pgbench_ "$work/api.sql")"
[ "$h_bad$a_bad$l_bad$q_bad" = 0000 ] || { echo "non-2xx responses: $h_bad $a_bad $l_bad"; exit 1; }

pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f %%", 100 * a / b }'; }
ms() { awk -v a="$1" -v n="$2" 'BEGIN { printf "%.3f ms", 1000 * a / n }'; }
cat <<REPORT
| measurement (64 connections, ${duration} s each) | req/s or tps | p50 | p99 |
|---|---|---|---|
| /healthz (HTTP stack alone) | ${h_rps} | ${h_p50} | ${h_p99} |
| GET /api/v1/projekt?limit=100 (token) | ${a_rps} | ${a_p50} | ${a_p99} |
| the same at 16 connections | ${q_rps} | ${q_p50} | ${q_p99} |
| GET /projekt (the page, 25 rows, session) | ${l_rps} | ${l_p50} | ${l_p99} |
| pgbench: the API call's statements | ${aq_tps} | avg ${aq_lat} ms | – |

| ratio | value |
|---|---|
| API call / its pgbench ceiling | $(pct "$a_rps" "$aq_tps") |
| API call / /healthz | $(pct "$a_rps" "$h_rps") |

| CPU during the run (${duration} s, 2 cores) | requests | server CPU / request | PostgreSQL CPU / request |
|---|---|---|---|
| GET /api/v1/projekt?limit=100 | ${a_n} | $(ms "$a_srv" "$a_n") | $(ms "$a_db" "$a_n") |
| GET /projekt | ${l_n} | $(ms "$l_srv" "$l_n") | $(ms "$l_db" "$l_n") |
REPORT
