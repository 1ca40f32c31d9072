package contract_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hookkit/hookkit/contract"
)

// syncBuffer is a log sink safe for the proxy's concurrent handlers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

const proxySecret = "proxy-hook-secret-DISTINCTIVE"

func startProxy(t *testing.T, upstream http.Handler, opts contract.ProxyOptions) (string, *syncBuffer) {
	t.Helper()
	up := httptest.NewServer(upstream)
	t.Cleanup(up.Close)
	u, _ := url.Parse(up.URL)
	logs := &syncBuffer{}
	opts.Logger = slog.New(slog.NewJSONHandler(logs, nil))
	px := httptest.NewServer(contract.NewProxy(hookDoc(t), u, opts))
	t.Cleanup(px.Close)
	return px.URL, logs
}

func hookRequest(t *testing.T, base string, header map[string]string) *http.Response {
	t.Helper()
	body := `{"secret":"` + proxySecret + `","url":"https://example.com/webhook"}`
	req, _ := http.NewRequest(http.MethodPost, base+"/v1/p1/git/repos/ns/group:app/hooks", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Auth-Token", testToken)
	req.Header.Set("X-Repo-Auth", "auth")
	for k, v := range header {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func TestProxy(t *testing.T) {
	t.Parallel()
	wrongType := hookServer{ok: func(_ *http.Request, a *hookAnswer) {
		a.body = `{"id":1573,"type":"github","callback_url":"https://example.com/webhook","echo":"` + testToken + `"}`
	}}
	tests := []struct {
		name       string
		upstream   http.Handler
		opts       contract.ProxyOptions
		header     map[string]string
		wantStatus int
		wantMark   string
		wantBody   string
		wantChecks []string
	}{
		{name: "compliant exchange passes untouched", upstream: hookServer{}, wantStatus: 200,
			wantBody: `{"id":"1573","type":"github","callback_url":"https://example.com/webhook"}`},
		{name: "violating answer is forwarded and marked", upstream: wrongType, wantStatus: 200, wantMark: "1",
			wantBody: `"id":1573`, wantChecks: []string{"body-schema"}},
		{name: "invalid request is forwarded and marked", upstream: hookServer{}, header: map[string]string{"X-Repo-Auth": ""},
			wantStatus: 400, wantMark: "1", wantBody: "SVCSTG.REPO.0400", wantChecks: []string{"request-valid"}},
		{name: "fail on violation answers 502 with the report", upstream: wrongType, opts: contract.ProxyOptions{FailOnViolation: true},
			wantStatus: 502, wantMark: "1", wantBody: `"check": "body-schema"`, wantChecks: []string{"body-schema"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			base, logs := startProxy(t, tt.upstream, tt.opts)
			resp := hookRequest(t, base, tt.header)
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.wantStatus || resp.Header.Get(contract.ViolationsHeader) != tt.wantMark || !strings.Contains(string(body), tt.wantBody) {
				t.Fatalf("got %d %s=%q %s", resp.StatusCode, contract.ViolationsHeader, resp.Header.Get(contract.ViolationsHeader), body)
			}
			jr, err := http.Get(base + contract.AdminPath)
			if err != nil {
				t.Fatal(err)
			}
			journal, _ := io.ReadAll(jr.Body)
			jr.Body.Close()
			var j struct {
				Violations []contract.Exchange `json:"violations"`
			}
			if err := json.Unmarshal(journal, &j); err != nil {
				t.Fatalf("journal: %v\n%s", err, journal)
			}
			var checks []string
			for _, ex := range j.Violations {
				for _, v := range ex.Violations() {
					checks = append(checks, string(v.Check))
				}
			}
			if strings.Join(checks, ",") != strings.Join(tt.wantChecks, ",") {
				t.Errorf("journal checks %q, want %q\n%s", checks, tt.wantChecks, journal)
			}
			if tt.opts.FailOnViolation {
				// The 502 report is ours: it must be as clean as the journal.
				journal = append(journal, body...)
			}
			for _, out := range []string{string(journal), logs.String()} {
				if strings.Contains(out, testToken) || strings.Contains(out, proxySecret) {
					t.Errorf("a secret leaked:\n%s", out)
				}
			}
			if len(tt.wantChecks) > 0 && !strings.Contains(logs.String(), "contract violation") {
				t.Errorf("violation not logged: %s", logs.String())
			}
		})
	}
}

// TestProxyStreamsLargeBodies proves the proxy forwards a body larger than the validation
// limit while the upstream is still sending it: the upstream blocks until the client has
// read the first part, which could never happen if the proxy held the body whole.
func TestProxyStreamsLargeBodies(t *testing.T) {
	t.Parallel()
	const limit = 1024
	first := bytes.Repeat([]byte("a"), limit+100)
	release := make(chan struct{})
	upstream := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(first)
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
			return
		}
		_, _ = w.Write([]byte("tail"))
	})
	base, _ := startProxy(t, upstream, contract.ProxyOptions{BodyLimit: limit})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/v1/p1/git/repos/ns/app/hooks",
		strings.NewReader(`{"secret":"s","url":"https://example.com/"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Auth-Token", "t")
	req.Header.Set("X-Repo-Auth", "a")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got := make([]byte, len(first))
	if _, err := io.ReadFull(resp.Body, got); err != nil {
		t.Fatalf("reading the streamed part: %v", err)
	}
	close(release)
	rest, err := io.ReadAll(resp.Body)
	if err != nil || !bytes.Equal(got, first) || string(rest) != "tail" {
		t.Fatalf("body not forwarded unchanged: err=%v rest=%q", err, rest)
	}
}

// TestProxyUpstreamBasePathAndUnknownPaths forwards to an upstream under /api: requests
// are routed without the prefix, and paths the document does not know pass unmarked.
func TestProxyUpstreamBasePathAndUnknownPaths(t *testing.T) {
	t.Parallel()
	var gotPaths syncBuffer
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = gotPaths.Write([]byte(r.URL.Path + "\n"))
		if strings.HasSuffix(r.URL.Path, "/hooks") {
			http.StripPrefix("/api", hookServer{}).ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte("ok"))
	}))
	defer up.Close()
	u, _ := url.Parse(up.URL + "/api")
	px := httptest.NewServer(contract.NewProxy(hookDoc(t), u, contract.ProxyOptions{}))
	defer px.Close()

	resp := hookRequest(t, px.URL, nil)
	if resp.StatusCode != 200 || resp.Header.Get(contract.ViolationsHeader) != "" {
		t.Errorf("hook request: %d, violations %q", resp.StatusCode, resp.Header.Get(contract.ViolationsHeader))
	}
	health, err := http.Get(px.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	health.Body.Close()
	if health.StatusCode != 200 || health.Header.Get(contract.ViolationsHeader) != "" {
		t.Errorf("unknown path: %d, violations %q", health.StatusCode, health.Header.Get(contract.ViolationsHeader))
	}
	if want := "/api/v1/p1/git/repos/ns/group:app/hooks\n/api/healthz\n"; gotPaths.String() != want {
		t.Errorf("upstream saw %q, want %q", gotPaths.String(), want)
	}
}

// TestTransportForwardsLargeRequestBodies sends a body larger than the validation limit: the
// upstream receives it whole, and the exchange is noted as not validated, not failed.
func TestTransportForwardsLargeRequestBodies(t *testing.T) {
	t.Parallel()
	const limit = 1024
	big := `{"secret":"s","url":"https://example.com/","pad":"` + strings.Repeat("x", 3*limit) + `"}`
	received := make(chan string, 1)
	up := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		received <- string(b)
		hookServer{}.ServeHTTP(w, r)
	})
	var notes []string
	upSrv := httptest.NewServer(up)
	defer upSrv.Close()
	u, _ := url.Parse(upSrv.URL)
	tr := contract.NewTransport(hookDoc(t), nil, contract.TransportOptions{BodyLimit: limit,
		OnExchange: func(ex *contract.Exchange) { notes = append(notes, ex.Notes...) }})
	req, _ := http.NewRequest(http.MethodPost, u.String()+"/v1/p1/git/repos/ns/app/hooks", strings.NewReader(big))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Auth-Token", "t0ken")
	req.Header.Set("X-Repo-Auth", "a")
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := <-received; got != big {
		t.Errorf("upstream received %d bytes, want %d", len(got), len(big))
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "request body larger than the validation limit") {
		t.Errorf("notes %q", notes)
	}
}

// TestCompliantExchangesLeakNothing sends compliant traffic carrying secrets (the token,
// the hook's secret, a secret query parameter) to an upstream that echoes them back while
// staying within the document. The proxy judges such an exchange without rendering it;
// nothing it logs, at any level, or journals may show a secret, and a transport that is
// asked for every exchange renders the compliant one redacted.
func TestCompliantExchangesLeakNothing(t *testing.T) {
	t.Parallel()
	echo := hookServer{ok: func(r *http.Request, a *hookAnswer) {
		a.body = `{"id":"1573","type":"github","callback_url":"https://example.com/webhook?t=` + r.Header.Get("X-Auth-Token") + `"}`
	}}
	upstream := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Echo", r.Header.Get("X-Auth-Token"))
		echo.ServeHTTP(w, r)
	})
	up := httptest.NewServer(upstream)
	defer up.Close()
	u, _ := url.Parse(up.URL)
	logs := &syncBuffer{}
	logger := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	px := httptest.NewServer(contract.NewProxy(hookDoc(t), u, contract.ProxyOptions{Logger: logger}))
	defer px.Close()

	resp := hookRequest(t, px.URL, nil)
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || resp.Header.Get(contract.ViolationsHeader) != "" || !strings.Contains(string(body), testToken) {
		t.Fatalf("the compliant answer was not forwarded untouched: %d %s=%q %s", resp.StatusCode,
			contract.ViolationsHeader, resp.Header.Get(contract.ViolationsHeader), body)
	}
	// An unknown path is logged: its URL and nothing else of the request.
	req, _ := http.NewRequest(http.MethodGet, px.URL+"/healthz?access_token="+proxySecret, nil)
	req.Header.Set("X-Auth-Token", testToken)
	unknown, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	unknown.Body.Close()
	jr, err := http.Get(px.URL + contract.AdminPath)
	if err != nil {
		t.Fatal(err)
	}
	journal, _ := io.ReadAll(jr.Body)
	jr.Body.Close()
	if !strings.Contains(string(journal), `"violations": []`) {
		t.Errorf("compliant traffic journaled:\n%s", journal)
	}
	if !strings.Contains(logs.String(), "request unknown to the document") {
		t.Errorf("the unknown path was not logged:\n%s", logs.String())
	}
	for _, out := range []string{string(journal), logs.String()} {
		if strings.Contains(out, testToken) || strings.Contains(out, proxySecret) {
			t.Errorf("a secret leaked:\n%s", out)
		}
	}

	var seen []*contract.Exchange
	tr := contract.NewTransport(hookDoc(t), nil, contract.TransportOptions{
		OnExchange: func(ex *contract.Exchange) { seen = append(seen, ex) }})
	body2 := `{"secret":"` + proxySecret + `","url":"https://example.com/webhook"}`
	req, _ = http.NewRequest(http.MethodPost, up.URL+"/v1/p1/git/repos/ns/group:app/hooks", strings.NewReader(body2))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Auth-Token", testToken)
	req.Header.Set("X-Repo-Auth", "auth")
	resp, err = (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(got), testToken) {
		t.Errorf("the transport changed the answer: %s", got)
	}
	if len(seen) != 1 || len(seen[0].Violations()) != 0 || seen[0].Response == nil {
		t.Fatalf("want one compliant exchange with its answer, got %+v", seen)
	}
	rendered, _ := json.Marshal(seen[0])
	if strings.Contains(string(rendered), testToken) || strings.Contains(string(rendered), proxySecret) {
		t.Errorf("a secret leaked from a compliant exchange:\n%s", rendered)
	}
	if !strings.Contains(string(rendered), `"X-Echo"`) || !strings.Contains(string(rendered), "callback_url") {
		t.Errorf("the compliant exchange was not rendered whole:\n%s", rendered)
	}
}
