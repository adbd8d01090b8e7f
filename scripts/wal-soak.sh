#!/usr/bin/env bash
# scripts/wal-soak.sh — SQLite WAL soak of tenant-api on the embedded defaults.
#
# Starts a release tenant-api (or --binary PATH) in a fresh temporary data directory on
# 127.0.0.1, signs a user in, then for --duration seconds runs two wrk loads at once: item
# creation (POST /api/items/) and the tenant's first page (GET /api/items/?limit=3). Every 5 s
# it prints the WAL and main-file sizes and the server's RSS, then the same once writes have
# stopped. The last line sums it up: writes/s, largest WAL, RSS first and last.
#
# Traffic goes to 127.0.0.1 only, wrk runs are bounded in time, and the EXIT trap stops the
# server and removes the data directory.
set -euo pipefail
cd "$(dirname "$0")/.."

duration=60
binary=target/release/tenant-api
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=${2:?}; shift ;;
    --binary) binary=${2:?}; shift ;;
    *) echo "usage: scripts/wal-soak.sh [--duration SECS] [--binary PATH]" >&2; exit 2 ;;
  esac
  shift
done
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
[ -x "$binary" ] || cargo build -q --release -p tenant-api

work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
export DATA_DIR="$work" AWS_ENDPOINT_URL=http://127.0.0.1:9 RUST_LOG=warn
BIND_ADDR="127.0.0.1:$port" LOCAL_COGNITO_ADDR=127.0.0.1:0 "$binary" >"$work/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -fsS -o /dev/null "$base/health" 2>/dev/null && break; sleep 0.1; done

"$binary" users create --email soak@example.com --tenant acme --temporary-password 'Temp-Passw0rd!' >/dev/null
json() { python3 -c "import sys, json; print(json.load(sys.stdin)['$1'])"; }
post() { curl -fsS --max-time 30 "$base$1" -H 'Content-Type: application/json' -d "$2"; }
session=$(post /api/user/login '{"email":"soak@example.com","password":"Temp-Passw0rd!"}' | json session)
token=$(post /api/user/new-password \
  "{\"email\":\"soak@example.com\",\"new_password\":\"Corr3ct-Horse!\",\"session\":\"$session\"}" | json access_token)

lua() { # METHOD [BODY]
  printf 'wrk.method = "%s"\nwrk.headers["Authorization"] = "Bearer %s"\nwrk.headers["X-Tenant-Id"] = "acme"\n' "$1" "$token"
  [ -z "${2:-}" ] || printf 'wrk.body = %s\nwrk.headers["Content-Type"] = "application/json"\n' "'$2'"
  printf 'done = function(s) io.write(string.format("REQUESTS %%d NON2XX %%d\\n", s.requests, s.errors.status)) end\n'
}
lua POST '{"name":"a soak item with a name of ordinary length"}' >"$work/write.lua"
lua GET >"$work/read.lua"

size() { stat -c %s "$1" 2>/dev/null || echo 0; }
rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$server/status"; }
sample() { # LABEL
  printf '%-8s wal %10s B   db %11s B   rss %6s KiB\n' "$1" "$(size "$work/tenant-api.db-wal")" \
    "$(size "$work/tenant-api.db")" "$(rss)"
}

first_rss=$(rss)
wrk -t1 -c8 -d"${duration}s" --timeout 10s -s "$work/write.lua" "$base/api/items/" >"$work/write.out" 2>&1 &
writer=$!
wrk -t1 -c8 -d"${duration}s" --timeout 10s -s "$work/read.lua" "$base/api/items/?limit=3" >"$work/read.out" 2>&1 &
reader=$!
largest=0
for t in $(seq 5 5 "$duration"); do
  sleep 5
  sample "${t}s"
  wal=$(size "$work/tenant-api.db-wal"); [ "$wal" -gt "$largest" ] && largest=$wal
done
wait "$writer" "$reader"
sleep 5
sample "idle+5s"
writes=$(awk '/^REQUESTS/ { print $2 }' "$work/write.out")
reads=$(awk '/^REQUESTS/ { print $2 }' "$work/read.out")
bad=$(awk '/^NON2XX|REQUESTS/ { n += $4 } END { print n + 0 }' "$work/write.out" "$work/read.out")
echo "writes/s $((writes / duration))  reads/s $((reads / duration))  non-2xx $bad  largest WAL $largest B  RSS $first_rss -> $(rss) KiB"
