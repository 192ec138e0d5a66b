//go:build tools

// Package tools pins the OpenTofu CLI this module builds.
package tools

import _ "github.com/opentofu/opentofu/cmd/tofu"
