// Command hclfacts prints, as JSON, the facts of a Terraform/OpenTofu module that the template
// harness checks: its terraform settings (required version, required providers, backend), its
// variables (type and description as written), module calls (source, version, argument names),
// providers, resources, outputs and every literal value in its expressions (for the scan for
// hard-coded credentials and account ids).
//
// It parses with HashiCorp's HCL parser (github.com/hashicorp/hcl/v2) and evaluates nothing: a
// value that is not a literal is reported as absent. Usage:
//
//	hclfacts <module dir>...
//
// Each directory's *.tf files (not subdirectories) form one module. Parse errors are reported
// in the facts ("diagnostics"), so one bad file does not hide the others.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// Position is where something is declared.
type Position struct {
	File string `json:"file"`
	Line int    `json:"line"`
}

// Provider is one entry of required_providers.
type Provider struct {
	Source  *string `json:"source"`
	Version *string `json:"version"`
}

// Backend is the terraform block's backend.
type Backend struct {
	Type       string            `json:"type"`
	Attributes map[string]string `json:"attributes"`
	Position
}

// Terraform holds the settings of the module's terraform blocks.
type Terraform struct {
	RequiredVersion   *string             `json:"requiredVersion"`
	RequiredProviders map[string]Provider `json:"requiredProviders"`
	Backend           *Backend            `json:"backend"`
}

// Variable is one input variable.
type Variable struct {
	Name        string  `json:"name"`
	Type        *string `json:"type"`
	Description *string `json:"description"`
	HasDefault  bool    `json:"hasDefault"`
	Sensitive   bool    `json:"sensitive"`
	Validations int     `json:"validations"`
	Position
}

// ModuleCall is one module block.
type ModuleCall struct {
	Name      string   `json:"name"`
	Source    *string  `json:"source"`
	Version   *string  `json:"version"`
	Arguments []string `json:"arguments"`
	Position
}

// Block is a resource, data source, provider, output or locals block.
type Block struct {
	Kind      string   `json:"kind"`
	Labels    []string `json:"labels"`
	Arguments []string `json:"arguments"`
	// Values of the arguments that are literals (strings, numbers, bools).
	Literals map[string]string `json:"literals"`
	Position
}

// Literal is a literal value in an expression (a string part of a template, a number, a bool).
type Literal struct {
	Value string `json:"value"`
	Position
}

// ModuleReference is a `module.<name>.<output>` reference in an expression.
type ModuleReference struct {
	Module string `json:"module"`
	Output string `json:"output"`
	Position
}

// Facts of one module directory.
type Facts struct {
	Dir         string            `json:"dir"`
	Files       []string          `json:"files"`
	Terraform   Terraform         `json:"terraform"`
	Variables   []Variable        `json:"variables"`
	Modules     []ModuleCall      `json:"modules"`
	Blocks      []Block           `json:"blocks"`
	Literals    []Literal         `json:"literals"`
	References  []ModuleReference `json:"references"`
	Diagnostics []string          `json:"diagnostics"`
}

// moduleMeta are the meta-arguments of a module block, not variables of the called module.
var moduleMeta = map[string]bool{
	"source": true, "version": true, "count": true, "for_each": true,
	"providers": true, "depends_on": true,
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: hclfacts <module dir>...")
		os.Exit(2)
	}
	var all []Facts
	for _, dir := range os.Args[1:] {
		facts, err := moduleFacts(dir)
		if err != nil {
			fmt.Fprintln(os.Stderr, "hclfacts:", err)
			os.Exit(1)
		}
		all = append(all, facts)
	}
	out := json.NewEncoder(os.Stdout)
	out.SetIndent("", "  ")
	if err := out.Encode(all); err != nil {
		fmt.Fprintln(os.Stderr, "hclfacts:", err)
		os.Exit(1)
	}
}

func moduleFacts(dir string) (Facts, error) {
	facts := Facts{
		Dir:         dir,
		Files:       []string{},
		Terraform:   Terraform{RequiredProviders: map[string]Provider{}},
		Variables:   []Variable{},
		Modules:     []ModuleCall{},
		Blocks:      []Block{},
		Literals:    []Literal{},
		References:  []ModuleReference{},
		Diagnostics: []string{},
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.tf"))
	if err != nil {
		return facts, err
	}
	sort.Strings(files)
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			return facts, err
		}
		name := filepath.Base(path)
		facts.Files = append(facts.Files, name)
		file, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
		for _, d := range diags {
			facts.Diagnostics = append(facts.Diagnostics, d.Error())
		}
		if file == nil {
			continue
		}
		body := file.Body.(*hclsyntax.Body)
		for _, block := range body.Blocks {
			addBlock(&facts, block, src)
		}
		facts.Literals = append(facts.Literals, literals(body, name)...)
		facts.References = append(facts.References, moduleReferences(body, name)...)
	}
	return facts, nil
}

func pos(r hcl.Range) Position {
	return Position{File: r.Filename, Line: r.Start.Line}
}

func addBlock(facts *Facts, block *hclsyntax.Block, src []byte) {
	switch block.Type {
	case "terraform":
		addTerraform(facts, block)
	case "variable":
		v := Variable{Name: label(block, 0), Position: pos(block.DefRange())}
		if attr, ok := block.Body.Attributes["type"]; ok {
			text := strings.TrimSpace(string(attr.Expr.Range().SliceBytes(src)))
			v.Type = &text
		}
		v.Description = stringAttr(block.Body, "description")
		_, v.HasDefault = block.Body.Attributes["default"]
		if attr, ok := block.Body.Attributes["sensitive"]; ok {
			if val, diags := attr.Expr.Value(nil); !diags.HasErrors() && val.Type() == cty.Bool {
				v.Sensitive = val.True()
			}
		}
		for _, b := range block.Body.Blocks {
			if b.Type == "validation" {
				v.Validations++
			}
		}
		facts.Variables = append(facts.Variables, v)
	case "module":
		m := ModuleCall{
			Name:      label(block, 0),
			Source:    stringAttr(block.Body, "source"),
			Version:   stringAttr(block.Body, "version"),
			Arguments: []string{},
			Position:  pos(block.DefRange()),
		}
		for name := range block.Body.Attributes {
			if !moduleMeta[name] {
				m.Arguments = append(m.Arguments, name)
			}
		}
		sort.Strings(m.Arguments)
		facts.Modules = append(facts.Modules, m)
	default:
		b := Block{
			Kind:      block.Type,
			Labels:    append([]string{}, block.Labels...),
			Arguments: []string{},
			Literals:  map[string]string{},
			Position:  pos(block.DefRange()),
		}
		for name, attr := range block.Body.Attributes {
			b.Arguments = append(b.Arguments, name)
			if v := literalString(attr.Expr); v != nil {
				b.Literals[name] = *v
			}
		}
		for _, nested := range block.Body.Blocks {
			b.Arguments = append(b.Arguments, nested.Type)
		}
		sort.Strings(b.Arguments)
		b.Arguments = dedupe(b.Arguments)
		facts.Blocks = append(facts.Blocks, b)
	}
}

func addTerraform(facts *Facts, block *hclsyntax.Block) {
	if v := stringAttr(block.Body, "required_version"); v != nil {
		facts.Terraform.RequiredVersion = v
	}
	for _, nested := range block.Body.Blocks {
		switch nested.Type {
		case "required_providers":
			for name, attr := range nested.Body.Attributes {
				p := Provider{}
				if obj, ok := attr.Expr.(*hclsyntax.ObjectConsExpr); ok {
					for _, item := range obj.Items {
						key := hcl.ExprAsKeyword(item.KeyExpr)
						if key == "" {
							if v, d := item.KeyExpr.Value(nil); !d.HasErrors() && v.Type() == cty.String {
								key = v.AsString()
							}
						}
						value := literalString(item.ValueExpr)
						switch key {
						case "source":
							p.Source = value
						case "version":
							p.Version = value
						}
					}
				}
				facts.Terraform.RequiredProviders[name] = p
			}
		case "backend":
			b := &Backend{
				Type:       label(nested, 0),
				Attributes: map[string]string{},
				Position:   pos(nested.DefRange()),
			}
			for name, attr := range nested.Body.Attributes {
				if v := literalString(attr.Expr); v != nil {
					b.Attributes[name] = *v
				} else {
					b.Attributes[name] = ""
				}
			}
			facts.Terraform.Backend = b
		}
	}
}

func label(block *hclsyntax.Block, i int) string {
	if i < len(block.Labels) {
		return block.Labels[i]
	}
	return ""
}

func stringAttr(body *hclsyntax.Body, name string) *string {
	attr, ok := body.Attributes[name]
	if !ok {
		return nil
	}
	return literalString(attr.Expr)
}

// literalString is the value of an expression that needs no variables and is a string (or a
// number or bool, written as a string); nil otherwise.
func literalString(expr hcl.Expression) *string {
	val, diags := expr.Value(nil)
	if diags.HasErrors() || !val.IsKnown() || val.IsNull() {
		return nil
	}
	switch val.Type() {
	case cty.String:
		s := val.AsString()
		return &s
	case cty.Number:
		s := val.AsBigFloat().Text('f', -1)
		return &s
	case cty.Bool:
		s := fmt.Sprint(val.True())
		return &s
	}
	return nil
}

// literals are the literal strings and numbers anywhere in the body's expressions, including
// the literal parts of templates ("arn:aws:iam::${var.account}:root" gives "arn:aws:iam::" and
// ":root").
func literals(body *hclsyntax.Body, file string) []Literal {
	var out []Literal
	_ = hclsyntax.VisitAll(body, func(node hclsyntax.Node) hcl.Diagnostics {
		lit, ok := node.(*hclsyntax.LiteralValueExpr)
		if !ok {
			return nil
		}
		if v := literalString(lit); v != nil && lit.Val.Type() != cty.Bool {
			out = append(out, Literal{Value: *v, Position: Position{File: file, Line: lit.SrcRange.Start.Line}})
		}
		return nil
	})
	return out
}

// moduleReferences are the `module.<name>.<output>` traversals in the body's expressions.
func moduleReferences(body *hclsyntax.Body, file string) []ModuleReference {
	var out []ModuleReference
	_ = hclsyntax.VisitAll(body, func(node hclsyntax.Node) hcl.Diagnostics {
		expr, ok := node.(*hclsyntax.ScopeTraversalExpr)
		if !ok || len(expr.Traversal) < 3 || expr.Traversal.RootName() != "module" {
			return nil
		}
		name, ok1 := expr.Traversal[1].(hcl.TraverseAttr)
		output, ok2 := expr.Traversal[2].(hcl.TraverseAttr)
		if ok1 && ok2 {
			out = append(out, ModuleReference{
				Module: name.Name, Output: output.Name,
				Position: Position{File: file, Line: expr.SrcRange.Start.Line},
			})
		}
		return nil
	})
	return out
}

func dedupe(sorted []string) []string {
	out := sorted[:0]
	for i, s := range sorted {
		if i == 0 || s != sorted[i-1] {
			out = append(out, s)
		}
	}
	return out
}
