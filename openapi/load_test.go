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

// TestLoadBadExample pins lenient loading: an example that breaks its schema is a warning
// with file and line, removed from the model; strict loading refuses it at that line.
func TestLoadBadExample(t *testing.T) {
	t.Parallel()
	path := filepath.Join("testdata", "broken", "bad-example.yaml")
	d, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	want := `testdata/broken/bad-example.yaml:19: getX: response 200 application/json example breaks its schema (value field /id must be of type integer); it is not used, values are synthesized instead (invalid-example)`
	if len(d.Warnings) != 2 || d.Warnings[0].String() != want || d.Warnings[1].Kind != NoClientError {
		t.Fatalf("warnings = %v, want [%s, no-client-error]", d.Warnings, want)
	}
	op, _ := d.Operation("getX")
	if ex := MediaExamples(op.Operation.Responses.Value("200").Value.Content["application/json"]); len(ex) != 0 {
		t.Errorf("the invalid example is still served: %v", ex)
	}
	_, err = LoadWith(path, LoadOptions{Strict: true})
	var le *LoadError
	if !errors.As(err, &le) || le.Line != 19 || !regexp.MustCompile(`^testdata/broken/bad-example\.yaml:19: getX: .*\(invalid-example\)$`).MatchString(err.Error()) {
		t.Errorf("strict: %v, want a LoadError at line 19", err)
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
