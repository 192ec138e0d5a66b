//go:build tools

// Package tools pins kube-apiserver, kube-controller-manager and kube-scheduler: k8s.io/kubernetes at one
// release, with each k8s.io/* staging module (its go.mod's `=> ./staging/...` lines) replaced by the published
// module of the same release.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
)
