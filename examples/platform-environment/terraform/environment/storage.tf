# CloudNativePG backups: base backups and WAL of every service database, one prefix per
# service and environment (cnpg:database:create's backup.destinationPath). Versioned, so a
# deleted or overwritten object can be recovered; old versions expire after 30 days.
module "backups_bucket" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "5.15.4"

  bucket = "${local.bucket_prefix}-pg-backups"

  versioning = {
    enabled = true
  }
  server_side_encryption_configuration = {
    rule = {
      apply_server_side_encryption_by_default = {
        sse_algorithm = "aws:kms"
      }
      bucket_key_enabled = true
    }
  }
  lifecycle_rule = [{
    id      = "expire-noncurrent"
    enabled = true
    noncurrent_version_expiration = {
      noncurrent_days = 30
    }
  }]

  attach_deny_insecure_transport_policy = true
  block_public_acls                     = true
  block_public_policy                   = true
  ignore_public_acls                    = true
  restrict_public_buckets               = true
  control_object_ownership              = true
  object_ownership                      = "BucketOwnerEnforced"
}

# TechDocs that Runway's backend generates and publishes (techdocs.publisher.awsS3).
module "techdocs_bucket" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "5.15.4"

  bucket = "${local.bucket_prefix}-techdocs"

  server_side_encryption_configuration = {
    rule = {
      apply_server_side_encryption_by_default = {
        sse_algorithm = "AES256"
      }
    }
  }

  attach_deny_insecure_transport_policy = true
  block_public_acls                     = true
  block_public_policy                   = true
  ignore_public_acls                    = true
  restrict_public_buckets               = true
  control_object_ownership              = true
  object_ownership                      = "BucketOwnerEnforced"
}
