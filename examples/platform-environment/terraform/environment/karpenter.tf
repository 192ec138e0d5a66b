# Karpenter's AWS side: the controller's IAM role (EKS Pod Identity for karpenter/karpenter),
# the node role and instance profile, and the SQS queue of spot interruptions and instance
# events. The controller itself, its NodePool and EC2NodeClass come from addons/ — they use the
# names fixed here (queue, node role), so nothing has to be copied from Terraform's outputs.
module "karpenter" {
  source  = "terraform-aws-modules/eks/aws//modules/karpenter"
  version = "21.19.0"

  cluster_name = module.eks.cluster_name

  namespace                       = "karpenter"
  service_account                 = "karpenter"
  create_pod_identity_association = true

  node_iam_role_name            = "${local.name}-karpenter-node"
  node_iam_role_use_name_prefix = false
  node_iam_role_additional_policies = {
    # Session Manager instead of SSH.
    AmazonSSMManagedInstanceCore = "arn:${data.aws_partition.current.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"
  }

  enable_spot_termination = true
  queue_name              = "${local.name}-karpenter"
}
