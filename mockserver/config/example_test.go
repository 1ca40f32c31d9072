package config

import (
	"path/filepath"
	"testing"
)

// TestExampleConfig loads the documented example: it must stay valid for the hook
// document as keys evolve, and it must use every top-level section.
func TestExampleConfig(t *testing.T) {
	t.Parallel()
	c, err := Load(filepath.Join("..", "config.example.yaml"))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if err := c.CheckAgainst(hookDoc(t)); err != nil {
		t.Fatalf("CheckAgainst: %v", err)
	}
	if len(c.Rules) != 4 || c.HookType("my-gitlab-auth") != "gitlab" || c.Rules[1].Repeat != RepeatCycle {
		t.Errorf("example not decoded as documented: %+v", c)
	}
	for _, key := range []string{"seed", "hooks", "cors", "journal", "admin", "rules"} {
		if mapValue(c.root.Content[0], key) == nil {
			t.Errorf("example lacks top-level key %s", key)
		}
	}
	if got := compile(t, c).Match(hookInput(func(in *Input) {
		in.Body = decodeJSON(`{"secret":"x","url":"https://ci.example/h"}`)
	})); got == nil || got.Name != "gitlab-ci-hooks" {
		t.Errorf("the example's first rule does not match its own description: %v", got)
	}
}
