package mockserver_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/hookkit/hookkit/mockserver/mocktest"
)

func TestPrefer(t *testing.T) {
	t.Parallel()
	m := mocktest.Start(t)
	tests := []struct {
		name, prefer string
		body         string
		status       int
		want         map[string]any
		contains     string
	}{
		{name: "no preference: typed handler echoes url", status: 200, want: map[string]any{"callback_url": "https://example.com/webhook", "type": "github"}},
		{name: "first example of 200", prefer: "code=200", status: 200, want: map[string]any{"id": "1573", "type": "github"}},
		{name: "named example", prefer: "example=created-gitlab", status: 200, want: map[string]any{"id": "2048", "type": "gitlab"}},
		{name: "400 by code", prefer: "code=400", status: 400, contains: `"error_code":"SVCSTG.REPO.`},
		{name: "400 example by name alone", prefer: "example=missing-field", status: 400, want: map[string]any{"error_code": "SVCSTG.REPO.0420"}},
		{name: "code and example", prefer: "code=400, example=invalid-url", status: 400, want: map[string]any{"error_code": "SVCSTG.REPO.0422"}},
		{name: "RFC 7240 separators and quotes", prefer: `code="400"; example="missing-token"`, status: 400, want: map[string]any{"error_code": "SVCSTG.REPO.0401"}},
		{name: "dynamic", prefer: "dynamic=true", status: 200, contains: `"callback_url":`},
		{name: "undeclared code is explained, never sent", prefer: "code=418", status: 400, contains: "code=418, which createProjectHook does not declare (declared: 200, 400)"},
		{name: "unknown example", prefer: "example=nope", status: 400, contains: "example=nope, which createProjectHook does not declare"},
		{name: "bad code", prefer: "code=abc", status: 400, contains: "code must be an HTTP status"},
		{name: "invalid request beats Prefer", prefer: "code=200", body: `{"url":"https://x.example"}`, status: 400, want: map[string]any{"error_code": "SVCSTG.REPO.0420"}},
		{name: "unrelated preference ignored", prefer: "return=minimal", status: 200, want: map[string]any{"type": "github"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			body := tc.body
			if body == "" {
				body = validBody
			}
			r := do(t, hookRequest(t, m.URL, body, func(r *http.Request) {
				if tc.prefer != "" {
					r.Header.Set("Prefer", tc.prefer)
				}
			}))
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.body)
			}
			if !strings.Contains(string(r.body), tc.contains) {
				t.Errorf("body %s does not contain %s", r.body, tc.contains)
			}
			got := r.json(t)
			for k, v := range tc.want {
				if got[k] != v {
					t.Errorf("%s = %v, want %v (body %s)", k, got[k], v, r.body)
				}
			}
		})
	}
}

// TestDynamicVaries checks that Prefer: dynamic=true synthesizes fresh data per request
// (on a schema with free-form strings), while plain requests get the same body every time.
func TestDynamicVaries(t *testing.T) {
	t.Parallel()
	m := mocktest.Start(t)
	seen := map[string]bool{}
	for range 5 {
		r := do(t, hookRequest(t, m.URL, validBody, func(r *http.Request) { r.Header.Set("Prefer", "dynamic=true") }))
		seen[string(r.body)] = true
	}
	if len(seen) < 2 {
		t.Fatalf("five dynamic answers gave %d distinct bodies", len(seen))
	}
}
