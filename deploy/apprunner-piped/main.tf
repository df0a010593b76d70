# piped on App Runner with the pipecd-bootstrap piped image. App Runner's StartCommand expands no
# $VAR, so the references are given as flags; the instance role reads the secrets.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = ">= 5.0" }
  }
}

variable "piped_image" {
  type        = string
  description = "ECR image URI of the piped image built from Dockerfile.piped."
}
variable "piped_config_secret_arn" { type = string }
variable "piped_key_secret_arn" { type = string }
variable "kms_key_arn" {
  type    = string
  default = null
}

data "aws_iam_policy_document" "build_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["build.apprunner.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["tasks.apprunner.amazonaws.com"]
    }
  }
}

# Pulls the image from ECR.
resource "aws_iam_role" "access" {
  name               = "piped-apprunner-access"
  assume_role_policy = data.aws_iam_policy_document.build_assume.json
}

resource "aws_iam_role_policy_attachment" "access" {
  role       = aws_iam_role.access.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSAppRunnerServicePolicyForECRAccess"
}

module "read_secrets" {
  source      = "../modules/read-secrets"
  secret_arns = [var.piped_config_secret_arn, var.piped_key_secret_arn]
  kms_key_arn = var.kms_key_arn
}

# The instance role: what pipecd-bootstrap (and piped) run with.
resource "aws_iam_role" "instance" {
  name               = "piped-apprunner-instance"
  assume_role_policy = data.aws_iam_policy_document.tasks_assume.json
}

resource "aws_iam_role_policy" "instance_secrets" {
  name   = "read-piped-secrets"
  role   = aws_iam_role.instance.id
  policy = module.read_secrets.json
}

resource "aws_apprunner_service" "piped" {
  service_name = "piped"

  source_configuration {
    auto_deployments_enabled = false
    authentication_configuration {
      access_role_arn = aws_iam_role.access.arn
    }
    image_repository {
      image_identifier      = var.piped_image
      image_repository_type = "ECR"
      image_configuration {
        port          = "9085"
        start_command = "pipecd-bootstrap piped --piped-config-secret ${var.piped_config_secret_arn} --piped-key-secret ${var.piped_key_secret_arn}"
      }
    }
  }

  instance_configuration {
    cpu               = "1024"
    memory            = "2048"
    instance_role_arn = aws_iam_role.instance.arn
  }

  # piped's admin server answers /healthz on 9085.
  health_check_configuration {
    protocol            = "HTTP"
    path                = "/healthz"
    interval            = 10
    timeout             = 5
    healthy_threshold   = 1
    unhealthy_threshold = 5
  }
}
