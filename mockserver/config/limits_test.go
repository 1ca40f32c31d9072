package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/hookkit/hookkit/mockserver/config"
)

// TestLimitsValidatedAtLoad: every limit has a default, and a value beyond its ceiling is
// a file:line error, never accepted.
func TestLimitsValidatedAtLoad(t *testing.T) {
	t.Parallel()
	def, err := config.Parse(nil, "mock.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if def.Journal.MaxBytes != config.DefaultJournalBytes || def.Hooks.MaxStored != config.DefaultMaxStoredHooks ||
		def.Hooks.MaxBytes != config.DefaultHookBytes || def.Limits.TemplateOutput != config.DefaultTemplateOutput ||
		def.Limits.TemplateTime != config.DefaultTemplateTime {
		t.Errorf("defaults: %+v %+v %+v", def.Journal, def.Hooks, def.Limits)
	}
	var many strings.Builder
	many.WriteString("rules:\n")
	for range config.MaxRules + 1 {
		many.WriteString("  - respond: {status: 200}\n")
	}
	var steps strings.Builder
	steps.WriteString("rules:\n  - sequence:\n")
	for range config.MaxSequenceSteps + 1 {
		steps.WriteString("      - {status: 200}\n")
	}
	for _, tc := range []struct{ name, yaml, want string }{
		{"journal size", "journal:\n  size: 100001\n", "mock.yaml:2: journal.size must be at most 100000 entries, not 100001"},
		{"journal bytes", "journal:\n  maxBytes: 10\n", "mock.yaml:2: journal.maxBytes must be between 65536 and 1073741824 bytes, not 10"},
		{"hooks count", "hooks:\n  maxStored: 2000000\n", "mock.yaml:2: hooks.maxStored must be between 1 and 1000000 hooks"},
		{"hooks bytes", "hooks:\n  maxBytes: -1\n", "mock.yaml:2: hooks.maxBytes must be between"},
		{"template output", "limits:\n  templateOutput: 99999999999\n", "mock.yaml:2: limits.templateOutput must be between"},
		{"template time", "limits:\n  templateTime: 2h\n", "mock.yaml:2: limits.templateTime must be between 1ms and 1m0s, not 2h0m0s"},
		{"rules", many.String(), "mock.yaml:2: a config may hold at most 10000 rules, not 10001"},
		{"steps", steps.String(), "a sequence may have at most 1000 steps, not 1001"},
		{"admin origin *", "admin:\n  origins: ['*']\n", `mock.yaml:2: admin.origins: "*" is not an origin`},
		{"admin host with port", "admin:\n  hosts: ['mock.internal:80']\n", `admin.hosts: "mock.internal:80" is not a host name`},
		{"delivery backoff", "hooks:\n  deliver:\n    backoff: 1h\n", "mock.yaml:3: hooks.deliver.backoff must be between 0 and 1m0s, not 1h0m0s"},
		{"delivery timeout", "hooks:\n  deliver:\n    timeout: 24h\n", "mock.yaml:3: hooks.deliver.timeout must be between 0 and 5m0s, not 24h0m0s"},
		{"delivery retries", "hooks:\n  deliver:\n    retries: 1000\n", "mock.yaml:3: hooks.deliver.retries must be between 0 and 10, not 1000"},
		{"state items", "state:\n  maxItems: 2000000\n", "mock.yaml:2: state.maxItems must be at most 1000000"},
		{"state bytes", "state:\n  maxBytes: 2147483648\n", "mock.yaml:2: state.maxBytes must be between 65536 and 1073741824 bytes"},
		{"token variable unset", "admin:\n  tokenEnv: HOOKKIT_TEST_SURELY_UNSET_VAR\n", "admin.tokenEnv: environment variable HOOKKIT_TEST_SURELY_UNSET_VAR is not set or empty"},
		{"status 1xx", "rules:\n  - respond: {status: 101}\n", "status 101 is informational"},
		{"204 with a body", "rules:\n  - respond: {status: 204, bodyText: x}\n", "status 204 cannot carry a body"},
		{"range over seq", "rules:\n  - respond: {bodyText: '{{range seq}}x{{end}}'}\n", "range over seq is not allowed"},
		{"range over .Seq", "rules:\n  - respond: {bodyText: '{{range .Seq}}x{{end}}'}\n", "range over .Seq is not allowed"},
		{"nested ranges", "rules:\n  - respond: {bodyText: '{{range 1000}}{{range 1000}}x{{end}}{{end}}'}\n", "at most 100000 iterations"},
		{"range over unix in parentheses", "rules:\n  - respond: {bodyText: '{{range (unix)}}x{{end}}'}\n", "range over unix is not allowed"},
		{"range over len", "rules:\n  - respond: {bodyText: '{{range len .Body.s}}x{{end}}'}\n", "range must go over one value"},
		{"range over a variable", "rules:\n  - respond: {bodyText: '{{$n := unix}}{{range $n}}x{{end}}'}\n", "range over the variable $n is not allowed"},
		{"nested range over the request", "rules:\n  - respond: {bodyText: '{{range .Body.a}}{{range $.Body.a}}{{end}}{{end}}'}\n", "a range inside a range may only go over a field"},
		{"with escaping a range", "rules:\n  - respond: {bodyText: '{{range .Body.a}}{{with $.Body}}{{range .a}}{{end}}{{end}}{{end}}'}\n", "a with inside a range may only go over a field"},
		{"recursion", "rules:\n  - respond: {bodyText: '{{define \"x\"}}{{template \"x\" .}}{{end}}{{template \"x\" .}}'}\n", "define and block are not allowed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := parseResolved([]byte(tc.yaml), "mock.yaml")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
	for _, ok := range []string{
		"{{range 100}}{{range 1000}}x{{end}}{{end}}",
		"{{range .Body.items}}{{range .tags}}{{.}}{{end}}{{end}}",
		"{{range $i, $e := .Body.items}}{{$i}}{{end}}",
		"{{range .Body.items}}{{with .owner}}{{.name}}{{end}}{{end}}",
		"{{range $.Body.items}}x{{end}}",
	} {
		if _, err := config.Parse([]byte("rules:\n  - respond: {bodyText: '"+ok+"'}\n"), "mock.yaml"); err != nil {
			t.Errorf("bounded template %s refused: %v", ok, err)
		}
	}
}

// TestConfigNamedFilesBounded: the files a config names (a state seed, an AK/SK secret
// key) must be regular files of bounded size: a config pointing at /dev/zero or a fifo is
// a clear error with its line, not a read that never ends.
func TestConfigNamedFilesBounded(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	bigKey := filepath.Join(dir, "big-sk")
	if err := os.WriteFile(bigKey, []byte(strings.Repeat("k", 5<<10)), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ yaml, want string }{
		{"state:\n  seed: /dev/zero\n", "mock.yaml:2: state.seed: /dev/zero is not a regular file"},
		{"state:\n  seed: " + fifo + "\n", "mock.yaml:2: state.seed: " + fifo + " is not a regular file"},
		{"auth:\n  aksk:\n    - accessKey: AK\n      secretKeyFile: /dev/zero\n", "mock.yaml:3: auth.aksk[0]: secretKeyFile: /dev/zero is not a regular file"},
		{"auth:\n  aksk:\n    - accessKey: AK\n      secretKeyFile: " + bigKey + "\n", "is larger than the limit of 4096 bytes"},
	} {
		_, err := parseResolved([]byte(tc.yaml), "mock.yaml")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: err %v, want %q", tc.yaml, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "kkkk") {
			t.Errorf("the error shows the file's content: %v", err)
		}
	}
}
