#!/usr/bin/env bash
# Starts moto's Cognito emulator (PyPI moto[server]) on loopback and runs both suites against it:
# local-cognito's step-by-step conformance scenario and tenant-api's sign-in scenario.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -c "import moto.server, flask_cors" 2>/dev/null || python3 -m pip install -q 'moto[server]'
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log=$(mktemp)
python3 -m moto.server -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
moto_pid=$!
trap 'kill "$moto_pid" 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 100); do
  curl -fsS -o /dev/null "http://127.0.0.1:$port/moto-api/" 2>/dev/null && break
  sleep 0.2
done
curl -fsS -o /dev/null "http://127.0.0.1:$port/moto-api/" || { cat "$log"; echo "moto did not start"; exit 1; }

export MOTO_ENDPOINT="http://127.0.0.1:$port" AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
echo "== local-cognito conformance against moto"
cargo test -p local-cognito --features moto-conformance --test moto_conformance
echo "== tenant-api sign-in scenario against moto"
cargo test -p tenant-api --features moto-tests --test moto
