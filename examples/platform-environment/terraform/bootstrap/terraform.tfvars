environment       = "staging"
aws_region        = "eu-west-1"
aws_account_id    = "123456789012"
github_repository = "example-org/platform-staging"

# Set to false when another environment in this account already created it.
create_github_oidc_provider = true
