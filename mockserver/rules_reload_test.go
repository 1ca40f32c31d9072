package mockserver_test

import (
	"testing"

	"github.com/hookkit/hookkit/mockserver/mocktest"
)

// TestReloadRestartsScenarios: the rules' counters live in the compiled rule set of the
// state snapshot, so every reload, of the config or of the document alone, starts a
// scenario again at its first step (CONFIG.md), and the admin reset does too.
func TestReloadRestartsScenarios(t *testing.T) {
	t.Parallel()
	m := mocktest.Start(t, mocktest.WithConfig(mustConfig(t, `
rules:
  - name: steps
    match: {operation: createProjectHook}
    sequence:
      - body: {id: "first-{{ .Seq }}", type: github, callback_url: "https://x.example"}
      - body: {id: "then-{{ seq }}", type: github, callback_url: "https://x.example"}
`)))
	id := func() any {
		t.Helper()
		return do(t, hookRequest(t, m.URL, validBody)).json(t)["id"]
	}
	if a, b, c := id(), id(), id(); a != "first-1" || b != "then-2" || c != "then-3" {
		t.Fatalf("scenario: %v %v %v", a, b, c)
	}
	if err := m.Server.Reload(m.Server.Document(), nil); err != nil {
		t.Fatal(err)
	}
	if got := id(); got != "first-1" {
		t.Errorf("after a reload of the document: %v, want the first step again", got)
	}
	id()
	m.Server.Reset()
	if got := id(); got != "first-1" {
		t.Errorf("after the admin reset: %v, want the first step again", got)
	}
	if n := m.Server.Rules().Rules()[0].Calls(); n != 1 {
		t.Errorf("Calls = %d after one request since the reset", n)
	}
}
