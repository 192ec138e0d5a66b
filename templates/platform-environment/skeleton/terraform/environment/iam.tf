# IAM of the platform's add-ons, by EKS Pod Identity (no OIDC trust to maintain). The services'
# own roles are IRSA roles their charts name (serviceAccount.roleArn).

module "ebs_csi_pod_identity" {
  source  = "terraform-aws-modules/eks-pod-identity/aws"
  version = "2.8.1"

  name                      = "${local.name}-ebs-csi"
  use_name_prefix           = false
  attach_aws_ebs_csi_policy = true
}

# Runway's backend: reads the cluster (EKS access entry in eks.tf) and publishes TechDocs to S3.
# In this cluster it gets the role by Pod Identity; elsewhere, the principals of
# runway_principal_arns assume it.
module "runway_backend_pod_identity" {
  source  = "terraform-aws-modules/eks-pod-identity/aws"
  version = "2.8.1"

  name            = "${local.name}-runway-backend"
  use_name_prefix = false

  attach_custom_policy = true
  policy_statements = [
    {
      sid       = "TechDocsBucket"
      actions   = ["s3:ListBucket"]
      resources = [module.techdocs_bucket.s3_bucket_arn]
    },
    {
      sid       = "TechDocsObjects"
      actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
      resources = ["${module.techdocs_bucket.s3_bucket_arn}/*"]
    },
    {
      sid       = "DescribeCluster"
      actions   = ["eks:DescribeCluster"]
      resources = [module.eks.cluster_arn]
    },
  ]

  trust_policy_statements = length(var.runway_principal_arns) == 0 ? null : [{
    sid     = "RunwayOutsideTheCluster"
    actions = ["sts:AssumeRole", "sts:TagSession"]
    principals = [{
      type        = "AWS"
      identifiers = var.runway_principal_arns
    }]
  }]

  associations = {
    runway = {
      cluster_name    = module.eks.cluster_name
      namespace       = var.runway_service_account.namespace
      service_account = var.runway_service_account.name
    }
  }
}

# CloudNativePG backups (Barman Cloud plugin) to the backups bucket. The scaffolder action
# cnpg:database:create puts this ARN on each database cluster's service account (<name>-db,
# IRSA), so the trust admits exactly those service accounts of this cluster.
data "aws_iam_policy_document" "cnpg_backup_trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [module.eks.oidc_provider_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${module.eks.oidc_provider}:aud"
      values   = ["sts.amazonaws.com"]
    }
    condition {
      test     = "StringLike"
      variable = "${module.eks.oidc_provider}:sub"
      values   = ["system:serviceaccount:*:*-db"]
    }
  }
}

data "aws_iam_policy_document" "cnpg_backup" {
  statement {
    sid       = "Bucket"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
    resources = [module.backups_bucket.s3_bucket_arn]
  }
  statement {
    sid       = "Objects"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["${module.backups_bucket.s3_bucket_arn}/*"]
  }
}

resource "aws_iam_role" "cnpg_backup" {
  name               = "${local.name}-cnpg-backup"
  description        = "CloudNativePG backups of ${local.name} to S3 (Barman Cloud plugin)"
  assume_role_policy = data.aws_iam_policy_document.cnpg_backup_trust.json
}

resource "aws_iam_role_policy" "cnpg_backup" {
  name   = "backups-bucket"
  role   = aws_iam_role.cnpg_backup.id
  policy = data.aws_iam_policy_document.cnpg_backup.json
}

# cert-manager answers Let's Encrypt's DNS-01 challenges for the ingress domain in Route 53.
data "aws_route53_zone" "ingress" {
  count = var.domain == "" ? 0 : 1
  name  = var.domain
}

module "cert_manager_pod_identity" {
  source  = "terraform-aws-modules/eks-pod-identity/aws"
  version = "2.8.1"

  create = var.domain != ""

  name                          = "${local.name}-cert-manager"
  use_name_prefix               = false
  attach_cert_manager_policy    = true
  cert_manager_hosted_zone_arns = [for zone in data.aws_route53_zone.ingress : zone.arn]

  associations = {
    cert-manager = {
      cluster_name    = module.eks.cluster_name
      namespace       = "cert-manager"
      service_account = "cert-manager"
    }
  }
}

# Fluent Bit signs its requests to an Amazon OpenSearch Service domain (SigV4).
module "fluent_bit_pod_identity" {
  source  = "terraform-aws-modules/eks-pod-identity/aws"
  version = "2.8.1"

  create = var.log_backend == "opensearch"

  name                 = "${local.name}-fluent-bit"
  use_name_prefix      = false
  attach_custom_policy = true
  policy_statements = [{
    sid       = "OpenSearchWrite"
    actions   = ["es:ESHttpGet", "es:ESHttpPost", "es:ESHttpPut"]
    resources = ["arn:${data.aws_partition.current.partition}:es:${var.aws_region}:${var.aws_account_id}:domain/*"]
  }]

  associations = {
    fluent-bit = {
      cluster_name    = module.eks.cluster_name
      namespace       = "logging"
      service_account = "fluent-bit"
    }
  }
}
