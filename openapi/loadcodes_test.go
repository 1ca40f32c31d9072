package openapi_test

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/hookkit/hookkit/openapi"
)

// TestLoadErrorCodes: every load error carries a stable code beside file:line; tests and
// tools match it, not the wording.
func TestLoadErrorCodes(t *testing.T) {
	t.Parallel()
	const head = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n"
	tests := []struct {
		name     string
		file     string // Load this path instead of parsing doc
		doc      string
		strict   bool
		wantCode string
		wantLine int
	}{
		{name: "missing file", file: filepath.Join(t.TempDir(), "none.yaml"), wantCode: openapi.CodeUnreadable},
		{name: "syntax", doc: head + "paths:\n  /a:\n    get: [1, 2\n  b: 3\n", wantCode: openapi.CodeSyntax},
		{name: "not OpenAPI 3", doc: "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n", wantCode: openapi.CodeNotOpenAPI3, wantLine: 1},
		{name: "kin's code: path parameter not declared", doc: head + "paths:\n  /a/{id}:\n    get:\n      responses:\n        '200': {description: ok}\n", wantCode: "path-parameters-mismatch"},
		{name: "unresolvable $ref", doc: head + "paths:\n  /a:\n    get:\n      responses:\n        '200': {$ref: '#/components/responses/Nope'}\n", wantCode: openapi.CodeInvalid},
		{name: "strict refuses a warning", strict: true, doc: head + "paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {type: integer}\n              example: text\n", wantCode: openapi.CodeStrict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var err error
			if tt.file != "" {
				_, err = openapi.Load(tt.file)
			} else {
				_, err = openapi.ParseWith([]byte(tt.doc), "codes.yaml", openapi.LoadOptions{Strict: tt.strict})
			}
			var le *openapi.LoadError
			if !errors.As(err, &le) {
				t.Fatalf("error %v, want a *LoadError", err)
			}
			if le.Code != tt.wantCode || (tt.wantLine > 0 && le.Line != tt.wantLine) {
				t.Errorf("code %q line %d (%v), want %q line %d", le.Code, le.Line, err, tt.wantCode, tt.wantLine)
			}
		})
	}
}
