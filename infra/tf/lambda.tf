# ---------------------------------------------------------------------------
# Optional pre-token-generation trigger (event version V2_0): copies the
# user's custom:tenant_id into the access token, so tenant-api can prove the
# tenant from the token alone instead of calling GetUser.
# Everything here has count = 0 unless enable_pre_token_generation is true.
# ---------------------------------------------------------------------------
data "aws_partition" "current" {}

data "archive_file" "pre_token_generation" {
  count = var.enable_pre_token_generation ? 1 : 0

  type        = "zip"
  source_file = "${path.module}/lambda/pre_token_generation.py"
  output_path = "${path.module}/.build/pre_token_generation.zip"
}

data "aws_iam_policy_document" "pre_token_generation_assume_role" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "pre_token_generation" {
  count = var.enable_pre_token_generation ? 1 : 0

  name               = local.pre_token_generation_function_name
  assume_role_policy = data.aws_iam_policy_document.pre_token_generation_assume_role.json
  tags               = local.tags
}

# The function reads only its event: logging is all it may do.
resource "aws_iam_role_policy_attachment" "pre_token_generation_logs" {
  count = var.enable_pre_token_generation ? 1 : 0

  role       = aws_iam_role.pre_token_generation[0].name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

resource "aws_cloudwatch_log_group" "pre_token_generation" {
  #checkov:skip=CKV_AWS_158:The handler logs only a warning naming the trigger source (no token, claim or attribute values), so the default CloudWatch encryption suffices; add kms_key_id here if your policy requires a CMK.
  count = var.enable_pre_token_generation ? 1 : 0

  name              = "/aws/lambda/${local.pre_token_generation_function_name}"
  retention_in_days = var.pre_token_generation_log_retention_days
  tags              = local.tags
}

resource "aws_lambda_function" "pre_token_generation" {
  #checkov:skip=CKV_AWS_116:Cognito invokes this trigger synchronously and fails the sign-in on error; a dead-letter queue only applies to asynchronous invocations.
  #checkov:skip=CKV_AWS_117:The function makes no network calls (it only rewrites its event), so it needs no VPC; a VPC would add ENIs and cold-start latency to every sign-in.
  #checkov:skip=CKV_AWS_115:Reserved concurrency would cap sign-ins (Cognito fails a sign-in whose trigger is throttled) and cannot be reserved on accounts with the default low concurrency quota.
  #checkov:skip=CKV_AWS_272:The package is built from this repository by archive_file at plan time; code signing would need an AWS Signer profile outside this module.
  #checkov:skip=CKV_AWS_50:A single synchronous call with no downstream requests: X-Ray would record nothing CloudWatch logs and metrics do not already show.
  count = var.enable_pre_token_generation ? 1 : 0

  function_name    = local.pre_token_generation_function_name
  description      = "Copies custom:tenant_id into Cognito access tokens (pre token generation V2_0)."
  role             = aws_iam_role.pre_token_generation[0].arn
  runtime          = "python3.13"
  handler          = "pre_token_generation.handler"
  architectures    = ["arm64"]
  filename         = data.archive_file.pre_token_generation[0].output_path
  source_code_hash = data.archive_file.pre_token_generation[0].output_base64sha256

  # Cognito gives a trigger at most 5 seconds.
  timeout     = 5
  memory_size = 128

  tags = local.tags

  depends_on = [
    aws_cloudwatch_log_group.pre_token_generation,
    aws_iam_role_policy_attachment.pre_token_generation_logs,
  ]
}

resource "aws_lambda_permission" "pre_token_generation" {
  count = var.enable_pre_token_generation ? 1 : 0

  statement_id  = "AllowCognitoPreTokenGeneration"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.pre_token_generation[0].function_name
  principal     = "cognito-idp.amazonaws.com"
  source_arn    = aws_cognito_user_pool.this.arn
}
