# The IAM policy a role needs for pipecd-bootstrap to read its secrets: GetSecretValue on each
# secret, BatchGetSecretValue (which grants nothing by itself: each secret still needs
# GetSecretValue), and kms:Decrypt on a customer managed key if the secrets use one.
variable "secret_arns" { type = list(string) }
variable "kms_key_arn" {
  type    = string
  default = null
}

data "aws_iam_policy_document" "read_secrets" {
  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = var.secret_arns
  }
  statement {
    actions   = ["secretsmanager:BatchGetSecretValue"]
    resources = ["*"]
  }
  dynamic "statement" {
    for_each = var.kms_key_arn == null ? [] : [var.kms_key_arn]
    content {
      actions   = ["kms:Decrypt"]
      resources = [statement.value]
    }
  }
}

output "json" {
  value = data.aws_iam_policy_document.read_secrets.json
}
