package mockserver_test

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestGenericMockKnowsNoProfile pins the seam of profile.go: the generic mock reaches an
// API's conventions only through the Profile interface. Its packages (every one under
// mockserver/ but hookapi, the ServiceStage profile, and mocktest, which hands that
// profile to tests) import neither the hook API's generated code nor the profile, and
// their sources never name ServiceStage or its SVCSTG error ids, nor, outside the config
// package that declares it, read the config's hooks section.
// hooksSection matches a read of config.Config's Hooks field (the hooks: section).
var hooksSection = regexp.MustCompile(`\.Hooks\b`)

func TestGenericMockKnowsNoProfile(t *testing.T) {
	t.Parallel()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to list the mock's dependencies: %v", err)
	}
	generic := []string{"github.com/hookkit/hookkit/mockserver"}
	out, err := exec.Command(goBin, "list", "./...").Output()
	if err != nil {
		t.Fatalf("go list ./...: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if pkg != generic[0] && !strings.Contains(pkg, "/mockserver/hookapi") && !strings.HasSuffix(pkg, "/mockserver/mocktest") {
			generic = append(generic, pkg)
		}
	}
	if len(generic) < 4 { // mockserver, config, journal, state...
		t.Fatalf("go list found too few packages under mockserver/: %v", generic)
	}
	forbidden := []string{"github.com/hookkit/hookkit/generated", "github.com/hookkit/hookkit/mockserver/hookapi"}
	for _, pkg := range generic {
		out, err := exec.Command(goBin, "list", "-deps", pkg).Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", pkg, err)
		}
		deps := strings.Fields(string(out))
		if !slices.Contains(deps, "github.com/hookkit/hookkit/openapi") && pkg == generic[0] {
			t.Fatalf("go list -deps %s misses the openapi package: %v", pkg, deps)
		}
		for _, f := range forbidden {
			if slices.Contains(deps, f) {
				t.Errorf("%s depends on %s: the generic mock must reach a profile through the Profile interface only", pkg, f)
			}
		}
	}

	checked := 0
	err = filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path == "hookapi" || d.Name() == "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		checked++
		for _, word := range []string{"SVCSTG", "ServiceStage"} {
			if strings.Contains(string(src), word) {
				t.Errorf("mockserver/%s names %s: that knowledge belongs to package hookapi", path, word)
			}
		}
		// The config package declares the hooks: section; only the profile reads it
		// (Configure, Load, ConfigView).
		if !strings.HasPrefix(path, "config"+string(filepath.Separator)) && hooksSection.Match(src) {
			t.Errorf("mockserver/%s reads the config's hooks section: that belongs to package hookapi", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 20 {
		t.Fatalf("only %d source files checked under mockserver/", checked)
	}
}
