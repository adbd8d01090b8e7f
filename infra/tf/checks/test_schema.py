"""The provider-schema check: the module passes it, and it catches real mistakes."""

from pathlib import Path

from hcl_load import module_resources
from schema_check import check_module, check_text, load_schema

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_every_tf_file_of_the_module_matches_the_provider_schema():
    assert check_module() == []


def test_every_resource_and_data_type_the_module_uses_is_in_the_schema():
    schema = load_schema()
    used = {t for t, _, _ in module_resources("resource")}
    data = {t for t, _, _ in module_resources("data")}
    assert used <= set(schema["resource"]), used - set(schema["resource"])
    assert data <= set(schema["data"]), data - set(schema["data"])
    # The Cognito resources the issue names are all really used.
    assert {
        "aws_cognito_user_pool",
        "aws_cognito_user_pool_client",
        "aws_cognito_user_pool_domain",
        "aws_lambda_function",
        "aws_lambda_permission",
        "aws_iam_role",
        "aws_iam_role_policy_attachment",
    } <= used
    assert {"aws_iam_policy_document", "archive_file"} <= data


def test_schema_names_the_provider_version_and_where_it_came_from():
    schema = load_schema()
    assert schema["provider_versions"] == {"hashicorp/aws": "5.100.0", "hashicorp/archive": "2.7.1"}
    assert "@cdktf/provider-aws@20.1.0" in schema["source"]
    assert "derive_schema_from_cdktf.py" in schema["source"]


def test_original_design_token_settings_on_the_user_pool_are_rejected():
    text = (FIXTURES / "original_design" / "main.tf.txt").read_text(encoding="utf-8")
    errors = check_text(text, source="original main.tf")
    pool = [e for e in errors if "aws_cognito_user_pool.this:" in e]
    for name in (
        "unknown argument `access_token_validity`",
        "unknown argument `id_token_validity`",
        "unknown argument `refresh_token_validity`",
        "unknown argument `prevent_user_existence_errors`",
        "unknown block `token_validity_units`",
    ):
        assert any(name in e for e in pool), (name, errors)
    # The same names are fine where they belong: on the clients.
    assert not [e for e in errors if "aws_cognito_user_pool_client" in e], errors


def test_unknown_argument_inside_a_dynamic_block_is_rejected():
    errors = check_text(
        """
        resource "aws_cognito_user_pool" "p" {
          name = "x"
          dynamic "lambda_config" {
            for_each = [1]
            content {
              pre_token_generation_config {
                lambda_arn     = "arn"
                lambda_version = "V2_0"
                version        = "2"
              }
            }
          }
        }
        """
    )
    assert len(errors) == 1
    assert "dynamic.lambda_config.content.pre_token_generation_config[0]" in errors[0]
    assert "unknown argument `version`" in errors[0]


def test_dynamic_block_for_a_block_the_resource_lacks_is_rejected():
    errors = check_text(
        """
        resource "aws_cognito_user_pool_client" "c" {
          name         = "x"
          user_pool_id = "y"
          dynamic "refresh_token_rotations" {
            for_each = [1]
            content { feature = "ENABLED" }
          }
        }
        """
    )
    assert errors == [
        "<text>: resource aws_cognito_user_pool_client.c.dynamic.refresh_token_rotations: "
        "unknown block `refresh_token_rotations`"
    ]


def test_a_block_written_as_an_argument_is_rejected():
    errors = check_text(
        """
        resource "aws_cognito_user_pool_client" "c" {
          name                 = "x"
          user_pool_id         = "y"
          token_validity_units = { access_token = "minutes" }
        }
        """
    )
    assert errors == [
        "<text>: resource aws_cognito_user_pool_client.c: "
        "`token_validity_units` is a block, written as an argument"
    ]


def test_a_type_missing_from_the_schema_is_rejected():
    errors = check_text('resource "aws_cognito_user_group" "g" {\n  name = "x"\n}\n')
    assert errors == [
        "<text>: resource aws_cognito_user_group.g: "
        "type `aws_cognito_user_group` is not in provider_schema.json"
    ]


def test_a_missing_required_argument_is_reported():
    errors = check_text(
        """
        resource "aws_lambda_permission" "p" {
          action    = "lambda:InvokeFunction"
          principal = "cognito-idp.amazonaws.com"
        }
        """
    )
    assert errors == [
        "<text>: resource aws_lambda_permission.p: missing required argument `function_name`"
    ]


def test_meta_arguments_and_lifecycle_conditions_are_accepted():
    errors = check_text(
        """
        data "aws_partition" "current" {
          count = 1
          lifecycle {
            postcondition {
              condition     = true
              error_message = "x"
            }
          }
        }
        """
    )
    assert errors == []
