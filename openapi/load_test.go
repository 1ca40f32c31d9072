package openapi

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

func TestDefault(t *testing.T) {
	t.Parallel()
	d, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	op, ok := d.Operation("createProjectHook")
	if !ok {
		t.Fatal("createProjectHook not found")
	}
	if op.Method != "POST" || op.Path != "/v1/{project_id}/git/repos/{namespace}/{project}/hooks" {
		t.Errorf("operation = %s %s", op.Method, op.Path)
	}
	if d.Source != DefaultSource {
		t.Errorf("source = %q", d.Source)
	}
}

// TestLoadErrors pins that a broken document is reported with its file and, where the
// problem has one, its line.
func TestLoadErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file     string
		wantLine int    // 0: any
		wantText string // regexp the message must match
	}{
		{file: "yaml-syntax.yaml", wantText: `yaml-syntax\.yaml:\d+: .*`},
		{file: "bad-example.yaml", wantLine: 13, wantText: `^testdata/broken/bad-example\.yaml:13:\d+: .*invalid example: Error at "/id": value must be an integer$`},
		{file: "missing-ref.yaml", wantText: `missing-ref\.yaml.*Nope`},
		{file: "path-params.yaml", wantLine: 6, wantText: `path-params\.yaml:6:\d+: .*path parameter`},
		{file: "swagger2.yaml", wantText: `swagger2\.yaml.*`},
		{file: "does-not-exist.yaml", wantText: `does-not-exist\.yaml: .*no such file`},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join("testdata", "broken", tt.file)
			_, err := Load(path)
			if err == nil {
				t.Fatalf("Load(%s) succeeded, want an error", path)
			}
			var le *LoadError
			if !errors.As(err, &le) || le.File != path {
				t.Fatalf("Load(%s) error %T %v, want *LoadError naming the file", path, err, err)
			}
			if tt.wantLine > 0 && le.Line != tt.wantLine {
				t.Errorf("line = %d, want %d (%v)", le.Line, tt.wantLine, err)
			}
			if !regexp.MustCompile(tt.wantText).MatchString(err.Error()) {
				t.Errorf("message %q does not match %q", err, tt.wantText)
			}
		})
	}
}

func TestLoadEmbeddedCopyFromFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "hooks.yaml")
	if err := os.WriteFile(path, HooksYAML(), 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Operations) != 1 || d.Source != path {
		t.Errorf("operations = %d, source = %q", len(d.Operations), d.Source)
	}
}
