// Tests of this repository. Offline tests (addons_test.go, terraform_test.go) always run: they read
// the files. Plan tests (plan_test.go) need AWS credentials and OpenTofu and are skipped, with the
// reason, without them.
package test

import (
	"os"
	"path/filepath"
	"sort"
	"testing"

	"gopkg.in/yaml.v3"
)

// repoRoot is the repository, one level above this package.
const repoRoot = ".."

// manifest is the part of a Kubernetes object the tests read.
type manifest struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Metadata   struct {
		Name        string            `yaml:"name"`
		Namespace   string            `yaml:"namespace"`
		Annotations map[string]string `yaml:"annotations"`
	} `yaml:"metadata"`
	Spec struct {
		Project string `yaml:"project"`
		Source  struct {
			RepoURL        string `yaml:"repoURL"`
			Chart          string `yaml:"chart"`
			TargetRevision string `yaml:"targetRevision"`
			Path           string `yaml:"path"`
		} `yaml:"source"`
		Destination struct {
			Namespace string `yaml:"namespace"`
		} `yaml:"destination"`
	} `yaml:"spec"`
	File string `yaml:"-"`
}

// readManifests parses every YAML document of the *.yaml files under dir (recursively).
func readManifests(t *testing.T, dir string) []manifest {
	t.Helper()
	var files []string
	err := filepath.WalkDir(filepath.Join(repoRoot, dir), func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Ext(path) == ".yaml" {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatalf("reading %s: %v", dir, err)
	}
	sort.Strings(files)
	var out []manifest
	for _, file := range files {
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		decoder := yaml.NewDecoder(f)
		for {
			var m manifest
			if err := decoder.Decode(&m); err != nil {
				if err.Error() == "EOF" {
					break
				}
				t.Fatalf("%s: %v", file, err)
			}
			if m.Kind != "" {
				m.File = file
				out = append(out, m)
			}
		}
		f.Close()
	}
	return out
}
