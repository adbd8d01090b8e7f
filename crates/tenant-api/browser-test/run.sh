#!/usr/bin/env bash
# The console at / in a real browser: installs Debian's Chromium and playwright-core if missing,
# starts tenant-api on its embedded defaults (fresh data directory, loopback, ephemeral ports)
# and runs console.mjs, then members.mjs (tenant admins, the outbox, switching tenants). Screenshots land in $SCREENSHOTS (default: target/console-screenshots).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
if ! command -v chromium >/dev/null; then
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi
if [ ! -d "$here/node_modules/playwright-core" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --silent)
fi
export SCREENSHOTS="${SCREENSHOTS:-$root/target/console-screenshots}"
mkdir -p "$SCREENSHOTS"
state="$(mktemp -d)"
log="$state/serve.log"
(cd "$root" && cargo build -q -p tenant-api --bin tenant-api)
env -i PATH="$PATH" HOME="$state" DATA_DIR="$state/data" BIND_ADDR=127.0.0.1:0 \
  LOCAL_COGNITO_ADDR=127.0.0.1:0 AWS_ENDPOINT_URL=http://127.0.0.1:9 \
  "$root/target/debug/tenant-api" serve >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null; rm -rf "$state"' EXIT
for _ in $(seq 1 200); do
  grep -q "Embedded Cognito at" "$log" && break
  sleep 0.1
done
export APP_URL="$(sed -n 's/^tenant-api listening on //p' "$log")"
export IDP_URL="$(sed -n 's/^  Embedded Cognito at \([^ ]*\) (pool \([^,]*\),.*/\1/p' "$log")"
export POOL_ID="$(sed -n 's/^  Embedded Cognito at \([^ ]*\) (pool \([^,]*\),.*/\2/p' "$log")"
[ -n "$APP_URL" ] && [ -n "$POOL_ID" ] || { cat "$log"; exit 1; }
node "$here/console.mjs"
node "$here/members.mjs"
