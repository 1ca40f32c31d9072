package main

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/hookkit/hookkit/internal/specgen"
)

const examplesDoc = "../../openapi/testdata/realworld/examples.yaml"

// TestMockBinaryWarnings starts the mock on a document with examples that break their
// schemas: it serves, prints the count and the first warnings once on stderr (all of them
// with --show-warnings), and never serves an invalid example.
func TestMockBinaryWarnings(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		args  []string
		lines int
	}{
		{"first five", nil, warningsShown},
		{"all", []string{"--show-warnings"}, 8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := startMock(t, append([]string{"--spec", examplesDoc}, tc.args...)...)
			p.stderr.waitFor(t, "loaded with 8 warnings (duplicate-operation-id 1, duplicate-required 1, invalid-default 1, invalid-example 4, unknown-format 1); --strict refuses them")
			out := p.stderr.String()
			if n := strings.Count(out, "\n  ../../openapi/testdata/realworld/examples.yaml:"); n != tc.lines {
				t.Errorf("%d warning lines, want %d:\n%s", n, tc.lines, out)
			}
			if more := strings.Contains(out, "... and 3 more (--show-warnings lists them all)"); more != (tc.lines < 8) {
				t.Errorf("the '... and 3 more' line is wrong:\n%s", out)
			}
			resp, err := http.Get(p.url + "/accounts")
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || strings.Contains(string(body), "AC123") || !strings.Contains(string(body), "https://api.example.com") {
				t.Errorf("GET /accounts: %d %s; want the valid example readEmpty", resp.StatusCode, body)
			}
		})
	}
}

// TestStrictRefusesWarnings: --strict turns the warnings into the old refusal, exit code 2
// with the file and line of the first, for mock and check alike.
func TestStrictRefusesWarnings(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"mock", "--addr", "127.0.0.1:0", "--strict", "--spec", examplesDoc},
		{"check", "--base-url", "http://127.0.0.1:1", "--dry-run", "--strict", "--spec", examplesDoc},
	} {
		out, err := exec.Command(hookkitBin, args...).CombinedOutput()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 2 {
			t.Fatalf("%s: exit %v, want 2\n%s", args[0], err, out)
		}
		if !strings.Contains(string(out), "examples.yaml:111: required lists name more than once; counted once (duplicate-required) and 6 more warnings (strict mode refuses them all)") {
			t.Errorf("%s: output does not name the first warning and the count:\n%s", args[0], out)
		}
	}
}

// TestMockBinaryUnreadStdout starts the mock on the generated 2 MB document with a stdout
// nobody reads: it still serves (planned lazily) and still stops on SIGTERM.
func TestMockBinaryUnreadStdout(t *testing.T) {
	t.Parallel()
	spec := filepath.Join(t.TempDir(), "mix.yaml")
	if err := os.WriteFile(spec, specgen.RealWorldMix(2<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(hookkitBin, "mock", "--addr", "127.0.0.1:0", "--no-watch", "--spec", spec)
	if _, err := cmd.StdoutPipe(); err != nil { // never read
		t.Fatal(err)
	}
	stderr := newOutput()
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	stderr.waitFor(t, "hookkit mock: "+spec+" loaded with")
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("mock did not stop cleanly on SIGTERM: %v\n%s", err, stderr)
	}
}

// TestLoadFlagsTogether: --allow-remote-refs, --strict and --show-warnings are one set of
// load flags on mock, check and proxy alike. A document whose schema is a remote $ref and
// whose example breaks it loads with its warning listed when remote refs are allowed, and
// is refused at the example's line when --strict is added; the proxy prints its warnings
// too.
func TestLoadFlagsTogether(t *testing.T) {
	t.Parallel()
	remote := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("type: object\nproperties:\n  id: {type: string}\n"))
	}))
	t.Cleanup(remote.Close)
	spec := writeTemp(t, "api.yaml", `openapi: 3.0.3
info: {title: remote, version: "1"}
paths:
  /a:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: '`+remote.URL+`/s.yaml'}
              example: {id: 5}
        "400":
          description: bad
`)
	const warned = "api.yaml:12: GET /a: response 200 application/json example breaks its schema"
	code, out := runHookkit(t, "check", "--dry-run", "--base-url", "http://127.0.0.1:1", "--spec", spec, "--allow-remote-refs", "--show-warnings")
	if code != 0 || !strings.Contains(out, "loaded with 1 warnings (invalid-example 1)") || !strings.Contains(out, warned) {
		t.Errorf("check --allow-remote-refs --show-warnings: exit %d:\n%s", code, out)
	}
	for _, args := range [][]string{
		{"mock", "--addr", "127.0.0.1:0"},
		{"check", "--dry-run", "--base-url", "http://127.0.0.1:1"},
		{"proxy", "--addr", "127.0.0.1:0", "--upstream", "http://127.0.0.1:1"},
	} {
		code, out := runHookkit(t, append(args, "--spec", spec, "--allow-remote-refs", "--strict")...)
		if code != 2 || !strings.Contains(out, "api.yaml:12: GET /a: response 200") || !strings.Contains(out, "(invalid-example)") {
			t.Errorf("%s --allow-remote-refs --strict: exit %d, want 2 naming the example:\n%s", args[0], code, out)
		}
		code, out = runHookkit(t, append(args, "--spec", spec, "--strict")...)
		if code != 2 || !strings.Contains(out, "remote references are off") {
			t.Errorf("%s --strict without --allow-remote-refs: exit %d, want 2, hermetic:\n%s", args[0], code, out)
		}
	}
	_, logs, stop := startProxyCommand(t, "--upstream", "http://127.0.0.1:1", "--spec", spec, "--allow-remote-refs")
	logs.waitFor(t, "hookkit proxy: "+spec+" loaded with 1 warnings (invalid-example 1)")
	if !strings.Contains(logs.String(), warned) {
		t.Errorf("the proxy does not list the warning:\n%s", logs)
	}
	stop()
}
