package config_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/hookkit/hookkit/mockserver/config"
	"github.com/hookkit/hookkit/openapi"
)

// TestErrorCodes: every config problem carries a stable code beside file:line, so tools
// and tests match the code rather than the wording.
func TestErrorCodes(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Default()
	if err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(t.TempDir(), "big.yaml")
	if err := os.WriteFile(big, make([]byte, config.MaxFileBytes+1), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		yaml     string
		file     string // Load this file instead of parsing yaml
		against  bool   // check against the hook document too
		wantCode config.Code
		wantLine int
	}{
		{name: "missing file", file: filepath.Join(t.TempDir(), "none.yaml"), wantCode: config.CodeUnreadable},
		{name: "over the size limit", file: big, wantCode: config.CodeUnreadable},
		{name: "syntax", yaml: "seed: 1\ncors: [1, 2\n", wantCode: config.CodeSyntax},
		{name: "not a mapping", yaml: "- 1\n- 2\n", wantCode: config.CodeNotMapping, wantLine: 1},
		{name: "unknown key", yaml: "seed: 1\ncors:\n  maxage: 10m\n", wantCode: config.CodeUnknownKey, wantLine: 3},
		{name: "unknown key in a rule", yaml: "rules:\n  - mach: {}\n    respond: {status: 200}\n", wantCode: config.CodeUnknownKey, wantLine: 2},
		{name: "unknown key in a matcher", yaml: "rules:\n  - match:\n      headers:\n        X-A: {equal: b}\n    respond: {status: 200}\n", wantCode: config.CodeUnknownKey, wantLine: 4},
		{name: "wrong type", yaml: "seed: many\n", wantCode: config.CodeWrongType, wantLine: 1},
		{name: "invalid value", yaml: "journal:\n  size: -1\n", wantCode: config.CodeInvalid, wantLine: 2},
		{name: "unknown operation", yaml: "rules:\n  - match: {operation: nope}\n    respond: {status: 200}\n", against: true, wantCode: config.CodeAgainstDocument, wantLine: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var c *config.Config
			var err error
			if tt.file != "" {
				c, err = config.Load(tt.file)
			} else {
				c, err = config.Parse([]byte(tt.yaml), "codes.yaml")
			}
			if err == nil && tt.against {
				err = c.CheckAgainst(doc)
			}
			var ce *config.Error
			if !errors.As(err, &ce) {
				t.Fatalf("error %v, want a *config.Error", err)
			}
			if ce.Code != tt.wantCode || (tt.wantLine > 0 && ce.Line != tt.wantLine) {
				t.Errorf("code %q line %d (%v), want %q line %d", ce.Code, ce.Line, err, tt.wantCode, tt.wantLine)
			}
		})
	}
}
