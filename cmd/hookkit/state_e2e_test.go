package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/hookkit/hookkit/internal/redistest"
)

// stateCall sends a JSON request to a mock and returns the status and body.
func stateCall(t *testing.T, method, url, body string, header map[string]string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

var hookHeaders = map[string]string{"X-Auth-Token": e2eToken, "X-Repo-Auth": "my-github-auth"}

// adminHookCount reads how many hooks a mock's state holds.
func adminHookCount(t *testing.T, base string) int {
	t.Helper()
	status, body := stateCall(t, "GET", base+"/__admin/state/hooks", "", nil)
	var view struct {
		Count int `json:"count"`
	}
	if status != 200 || json.Unmarshal(body, &view) != nil {
		t.Fatalf("GET /__admin/state/hooks: %d %s", status, body)
	}
	return view.Count
}

// TestMockReplicasShareRedis runs two mock processes on one real Redis: a hook created on
// one is seen by the other, a duplicate url is refused across replicas, and 200
// concurrent creates spread over both lose nothing.
func TestMockReplicasShareRedis(t *testing.T) {
	t.Parallel()
	redis := redistest.Start(t)
	cfg := writeFile(t, "mock.yaml", "hooks:\n  onDuplicate: reject\nstate:\n  prefix: e2e\n")
	a := startMock(t, "--state-redis", redis.URL, "--config", cfg)
	b := startMock(t, "--state-redis", redis.URL, "--config", cfg)
	const repo = "/v1/p1/git/repos/team/app/hooks"

	status, body := stateCall(t, "POST", a.url+repo, `{"secret":"`+e2eSecret+`","url":"https://example.com/one"}`, hookHeaders)
	if status != 200 {
		t.Fatalf("create on replica a: %d %s", status, body)
	}
	var hook struct{ ID string }
	_ = json.Unmarshal(body, &hook)
	_, seen := stateCall(t, "GET", b.url+"/__admin/hooks", "", nil)
	if !strings.Contains(string(seen), `"id": "`+hook.ID+`"`) || !strings.Contains(string(seen), `"project_id": "p1"`) {
		t.Fatalf("replica b does not see hook %s created on a: %s", hook.ID, seen)
	}
	if strings.Contains(string(seen), e2eSecret) {
		t.Fatal("the admin API shows the hook's secret")
	}
	status, body = stateCall(t, "POST", b.url+repo, `{"secret":"s","url":"https://example.com/one"}`, hookHeaders)
	if status != 400 || !strings.Contains(string(body), "SVCSTG.REPO.0409") {
		t.Fatalf("duplicate url on replica b: %d %s", status, body)
	}

	const n = 200
	var wg sync.WaitGroup
	errs := make(chan string, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			base := a.url
			if i%2 == 1 {
				base = b.url
			}
			req, _ := http.NewRequest("POST", base+repo, strings.NewReader(fmt.Sprintf(`{"secret":"s","url":"https://example.com/hook-%d"}`, i)))
			req.Header.Set("Content-Type", "application/json")
			for k, v := range hookHeaders {
				req.Header.Set(k, v)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				errs <- err.Error()
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				errs <- fmt.Sprintf("create %d: status %d", i, resp.StatusCode)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if got, other := adminHookCount(t, a.url), adminHookCount(t, b.url); got != n+1 || other != n+1 {
		t.Fatalf("after %d concurrent creates across two replicas: a sees %d hooks, b sees %d; want %d", n, got, other, n+1)
	}
	// A reset on one replica resets the shared state.
	if status, _ := stateCall(t, "POST", b.url+"/__admin/reset", "", nil); status != 204 {
		t.Fatalf("reset: %d", status)
	}
	if got := adminHookCount(t, a.url); got != 0 {
		t.Fatalf("replica a still sees %d hooks after a reset on b", got)
	}
}

// TestStatefulCheckAgainstBinary: hookkit check (the binary) passes its stateful sequences
// against hookkit mock --stateful, for the CRUD document with links on both stores, and
// the created resource survives across replicas on Redis.
func TestStatefulCheckAgainstBinary(t *testing.T) {
	t.Parallel()
	redis := redistest.Start(t)
	for _, store := range []string{"memory", "redis"} {
		t.Run(store, func(t *testing.T) {
			args := []string{"--stateful", "--spec", "../../mockserver/testdata/projects.yaml"}
			if store == "redis" {
				args = append(args, "--state-redis", redis.URL)
			}
			mock := startMock(t, args...)
			if store == "redis" {
				other := startMock(t, args...)
				status, body := stateCall(t, "POST", mock.url+"/projects", `{"name":"Shared"}`, map[string]string{"X-Api-Key": "k"})
				var p struct{ ID string }
				if status != 201 || json.Unmarshal(body, &p) != nil {
					t.Fatalf("create: %d %s", status, body)
				}
				if status, body := stateCall(t, "GET", other.url+"/projects/"+p.ID, "", map[string]string{"X-Api-Key": "k"}); status != 200 || !strings.Contains(string(body), `"Shared"`) {
					t.Fatalf("the other replica: %d %s", status, body)
				}
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			cmd := exec.CommandContext(ctx, hookkitBin, "check", "--spec", "../../mockserver/testdata/projects.yaml",
				"--base-url", mock.url, "--token-file", tokenFile(t), "--include", "stateful", "-v")
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("hookkit check: %v\n%s", err, out)
			}
			for _, want := range []string{"PASS    stateful/projects", "PASS    stateful/tasks", "✓ step 8: get the deleted tasks -> 404", "deleted projects"} {
				if !strings.Contains(string(out), want) {
					t.Errorf("output lacks %q:\n%s", want, out)
				}
			}
		})
	}
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestStatefulHooksBinary: `hookkit mock --stateful` on the hook API lists the inferred
// collection in its banner, keeps hooks per repository in memory, and the checker passes
// against it.
func TestStatefulHooksBinary(t *testing.T) {
	t.Parallel()
	cmd := exec.Command(hookkitBin, "mock", "--addr", "127.0.0.1:0", "--stateful")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	sc := bufio.NewScanner(stdout)
	var banner strings.Builder
	base := ""
	for sc.Scan() {
		line := sc.Text()
		banner.WriteString(line + "\n")
		if addr, ok := strings.CutPrefix(line, "hookkit mock listening on "); ok {
			base = addr
		}
		if strings.HasPrefix(line, "  hooks ") {
			break
		}
	}
	go func() { _, _ = io.Copy(io.Discard, stdout) }()
	want := "stateful: 1 collections in memory (at most 10000 items, 64 MiB)\n  hooks      /v1/{project_id}/git/repos/{namespace}/{project}/hooks  id .id  scoped by project_id, namespace, project  (create=createProjectHook, inferred)"
	if base == "" || !strings.Contains(banner.String(), want) {
		t.Fatalf("banner:\n%s\nwant:\n%s", banner.String(), want)
	}
	for _, repo := range []string{"/v1/p1/git/repos/team/app/hooks", "/v1/p2/git/repos/team/app/hooks"} {
		if status, body := stateCall(t, "POST", base+repo, `{"secret":"s","url":"https://example.com/h"}`, hookHeaders); status != 200 {
			t.Fatalf("create: %d %s", status, body)
		}
	}
	_, body := stateCall(t, "GET", base+"/__admin/state/hooks", "", nil)
	if !strings.Contains(string(body), `"scope": "p1/team/app"`) || !strings.Contains(string(body), `"scope": "p2/team/app"`) {
		t.Fatalf("state: %s", body)
	}
	out, err := exec.Command(hookkitBin, "check", "--base-url", base, "--token-file", tokenFile(t)).CombinedOutput()
	if err != nil {
		t.Fatalf("hookkit check against the stateful hook mock: %v\n%s", err, out)
	}
}
