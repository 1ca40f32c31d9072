package mockserver_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/hookkit/hookkit/mockserver"
	"github.com/hookkit/hookkit/mockserver/mocktest"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// TestAdminConfigView pins GET /__admin/config for the hook document: the generic mock's
// sections and the hook profile's hooks section (profile.go ConfigView), key for key.
func TestAdminConfigView(t *testing.T) {
	t.Parallel()
	m := mocktest.Start(t, mocktest.WithOptions(mockserver.Options{Config: mustConfig(t, `
seed: 7
hooks:
  types: {my-gitlab-auth: gitlab}
  defaultType: gitee
  onDuplicate: reuse
  maxStored: 50
  maxBytes: 1048576
  deliver:
    onCreate: ping
    allowHosts: [hooks.example]
    retries: 2
    backoff: 2s
    timeout: 3s
cors:
  origins: ["http://localhost:3000"]
  maxAge: 1m
journal: {size: 20, maxBytes: 1048576}
limits: {templateOutput: 4096, templateTime: 2s}
rules:
  - name: refuse
    match: {operation: createProjectHook}
    respond: {status: 400}
`)}))
	got := adminGet(t, m.URL, "config")
	if got.status != 200 {
		t.Fatalf("GET /__admin/config: %d %s", got.status, got.body)
	}
	golden := filepath.Join("testdata", "golden", "admin-config.json")
	if *updateGolden {
		if err := os.WriteFile(golden, got.body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (go test -run TestAdminConfigView -update writes it)", err)
	}
	if !bytes.Equal(got.body, want) {
		t.Errorf("GET /__admin/config:\n%s\nwant (%s):\n%s", got.body, golden, want)
	}
}
