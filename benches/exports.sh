#!/usr/bin/env bash
# Final-report exports: time per request for the seed 000 draft as Word (in the house style and
# in the municipality's Word template, fixtures/letterheads/brevmall.docx) and as tagged PDF
# (PDF/UA-1 + PDF/A-2a) (median of N sequential requests, beside /healthz and the HTML draft page
# in the same run), and one ZIP for a board meeting with 50 ready drafts (Word + PDF each), with
# the server's memory.
# Needs: the release build, Debian's postgresql (psql), curl.
# Usage: benches/exports.sh [requests per format, default 30]
set -euo pipefail
n="${1:-30}"
port=18083
source "$(dirname "$0")/lib.sh"
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

sign_in sekreterare@demo.portfolj.se >/dev/null
jar="$work/cookies"

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
# The seed's municipality gets the test template, as an administrator would upload it.
template="$(dirname "$0")/../fixtures/letterheads/brevmall.docx"
psql_ -c "INSERT INTO municipality_letterhead (municipality_id, file_name, content, sha256, uploaded_by)
  SELECT b.municipality_id, 'brevmall.docx', decode('$(python3 -c 'import sys; print(open(sys.argv[1], "rb").read().hex())' "$template")', 'hex'),
         '$(sha256sum "$template" | cut -d' ' -f1)', (SELECT id FROM app_user WHERE email = 'admin@demo.portfolj.se')
  FROM board b WHERE b.id = '$board'" >/dev/null
templated=$(median_ms "$base/projekt/$seed/slutredovisning.docx")
templated_size=$(curl -s -b "$jar" "$base/projekt/$seed/slutredovisning.docx" | wc -c)
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
| Word (.docx) of the seed 000 draft, house style | ${docx} ms | $((docx_size / 1024)) KiB |
| Word (.docx) of the seed 000 draft in the municipality's template | ${templated} ms | $((templated_size / 1024)) KiB |
| tagged PDF (UA-1, A-2a) of the seed 000 draft | ${pdf} ms | $((pdf_size / 1024)) KiB |
| ZIP for one meeting: 50 drafts, Word (in the template) + PDF each, and the list ($entries files) | $(awk -v t="$zip_time" 'BEGIN { printf "%.2f", t }') s | $((zip_size / 1024)) KiB |
| server RSS before the ZIP → peak | $((rss_before / 1024)) MB → $((rss_peak / 1024)) MB | – |
REPORT
