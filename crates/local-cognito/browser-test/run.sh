#!/usr/bin/env bash
# The Hosted UI in a real browser: installs Debian's Chromium and playwright-core if missing,
# starts local-cognito (the `serve` example) on loopback, and runs hosted-ui.mjs, which signs a
# user in through the sign-in and new-password pages and redeems the code. Screenshots of both
# pages land in $SCREENSHOTS (default: target/hosted-ui-screenshots).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
if ! command -v chromium >/dev/null; then
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi
if [ ! -d "$here/node_modules/playwright-core" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --silent)
fi
export SCREENSHOTS="${SCREENSHOTS:-$root/target/hosted-ui-screenshots}"
mkdir -p "$SCREENSHOTS"
state="$(mktemp -d)"
log="$state/serve.log"
(cd "$root" && cargo build -q -p local-cognito --example serve)
"$root/target/debug/examples/serve" 127.0.0.1:0 "$state/idp" >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null; rm -rf "$state"' EXIT
for _ in $(seq 1 100); do
  grep -q "endpoint:" "$log" && break
  sleep 0.1
done
export IDP_URL="$(sed -n 's/^local-cognito endpoint: //p' "$log")"
[ -n "$IDP_URL" ] || { cat "$log"; exit 1; }
node "$here/hosted-ui.mjs"
