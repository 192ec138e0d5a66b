variable "environment" {
  type        = string
  description = "Name of the environment whose state bucket and workflow roles this creates."
}

variable "aws_region" {
  type        = string
  description = "AWS region of the state bucket."
}

variable "aws_account_id" {
  type        = string
  description = "The AWS account of the environment; the provider refuses credentials of any other account."

  validation {
    condition     = can(regex("^[0-9]{12}$", var.aws_account_id))
    error_message = "aws_account_id must be the 12-digit account id."
  }
}

variable "github_repository" {
  type        = string
  description = "This repository (owner/name), whose workflow assumes the plan and apply roles."

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))
    error_message = "github_repository must be owner/name."
  }
}

variable "create_github_oidc_provider" {
  type        = bool
  description = "Create the account's GitHub Actions OIDC provider; false when another environment in the same account created it."
  default     = true
}
