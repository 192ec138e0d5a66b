variable "environment" {
  type        = string
  description = "Name of the environment (staging, production, ...): names the cluster, the VPC and every resource."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,18}[a-z0-9]$", var.environment))
    error_message = "environment must be 3-20 lowercase letters, digits and '-', starting with a letter."
  }
}

variable "aws_region" {
  type        = string
  description = "AWS region of the environment, e.g. eu-west-1."
}

variable "aws_account_id" {
  type        = string
  description = "The AWS account of the environment; the provider refuses credentials of any other account."

  validation {
    condition     = can(regex("^[0-9]{12}$", var.aws_account_id))
    error_message = "aws_account_id must be the 12-digit account id."
  }
}

variable "vpc_cidr" {
  type        = string
  description = "IPv4 range of the VPC (/16 to /20): private subnets for nodes and pods, small public and control-plane subnets."

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && tonumber(split("/", var.vpc_cidr)[1]) >= 16 && tonumber(split("/", var.vpc_cidr)[1]) <= 20
    error_message = "vpc_cidr must be an IPv4 CIDR from /16 to /20."
  }
}

variable "az_count" {
  type        = number
  description = "Number of availability zones the subnets, NAT gateways and nodes span."

  validation {
    condition     = contains([2, 3], var.az_count)
    error_message = "az_count must be 2 or 3."
  }
}

variable "kubernetes_version" {
  type        = string
  description = "EKS Kubernetes version (major.minor)."

  validation {
    condition     = can(regex("^1\\.[0-9]{2}$", var.kubernetes_version))
    error_message = "kubernetes_version must be major.minor, e.g. 1.36."
  }
}

variable "api_public_access_cidrs" {
  type        = list(string)
  description = "CIDRs allowed to reach the Kubernetes API from the internet. Empty (the default): the API endpoint is private, reachable only from the VPC (and what is peered or connected to it)."
  default     = []
}

variable "cluster_admin_arns" {
  type        = list(string)
  description = "IAM roles or users granted cluster-admin through EKS access entries, besides the identity that created the cluster."
  default     = []
}

variable "system_node_instance_types" {
  type        = list(string)
  description = "Instance types of the managed node group that runs only system pods (Karpenter, Argo CD, CoreDNS); Karpenter provisions every other node."
  default     = ["m7i.large", "m6i.large"]
}

variable "github_repository" {
  type        = string
  description = "This repository (owner/name): the source of Argo CD's root Application."

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))
    error_message = "github_repository must be owner/name."
  }
}

variable "create_ecr_repositories" {
  type        = bool
  description = "Manage the ECR repositories of ecr_repositories and the role the services' CI pushes images with."
  default     = false
}

variable "ecr_repositories" {
  type        = list(string)
  description = "ECR repositories to create, one per service (the service's name)."
  default     = []
}

variable "service_repositories" {
  type        = list(string)
  description = "GitHub repositories (owner/name) whose workflows on main may push to the ECR repositories (the services' AWS_ROLE_ARN)."
  default     = []
}

variable "domain" {
  type        = string
  description = "Route 53 hosted zone the ingress gateway serves (*.<domain>, Let's Encrypt DNS-01 through cert-manager); empty for none."
  default     = ""
}

variable "log_backend" {
  type        = string
  description = "Where Fluent Bit ships logs: eck (in-cluster Elasticsearch), elasticsearch or opensearch (an existing endpoint)."

  validation {
    condition     = contains(["eck", "elasticsearch", "opensearch"], var.log_backend)
    error_message = "log_backend must be eck, elasticsearch or opensearch."
  }
}

variable "runway_principal_arns" {
  type        = list(string)
  description = "IAM principals (where Runway's backend runs outside this cluster) allowed to assume the Runway backend role."
  default     = []
}

variable "runway_service_account" {
  type = object({
    namespace = string
    name      = string
  })
  description = "The Kubernetes service account of Runway's backend when it runs in this cluster (EKS Pod Identity)."
  default = {
    namespace = "backstage"
    name      = "backstage"
  }
}

variable "argocd_hub_role_arn" {
  type        = string
  description = "IAM role of the Argo CD that deploys the services (Runway's argocd instance), when it runs in another cluster; it gets cluster access here. Empty: this cluster's own Argo CD deploys them."
  default     = ""
}

variable "tags" {
  type        = map(string)
  description = "Tags added to every AWS resource, besides Environment, ManagedBy and Repository."
  default     = {}
}
