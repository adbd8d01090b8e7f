"""Run the module's variable validations with the real Terraform CLI.

A configuration holding only variables.tf needs no provider, so `terraform
init` and `terraform plan` work offline. Skipped where no terraform binary
is installed (CI's machine has one; providers are what cannot be fetched).
"""

import json
import os
import shutil
import subprocess

import pytest

from hcl_load import MODULE_DIR

TERRAFORM = shutil.which("terraform")
pytestmark = pytest.mark.skipif(TERRAFORM is None, reason="terraform binary not installed")

BASE = {
    "project_name": "tenant-api",
    "domain_prefix": "tenant-api-example",
    "callback_urls": ["https://app.example.com/api/auth/callback/cognito"],
    "logout_urls": ["https://app.example.com/"],
}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("variables")
    shutil.copy(MODULE_DIR / "variables.tf", directory / "variables.tf")
    run(directory, "init", "-input=false", "-backend=false", check=True)
    return directory


def run(directory, *args, check=False):
    env = dict(os.environ, TF_IN_AUTOMATION="1", CHECKPOINT_DISABLE="1")
    result = subprocess.run(
        [TERRAFORM, f"-chdir={directory}", *args],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def plan(directory, **overrides):
    values = {**BASE, **overrides}
    (directory / "case.tfvars.json").write_text(json.dumps(values), encoding="utf-8")
    result = run(directory, "plan", "-input=false", "-no-color", "-var-file=case.tfvars.json")
    return result.returncode, " ".join((result.stdout + result.stderr).split())


def test_the_documented_example_values_are_accepted(workdir):
    code, output = plan(workdir, callback_urls=[
        "https://app.example.com/api/auth/callback/cognito",
        "http://localhost:3000/api/auth/callback/cognito",
        "http://127.0.0.1:8080/callback",
    ], logout_urls=["http://localhost:3000/"])
    assert code == 0, output


@pytest.mark.parametrize("write", [["email", "custom:tenant_id"], ["Custom:Tenant_Id"]])
def test_a_client_writable_tenant_is_refused(workdir, write):
    code, output = plan(workdir, client_write_attributes=write)
    assert code != 0
    assert "client_write_attributes must not contain custom:tenant_id" in output


@pytest.mark.parametrize("url", [
    "https://*.example.com/callback",
    "http://app.example.com/callback",
    "https://app.example.com/callback#x",
    "ftp://app.example.com/",
    "http://localhost.evil.com/callback",
])
def test_callback_urls_must_be_exact_https_or_localhost(workdir, url):
    code, output = plan(workdir, callback_urls=[url])
    assert code != 0
    assert "callback_urls: each URL must be https://" in output


def test_logout_urls_follow_the_same_rules(workdir):
    code, output = plan(workdir, logout_urls=["http://app.example.com/"])
    assert code != 0
    assert "logout_urls: each URL must be https://" in output


def test_an_empty_callback_list_is_refused(workdir):
    code, output = plan(workdir, callback_urls=[])
    assert code != 0
    assert "at least one URL" in output


@pytest.mark.parametrize("override, message", [
    ({"domain_prefix": "my-cognito-app"}, "domain_prefix:"),
    ({"domain_prefix": "MyApp"}, "domain_prefix:"),
    ({"password_minimum_length": 6}, "password_minimum_length:"),
    ({"account_recovery_mechanisms": ["admin_only", "verified_email"]}, "account_recovery_mechanisms:"),
    ({"threat_protection_mode": "ON"}, "threat_protection_mode:"),
    ({"user_pool_tier": "FREE"}, "user_pool_tier:"),
    ({"web_refresh_token_retry_grace_seconds": 61}, "web_refresh_token_retry_grace_seconds:"),
    ({"access_token_validity_minutes": 2}, "access_token_validity_minutes:"),
    ({"refresh_token_validity_days": 0}, "refresh_token_validity_days:"),
    ({"web_oauth_scopes": ["email"]}, "web_oauth_scopes:"),
    ({"client_write_attributes": ["email_verified"]}, "must not contain email_verified"),
    ({"pre_token_generation_log_retention_days": 10}, "pre_token_generation_log_retention_days:"),
    ({"ses_source_arn": "no-reply@acme.example"}, "ses_source_arn:"),
])
def test_out_of_range_settings_are_refused_with_a_message_naming_them(workdir, override, message):
    code, output = plan(workdir, **override)
    assert code != 0
    assert message in output


def test_the_all_features_file_checkov_scans_with_is_a_valid_set_of_variables(workdir):
    shutil.copy(MODULE_DIR / "checks" / "all_features.tfvars", workdir / "all.tfvars")
    result = run(workdir, "plan", "-input=false", "-no-color", "-var-file=all.tfvars")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_tfvars_example_is_a_valid_set_of_variables(workdir):
    shutil.copy(MODULE_DIR / "terraform.tfvars.example", workdir / "example.tfvars")
    result = run(workdir, "plan", "-input=false", "-no-color", "-var-file=example.tfvars")
    assert result.returncode == 0, result.stdout + result.stderr
