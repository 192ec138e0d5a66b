package test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gruntwork-io/terratest/modules/files"
	"github.com/gruntwork-io/terratest/modules/terraform"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// awsCredentials tells whether the environment carries AWS credentials (a profile, static keys, or
// the web identity token that aws-actions/configure-aws-credentials and EKS set).
func awsCredentials() bool {
	for _, name := range []string{"AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI"} {
		if os.Getenv(name) != "" {
			return true
		}
	}
	return false
}

// planEnvironment plans terraform/environment with terraform.tfvars against an empty state (a
// local backend in a copy of the module), so the plan shows everything the module creates. It
// needs read access to the account (availability zones, Route 53 zone, OIDC provider), nothing
// more. Skipped without AWS credentials.
func planEnvironment(t *testing.T) *terraform.PlanStruct {
	t.Helper()
	if !awsCredentials() {
		t.Skip("no AWS credentials (AWS_PROFILE, AWS_ACCESS_KEY_ID or AWS_WEB_IDENTITY_TOKEN_FILE): plan tests need read access to the account")
	}
	module, err := filepath.Abs(filepath.Join(repoRoot, "terraform/environment"))
	require.NoError(t, err)
	// The copy leaves out state and terraform.tfvars, which the plan reads from the module.
	dir, err := files.CopyTerraformFolderToTemp(module, t.Name())
	require.NoError(t, err)
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	require.NoError(t, os.WriteFile(filepath.Join(dir, "backend_override.tf"),
		[]byte("terraform {\n  backend \"local\" {}\n}\n"), 0o644))
	binary := os.Getenv("TERRAFORM_BINARY")
	if binary == "" {
		binary = "tofu"
	}
	return terraform.InitAndPlanAndShowWithStructNoLogTempPlanFile(t, &terraform.Options{
		TerraformDir:    dir,
		TerraformBinary: binary,
		VarFiles:        []string{filepath.Join(module, "terraform.tfvars")},
		NoColor:         true,
	})
}

func TestEnvironmentPlan(t *testing.T) {
	plan := planEnvironment(t)

	t.Run("the Kubernetes API is private unless CIDRs are allowed", func(t *testing.T) {
		cluster := plan.ResourcePlannedValuesMap["module.eks.aws_eks_cluster.this[0]"]
		require.NotNil(t, cluster, "the plan creates no EKS cluster")
		vpc := cluster.AttributeValues["vpc_config"].([]interface{})[0].(map[string]interface{})
		assert.Equal(t, true, vpc["endpoint_private_access"])
		public := plan.RawPlan.Variables["api_public_access_cidrs"].Value.([]interface{})
		assert.Equal(t, len(public) > 0, vpc["endpoint_public_access"])
	})

	t.Run("Kubernetes secrets are encrypted with KMS", func(t *testing.T) {
		cluster := plan.ResourcePlannedValuesMap["module.eks.aws_eks_cluster.this[0]"]
		require.NotNil(t, cluster)
		encryption := cluster.AttributeValues["encryption_config"].([]interface{})
		require.Len(t, encryption, 1)
		assert.Equal(t, []interface{}{"secrets"}, encryption[0].(map[string]interface{})["resources"])
	})

	t.Run("the managed node group takes only system pods", func(t *testing.T) {
		group := plan.ResourcePlannedValuesMap[`module.eks.module.eks_managed_node_group["system"].aws_eks_node_group.this[0]`]
		require.NotNil(t, group, "the plan creates no system node group")
		taints := group.AttributeValues["taint"].([]interface{})
		require.Len(t, taints, 1)
		assert.Equal(t, "CriticalAddonsOnly", taints[0].(map[string]interface{})["key"])
		assert.Equal(t, "NO_SCHEDULE", taints[0].(map[string]interface{})["effect"])
	})

	t.Run("Karpenter's queue and node role have the names the add-ons use", func(t *testing.T) {
		queue := plan.ResourcePlannedValuesMap["module.karpenter.aws_sqs_queue.this[0]"]
		require.NotNil(t, queue)
		environment := plan.RawPlan.Variables["environment"].Value.(string)
		assert.Equal(t, environment+"-karpenter", queue.AttributeValues["name"])
		role := plan.ResourcePlannedValuesMap["module.karpenter.aws_iam_role.node[0]"]
		require.NotNil(t, role)
		assert.Equal(t, environment+"-karpenter-node", role.AttributeValues["name"])
	})

	t.Run("buckets block public access", func(t *testing.T) {
		for _, bucket := range []string{"module.backups_bucket", "module.techdocs_bucket"} {
			block := plan.ResourcePlannedValuesMap[bucket+".aws_s3_bucket_public_access_block.this[0]"]
			require.NotNil(t, block, bucket)
			for _, setting := range []string{"block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"} {
				assert.Equal(t, true, block.AttributeValues[setting], bucket+" "+setting)
			}
		}
	})
}
