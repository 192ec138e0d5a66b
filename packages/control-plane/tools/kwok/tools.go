//go:build tools

// Package tools pins kwok (simulated nodes: pods become Running and Ready without a kubelet).
package tools

import _ "sigs.k8s.io/kwok/cmd/kwok"
