output "state_bucket" {
  description = "Bucket of the environment's state (backend.s3.tfbackend of terraform/environment)."
  value       = module.state_bucket.s3_bucket_id
}

output "plan_role_arn" {
  description = "The workflow's TERRAFORM_PLAN_ROLE_ARN repository variable."
  value       = aws_iam_role.plan.arn
}

output "apply_role_arn" {
  description = "The workflow's TERRAFORM_APPLY_ROLE_ARN variable of the GitHub environment."
  value       = aws_iam_role.apply.arn
}
