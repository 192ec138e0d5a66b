# Remote state in S3 with S3-native locking (a lock file beside the state, no DynamoDB table).
# Partial configuration: the bucket and region come from backend.s3.tfbackend
# (`tofu init -backend-config=backend.s3.tfbackend`), so no account-specific value lives in
# the module. The bucket is created by ../bootstrap.
terraform {
  backend "s3" {
    key          = "environment/terraform.tfstate"
    encrypt      = true
    use_lockfile = true
  }
}
