# The services' CI pushes images with short-lived credentials: GitHub's OIDC token, exchanged
# for this role (the services' AWS_ROLE_ARN variable). Only workflows on the main branch of the
# listed repositories may assume it. The OIDC provider is created once per account by
# terraform/bootstrap.
locals {
  ecr_push = var.create_ecr_repositories && length(var.service_repositories) > 0
}

data "aws_iam_openid_connect_provider" "github" {
  count = local.ecr_push ? 1 : 0
  url   = "https://token.actions.githubusercontent.com"
}

data "aws_iam_policy_document" "ecr_push_trust" {
  count = local.ecr_push ? 1 : 0

  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [data.aws_iam_openid_connect_provider.github[0].arn]
    }
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:sub"
      values   = [for repository in var.service_repositories : "repo:${repository}:ref:refs/heads/main"]
    }
  }
}

resource "aws_iam_role" "ecr_push" {
  count = local.ecr_push ? 1 : 0

  name                 = "${local.name}-github-ecr-push"
  description          = "GitHub Actions of the services (main branch) pushing images to ECR"
  assume_role_policy   = data.aws_iam_policy_document.ecr_push_trust[0].json
  max_session_duration = 3600
}

resource "aws_iam_role_policy" "ecr_login" {
  count = local.ecr_push ? 1 : 0

  name = "ecr-login"
  role = aws_iam_role.ecr_push[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "Login"
      Effect   = "Allow"
      Action   = ["ecr:GetAuthorizationToken"]
      Resource = "*"
    }]
  })
}
