//go:build tools

// Package tools pins etcd: go.etcd.io/etcd/server/v3 (the etcd binary), with the four sibling modules its
// go.mod replaces by relative paths replaced by their published modules of the same release.
package tools

import _ "go.etcd.io/etcd/server/v3"
