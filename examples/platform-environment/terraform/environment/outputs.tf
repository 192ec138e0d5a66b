output "cluster_name" {
  description = "EKS cluster name (aws eks update-kubeconfig --name ...)."
  value       = module.eks.cluster_name
}

output "cluster_endpoint" {
  description = "Kubernetes API URL: Runway's kubernetes.clusterLocatorMethods[].clusters[].url."
  value       = module.eks.cluster_endpoint
}

output "cluster_certificate_authority_data" {
  description = "Base64 CA bundle of the API: Runway's caData."
  value       = module.eks.cluster_certificate_authority_data
}

output "oidc_provider_arn" {
  description = "The cluster's IAM OIDC provider, for the services' IRSA roles (serviceAccount.roleArn)."
  value       = module.eks.oidc_provider_arn
}

output "runway_backend_role_arn" {
  description = "Role of Runway's backend: cluster read access (group runway-backstage) and the TechDocs bucket."
  value       = module.runway_backend_pod_identity.iam_role_arn
}

output "techdocs_bucket" {
  description = "Bucket of Runway's TechDocs publisher (techdocs.publisher.awsS3.bucketName)."
  value       = module.techdocs_bucket.s3_bucket_id
}

output "backups_bucket" {
  description = "Bucket of the CloudNativePG backups: cnpg:database:create backup.destinationPath s3://<bucket>/<service>."
  value       = module.backups_bucket.s3_bucket_id
}

output "cnpg_backup_role_arn" {
  description = "Role the database clusters back up with: cnpg:database:create backup.roleArn."
  value       = aws_iam_role.cnpg_backup.arn
}

output "ecr_push_role_arn" {
  description = "Role the services' CI pushes images with: their AWS_ROLE_ARN repository variable."
  value       = one(aws_iam_role.ecr_push[*].arn)
}

output "ecr_repository_urls" {
  description = "ECR repository URL of each service: the templates' imageRepository."
  value       = { for name, repository in module.ecr : name => repository.repository_url }
}

output "karpenter_node_role_name" {
  description = "IAM role of the nodes Karpenter launches (EC2NodeClass spec.role in manifests/karpenter)."
  value       = module.karpenter.node_iam_role_name
}

output "karpenter_queue_name" {
  description = "SQS queue of interruption events (the Karpenter chart's settings.interruptionQueue)."
  value       = module.karpenter.queue_name
}

output "runway_kubernetes_cluster" {
  description = "This cluster as an entry of Runway's kubernetes.clusterLocatorMethods[].clusters."
  value = {
    name         = var.environment
    url          = module.eks.cluster_endpoint
    authProvider = "aws"
    caData       = module.eks.cluster_certificate_authority_data
    authMetadata = {
      "kubernetes.io/aws-assume-role" = module.runway_backend_pod_identity.iam_role_arn
      "kubernetes.io/x-k8s-aws-id"    = module.eks.cluster_name
    }
  }
}
