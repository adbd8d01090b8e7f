"""Check every argument and block of the module against provider_schema.json.

No Terraform provider can be downloaded where CI runs, so `terraform
validate` is impossible; this does its most useful part: an argument the
provider does not accept (like `access_token_validity` on
`aws_cognito_user_pool`, the original design's mistake) fails the build.

Usage: python schema_check.py [MODULE_DIR]
"""

import json
import sys
from pathlib import Path

from hcl_load import MODULE_DIR, entries, is_block, parse_file, parse_text, tf_files

SCHEMA_PATH = Path(__file__).resolve().parent / "provider_schema.json"
DYNAMIC_ARGUMENTS = {"for_each", "iterator", "labels", "content"}


def load_schema(path=SCHEMA_PATH):
    """Load the stored provider schema."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _merge(schema, meta):
    """A resource schema with Terraform's meta-arguments added at top level."""
    return {
        "arguments": list(schema["arguments"]) + list(meta["arguments"]),
        "blocks": {**schema["blocks"], **meta["blocks"]},
        "required": schema.get("required", []),
    }


def _check_body(body, schema, where, errors):
    """Append one message per unknown, misused or missing name in ``body``."""
    arguments = set(schema.get("arguments", []))
    blocks = schema.get("blocks", {})
    for key, value in body.items():
        if key.startswith("__"):
            continue
        if key == "dynamic" and isinstance(value, list):
            # Parsed as [{label: {for_each, content, "__is_block__"}}, ...].
            for dynamic in value:
                for label, spec in dynamic.items():
                    if label.startswith("__"):
                        continue
                    _check_dynamic(label, spec, blocks, where, errors)
            continue
        if is_block(value):
            if key in blocks:
                for index, item in enumerate(value):
                    _check_body(item, blocks[key], f"{where}.{key}[{index}]", errors)
            elif key in arguments:
                errors.append(f"{where}: `{key}` is an argument, written as a block")
            else:
                errors.append(f"{where}: unknown block `{key}`")
        elif key in arguments:
            continue
        elif key in blocks:
            errors.append(f"{where}: `{key}` is a block, written as an argument")
        else:
            errors.append(f"{where}: unknown argument `{key}`")
    present = {k for k in body if not k.startswith("__")}
    for dynamic in body.get("dynamic", []) if isinstance(body.get("dynamic"), list) else []:
        present |= {label for label in dynamic if not label.startswith("__")}
    for name in schema.get("required", []):
        if name not in present:
            errors.append(f"{where}: missing required argument `{name}`")


def _check_dynamic(label, spec, blocks, where, errors):
    """Check a ``dynamic "label" { for_each ... content { ... } }`` block."""
    place = f"{where}.dynamic.{label}"
    if not isinstance(spec, dict):
        errors.append(f"{place}: not a block")
        return
    if label not in blocks:
        errors.append(f"{place}: unknown block `{label}`")
        return
    for key in spec:
        if not key.startswith("__") and key not in DYNAMIC_ARGUMENTS:
            errors.append(f"{place}: unknown dynamic-block argument `{key}`")
    content = spec.get("content")
    if not is_block(content):
        errors.append(f"{place}: missing `content` block")
        return
    for item in content:
        _check_body(item, blocks[label], f"{place}.content", errors)


def check_parsed(parsed, schema, source="<config>"):
    """All schema violations in one parsed file."""
    errors = []
    for kind in ("resource", "data"):
        known = schema[kind]
        meta = schema["meta"][kind]
        for type_name, name, body in entries(parsed, kind):
            where = f"{source}: {kind} {type_name}.{name}"
            if type_name not in known:
                errors.append(f"{where}: type `{type_name}` is not in provider_schema.json")
                continue
            _check_body(body, _merge(known[type_name], meta), where, errors)
    return errors


def check_text(text, schema=None, source="<text>"):
    """Schema violations in HCL source text."""
    return check_parsed(parse_text(text), schema or load_schema(), source)


def check_module(directory=MODULE_DIR, schema=None):
    """Schema violations across every .tf file of a module directory."""
    schema = schema or load_schema()
    errors = []
    files = tf_files(directory)
    if not files:
        errors.append(f"{directory}: no .tf files found")
    for path in files:
        errors.extend(check_parsed(parse_file(path), schema, path.name))
    return errors


def main(argv):
    """CLI entry point: print violations, exit 1 when there are any."""
    directory = Path(argv[1]) if len(argv) > 1 else MODULE_DIR
    errors = check_module(directory)
    for error in errors:
        print(error)
    count = len(tf_files(directory))
    if errors:
        print(f"schema check: {len(errors)} problem(s) in {count} file(s)")
        return 1
    print(f"schema check: {count} .tf file(s) match provider_schema.json")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
