"""`terraform validate` for real, offline, against the stand-in providers.

fake_provider/serve.py gives Terraform the stored hashicorp/aws 5.100.0 and
hashicorp/archive 2.7.1 schemas, so Terraform itself checks argument names,
block kinds, value types, references and expressions. Skipped where no
terraform binary is installed.
"""

import shutil
from pathlib import Path

import pytest

from terraform_offline import errors, validate

pytestmark = pytest.mark.skipif(shutil.which("terraform") is None,
                                reason="terraform binary not installed")

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def validate_text(tmp_path, text):
    (tmp_path / "main.tf").write_text(text, encoding="utf-8")
    return validate(tmp_path)


def test_the_module_is_valid():
    report = validate()
    assert report["valid"] is True, errors(report)
    assert report["error_count"] == 0


def test_the_original_design_fails_on_token_settings_of_the_user_pool():
    report = validate(FIXTURES / "original_design", suffix=".tf.txt")
    assert report["valid"] is False
    found = sorted((summary, detail) for summary, detail, filename, _ in errors(report)
                   if filename == "main.tf")
    assert found == sorted([
        ("Unsupported argument", 'An argument named "access_token_validity" is not expected here.'),
        ("Unsupported argument", 'An argument named "id_token_validity" is not expected here.'),
        ("Unsupported argument", 'An argument named "refresh_token_validity" is not expected here.'),
        ("Unsupported argument",
         'An argument named "prevent_user_existence_errors" is not expected here.'),
        ("Unsupported block type", 'Blocks of type "token_validity_units" are not expected here.'),
    ])
    assert len(errors(report)) == len(found)


def test_a_reference_to_an_attribute_the_provider_does_not_export_is_an_error(tmp_path):
    report = validate_text(tmp_path, """
        resource "aws_cognito_user_pool" "p" {
          name = "x"
        }
        output "issuer" {
          value = "https://${aws_cognito_user_pool.p.issuer}"
        }
    """)
    assert [e[0] for e in errors(report)] == ["Unsupported attribute"]


def test_a_value_of_the_wrong_type_is_an_error(tmp_path):
    report = validate_text(tmp_path, """
        resource "aws_cognito_user_pool" "p" {
          name = "x"
          password_policy {
            minimum_length = "twelve"
          }
        }
    """)
    assert [e[0] for e in errors(report)] == ["Incorrect attribute value type"]


def test_a_second_instance_of_a_single_block_is_an_error(tmp_path):
    report = validate_text(tmp_path, """
        resource "aws_cognito_user_pool" "p" {
          name = "x"
          password_policy {
            minimum_length = 12
          }
          password_policy {
            minimum_length = 8
          }
        }
    """)
    assert [e[0] for e in errors(report)] == ["Too many password_policy blocks"]


def test_a_missing_required_argument_is_an_error(tmp_path):
    report = validate_text(tmp_path, """
        resource "aws_cognito_user_pool_domain" "d" {
          domain = "x"
        }
    """)
    assert [e[0] for e in errors(report)] == ["Missing required argument"]
