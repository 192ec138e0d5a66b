module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "21.19.0"

  name               = local.name
  kubernetes_version = var.kubernetes_version

  vpc_id                   = module.vpc.vpc_id
  subnet_ids               = module.vpc.private_subnets
  control_plane_subnet_ids = module.vpc.intra_subnets

  # The API is reachable from the VPC; from the internet only from the listed CIDRs, and not at
  # all when there are none.
  endpoint_private_access      = true
  endpoint_public_access       = length(var.api_public_access_cidrs) > 0
  endpoint_public_access_cidrs = var.api_public_access_cidrs

  # Kubernetes Secrets are envelope-encrypted with a KMS key the module creates (rotated yearly).
  create_kms_key          = true
  enable_kms_key_rotation = true
  encryption_config = {
    resources = ["secrets"]
  }

  enabled_log_types                      = ["api", "audit", "authenticator"]
  cloudwatch_log_group_retention_in_days = 90

  # Access entries only (no aws-auth ConfigMap). Whoever creates the cluster (the apply role of
  # the workflow) is admin, so Terraform can install Argo CD.
  authentication_mode                      = "API"
  enable_cluster_creator_admin_permissions = true
  access_entries                           = local.access_entries

  # IRSA: the services' charts annotate their service accounts with a role ARN
  # (serviceAccount.roleArn), and CloudNativePG backups use it too. Platform add-ons use EKS Pod
  # Identity instead (iam.tf, karpenter.tf).
  enable_irsa = true

  addons = {
    coredns    = {}
    kube-proxy = {}
    vpc-cni = {
      before_compute = true
    }
    eks-pod-identity-agent = {
      before_compute = true
    }
    # Persistent volumes for CloudNativePG and Prometheus; gp3 becomes the default StorageClass.
    aws-ebs-csi-driver = {
      pod_identity_association = [{
        role_arn        = module.ebs_csi_pod_identity.iam_role_arn
        service_account = "ebs-csi-controller-sa"
      }]
      configuration_values = jsonencode({
        defaultStorageClass = { enabled = true }
      })
    }
  }

  # Only system pods run here; Karpenter (deployed by Argo CD from addons/) provisions the rest.
  eks_managed_node_groups = {
    system = {
      ami_type       = "AL2023_x86_64_STANDARD"
      instance_types = var.system_node_instance_types
      min_size       = 2
      max_size       = 4
      desired_size   = 2
      labels         = local.system_node_labels
      taints = {
        critical_addons_only = {
          key    = "CriticalAddonsOnly"
          value  = "true"
          effect = "NO_SCHEDULE"
        }
      }
      metadata_options = {
        http_endpoint               = "enabled"
        http_tokens                 = "required"
        http_put_response_hop_limit = 1
      }
    }
  }

  node_security_group_tags = {
    # Karpenter attaches this security group to the nodes it launches (manifests/karpenter).
    "karpenter.sh/discovery" = local.name
  }
}

locals {
  access_entries = merge(
    { for i, arn in var.cluster_admin_arns : "admin-${i}" => {
      principal_arn = arn
      policy_associations = {
        admin = {
          policy_arn   = "arn:${data.aws_partition.current.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
          access_scope = { type = "cluster" }
        }
      }
    } },
    {
      # Runway's backend reads the cluster (Kubernetes, Canary and Argo CD views) as the group
      # runway-backstage; the plugins' deploy/rbac.yaml bind that group to what they write.
      runway = {
        principal_arn     = module.runway_backend_pod_identity.iam_role_arn
        kubernetes_groups = ["runway-backstage"]
        policy_associations = {
          view = {
            policy_arn   = "arn:${data.aws_partition.current.partition}:eks::aws:cluster-access-policy/AmazonEKSViewPolicy"
            access_scope = { type = "cluster" }
          }
        }
      }
    },
    var.argocd_hub_role_arn == "" ? {} : {
      # The Argo CD that deploys the services runs elsewhere: it manages this cluster's workloads.
      argocd-hub = {
        principal_arn = var.argocd_hub_role_arn
        policy_associations = {
          admin = {
            policy_arn   = "arn:${data.aws_partition.current.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
            access_scope = { type = "cluster" }
          }
        }
      }
    },
  )
}
