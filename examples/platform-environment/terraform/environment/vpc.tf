# Private subnets (one per AZ) hold the nodes and pods; the public subnets only the NAT gateways
# and internet-facing load balancers; the intra subnets (no internet route) the EKS control
# plane's network interfaces.
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "6.6.0"

  name = local.name
  cidr = var.vpc_cidr
  azs  = local.azs

  private_subnets = [for i in range(var.az_count) : cidrsubnet(var.vpc_cidr, 3, i)]
  public_subnets  = [for i in range(var.az_count) : cidrsubnet(var.vpc_cidr, 6, 48 + i)]
  intra_subnets   = [for i in range(var.az_count) : cidrsubnet(var.vpc_cidr, 6, 52 + i)]

  enable_nat_gateway     = true
  one_nat_gateway_per_az = true
  enable_dns_hostnames   = true
  enable_dns_support     = true

  public_subnet_tags = {
    "kubernetes.io/role/elb" = 1
  }
  private_subnet_tags = {
    "kubernetes.io/role/internal-elb" = 1
    # Karpenter launches nodes into the subnets with this tag (manifests/karpenter).
    "karpenter.sh/discovery" = local.name
  }

  enable_flow_log                                 = true
  create_flow_log_cloudwatch_log_group            = true
  create_flow_log_cloudwatch_iam_role             = true
  flow_log_cloudwatch_log_group_retention_in_days = 90
}
