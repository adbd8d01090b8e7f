"""The README documents what the code has, and the .env block names what tenant-api reads."""

import re

from hcl_load import MODULE_DIR, REPO_ROOT, module_blocks, module_locals

README = MODULE_DIR / "README.md"

# The names tenant-api reads, used when the repository has no .env.example yet.
TENANT_API_NAMES = {
    "AWS_REGION", "COGNITO_USER_POOL_ID", "COGNITO_APP_CLIENT_ID", "COGNITO_APP_CLIENT_SECRET",
    "COGNITO_PREFERRED_TOKEN_USE", "COGNITO_ISSUER", "COGNITO_JWKS_URL", "COGNITO_ENDPOINT",
    "COGNITO_TENANT_CLAIM", "MULTI_TENANT_ENABLED", "TENANT_MODE", "TENANT_HEADER",
    "TENANT_STRICT", "TENANT_MAIN_DOMAIN", "DATABASE_URL", "BIND_ADDR", "PORT", "DATA_DIR",
    "DEBUG", "ALLOWED_HOSTS", "CORS_ALLOWED_ORIGINS",
}
ENV_NAME = re.compile(r"^\s*#?\s*([A-Z][A-Z0-9_]*)\s*=", re.M)


def readme_section(title):
    """The text of one `## title` section of the README."""
    text = README.read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert match, f"README has no '## {title}' section"
    return match.group(1)


def table_names(section):
    """First-column backticked names of a markdown table."""
    return set(re.findall(r"^\|\s*`([a-z0-9_]+)`\s*\|", section, re.M))


def readme_env_names():
    section = readme_section("tenant-api `.env`")
    match = re.search(r"```dotenv\n(.*?)```", section, re.S)
    assert match, "no ```dotenv block in the .env section"
    return ENV_NAME.findall(match.group(1))


def code_env_names():
    return ENV_NAME.findall("\n".join(
        re.findall(r'"([A-Z][A-Z0-9_]*=)', module_locals()["tenant_api_env_lines"])))


def tenant_api_names():
    """Names from the repository's .env.example when it exists, else the list above."""
    example = REPO_ROOT / ".env.example"
    if example.is_file():
        return set(ENV_NAME.findall(example.read_text(encoding="utf-8")))
    return TENANT_API_NAMES


def test_every_variable_is_documented_and_every_documented_variable_exists():
    assert table_names(readme_section("Variables")) == set(module_blocks("variable"))


def test_every_output_is_documented_and_every_documented_output_exists():
    assert table_names(readme_section("Outputs")) == set(module_blocks("output"))


def test_documented_defaults_match_the_code():
    rows = re.findall(r"^\|\s*`([a-z0-9_]+)`\s*\|\s*([^|]+?)\s*\|", readme_section("Variables"),
                      re.M)
    variables = module_blocks("variable")
    for name, documented in rows:
        body = variables[name]
        if "default" not in body:
            assert documented == "(required)", name
            continue
        default = body["default"]
        if isinstance(default, bool):
            expected = "`true`" if default else "`false`"
        elif default is None:
            expected = "`null`"
        elif isinstance(default, list):
            expected = "`[" + ", ".join(f'"{v}"' for v in default) + "]`"
        elif isinstance(default, dict):
            expected = "`{}`" if not default else None
        else:
            expected = f"`{default}`"
        assert documented == expected, (name, documented, expected)


def test_the_env_block_in_the_readme_is_the_one_the_module_outputs():
    documented = readme_env_names()
    produced = code_env_names()
    assert len(documented) == len(set(documented))
    assert set(documented) == set(produced)
    assert "COGNITO_APP_CLIENT_SECRET" in produced


def test_the_env_block_names_are_ones_tenant_api_reads():
    names = set(code_env_names())
    unknown = names - tenant_api_names()
    assert not unknown, unknown
    # The settings tenant-api needs to talk to a real pool are all there.
    assert {"AWS_REGION", "COGNITO_USER_POOL_ID", "COGNITO_APP_CLIENT_ID", "COGNITO_ISSUER",
            "COGNITO_JWKS_URL", "COGNITO_TENANT_CLAIM"} <= names
    # COGNITO_ENDPOINT overrides the AWS endpoint (emulators only): never for a real pool.
    assert "COGNITO_ENDPOINT" not in names


def test_tfvars_example_sets_every_required_variable_and_names_only_real_ones():
    text = (MODULE_DIR / "terraform.tfvars.example").read_text(encoding="utf-8")
    variables = module_blocks("variable")
    mentioned = set(re.findall(r"^\s*#?\s*([a-z][a-z0-9_]*)\s*=", text, re.M))
    set_names = set(re.findall(r"^([a-z][a-z0-9_]*)\s*=", text, re.M))
    assert mentioned <= set(variables), mentioned - set(variables)
    required = {n for n, body in variables.items() if "default" not in body}
    assert required <= set_names, required - set_names
    assert mentioned == set(variables), set(variables) - mentioned
