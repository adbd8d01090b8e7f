"""Regenerate provider_schema.json from the cdktf provider bindings.

The cdktf "prebuilt providers" on npm are generated from a provider's real
schema (`terraform providers schema -json`) for one provider version, and
ship it as TypeScript declarations: one `*Config` interface per resource
whose properties are the arguments, and one interface per nested block.
Reading them gives the accepted argument and block names without a Terraform
provider binary, which cannot be downloaded where CI runs.

Not run by CI (it needs the packages). To refresh the schema:

    cd "$(mktemp -d)"
    npm pack @cdktf/provider-aws@20.1.0 @cdktf/provider-archive@11.0.1
    mkdir aws archive
    tar xzf cdktf-provider-aws-20.1.0.tgz -C aws
    tar xzf cdktf-provider-archive-11.0.1.tgz -C archive
    python derive_schema_from_cdktf.py aws/package archive/package > provider_schema.json

@cdktf/provider-aws 20.1.0 is generated from hashicorp/aws 5.100.0 and
@cdktf/provider-archive 11.0.1 from hashicorp/archive 2.7.1 (each package's
package.json, key "cdktf.provider").
"""

import json
import re
import sys
from pathlib import Path

# Every type the module may use. Adding a resource to the module means adding
# it here and regenerating; the checker rejects types missing from the file.
AWS_RESOURCES = [
    "aws_cloudwatch_log_group",
    "aws_cognito_user_pool",
    "aws_cognito_user_pool_client",
    "aws_cognito_user_pool_domain",
    "aws_iam_role",
    "aws_iam_role_policy",
    "aws_iam_role_policy_attachment",
    "aws_lambda_function",
    "aws_lambda_permission",
]
AWS_DATA = ["aws_iam_policy_document", "aws_partition"]
ARCHIVE_DATA = ["archive_file"]

INTERFACE = re.compile(r"^export interface (\w+)(?: extends [^{]+)? \{\n(.*?)^\}", re.S | re.M)
PROPERTY = re.compile(
    r"/\*\*(?P<doc>.*?)\*/\s*readonly (?P<name>\w+)(?P<optional>\?)?: (?P<type>[^;]+);", re.S)
ANCHOR = re.compile(r"#([a-z0-9_]+) \w+#")

# The meta-arguments Terraform itself accepts on every resource / data block.
META = {
    "resource": {
        "arguments": ["count", "depends_on", "for_each", "provider"],
        "blocks": {
            "connection": {"arguments": [], "blocks": {}},
            "lifecycle": {
                "arguments": ["create_before_destroy", "ignore_changes", "prevent_destroy",
                              "replace_triggered_by"],
                "blocks": {
                    "postcondition": {"arguments": ["condition", "error_message"], "blocks": {},
                                      "required": ["condition", "error_message"]},
                    "precondition": {"arguments": ["condition", "error_message"], "blocks": {},
                                     "required": ["condition", "error_message"]},
                },
            },
            "provisioner": {"arguments": [], "blocks": {}},
        },
    },
    "data": {
        "arguments": ["count", "depends_on", "for_each", "provider"],
        "blocks": {
            "lifecycle": {
                "arguments": [],
                "blocks": {
                    "postcondition": {"arguments": ["condition", "error_message"], "blocks": {},
                                      "required": ["condition", "error_message"]},
                    "precondition": {"arguments": ["condition", "error_message"], "blocks": {},
                                     "required": ["condition", "error_message"]},
                },
            },
        },
    },
}


def interfaces(declarations):
    """Map interface name -> list of (snake name, optional, type) of its properties."""
    found = {}
    for name, body in INTERFACE.findall(declarations):
        props = []
        for match in PROPERTY.finditer(body):
            anchor = ANCHOR.search(match.group("doc"))
            if not anchor:
                continue
            props.append((anchor.group(1), bool(match.group("optional")),
                          match.group("type").strip()))
        found[name] = props
    return found


def cty_type(type_text):
    """Terraform's JSON type for a cdktf property type (argument types only)."""
    text = " ".join(type_text.replace(";", "").split()).replace(" | cdktf.IResolvable", "")
    simple = {"string": "string", "number": "number", "boolean": "bool",
              "string[]": ["list", "string"], "number[]": ["list", "number"],
              "boolean[]": ["list", "bool"],
              "{ [key: string]: string }": ["map", "string"],
              "{ [key: string]: number }": ["map", "number"],
              "{ [key: string]: boolean | cdktf.IResolvable }": ["map", "bool"]}
    mapping = re.match(r"\{ \[key: string\]: (string|number|boolean)", text)
    if mapping:
        return ["map", {"boolean": "bool"}.get(mapping.group(1), mapping.group(1))]
    return simple.get(text, "dynamic")


def block_schema(name, known, seen=()):
    """The {arguments, blocks, required, types} tree of one interface."""
    arguments, blocks, required, types = [], {}, [], {}
    for prop, optional, type_text in known[name]:
        # `id` appears on every SDKv2 resource but is not really settable.
        if prop == "id" and not seen:
            continue
        # Maps are typed "{ [key: string]: string }": never a block.
        leading = re.match(r"(\w+)", type_text)
        nested = leading.group(1) if leading else None
        if nested in known and nested not in seen:
            blocks[prop] = block_schema(nested, known, seen + (name,))
            # cdktf writes "X[] | IResolvable" for a repeatable block and a bare
            # "X" for a block of at most one (SDKv2 MaxItems 1), except the
            # timeouts block, which is Terraform's single-nested kind.
            if prop == "timeouts":
                blocks[prop]["nesting"] = "single"
            else:
                blocks[prop]["nesting"] = "list" if "[]" in type_text else "list_max_one"
        else:
            arguments.append(prop)
            types[prop] = cty_type(type_text)
        if not optional:
            required.append(prop)
    schema = {"arguments": sorted(arguments), "blocks": dict(sorted(blocks.items()))}
    if required:
        schema["required"] = sorted(required)
    schema["types"] = dict(sorted(types.items()))
    return schema


GETTER_TYPES = {
    "getStringAttribute": "string", "getNumberAttribute": "number",
    "getBooleanAttribute": "bool", "getListAttribute": ["list", "string"],
    "getNumberListAttribute": ["list", "number"], "getStringMapAttribute": ["map", "string"],
    "getNumberMapAttribute": ["map", "number"], "getBooleanMapAttribute": ["map", "bool"],
}


def computed_attributes(implementation, arguments, blocks):
    """Attributes the resource exports but does not take (arn, endpoint, ...).

    Read from the resource class in index.js, whose getters name the real
    attribute (`this.getStringAttribute('output_base64sha256')`).
    """
    match = re.search(r"^class \w+ extends cdktf\.Terraform(?:Resource|DataSource) \{\n(.*?)(?=^class |\Z)",
                      implementation, re.S | re.M)
    found = {}
    for getter, attribute in re.findall(r"this\.(get\w+Attribute)\('([a-z0-9_]+)'\)", match.group(1)):
        if attribute not in arguments and attribute not in blocks:
            found[attribute] = GETTER_TYPES.get(getter, "dynamic")
    for attribute in re.findall(r"new \w+(?:OutputReference|List|Map)\(this, \"([a-z0-9_]+)\"",
                                match.group(1)):
        if attribute not in arguments and attribute not in blocks:
            found[attribute] = "dynamic"
    return dict(sorted(found.items()))


def type_schema(package, directory, provider):
    """Schema of one resource or data source from its index.d.ts and index.js."""
    declarations = (package / "lib" / directory / "index.d.ts").read_text(encoding="utf-8")
    implementation = (package / "lib" / directory / "index.js").read_text(encoding="utf-8")
    known = interfaces(declarations)
    (config,) = [n for n in known if n.endswith("Config") and
                 re.search(rf"export interface {n} extends cdktf\.TerraformMetaArguments",
                           declarations)]
    schema = block_schema(config, known)
    schema["computed"] = computed_attributes(implementation, schema["arguments"], schema["blocks"])
    return {"provider": provider, **schema}


def provider_version(package):
    meta = json.loads((package / "package.json").read_text(encoding="utf-8"))
    return meta["cdktf"]["provider"]["version"], meta["name"], meta["version"]


def main(argv):
    aws, archive = Path(argv[1]), Path(argv[2])
    aws_version, aws_pkg, aws_pkg_version = provider_version(aws)
    archive_version, archive_pkg, archive_pkg_version = provider_version(archive)
    schema = {
        "source": (
            f"Generated by checks/derive_schema_from_cdktf.py from the npm packages "
            f"{aws_pkg}@{aws_pkg_version} and {archive_pkg}@{archive_pkg_version}, whose "
            f"TypeScript bindings are generated from the providers' own schemas "
            f"(hashicorp/aws {aws_version}, hashicorp/archive {archive_version}). Arguments "
            f"are the settable attributes of each type, blocks its nested blocks, required "
            f"those the provider marks Required; `id` is left out. `types` (argument types), "
            f"`computed` (exported attributes) and `nesting` feed the stand-in provider that "
            f"lets `terraform validate` run offline (checks/fake_provider). The argument names "
            f"of the Cognito types were also compared with the hashicorp/aws documentation."),
        "provider_versions": {"hashicorp/aws": aws_version, "hashicorp/archive": archive_version},
        "meta": META,
        "resource": {
            t: type_schema(aws, t.removeprefix("aws_").replace("_", "-"), "hashicorp/aws")
            for t in AWS_RESOURCES
        },
        "data": {
            **{t: type_schema(aws, "data-" + t.replace("_", "-"), "hashicorp/aws")
               for t in AWS_DATA},
            **{t: type_schema(archive, "data-" + t.replace("_", "-"), "hashicorp/archive")
               for t in ARCHIVE_DATA},
        },
    }
    json.dump(schema, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
