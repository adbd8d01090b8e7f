locals {
  tags = merge(
    {
      Project   = var.project_name
      Stack     = "cognito"
      ManagedBy = "terraform"
    },
    var.tags,
  )

  # The tenant attribute as clients and tokens name it.
  tenant_attribute = "custom:tenant_id"

  # Both clients may read the tenant; neither may write it (the variable's
  # validation refuses it in client_write_attributes). Only tenant-api,
  # through AdminUpdateUserAttributes with IAM credentials, sets it.
  client_read_attributes  = distinct(concat(var.client_read_attributes, [local.tenant_attribute]))
  client_write_attributes = var.client_write_attributes

  # Server client: tenant-api signs users in with AdminInitiateAuth
  # (ADMIN_USER_PASSWORD_AUTH) and refreshes with REFRESH_TOKEN_AUTH.
  server_explicit_auth_flows = [
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
  ]

  # Web client: Cognito refuses REFRESH_TOKEN_AUTH on a client with refresh
  # token rotation (refreshes then go through the token endpoint or
  # GetTokensFromRefreshToken), so the flow is listed only when rotation is
  # off. SRP keeps the list non-empty: a client created without a list gets
  # Cognito's defaults, which include REFRESH_TOKEN_AUTH.
  web_explicit_auth_flows = var.web_refresh_token_rotation ? [
    "ALLOW_USER_SRP_AUTH",
    ] : [
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
  ]

  hosted_ui_base_url = "https://${aws_cognito_user_pool_domain.this.domain}.auth.${var.aws_region}.amazoncognito.com"

  # `endpoint` is "cognito-idp.<region>.amazonaws.com/<pool id>", which is
  # the issuer without its scheme (and right in every partition).
  issuer   = "https://${aws_cognito_user_pool.this.endpoint}"
  jwks_uri = "${local.issuer}/.well-known/jwks.json"

  pre_token_generation_function_name = "${var.project_name}-pre-token-generation"

  # The .env block for tenant-api (output `tenant_api_env`). Every name here
  # must be one tenant-api reads: infra/tf/checks/test_readme_env.py checks it.
  tenant_api_env_lines = concat(
    [
      "AWS_REGION=${var.aws_region}",
      "COGNITO_USER_POOL_ID=${aws_cognito_user_pool.this.id}",
      "COGNITO_APP_CLIENT_ID=${aws_cognito_user_pool_client.server.id}",
      "COGNITO_PREFERRED_TOKEN_USE=access",
      "COGNITO_ISSUER=${local.issuer}",
      "COGNITO_JWKS_URL=${local.jwks_uri}",
      "COGNITO_TENANT_CLAIM=${local.tenant_attribute}",
      "MULTI_TENANT_ENABLED=1",
      # The web client and its Hosted UI: tenant-api accepts the web client's
      # tokens and serves its browser console at / with them.
      "WEB_CLIENT_ID=${aws_cognito_user_pool_client.web.id}",
      "COGNITO_DOMAIN=${local.hosted_ui_base_url}",
      # Header mode works with and without the pre-token Lambda: tenant-api
      # proves the header by the token's claim when present, else by GetUser
      # (server tokens) or AdminGetUser (Hosted UI tokens).
      "TENANT_MODE=header",
      "TENANT_HEADER=X-Tenant-Id",
      "TENANT_STRICT=1",
    ],
    var.generate_server_client_secret ? [
      "COGNITO_APP_CLIENT_SECRET=${aws_cognito_user_pool_client.server.client_secret}",
    ] : [],
    # The Backend-for-Frontend; SESSION_KEY (32 random bytes, base64, the same
    # on every instance) is the operator's to add: a secret this module does
    # not keep in its state.
    length(var.bff_callback_urls) > 0 ? [
      "BFF_CLIENT_ID=${one(aws_cognito_user_pool_client.bff[*].id)}",
      "BFF_CLIENT_SECRET=${one(aws_cognito_user_pool_client.bff[*].client_secret)}",
      "BFF_CALLBACK_URLS=${join(",", var.bff_callback_urls)}",
    ] : [],
  )
}
