provider "aws" {
  region = var.aws_region
  # Refuses to plan or apply with credentials of any other account.
  allowed_account_ids = [var.aws_account_id]

  default_tags {
    tags = local.tags
  }
}

# Installs Argo CD once (argocd.tf); Argo CD installs everything else from addons/. Authenticates
# with the caller's AWS identity, which the cluster admits as an administrator
# (enable_cluster_creator_admin_permissions and var.cluster_admin_arns).
provider "helm" {
  kubernetes = {
    host                   = module.eks.cluster_endpoint
    cluster_ca_certificate = base64decode(module.eks.cluster_certificate_authority_data)
    exec = {
      api_version = "client.authentication.k8s.io/v1beta1"
      command     = "aws"
      args        = ["eks", "get-token", "--cluster-name", module.eks.cluster_name, "--region", var.aws_region]
    }
  }
}
