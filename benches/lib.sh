# Shared by the load scripts (sourced, not run): builds the release binaries, starts the server
# on an empty temporary data directory with its private PostgreSQL, fills it with the benchmark
# projects, and signs in. Expects `port` to be set; defines base, data, work, pid, psql_ and
# sign_in, and stops the server and removes the data on exit.
cd "$(dirname "${BASH_SOURCE[0]}")/.."
base="http://127.0.0.1:$port"
data="$(mktemp -d /tmp/portfolj-bench-XXXXXX)"
chmod 755 "$data" # PostgreSQL runs as its own user and must reach the directory
work="$data.work"
mkdir -p "$work"
cargo build --release -j2 --quiet

PORTFOLJ_DATA_DIR="$data" PORTFOLJ_ADDR="127.0.0.1:$port" RUST_LOG=warn \
  ./target/release/portfolj >"$work/server.log" 2>&1 &
pid=$!
trap 'kill -TERM $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$data" "$work"' EXIT
until curl -fs "$base/readyz" >/dev/null 2>&1; do sleep 0.05; done

# The private server's socket directory and port, from its postmaster.pid.
socket_dir=$(sed -n 5p "$data/postgres/postmaster.pid")
pg_port=$(sed -n 4p "$data/postgres/postmaster.pid")
psql_() { psql -X -q -v ON_ERROR_STOP=1 -h "$socket_dir" -p "$pg_port" -U portfolj -d portfolj "$@"; }
psql_ -f benches/sql/fill_projects.sql >/dev/null

# Signs in as the demo account $1 with a cookie jar in $work/cookies; prints the session id.
sign_in() {
  local jar="$work/cookies" token
  token=$(curl -s -c "$jar" -b "$jar" "$base/logga-in" | sed -n 's/.*name="csrf_token" value="\([0-9a-f]*\)".*/\1/p' | head -1)
  curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "csrf_token=$token" \
    --data-urlencode "email=$1" --data-urlencode "password=demo" "$base/logga-in"
  awk '$6 == "portfolj" { print $7 }' "$jar"
}
