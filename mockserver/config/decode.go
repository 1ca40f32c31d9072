package config

import (
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// The rule types decode themselves from YAML nodes so they can record the line they came
// from. yaml.v3 does not pass its strict mode (KnownFields) on to custom unmarshalers, so
// strictDecode checks the keys itself. Problems are returned as *yaml.TypeError, which the
// decoder collects and continues: a file's problems are all reported in one pass.

// typeErr returns a located problem in the form the YAML decoder collects.
func typeErr(n *yaml.Node, format string, args ...any) *yaml.TypeError {
	return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: %s", n.Line, fmt.Sprintf(format, args...))}}
}

// joinTypeErrs merges problems into one *yaml.TypeError, or nil when there are none.
func joinTypeErrs(errs ...error) error {
	var out []string
	for _, err := range errs {
		if err == nil {
			continue
		}
		var te *yaml.TypeError
		if errors.As(err, &te) {
			out = append(out, te.Errors...)
		} else {
			out = append(out, err.Error())
		}
	}
	if len(out) == 0 {
		return nil
	}
	return &yaml.TypeError{Errors: out}
}

// strictDecode decodes the mapping n into out (a pointer to a struct type without its own
// UnmarshalYAML), failing on keys the struct does not declare. what names the mapping in
// messages ("rule", "match"); extra lists keys the caller decodes itself.
func strictDecode(n *yaml.Node, out any, what string, extra ...string) error {
	if n.Kind != yaml.MappingNode {
		return typeErr(n, "%s must be a mapping, not %s", what, kindName(n))
	}
	known := yamlKeys(reflect.TypeOf(out).Elem())
	for _, k := range extra {
		known[k] = true
	}
	var errs []error
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if !known[k.Value] && k.Value != "<<" { // "<<" merges an anchor; the decoder handles it
			errs = append(errs, typeErr(k, "unknown key %q in %s (known keys: %s)", k.Value, what, strings.Join(slices.Sorted(maps.Keys(known)), ", ")))
		}
	}
	// Decode the known keys anyway, so the caller can check the rest in the same pass.
	if err := n.Decode(out); err != nil {
		var te *yaml.TypeError
		if !errors.As(err, &te) {
			return err
		}
		errs = append(errs, te)
	}
	return joinTypeErrs(errs...)
}

func yamlKeys(t reflect.Type) map[string]bool {
	keys := map[string]bool{}
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name != "" && name != "-" {
			keys[name] = true
		}
	}
	return keys
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	return fmt.Sprintf("the value %q", n.Value)
}
