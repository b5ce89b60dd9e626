#!/usr/bin/env bash
# Portfolio benchmark: the open round 2026-Q4 with 500 items (the demo's 40 and 460 benchmark
# items), side by side in one run:
#   - /healthz at 16 connections            the HTTP stack alone (the baseline)
#   - GET the ranking board at 16 connections   500 rows, cut line, the strategy groups' notes
#   - the same board valued with the "Nyttokalkyl" model, which reads the 460 benchmark items'
#     benefit calculations (benches/sql/fill_calculations.sql) for every request
#   - saving a new place, one save at a time     as the board's script posts it: the move, the
#                                                audit entries, and the 500 rows rendered back
#   - GET /healthz one at a time                 the baseline of the sequential saves
#   - the suggestion page (optimiser, reasons and the 13-point frontier) one at a time
#   - target/release/optimiser-bench              the optimiser alone, 500 items
# Needs: the release build, Debian's postgresql (psql), wrk and curl.
# Usage: benches/portfolio.sh [seconds per wrk run, default 15] [sequential requests, default 300]
set -euo pipefail
duration="${1:-15}"
saves="${2:-300}"
port=18082
source "$(dirname "$0")/lib.sh"
psql_ -f benches/sql/fill_portfolio.sql >/dev/null
# A running database has statistics (autovacuum analyzes after bulk changes); a fresh bulk fill
# does not until then, so analyze now rather than measure plans made blind.
psql_ -c "ANALYZE" >/dev/null
round=$(psql_ -Atc "SELECT id FROM round WHERE quarter = '2026-Q4'")
echo "filled: $(psql_ -Atc "SELECT count(*) FROM round_item WHERE round_id = '$round'") items on the board of 2026-Q4" >&2

session=$(sign_in samordning@demo.portfolj.se)
cookie="portfolj=$session"
board="$base/omgangar/$round/rangordning"
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$board")" = 200 ] || { echo "sign-in failed"; exit 1; }
token=$(curl -s -H "Cookie: $cookie" "$board" | sed -n 's/.*name="csrf_token" value="\([0-9a-f]*\)".*/\1/p' | head -1)
# The board's rows are keyed by item number.
item=$(psql_ -Atc "SELECT number FROM portfolio_item WHERE id = md5('bench-item-250')::uuid")

# p50 and p99 in ms of a list of seconds, one per line.
percentiles() { sort -n | awk '{ t[NR] = $1 * 1000 } END {
  a = int(NR * 0.5); if (a < 1) a = 1; b = int(NR * 0.99); if (b < 1) b = 1
  printf "%.1f %.1f\n", t[a], t[b] }'; }

board_size=$(curl -s -o /dev/null -w '%{size_download}' -H "Cookie: $cookie" "$board")
board_gzip=$(curl -s -o /dev/null -w '%{size_download}' -H "Accept-Encoding: gzip" -H "Cookie: $cookie" "$board")
read -r h_rps h_p50 h_p99 h_bad _ <<<"$(wrk_ 16 "$base/healthz")"
read -r b_rps b_p50 b_p99 b_bad _ <<<"$(wrk_ 16 -H "Cookie: $cookie" "$board")"
[ "$h_bad$b_bad" = 00 ] || { echo "non-2xx responses: $h_bad $b_bad"; exit 1; }

# Sequential saves: the item moves up and down; each save carries the version the last returned.
version=$(psql_ -Atc "SELECT ranking_version FROM round WHERE id = '$round'")
: >"$work/saves"
for i in $(seq 1 "$saves"); do
  direction=$([ $((i % 2)) = 1 ] && echo up || echo down)
  out=$(curl -s -o /dev/null -D - -w 'TIME %{time_total} %{http_code}\n' -H "Cookie: $cookie" \
    -H "X-Requested-With: portfolj-board" --data-urlencode "csrf_token=$token" \
    --data-urlencode "version=$version" --data-urlencode "move=$direction:$item" "$board")
  code=$(awk '/^TIME/ { print $3 }' <<<"$out")
  [ "$code" = 200 ] || { echo "save $i answered $code"; exit 1; }
  version=$(awk 'tolower($1) == "x-ranking-version:" { print $2 }' <<<"$out" | tr -d '\r')
  awk '/^TIME/ { print $2 }' <<<"$out" >>"$work/saves"
done
read -r s_p50 s_p99 <<<"$(percentiles <"$work/saves")"
for i in $(seq 1 "$saves"); do curl -s -o /dev/null -w '%{time_total}\n' "$base/healthz"; done >"$work/health"
read -r hs_p50 hs_p99 <<<"$(percentiles <"$work/health")"
for i in $(seq 1 20); do curl -s -o /dev/null -w '%{time_total}\n' -H "Cookie: $cookie" "$base/omgangar/$round/forslag"; done >"$work/suggest"
read -r g_p50 g_p99 <<<"$(percentiles <"$work/suggest")"
# The board in the model that reads every item's benefit calculation, after the measurements
# above so that they stay comparable with the earlier runs.
psql_ -f benches/sql/fill_calculations.sql >/dev/null
psql_ -c "UPDATE round SET scoring_model_id = (SELECT id FROM scoring_model WHERE preset = 'benefit_calculation') WHERE id = '$round'" >/dev/null
psql_ -c "ANALYZE" >/dev/null
read -r c_rps c_p50 c_p99 c_bad _ <<<"$(wrk_ 16 -H "Cookie: $cookie" "$board")"
[ "$c_bad" = 0 ] || { echo "non-2xx responses: $c_bad"; exit 1; }
audited=$(psql_ -Atc "SELECT count(*) FROM audit_log WHERE action = 'ranking_updated'")
# Each save swaps two neighbours: two audited place changes, or the saves measured nothing.
[ "$audited" = $((2 * saves)) ] || { echo "expected $((2 * saves)) audited moves, found $audited"; exit 1; }
rss_peak=$(awk '/VmHWM/ { print $2 }' /proc/$pid/status)

cat <<REPORT
| measurement (500 items on the board) | req/s | p50 | p99 |
|---|---|---|---|
| /healthz, 16 connections, ${duration} s (baseline) | ${h_rps} | ${h_p50} | ${h_p99} |
| GET ranking board, 16 connections, ${duration} s | ${b_rps} | ${b_p50} | ${b_p99} |
| the same board in the "Nyttokalkyl" model (460 calculations read), 16 connections | ${c_rps} | ${c_p50} | ${c_p99} |
| save a new place (script path, rows rendered back), ${saves} one at a time | – | ${s_p50} ms | ${s_p99} ms |
| /healthz one at a time (baseline of the saves) | – | ${hs_p50} ms | ${hs_p99} ms |
| suggestion page (optimise + reasons + 13-point frontier), 20 one at a time | – | ${g_p50} ms | ${g_p99} ms |

Audit entries written by the saves: ${audited}. Board page: $((board_size / 1024)) KiB, $((board_gzip / 1024)) KiB gzipped. Server peak RSS: $((rss_peak / 1024)) MB.

Optimiser alone (target/release/optimiser-bench 500 20):
REPORT
./target/release/optimiser-bench 500 20
