package mockserver_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hookkit/hookkit/mockserver"
	"github.com/hookkit/hookkit/mockserver/mocktest"
	"github.com/hookkit/hookkit/openapi"
)

// adminAttack is one request an attacker (a web page, a rebinding page, a host on the
// network) sends to the admin API, and what the mock must answer.
type adminAttack struct {
	name   string
	method string
	path   string
	header map[string]string
	host   string // Host header; "" is 127.0.0.1:4010
	remote string // client address; "" is loopback
	body   string
	status int
	// allowOrigin is the Access-Control-Allow-Origin the answer must carry ("" none).
	allowOrigin string
}

func newGuardedMock(t *testing.T, cfgYAML string, opts mockserver.Options) *mockserver.Server {
	t.Helper()
	doc, err := openapi.Default()
	if err != nil {
		t.Fatal(err)
	}
	opts.Config = mustConfig(t, cfgYAML)
	srv, err := mockserver.New(doc, mocktest.HookAPIOptions(opts))
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

func (a adminAttack) run(t *testing.T, h http.Handler) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(a.method, "http://127.0.0.1:4010"+a.path, strings.NewReader(a.body))
	req.Host = "127.0.0.1:4010"
	if a.host != "" {
		req.Host = a.host
	}
	req.RemoteAddr = "127.0.0.1:50000"
	if a.remote != "" {
		req.RemoteAddr = a.remote
	}
	for k, v := range a.header {
		req.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

// TestAdminRefusesWebPages drives the admin API as a hostile page in the developer's
// browser would, with CORS restricted for the API itself: none of it may change the mock.
func TestAdminRefusesWebPages(t *testing.T) {
	t.Parallel()
	const cfg = "seed: 7\ncors:\n  origins: [\"http://app.example:3000\"]\nadmin:\n  origins: [\"http://dash.example:8080\"]\n"
	replace := "seed: 99\n"
	for _, a := range []adminAttack{
		{name: "cross-origin simple POST (text/plain, no preflight)", method: "POST", path: "/__admin/config",
			header: map[string]string{"Origin": "http://evil.example", "Content-Type": "text/plain"}, body: replace, status: 415},
		{name: "simple POST from a form", method: "POST", path: "/__admin/config",
			header: map[string]string{"Origin": "null", "Content-Type": "application/x-www-form-urlencoded"}, body: replace, status: 415},
		{name: "simple POST without a Content-Type (reset)", method: "POST", path: "/__admin/reset",
			header: map[string]string{"Origin": "http://evil.example"}, status: 415},
		{name: "preflight from an unlisted origin", method: "OPTIONS", path: "/__admin/config",
			header: map[string]string{"Origin": "http://evil.example", "Access-Control-Request-Method": "PUT", "Access-Control-Request-Headers": "content-type"}, status: 403},
		{name: "preflight from null", method: "OPTIONS", path: "/__admin/config",
			header: map[string]string{"Origin": "null", "Access-Control-Request-Method": "PUT"}, status: 403},
		{name: "preflight from the API's own CORS origin", method: "OPTIONS", path: "/__admin/config",
			header: map[string]string{"Origin": "http://app.example:3000", "Access-Control-Request-Method": "PUT"}, status: 403},
		{name: "JSON write from an unlisted origin (preflight skipped by a non-browser)", method: "PUT", path: "/__admin/config",
			header: map[string]string{"Origin": "http://evil.example", "Content-Type": "application/yaml"}, body: replace, status: 403},
		{name: "cross-origin read", method: "GET", path: "/__admin/requests",
			header: map[string]string{"Origin": "http://evil.example"}, status: 403},
		{name: "DNS rebinding: foreign Host", method: "GET", path: "/__admin/requests", host: "rebind.evil.example:4010", status: 403},
		{name: "DNS rebinding write", method: "PUT", path: "/__admin/config", host: "rebind.evil.example",
			header: map[string]string{"Content-Type": "application/yaml"}, body: replace, status: 403},
		{name: "listed origin preflight", method: "OPTIONS", path: "/__admin/config",
			header: map[string]string{"Origin": "http://dash.example:8080", "Access-Control-Request-Method": "PUT"}, status: 204, allowOrigin: "http://dash.example:8080"},
		{name: "listed origin read", method: "GET", path: "/__admin/health",
			header: map[string]string{"Origin": "http://dash.example:8080"}, status: 200, allowOrigin: "http://dash.example:8080"},
		{name: "localhost Host", method: "GET", path: "/__admin/health", host: "localhost:4010", status: 200},
		{name: "IPv6 loopback Host", method: "GET", path: "/__admin/health", host: "[::1]:4010", status: 200},
		{name: "empty PUT is not a reset", method: "PUT", path: "/__admin/config",
			header: map[string]string{"Content-Type": "application/yaml"}, body: "", status: 400},
		{name: "huge journal size", method: "PUT", path: "/__admin/config",
			header: map[string]string{"Content-Type": "application/yaml"}, body: "journal:\n  size: 10000000000\n", status: 400},
	} {
		t.Run(a.name, func(t *testing.T) {
			t.Parallel()
			srv := newGuardedMock(t, cfg, mockserver.Options{})
			w := a.run(t, srv)
			if w.Code != a.status {
				t.Fatalf("status %d, want %d: %s", w.Code, a.status, w.Body)
			}
			if got := w.Header().Get("Access-Control-Allow-Origin"); got != a.allowOrigin {
				t.Errorf("Access-Control-Allow-Origin %q, want %q", got, a.allowOrigin)
			}
			c := srv.Config()
			if c.Seed != 7 || len(c.CORS.Origins) != 1 || c.Journal.Size != 1000 {
				t.Errorf("the config changed: seed %d, cors.origins %v, journal.size %d", c.Seed, c.CORS.Origins, c.Journal.Size)
			}
		})
	}
}

// TestAdminHugeJournalSize is the one request that used to kill the process: the answer
// names the line, and the mock keeps serving with its journal.
func TestAdminHugeJournalSize(t *testing.T) {
	t.Parallel()
	srv := newGuardedMock(t, "", mockserver.Options{})
	w := adminAttack{method: "PUT", path: "/__admin/config", header: map[string]string{"Content-Type": "application/yaml"},
		body: "journal:\n  size: 10000000000\n"}.run(t, srv)
	if w.Code != 400 || !strings.Contains(w.Body.String(), "PUT /__admin/config:2: journal.size must be at most 100000 entries") {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	if srv.Journal().Cap() != 1000 {
		t.Errorf("journal capacity %d", srv.Journal().Cap())
	}
}

// TestAdminToken: with a token, every endpoint needs it, from loopback too; the token is
// never logged.
func TestAdminToken(t *testing.T) {
	t.Parallel()
	const secret = "adm-9f8e7d6c5b4a"
	logs := &logBuffer{}
	srv := newGuardedMock(t, "", mockserver.Options{AdminToken: secret, Addr: "0.0.0.0:4010", Logger: textLogger(logs)})
	if srv.LoopbackOnly() {
		t.Error("loopback-only although a token is set")
	}
	for _, a := range []adminAttack{
		{name: "no token", method: "GET", path: "/__admin/requests", status: 401},
		{name: "wrong token", method: "GET", path: "/__admin/health", header: map[string]string{"Authorization": "Bearer adm-9f8e7d6c5b4b"}, status: 401},
		{name: "token prefix", method: "GET", path: "/__admin/health", header: map[string]string{"Authorization": "Bearer adm-9f8e"}, status: 401},
		{name: "write without token", method: "POST", path: "/__admin/reset", header: map[string]string{"Content-Type": "application/json"}, status: 401},
		{name: "right token, remote client", method: "GET", path: "/__admin/health", remote: "192.0.2.7:40000",
			header: map[string]string{"Authorization": "Bearer " + secret}, status: 200},
		{name: "right token, write", method: "POST", path: "/__admin/reset",
			header: map[string]string{"Authorization": "Bearer " + secret, "Content-Type": "application/json"}, status: 204},
	} {
		w := a.run(t, srv)
		if w.Code != a.status {
			t.Errorf("%s: status %d, want %d: %s", a.name, w.Code, a.status, w.Body)
		}
	}
	out := logs.String()
	if strings.Contains(out, secret) {
		t.Errorf("the admin token is in the log:\n%s", out)
	}
	for _, want := range []string{"msg=admin method=POST endpoint=/__admin/reset client=127.0.0.1:50000 status=401", "endpoint=/__admin/reset client=127.0.0.1:50000 status=204"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
}

// TestAdminLoopbackOnlyWhenExposed: bound to every interface without a token, the admin
// API answers loopback clients only, while the mocked API answers everyone.
func TestAdminLoopbackOnlyWhenExposed(t *testing.T) {
	t.Parallel()
	logs := &logBuffer{}
	srv := newGuardedMock(t, "", mockserver.Options{Addr: "0.0.0.0:4010", Logger: textLogger(logs)})
	if !srv.LoopbackOnly() {
		t.Fatal("not loopback-only")
	}
	remote := adminAttack{method: "GET", path: "/__admin/requests", remote: "192.0.2.7:40000"}.run(t, srv)
	if remote.Code != 403 || !strings.Contains(remote.Body.String(), "loopback clients only") {
		t.Errorf("remote client: %d %s", remote.Code, remote.Body)
	}
	local := adminAttack{method: "GET", path: "/__admin/requests"}.run(t, srv)
	if local.Code != 200 {
		t.Errorf("loopback client: %d %s", local.Code, local.Body)
	}
	req := httptest.NewRequest("POST", "http://192.0.2.1:4010"+hookPath, strings.NewReader(validBody))
	req.RemoteAddr = "192.0.2.7:40000"
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Auth-Token", token)
	req.Header.Set("X-Repo-Auth", "a")
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, req)
	if w.Code != 200 {
		t.Errorf("the mocked API refused a remote client: %d %s", w.Code, w.Body)
	}
	if !strings.Contains(logs.String(), "client=192.0.2.7:40000 status=403") {
		t.Errorf("refusal not logged:\n%s", logs.String())
	}
	// Bound to a named loopback address: no restriction needed.
	if newGuardedMock(t, "", mockserver.Options{Addr: "localhost:4010"}).LoopbackOnly() {
		t.Error("loopback bind reported as exposed")
	}
}

// TestAdminHostsConfig: a name listed in admin.hosts is served.
func TestAdminHostsConfig(t *testing.T) {
	t.Parallel()
	srv := newGuardedMock(t, "admin:\n  hosts: [mock.internal]\n", mockserver.Options{})
	if w := (adminAttack{method: "GET", path: "/__admin/health", host: "mock.internal:4010"}).run(t, srv); w.Code != 200 {
		t.Errorf("listed host: %d %s", w.Code, w.Body)
	}
	if w := (adminAttack{method: "GET", path: "/__admin/health", host: "other.internal:4010"}).run(t, srv); w.Code != 403 {
		t.Errorf("unlisted host: %d %s", w.Code, w.Body)
	}
}
