# ---------------------------------------------------------------------------
# IAM policy for tenant-api's role: exactly the Admin API calls it makes,
# on this pool only. AdminGetUser also proves the tenant of Hosted UI access
# tokens (which may not call GetUser), AdminUserGlobalSignOut signs their user
# out; AdminCreateUser and AdminDeleteUser serve tenant admins' invites and
# removals; CreateGroup serves `users create --group`. DescribeUserPool(Client) are
# called only on the embedded identity provider, never on a real pool. InitiateAuth, GetTokensFromRefreshToken, GetUser and GlobalSignOut are
# authorised by the user's own tokens and need no IAM permission.
# ---------------------------------------------------------------------------
data "aws_iam_policy_document" "tenant_api" {
  statement {
    sid    = "TenantApiCognitoAdmin"
    effect = "Allow"

    actions = [
      "cognito-idp:AdminAddUserToGroup",
      "cognito-idp:AdminCreateUser",
      "cognito-idp:AdminDeleteUser",
      "cognito-idp:AdminGetUser",
      "cognito-idp:AdminInitiateAuth",
      "cognito-idp:AdminRespondToAuthChallenge",
      "cognito-idp:AdminUpdateUserAttributes",
      "cognito-idp:AdminUserGlobalSignOut",
      "cognito-idp:CreateGroup",
      "cognito-idp:ListUsers",
    ]

    resources = [aws_cognito_user_pool.this.arn]
  }
}

# Attached only when the caller names tenant-api's existing role.
resource "aws_iam_role_policy" "tenant_api" {
  count = var.service_role_name == null ? 0 : 1

  name   = "${var.project_name}-tenant-api-cognito"
  role   = var.service_role_name
  policy = data.aws_iam_policy_document.tenant_api.json
}
