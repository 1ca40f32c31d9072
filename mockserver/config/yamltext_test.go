package config

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestYAMLTextPinned drives the YAML libraries to each error whose text yamltext.go reads,
// so an upgrade that rewords one fails here.
func TestYAMLTextPinned(t *testing.T) {
	t.Parallel()
	var v any
	syntaxList := yaml.Unmarshal([]byte("a: [1, 2\nb: 3\n"), &v)
	syntaxIndent := yaml.Unmarshal([]byte("a: 1\n b: 2\n  - c\n"), &v)
	for _, err := range []error{syntaxList, syntaxIndent} {
		if err == nil || !strings.HasPrefix(err.Error(), yamlPrefix) {
			t.Fatalf("syntax error %v does not start with %q", err, yamlPrefix)
		}
		if line, msg, ok := yamlLineMessage(err.Error()); !ok || line < 1 || msg == "" {
			t.Errorf("yamlLineMessage(%q) = %d, %q, %v", err, line, msg, ok)
		}
	}

	var target pinnedTarget
	dec := yaml.NewDecoder(bytes.NewReader([]byte("seed: many\nextra: 1\n")))
	dec.KnownFields(true)
	var te *yaml.TypeError
	if err := dec.Decode(&target); !errors.As(err, &te) || len(te.Errors) != 2 {
		t.Fatalf("decode: %v, want a TypeError with two rows", err)
	}
	line, msg, ok := yamlLineMessage(te.Errors[0])
	if !ok || line != 1 {
		t.Fatalf("row %q: line %d, %v", te.Errors[0], line, ok)
	}
	if tag, value, goType, ok := yamlCannotUnmarshal(msg); !ok || tag != "str" || value != "many" || goType != "uint64" {
		t.Errorf("yamlCannotUnmarshal(%q) = %q %q %q %v", msg, tag, value, goType, ok)
	}
	line, msg, ok = yamlLineMessage(te.Errors[1])
	if !ok || line != 2 {
		t.Fatalf("row %q: line %d, %v", te.Errors[1], line, ok)
	}
	if key, goType, ok := yamlUnknownKey(msg); !ok || key != "extra" || goType != "config.pinnedTarget" {
		t.Errorf("yamlUnknownKey(%q) = %q %q %v", msg, key, goType, ok)
	}
}

// pinnedTarget is a named type, as the config's sections are: the unknown-key error names it.
type pinnedTarget struct {
	Seed uint64 `yaml:"seed"`
}
