package contract_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hookkit/hookkit/contract"
)

// TestProxyAdminRefusesWebPagesAndStrangers: the proxy's journal of violations follows
// the mock admin API's rules (package adminguard): no web page, no rebinding Host, no
// remote client of an exposed proxy without a token.
func TestProxyAdminRefusesWebPagesAndStrangers(t *testing.T) {
	t.Parallel()
	base, logs := startProxy(t, http.NotFoundHandler(), contract.ProxyOptions{})
	for _, tc := range []struct {
		name, method string
		header       map[string]string
		status       int
	}{
		{"read from curl", "GET", nil, 200},
		{"cross-origin read", "GET", map[string]string{"Origin": "http://evil.example"}, 403},
		{"rebinding Host", "GET", map[string]string{"Host": "rebind.evil.example"}, 403},
		{"simple-type DELETE", "DELETE", map[string]string{"Content-Type": "text/plain"}, 415},
		{"DELETE from curl", "DELETE", map[string]string{"Content-Type": "application/json"}, 204},
	} {
		req, _ := http.NewRequest(tc.method, base+contract.AdminPath, nil)
		for k, v := range tc.header {
			if k == "Host" {
				req.Host = v
			} else {
				req.Header.Set(k, v)
			}
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.status {
			t.Errorf("%s: %d, want %d", tc.name, resp.StatusCode, tc.status)
		}
	}
	if !strings.Contains(logs.String(), `"msg":"admin","method":"DELETE"`) {
		t.Errorf("admin writes are not logged:\n%s", logs)
	}

	// Bound to every interface without a token: loopback clients only.
	px := contract.NewProxy(hookDoc(t), mustURL(t, "http://127.0.0.1:1"), contract.ProxyOptions{Addr: "0.0.0.0:4011"})
	if !px.LoopbackOnly() {
		t.Fatal("an exposed proxy without a token is not loopback-only")
	}
	req := httptest.NewRequest("GET", "http://127.0.0.1:4011"+contract.AdminPath, nil)
	req.RemoteAddr = "192.0.2.9:5555"
	w := httptest.NewRecorder()
	px.ServeHTTP(w, req)
	if w.Code != 403 || !strings.Contains(w.Body.String(), "loopback clients only") {
		t.Errorf("remote client: %d %s", w.Code, w.Body)
	}
	// With a token, remote clients that carry it are served.
	px = contract.NewProxy(hookDoc(t), mustURL(t, "http://127.0.0.1:1"), contract.ProxyOptions{Addr: "0.0.0.0:4011", AdminToken: "px-token-123"})
	req.Header.Set("Authorization", "Bearer px-token-123")
	w = httptest.NewRecorder()
	px.ServeHTTP(w, req)
	if w.Code != 200 {
		t.Errorf("remote client with the token: %d %s", w.Code, w.Body)
	}
}

func mustURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestProxyUpstreamTimeout: an upstream that never answers cannot hold the proxy's
// clients: after UpstreamTimeout they get 502.
func TestProxyUpstreamTimeout(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	hang := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	base, logs := startProxy(t, hang, contract.ProxyOptions{UpstreamTimeout: 100 * time.Millisecond})
	t.Cleanup(func() { close(release) }) // runs before startProxy's cleanups close the upstream
	resp := hookRequest(t, base, nil)
	if resp.StatusCode != http.StatusBadGateway {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if !strings.Contains(logs.String(), "timeout awaiting response headers") {
		t.Errorf("log: %s", logs)
	}
}
