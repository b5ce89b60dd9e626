#!/usr/bin/env bash
# Audit log benchmark (issue 16): the log page at a million entries, filtered as auditors filter
# it, each page requested one at a time (what a reader waits for), beside /healthz as the
# baseline in the same run. Target: p99 ≤ 100 ms with a filter.
# Needs: the release build, Debian's postgresql (psql) and curl.
# Usage: benches/audit_log.sh [requests per page, default 100]
set -euo pipefail
requests="${1:-100}"
port=18084
source "$(dirname "$0")/lib.sh"
started=$(date +%s)
psql_ -f benches/sql/fill_audit_log.sql >/dev/null
psql_ -c "ANALYZE audit_log" >/dev/null
echo "filled: $(psql_ -Atc "SELECT count(*) FROM audit_log") entries in $(( $(date +%s) - started )) s" >&2

session=$(sign_in revisor@demo.portfolj.se)
cookie="portfolj=$session"
person=$(psql_ -Atc "SELECT id FROM app_user WHERE email = 'itcenter@demo.portfolj.se'")
project=$(psql_ -Atc "SELECT id FROM project ORDER BY case_number OFFSET 100 LIMIT 1")
item=$(psql_ -Atc "SELECT md5('bench-audit-item-9')::uuid")
middle=$(psql_ -Atc "SELECT id FROM audit_log ORDER BY id OFFSET 500000 LIMIT 1")
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$base/logg")" = 200 ] || { echo "sign-in failed"; exit 1; }

# p50 and p99 in ms of a list of seconds, one per line.
percentiles() { sort -n | awk '{ t[NR] = $1 * 1000 } END {
  a = int(NR * 0.5); if (a < 1) a = 1; b = int(NR * 0.99); if (b < 1) b = 1
  printf "%.1f %.1f\n", t[a], t[b] }'; }
# Requests $1 $requests times, one at a time; prints "p50 p99 rows-on-the-last-page".
measure() {
  local url="$1" rows
  for i in $(seq 1 "$requests"); do
    curl -s -o /dev/null -w '%{time_total}\n' -H "Cookie: $cookie" "$url"
  done >"$work/times"
  rows=$(curl -s -H "Cookie: $cookie" "$url" | grep -c '<td class="nowrap">' || true)
  echo "$(percentiles <"$work/times") $rows"
}

echo "| page (1 000 000 entries, one request at a time, $requests each) | p50 | p99 | rows |"
echo "|---|---|---|---|"
read -r p50 p99 _ <<<"$(measure "$base/healthz")"
echo "| /healthz (baseline) | $p50 ms | $p99 ms | – |"
for case in \
  "changes, newest first (sign-ins hidden)|$base/logg" \
  "with sign-ins|$base/logg?inloggningar=ja" \
  "one person|$base/logg?vem=$person" \
  "one project|$base/logg?projekt=$project" \
  "one portfolio item|$base/logg?objekt=$item" \
  "kind: project|$base/logg?typ=project" \
  "a month in the middle (2024-03)|$base/logg?fran=2024-03-01&till=2024-03-31" \
  "a month and one person|$base/logg?fran=2024-03-01&till=2024-03-31&vem=$person" \
  "page from the middle of the log|$base/logg?fore=$middle" \
  "a month, Excel export|$base/logg.xlsx?fran=2024-03-01&till=2024-03-31&typ=project"; do
  label="${case%%|*}" url="${case#*|}"
  read -r p50 p99 rows <<<"$(measure "$url")"
  echo "| $label | $p50 ms | $p99 ms | $rows |"
done
