package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hookkit/hookkit/mockserver/mocktest"
)

const checkToken = "cli-TOKEN-3e8b0c-DISTINCTIVE"

// tokenFile writes the test token to a file, the way CI hands a secret to hookkit.
func tokenFile(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(p, []byte(checkToken+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// brokenHook answers every request with a 200 whose body breaks the Hook schema.
func brokenHook(calls *atomic.Int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id":1573,"echo":"` + r.Header.Get("X-Auth-Token") + `"}`))
	})
}

func TestCheckCommand(t *testing.T) {
	t.Parallel()
	mock := mocktest.Start(t)
	var brokenCalls atomic.Int64
	broken := httptest.NewServer(brokenHook(&brokenCalls))
	t.Cleanup(broken.Close)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close()

	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string
		wantErr  string
	}{
		{name: "mock passes", args: []string{"--base-url", mock.URL, "--positive", "3"}, wantCode: 0, wantOut: "0 failed"},
		{name: "broken target", args: []string{"--base-url", broken.URL}, wantCode: 1, wantOut: "✗ body-schema [body /id]"},
		{name: "unreachable target", args: []string{"--base-url", closed}, wantCode: 3, wantOut: "the target never answered"},
		{name: "har", args: []string{"--har", "../../contract/testdata/hooks.har"}, wantCode: 1, wantOut: "1 unknown to the document"},
		{name: "dry run", args: []string{"--base-url", broken.URL, "--dry-run"}, wantCode: 0, wantOut: "nothing was sent"},
		{name: "no target", args: []string{}, wantCode: 2, wantErr: "--base-url is required"},
		{name: "no scheme", args: []string{"--base-url", "127.0.0.1:4010"}, wantCode: 2,
			wantErr: `base URL "127.0.0.1:4010" has no scheme: add http:// or https:// (e.g. http://127.0.0.1:4010)`},
		{name: "unknown --set", args: []string{"--base-url", mock.URL, "--set", "projectid=1"}, wantCode: 2, wantErr: "--set projectid: no parameter"},
		{name: "bad --report", args: []string{"--base-url", mock.URL, "--report", "xml=x"}, wantCode: 2, wantErr: `unknown report format "xml"`},
		{name: "missing spec", args: []string{"--base-url", mock.URL, "--spec", "nope.yaml"}, wantCode: 2, wantErr: "nope.yaml"},
		{name: "token env unset", args: []string{"--base-url", mock.URL, "--token-env", "HOOKKIT_TEST_UNSET_VAR"}, wantCode: 2, wantErr: "HOOKKIT_TEST_UNSET_VAR is not set"},
	}
	t.Run("cases", func(t *testing.T) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				t.Parallel()
				dir := t.TempDir()
				args := append([]string{"check"}, tt.args...)
				if tt.wantCode != 2 && !strings.Contains(strings.Join(tt.args, " "), "--har") {
					args = append(args, "--token-file", tokenFile(t))
				}
				junit, jsonFile := filepath.Join(dir, "r.xml"), filepath.Join(dir, "r.json")
				args = append(args, "--report", "junit="+junit, "--report", "json="+jsonFile)
				code, out, errOut := runCLI(t, args...)
				if code != tt.wantCode || !strings.Contains(out, tt.wantOut) || !strings.Contains(errOut, tt.wantErr) {
					t.Fatalf("exit %d (want %d)\nstdout:\n%s\nstderr:\n%s", code, tt.wantCode, out, errOut)
				}
				all := out + errOut
				if tt.wantCode != 2 {
					x, _ := os.ReadFile(junit)
					j, _ := os.ReadFile(jsonFile)
					var suites struct {
						Tests int `xml:"tests,attr"`
					}
					if err := xml.Unmarshal(x, &suites); err != nil {
						t.Errorf("JUnit report is not XML: %v\n%s", err, x)
					}
					var rep struct {
						ExitCode int `json:"exit_code"`
					}
					if err := json.Unmarshal(j, &rep); err != nil || rep.ExitCode != tt.wantCode {
						t.Errorf("JSON report: exit_code %d, err %v", rep.ExitCode, err)
					}
					all += string(x) + string(j)
				}
				if strings.Contains(all, checkToken) {
					t.Errorf("the token leaked into an output or report:\n%s", all)
				}
			})
		}
	})
	if brokenCalls.Load() == 0 {
		t.Error("the broken target was never called")
	}
}

// TestCheckBinaryAgainstMockBinary is the kit's end-to-end self-test: the real hookkit
// binary checks the real hookkit mock, which accepts only the checker's token (auth.tokens
// from the same file), so the invalid-credential case is refused too. It also measures the
// default run's wall time.
func TestCheckBinaryAgainstMockBinary(t *testing.T) {
	t.Parallel()
	tok := tokenFile(t)
	cfg := filepath.Join(t.TempDir(), "mock.yaml")
	if err := os.WriteFile(cfg, fmt.Appendf(nil, "auth:\n  tokens:\n    - file: %q\n", tok), 0o600); err != nil {
		t.Fatal(err)
	}
	mock := startMock(t, "--config", cfg)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	start := time.Now()
	cmd := exec.CommandContext(ctx, hookkitBin, "check", "--base-url", mock.url, "--token-file", tok)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	elapsed := time.Since(start)
	if err != nil {
		t.Fatalf("hookkit check: %v\nstdout:\n%s\nstderr:\n%s", err, out.String(), errOut.String())
	}
	if !strings.Contains(out.String(), "15 cases: 15 passed, 0 failed") {
		t.Errorf("unexpected summary:\n%s", out.String())
	}
	if strings.Contains(out.String()+errOut.String(), checkToken) {
		t.Error("the token leaked")
	}
	t.Logf("hookkit check against hookkit mock (hook document, default flags): %s wall time", elapsed)
	if elapsed > 3*time.Second {
		t.Errorf("the default run took %s; the target is under 1s", elapsed)
	}
}

// TestCheckAndProxyHelp prints every flag once, on stdout, and exits 0; a bad flag goes to
// stderr with exit code 2.
func TestCheckAndProxyHelp(t *testing.T) {
	t.Parallel()
	flags := map[string][]string{
		"check": {"-base-url", "-har", "-set", "-token-env", "-token-file", "-seed", "-positive", "-include", "-exclude",
			"-rate", "-max-requests", "-max-response-time", "-timeout", "-dry-run", "-report", "-spec", "-progress"},
		"proxy": {"-spec", "-upstream", "-addr", "-fail-on-violation", "-max-body", "-journal-size", "-log-format", "-log-level"},
	}
	for cmd, want := range flags {
		code, out, errOut := runCLI(t, cmd, "-h")
		if code != 0 || errOut != "" || strings.Count(out, "Usage: hookkit "+cmd) != 1 {
			t.Errorf("%s -h: exit %d, stderr %q, stdout:\n%s", cmd, code, errOut, out)
		}
		for _, f := range want {
			if !strings.Contains(out, "  "+f+" ") && !strings.Contains(out, "  "+f+"\n") {
				t.Errorf("%s -h does not list %s", cmd, f)
			}
		}
		code, out, errOut = runCLI(t, cmd, "--no-such-flag")
		if code != 2 || out != "" || !strings.Contains(errOut, "flag provided but not defined: -no-such-flag") {
			t.Errorf("%s --no-such-flag: exit %d, stdout %q, stderr %q", cmd, code, out, errOut)
		}
	}
}

// TestCheckWithoutCredentialSaysWhichFlag runs check against the mock without a token: the
// positive cases are rejected, and the last line says which credential the document wants
// and which flag gives it. Runs that need no credential, or have one, get no such line.
func TestCheckWithoutCredentialSaysWhichFlag(t *testing.T) {
	t.Parallel()
	mock := mocktest.Start(t)
	const hint = "hookkit check: no credential was given, but the document requires one (apiKey header X-Auth-Token): add --token-file FILE or --token-env VAR (or --ak-env and --sk-env where it accepts AK/SK)\n"
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantHint bool
	}{
		{name: "no credential", args: nil, wantCode: 1, wantHint: true},
		{name: "negative cases only", args: []string{"--include", "negative"}, wantCode: 0},
		{name: "token file", args: []string{"--token-file", tokenFile(t)}, wantCode: 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := runCLI(t, append([]string{"check", "--base-url", mock.URL}, tc.args...)...)
			if code != tc.wantCode || strings.HasSuffix(errOut, hint) != tc.wantHint {
				t.Errorf("exit %d (want %d), hint wanted: %v\nstdout:\n%s\nstderr:\n%s", code, tc.wantCode, tc.wantHint, out, errOut)
			}
		})
	}
}

// TestCheckBinaryAgainstMockWithoutTokens: against a mock that does not verify credentials
// (no auth.tokens), the invalid-credential case is skipped with a note, and the run passes.
func TestCheckBinaryAgainstMockWithoutTokens(t *testing.T) {
	t.Parallel()
	mock := startMock(t)
	code, out, errOut := runCLI(t, "check", "--base-url", mock.url, "--token-file", tokenFile(t))
	if code != 0 || !strings.Contains(out, "15 cases: 14 passed, 0 failed, 1 skipped") || !strings.Contains(out, "configure auth.tokens") {
		t.Errorf("exit %d, stdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
}
