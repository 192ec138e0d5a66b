# Run once per environment, by an administrator, before the workflow can run (local state:
# keep terraform.tfstate of this folder somewhere safe, or import the resources again):
#   - the S3 bucket of the environment's Terraform state (versioned, encrypted, TLS only);
#   - the account's GitHub Actions OIDC provider;
#   - the role the workflow plans with on pull requests (read-only) and the role it applies
#     with on main, only from the GitHub environment of this name (which requires an approval).

provider "aws" {
  region              = var.aws_region
  allowed_account_ids = [var.aws_account_id]

  default_tags {
    tags = {
      Environment = var.environment
      ManagedBy   = "opentofu"
      Repository  = var.github_repository
    }
  }
}

data "aws_partition" "current" {}

module "state_bucket" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "5.15.4"

  bucket = "${var.aws_account_id}-${var.environment}-tfstate"

  versioning = {
    enabled = true
  }
  server_side_encryption_configuration = {
    rule = {
      apply_server_side_encryption_by_default = {
        sse_algorithm = "aws:kms"
      }
      bucket_key_enabled = true
    }
  }

  attach_deny_insecure_transport_policy = true
  block_public_acls                     = true
  block_public_policy                   = true
  ignore_public_acls                    = true
  restrict_public_buckets               = true
  control_object_ownership              = true
  object_ownership                      = "BucketOwnerEnforced"
}

resource "aws_iam_openid_connect_provider" "github" {
  count = var.create_github_oidc_provider ? 1 : 0

  url            = "https://token.actions.githubusercontent.com"
  client_id_list = ["sts.amazonaws.com"]
}

data "aws_iam_openid_connect_provider" "github" {
  count = var.create_github_oidc_provider ? 0 : 1
  url   = "https://token.actions.githubusercontent.com"
}

locals {
  github_oidc_provider_arn = var.create_github_oidc_provider ? aws_iam_openid_connect_provider.github[0].arn : data.aws_iam_openid_connect_provider.github[0].arn

  # The subjects GitHub puts in the workflow's OIDC token.
  plan_subject  = "repo:${var.github_repository}:pull_request"
  apply_subject = "repo:${var.github_repository}:environment:${var.environment}"
}

data "aws_iam_policy_document" "workflow_trust" {
  for_each = {
    plan  = local.plan_subject
    apply = local.apply_subject
  }

  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [local.github_oidc_provider_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:sub"
      values   = [each.value]
    }
  }
}

# Plans on pull requests: reads everything, writes only the state's lock file.
resource "aws_iam_role" "plan" {
  name               = "${var.environment}-terraform-plan"
  description        = "Plans ${var.github_repository} on pull requests"
  assume_role_policy = data.aws_iam_policy_document.workflow_trust["plan"].json
}

resource "aws_iam_role_policy_attachment" "plan_read_only" {
  role       = aws_iam_role.plan.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/ReadOnlyAccess"
}

data "aws_iam_policy_document" "state_lock" {
  statement {
    sid       = "StateLockFile"
    actions   = ["s3:PutObject", "s3:DeleteObject"]
    resources = ["${module.state_bucket.s3_bucket_arn}/environment/terraform.tfstate.tflock"]
  }
}

resource "aws_iam_role_policy" "plan_state_lock" {
  name   = "state-lock"
  role   = aws_iam_role.plan.id
  policy = data.aws_iam_policy_document.state_lock.json
}

# Applies on main, from the GitHub environment only (its protection rules require an approval).
resource "aws_iam_role" "apply" {
  name               = "${var.environment}-terraform-apply"
  description        = "Applies ${var.github_repository} on main after approval"
  assume_role_policy = data.aws_iam_policy_document.workflow_trust["apply"].json
}

resource "aws_iam_role_policy_attachment" "apply_admin" {
  role       = aws_iam_role.apply.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/AdministratorAccess"
}
