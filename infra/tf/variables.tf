# ---------------------------------------------------------------------------
# Naming and placement
# ---------------------------------------------------------------------------
variable "project_name" {
  type        = string
  description = "Prefix for every resource name (user pool, clients, Lambda, IAM)."

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$", var.project_name))
    error_message = "project_name: 1-40 letters, digits, '-' or '_', starting with a letter or digit."
  }
}

variable "aws_region" {
  type        = string
  description = "AWS region of the user pool."
  default     = "ap-northeast-1"
}

variable "domain_prefix" {
  type        = string
  description = "Hosted UI domain prefix, unique in the region: <prefix>.auth.<region>.amazoncognito.com."

  validation {
    # Cognito accepts lowercase letters, digits and hyphens, and refuses
    # prefixes containing "aws", "amazon" or "cognito".
    condition     = can(regex("^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$", var.domain_prefix)) && !can(regex("aws|amazon|cognito", var.domain_prefix))
    error_message = "domain_prefix: lowercase letters, digits and '-', no leading/trailing '-', and no 'aws', 'amazon' or 'cognito'."
  }
}

variable "tags" {
  type        = map(string)
  description = "Extra tags merged into every taggable resource."
  default     = {}
}

# ---------------------------------------------------------------------------
# Web (Hosted UI) client: redirect URLs
# ---------------------------------------------------------------------------
variable "callback_urls" {
  type        = list(string)
  description = "OAuth2 callback URLs of the web client. Exact match; https, or http only for localhost/127.0.0.1; no wildcards or fragments."

  validation {
    condition     = length(var.callback_urls) > 0
    error_message = "callback_urls: at least one URL is needed for the authorization-code flow."
  }

  validation {
    condition = alltrue([
      for u in var.callback_urls :
      (can(regex("^https://[^/?#*\\s]+", u)) || can(regex("^http://(localhost|127\\.0\\.0\\.1)(:[0-9]+)?(/|$)", u))) && !can(regex("[*#\\s]", u))
    ])
    error_message = "callback_urls: each URL must be https:// (http:// only for localhost or 127.0.0.1) and contain no '*', '#' or spaces."
  }
}

variable "logout_urls" {
  type        = list(string)
  description = "Sign-out URLs of the web client. Same rules as callback_urls."

  validation {
    condition = alltrue([
      for u in var.logout_urls :
      (can(regex("^https://[^/?#*\\s]+", u)) || can(regex("^http://(localhost|127\\.0\\.0\\.1)(:[0-9]+)?(/|$)", u))) && !can(regex("[*#\\s]", u))
    ])
    error_message = "logout_urls: each URL must be https:// (http:// only for localhost or 127.0.0.1) and contain no '*', '#' or spaces."
  }
}

variable "bff_callback_urls" {
  type        = list(string)
  description = "Callback URLs of tenant-api's Backend-for-Frontend client (https://<api host>/auth/callback); its sign-out URLs are the same origins' /. Empty: no BFF client."
  default     = []

  validation {
    condition = alltrue([
      for u in var.bff_callback_urls :
      (can(regex("^https://[^/?#*\\s]+/auth/callback$", u)) || can(regex("^http://(localhost|127\\.0\\.0\\.1)(:[0-9]+)?/auth/callback$", u)))
    ])
    error_message = "bff_callback_urls: each URL must be https://<host>/auth/callback (http:// only for localhost or 127.0.0.1)."
  }
}

variable "web_oauth_scopes" {
  type        = list(string)
  description = "OAuth scopes the web client may request."
  default     = ["openid", "email", "profile"]

  validation {
    condition     = contains(var.web_oauth_scopes, "openid") && alltrue([for s in var.web_oauth_scopes : contains(["openid", "email", "profile", "phone", "aws.cognito.signin.user.admin"], s)])
    error_message = "web_oauth_scopes: must include openid; allowed: openid, email, profile, phone, aws.cognito.signin.user.admin."
  }
}

# ---------------------------------------------------------------------------
# Token lifetimes (set on both app clients; the pool has no such arguments)
# ---------------------------------------------------------------------------
variable "access_token_validity_minutes" {
  type        = number
  description = "Access token lifetime in minutes (5-1440)."
  default     = 60

  validation {
    condition     = var.access_token_validity_minutes >= 5 && var.access_token_validity_minutes <= 1440
    error_message = "access_token_validity_minutes: between 5 and 1440."
  }
}

variable "id_token_validity_minutes" {
  type        = number
  description = "ID token lifetime in minutes (5-1440)."
  default     = 60

  validation {
    condition     = var.id_token_validity_minutes >= 5 && var.id_token_validity_minutes <= 1440
    error_message = "id_token_validity_minutes: between 5 and 1440."
  }
}

variable "refresh_token_validity_days" {
  type        = number
  description = "Refresh token lifetime in days (1-3650)."
  default     = 30

  validation {
    condition     = var.refresh_token_validity_days >= 1 && var.refresh_token_validity_days <= 3650
    error_message = "refresh_token_validity_days: between 1 and 3650."
  }
}

# ---------------------------------------------------------------------------
# Clients
# ---------------------------------------------------------------------------
variable "generate_server_client_secret" {
  type        = bool
  description = "Generate a secret for the server client (tenant-api then sends SECRET_HASH). Changing it replaces the client."
  default     = false
}

variable "web_refresh_token_rotation" {
  type        = bool
  description = "Rotate refresh tokens on the web client: every refresh returns a new refresh token and retires the old one."
  default     = true
}

variable "web_refresh_token_retry_grace_seconds" {
  type        = number
  description = "Seconds a rotated-out refresh token stays usable, for client retries (0-60)."
  default     = 10

  validation {
    condition     = var.web_refresh_token_retry_grace_seconds >= 0 && var.web_refresh_token_retry_grace_seconds <= 60
    error_message = "web_refresh_token_retry_grace_seconds: between 0 and 60."
  }
}

variable "client_read_attributes" {
  type        = list(string)
  description = "User attributes both clients may read; custom:tenant_id is always added."
  default     = ["email", "email_verified"]
}

variable "client_write_attributes" {
  type        = list(string)
  description = "User attributes both clients' users may change with their own tokens. custom:tenant_id is refused."
  default     = ["email"]

  validation {
    # A writable tenant would let a user move themselves into another tenant
    # with UpdateUserAttributes and their own access token.
    condition     = !contains([for a in var.client_write_attributes : lower(a)], "custom:tenant_id")
    error_message = "client_write_attributes must not contain custom:tenant_id: clients must never write the tenant."
  }

  validation {
    condition     = !contains(var.client_write_attributes, "email_verified") && !contains(var.client_write_attributes, "sub")
    error_message = "client_write_attributes must not contain email_verified or sub."
  }
}

# ---------------------------------------------------------------------------
# User pool security settings (secure defaults; relax only on purpose)
# ---------------------------------------------------------------------------
variable "deletion_protection" {
  type        = bool
  description = "Refuse to delete the user pool until this is turned off."
  default     = true
}

variable "username_case_sensitive" {
  type        = bool
  description = "Treat User@Example.com and user@example.com as different users. Changing it replaces the pool."
  default     = false
}

variable "account_recovery_mechanisms" {
  type        = list(string)
  description = "Password recovery methods in priority order: verified_email, verified_phone_number, or admin_only alone."
  default     = ["verified_email"]

  validation {
    condition = length(var.account_recovery_mechanisms) > 0 && alltrue([
      for m in var.account_recovery_mechanisms : contains(["verified_email", "verified_phone_number", "admin_only"], m)
    ]) && (!contains(var.account_recovery_mechanisms, "admin_only") || length(var.account_recovery_mechanisms) == 1)
    error_message = "account_recovery_mechanisms: verified_email and/or verified_phone_number, or admin_only alone."
  }
}

variable "password_minimum_length" {
  type        = number
  description = "Minimum password length (8-99)."
  default     = 12

  validation {
    condition     = var.password_minimum_length >= 8 && var.password_minimum_length <= 99
    error_message = "password_minimum_length: between 8 and 99."
  }
}

variable "require_email_verification_before_update" {
  type        = bool
  description = "Keep the old email address until the user confirms the new one."
  default     = true
}

variable "user_pool_tier" {
  type        = string
  description = "Feature plan: LITE, ESSENTIALS (needed for access-token customisation) or PLUS (needed for threat protection)."
  default     = "ESSENTIALS"

  validation {
    condition     = contains(["LITE", "ESSENTIALS", "PLUS"], var.user_pool_tier)
    error_message = "user_pool_tier: LITE, ESSENTIALS or PLUS."
  }
}

variable "threat_protection_mode" {
  type        = string
  description = "Threat protection (advanced security) mode: OFF, AUDIT or ENFORCED. AUDIT and ENFORCED need user_pool_tier = PLUS."
  default     = "OFF"

  validation {
    condition     = contains(["OFF", "AUDIT", "ENFORCED"], var.threat_protection_mode)
    error_message = "threat_protection_mode: OFF, AUDIT or ENFORCED."
  }
}

# ---------------------------------------------------------------------------
# Optional email through Amazon SES
# ---------------------------------------------------------------------------
variable "ses_source_arn" {
  type        = string
  description = "ARN of a verified SES identity (address or domain) the pool sends email through (email_sending_account = DEVELOPER). Null: Cognito's default sender, capped at a few dozen emails a day."
  default     = null

  validation {
    condition     = var.ses_source_arn == null || can(regex("^arn:aws[a-z-]*:ses:[a-z0-9-]+:[0-9]{12}:identity/.+$", var.ses_source_arn))
    error_message = "ses_source_arn: an SES identity ARN, arn:aws:ses:REGION:ACCOUNT:identity/NAME."
  }
}

variable "ses_from_email_address" {
  type        = string
  description = "From address for SES email, e.g. \"Acme <no-reply@acme.example>\" (must belong to the SES identity). Null: the identity's address."
  default     = null
}

variable "ses_reply_to_email_address" {
  type        = string
  description = "Reply-To address for SES email. Null: none."
  default     = null
}

variable "ses_configuration_set" {
  type        = string
  description = "SES configuration set (event publishing, dedicated IPs). Null: none."
  default     = null
}

# ---------------------------------------------------------------------------
# Optional pre-token-generation Lambda
# ---------------------------------------------------------------------------
variable "enable_pre_token_generation" {
  type        = bool
  description = "Deploy the pre-token-generation Lambda (event V2_0) that copies custom:tenant_id into access tokens. Needs ESSENTIALS or PLUS."
  default     = false
}

variable "pre_token_generation_log_retention_days" {
  type        = number
  description = "Retention of the Lambda's CloudWatch log group, in days."
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.pre_token_generation_log_retention_days)
    error_message = "pre_token_generation_log_retention_days: one of CloudWatch's values (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)."
  }
}

# ---------------------------------------------------------------------------
# tenant-api's IAM permissions
# ---------------------------------------------------------------------------
variable "service_role_name" {
  type        = string
  description = "Name of an existing IAM role that runs tenant-api; when set, the Cognito policy is attached to it inline. Null: only output the policy JSON."
  default     = null
}
