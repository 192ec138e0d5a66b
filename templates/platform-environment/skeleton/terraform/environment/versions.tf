terraform {
  # S3 state locking with a lock file (backend "s3" use_lockfile) needs OpenTofu >= 1.10
  # (or Terraform >= 1.11).
  required_version = ">= 1.10.0"

  # Exact versions: a provider upgrade is a reviewed change to this file. `make lock` records
  # their checksums in .terraform.lock.hcl; commit it.
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.57.0"
    }
    helm = {
      source  = "hashicorp/helm"
      version = "3.1.2"
    }
    time = {
      source  = "hashicorp/time"
      version = "0.14.2"
    }
    tls = {
      source  = "hashicorp/tls"
      version = "4.2.1"
    }
  }
}
