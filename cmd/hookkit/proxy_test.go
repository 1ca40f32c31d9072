package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// startProxyCommand runs "hookkit proxy" in-process on a free port and returns its
// address, its stderr (logs) and a function that stops it and returns the exit code.
func startProxyCommand(t *testing.T, args ...string) (addr string, logs *output, stop func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr := newOutput(), newOutput()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"proxy", "--addr", "127.0.0.1:0"}, args...), stdout, stderr)
	}()
	stdout.waitFor(t, "violations at")
	line := strings.SplitN(stdout.String(), "\n", 2)[0]
	addr = strings.Fields(strings.TrimPrefix(line, "hookkit proxy listening on "))[0]
	stopped := false
	stop = func() int {
		if stopped {
			return 0
		}
		stopped = true
		cancel()
		return <-done
	}
	t.Cleanup(func() { stop() })
	return addr, stderr, stop
}

func TestProxyCommand(t *testing.T) {
	t.Parallel()
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id":1573,"type":"github","callback_url":"https://example.com/webhook"}`))
	}))
	t.Cleanup(upstream.Close)
	tests := []struct {
		name       string
		args       []string
		wantStatus int
		wantBody   string
	}{
		{name: "forwards and marks", wantStatus: 200, wantBody: `{"id":1573,`},
		{name: "fail on violation", args: []string{"--fail-on-violation", "--log-format", "json"}, wantStatus: 502, wantBody: `"check": "body-schema"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			addr, logs, stop := startProxyCommand(t, append([]string{"--upstream", upstream.URL}, tt.args...)...)
			req, _ := http.NewRequest(http.MethodPost, addr+"/v1/p/git/repos/ns/app/hooks",
				strings.NewReader(`{"secret":"proxy-SECRET-41","url":"https://example.com/webhook"}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Auth-Token", checkToken)
			req.Header.Set("X-Repo-Auth", "auth")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.wantStatus || resp.Header.Get("X-Hookkit-Violations") != "1" || !strings.Contains(string(body), tt.wantBody) {
				t.Fatalf("got %d violations=%q %s", resp.StatusCode, resp.Header.Get("X-Hookkit-Violations"), body)
			}
			jr, err := http.Get(addr + "/__admin/violations")
			if err != nil {
				t.Fatal(err)
			}
			var journal struct {
				Violations []json.RawMessage `json:"violations"`
			}
			raw, _ := io.ReadAll(jr.Body)
			jr.Body.Close()
			if err := json.Unmarshal(raw, &journal); err != nil || len(journal.Violations) != 1 {
				t.Fatalf("journal: %v\n%s", err, raw)
			}
			logs.waitFor(t, "contract violation")
			if code := stop(); code != 0 {
				t.Errorf("exit code %d after shutdown", code)
			}
			all := string(body) + string(raw) + logs.String()
			for _, secret := range []string{checkToken, "proxy-SECRET-41"} {
				if strings.Contains(all, secret) {
					t.Errorf("secret %q leaked:\n%s", secret, all)
				}
			}
		})
	}
}

func TestProxyCommandUsage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args    []string
		wantErr string
	}{
		{nil, "--upstream is required"},
		{[]string{"--upstream", "ftp://x"}, `--upstream "ftp://x": scheme "ftp" is not supported`},
		{[]string{"--upstream", "127.0.0.1:4010"}, `--upstream "127.0.0.1:4010" has no scheme: add http:// or https://`},
		{[]string{"--upstream", "http://x", "--spec", "missing.yaml"}, "missing.yaml"},
	}
	for _, tt := range tests {
		code, _, errOut := runCLI(t, append([]string{"proxy"}, tt.args...)...)
		if code != 2 || !strings.Contains(errOut, tt.wantErr) {
			t.Errorf("proxy %q: exit %d, stderr %q; want 2 and %q", tt.args, code, errOut, tt.wantErr)
		}
	}
}
