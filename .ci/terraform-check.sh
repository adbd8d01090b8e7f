#!/usr/bin/env bash
# Checks for infra/tf (issue 5). Self-contained: creates its Python virtual
# environments under infra/.venv-infra, installs pinned packages from PyPI,
# then runs
#   1. the provider-schema check of every .tf file (python-hcl2),
#   2. pytest on infra/tf/checks (module properties, variable validations,
#      `terraform validate` and `terraform plan` against stand-in providers
#      serving the stored schema, the pre-token-generation Lambda, README/.env
#      against the code;
#      the Terraform-driven tests need a terraform binary and skip without),
#   3. checkov on infra/tf with zero failed checks allowed (twice: default
#      variables, and checks/all_features.tfvars with every option on),
#   4. terraform fmt -check when a terraform binary is installed.
# Exits non-zero on any failure. The last line is "N passed, M failed":
# N and M count pytest's tests plus one for each other check.
#
# Two environments, because checkov's bc-python-hcl2 and python-hcl2 both
# install a package named `hcl2` and would overwrite each other.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 1

VENV_DIR="infra/.venv-infra"
CHECKS_VENV="$VENV_DIR/checks"
CHECKOV_VENV="$VENV_DIR/checkov"
PYTHON="${PYTHON:-python3}"

# Nothing here may phone home: no Terraform update check, no checkov
# version check (PyPI is only for installing the pinned packages).
export CHECKPOINT_DISABLE=1
export CKV_SKIP_PACKAGE_UPDATE_CHECK=true
TF_CLI_CONFIG_FILE="$(mktemp)"
export TF_CLI_CONFIG_FILE
trap 'rm -f "$TF_CLI_CONFIG_FILE"' EXIT

# Pinned versions, each verified to install on Python 3.11 here.
# The checks' environment also runs the stand-in providers that let
# `terraform validate` work offline (gRPC, the plugin protocol, TLS).
CHECKS_PACKAGES=("python-hcl2==8.1.4" "pytest==9.1.1" "inmanta-tfplugin==5.2.0" "grpcio==1.85.3"
    "protobuf==7.36.2" "cryptography==50.0.2")
CHECKOV_PACKAGES=("checkov==3.3.30")

passed=0
failed=0
step() {
    local name="$1"
    shift
    echo "==> $name"
    if "$@"; then
        echo "ok: $name"
        passed=$((passed + 1))
    else
        echo "FAILED: $name"
        failed=$((failed + 1))
    fi
}

# Creates (or reuses) a venv and installs its pinned packages; a stamp file
# records what was installed so a rerun skips pip when nothing changed.
ensure_venv() {
    local dir="$1"
    shift
    local wanted="$*"
    if [ ! -x "$dir/bin/python" ]; then
        "$PYTHON" -m venv "$dir" || return 1
    fi
    if [ "$(cat "$dir/.installed" 2>/dev/null)" != "$wanted" ]; then
        "$dir/bin/python" -m pip install --quiet --disable-pip-version-check "$@" || return 1
        echo "$wanted" > "$dir/.installed"
    fi
}

if ! ensure_venv "$CHECKS_VENV" "${CHECKS_PACKAGES[@]}"; then
    echo "could not install ${CHECKS_PACKAGES[*]}"
    echo "0 passed, 1 failed"
    exit 1
fi
if ! ensure_venv "$CHECKOV_VENV" "${CHECKOV_PACKAGES[@]}"; then
    echo "could not install ${CHECKOV_PACKAGES[*]}"
    echo "0 passed, 1 failed"
    exit 1
fi

step "provider schema check (every .tf argument and block)" \
    "$CHECKS_VENV/bin/python" infra/tf/checks/schema_check.py infra/tf

# pytest counts its own tests; exit 5 (nothing collected) is a failure too.
echo "==> pytest infra/tf/checks"
pytest_log="$(mktemp)"
"$CHECKS_VENV/bin/python" -m pytest -q -p no:cacheprovider infra/tf/checks 2>&1 | tee "$pytest_log"
pytest_code=${PIPESTATUS[0]}
summary="$(tail -n 1 "$pytest_log")"
rm -f "$pytest_log"
tests_passed="$(echo "$summary" | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+' || true)"
tests_failed="$(echo "$summary" | grep -oE '[0-9]+ (failed|errors?)' | awk '{s += $1} END {print s + 0}')"
passed=$((passed + ${tests_passed:-0}))
failed=$((failed + ${tests_failed:-0}))
if [ "$pytest_code" -ne 0 ] && [ "${tests_failed:-0}" -eq 0 ]; then
    echo "FAILED: pytest exited $pytest_code"
    failed=$((failed + 1))
fi

# checkov renders variables and drops resources whose count is 0, so the
# defaults alone would leave the optional Lambda and IAM attachment unchecked:
# run it once on the defaults and once with every option switched on.
run_checkov() {
    local out code
    out="$(mktemp)"
    "$CHECKOV_VENV/bin/checkov" -d infra/tf --framework terraform --skip-download \
        --quiet --compact "$@" >"$out" 2>&1
    code=$?
    cat "$out"
    # --quiet prints only failures; require the summary to say zero failed.
    if [ $code -ne 0 ] || ! grep -q "Failed checks: 0," "$out"; then
        rm -f "$out"
        return 1
    fi
    rm -f "$out"
}
step "checkov, default variables (zero failed checks)" run_checkov
step "checkov, every option on (zero failed checks)" \
    run_checkov --var-file infra/tf/checks/all_features.tfvars

if command -v terraform >/dev/null 2>&1; then
    step "terraform fmt -check" terraform -chdir=infra/tf fmt -check -diff
else
    echo "terraform binary not installed: fmt check not run"
fi

echo "terraform checks: $passed passed, $failed failed"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
