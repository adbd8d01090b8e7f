"""Run `terraform validate` offline against the stand-in providers.

Copies a module's .tf files (and its lambda/ directory) to a temporary
directory, points Terraform at fake_provider/bin through a CLI configuration
with `dev_overrides` (so no `terraform init` and no download), and returns
Terraform's JSON diagnostics.

Usage: python run_validate.py [MODULE_DIR]   (exit 1 when not valid)
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from hcl_load import MODULE_DIR

BIN = Path(__file__).resolve().parent / "fake_provider" / "bin"


def validate(module_dir=MODULE_DIR, suffix=".tf"):
    """Terraform's `validate -json` result for the module's files ending in suffix."""
    terraform = shutil.which("terraform")
    if terraform is None:
        raise RuntimeError("terraform binary not installed")
    with tempfile.TemporaryDirectory(prefix="tf-validate-") as work:
        work = Path(work)
        for path in Path(module_dir).glob(f"*{suffix}"):
            shutil.copy(path, work / (path.name[: -len(suffix)] + ".tf"))
        if (Path(module_dir) / "lambda").is_dir():
            shutil.copytree(Path(module_dir) / "lambda", work / "lambda")
        config = work / "terraform.rc"
        config.write_text(
            "provider_installation {\n"
            "  dev_overrides {\n"
            f'    "hashicorp/aws"     = "{BIN}"\n'
            f'    "hashicorp/archive" = "{BIN}"\n'
            "  }\n"
            "}\n",
            encoding="utf-8",
        )
        env = dict(
            os.environ,
            TF_CLI_CONFIG_FILE=str(config),
            FAKE_PROVIDER_PYTHON=sys.executable,
            CHECKPOINT_DISABLE="1",
            TF_IN_AUTOMATION="1",
        )
        result = subprocess.run(
            [terraform, f"-chdir={work}", "validate", "-json", "-no-color"],
            capture_output=True, text=True, env=env, timeout=300, check=False,
        )
    try:
        return json.loads(result.stdout)
    except json.JSONDecodeError as error:
        raise RuntimeError(f"terraform validate gave no JSON: {result.stdout}{result.stderr}") from error


def errors(report):
    """(summary, detail, file, line) of every error diagnostic."""
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
