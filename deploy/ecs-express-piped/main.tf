# piped on Amazon ECS Express Mode, the successor AWS names for App Runner (closed to new customers
# since 2026-04-30), with the pipecd-bootstrap piped image. One resource creates the service, its
# load balancer, security groups and scaling; the load balancer's health check is piped's admin
# server: port 9085, /healthz. Give private subnets, so that the load balancer is internal: nothing
# outside needs to reach piped, which only calls out to the control plane.
terraform {
  required_providers {
    # aws_ecs_express_gateway_service came with the provider releases of late 2025.
    aws = { source = "hashicorp/aws", version = ">= 6.0" }
  }
}

variable "piped_image" {
  type        = string
  description = "ECR image URI of the piped image built from Dockerfile.piped."
}
variable "piped_config_secret_arn" {
  type        = string
  description = "Secret holding the piped config (YAML, or base64 of it); pipecd-bootstrap fetches it with the task role."
}
variable "piped_key_secret_arn" {
  type        = string
  description = "Secret holding the piped key; ECS injects it with the execution role (an SSM parameter ARN works here too: ECS resolves either)."
}
variable "kms_key_arn" {
  type    = string
  default = null
}
variable "subnet_ids" { type = list(string) }
variable "security_group_ids" { type = list(string) }

locals {
  log_group = "/ecs/piped-express"
}

resource "aws_cloudwatch_log_group" "piped" {
  name              = local.log_group
  retention_in_days = 30
}

data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "ecs_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs.amazonaws.com"]
    }
  }
}

module "read_secrets" {
  source      = "../modules/read-secrets"
  secret_arns = [var.piped_config_secret_arn, var.piped_key_secret_arn]
  kms_key_arn = var.kms_key_arn
}

# The execution role: pulls the image, writes logs, and resolves the `secret` (PIPED_KEY).
resource "aws_iam_role" "execution" {
  name               = "piped-express-execution"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_iam_role_policy" "execution_secrets" {
  name   = "read-piped-secrets"
  role   = aws_iam_role.execution.id
  policy = module.read_secrets.json
}

# The infrastructure role: what ECS uses to create the load balancer, target group, security groups and scaling.
resource "aws_iam_role" "infrastructure" {
  name               = "piped-express-infrastructure"
  assume_role_policy = data.aws_iam_policy_document.ecs_assume.json
}

resource "aws_iam_role_policy_attachment" "infrastructure" {
  role       = aws_iam_role.infrastructure.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSInfrastructureRoleforExpressGatewayServices"
}

# The task role: pipecd-bootstrap's reference (PIPED_CONFIG_SECRET), plus whatever piped deploys to (add it here).
resource "aws_iam_role" "task" {
  name               = "piped-express-task"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

resource "aws_iam_role_policy" "task_secrets" {
  name   = "read-piped-secrets"
  role   = aws_iam_role.task.id
  policy = module.read_secrets.json
}

resource "aws_ecs_express_gateway_service" "piped" {
  service_name            = "piped"
  execution_role_arn      = aws_iam_role.execution.arn
  infrastructure_role_arn = aws_iam_role.infrastructure.arn
  task_role_arn           = aws_iam_role.task.arn
  cpu                     = "1024"
  memory                  = "2048"
  health_check_path       = "/healthz"

  network_configuration {
    subnets         = var.subnet_ids
    security_groups = var.security_group_ids
  }

  # The image's ENTRYPOINT (tini, pipecd-bootstrap) and role (PIPECD_BOOTSTRAP_ROLE=piped) stay: no command.
  primary_container {
    image          = var.piped_image
    container_port = 9085

    # A reference: pipecd-bootstrap fetches it with the task role, validates it, and writes the file.
    environment {
      name  = "PIPED_CONFIG_SECRET"
      value = var.piped_config_secret_arn
    }

    # ECS `secrets`: ECS fetches the value with the execution role and injects it as PIPED_KEY.
    secret {
      name       = "PIPED_KEY"
      value_from = var.piped_key_secret_arn
    }

    aws_logs_configuration {
      log_group         = aws_cloudwatch_log_group.piped.name
      log_stream_prefix = "piped"
    }
  }

  # piped must run as exactly one instance per piped ID.
  scaling_target {
    min_task_count            = 1
    max_task_count            = 1
    auto_scaling_metric       = "AVERAGE_CPU"
    auto_scaling_target_value = 80
  }

  depends_on = [aws_iam_role_policy_attachment.infrastructure, aws_iam_role_policy.execution_secrets]
}
