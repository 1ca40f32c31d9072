package mockserver_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hookkit/hookkit/mockserver"
)

// adminCounts is what the admin writes of the hook API and the stateful mock change: the
// stored hooks, the webhook deliveries, the state store's hooks and the journal.
type adminCounts struct{ hooks, deliveries, stateHooks, journal int }

func countAdmin(t *testing.T, base string) adminCounts {
	t.Helper()
	get := func(path string, v any) {
		t.Helper()
		got := do(t, mustReq(t, "GET", base+path))
		if got.status != 200 {
			t.Fatalf("GET %s: %d %s", path, got.status, got.body)
		}
		if err := json.Unmarshal(got.body, v); err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
	}
	var hooks struct{ Hooks []any }
	var dels struct{ Deliveries []any }
	var state struct{ Count int }
	var journal struct{ Requests []any }
	get("/__admin/hooks", &hooks)
	get("/__admin/deliveries", &dels)
	get("/__admin/state/hooks", &state)
	get("/__admin/requests", &journal)
	return adminCounts{len(hooks.Hooks), len(dels.Deliveries), state.Count, len(journal.Requests)}
}

// TestAdminGuardsEveryWrite: the admin writes that the webhook deliveries (issue 12) and
// the stateful mock (issue 11) added go through the same guard as the config: sent as a
// web page can send them without a preflight (no Content-Type, text/plain, a form), each
// is refused with 415 and changes nothing; from a terminal with a JSON Content-Type each
// does its job.
func TestAdminGuardsEveryWrite(t *testing.T) {
	t.Parallel()
	writes := []struct{ method, path string }{
		{"POST", "/__admin/hooks/{id}/deliveries"},
		{"DELETE", "/__admin/deliveries"},
		{"DELETE", "/__admin/state/hooks"},
		{"DELETE", "/__admin/state"},
		{"DELETE", "/__admin/hooks"},
		{"DELETE", "/__admin/requests"},
		{"POST", "/__admin/reset"},
	}
	simple := []map[string]string{
		{"Origin": "http://evil.example"},
		{"Origin": "http://evil.example", "Content-Type": "text/plain"},
		{"Origin": "null", "Content-Type": "application/x-www-form-urlencoded"},
		{"Content-Type": "multipart/form-data; boundary=x"},
	}
	for _, wr := range writes {
		t.Run(wr.method+" "+wr.path, func(t *testing.T) {
			t.Parallel()
			logs := &logBuffer{}
			// The callback host is not loopback: the delivery is refused and recorded at
			// once, without a network.
			srv := newGuardedMock(t, "state: {enabled: true}\n", mockserver.Options{Logger: textLogger(logs)})
			ts := httptest.NewServer(srv)
			t.Cleanup(func() { ts.Close(); srv.Close() })
			created := call(t, srv.Document(), ts.URL, "POST", hookPath, `{"secret":"guard-test-secret","url":"https://ci.example.com/hook"}`)
			if created.status != 200 {
				t.Fatalf("create: %d %s", created.status, created.body)
			}
			id, _ := created.json(t)["id"].(string)
			if got := postJSON(t, ts.URL+"/__admin/hooks/"+id+"/deliveries", ""); got.status != 400 {
				t.Fatalf("delivery to a non-loopback host: %d %s", got.status, got.body)
			}
			path := strings.ReplaceAll(wr.path, "{id}", id)
			before := countAdmin(t, ts.URL)
			if before.hooks != 1 || before.deliveries != 1 || before.stateHooks != 1 || before.journal == 0 {
				t.Fatalf("set-up: %+v", before)
			}
			for _, h := range simple {
				req, err := http.NewRequest(wr.method, ts.URL+path, strings.NewReader(`{"event":"push"}`))
				if err != nil {
					t.Fatal(err)
				}
				for k, v := range h {
					req.Header.Set(k, v)
				}
				if got := do(t, req); got.status != http.StatusUnsupportedMediaType {
					t.Fatalf("%s %s with %v: %d, want 415: %s", wr.method, path, h, got.status, got.body)
				}
			}
			if after := countAdmin(t, ts.URL); after != before {
				t.Fatalf("refused writes changed the mock: before %+v, after %+v", before, after)
			}
			if !strings.Contains(logs.String(), "msg=admin method="+wr.method+" endpoint="+path+" client=127.0.0.1") || !strings.Contains(logs.String(), "status=415") {
				t.Errorf("the refused write is not logged:\n%s", logs)
			}

			req := mustReq(t, wr.method, ts.URL+path) // Content-Type: application/json
			if got := do(t, req); got.status >= 300 && !(wr.method == "POST" && strings.HasSuffix(path, "/deliveries") && got.status == 400) {
				t.Fatalf("%s %s from a terminal: %d %s", wr.method, path, got.status, got.body)
			}
			if after := countAdmin(t, ts.URL); after == before {
				t.Fatalf("%s %s with a JSON Content-Type changed nothing: %+v", wr.method, path, after)
			}
		})
	}
}
