# Provider requirements for the tenant-api Cognito module.
#
# The AWS provider floor is 5.100.0 because the web client's
# `refresh_token_rotation` block is the newest argument this module uses
# (`user_pool_tier`, `pre_token_generation_config` and
# `user_attribute_update_settings` are older). Every argument is checked
# against infra/tf/checks/provider_schema.json in CI.
terraform {
  required_version = ">= 1.6.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100.0, < 7.0.0"
    }
    archive = {
      source  = "hashicorp/archive"
      version = ">= 2.4.0, < 3.0.0"
    }
  }
}

provider "aws" {
  region = var.aws_region
}
