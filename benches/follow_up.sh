#!/usr/bin/env bash
# Follow-up benchmark: 30 boards that report (36 months of operating budget and outcome each),
# one of them with 12 activities and 300 investment projects with 36 months of outcome and
# every forecast entered (benches/sql/fill_follow_up.sql). At 16 connections for a bounded time,
# side by side in one run:
#   - /healthz                                  the HTTP stack alone
#   - GET /uppfoljning/{occasion}/{board}       the board's report (tables, plan, text)
#   - GET /uppfoljning                          the year's overview of 30 boards
#   - GET /uppfoljning/{occasion}/{board}/rapport.docx   the report as a Word file
# with the CPU time the server and PostgreSQL spent per request (see lib.sh); then the Word
# export alone, one request at a time over one connection (the time a secretary waits):
# ${BENCH_DOCX_REQUESTS:-200} requests after 5 warm-ups, p50, p99 and max.
# Needs: the release build, Debian's postgresql (psql), wrk and curl.
# Usage: benches/follow_up.sh [seconds per run, default 15]
#        BENCH_BIN=<dir with portfolj> benches/follow_up.sh …   (another build)
set -euo pipefail
duration="${1:-15}"
port=18083
source "$(dirname "$0")/lib.sh"
psql_ -f benches/sql/fill_follow_up.sql >/dev/null
occasion=$(psql_ -Atc "SELECT id FROM follow_up_occasion WHERE year = 2026 AND number = 2")
board=$(psql_ -Atc "SELECT md5('bench-board')::uuid")
echo "filled: $(psql_ -Atc "SELECT count(DISTINCT board_id) FROM activity") reporting boards, $(psql_ -Atc "SELECT count(*) FROM project WHERE board_id = '$board'") projects and $(psql_ -Atc "SELECT count(*) FROM outcome_entry e JOIN budget_line l ON l.id = e.budget_line_id JOIN project p ON p.id = l.project_id WHERE p.board_id = '$board'") outcome entries on the benchmark board" >&2

session=$(sign_in controller@demo.portfolj.se)
cookie="portfolj=$session"
report="$base/uppfoljning/$occasion/$board"
[ "$(curl -s -o "$work/report.html" -w '%{http_code}' -H "Cookie: $cookie" "$report")" = 200 ] || { echo "report failed"; exit 1; }
grep -q "UTKAST" "$work/report.html" && { echo "the benchmark report should be complete"; exit 1; }
docx="$report/rapport.docx"
[ "$(curl -s -o "$work/report.docx" -w '%{http_code}' -H "Cookie: $cookie" "$docx")" = 200 ] || { echo "Word export failed"; exit 1; }
# BENCH_KEEP_DOCX=<file>: keep a copy of the benchmark board's Word file to look at.
[ -z "${BENCH_KEEP_DOCX:-}" ] || cp "$work/report.docx" "$BENCH_KEEP_DOCX"

read -r h_rps h_p50 h_p99 h_bad _ <<<"$(wrk_ 16 "$base/healthz")"
read -r r_rps r_p50 r_p99 r_bad r_n r_srv r_db <<<"$(wrk_cpu 16 -H "Cookie: $cookie" "$report")"
read -r o_rps o_p50 o_p99 o_bad o_n o_srv o_db <<<"$(wrk_cpu 16 -H "Cookie: $cookie" "$base/uppfoljning?ar=2026")"
read -r w_rps w_p50 w_p99 w_bad w_n w_srv w_db <<<"$(wrk_cpu 16 -H "Cookie: $cookie" "$docx")"
[ "$h_bad$r_bad$o_bad$w_bad" = 0000 ] || { echo "non-2xx responses: $h_bad $r_bad $o_bad $w_bad"; exit 1; }
size=$(wc -c <"$work/report.html")
docx_size=$(wc -c <"$work/report.docx")

# The Word export one at a time: one curl, one kept-alive connection, the time of each request.
n_docx="${BENCH_DOCX_REQUESTS:-200}"
# (-o applies to one URL each, so it is repeated with every URL.)
curl -s -H "Cookie: $cookie" $(for _ in 1 2 3 4 5; do echo "-o /dev/null $docx"; done)
times=$(curl -s -H "Cookie: $cookie" -w '%{http_code} %{time_total}\n' \
  $(for _ in $(seq "$n_docx"); do echo "-o /dev/null $docx"; done) |
  awk '$1 != 200 { print "bad"; next } { printf "%.1f\n", $2 * 1000 }')
grep -q bad <<<"$times" && { echo "non-200 Word exports in the sequential run"; exit 1; }
read -r s_p50 s_p99 s_max <<<"$(sort -n <<<"$times" | awk '{ t[NR] = $1 }
  END { print t[int((NR + 1) / 2)], t[int(NR * 0.99 + 0.5)], t[NR] }')"

ms() { awk -v a="$1" -v n="$2" 'BEGIN { printf "%.3f ms", 1000 * a / n }'; }
cat <<REPORT
| measurement (16 connections, ${duration} s each) | req/s | p50 | p99 |
|---|---|---|---|
| /healthz (HTTP stack alone) | ${h_rps} | ${h_p50} | ${h_p99} |
| GET the board's report (12 activities, 300 projects; $((size / 1024)) KiB) | ${r_rps} | ${r_p50} | ${r_p99} |
| GET /uppfoljning (30 boards, 3 occasions) | ${o_rps} | ${o_p50} | ${o_p99} |
| GET the report as Word ($((docx_size / 1024)) KiB) | ${w_rps} | ${w_p50} | ${w_p99} |

| the Word export alone, one request at a time (${n_docx} requests) | p50 | p99 | max |
|---|---|---|---|
| GET …/rapport.docx, 300 projects | ${s_p50} ms | ${s_p99} ms | ${s_max} ms |

| CPU during the page's run | requests | server CPU / request | PostgreSQL CPU / request |
|---|---|---|---|
| the board's report | ${r_n} | $(ms "$r_srv" "$r_n") | $(ms "$r_db" "$r_n") |
| /uppfoljning | ${o_n} | $(ms "$o_srv" "$o_n") | $(ms "$o_db" "$o_n") |
| the report as Word | ${w_n} | $(ms "$w_srv" "$w_n") | $(ms "$w_db" "$w_n") |
REPORT

# The pgbench ceiling: the report's own statements (the header and what follow_up::report::live
# runs, after the session lookup and the current user) straight against PostgreSQL at 16
# connections, printed by the application's code (src/bin/page-sql.rs), with the report's real
# parameters, and PostgreSQL's CPU per run of them.
"$bin/page-sql" follow-up >"$work/report.sql"
user_id=$(psql_ -Atc "SELECT id FROM app_user WHERE email = 'controller@demo.portfolj.se'")
follow_up=$(psql_ -Atc "SELECT id FROM follow_up WHERE board_id = '$board' AND occasion_id = '$occasion'")
IFS='|' read -r year start last end <<<"$(psql_ -Atc "SELECT year, make_date(year, 1, 1), \
  make_date(year, through_month, 1), make_date(year + 1, 1, 1) FROM follow_up_occasion WHERE id = '$occasion'")"
q_d0=$(cpu_db)
pgbench -n -M prepared -c 16 -j 2 -T "$duration" -h "$socket_dir" -p "$pg_port" -U portfolj \
  -D "sid=$session" -D "uid=$user_id" -D "board=$board" -D "occasion=$occasion" -D "fu=$follow_up" \
  -D "year=$year" -D "start=$start" -D "last=$last" -D "end=$end" \
  -f "$work/report.sql" portfolj >"$work/report.sql.out" 2>&1
q_db=$(awk -v a="$(cpu_db)" -v b="$q_d0" 'BEGIN { printf "%.2f", a - b }')
if grep -q "error" "$work/report.sql.out"; then grep -m3 "error" "$work/report.sql.out" >&2; exit 1; fi
read -r q_tps q_lat q_n <<<"$(awk '/^latency average/ { lat = $4 } /^tps/ { tps = $3 }
  /^number of transactions actually processed/ { split($6, n, "/"); done = n[1] }
  END { print tps, lat, done }' "$work/report.sql.out")"
cat <<REPORT

| the report's statements (16 connections, ${duration} s) | value |
|---|---|
| pgbench: runs of the report's statements per second | ${q_tps} |
| pgbench: average latency | ${q_lat} ms |
| pgbench: PostgreSQL CPU per run | $(ms "$q_db" "$q_n") |
| the report / its pgbench ceiling | $(awk -v a="$r_rps" -v b="$q_tps" 'BEGIN { printf "%.0f %%", 100 * a / b }') |
REPORT
