package test

import (
	"regexp"
	"strconv"
	"testing"
)

// An exact chart version: no range, no "latest", no branch.
var exactVersion = regexp.MustCompile(`^v?[0-9]+\.[0-9]+\.[0-9]+$`)

func applications(t *testing.T) map[string]manifest {
	t.Helper()
	apps := map[string]manifest{}
	for _, m := range readManifests(t, "addons") {
		if m.Kind == "Application" {
			apps[m.Metadata.Name] = m
		}
	}
	if len(apps) == 0 {
		t.Fatal("no Application in addons/")
	}
	return apps
}

func wave(t *testing.T, m manifest) int {
	t.Helper()
	w, err := strconv.Atoi(m.Metadata.Annotations["argocd.argoproj.io/sync-wave"])
	if err != nil {
		t.Fatalf("%s: Application %s has no integer argocd.argoproj.io/sync-wave", m.File, m.Metadata.Name)
	}
	return w
}

func TestEveryAddonIsAPinnedChartOrAFolderOfThisRepository(t *testing.T) {
	for name, app := range applications(t) {
		source := app.Spec.Source
		switch {
		case source.Chart != "":
			if !exactVersion.MatchString(source.TargetRevision) {
				t.Errorf("%s: %s pins chart %s to %q, not an exact version", app.File, name, source.Chart, source.TargetRevision)
			}
		case source.Path != "":
			if source.TargetRevision != "main" {
				t.Errorf("%s: %s follows %q, not main", app.File, name, source.TargetRevision)
			}
		default:
			t.Errorf("%s: %s has neither a chart nor a path", app.File, name)
		}
		if app.Spec.Project != "platform" {
			t.Errorf("%s: %s is in project %q, not platform", app.File, name, app.Spec.Project)
		}
		if app.Spec.Destination.Namespace == "" {
			t.Errorf("%s: %s has no destination namespace", app.File, name)
		}
	}
}

// What each add-on needs installed (and healthy) before it: CRDs, webhooks, nodes.
var needs = map[string][]string{
	"karpenter-nodes":                       {"karpenter"},
	"kube-prometheus-stack":                 {"karpenter-nodes"},
	"cert-manager":                          {"kube-prometheus-stack"},
	"istio-cni":                             {"istio-base", "karpenter-nodes"},
	"istiod":                                {"istio-base", "istio-cni"},
	"istio-mesh":                            {"istiod"},
	"istio-ingressgateway":                  {"istiod"},
	"ingress":                               {"istio-ingressgateway", "cert-manager"},
	"argo-rollouts":                         {"kube-prometheus-stack"},
	"cloudnative-pg":                        {"kube-prometheus-stack"},
	"plugin-barman-cloud":                   {"cloudnative-pg", "cert-manager"},
	"secrets-store-csi-driver":              {"karpenter-nodes"},
	"secrets-store-csi-driver-provider-aws": {"secrets-store-csi-driver"},
	"platform-monitors":                     {"kube-prometheus-stack", "istiod", "karpenter"},
	"eck-operator":                          {"karpenter-nodes"},
	"eck-stack":                             {"eck-operator"},
	"fluent-bit":                            {"kube-prometheus-stack", "eck-stack"},
}

func TestSyncWavesInstallWhatAnAddonNeedsBeforeIt(t *testing.T) {
	apps := applications(t)
	for name, app := range apps {
		for _, dependency := range needs[name] {
			before, ok := apps[dependency]
			if !ok {
				continue // optional add-on (eck-stack, ingress) not in this environment
			}
			if wave(t, before) >= wave(t, app) {
				t.Errorf("%s (wave %d) needs %s, which syncs in wave %d: give it a later wave",
					name, wave(t, app), dependency, wave(t, before))
			}
		}
	}
}
