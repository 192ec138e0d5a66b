environment       = "${{ values.environment }}"
aws_region        = "${{ values.awsRegion }}"
aws_account_id    = "${{ values.awsAccountId }}"
github_repository = "${{ values.repoOwner }}/${{ values.repoName }}"

# Set to false when another environment in this account already created it.
create_github_oidc_provider = true
