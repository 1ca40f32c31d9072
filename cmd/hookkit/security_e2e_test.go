package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// The tests of this file attack the real binary the way SECURITY.md's threat model says
// an attacker can: a web page in the developer's browser, a client on the network, a
// document or config someone else wrote. No sleeps: every wait is on an event, with a
// deadline that only fails the test.

const hookPathE2E = "/v1/p1/git/repos/team/app/hooks"

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// runHookkit runs the hookkit binary to completion (at most 60 s) and returns its exit
// code and combined output.
func runHookkit(t *testing.T, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(hookkitBin, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		_ = cmd.Process.Kill()
		<-done
		t.Fatalf("hookkit %v did not finish:\n%s", args, out.String())
	}
	return cmd.ProcessState.ExitCode(), out.String()
}

// noCrash fails when output holds a Go stack trace or runtime error instead of a message.
func noCrash(t *testing.T, out string) {
	t.Helper()
	for _, s := range []string{"goroutine ", "runtime error", "panic:", "fatal error"} {
		if strings.Contains(out, s) {
			t.Fatalf("a crash instead of a message:\n%s", out)
		}
	}
}

func send(t *testing.T, method, url string, body string, header map[string]string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// TestAttackAdminFromAWebPage: the requests a hostile page (or a DNS-rebinding one) can
// make the browser send all fail, the config stays, the refusals are logged; the
// README's curl examples keep working.
func TestAttackAdminFromAWebPage(t *testing.T) {
	t.Parallel()
	cfg := writeTemp(t, "mock.yaml", "seed: 5\ncors:\n  origins: [\"http://app.example:3000\"]\n")
	p := startMock(t, "--config", cfg, "--no-watch")
	evil := "seed: 666\n"
	for _, a := range []struct {
		name, method, path, body string
		header                   map[string]string
		status                   int
	}{
		{"cross-origin simple POST", "POST", "/__admin/config", evil, map[string]string{"Origin": "http://evil.example", "Content-Type": "text/plain"}, 415},
		{"preflight from an unlisted origin", "OPTIONS", "/__admin/config", "", map[string]string{"Origin": "http://evil.example", "Access-Control-Request-Method": "PUT"}, 403},
		{"foreign Host (DNS rebinding)", "GET", "/__admin/requests", "", map[string]string{"Host": "rebind.evil.example:4010"}, 403},
		{"rebinding write", "PUT", "/__admin/config", evil, map[string]string{"Host": "rebind.evil.example", "Content-Type": "application/yaml"}, 403},
		{"empty PUT", "PUT", "/__admin/config", "", map[string]string{"Content-Type": "application/yaml"}, 400},
	} {
		status, h, body := send(t, a.method, p.url+a.path, a.body, a.header)
		if status != a.status || h.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("%s: %d (ACAO %q), want %d: %s", a.name, status, h.Get("Access-Control-Allow-Origin"), a.status, body)
		}
	}
	_, _, view := send(t, "GET", p.url+"/__admin/config", "", nil)
	if !strings.Contains(view, `"seed": 5`) || !strings.Contains(view, "http://app.example:3000") {
		t.Fatalf("the config changed:\n%s", view)
	}
	p.stderr.waitFor(t, "msg=admin method=POST endpoint=/__admin/config")
	if !strings.Contains(p.stderr.String(), "status=415") {
		t.Errorf("refusal not logged:\n%s", p.stderr)
	}
	// README: curl from a terminal with a YAML Content-Type.
	status, _, body := send(t, "PUT", p.url+"/__admin/config", "seed: 6\n", map[string]string{"Content-Type": "application/yaml"})
	if status != 200 {
		t.Fatalf("curl-style PUT: %d %s", status, body)
	}
	p.stderr.waitFor(t, "endpoint=/__admin/config client=127.0.0.1")
	if strings.Contains(p.stderr.String(), "seed: 6") {
		t.Errorf("an admin body was logged:\n%s", p.stderr)
	}
}

// TestAttackHostileConfigValues: values that used to crash the process are file:line
// errors with exit code 2.
func TestAttackHostileConfigValues(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, config, want string }{
		{"huge journal", "journal:\n  size: 10000000000\n", "mock.yaml:2: journal.size must be at most 100000 entries"},
		{"journal bytes", "journal:\n  maxBytes: 99999999999\n", "mock.yaml:2: journal.maxBytes must be between"},
		{"unbounded range", "rules:\n  - respond:\n      bodyText: '{{range unix}}x{{end}}'\n", "range over unix is not allowed"},
		{"range bomb", "rules:\n  - respond:\n      bodyText: '{{range 100000}}{{range 100000}}x{{end}}{{end}}'\n", "nested ranges over numbers may make at most 100000 iterations"},
		{"informational status", "rules:\n  - respond: {status: 101}\n", "mock.yaml:2: rule \"rule-1\": status 101 is informational"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, out := runHookkit(t, "mock", "--addr", "127.0.0.1:0", "--config", writeTemp(t, "mock.yaml", tc.config))
			noCrash(t, out)
			if code != 2 || !strings.Contains(out, tc.want) {
				t.Fatalf("exit %d, want 2 and %q:\n%s", code, tc.want, out)
			}
		})
	}
}

// TestAttackTemplates: a template bomb gets the operation's error response within the
// budget, a templated status the operation does not declare is never sent, and the
// process keeps serving.
func TestAttackTemplates(t *testing.T) {
	t.Parallel()
	cfg := writeTemp(t, "mock.yaml", `rules:
  - name: bomb
    match: {headers: {X-Case: {equals: bomb}}}
    respond:
      status: 200
      bodyText: '{{range 1000}}{{printf "%01000000d" 1}}{{end}}'
  - name: status
    match: {headers: {X-Case: {equals: status}}}
    respond:
      status: '{{ .Header.Get "X-Status" }}'
      body: {id: "1", type: github, callback_url: "https://x.example"}
`)
	p := startMock(t, "--config", cfg, "--no-watch")
	hdr := func(extra ...string) map[string]string {
		h := map[string]string{"Content-Type": "application/json", "X-Auth-Token": e2eToken, "X-Repo-Auth": "a"}
		for i := 0; i+1 < len(extra); i += 2 {
			h[extra[i]] = extra[i+1]
		}
		return h
	}
	valid := `{"secret":"` + e2eSecret + `","url":"https://example.com/h"}`
	status, _, body := send(t, "POST", p.url+hookPathE2E, valid, hdr("X-Case", "bomb"))
	if status != 400 || !strings.Contains(body, "template budget exceeded") || len(body) > 4096 {
		t.Fatalf("template bomb: %d, %d bytes: %.300s", status, len(body), body)
	}
	for _, code := range []string{"101", "204", "304", "201", "599"} {
		status, _, body := send(t, "POST", p.url+hookPathE2E, valid, hdr("X-Case", "status", "X-Status", code))
		if status != 400 {
			t.Errorf("templated status %s: sent %d: %s", code, status, body)
		}
	}
	if status, _, body := send(t, "POST", p.url+hookPathE2E, valid, hdr("X-Case", "status", "X-Status", "200")); status != 200 {
		t.Errorf("declared templated status: %d %s", status, body)
	}
	_, _, journal := send(t, "GET", p.url+"/__admin/requests?limit=6", "", nil)
	if !strings.Contains(journal, `"in": "rule"`) || !strings.Contains(journal, "does not declare") {
		t.Errorf("the refused status is not journaled as a rule problem:\n%.2000s", journal)
	}
}

// TestAttackEchoedSecret: a rule that echoes the token and the hook secret into a header
// and a non-secret field cannot make the journal, the admin API or the log show them.
func TestAttackEchoedSecret(t *testing.T) {
	t.Parallel()
	cfg := writeTemp(t, "mock.yaml", `rules:
  - name: echo
    match: {operation: createProjectHook}
    respond:
      status: 200
      headers:
        X-Echo: '{{ .Header.Get "X-Auth-Token" }}'
      body: {id: '{{ .Body.secret }}', type: github, callback_url: 'https://x.example/{{ .Header.Get "X-Auth-Token" }}'}
`)
	p := startMock(t, "--config", cfg, "--no-watch")
	status, h, _ := send(t, "POST", p.url+hookPathE2E+"?page=1", `{"secret":"`+e2eSecret+`","url":"https://example.com/h"}`,
		map[string]string{"Content-Type": "application/json", "X-Auth-Token": e2eToken, "X-Repo-Auth": "a"})
	if status != 200 || h.Get("X-Echo") != e2eToken {
		t.Fatalf("the rule did not echo (the client may see its own token): %d %v", status, h)
	}
	for _, path := range []string{"requests", "mappings", "config", "hooks"} {
		_, _, body := send(t, "GET", p.url+"/__admin/"+path, "", nil)
		for _, secret := range []string{e2eToken, e2eSecret} {
			if strings.Contains(body, secret) {
				t.Errorf("GET /__admin/%s shows %q:\n%s", path, secret, body)
			}
		}
		if path == "requests" && !strings.Contains(body, `"X-Echo": [`) {
			t.Errorf("journal lacks the echoed header: %s", body)
		}
	}
	p.stderr.waitFor(t, "msg=request")
	for _, secret := range []string{e2eToken, e2eSecret} {
		if strings.Contains(p.stderr.String(), secret) {
			t.Errorf("the log shows %q", secret)
		}
	}
}

// rss returns a process's resident set (VmRSS) and its peak (VmHWM) in bytes.
func rss(t *testing.T, pid int) (cur, peak int64) {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && (f[0] == "VmRSS:" || f[0] == "VmHWM:") {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			if f[0] == "VmRSS:" {
				cur = kb << 10
			} else {
				peak = kb << 10
			}
		}
	}
	return cur, peak
}

// TestAttackByteFlood: 400 requests of about 1.2 MB each (a 900 KB url, a 100 KB header
// and a 100 KB query), valid and invalid at once, plus bursts of 8 MiB bodies, keep the
// mock's memory and its log bounded (before the limits: 1.1 GB RSS and 78 MB of log).
func TestAttackByteFlood(t *testing.T) {
	t.Parallel()
	logFile := filepath.Join(t.TempDir(), "mock.log")
	lf, err := os.Create(logFile)
	if err != nil {
		t.Fatal(err)
	}
	defer lf.Close()
	cmd := exec.Command(hookkitBin, "mock", "--addr", "127.0.0.1:0", "--max-header-bytes", "1048576")
	cmd.Stderr = lf
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	var base string
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if addr, ok := strings.CutPrefix(sc.Text(), "hookkit mock listening on "); ok {
			base = addr
			break
		}
	}
	go func() { _, _ = io.Copy(io.Discard, stdout) }()
	if base == "" {
		t.Fatal("no banner")
	}
	startRSS, _ := rss(t, cmd.Process.Pid)

	bigURL := "https://example.com/" + strings.Repeat("u", 900<<10)
	bigHeader := strings.Repeat("h", 100<<10)
	bigQuery := "q=" + strings.Repeat("q", 100<<10)
	huge := bytes.Repeat([]byte("x"), 8<<20)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 8}}
	var wg sync.WaitGroup
	var failures atomic.Int64
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100 {
				body := []byte(`{"secret":"` + e2eSecret + `","url":"` + bigURL + strconv.Itoa(i) + `"}`)
				switch {
				case i%25 == 0:
					body = huge // a burst of 8 MiB bodies: refused by size
				case (i+w)%2 == 1:
					body = body[:len(body)-2] // invalid JSON
				}
				req, _ := http.NewRequest("POST", base+hookPathE2E+"?"+bigQuery, bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("X-Auth-Token", e2eToken)
				req.Header.Set("X-Repo-Auth", "a")
				req.Header.Set("X-Big", bigHeader)
				resp, err := client.Do(req)
				if err != nil {
					failures.Add(1)
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 && resp.StatusCode != 400 {
					failures.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if n := failures.Load(); n > 0 {
		t.Errorf("%d requests failed or got another status than 200/400", n)
	}
	// The journal and the hook store are full now; listing them must not blow up either.
	status, _, list := send(t, "GET", base+"/__admin/requests", "", nil)
	if status != 200 {
		t.Fatalf("journal: %d", status)
	}
	cur, peak := rss(t, cmd.Process.Pid)
	st, _ := os.Stat(logFile)
	t.Logf("RSS %d MB at start, %d MB after 400 requests of 1.2 MB (peak %d MB); log %d KB; journal answer %d KB",
		startRSS>>20, cur>>20, peak>>20, st.Size()>>10, len(list)>>10)
	if peak > 300<<20 {
		t.Errorf("peak RSS %d MB: memory is not bounded", peak>>20)
	}
	if st.Size() > 4<<20 {
		t.Errorf("the log grew to %d KB for 400 requests", st.Size()>>10)
	}
	var journal struct {
		Requests []json.RawMessage `json:"requests"`
	}
	if err := json.Unmarshal([]byte(list), &journal); err != nil || len(journal.Requests) == 0 {
		t.Fatalf("journal: %v", err)
	}
	if len(list) > 40<<20 {
		t.Errorf("the journal answer is %d MB: over its byte budget", len(list)>>20)
	}
}

// rawConn opens a loopback TCP connection whose reads fail the test after 10 s.
func rawConn(t *testing.T, base string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	return c
}

// readUntilClosed reads until the server closes the connection and returns what came.
func readUntilClosed(t *testing.T, c net.Conn) string {
	t.Helper()
	b, err := io.ReadAll(c)
	var ne net.Error
	if err != nil && errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("the server kept the connection open: %v (read %q)", err, b)
	}
	return string(b)
}

// TestAttackSlowAndIdleConnections: a client that trickles its body, or keeps an idle
// connection, is cut off after the configured time.
func TestAttackSlowAndIdleConnections(t *testing.T) {
	t.Parallel()
	p := startMock(t, "--read-timeout", "300ms", "--idle-timeout", "300ms")
	t.Run("slow body", func(t *testing.T) {
		t.Parallel()
		c := rawConn(t, p.url)
		fmt.Fprintf(c, "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nX-Auth-Token: t\r\nX-Repo-Auth: a\r\nContent-Length: 1000\r\n\r\n{\"secret\":", hookPathE2E)
		got := readUntilClosed(t, c) // and never send the rest
		if !strings.HasPrefix(got, "HTTP/1.1 400") {
			t.Errorf("answer to a cut-off body: %.200q", got)
		}
	})
	t.Run("idle keep-alive", func(t *testing.T) {
		t.Parallel()
		c := rawConn(t, p.url)
		fmt.Fprintf(c, "GET /__admin/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
		got := readUntilClosed(t, c) // the answer, then the close of the idle connection
		if !strings.HasPrefix(got, "HTTP/1.1 200") {
			t.Errorf("answer: %.200q", got)
		}
	})
	t.Run("huge header", func(t *testing.T) {
		t.Parallel()
		status, _, _ := send(t, "GET", p.url+"/__admin/health", "", map[string]string{"X-Big": strings.Repeat("h", 100<<10)})
		if status != http.StatusRequestHeaderFieldsTooLarge {
			t.Errorf("100 KB header: %d", status)
		}
	})
}

// hostileDoc returns a document whose 200 answer is the schema YAML given.
func hostileDoc(schema string) string {
	return "openapi: 3.0.3\ninfo: {title: hostile, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n" +
		"        '200':\n          description: ok\n          content:\n            application/json:\n              schema: " + schema + "\n"
}

// TestAttackHostileDocuments: documents that reach out, read local files, or need huge
// values are refused with messages, by every command, and never show a file's content.
func TestAttackHostileDocuments(t *testing.T) {
	t.Parallel()
	var conns atomic.Int64
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("type: string\n"))
	}), ConnState: func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	remote := writeTemp(t, "remote.yaml", hostileDoc("{$ref: 'http://"+ln.Addr().String()+"/s.yaml'}"))
	for _, args := range [][]string{
		{"mock", "--addr", "127.0.0.1:0", "--spec", remote},
		{"check", "--dry-run", "--base-url", "http://127.0.0.1:1", "--spec", remote},
		{"proxy", "--addr", "127.0.0.1:0", "--upstream", "http://127.0.0.1:1", "--spec", remote},
	} {
		code, out := runHookkit(t, args...)
		noCrash(t, out)
		if code != 2 || !strings.Contains(out, "remote references are off") {
			t.Errorf("%s: exit %d:\n%s", args[0], code, out)
		}
	}
	if n := conns.Load(); n != 0 {
		t.Fatalf("hermetic loads made %d connections", n)
	}
	code, out := runHookkit(t, "check", "--dry-run", "--base-url", "http://127.0.0.1:1", "--spec", remote, "--allow-remote-refs")
	if code != 0 || conns.Load() != 1 {
		t.Errorf("--allow-remote-refs: exit %d, %d connections:\n%s", code, conns.Load(), out)
	}

	for _, tc := range []struct {
		name, schema, want string
		strictOnly         bool // refused only with --strict (lenient loading warns)
	}{
		{"/etc/passwd", "{$ref: '/etc/passwd'}", "outside the document's folder", false},
		{"file URL", "{$ref: 'file:///etc/passwd'}", "outside the document's folder", false},
		{"huge minLength", "{type: string, minLength: 2000000000}", "synthesis budget exceeded", true},
		{"nested minItems", "{type: array, minItems: 1000, items: {type: array, minItems: 1000, items: {type: array, minItems: 1000, items: {type: integer}}}}", "synthesis budget exceeded", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			args := []string{"mock", "--addr", "127.0.0.1:0", "--spec", writeTemp(t, "doc.yaml", hostileDoc(tc.schema))}
			if tc.strictOnly {
				args = append(args, "--strict")
			}
			code, out := runHookkit(t, args...)
			noCrash(t, out)
			if code != 2 || !strings.Contains(out, tc.want) || strings.Contains(out, "root:") {
				t.Errorf("exit %d, want 2 and %q:\n%s", code, tc.want, out)
			}
		})
	}
}

// TestAttackOverBudgetSchemaServedLeniently: without --strict, a response schema whose
// smallest value is over the synthesis budget does not stop the mock (issue 10's lenient
// loading): it is an unsynthesizable warning naming the schema's file and line, and the
// operation answers its declared status without a body, at once.
func TestAttackOverBudgetSchemaServedLeniently(t *testing.T) {
	t.Parallel()
	spec := writeTemp(t, "doc.yaml", hostileDoc("{type: string, minLength: 2000000000}"))
	p := startMock(t, "--spec", spec)
	p.stderr.waitFor(t, "unsynthesizable 1); --strict refuses them")
	if out := p.stderr.String(); !strings.Contains(out, "synthesis budget exceeded") || !strings.Contains(out, "doc.yaml:10") {
		t.Errorf("the warning does not name the budget and the schema's line:\n%s", out)
	}
	resp, err := http.Get(p.url + "/a")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || len(body) != 0 {
		t.Errorf("GET /a: %d with %d bytes, want 200 without a body", resp.StatusCode, len(body))
	}
}

// TestAttackLoadHangsUntilSignal: with remote refs allowed, a host that never answers
// cannot hold the command: SIGINT ends the load at once.
func TestAttackLoadHangsUntilSignal(t *testing.T) {
	t.Parallel()
	got := make(chan struct{}, 1)
	release := make(chan struct{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- struct{}{}
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { close(release); _ = srv.Close() })
	spec := writeTemp(t, "doc.yaml", hostileDoc("{$ref: 'http://"+ln.Addr().String()+"/s.yaml'}"))
	cmd := exec.Command(hookkitBin, "mock", "--addr", "127.0.0.1:0", "--spec", spec, "--allow-remote-refs")
	out := newOutput()
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-got:
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("the load never fetched the ref:\n%s", out)
	}
	_ = cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("SIGINT did not end the load:\n%s", out)
	}
	if code := cmd.ProcessState.ExitCode(); code != 2 || !strings.Contains(out.String(), "interrupted") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

// TestAttackRefChain: a chain of 4,000 $refs loads and serves (BenchmarkLoadRefChain
// measures the time).
func TestAttackRefChain(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString(hostileDoc("{$ref: '#/components/schemas/S0'}"))
	b.WriteString("components:\n  schemas:\n")
	for i := range 3999 {
		fmt.Fprintf(&b, "    S%d: {$ref: '#/components/schemas/S%d'}\n", i, i+1)
	}
	b.WriteString("    S3999: {type: string, example: end-of-chain}\n")
	p := startMock(t, "--spec", writeTemp(t, "chain.yaml", b.String()))
	if status, _, body := send(t, "GET", p.url+"/a", "", nil); status != 200 || body != `"end-of-chain"` {
		t.Fatalf("%d %s", status, body)
	}
}

// TestCheckRefusesTyposAndNonsense: a typo in --include would check nothing and pass CI.
func TestCheckRefusesTyposAndNonsense(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"--include", "negtive"}, []string{`"negtive" is neither an operationId nor a case kind`, "createProjectHook", "kinds: positive, negative, stateful"}},
		{[]string{"--exclude", "createProjectHok"}, []string{`"createProjectHok"`}},
		{[]string{"--rate", "nan"}, []string{"--rate must be a number"}},
		{[]string{"--rate", "+Inf"}, []string{"--rate must be a number"}},
		{[]string{"--positive", "-1"}, []string{"must not be negative"}},
		{[]string{"--timeout", "-1s"}, []string{"--timeout must be a positive duration"}},
	} {
		code, out := runHookkit(t, append([]string{"check", "--dry-run", "--base-url", "http://127.0.0.1:1"}, tc.args...)...)
		if code != 2 {
			t.Errorf("%v: exit %d:\n%s", tc.args, code, out)
		}
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("%v: output lacks %q:\n%s", tc.args, w, out)
			}
		}
	}
	for _, args := range [][]string{
		{"mock", "--read-timeout", "-1s"},
		{"mock", "--max-header-bytes", "10"},
		{"proxy", "--upstream", "http://127.0.0.1:1", "--upstream-timeout", "0s"},
	} {
		if code, out := runHookkit(t, args...); code != 2 {
			t.Errorf("%v: exit %d:\n%s", args, code, out)
		}
	}
}
