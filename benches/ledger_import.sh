#!/usr/bin/env bash
# Ledger import benchmark (issue 14): a SIE 4 file of N #TRANS rows (default 1 000 000) staged
# by the import (reading, decoding and checking every line, COPY into the staged rows) beside a
# raw COPY of the same rows into an unindexed table, in one run on the server's own PostgreSQL;
# prints both times, the ratio and the peak resident memory (src/bin/ledger-bench.rs).
# Needs: the release build, Debian's postgresql (psql) and curl.
# Usage: benches/ledger_import.sh [rows] [every: one voucher in every has a project row; 1]
#        BENCH_BIN=<dir with portfolj and ledger-bench> benches/ledger_import.sh …
set -euo pipefail
port=18085
source "$(dirname "$0")/lib.sh"
DATABASE_URL="postgres://portfolj@localhost/portfolj?host=$socket_dir&port=$pg_port" \
  "$bin/ledger-bench" "${1:-1000000}" "${2:-1}"
