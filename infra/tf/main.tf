# ---------------------------------------------------------------------------
# Cognito user pool
# ---------------------------------------------------------------------------
resource "aws_cognito_user_pool" "this" {
  name = "${var.project_name}-user-pool"

  deletion_protection = var.deletion_protection ? "ACTIVE" : "INACTIVE"
  user_pool_tier      = var.user_pool_tier

  # tenant-api's login answers only the NEW_PASSWORD_REQUIRED challenge, so
  # MFA stays off (as in the design); threat protection below is the lever.
  mfa_configuration = "OFF"

  # Email is the sign-in name; Cognito verifies it by code.
  username_attributes      = ["email"]
  auto_verified_attributes = ["email"]

  username_configuration {
    case_sensitive = var.username_case_sensitive
  }

  verification_message_template {
    default_email_option = "CONFIRM_WITH_CODE"
  }

  # Users are created by tenant-api (AdminCreateUser), never by self sign-up,
  # so nobody can choose their own tenant at registration.
  admin_create_user_config {
    allow_admin_create_user_only = true
  }

  account_recovery_setting {
    dynamic "recovery_mechanism" {
      for_each = var.account_recovery_mechanisms
      content {
        name     = recovery_mechanism.value
        priority = recovery_mechanism.key + 1
      }
    }
  }

  password_policy {
    minimum_length                   = var.password_minimum_length
    require_lowercase                = true
    require_numbers                  = true
    require_symbols                  = true
    require_uppercase                = true
    temporary_password_validity_days = 7
  }

  # Without this, a changed email address applies (and signs in) before the
  # user proves they own it.
  dynamic "user_attribute_update_settings" {
    for_each = var.require_email_verification_before_update ? [1] : []
    content {
      attributes_require_verification_before_update = ["email"]
    }
  }

  user_pool_add_ons {
    advanced_security_mode = var.threat_protection_mode
  }

  # Cognito's own sender is capped at a few dozen emails a day: temporary
  # passwords and verification codes stop in production. With an SES identity
  # the pool sends through SES (DEVELOPER); without one, the default stays.
  dynamic "email_configuration" {
    for_each = var.ses_source_arn == null ? [] : [1]
    content {
      email_sending_account  = "DEVELOPER"
      source_arn             = var.ses_source_arn
      from_email_address     = var.ses_from_email_address
      reply_to_email_address = var.ses_reply_to_email_address
      configuration_set      = var.ses_configuration_set
    }
  }

  # custom:tenant_id: mutable so tenant-api can move a user
  # (AdminUpdateUserAttributes); no app client may write it (see the clients'
  # write_attributes).
  schema {
    name                     = "tenant_id"
    attribute_data_type      = "String"
    developer_only_attribute = false
    mutable                  = true
    required                 = false

    string_attribute_constraints {
      min_length = "1"
      max_length = "64"
    }
  }

  dynamic "lambda_config" {
    for_each = var.enable_pre_token_generation ? [1] : []
    content {
      # Both names carry the same ARN: the API reports the legacy field too,
      # and setting it avoids a perpetual diff.
      pre_token_generation = aws_lambda_function.pre_token_generation[0].arn

      pre_token_generation_config {
        lambda_arn     = aws_lambda_function.pre_token_generation[0].arn
        lambda_version = "V2_0"
      }
    }
  }

  tags = local.tags

  lifecycle {
    precondition {
      condition     = var.threat_protection_mode == "OFF" || var.user_pool_tier == "PLUS"
      error_message = "threat_protection_mode AUDIT or ENFORCED needs user_pool_tier = \"PLUS\"."
    }

    precondition {
      condition     = !var.enable_pre_token_generation || var.user_pool_tier != "LITE"
      error_message = "enable_pre_token_generation customises access tokens, which needs user_pool_tier ESSENTIALS or PLUS."
    }
  }
}

# ---------------------------------------------------------------------------
# Hosted UI domain
# ---------------------------------------------------------------------------
resource "aws_cognito_user_pool_domain" "this" {
  domain       = var.domain_prefix
  user_pool_id = aws_cognito_user_pool.this.id
}

# ---------------------------------------------------------------------------
# Server app client: tenant-api's email/password sign-in via the Admin API
# ---------------------------------------------------------------------------
resource "aws_cognito_user_pool_client" "server" {
  name         = "${var.project_name}-server"
  user_pool_id = aws_cognito_user_pool.this.id

  generate_secret               = var.generate_server_client_secret
  enable_token_revocation       = true
  prevent_user_existence_errors = "ENABLED"

  explicit_auth_flows = local.server_explicit_auth_flows

  # No OAuth: this client never sees a browser redirect.
  allowed_oauth_flows_user_pool_client = false

  access_token_validity  = var.access_token_validity_minutes
  id_token_validity      = var.id_token_validity_minutes
  refresh_token_validity = var.refresh_token_validity_days

  token_validity_units {
    access_token  = "minutes"
    id_token      = "minutes"
    refresh_token = "days"
  }

  read_attributes  = local.client_read_attributes
  write_attributes = local.client_write_attributes
}

# ---------------------------------------------------------------------------
# Web app client: Hosted UI, authorization code + PKCE, no secret
# ---------------------------------------------------------------------------
resource "aws_cognito_user_pool_client" "web" {
  name         = "${var.project_name}-web"
  user_pool_id = aws_cognito_user_pool.this.id

  generate_secret               = false
  enable_token_revocation       = true
  prevent_user_existence_errors = "ENABLED"

  allowed_oauth_flows_user_pool_client = true
  allowed_oauth_flows                  = ["code"]
  allowed_oauth_scopes                 = var.web_oauth_scopes
  supported_identity_providers         = ["COGNITO"]

  callback_urls = var.callback_urls
  logout_urls   = var.logout_urls

  explicit_auth_flows = local.web_explicit_auth_flows

  access_token_validity  = var.access_token_validity_minutes
  id_token_validity      = var.id_token_validity_minutes
  refresh_token_validity = var.refresh_token_validity_days

  token_validity_units {
    access_token  = "minutes"
    id_token      = "minutes"
    refresh_token = "days"
  }

  # Always present, DISABLED when off: omitting the block after it was
  # enabled, or leaving the grace period unset, makes the provider report an
  # inconsistent result after apply.
  refresh_token_rotation {
    feature                    = var.web_refresh_token_rotation ? "ENABLED" : "DISABLED"
    retry_grace_period_seconds = var.web_refresh_token_rotation ? var.web_refresh_token_retry_grace_seconds : 0
  }

  read_attributes  = local.client_read_attributes
  write_attributes = local.client_write_attributes

  # The domain must exist before the Hosted UI can serve this client.
  depends_on = [aws_cognito_user_pool_domain.this]
}

# tenant-api's Backend-for-Frontend: a confidential client (with a secret) for
# the authorization-code flow the server completes itself (/auth/callback).
# Only when bff_callback_urls names where tenant-api is served.
resource "aws_cognito_user_pool_client" "bff" {
  count = length(var.bff_callback_urls) > 0 ? 1 : 0

  name         = "${var.project_name}-bff"
  user_pool_id = aws_cognito_user_pool.this.id

  generate_secret               = true
  enable_token_revocation       = true
  prevent_user_existence_errors = "ENABLED"

  allowed_oauth_flows_user_pool_client = true
  allowed_oauth_flows                  = ["code"]
  allowed_oauth_scopes                 = ["openid", "email", "profile"]
  supported_identity_providers         = ["COGNITO"]

  callback_urls = var.bff_callback_urls
  logout_urls   = [for u in var.bff_callback_urls : trimsuffix(u, "auth/callback")]

  # Rotation on, so Cognito refuses REFRESH_TOKEN_AUTH: only the OAuth token
  # endpoint refreshes, as tenant-api does.
  explicit_auth_flows = ["ALLOW_USER_SRP_AUTH"]

  access_token_validity  = var.access_token_validity_minutes
  id_token_validity      = var.id_token_validity_minutes
  refresh_token_validity = var.refresh_token_validity_days

  token_validity_units {
    access_token  = "minutes"
    id_token      = "minutes"
    refresh_token = "days"
  }

  refresh_token_rotation {
    feature                    = "ENABLED"
    retry_grace_period_seconds = var.web_refresh_token_retry_grace_seconds
  }

  read_attributes  = local.client_read_attributes
  write_attributes = local.client_write_attributes

  depends_on = [aws_cognito_user_pool_domain.this]
}
