"""`terraform plan` for real, offline: the module's planned values.

The stand-in providers (fake_provider/serve.py) accept Terraform's proposed
values, so the plan shows exactly what the module's expressions, variables,
dynamic blocks, preconditions and outputs evaluate to. Exported attributes
(ids, ARNs) stay unknown, as in any first plan. Skipped where no terraform
binary is installed.
"""

import shutil

import pytest

from terraform_offline import plan

pytestmark = pytest.mark.skipif(shutil.which("terraform") is None,
                                reason="terraform binary not installed")

TENANT = "custom:tenant_id"
BASE = {
    "project_name": "tenant-api",
    "domain_prefix": "tenant-api-example",
    "callback_urls": ["https://app.example.com/api/auth/callback/cognito"],
    "logout_urls": ["https://app.example.com/"],
}
ALL_OPTIONS = {
    **BASE,
    "enable_pre_token_generation": True,
    "service_role_name": "tenant-api-task-role",
    "user_pool_tier": "PLUS",
    "threat_protection_mode": "ENFORCED",
}


def planned(variables):
    code, output, shown = plan(variables)
    assert code == 0, output
    resources = {r["address"]: r["values"]
                 for r in shown["planned_values"]["root_module"]["resources"]}
    return resources, shown["planned_values"]["outputs"]


@pytest.fixture(scope="module")
def default_plan():
    return planned(BASE)


def test_defaults_plan_the_pool_its_domain_and_two_clients_only(default_plan):
    resources, _ = default_plan
    assert set(resources) == {
        "aws_cognito_user_pool.this",
        "aws_cognito_user_pool_domain.this",
        "aws_cognito_user_pool_client.server",
        "aws_cognito_user_pool_client.web",
        "data.aws_iam_policy_document.tenant_api",
    }


def test_defaults_give_a_protected_pool_with_the_secure_settings(default_plan):
    pool = default_plan[0]["aws_cognito_user_pool.this"]
    assert pool["name"] == "tenant-api-user-pool"
    assert pool["deletion_protection"] == "ACTIVE"
    assert pool["user_pool_tier"] == "ESSENTIALS"
    assert pool["mfa_configuration"] == "OFF"
    assert pool["username_attributes"] == ["email"]
    assert pool["username_configuration"] == [{"case_sensitive": False}]
    assert pool["account_recovery_setting"] == [
        {"recovery_mechanism": [{"name": "verified_email", "priority": 1}]}]
    assert pool["password_policy"][0]["minimum_length"] == 12
    assert pool["user_attribute_update_settings"] == [
        {"attributes_require_verification_before_update": ["email"]}]
    assert pool["user_pool_add_ons"][0]["advanced_security_mode"] == "OFF"
    assert pool["admin_create_user_config"][0]["allow_admin_create_user_only"] is True
    assert pool["lambda_config"] == []
    (schema,) = pool["schema"]
    assert (schema["name"], schema["attribute_data_type"], schema["mutable"]) == (
        "tenant_id", "String", True)


def test_both_clients_carry_the_token_lifetimes_and_keep_the_tenant_read_only(default_plan):
    resources, _ = default_plan
    for name in ("server", "web"):
        client = resources[f"aws_cognito_user_pool_client.{name}"]
        assert (client["access_token_validity"], client["id_token_validity"],
                client["refresh_token_validity"]) == (60, 60, 30)
        assert client["token_validity_units"] == [
            {"access_token": "minutes", "id_token": "minutes", "refresh_token": "days"}]
        assert client["enable_token_revocation"] is True
        assert client["prevent_user_existence_errors"] == "ENABLED"
        assert TENANT in client["read_attributes"]
        assert client["write_attributes"] == ["email"]


def test_server_client_is_for_admin_sign_in_and_the_web_client_for_code_with_pkce(default_plan):
    resources, _ = default_plan
    server = resources["aws_cognito_user_pool_client.server"]
    assert server["explicit_auth_flows"] == [
        "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    assert server["generate_secret"] is False
    assert server["allowed_oauth_flows_user_pool_client"] is False
    web = resources["aws_cognito_user_pool_client.web"]
    assert web["generate_secret"] is False
    assert web["allowed_oauth_flows"] == ["code"]
    assert web["allowed_oauth_scopes"] == ["openid", "email", "profile"]
    assert web["callback_urls"] == ["https://app.example.com/api/auth/callback/cognito"]
    assert web["refresh_token_rotation"] == [{"feature": "ENABLED", "retry_grace_period_seconds": 10}]
    # Cognito refuses REFRESH_TOKEN_AUTH on a rotating client.
    assert web["explicit_auth_flows"] == ["ALLOW_USER_SRP_AUTH"]


def test_outputs_give_the_hosted_ui_urls_and_hide_the_secret_and_the_env_block(default_plan):
    _, outputs = default_plan
    base = "https://tenant-api-example.auth.ap-northeast-1.amazoncognito.com"
    assert outputs["hosted_ui_base_url"]["value"] == base
    assert outputs["authorization_endpoint"]["value"] == f"{base}/oauth2/authorize"
    assert outputs["token_endpoint"]["value"] == f"{base}/oauth2/token"
    assert outputs["logout_endpoint"]["value"] == f"{base}/logout"
    assert outputs["server_app_client_secret"]["sensitive"] is True
    assert outputs["tenant_api_env"]["sensitive"] is True
    assert outputs["pre_token_generation_lambda_arn"]["value"] is None


def test_turning_rotation_off_gives_the_web_client_refresh_token_auth_back():
    resources, _ = planned({**BASE, "web_refresh_token_rotation": False})
    web = resources["aws_cognito_user_pool_client.web"]
    assert web["refresh_token_rotation"] == [{"feature": "DISABLED", "retry_grace_period_seconds": 0}]
    assert web["explicit_auth_flows"] == ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]


def test_recovery_mechanisms_keep_their_order_as_priorities():
    resources, _ = planned({**BASE, "account_recovery_mechanisms":
                            ["verified_email", "verified_phone_number"]})
    assert resources["aws_cognito_user_pool.this"]["account_recovery_setting"] == [
        {"recovery_mechanism": [{"name": "verified_email", "priority": 1},
                                {"name": "verified_phone_number", "priority": 2}]}]


def test_every_option_on_adds_the_v2_0_trigger_its_permission_and_the_service_policy():
    resources, _ = planned(ALL_OPTIONS)
    pool = resources["aws_cognito_user_pool.this"]
    (config,) = pool["lambda_config"]
    assert config["pre_token_generation_config"][0]["lambda_version"] == "V2_0"
    assert pool["user_pool_tier"] == "PLUS"
    assert pool["user_pool_add_ons"][0]["advanced_security_mode"] == "ENFORCED"
    function = resources["aws_lambda_function.pre_token_generation[0]"]
    assert function["function_name"] == "tenant-api-pre-token-generation"
    assert function["handler"] == "pre_token_generation.handler"
    assert function["runtime"] == "python3.13"
    assert function["timeout"] == 5
    permission = resources["aws_lambda_permission.pre_token_generation[0]"]
    assert permission["principal"] == "cognito-idp.amazonaws.com"
    assert permission["action"] == "lambda:InvokeFunction"
    log_group = resources["aws_cloudwatch_log_group.pre_token_generation[0]"]
    assert log_group["name"] == "/aws/lambda/tenant-api-pre-token-generation"
    assert log_group["retention_in_days"] == 365
    policy = resources["aws_iam_role_policy.tenant_api[0]"]
    assert policy["role"] == "tenant-api-task-role"
    assert "aws_iam_role_policy_attachment.pre_token_generation_logs[0]" in resources


@pytest.mark.parametrize("variables, message", [
    ({**BASE, "threat_protection_mode": "ENFORCED"},
     'threat_protection_mode AUDIT or ENFORCED needs user_pool_tier = "PLUS".'),
    ({**BASE, "threat_protection_mode": "AUDIT", "user_pool_tier": "ESSENTIALS"},
     'threat_protection_mode AUDIT or ENFORCED needs user_pool_tier = "PLUS".'),
    ({**BASE, "enable_pre_token_generation": True, "user_pool_tier": "LITE"},
     "enable_pre_token_generation customises access tokens, which needs user_pool_tier "
     "ESSENTIALS or PLUS."),
])
def test_a_feature_plan_that_cannot_run_the_settings_stops_the_plan(variables, message):
    code, output, _ = plan(variables)
    assert code != 0
    assert "Resource precondition failed" in output
    assert message in output
