package openapi

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestPropertiesRefs: properties given as {$ref: file#/x} load with the mapping inlined,
// in the document (block and flow style, a fragment of the document itself, inside an
// operation inlined from a file) and in the files kin-openapi loads itself (pool.yml), a
// nested properties $ref inside an inlined mapping too; each is a properties-ref warning
// naming the file and line where it is written, and --strict refuses them.
func TestPropertiesRefs(t *testing.T) {
	t.Parallel()
	const path = "testdata/realworld/propertiesrefs.yaml"
	d, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	pool := d.T.Components.Schemas["Pool"].Value
	if pool == nil || len(pool.AllOf) != 4 {
		t.Fatalf("Pool: %+v", pool)
	}
	var names []string
	for _, part := range pool.AllOf {
		for n := range part.Value.Properties {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	if want := []string{"id", "limits", "member_ids", "name", "region", "tag"}; !slices.Equal(names, want) {
		t.Errorf("Pool's properties %v, want %v", names, want)
	}
	region := pool.AllOf[3].Value.Properties["region"]
	if region == nil || region.Value == nil || len(region.Value.Enum) != 3 {
		t.Errorf("region (../shared/region.yml from attributes.yml, rebased to pool.yml) not resolved: %+v", region)
	}
	limits := pool.AllOf[3].Value.Properties["limits"]
	if limits == nil || limits.Value == nil || limits.Value.Properties["max_members"] == nil {
		t.Errorf("nested properties $ref (attributes.yml#/limits) not inlined: %+v", limits)
	}
	if s := d.T.Components.Schemas["Settings"].Value; s.Properties["retries"] == nil || s.Properties["mode"] == nil {
		t.Errorf("Settings (block style, #/x-parts/settings): %+v", s.Properties)
	}
	if w := d.T.Components.Schemas["Wrapper"].Value.Properties["properties"]; w == nil || w.Ref != "#/components/schemas/Settings" {
		t.Errorf("a property named properties was rewritten: %+v", w)
	}
	add, ok := d.Operation("addPoolMembers")
	if !ok {
		t.Fatal("addPoolMembers missing")
	}
	body := add.Operation.RequestBody.Value.Content.Get("application/json").Schema.Value
	if m := body.Properties["member_ids"]; m == nil || m.Value == nil || m.Value.Items.Value.Min == nil {
		t.Errorf("properties $ref in an operation inlined from a file (rebased, then inlined): %+v", body.Properties)
	}

	type place struct {
		file string
		line int
	}
	var got []place
	for _, w := range d.Warnings {
		if w.Kind == PropertiesRef {
			got = append(got, place{w.File, w.Line})
		}
	}
	const sub = "testdata/realworld/propertiesrefs/models/pool.yml"
	want := []place{{path, 59}, {path, 69}, {path, 93}, {sub, 6}, {sub, 9}, {sub, 11}, {sub, 12}}
	if !slices.Equal(got, want) {
		t.Errorf("properties-ref warnings at %v, want %v", got, want)
	}

	_, err = LoadWith(path, LoadOptions{Strict: true})
	var le *LoadError
	if !errors.As(err, &le) || le.Code != CodeStrict {
		t.Fatalf("strict load: %v", err)
	}
}

// TestPropertiesRefErrors: a properties $ref that cannot be inlined, in the document or in
// a file it loads, is a load error naming that file and line, never quoting what it read.
func TestPropertiesRefErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	outside := filepath.Join(t.TempDir(), "secret.yml")
	write := func(name, text string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(name), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(outside, "x:\n  TOPSECRET: {type: string}\n")
	write(filepath.Join(dir, "attrs.yml"), "ids:\n  ids: {type: array, items: {type: integer}}\nscalar: TOPSECRET\n")
	head := "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"
	tests := []struct {
		name, doc, sub string
		file           string // the file the error names, relative to dir ("" for the document)
		line           int
		want           string
	}{
		{"outside the folder", head + "    A:\n      properties: {$ref: '" + filepath.ToSlash(outside) + "#/x'}\n", "", "", 7, "outside the document's folder"},
		{"missing file", head + "    A:\n      properties:\n        $ref: nothere.yml#/x\n", "", "", 7, "no such file"},
		{"missing fragment", head + "    A:\n      properties: {$ref: 'attrs.yml#/nope'}\n", "", "", 7, "does not name a mapping of properties"},
		{"not a mapping", head + "    A:\n      properties: {$ref: 'attrs.yml#/scalar'}\n", "", "", 7, "does not name a mapping of properties"},
		{"remote off", head + "    A:\n      properties: {$ref: 'https://example.com/a.yml#/x'}\n", "", "", 7, "remote references are off"},
		{"in a loaded file", head + "    A: {$ref: 'models/a.yml'}\n", "type: object\nproperties:\n  $ref: '../nothere.yml#/x'\n", "models/a.yml", 2, "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := strings.ReplaceAll(tt.name, " ", "-")
			src := filepath.Join(dir, name+".yaml")
			doc := tt.doc
			if tt.sub != "" {
				sub := filepath.Join(dir, name, "models/a.yml")
				write(sub, tt.sub)
				doc = strings.ReplaceAll(doc, "models/a.yml", name+"/models/a.yml")
			}
			write(src, doc)
			_, err := Load(src)
			var le *LoadError
			if !errors.As(err, &le) || le.Line != tt.line || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want a load error at line %d saying %q", err, tt.line, tt.want)
			}
			wantFile := src
			if tt.file != "" {
				wantFile = filepath.Join(dir, name, tt.file)
			}
			if le.File != wantFile {
				t.Errorf("error names %s, want %s", le.File, wantFile)
			}
			if strings.Contains(err.Error(), "TOPSECRET") {
				t.Errorf("error quotes the file: %v", err)
			}
		})
	}
}
