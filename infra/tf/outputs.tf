output "user_pool_id" {
  description = "Cognito user pool ID."
  value       = aws_cognito_user_pool.this.id
}

output "user_pool_arn" {
  description = "Cognito user pool ARN."
  value       = aws_cognito_user_pool.this.arn
}

output "server_app_client_id" {
  description = "Server app client ID: tenant-api's COGNITO_APP_CLIENT_ID."
  value       = aws_cognito_user_pool_client.server.id
}

output "server_app_client_secret" {
  description = "Server app client secret (null unless generate_server_client_secret)."
  value       = aws_cognito_user_pool_client.server.client_secret
  sensitive   = true
}

output "web_app_client_id" {
  description = "Web (Hosted UI, code + PKCE) app client ID, for the frontend."
  value       = aws_cognito_user_pool_client.web.id
}

output "bff_client_id" {
  description = "Backend-for-Frontend (confidential) client ID: tenant-api's BFF_CLIENT_ID; null without bff_callback_urls."
  value       = one(aws_cognito_user_pool_client.bff[*].id)
}

output "bff_client_secret" {
  description = "Backend-for-Frontend client secret: tenant-api's BFF_CLIENT_SECRET; null without bff_callback_urls."
  value       = one(aws_cognito_user_pool_client.bff[*].client_secret)
  sensitive   = true
}

output "issuer" {
  description = "Token issuer (iss): tenant-api's COGNITO_ISSUER."
  value       = local.issuer
}

output "jwks_uri" {
  description = "JSON Web Key Set URL: tenant-api's COGNITO_JWKS_URL."
  value       = local.jwks_uri
}

output "hosted_ui_base_url" {
  description = "Hosted UI base URL."
  value       = local.hosted_ui_base_url
}

output "authorization_endpoint" {
  description = "OAuth2 authorize endpoint."
  value       = "${local.hosted_ui_base_url}/oauth2/authorize"
}

output "token_endpoint" {
  description = "OAuth2 token endpoint."
  value       = "${local.hosted_ui_base_url}/oauth2/token"
}

output "logout_endpoint" {
  description = "Hosted UI logout endpoint."
  value       = "${local.hosted_ui_base_url}/logout"
}

output "tenant_api_iam_policy_json" {
  description = "IAM policy for tenant-api's role: its Admin* calls on this pool only."
  value       = data.aws_iam_policy_document.tenant_api.json
}

output "pre_token_generation_lambda_arn" {
  description = "ARN of the pre-token-generation Lambda (null when disabled)."
  value       = one(aws_lambda_function.pre_token_generation[*].arn)
}

output "tenant_api_env" {
  description = "Ready .env block for tenant-api: terraform output -raw tenant_api_env > .env"
  value       = "${join("\n", local.tenant_api_env_lines)}\n"
  # Sensitive because it carries the client secret when one is generated.
  sensitive = true
}
