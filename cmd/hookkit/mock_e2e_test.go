package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hookkit/hookkit/generated"
)

const (
	e2eToken  = "e2e-TOKEN-71c2"
	e2eSecret = "e2e-SECRET-aa90"
)

// output collects a process's stream and lets a test wait for a line without sleeping:
// every write wakes the waiters.
type output struct {
	mu      sync.Mutex
	buf     strings.Builder
	changed chan struct{}
}

func newOutput() *output { return &output{changed: make(chan struct{})} }

func (o *output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.buf.Write(p)
	close(o.changed)
	o.changed = make(chan struct{})
	return len(p), nil
}

func (o *output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}

// waitFor waits until the output contains s, at most 10 s.
func (o *output) waitFor(t *testing.T, s string) {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		o.mu.Lock()
		has, ch := strings.Contains(o.buf.String(), s), o.changed
		o.mu.Unlock()
		if has {
			return
		}
		select {
		case <-ch:
		case <-timeout:
			t.Fatalf("timed out waiting for %q in:\n%s", s, o.String())
		}
	}
}

type mockProc struct {
	cmd    *exec.Cmd
	url    string
	stderr *output
	banner string
}

// startMock runs the hookkit binary's mock on a free port and reads the bound address
// from its banner. The process is stopped by t.Cleanup.
func startMock(t *testing.T, args ...string) *mockProc {
	t.Helper()
	return startMockBinary(t, hookkitBin, nil, args...)
}

// startMockEnv is startMock with extra environment variables (NAME=value) for the process.
func startMockEnv(t *testing.T, env []string, args ...string) *mockProc {
	t.Helper()
	return startMockBinary(t, hookkitBin, env, args...)
}

// startMockBinary starts a build of hookkit (ours, or the container image's) with extra
// environment variables (NAME=value).
func startMockBinary(t *testing.T, bin string, env []string, args ...string) *mockProc {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"mock", "--addr", "127.0.0.1:0"}, args...)...)
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &mockProc{cmd: cmd, stderr: newOutput()}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	lines := bufio.NewScanner(stdout)
	var banner strings.Builder
	for lines.Scan() {
		line := lines.Text()
		banner.WriteString(line + "\n")
		if addr, ok := strings.CutPrefix(line, "hookkit mock listening on "); ok {
			p.url = addr
		}
		if strings.HasPrefix(line, "admin API") || (p.url != "" && strings.Contains(line, "createProjectHook")) {
			break
		}
	}
	if p.url == "" {
		t.Fatalf("no address in the banner:\n%s\nstderr:\n%s", banner.String(), p.stderr)
	}
	p.banner = banner.String()
	go func() { _, _ = io.Copy(io.Discard, stdout) }()
	return p
}

// postHook sends a valid createProjectHook request with body to the mock at baseURL and
// returns the answer's status and body.
func postHook(t *testing.T, baseURL, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, baseURL+"/v1/p/git/repos/n/x/hooks", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Auth-Token", "t")
	req.Header.Set("X-Repo-Auth", "a")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestMockBinaryGeneratedClient is the foundation round trip through the real binary:
// the generated client, path values with ":" and an encoded "/", both typed responses.
func TestMockBinaryGeneratedClient(t *testing.T) {
	t.Parallel()
	p := startMock(t, "--log-format", "json")
	if !strings.Contains(p.banner, "POST /v1/{project_id}/git/repos/{namespace}/{project}/hooks  createProjectHook") {
		t.Errorf("banner does not list the operation:\n%s", p.banner)
	}
	client, err := generated.NewClientWithResponses(p.url, generated.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
		r.Header.Set("X-Auth-Token", e2eToken)
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	ok, err := client.CreateProjectHookWithResponse(ctx, "0b5f4e1a", "team/sub", "group:app",
		&generated.CreateProjectHookParams{XRepoAuth: "my-github-auth"},
		generated.HookCreate{Secret: e2eSecret, Url: "https://example.com/webhook"})
	if err != nil {
		t.Fatal(err)
	}
	if ok.JSON200 == nil || ok.JSON200.CallbackUrl != "https://example.com/webhook" || ok.JSON200.Type != "github" || ok.JSON200.Id == "" {
		t.Fatalf("200: %d %s", ok.StatusCode(), ok.Body)
	}
	bad, err := client.CreateProjectHookWithResponse(ctx, "0b5f4e1a", "team/sub", "group:app",
		&generated.CreateProjectHookParams{XRepoAuth: "my-github-auth"},
		generated.HookCreate{Secret: e2eSecret, Url: "not a url"})
	if err != nil {
		t.Fatal(err)
	}
	if bad.JSON400 == nil || bad.JSON400.ErrorCode != "SVCSTG.REPO.0422" || !strings.Contains(bad.JSON400.ErrorMsg, "/url") {
		t.Fatalf("400: %d %s", bad.StatusCode(), bad.Body)
	}

	// The hook is stored under the unescaped path values.
	resp, err := http.Get(p.url + "/__admin/hooks")
	if err != nil {
		t.Fatal(err)
	}
	hooks, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(hooks), `"namespace": "team/sub"`) || !strings.Contains(string(hooks), `"project": "group:app"`) {
		t.Errorf("stored hooks: %s", hooks)
	}
	resp, err = http.Get(p.url + "/__admin/requests")
	if err != nil {
		t.Fatal(err)
	}
	journal, _ := io.ReadAll(resp.Body)
	resp.Body.Close()

	p.stderr.waitFor(t, `"status":400`)
	for _, secret := range []string{e2eToken, e2eSecret} {
		for where, text := range map[string]string{"logs": p.stderr.String(), "journal": string(journal), "hooks": string(hooks), "error body": string(bad.Body)} {
			if strings.Contains(text, secret) {
				t.Errorf("%s leaks %q:\n%s", where, secret, text)
			}
		}
	}
}

// TestMockBinaryHotReload edits the config under a running mock: a broken edit is logged
// and the last good rules keep answering; the fixed edit takes over.
func TestMockBinaryHotReload(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "mock.yaml")
	rule := func(id string) string {
		return "rules:\n  - name: pinned\n    match: {operation: createProjectHook}\n    respond:\n      body: {id: " + id + ", type: github, callback_url: \"https://x.example\"}\n"
	}
	if err := os.WriteFile(cfgPath, []byte(rule("v1")), 0o644); err != nil {
		t.Fatal(err)
	}
	p := startMock(t, "--config", cfgPath)
	id := func() string {
		t.Helper()
		_, body := postHook(t, p.url, `{"secret":"s","url":"https://a.example"}`)
		return body
	}
	if got := id(); !strings.Contains(got, `"id":"v1"`) {
		t.Fatalf("initial rule not served: %s", got)
	}

	if err := os.WriteFile(cfgPath, []byte("rules:\n  - match: {operation: nope}\n    respond: {status: 200}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p.stderr.waitFor(t, "reload failed, keeping the last good version")
	if !strings.Contains(p.stderr.String(), cfgPath+":2") {
		t.Errorf("the reload error does not name file and line:\n%s", p.stderr)
	}
	if got := id(); !strings.Contains(got, `"id":"v1"`) {
		t.Fatalf("broken edit replaced the config: %s", got)
	}

	if err := os.WriteFile(cfgPath, []byte(rule("v2")), 0o644); err != nil {
		t.Fatal(err)
	}
	p.stderr.waitFor(t, "msg=reloaded")
	if got := id(); !strings.Contains(got, `"id":"v2"`) {
		t.Fatalf("fixed edit not applied: %s", got)
	}
}

// TestMockBinaryShutdown sends SIGTERM and expects a clean exit.
func TestMockBinaryShutdown(t *testing.T) {
	t.Parallel()
	p := startMock(t)
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v\n%s", err, p.stderr)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no exit 10 s after SIGTERM")
	}
	if !strings.Contains(p.stderr.String(), "shutting down") {
		t.Errorf("no shutdown log:\n%s", p.stderr)
	}
}

// TestMockBinaryStartErrors checks that a broken document or config stops the start with
// exit code 2 and a message naming the file and line.
func TestMockBinaryStartErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"broken document", []string{"--spec", "../../openapi/testdata/broken/path-params.yaml"}, "path-params.yaml:6:"},
		{"strict refuses an invalid example", []string{"--strict", "--spec", "../../openapi/testdata/broken/bad-example.yaml"}, "bad-example.yaml:19: getX: response 200"},
		{"missing document", []string{"--spec", "nope.yaml"}, "nope.yaml: open nope.yaml"},
		{"broken config", []string{"--config", "../../mockserver/testdata/config/unknown-keys.yaml"}, "unknown-keys.yaml:"},
		{"unset secret key variable", []string{"--config", "../../mockserver/testdata/config/aksk-unset-env.yaml"},
			"cannot load the config:\n  ../../mockserver/testdata/config/aksk-unset-env.yaml:5: auth.aksk[0]: environment variable HOOKKIT_TEST_SURELY_UNSET_SK (secretKeyEnv) is not set or empty"},
		{"unknown flag", []string{"--nope"}, "flag provided but not defined: -nope"},
		{"bad log format", []string{"--log-format", "xml"}, "--log-format must be text or json"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cmd := exec.Command(hookkitBin, append([]string{"mock", "--addr", "127.0.0.1:0"}, tc.args...)...)
			out, err := cmd.CombinedOutput()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 2 {
				t.Fatalf("exit: %v (want code 2)\n%s", err, out)
			}
			if !strings.Contains(string(out), tc.want) {
				t.Errorf("output does not contain %q:\n%s", tc.want, out)
			}
		})
	}
}

func TestMockHelpListsEveryFlag(t *testing.T) {
	t.Parallel()
	out, err := exec.Command(hookkitBin, "mock", "-h").CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, flag := range []string{"-spec", "-config", "-addr", "-log-format", "-log-level", "-no-watch", "-max-body", "-strict", "-show-warnings"} {
		if !strings.Contains(string(out), "\n  "+flag+" ") && !strings.Contains(string(out), "\n  "+flag+"\n") {
			t.Errorf("help does not list %s:\n%s", flag, out)
		}
	}
}

// TestMockBinaryServesAnyDocument serves a testdata document through the binary: plain
// text bodies, required response headers, the server's base path, problem+json errors.
func TestMockBinaryServesAnyDocument(t *testing.T) {
	t.Parallel()
	p := startMock(t, "--spec", "../../mockserver/testdata/media.yaml")
	for _, want := range []string{"getHealth", "headFileInfo", "POST /files"} {
		if !strings.Contains(p.banner, want) {
			t.Errorf("banner lacks %q:\n%s", want, p.banner)
		}
	}
	tests := []struct {
		path, ctype, body string
		status            int
		header            string
	}{
		{"/health", "text/plain; charset=utf-8", "ok", 200, "X-Request-Id"},
		{"/api/health", "text/plain; charset=utf-8", "ok", 200, "X-Request-Id"}, // the server's base path
		{"/nothing", "application/problem+json", `"status":404`, 404, ""},
	}
	for _, tc := range tests {
		resp, err := http.Get(p.url + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status || resp.Header.Get("Content-Type") != tc.ctype || !strings.Contains(string(b), tc.body) {
			t.Errorf("GET %s: %d %q %s", tc.path, resp.StatusCode, resp.Header.Get("Content-Type"), b)
		}
		if tc.header != "" && resp.Header.Get(tc.header) == "" {
			t.Errorf("GET %s: no %s header", tc.path, tc.header)
		}
	}
}

// TestMockBinaryReloadsTheDocument edits the served document: a broken edit keeps the
// old operations, the fixed one serves the new path.
func TestMockBinaryReloadsTheDocument(t *testing.T) {
	t.Parallel()
	spec := filepath.Join(t.TempDir(), "api.yaml")
	doc := func(path string) string {
		return "openapi: 3.0.3\ninfo: {title: t, version: \"1\"}\npaths:\n  " + path + ":\n    get:\n      operationId: ping\n      responses:\n        \"200\":\n          description: ok\n          content:\n            text/plain:\n              schema: {type: string}\n              example: pong\n"
	}
	if err := os.WriteFile(spec, []byte(doc("/ping")), 0o644); err != nil {
		t.Fatal(err)
	}
	p := startMock(t, "--spec", spec)
	status := func(path string) int {
		t.Helper()
		resp, err := http.Get(p.url + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if status("/ping") != 200 {
		t.Fatal("initial document not served")
	}
	if err := os.WriteFile(spec, []byte("openapi: 3.0.3\npaths: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p.stderr.waitFor(t, "reload failed, keeping the last good version")
	if status("/ping") != 200 {
		t.Fatal("broken document replaced the good one")
	}
	if err := os.WriteFile(spec, []byte(doc("/pong")), 0o644); err != nil {
		t.Fatal(err)
	}
	p.stderr.waitFor(t, "msg=reloaded")
	if status("/pong") != 200 || status("/ping") != 404 {
		t.Fatal("fixed document not served")
	}
}
