data "aws_availability_zones" "available" {
  state = "available"

  filter {
    name   = "opt-in-status"
    values = ["opt-in-not-required"]
  }
}

data "aws_partition" "current" {}

locals {
  # The cluster, the VPC and the prefix of every resource.
  name = var.environment
  azs  = slice(data.aws_availability_zones.available.names, 0, var.az_count)

  tags = merge(var.tags, {
    Environment = var.environment
    ManagedBy   = "opentofu"
    Repository  = var.github_repository
  })

  # Nodes of the managed node group carry this label and a CriticalAddonsOnly taint: only
  # system pods that select and tolerate them run there.
  system_node_labels = { "runway.dev/node-pool" = "system" }

  # Buckets are global: the account id keeps their names unique.
  bucket_prefix = "${var.aws_account_id}-${var.environment}"
}
