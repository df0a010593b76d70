# piped on App Runner with the pipecd-bootstrap piped image. App Runner takes no new customers since
# 2026-04-30 (existing services keep running): for a new service, see ../ecs-express-piped.
# Two ways to give the secrets, both read with the instance role:
# - references in the StartCommand (the default): App Runner's StartCommand expands no $VAR, so they
#   are flags; pipecd-bootstrap fetches them at every start, and no value is ever in an env var;
# - RuntimeEnvironmentSecrets (secrets_as_environment = true): App Runner fetches the values and injects
#   them as PIPED_CONFIG and PIPED_KEY; the image's default command then needs no StartCommand.
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
variable "secrets_as_environment" {
  type        = bool
  default     = false
  description = "Give the secrets as RuntimeEnvironmentSecrets instead of references in the StartCommand."
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
        start_command = var.secrets_as_environment ? null : "pipecd-bootstrap piped --piped-config-secret ${var.piped_config_secret_arn} --piped-key-secret ${var.piped_key_secret_arn}"
        runtime_environment_secrets = var.secrets_as_environment ? {
          PIPED_CONFIG = var.piped_config_secret_arn
          PIPED_KEY    = var.piped_key_secret_arn
        } : null
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
