#!/usr/bin/env bash
# Security scan: Debian's wapiti (crawler and attack modules: XSS, SQL injection, CSRF, redirects,
# headers, file handling …) and sqlmap (SQL injection through every form and query string),
# signed in as each demo role, against a server on 127.0.0.1 only. Each run is bounded in time.
#
#   benches/security.sh [seconds-per-wapiti-run] [seconds-per-sqlmap-run]
#
# Reports land in target/security/<role>/; the summary (findings by severity) is printed at the
# end and copied by hand into docs/SECURITY.md.
set -euo pipefail
port=18093
wapiti_seconds=${1:-120}
sqlmap_seconds=${2:-90}
source "$(dirname "$0")/lib.sh"
out="target/security"
rm -rf "$out"
mkdir -p "$out"

roles=(admin itcenter controller strategi.ludvika samordning sekreterare revisor)
for role in "${roles[@]}"; do
  email="$role@demo.portfolj.se"
  dir="$out/$role"
  mkdir -p "$dir"
  rm -f "$work/cookies"
  session=$(sign_in "$email")
  cookie="portfolj=$session"
  # Signing out would end the scan's session; the scanners may do anything else a user can.
  timeout $((wapiti_seconds + 60)) wapiti -u "$base/" --scope folder -H "Cookie: $cookie" \
    -x "$base/logga-ut" --max-scan-time "$wapiti_seconds" --max-attack-time $((wapiti_seconds / 4)) \
    --flush-session -f json -o "$dir/wapiti.json" -v 0 >"$dir/wapiti.log" 2>&1 || true
  timeout $((sqlmap_seconds + 30)) sqlmap -u "$base/projekt?sok=x&sida=1" --cookie="$cookie" \
    --crawl=2 --forms --batch --level=2 --risk=1 --smart --threads=2 \
    --crawl-exclude="logga-ut" --scope="127\.0\.0\.1" --output-dir="$dir/sqlmap" \
    >"$dir/sqlmap.log" 2>&1 || true
  injectable=$(grep -c "is vulnerable\|might be injectable\|injectable" "$dir/sqlmap.log" || true)
  summary=$(python3 - "$dir/wapiti.json" <<'PY'
import json, sys, collections
try:
    report = json.load(open(sys.argv[1]))
except Exception as e:
    print(f"no wapiti report ({e})"); sys.exit()
levels = collections.Counter()
for kind in ("vulnerabilities", "anomalies", "additionals"):
    for name, items in report.get(kind, {}).items():
        for item in items:
            levels[(item.get("level"), name)] += 1
names = {1: "Low", 2: "Medium", 3: "High", 4: "Critical"}
print("; ".join(f"{names.get(l, l)} {n}: {c}" for (l, n), c in sorted(levels.items(), key=lambda x: (-(x[0][0] or 0), x[0][1]))) or "nothing found")
PY
)
  echo "$role: wapiti: $summary | sqlmap injectable lines: $injectable"
done
