package openapi

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestDescriptionRefs: a description or summary given as {$ref: file} loads with the local
// file's text (or "" where hermetic loading refuses the file), each with a description-ref
// warning at its line, and --strict refuses the document naming the first one's file:line.
func TestDescriptionRefs(t *testing.T) {
	t.Parallel()
	const path = "testdata/realworld/descriptionrefs.yaml"
	d, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join("testdata/realworld/descriptions", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	op, ok := d.Operation("listWidgets")
	if !ok {
		t.Fatal("listWidgets missing")
	}
	limit := op.Parameters()[0].Value
	tests := []struct {
		name, got, want string
	}{
		{"info description (block style)", d.T.Info.Description, read("intro.md")},
		{"tag description", d.T.Tags.Get("widgets").Description, read("tags-widgets.md")},
		{"remote tag description", d.T.Tags.Get("remote").Description, ""},
		{"a file's fragment", d.T.Tags.Get("fragments").Description, "Widgets are made here.\nIn three sizes.\n"},
		{"this document's fragment", d.T.Tags.Get("local-fragment").Description, "Widgets, described in this document."},
		{"a fragment that is no text", d.T.Tags.Get("not-a-text").Description, ""},
		{"missing file", op.Operation.Summary, ""},
		{"operation description", op.Operation.Description, read("tags-widgets.md")},
		{"file outside the folder", limit.Description, ""},
		{"response description", *op.Operation.Responses.Status(200).Value.Description, read("intro.md")},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
	// A property named description is a schema, not a text: left alone.
	prop := d.T.Components.Schemas["Widget"].Value.Properties["description"]
	if prop == nil || prop.Ref != "#/components/schemas/Text" {
		t.Errorf("property description rewritten: %+v", prop)
	}
	var lines []int
	for _, w := range d.Warnings {
		if w.Kind == DescriptionRef {
			lines = append(lines, w.Line)
			if strings.Contains(w.Message, "Widgets are") || strings.Contains(w.Message, "hookkit") && strings.Contains(w.Message, "openapi: 3") {
				t.Errorf("warning quotes a file's text: %s", w)
			}
		}
	}
	if want := []int{11, 15, 17, 19, 21, 23, 29, 30, 34, 38}; !slices.Equal(lines, want) {
		t.Errorf("description-ref warnings at lines %v, want %v\n%v", lines, want, d.Warnings)
	}

	_, err = LoadWith(path, LoadOptions{Strict: true})
	var le *LoadError
	if !errors.As(err, &le) || le.Code != CodeStrict || le.Line != 11 || !strings.HasPrefix(err.Error(), path+":11: ") || !strings.Contains(err.Error(), "(description-ref)") {
		t.Fatalf("strict load: %v", err)
	}
}

// TestDescriptionRefsJSON: the same construct in a one-line JSON document, several on the
// line, and data that merely looks like it (an example, a default) left as it is.
func TestDescriptionRefsJSON(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "intro.md"), []byte("line one\n\"quoted\" \\ tab\t\u2028end"), 0o644); err != nil {
		t.Fatal(err)
	}
	doc := `{"openapi":"3.0.3","info":{"title":"t","version":"1","description":{"$ref":"intro.md"}},` +
		`"tags":[{"name":"a","description":{ "$ref" : "intro.md" }}],"paths":{"/x":{"get":{"operationId":"x",` +
		`"responses":{"200":{"description":{"$ref":"nope.md"},"content":{"application/json":{"schema":{"type":"object","default":{"description":{"$ref":"intro.md"}}},` +
		`"example":{"description":{"$ref":"intro.md"}}}}}}}}}}`
	path := filepath.Join(dir, "api.json")
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	want := "line one\n\"quoted\" \\ tab\t\u2028end"
	if d.T.Info.Description != want || d.T.Tags.Get("a").Description != want {
		t.Errorf("descriptions: %q, %q", d.T.Info.Description, d.T.Tags.Get("a").Description)
	}
	mt := d.T.Paths.Value("/x").Get.Responses.Status(200).Value.Content.Get("application/json")
	if ex, _ := mt.Example.(map[string]any); ex == nil || ex["description"] == nil || ex["description"].(map[string]any)["$ref"] != "intro.md" {
		t.Errorf("example data rewritten: %#v", mt.Example)
	}
	if def, _ := mt.Schema.Value.Default.(map[string]any); def == nil || def["description"].(map[string]any)["$ref"] != "intro.md" {
		t.Errorf("default rewritten: %#v", mt.Schema.Value.Default)
	}
	n := 0
	for _, w := range d.Warnings {
		if w.Kind == DescriptionRef {
			n++
			if w.Line != 1 {
				t.Errorf("warning line: %s", w)
			}
		}
	}
	if n != 3 {
		t.Errorf("%d description-ref warnings, want 3: %v", n, d.Warnings)
	}
}
