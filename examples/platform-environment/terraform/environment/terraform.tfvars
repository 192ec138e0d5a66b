# The staging environment. Everything account- or environment-specific is set here (or in
# backend.s3.tfbackend); the *.tf files take it from variables.
environment        = "staging"
aws_region         = "eu-west-1"
aws_account_id     = "123456789012"
vpc_cidr           = "10.0.0.0/16"
az_count           = 3
kubernetes_version = "1.36"
github_repository  = "example-org/platform-staging"
domain             = ""
log_backend        = "eck"

# CIDRs that may reach the Kubernetes API from the internet (e.g. your VPN's egress). Empty: private only.
api_public_access_cidrs = []

# One ECR repository per service, and the services' repositories (owner/name) whose CI pushes to them.
create_ecr_repositories = true
ecr_repositories        = []
service_repositories    = []
