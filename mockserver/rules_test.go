package mockserver_test

import (
	"errors"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hookkit/hookkit/mockserver/config"
	"github.com/hookkit/hookkit/mockserver/journal"
	"github.com/hookkit/hookkit/mockserver/mocktest"
	"github.com/hookkit/hookkit/openapi"
)

const rulesYAML = `
rules:
  - name: slow
    match:
      operation: createProjectHook
      headers:
        X-Repo-Auth: slow
    respond:
      delay: 150ms
      body: {id: "slow", type: github, callback_url: "{{ .Body.url }}"}
  - name: flaky
    match:
      pathParams:
        project: flaky
    sequence:
      - body: {id: "1", type: github, callback_url: "{{ .Body.url }}"}
      - status: 400
        body: {error_code: SVCSTG.REPO.0400, error_msg: "second call fails"}
      - body: {id: "3", type: github, callback_url: "{{ .Body.url }}"}
  - name: broken
    match:
      pathParams:
        project: broken
    respond:
      fault: {type: reset}
  - name: down
    match:
      pathParams:
        project: down
    respond:
      fault: {type: http-503}
  - name: scripted-invalid
    match:
      body:
        url: {regex: "^ftp:"}
    respond:
      status: 400
      body: {error_code: SVCSTG.REPO.0422, error_msg: "ftp is not supported"}
`

func withProject(p string) func(*http.Request) {
	return func(r *http.Request) {
		r.URL.Path = strings.Replace(r.URL.Path, "group:app", p, 1)
	}
}

func TestRules(t *testing.T) {
	t.Parallel()
	m := mocktest.Start(t, mocktest.WithConfig(mustConfig(t, rulesYAML)))

	t.Run("delay", func(t *testing.T) {
		t.Parallel()
		start := time.Now()
		r := do(t, hookRequest(t, m.URL, validBody, func(r *http.Request) { r.Header.Set("X-Repo-Auth", "slow") }))
		if elapsed := time.Since(start); elapsed < 150*time.Millisecond {
			t.Errorf("answered after %s, before the 150ms delay", elapsed)
		}
		if r.status != 200 || r.json(t)["callback_url"] != "https://example.com/webhook" || r.json(t)["id"] != "slow" {
			t.Errorf("templated answer: %d %s", r.status, r.body)
		}
	})
	t.Run("scenario", func(t *testing.T) {
		t.Parallel()
		var got []string
		for range 4 {
			r := do(t, hookRequest(t, m.URL, validBody, withProject("flaky")))
			got = append(got, http.StatusText(r.status))
		}
		want := "OK,Bad Request,OK,OK"
		if strings.Join(got, ",") != want {
			t.Errorf("sequence = %v, want %s", got, want)
		}
	})
	t.Run("fault reset", func(t *testing.T) {
		t.Parallel()
		_, err := http.DefaultClient.Do(hookRequest(t, m.URL, validBody, withProject("broken")))
		if err == nil {
			t.Fatal("a reset connection answered")
		}
		if !errors.Is(err, io.EOF) && !strings.Contains(err.Error(), "reset") && !strings.Contains(err.Error(), "EOF") {
			t.Errorf("unexpected error: %v", err)
		}
	})
	t.Run("fault 503", func(t *testing.T) {
		t.Parallel()
		if r := do(t, hookRequest(t, m.URL, validBody, withProject("down"))); r.status != http.StatusServiceUnavailable {
			t.Errorf("status %d", r.status)
		}
	})
	t.Run("rules answer invalid requests too", func(t *testing.T) {
		t.Parallel()
		r := do(t, hookRequest(t, m.URL, `{"secret":"s","url":"ftp://files.example"}`))
		if r.json(t)["error_msg"] != "ftp is not supported" {
			t.Errorf("rule did not answer: %s", r.body)
		}
	})
	t.Run("no rule matches", func(t *testing.T) {
		t.Parallel()
		if r := do(t, hookRequest(t, m.URL, validBody)); r.status != 200 || r.json(t)["type"] != "github" {
			t.Errorf("%d %s", r.status, r.body)
		}
	})
}

// TestReloadKeepsInFlight starts a delayed request, reloads a config without the delay
// while it waits, and checks the request finishes with the state it started with while
// new requests see the new one.
func TestReloadKeepsInFlight(t *testing.T) {
	t.Parallel()
	m := mocktest.Start(t, mocktest.WithConfig(mustConfig(t, `
rules:
  - name: old
    match: {operation: createProjectHook}
    respond:
      delay: 300ms
      body: {id: old, type: github, callback_url: "https://x.example"}
`)))
	done := make(chan reply, 1)
	go func() { done <- do(t, hookRequest(t, m.URL, validBody)) }()
	// Wait until the request is inside the rule's delay: the rule has counted it.
	deadline := time.Now().Add(5 * time.Second)
	for m.Server.Rules().Rules()[0].Calls() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the request never reached the rule")
		}
		time.Sleep(time.Millisecond)
	}
	if err := m.Server.Reload(nil, mustConfig(t, "seed: 2\n")); err != nil {
		t.Fatal(err)
	}
	if r := do(t, hookRequest(t, m.URL, validBody)); r.json(t)["id"] == "old" {
		t.Errorf("a new request got the old rule: %s", r.body)
	}
	if r := <-done; r.json(t)["id"] != "old" {
		t.Errorf("the in-flight request did not finish on its state: %d %s", r.status, r.body)
	}

	// A config that does not fit the document is refused and changes nothing.
	bad := mustConfig(t, "rules:\n  - match: {operation: nope}\n    respond: {status: 200}\n")
	if err := m.Server.Reload(nil, bad); err == nil {
		t.Fatal("a config naming an unknown operation was accepted")
	}
	if m.Server.Config().Seed != 2 {
		t.Errorf("failed reload changed the config")
	}
	// Reload to another document.
	doc, err := openapi.Load("testdata/crud.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Server.Reload(doc, config.Default()); err != nil {
		t.Fatal(err)
	}
	if r := do(t, hookRequest(t, m.URL, validBody)); r.status != http.StatusNotFound {
		t.Errorf("old document still served: %d", r.status)
	}
}

// TestJournalNamesTheSource checks what the journal says about each kind of answer.
func TestJournalNamesTheSource(t *testing.T) {
	t.Parallel()
	m := mocktest.Start(t, mocktest.WithConfig(mustConfig(t, rulesYAML)))
	do(t, hookRequest(t, m.URL, validBody, withProject("down")))
	do(t, hookRequest(t, m.URL, validBody, withProject("flaky")))
	do(t, hookRequest(t, m.URL, `{}`))
	do(t, hookRequest(t, m.URL, validBody, func(r *http.Request) { r.Header.Set("Prefer", "code=400") }))
	do(t, hookRequest(t, m.URL, validBody))
	entries := m.Server.Journal().List(journal.Filter{})
	type summary struct {
		source, rule, fault string
		status, problems    int
	}
	var got []summary
	for i := len(entries) - 1; i >= 0; i-- {
		e := entries[i]
		if e.Duration <= 0 || e.OperationID != "createProjectHook" {
			t.Errorf("entry %d: duration %v, operation %q", e.ID, e.Duration, e.OperationID)
		}
		got = append(got, summary{e.Source, e.Rule, e.Fault, e.Status, len(e.Problems)})
	}
	want := []summary{
		{"fault", "down", "http-503", 503, 0},
		{"rule", "flaky", "", 200, 0},
		{"validation", "", "", 400, 2},
		{"prefer", "", "", 400, 0},
		{"hook", "", "", 200, 0},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("journal:\n got %+v\nwant %+v", got, want)
	}
}
