"""Parse the module's .tf files with python-hcl2 into plain Python values.

Strings come back without their HCL quotes and heredocs as plain strings;
blocks carry ``__is_block__`` so a block and a map-valued argument (``tags =
{...}``) stay distinguishable.
"""

from pathlib import Path

import hcl2

MODULE_DIR = Path(__file__).resolve().parent.parent
REPO_ROOT = MODULE_DIR.parent.parent

_OPTIONS = hcl2.SerializationOptions(
    strip_string_quotes=True,
    preserve_heredocs=False,
    with_comments=False,
)


def parse_text(text):
    """Parse HCL source text."""
    return hcl2.loads(text, serialization_options=_OPTIONS)


def parse_file(path):
    """Parse one .tf file."""
    return parse_text(Path(path).read_text(encoding="utf-8"))


def tf_files(directory=MODULE_DIR):
    """The module's .tf files (not recursive: checks/ and lambda/ hold none)."""
    return sorted(Path(directory).glob("*.tf"))


def parse_module(directory=MODULE_DIR):
    """Map each .tf file name to its parsed body."""
    return {path.name: parse_file(path) for path in tf_files(directory)}


def is_block(value):
    """True for a parsed block list (``[{..., "__is_block__": True}, ...]``)."""
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(item, dict) and item.get("__is_block__") for item in value)
    )


def entries(parsed, kind):
    """Yield (type, name, body) for every ``resource``/``data`` block."""
    for group in parsed.get(kind, []):
        for type_name, named in group.items():
            if type_name.startswith("__"):
                continue
            for name, body in named.items():
                if not name.startswith("__"):
                    yield type_name, name, body


def named_blocks(parsed, kind):
    """Yield (name, body) for ``variable``/``output``/``locals``-style blocks."""
    for group in parsed.get(kind, []):
        for name, body in group.items():
            if not name.startswith("__"):
                yield name, body


def module_resources(kind, directory=MODULE_DIR):
    """All (type, name, body) of one kind across the module."""
    found = []
    for parsed in parse_module(directory).values():
        found.extend(entries(parsed, kind))
    return found


def module_blocks(kind, directory=MODULE_DIR):
    """All (name, body) of ``variable`` or ``output`` across the module."""
    found = {}
    for parsed in parse_module(directory).values():
        for name, body in named_blocks(parsed, kind):
            found[name] = body
    return found


def module_locals(directory=MODULE_DIR):
    """All locals across the module, merged."""
    merged = {}
    for parsed in parse_module(directory).values():
        for block in parsed.get("locals", []):
            merged.update({k: v for k, v in block.items() if not k.startswith("__")})
    return merged
