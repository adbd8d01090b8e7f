"""Run Terraform offline against the stand-in providers.

Copies a module's .tf files (and its lambda/ directory) to a temporary
directory and points Terraform at fake_provider/bin through a CLI
configuration with `dev_overrides`, so neither `terraform init` nor any
download is needed. `validate` then checks the module against the stored
provider schema; `plan` evaluates every expression, variable validation,
precondition, dynamic block and output with real Terraform, and `terraform
show -json` exposes the planned values to the tests.

Usage: python terraform_offline.py [MODULE_DIR]   (validate; exit 1 when not valid)
"""

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from hcl_load import MODULE_DIR

BIN = Path(__file__).resolve().parent / "fake_provider" / "bin"


@contextlib.contextmanager
def workspace(module_dir=MODULE_DIR, suffix=".tf"):
    """A temporary copy of the module (files ending in suffix, renamed .tf)."""
    with tempfile.TemporaryDirectory(prefix="tf-offline-") as work:
        work = Path(work)
        for path in Path(module_dir).glob(f"*{suffix}"):
            shutil.copy(path, work / (path.name[: -len(suffix)] + ".tf"))
        if (Path(module_dir) / "lambda").is_dir():
            shutil.copytree(Path(module_dir) / "lambda", work / "lambda")
        (work / "terraform.rc").write_text(
            "provider_installation {\n"
            "  dev_overrides {\n"
            f'    "hashicorp/aws"     = "{BIN}"\n'
            f'    "hashicorp/archive" = "{BIN}"\n'
            "  }\n"
            "}\n",
            encoding="utf-8",
        )
        yield work


def terraform(work, *args):
    """Run one Terraform command in a workspace; returns the CompletedProcess."""
    binary = shutil.which("terraform")
    if binary is None:
        raise RuntimeError("terraform binary not installed")
    env = dict(
        os.environ,
        TF_CLI_CONFIG_FILE=str(Path(work) / "terraform.rc"),
        FAKE_PROVIDER_PYTHON=sys.executable,
        CHECKPOINT_DISABLE="1",
        TF_IN_AUTOMATION="1",
    )
    return subprocess.run(
        [binary, f"-chdir={work}", *args, "-no-color"],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )


def validate(module_dir=MODULE_DIR, suffix=".tf"):
    """Terraform's `validate -json` report for a module."""
    with workspace(module_dir, suffix) as work:
        result = terraform(work, "validate", "-json")
    try:
        return json.loads(result.stdout)
    except json.JSONDecodeError as error:
        raise RuntimeError(f"terraform validate gave no JSON: {result.stdout}{result.stderr}") from error


def plan(variables, module_dir=MODULE_DIR):
    """(exit code, output text, `show -json` plan or None) for one set of variables."""
    with workspace(module_dir) as work:
        (work / "case.tfvars.json").write_text(json.dumps(variables), encoding="utf-8")
        result = terraform(work, "plan", "-input=false", "-refresh=false",
                           "-var-file=case.tfvars.json", "-out=case.plan")
        output = " ".join((result.stdout + result.stderr).split())
        if result.returncode != 0:
            return result.returncode, output, None
        shown = terraform(work, "show", "-json", "case.plan")
        assert shown.returncode == 0, shown.stdout + shown.stderr
        return 0, output, json.loads(shown.stdout)


def errors(report):
    """(summary, detail, file, line) of every error diagnostic of a validate report."""
    found = []
    for diagnostic in report.get("diagnostics", []):
        if diagnostic.get("severity") != "error":
            continue
        rng = diagnostic.get("range") or {}
        found.append((diagnostic.get("summary"), diagnostic.get("detail"),
                      rng.get("filename"), (rng.get("start") or {}).get("line")))
    return found


def main(argv):
    module_dir = Path(argv[1]) if len(argv) > 1 else MODULE_DIR
    report = validate(module_dir)
    for summary, detail, filename, line in errors(report):
        print(f"{filename}:{line}: {summary}: {detail}")
    if report.get("valid"):
        print(f"terraform validate: {module_dir} is valid")
        return 0
    print(f"terraform validate: {report.get('error_count')} error(s)")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
