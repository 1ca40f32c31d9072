package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hookkit/hookkit/mockserver/config"
	"github.com/hookkit/hookkit/openapi"
)

// TestStateConfigErrors: every problem of the state section names its line, and a Redis
// password never appears in a message.
func TestStateConfigErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ yaml, want string }{
		{"state:\n  ttl: -1s\n", "mock.yaml:2: state.ttl must not be negative"},
		{"state:\n  maxItems: -5\n", "mock.yaml:2: state.maxItems must be positive"},
		{"state:\n  maxItems: 10000000000\n", "mock.yaml:2: state.maxItems must be at most 1000000, not 10000000000"},
		{"state:\n  maxBytes: 1024\n", "mock.yaml:2: state.maxBytes must be between 65536 and 1073741824 bytes, not 1024"},
		{"state:\n  enabled: true\n  maxBytes: 10000000000\n", "mock.yaml:3: state.maxBytes must be between"},
		{"state:\n  redis: http://user:hunter2@host/0\n", `mock.yaml:2: state.redis: scheme "http" is not redis, rediss or unix`},
		{"state:\n  resources:\n    - name: x\n", "mock.yaml:3: state.resources entry 1: path is required"},
		{"state:\n  resources:\n    - path: /todos\n      idFeld: id\n", `mock.yaml:4: unknown key "idFeld" in state.resources entry`},
		{"state:\n  seed: missing.yaml\n", "mock.yaml:2: state.seed:"},
		{"state:\n  enabeld: true\n", `mock.yaml:2:`},
	} {
		_, err := parseResolved([]byte(tc.yaml), "mock.yaml")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: err %v, want %q", tc.yaml, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "hunter2") {
			t.Errorf("the error shows the password: %v", err)
		}
	}
}

// TestStateResourcesAgainstDocument: state.resources is checked against the document with
// the line of the section.
func TestStateResourcesAgainstDocument(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Load("../testdata/crud.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse([]byte("state:\n  enabled: true\n  resources:\n    - path: /todo\n"), "mock.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.CheckAgainst(doc); err == nil || !strings.Contains(err.Error(), `mock.yaml:4: state.resources[0]: path "/todo" is not a path of`) {
		t.Fatalf("err %v", err)
	}
}

// TestSeedFile: a seed file next to the config is read relative to it; entries keep their
// lines and scopes.
func TestSeedFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	seed := "todos:\n  - title: one\n  - title: two\nhooks:\n  - scope: {project_id: p1, namespace: team, project: app}\n    item: {id: \"7\", type: github, callback_url: https://x.example}\n"
	if err := os.WriteFile(filepath.Join(dir, "seed.yaml"), []byte(seed), 0o600); err != nil {
		t.Fatal(err)
	}
	cfgPath := filepath.Join(dir, "mock.yaml")
	if err := os.WriteFile(cfgPath, []byte("state:\n  enabled: true\n  seed: seed.yaml\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := loadResolved(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	data := cfg.SeedData()
	if len(data["todos"]) != 2 || data["todos"][1].Line != 3 || data["hooks"][0].Scope["project"] != "app" || data["hooks"][0].Item["id"] != "7" {
		t.Fatalf("seed data: %+v", data)
	}
	if err := os.WriteFile(filepath.Join(dir, "seed.yaml"), []byte("todos: {title: x}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := loadResolved(cfgPath); err == nil || !strings.Contains(err.Error(), "seed.yaml:1: collection \"todos\": want a list") {
		t.Fatalf("bad seed file: %v", err)
	}
}
