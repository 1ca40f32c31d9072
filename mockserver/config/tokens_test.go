package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAuthTokens: accepted tokens come from environment variables and files (one per line,
// comments and blank lines skipped), never inline; every unreadable source is an error
// naming auth.tokens and the line. Not parallel: it sets environment variables.
func TestAuthTokens(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("tokens.txt", "# team\n  tok-file-1  \n\ntok-file-2\n")
	empty := write("empty.txt", "# nothing\n\n")
	huge := write("huge.txt", strings.Repeat("x", MaxTokenFileBytes+1))
	t.Setenv("HOOKKIT_TEST_TOKEN", "tok-env")
	tests := []struct {
		name     string
		yaml     string
		wantErr  string
		accepted []string
		refused  []string
	}{
		{name: "env and file", yaml: fmt.Sprintf("auth:\n  tokens:\n    - env: HOOKKIT_TEST_TOKEN\n    - file: %q\n", good),
			accepted: []string{"tok-env", "tok-file-1", "tok-file-2"}, refused: []string{"", "tok", "# team", "tok-file-1  "}},
		{name: "none configured", yaml: "seed: 2\n", refused: []string{"anything"}},
		{name: "unset env", yaml: "auth:\n  tokens:\n    - env: HOOKKIT_TEST_UNSET\n", wantErr: "tokens.yaml:3: auth.tokens[0]: environment variable HOOKKIT_TEST_UNSET is not set or empty"},
		{name: "inline", yaml: "auth:\n  tokens:\n    - token: abc\n", wantErr: "token"},
		{name: "neither", yaml: "auth:\n  tokens:\n    - {}\n", wantErr: "auth.tokens[0]: tokens must come from env or file (never inline)"},
		{name: "both", yaml: fmt.Sprintf("auth:\n  tokens:\n    - {env: HOOKKIT_TEST_TOKEN, file: %q}\n", good), wantErr: "give env or file, not both"},
		{name: "missing file", yaml: "auth:\n  tokens:\n    - file: /nonexistent/tokens\n", wantErr: "auth.tokens[0]: file: stat /nonexistent/tokens"},
		{name: "empty file", yaml: fmt.Sprintf("auth:\n  tokens:\n    - file: %q\n", empty), wantErr: "holds no token"},
		{name: "file over the limit", yaml: fmt.Sprintf("auth:\n  tokens:\n    - file: %q\n", huge), wantErr: "is larger than the limit of 1048576 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse([]byte(tt.yaml), "tokens.yaml")
			if err == nil {
				c, err = Resolve(c)
			}
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.ChecksTokens() != (len(tt.accepted) > 0) {
				t.Errorf("ChecksTokens() = %v", c.ChecksTokens())
			}
			for _, tok := range tt.accepted {
				if !c.AcceptsToken(tok) {
					t.Errorf("%q refused", tok)
				}
			}
			for _, tok := range tt.refused {
				if c.AcceptsToken(tok) {
					t.Errorf("%q accepted", tok)
				}
			}
		})
	}
}
