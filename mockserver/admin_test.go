package mockserver_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/hookkit/hookkit/mockserver"
	"github.com/hookkit/hookkit/mockserver/mocktest"
)

func adminGet(t *testing.T, base, path string) reply {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+"/__admin/"+path, nil)
	return do(t, req)
}

// TestSecretsNeverLeak sends the token and the hook secret in valid and invalid requests
// and looks for them in every place the mock shows: journal, admin API, logs, bodies.
func TestSecretsNeverLeak(t *testing.T) {
	t.Parallel()
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			logs := &logBuffer{}
			logger := jsonLogger(logs)
			if format == "text" {
				logger = textLogger(logs)
			}
			m := mocktest.Start(t, mocktest.WithOptions(mockserver.Options{
				Logger: logger,
				Config: mustConfig(t, `
rules:
  - name: token-rule
    match:
      headers:
        X-Auth-Token: `+token+`
      body:
        secret: never-this
    respond:
      status: 200
      body: {id: "1", type: "t", callback_url: "https://x.example"}
`),
			}))
			var seen []reply
			seen = append(seen, do(t, hookRequest(t, m.URL, validBody)))
			seen = append(seen, do(t, hookRequest(t, m.URL, `{"secret":"`+hookSec+`","url":"not a url"}`)))
			seen = append(seen, do(t, hookRequest(t, m.URL, `{"secret":"`+hookSec+`", broken`)))
			seen = append(seen, do(t, hookRequest(t, m.URL, `{"secret":"`+hookSec+`","url":"https://a.example"}`, func(r *http.Request) {
				r.URL.RawQuery = "token=" + token
			})))
			for _, path := range []string{"requests", "mappings", "config", "hooks", "health"} {
				seen = append(seen, adminGet(t, m.URL, path))
			}
			journal := adminGet(t, m.URL, "requests")
			var list struct {
				Requests []map[string]any `json:"requests"`
			}
			if err := json.Unmarshal(journal.body, &list); err != nil || len(list.Requests) != 4 {
				t.Fatalf("journal: %v, %d entries: %s", err, len(list.Requests), journal.body)
			}
			if !strings.Contains(string(journal.body), "[REDACTED]") {
				t.Errorf("journal shows no redaction marker: %s", journal.body)
			}
			for _, r := range seen {
				for _, secret := range []string{token, hookSec} {
					if strings.Contains(string(r.body), secret) {
						t.Errorf("secret %q leaked in a body: %s", secret, r.body)
					}
				}
			}
			out := logs.String()
			if strings.Count(out, "request") < 4 {
				t.Errorf("expected a log line per request, got:\n%s", out)
			}
			for _, secret := range []string{token, hookSec} {
				if strings.Contains(out, secret) {
					t.Errorf("secret %q leaked in the logs:\n%s", secret, out)
				}
			}
			if !strings.Contains(out, "body field /url must be a valid uri") {
				t.Errorf("the log does not say what was wrong:\n%s", out)
			}
		})
	}
}

func TestAdminAPI(t *testing.T) {
	t.Parallel()
	m := mocktest.Start(t)
	do(t, hookRequest(t, m.URL, validBody))
	do(t, hookRequest(t, m.URL, `{}`))
	get, _ := http.NewRequest(http.MethodGet, m.URL+"/nothing", nil)
	do(t, get)

	count := func(query string) int {
		t.Helper()
		r := adminGet(t, m.URL, "requests"+query)
		if r.status != http.StatusOK {
			t.Fatalf("GET requests%s: %d %s", query, r.status, r.body)
		}
		var list struct {
			Requests []struct {
				Method, URL, OperationID, Source string
				Status                           int
			} `json:"requests"`
		}
		if err := json.Unmarshal(r.body, &list); err != nil {
			t.Fatal(err)
		}
		return len(list.Requests)
	}
	filters := []struct {
		query string
		want  int
	}{
		{"", 3},
		{"?method=post", 2},
		{"?status=400", 1},
		{"?operationId=createProjectHook", 2},
		{"?path=/nothing", 1},
		{"?limit=1", 1},
	}
	for _, f := range filters {
		if got := count(f.query); got != f.want {
			t.Errorf("requests%s: %d entries, want %d", f.query, got, f.want)
		}
	}
	if r := adminGet(t, m.URL, "requests?status=abc"); r.status != http.StatusBadRequest {
		t.Errorf("bad filter: %d", r.status)
	}

	// Newest first.
	r := adminGet(t, m.URL, "requests?limit=1")
	if !strings.Contains(string(r.body), `"status": 404`) {
		t.Errorf("newest entry is not the 404: %s", r.body)
	}

	hooks := adminGet(t, m.URL, "hooks")
	if !strings.Contains(string(hooks.body), `"callback_url": "https://example.com/webhook"`) {
		t.Errorf("hooks: %s", hooks.body)
	}

	// PUT a broken config: 400 with the line, old config kept.
	put := func(body string) reply {
		req, _ := http.NewRequest(http.MethodPut, m.URL+"/__admin/config", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/yaml")
		return do(t, req)
	}
	bad := put("seed: 3\nrules:\n  - match: {operation: nope}\n    respond: {status: 200}\n")
	if bad.status != http.StatusBadRequest || !strings.Contains(string(bad.body), "PUT /__admin/config:3") {
		t.Errorf("broken config: %d %s", bad.status, bad.body)
	}
	if m.Server.Config().Seed != 1 {
		t.Errorf("a rejected config was applied")
	}
	good := put("seed: 3\nrules:\n  - name: teapot\n    match: {operation: createProjectHook}\n    respond: {status: 400, body: {error_code: SVCSTG.REPO.0400, error_msg: scripted}}\n")
	if good.status != http.StatusOK || m.Server.Config().Seed != 3 {
		t.Fatalf("good config: %d %s", good.status, good.body)
	}
	if r := adminGet(t, m.URL, "mappings"); !strings.Contains(string(r.body), `"name": "teapot"`) {
		t.Errorf("mappings: %s", r.body)
	}
	if r := do(t, hookRequest(t, m.URL, validBody)); r.json(t)["error_msg"] != "scripted" {
		t.Errorf("new rule not in effect: %s", r.body)
	}

	// Reset empties journal and hooks.
	reset, _ := http.NewRequest(http.MethodPost, m.URL+"/__admin/reset", nil)
	reset.Header.Set("Content-Type", "application/json")
	if r := do(t, reset); r.status != http.StatusNoContent {
		t.Fatalf("reset: %d", r.status)
	}
	if count("") != 0 || len(m.HookAPI.Hooks()) != 0 {
		t.Errorf("reset left entries or hooks")
	}
	if r := adminGet(t, m.URL, "health"); r.status != http.StatusOK || r.json(t)["status"] != "ok" {
		t.Errorf("health: %d %s", r.status, r.body)
	}
}

func TestAdminOff(t *testing.T) {
	t.Parallel()
	m := mocktest.Start(t, mocktest.WithConfig(mustConfig(t, "admin:\n  enabled: false\n")))
	r := adminGet(t, m.URL, "requests")
	if r.status != http.StatusNotFound || r.json(t)["error_code"] != "SVCSTG.REPO.0404" {
		t.Fatalf("admin off: %d %s", r.status, r.body)
	}
}
