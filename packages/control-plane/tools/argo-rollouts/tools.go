//go:build tools

// Package tools pins the Argo Rollouts controller, repeating the `replace` block of its go.mod
// (go install module@version refuses modules with replace directives).
package tools

import _ "github.com/argoproj/argo-rollouts/cmd/rollouts-controller"
