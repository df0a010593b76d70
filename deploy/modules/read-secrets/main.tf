# The IAM policy a role needs for pipecd-bootstrap to read its references: GetSecretValue on each
# secret, BatchGetSecretValue (which grants nothing by itself: each secret still needs
# GetSecretValue), ssm:GetParameters on each SSM parameter (one call per region reads up to 10),
# and kms:Decrypt on a customer managed key if the secrets or SecureStrings use one.
variable "secret_arns" {
  type    = list(string)
  default = []
}
variable "parameter_arns" {
  description = "SSM parameters given as references (arn:aws:ssm:REGION:ACCOUNT:parameter/NAME, or ssm:NAME in the task's region)"
  type        = list(string)
  default     = []
}
variable "kms_key_arn" {
  type    = string
  default = null
}

data "aws_iam_policy_document" "read_secrets" {
  dynamic "statement" {
    for_each = length(var.secret_arns) == 0 ? [] : [var.secret_arns]
    content {
      actions   = ["secretsmanager:GetSecretValue"]
      resources = statement.value
    }
  }
  dynamic "statement" {
    for_each = length(var.secret_arns) == 0 ? [] : ["*"]
    content {
      actions   = ["secretsmanager:BatchGetSecretValue"]
      resources = [statement.value]
    }
  }
  dynamic "statement" {
    for_each = length(var.parameter_arns) == 0 ? [] : [var.parameter_arns]
    content {
      actions   = ["ssm:GetParameters"]
      resources = statement.value
    }
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
