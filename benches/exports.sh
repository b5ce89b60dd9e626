#!/usr/bin/env bash
# Final-report exports: time per request for the seed 000 draft as Word and as PDF/A (median of
# N sequential requests, beside /healthz and the HTML draft page in the same run), and one ZIP
# for a board meeting with 50 ready drafts (Word + PDF each), with the server's memory.
# Needs: the release build, Debian's postgresql (psql), curl.
# Usage: benches/exports.sh [requests per format, default 30]
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-30}"
port=18083
base="http://127.0.0.1:$port"
data="$(mktemp -d /tmp/portfolj-bench-XXXXXX)"
chmod 755 "$data"
work="$data.work"
mkdir -p "$work"
cargo build --release -j2 --quiet

PORTFOLJ_DATA_DIR="$data" PORTFOLJ_ADDR="127.0.0.1:$port" RUST_LOG=warn \
  ./target/release/portfolj >"$work/server.log" 2>&1 &
pid=$!
trap 'kill -TERM $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$data" "$work"' EXIT
until curl -fs "$base/readyz" >/dev/null 2>&1; do sleep 0.05; done
socket_dir=$(sed -n 5p "$data/postgres/postmaster.pid")
pg_port=$(sed -n 4p "$data/postgres/postmaster.pid")
psql_() { psql -X -q -v ON_ERROR_STOP=1 -h "$socket_dir" -p "$pg_port" -U portfolj -d portfolj "$@"; }
psql_ -f benches/sql/fill_projects.sql >/dev/null
# 50 drafts ready for one meeting of the seed project's board, each with the seed's text.
psql_ <<'SQL' >/dev/null
INSERT INTO final_report (project_id, status, meeting_date)
SELECT p.id, 'ready', '2026-12-01' FROM project p
WHERE p.case_number LIKE 'BENCH%'
  AND p.board_id = (SELECT board_id FROM project WHERE case_number = 'KS 2020-339')
ORDER BY p.name LIMIT 50;
INSERT INTO final_report_version (id, project_id, number, content, figures)
SELECT gen_random_uuid(), r.project_id, 1, v.content, v.figures
FROM final_report r JOIN project p ON p.id = r.project_id
CROSS JOIN (SELECT content, figures FROM final_report_version
            WHERE project_id = (SELECT id FROM project WHERE case_number = 'KS 2020-339')) v
WHERE p.case_number LIKE 'BENCH%';
SQL
seed=$(psql_ -Atc "SELECT id FROM project WHERE case_number = 'KS 2020-339'")
board=$(psql_ -Atc "SELECT board_id FROM project WHERE case_number = 'KS 2020-339'")

jar="$work/cookies"
token=$(curl -s -c "$jar" -b "$jar" "$base/logga-in" | sed -n 's/.*name="csrf_token" value="\([0-9a-f]*\)".*/\1/p' | head -1)
curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "csrf_token=$token" \
  --data-urlencode "email=sekreterare@demo.portfolj.se" --data-urlencode "password=demo" "$base/logga-in"

median_ms() { # url -> median time_total in ms over $n sequential requests (after one warm-up)
  curl -s -o /dev/null -b "$jar" "$1"
  for _ in $(seq "$n"); do curl -s -o /dev/null -b "$jar" -w '%{time_total}\n' "$1"; done |
    sort -n | awk '{ t[NR] = $1 } END { printf "%.1f", 1000 * t[int((NR + 1) / 2)] }'
}
health=$(median_ms "$base/healthz")
page=$(median_ms "$base/projekt/$seed/slutredovisning")
docx=$(median_ms "$base/projekt/$seed/slutredovisning.docx")
pdf=$(median_ms "$base/projekt/$seed/slutredovisning.pdf")
docx_size=$(curl -s -b "$jar" "$base/projekt/$seed/slutredovisning.docx" | wc -c)
pdf_size=$(curl -s -b "$jar" "$base/projekt/$seed/slutredovisning.pdf" | wc -c)

rss_before=$(awk '/VmRSS/ { print $2 }' /proc/$pid/status)
zip_time=$(curl -s -b "$jar" -o "$work/batch.zip" -w '%{time_total}' \
  "$base/slutredovisningar/sammantrade.zip?namnd=$board&datum=2026-12-01")
rss_peak=$(awk '/VmHWM/ { print $2 }' /proc/$pid/status)
entries=$(python3 -c "import zipfile,sys; print(len(zipfile.ZipFile(sys.argv[1]).namelist()))" "$work/batch.zip")
zip_size=$(wc -c <"$work/batch.zip")

cat <<REPORT
| measurement (sequential, median of $n) | time | size |
|---|---|---|
| /healthz | ${health} ms | – |
| draft page (HTML) | ${page} ms | – |
| Word (.docx) of the seed 000 draft | ${docx} ms | $((docx_size / 1024)) KiB |
| PDF/A-2b of the seed 000 draft | ${pdf} ms | $((pdf_size / 1024)) KiB |
| ZIP for one meeting: 50 drafts, Word + PDF each, and the list ($entries files) | $(awk -v t="$zip_time" 'BEGIN { printf "%.2f", t }') s | $((zip_size / 1024)) KiB |
| server RSS before the ZIP → peak | $((rss_before / 1024)) MB → $((rss_peak / 1024)) MB | – |
REPORT
