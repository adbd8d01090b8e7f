#!/usr/bin/env bash
# Longer fuzz run of cognito-verify's token parser (proptest properties in
# crates/cognito-verify/tests/verify/fuzz.rs): arbitrary text, arbitrary byte segments and
# mutated genuine tokens must be refused without a panic. Bounded by case count and wall time;
# the ordinary `cargo test` already runs 2,000 cases.
set -euo pipefail
cd "$(dirname "$0")/.."
cases="${FUZZ_CASES:-20000}"
seconds="${FUZZ_SECONDS:-900}"
PROPTEST_CASES="$cases" timeout "$seconds" \
  cargo test -p cognito-verify --test verify -- fuzz:: --test-threads 2
