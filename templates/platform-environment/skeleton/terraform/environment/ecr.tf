# One repository per service. Tags are immutable: CI pushes each commit SHA once, and a
# release is promoted by its tag. Images are scanned on push; untagged layers expire.
module "ecr" {
  source  = "terraform-aws-modules/ecr/aws"
  version = "3.2.0"

  for_each = var.create_ecr_repositories ? toset(var.ecr_repositories) : toset([])

  repository_name                 = each.value
  repository_image_tag_mutability = "IMMUTABLE"
  repository_image_scan_on_push   = true
  repository_encryption_type      = "KMS"

  repository_read_write_access_arns = aws_iam_role.ecr_push[*].arn
  # Nodes pull with their instance role (AmazonEC2ContainerRegistryReadOnly, attached by the
  # EKS and Karpenter modules).

  create_lifecycle_policy = true
  repository_lifecycle_policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "Expire untagged images after 14 days"
      selection = {
        tagStatus   = "untagged"
        countType   = "sinceImagePushed"
        countUnit   = "days"
        countNumber = 14
      }
      action = { type = "expire" }
    }]
  })
}
