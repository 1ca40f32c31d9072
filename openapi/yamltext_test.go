package openapi

import (
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// TestYAMLErrorLinePinned: the loader's YAML syntax errors name their line in the text
// yamltext.go reads.
func TestYAMLErrorLinePinned(t *testing.T) {
	t.Parallel()
	_, err := openapi3.NewLoader().LoadFromData([]byte("openapi: 3.0.3\ninfo: [1, 2\npaths: {}\n"))
	if err == nil {
		t.Fatal("no error")
	}
	if line, ok := yamlErrorLine(err.Error()); !ok || line < 2 {
		t.Errorf("yamlErrorLine(%q) = %d, %v", err, line, ok)
	}
}
