"""Security and design properties of the module, read from its parsed HCL."""

import re
from pathlib import Path

from hcl_load import MODULE_DIR, module_blocks, module_locals, module_resources, parse_file

TENANT = "custom:tenant_id"


def resource(type_name, name, kind="resource"):
    """The parsed body of one resource or data block."""
    for t, n, body in module_resources(kind):
        if (t, n) == (type_name, name):
            return body
    raise AssertionError(f"{kind} {type_name}.{name} not found")


def one(body, block):
    """The single instance of a nested block."""
    (item,) = body[block]
    return item


def dynamic(body, label):
    """The spec of ``dynamic "label"`` in a body."""
    for entry in body.get("dynamic", []):
        if label in entry:
            return entry[label]
    raise AssertionError(f"dynamic {label} not found")


def variable_default(name):
    return module_blocks("variable")[name]["default"]


def test_token_lifetimes_are_set_on_both_clients_and_not_on_the_pool():
    pool = resource("aws_cognito_user_pool", "this")
    for name in ("access_token_validity", "id_token_validity", "refresh_token_validity",
                 "token_validity_units", "prevent_user_existence_errors"):
        assert name not in pool
    for client in ("server", "web"):
        body = resource("aws_cognito_user_pool_client", client)
        assert body["access_token_validity"] == "${var.access_token_validity_minutes}"
        assert body["id_token_validity"] == "${var.id_token_validity_minutes}"
        assert body["refresh_token_validity"] == "${var.refresh_token_validity_days}"
        units = one(body, "token_validity_units")
        assert (units["access_token"], units["id_token"], units["refresh_token"]) == (
            "minutes", "minutes", "days")


def test_both_clients_read_the_tenant_and_never_write_it():
    local = module_locals()
    assert local["tenant_attribute"] == TENANT
    assert local["client_read_attributes"] == (
        "${distinct(concat(var.client_read_attributes, [local.tenant_attribute]))}")
    assert local["client_write_attributes"] == "${var.client_write_attributes}"
    assert TENANT not in variable_default("client_write_attributes")
    conditions = [v["condition"] for v in
                  module_blocks("variable")["client_write_attributes"]["validation"]]
    assert any("!contains(" in c and TENANT in c for c in conditions), conditions
    for client in ("server", "web"):
        body = resource("aws_cognito_user_pool_client", client)
        assert body["read_attributes"] == "${local.client_read_attributes}"
        assert body["write_attributes"] == "${local.client_write_attributes}"


def test_tenant_attribute_is_a_bounded_string_tenant_api_can_still_change():
    schema = one(resource("aws_cognito_user_pool", "this"), "schema")
    assert schema["name"] == "tenant_id"
    assert schema["attribute_data_type"] == "String"
    # Mutable so AdminUpdateUserAttributes (IAM) can move a user.
    assert schema["mutable"] is True
    constraints = one(schema, "string_attribute_constraints")
    assert (constraints["min_length"], constraints["max_length"]) == ("1", "64")


def test_pool_defaults_are_secure_and_each_has_a_variable():
    pool = resource("aws_cognito_user_pool", "this")
    assert pool["deletion_protection"] == '${var.deletion_protection ? "ACTIVE" : "INACTIVE"}'
    assert variable_default("deletion_protection") is True
    assert one(pool, "username_configuration")["case_sensitive"] == "${var.username_case_sensitive}"
    assert variable_default("username_case_sensitive") is False
    assert variable_default("account_recovery_mechanisms") == ["verified_email"]
    mechanism = dynamic(one(pool, "account_recovery_setting"), "recovery_mechanism")
    assert mechanism["for_each"] == "${var.account_recovery_mechanisms}"
    assert one(pool, "password_policy")["minimum_length"] == "${var.password_minimum_length}"
    assert variable_default("password_minimum_length") == 12
    update = dynamic(pool, "user_attribute_update_settings")
    assert update["for_each"] == "${var.require_email_verification_before_update ? [1] : []}"
    assert one(update, "content")["attributes_require_verification_before_update"] == ["email"]
    assert variable_default("require_email_verification_before_update") is True
    assert one(pool, "user_pool_add_ons")["advanced_security_mode"] == "${var.threat_protection_mode}"
    assert pool["user_pool_tier"] == "${var.user_pool_tier}"
    assert one(pool, "admin_create_user_config")["allow_admin_create_user_only"] is True


def test_threat_protection_and_the_lambda_refuse_a_tier_that_cannot_run_them():
    pool = resource("aws_cognito_user_pool", "this")
    conditions = [p["condition"] for p in one(pool, "lifecycle")["precondition"]]
    assert '${var.threat_protection_mode == "OFF" || var.user_pool_tier == "PLUS"}' in conditions
    assert '${!var.enable_pre_token_generation || var.user_pool_tier != "LITE"}' in conditions


def test_both_clients_revoke_tokens_and_hide_whether_a_user_exists():
    for client in ("server", "web"):
        body = resource("aws_cognito_user_pool_client", client)
        assert body["enable_token_revocation"] is True
        assert body["prevent_user_existence_errors"] == "ENABLED"


def test_server_client_allows_only_admin_password_sign_in_and_refresh_without_oauth():
    body = resource("aws_cognito_user_pool_client", "server")
    assert body["explicit_auth_flows"] == "${local.server_explicit_auth_flows}"
    assert module_locals()["server_explicit_auth_flows"] == [
        "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    assert body["allowed_oauth_flows_user_pool_client"] is False
    assert body["generate_secret"] == "${var.generate_server_client_secret}"


def test_web_client_uses_code_flow_without_secret_and_rotates_refresh_tokens():
    body = resource("aws_cognito_user_pool_client", "web")
    assert body["generate_secret"] is False
    assert body["allowed_oauth_flows"] == ["code"]
    assert body["allowed_oauth_flows_user_pool_client"] is True
    assert body["supported_identity_providers"] == ["COGNITO"]
    rotation = one(body, "refresh_token_rotation")
    assert rotation["feature"] == '${var.web_refresh_token_rotation ? "ENABLED" : "DISABLED"}'
    assert variable_default("web_refresh_token_rotation") is True
    # Cognito refuses REFRESH_TOKEN_AUTH on a rotating client: the flow list
    # must drop it exactly when rotation is on.
    flows = module_locals()["web_explicit_auth_flows"]
    match = re.fullmatch(r'\$\{var\.web_refresh_token_rotation \? (\[.*?\]) : (\[.*?\])\}', flows,
                         re.S)
    assert match, flows
    rotating, not_rotating = match.groups()
    assert "ALLOW_REFRESH_TOKEN_AUTH" not in rotating
    assert "ALLOW_REFRESH_TOKEN_AUTH" in not_rotating


def test_bff_client_is_confidential_code_flow_made_only_when_tenant_api_is_served():
    body = resource("aws_cognito_user_pool_client", "bff")
    assert body["count"] == "${length(var.bff_callback_urls) > 0 ? 1 : 0}"
    assert body["generate_secret"] is True
    assert body["allowed_oauth_flows"] == ["code"]
    assert body["allowed_oauth_scopes"] == ["openid", "email", "profile"]
    assert body["callback_urls"] == "${var.bff_callback_urls}"
    assert one(body, "refresh_token_rotation")["feature"] == "ENABLED"
    assert "ALLOW_REFRESH_TOKEN_AUTH" not in body["explicit_auth_flows"]
    assert variable_default("bff_callback_urls") == []
    env = module_locals()["tenant_api_env_lines"]
    for name in ("BFF_CLIENT_ID=", "BFF_CLIENT_SECRET=", "BFF_CALLBACK_URLS="):
        assert name in env, name


def cognito_calls_in_the_gateway():
    """The Cognito operations tenant-api's gateway (crates/tenant-api/src/cognito/) calls on the
    SDK client, as IAM action names: read from the code, so a new call without its permission
    fails here."""
    src = Path(__file__).resolve().parents[3] / "crates" / "tenant-api" / "src" / "cognito"
    calls = set()
    for path in src.glob("*.rs"):
        for name in re.findall(r"\bclient\s*\.\s*([a-z_]+)\(\)", path.read_text()):
            calls.add("".join(part.capitalize() for part in name.split("_")))
    return calls


# Authorised by the user's own token (no IAM permission) rather than the service's role.
TOKEN_AUTHORISED = {"GetUser", "GlobalSignOut", "GetTokensFromRefreshToken", "InitiateAuth"}


def test_service_policy_grants_exactly_the_admin_calls_tenant_api_makes_on_the_pool():
    document = resource("aws_iam_policy_document", "tenant_api", kind="data")
    (statement,) = document["statement"]
    assert statement["effect"] == "Allow"
    needed = cognito_calls_in_the_gateway() - TOKEN_AUTHORISED
    assert "AdminDeleteUser" in needed and "AdminCreateUser" in needed, needed
    assert sorted(statement["actions"]) == sorted(f"cognito-idp:{a}" for a in needed)
    assert statement["resources"] == ["${aws_cognito_user_pool.this.arn}"]
    assert not any("*" in a for a in statement["actions"])


def test_pre_token_lambda_is_off_by_default_and_wired_as_v2_0_with_a_scoped_permission():
    assert variable_default("enable_pre_token_generation") is False
    # Every resource of the trigger (and its zip) exists only when enabled;
    # the assume-role policy document is a pure data computation.
    gated = module_resources("resource") + [
        d for d in module_resources("data") if d[0] == "archive_file"]
    assert len([g for g in gated if "pre_token_generation" in g[1]]) == 6
    for t, n, body in gated:
        if "pre_token_generation" in n:
            assert body["count"] == "${var.enable_pre_token_generation ? 1 : 0}", (t, n)
    config = one(one(dynamic(resource("aws_cognito_user_pool", "this"), "lambda_config"),
                     "content"), "pre_token_generation_config")
    assert config["lambda_version"] == "V2_0"
    assert config["lambda_arn"] == "${aws_lambda_function.pre_token_generation[0].arn}"
    permission = resource("aws_lambda_permission", "pre_token_generation")
    assert permission["principal"] == "cognito-idp.amazonaws.com"
    assert permission["action"] == "lambda:InvokeFunction"
    assert permission["source_arn"] == "${aws_cognito_user_pool.this.arn}"
    function = resource("aws_lambda_function", "pre_token_generation")
    assert function["handler"] == "pre_token_generation.handler"
    archive = resource("archive_file", "pre_token_generation", kind="data")
    assert archive["source_file"] == "${path.module}/lambda/pre_token_generation.py"
    assert (MODULE_DIR / "lambda" / "pre_token_generation.py").is_file()


def test_ses_email_is_off_by_default_and_sends_as_developer_when_an_identity_is_given():
    assert variable_default("ses_source_arn") is None
    email = dynamic(resource("aws_cognito_user_pool", "this"), "email_configuration")
    assert email["for_each"] == "${var.ses_source_arn == null ? [] : [1]}"
    content = one(email, "content")
    assert content["email_sending_account"] == "DEVELOPER"
    assert content["source_arn"] == "${var.ses_source_arn}"
    assert content["from_email_address"] == "${var.ses_from_email_address}"
    assert content["reply_to_email_address"] == "${var.ses_reply_to_email_address}"


def test_outputs_carrying_the_client_secret_are_sensitive():
    outputs = module_blocks("output")
    assert outputs["server_app_client_secret"]["sensitive"] is True
    assert outputs["tenant_api_env"]["sensitive"] is True
    assert TENANT not in str(outputs["server_app_client_id"])


def test_provider_floor_covers_refresh_token_rotation():
    (terraform,) = parse_file(MODULE_DIR / "provider.tf")["terraform"]
    (providers,) = terraform["required_providers"]
    constraint = providers["aws"]["version"]
    floor = re.search(r">=\s*([0-9.]+)", constraint).group(1)
    assert tuple(int(p) for p in floor.split(".")) >= (5, 100, 0), constraint


def test_every_checkov_skip_in_the_code_carries_a_reason():
    skips = []
    for path in sorted(MODULE_DIR.glob("*.tf")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if "checkov:skip" in line:
                match = re.search(r"#checkov:skip=(CKV2?_[A-Z]+_\d+):(.*)", line)
                assert match, f"{path.name}: malformed skip: {line.strip()}"
                assert len(match.group(2).strip()) >= 30, f"{path.name}: skip without a reason: {line}"
                skips.append(match.group(1))
    assert len(skips) == len(set(skips)), skips
