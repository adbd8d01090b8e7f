# Every optional resource switched on, so checkov also inspects what the
# defaults leave out (it drops count = 0 resources when it renders variables).
project_name                = "tenant-api"
domain_prefix               = "tenant-api-example"
callback_urls               = ["https://app.example.com/api/auth/callback/cognito"]
logout_urls                 = ["https://app.example.com/"]
bff_callback_urls           = ["https://api.example.com/auth/callback"]
enable_pre_token_generation = true
service_role_name           = "tenant-api-task-role"
user_pool_tier              = "PLUS"
threat_protection_mode      = "ENFORCED"
ses_source_arn              = "arn:aws:ses:eu-west-1:123456789012:identity/acme.example"
ses_from_email_address      = "Acme <no-reply@acme.example>"
ses_reply_to_email_address  = "support@acme.example"
