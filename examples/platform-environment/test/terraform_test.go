package test

import (
	"path/filepath"
	"regexp"
	"testing"

	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

var modules = []string{"terraform/bootstrap", "terraform/environment"}

// parseModule parses every *.tf file of a module folder.
func parseModule(t *testing.T, dir string) []*hclsyntax.Body {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(repoRoot, dir, "*.tf"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no *.tf in %s", dir)
	}
	parser := hclparse.NewParser()
	var bodies []*hclsyntax.Body
	for _, file := range files {
		f, diags := parser.ParseHCLFile(file)
		if diags.HasErrors() {
			t.Fatalf("%s: %s", file, diags.Error())
		}
		bodies = append(bodies, f.Body.(*hclsyntax.Body))
	}
	return bodies
}

func blocks(bodies []*hclsyntax.Body, kind string) []*hclsyntax.Block {
	var out []*hclsyntax.Block
	for _, body := range bodies {
		for _, b := range body.Blocks {
			if b.Type == kind {
				out = append(out, b)
			}
		}
	}
	return out
}

func literal(t *testing.T, attr *hclsyntax.Attribute) string {
	t.Helper()
	value, diags := attr.Expr.Value(nil)
	if diags.HasErrors() || !value.Type().IsPrimitiveType() {
		return ""
	}
	return value.AsString()
}

func TestEveryVariableIsTypedAndDescribed(t *testing.T) {
	for _, dir := range modules {
		for _, v := range blocks(parseModule(t, dir), "variable") {
			name := v.Labels[0]
			if _, ok := v.Body.Attributes["type"]; !ok {
				t.Errorf("%s: variable %q has no type", dir, name)
			}
			if d, ok := v.Body.Attributes["description"]; !ok || literal(t, d) == "" {
				t.Errorf("%s: variable %q has no description", dir, name)
			}
		}
	}
}

// A provider or module version that names one release.
var exact = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+$`)

func TestEveryProviderAndModuleVersionIsExact(t *testing.T) {
	for _, dir := range modules {
		bodies := parseModule(t, dir)
		for _, tf := range blocks(bodies, "terraform") {
			for _, rp := range tf.Body.Blocks {
				if rp.Type != "required_providers" {
					continue
				}
				for name, attr := range rp.Body.Attributes {
					value, diags := attr.Expr.Value(nil)
					if diags.HasErrors() || !value.Type().IsObjectType() || !value.Type().HasAttribute("version") {
						t.Errorf("%s: provider %s has no version", dir, name)
						continue
					}
					if v := value.GetAttr("version").AsString(); !exact.MatchString(v) {
						t.Errorf("%s: provider %s version %q is not exact", dir, name, v)
					}
				}
			}
		}
		for _, m := range blocks(bodies, "module") {
			version, ok := m.Body.Attributes["version"]
			if !ok || !exact.MatchString(literal(t, version)) {
				t.Errorf("%s: module %q is not pinned to an exact version", dir, m.Labels[0])
			}
		}
	}
}

func TestTheEnvironmentKeepsItsStateInS3WithLocking(t *testing.T) {
	var backend *hclsyntax.Block
	for _, tf := range blocks(parseModule(t, "terraform/environment"), "terraform") {
		for _, b := range tf.Body.Blocks {
			if b.Type == "backend" {
				backend = b
			}
		}
	}
	if backend == nil || backend.Labels[0] != "s3" {
		t.Fatal(`terraform/environment has no backend "s3"`)
	}
	for _, name := range []string{"use_lockfile", "encrypt"} {
		attr, ok := backend.Body.Attributes[name]
		if !ok {
			t.Errorf("backend s3: %s is not set", name)
			continue
		}
		if value, diags := attr.Expr.Value(nil); diags.HasErrors() || !value.True() {
			t.Errorf("backend s3: %s must be true", name)
		}
	}
}
