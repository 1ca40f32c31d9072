package mockserver_test

import (
	"net/http"
	"testing"

	"github.com/hookkit/hookkit/mockserver/mocktest"
)

// TestCORS sends what a browser sends: a preflight, then the actual request.
func TestCORS(t *testing.T) {
	t.Parallel()
	const origin = "http://localhost:3000"
	tests := []struct {
		name         string
		config       string
		origin       string
		reqHeaders   string
		wantStatus   int
		allowOrigin  string
		allowHeaders string
	}{
		{name: "any origin by default, document's headers", origin: origin, wantStatus: 204, allowOrigin: origin,
			allowHeaders: "Authorization, Content-Type, Prefer, X-Auth-Token, X-Repo-Auth, X-Sdk-Content-Sha256, X-Sdk-Date"},
		{name: "requested headers echoed", origin: origin, reqHeaders: "x-auth-token, content-type", wantStatus: 204, allowOrigin: origin,
			allowHeaders: "x-auth-token, content-type"},
		{name: "configured origin", config: "cors:\n  origins: [\"http://localhost:3000\"]\n", origin: origin, wantStatus: 204, allowOrigin: origin,
			allowHeaders: "Authorization, Content-Type, Prefer, X-Auth-Token, X-Repo-Auth, X-Sdk-Content-Sha256, X-Sdk-Date"},
		{name: "other origin refused", config: "cors:\n  origins: [\"https://app.example\"]\n", origin: origin, wantStatus: 403},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var opts []mocktest.Option
			if tc.config != "" {
				opts = append(opts, mocktest.WithConfig(mustConfig(t, tc.config)))
			}
			m := mocktest.Start(t, opts...)
			pre, _ := http.NewRequest(http.MethodOptions, m.URL+hookPath, nil)
			pre.Header.Set("Origin", tc.origin)
			pre.Header.Set("Access-Control-Request-Method", "POST")
			if tc.reqHeaders != "" {
				pre.Header.Set("Access-Control-Request-Headers", tc.reqHeaders)
			}
			r := do(t, pre)
			if r.status != tc.wantStatus {
				t.Fatalf("preflight status %d, want %d", r.status, tc.wantStatus)
			}
			if got := r.header.Get("Access-Control-Allow-Origin"); got != tc.allowOrigin {
				t.Errorf("Allow-Origin = %q, want %q", got, tc.allowOrigin)
			}
			if tc.wantStatus != 204 {
				return
			}
			if got := r.header.Get("Access-Control-Allow-Methods"); got != "POST" {
				t.Errorf("Allow-Methods = %q", got)
			}
			if got := r.header.Get("Access-Control-Allow-Headers"); got != tc.allowHeaders {
				t.Errorf("Allow-Headers = %q, want %q", got, tc.allowHeaders)
			}
			if r.header.Get("Access-Control-Max-Age") != "600" {
				t.Errorf("Max-Age = %q", r.header.Get("Access-Control-Max-Age"))
			}
			// The actual request carries Allow-Origin too.
			actual := do(t, hookRequest(t, m.URL, validBody, func(r *http.Request) { r.Header.Set("Origin", tc.origin) }))
			if actual.status != 200 || actual.header.Get("Access-Control-Allow-Origin") != tc.origin {
				t.Errorf("actual request: %d, Allow-Origin %q", actual.status, actual.header.Get("Access-Control-Allow-Origin"))
			}
		})
	}
}

func TestCORSOff(t *testing.T) {
	t.Parallel()
	m := mocktest.Start(t, mocktest.WithConfig(mustConfig(t, "cors:\n  enabled: false\n")))
	pre, _ := http.NewRequest(http.MethodOptions, m.URL+hookPath, nil)
	pre.Header.Set("Origin", "http://localhost:3000")
	pre.Header.Set("Access-Control-Request-Method", "POST")
	r := do(t, pre)
	// Without CORS the preflight is an ordinary OPTIONS request: 405 with Allow.
	if r.status != http.StatusMethodNotAllowed || r.header.Get("Access-Control-Allow-Origin") != "" || r.header.Get("Allow") != "POST" {
		t.Fatalf("status %d, headers %v", r.status, r.header)
	}
}

func TestCORSAdmin(t *testing.T) {
	t.Parallel()
	m := mocktest.Start(t, mocktest.WithConfig(mustConfig(t, "admin:\n  origins: [\"http://localhost:3000\"]\n")))
	pre, _ := http.NewRequest(http.MethodOptions, m.URL+"/__admin/requests", nil)
	pre.Header.Set("Origin", "http://localhost:3000")
	pre.Header.Set("Access-Control-Request-Method", "DELETE")
	r := do(t, pre)
	if r.status != http.StatusNoContent || r.header.Get("Access-Control-Allow-Methods") != "DELETE, GET, POST, PUT" ||
		r.header.Get("Access-Control-Allow-Headers") != "Authorization, Content-Type" {
		t.Fatalf("admin preflight: %d %v", r.status, r.header)
	}
	get, _ := http.NewRequest(http.MethodGet, m.URL+"/__admin/health", nil)
	get.Header.Set("Origin", "http://localhost:3000")
	if r := do(t, get); r.header.Get("Access-Control-Allow-Origin") != "http://localhost:3000" {
		t.Fatalf("admin answer without Allow-Origin: %v", r.header)
	}
}
