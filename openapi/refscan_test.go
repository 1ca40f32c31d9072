package openapi

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hookkit/hookkit/internal/specgen"
)

// TestRefUnderKeyIsThePattern: refUnderKey answers as the regular expression it stands
// for, on every testdata document and file and on texts around each of its rules.
func TestRefUnderKeyIsThePattern(t *testing.T) {
	t.Parallel()
	sets := [][]string{
		{"get", "put", "post", "delete", "options", "head", "patch", "trace"},
		{"properties"},
		{"description", "summary"},
	}
	texts := map[string]string{}
	for _, glob := range []string{"testdata/*/*.yaml", "testdata/*/*/*.yml", "testdata/*/*/*/*.yml", "testdata/*/*/*/*/*.yml", "../mockserver/testdata/*.yaml"} {
		files, _ := filepath.Glob(glob)
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			texts[f] = string(b)
		}
	}
	if len(texts) < 20 {
		t.Fatalf("only %d files", len(texts))
	}
	texts["mix"] = string(specgen.RealWorldMix(64 << 10))
	for _, s := range []string{
		"get: {$ref: x}", "get:{$ref: x}", "get : {$ref: x}", "get: { $ref: x}", `"get": {"$ref": "x"}`,
		"get:\n  $ref: x", "get:\r\n  $ref: x", "get:\n\t'$ref' : x", "target:\n  $ref: x", "get: [$ref: x]",
		"get: {$ref x}", "get: {$refs: x}", "get: \n  $ref: x", "get:  \n  \"$ref\":x", "$ref: x", ":{$ref:",
		"properties: {$ref: 'a.yml#/x'}", "properties:\n    $ref: a", "description: {$ref: d.md}", "summary:\n  $ref: s",
		"get: {\"$ref\": x}", "get\": {$ref: x}", "get\"\t:\t{\t$ref\t:", "get:\n\n  $ref: x", "get: {a: 1, $ref: x}",
	} {
		texts[s] = s
	}
	for _, keys := range sets {
		re := regexp.MustCompile(`(?:` + strings.Join(keys, "|") + `)"?[ \t]*:[ \t]*(?:\{[ \t]*|\r?\n[ \t]*)["']?\$ref["']?[ \t]*:`)
		for name, text := range texts {
			if got, want := refUnderKey([]byte(text), keys...), re.MatchString(text); got != want {
				t.Errorf("%v in %q: %v, the pattern says %v", keys, name, got, want)
			}
		}
	}
}

func TestHasExternalRef(t *testing.T) {
	t.Parallel()
	for text, want := range map[string]bool{
		`$ref: '#/components/schemas/A'`: false, `{"$ref": "#/x"}`: false, "$ref:\n  x": true,
		`$ref: models/a.yml`: true, `"$ref":"a.yml#/x"`: true, `'$ref' : "b.json"`: true,
		"x: 1": false, "$refs: a.yml": false, `description: see $ref docs`: false,
		"a: {$ref: '#/a'}\nb: {$ref: 'c.yml'}": true,
	} {
		if got := hasExternalRef([]byte(text)); got != want {
			t.Errorf("%q: %v, want %v", text, got, want)
		}
	}
}
