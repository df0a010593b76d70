# piped on ECS Fargate with the pipecd-bootstrap piped image. The config and the key come from
# Secrets Manager by ARN, fetched by pipecd-bootstrap with the task role in one call.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = ">= 5.0" }
  }
}

variable "region" { type = string }
variable "cluster_arn" { type = string }
variable "subnet_ids" { type = list(string) }
variable "security_group_ids" { type = list(string) }
variable "piped_image" { type = string }
variable "piped_config_secret_arn" {
  type        = string
  description = "Secret holding the piped config (YAML, or base64 of it as piped --config-aws-secret expects)."
}
variable "piped_key_secret_arn" {
  type        = string
  description = "Secret holding the piped key; written to a file that spec.pipedKeyFile points at."
}
variable "kms_key_arn" {
  type    = string
  default = null
}

locals {
  log_group = "/ecs/piped"
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

resource "aws_iam_role" "execution" {
  name               = "piped-execution"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

module "read_secrets" {
  source      = "../modules/read-secrets"
  secret_arns = [var.piped_config_secret_arn, var.piped_key_secret_arn]
  kms_key_arn = var.kms_key_arn
}

# The task role: pipecd-bootstrap's secrets, plus whatever piped itself deploys to (add it here).
resource "aws_iam_role" "task" {
  name               = "piped-task"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

resource "aws_iam_role_policy" "task_secrets" {
  name   = "read-piped-secrets"
  role   = aws_iam_role.task.id
  policy = module.read_secrets.json
}

resource "aws_ecs_task_definition" "piped" {
  family                   = "piped"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 512
  memory                   = 1024
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn
  container_definitions = templatefile("${path.module}/containers/piped.json.tftpl", {
    region                  = var.region
    log_group               = local.log_group
    piped_image             = var.piped_image
    piped_config_secret_arn = var.piped_config_secret_arn
    piped_key_secret_arn    = var.piped_key_secret_arn
  })
}

resource "aws_ecs_service" "piped" {
  name            = "piped"
  cluster         = var.cluster_arn
  task_definition = aws_ecs_task_definition.piped.arn
  desired_count   = 1
  launch_type     = "FARGATE"
  network_configuration {
    subnets         = var.subnet_ids
    security_groups = var.security_group_ids
  }
}
