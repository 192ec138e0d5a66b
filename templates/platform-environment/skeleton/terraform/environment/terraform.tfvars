# The ${{ values.environment }} environment. Everything account- or environment-specific is set here (or in
# backend.s3.tfbackend); the *.tf files take it from variables.
environment        = "${{ values.environment }}"
aws_region         = "${{ values.awsRegion }}"
aws_account_id     = "${{ values.awsAccountId }}"
vpc_cidr           = "${{ values.vpcCidr }}"
az_count           = ${{ values.azCount }}
kubernetes_version = "${{ values.kubernetesVersion }}"
github_repository  = "${{ values.repoOwner }}/${{ values.repoName }}"
domain             = "${{ values.domain }}"
log_backend        = "${{ values.logBackend }}"

# CIDRs that may reach the Kubernetes API from the internet (e.g. your VPN's egress). Empty: private only.
api_public_access_cidrs = []

# One ECR repository per service, and the services' repositories (owner/name) whose CI pushes to them.
create_ecr_repositories = ${{ values.createEcrRepositories }}
ecr_repositories        = []
service_repositories    = []
