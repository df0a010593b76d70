# The PipeCD control plane on ECS Fargate with PipeCD's and envoy's official images, unchanged: each
# program's container is preceded by a pipecd-bootstrap init container (Dockerfile.init) that writes
# its files into a volume of the task and exits; the program's container mounts that volume
# read-only, depends on the init container with condition SUCCESS, and starts with the command that
# `pipecd-bootstrap write ROLE` prints (static paths under /pipecd-bootstrap). A new PipeCD release
# is a new image tag here, with nothing to rebuild.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = ">= 5.0" }
  }
}

variable "region" { type = string }
variable "cluster_name" {
  type    = string
  default = "pipecd"
}
variable "subnet_ids" { type = list(string) }
variable "security_group_ids" { type = list(string) }
variable "gateway_target_group_arn" {
  type        = string
  description = "Target group (HTTP, port 9090) of the load balancer in front of the gateway."
}
variable "init_image" {
  type        = string
  description = "ECR image URI of the init image built from Dockerfile.init."
}
variable "pipecd_image" {
  type        = string
  default     = "ghcr.io/pipe-cd/pipecd:v0.57.0"
  description = "PipeCD's control-plane image as published (ghcr.io/pipe-cd/controlplane after v0.57.0)."
}
variable "envoy_image" {
  type    = string
  default = "envoyproxy/envoy:v1.31.0"
}
variable "control_plane_config_secret_arn" {
  type        = string
  description = "Secret holding the control plane config (YAML, or base64 of it)."
}
variable "encryption_key_secret_arn" {
  type        = string
  description = "Secret holding the encryption key, used byte for byte (at least 32 bytes)."
}
variable "envoy_config_secret_arn" { type = string }
variable "kms_key_arn" {
  type    = string
  default = null
}
variable "datastore_host" {
  type        = string
  description = "The MySQL host (RDS endpoint); replaces the host in spec.datastore.config.url."
}
variable "cache_address" {
  type        = string
  description = "Redis host:port, passed as --cache-address."
}

locals {
  secret_arns = [var.control_plane_config_secret_arn, var.encryption_key_secret_arn, var.envoy_config_secret_arn]
  log_group   = "/ecs/${var.cluster_name}"
}

resource "aws_cloudwatch_log_group" "pipecd" {
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

module "read_secrets" {
  source      = "../modules/read-secrets"
  secret_arns = local.secret_arns
  kms_key_arn = var.kms_key_arn
}

# The execution role: pulls the images, writes logs, and resolves the ECS `secrets` of the server's init container.
resource "aws_iam_role" "execution" {
  name               = "${var.cluster_name}-init-execution"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_iam_role_policy" "execution_secrets" {
  name   = "read-pipecd-secrets"
  role   = aws_iam_role.execution.id
  policy = module.read_secrets.json
}

# The task role: what the init containers use for *_SECRET references (and what pipecd uses for S3).
resource "aws_iam_role" "task" {
  name               = "${var.cluster_name}-init-task"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

resource "aws_iam_role_policy" "task_secrets" {
  name   = "read-pipecd-secrets"
  role   = aws_iam_role.task.id
  policy = module.read_secrets.json
}

resource "aws_ecs_cluster" "pipecd" {
  name = var.cluster_name
}

resource "aws_ecs_task_definition" "server" {
  family                   = "${var.cluster_name}-server"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 1024
  memory                   = 2048
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn
  # One volume per program: the gateway's containers never see the encryption key.
  volume {
    name = "server-files"
  }
  volume {
    name = "gateway-files"
  }
  container_definitions = templatefile("${path.module}/containers/server.json.tftpl", {
    region                          = var.region
    log_group                       = local.log_group
    init_image                      = var.init_image
    pipecd_image                    = var.pipecd_image
    envoy_image                     = var.envoy_image
    control_plane_config_secret_arn = var.control_plane_config_secret_arn
    encryption_key_secret_arn       = var.encryption_key_secret_arn
    envoy_config_secret_arn         = var.envoy_config_secret_arn
    datastore_host                  = var.datastore_host
    cache_address                   = var.cache_address
  })
}

resource "aws_ecs_task_definition" "ops" {
  family                   = "${var.cluster_name}-ops"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn
  volume {
    name = "ops-files"
  }
  container_definitions = templatefile("${path.module}/containers/ops.json.tftpl", {
    region                          = var.region
    log_group                       = local.log_group
    init_image                      = var.init_image
    pipecd_image                    = var.pipecd_image
    control_plane_config_secret_arn = var.control_plane_config_secret_arn
    datastore_host                  = var.datastore_host
    cache_address                   = var.cache_address
  })
}

resource "aws_ecs_service" "server" {
  name            = "server"
  cluster         = aws_ecs_cluster.pipecd.id
  task_definition = aws_ecs_task_definition.server.arn
  desired_count   = 1
  launch_type     = "FARGATE"
  network_configuration {
    subnets         = var.subnet_ids
    security_groups = var.security_group_ids
  }
  load_balancer {
    target_group_arn = var.gateway_target_group_arn
    container_name   = "gateway"
    container_port   = 9090
  }
}

resource "aws_ecs_service" "ops" {
  name            = "ops"
  cluster         = aws_ecs_cluster.pipecd.id
  task_definition = aws_ecs_task_definition.ops.arn
  desired_count   = 1
  launch_type     = "FARGATE"
  network_configuration {
    subnets         = var.subnet_ids
    security_groups = var.security_group_ids
  }
}
