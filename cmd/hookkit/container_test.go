package main

import (
	"bufio"
	"debug/elf"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// dockerInstruction is one instruction of a Dockerfile: its keyword in upper case and its
// arguments, continuation lines joined.
type dockerInstruction struct {
	line     int
	keyword  string
	args     string
	stageIdx int
}

// parseDockerfile reads the instructions of a Dockerfile: enough of the format (comments,
// "\" continuations, stages) to check what the image promises; the real parser is
// Docker's, where Docker exists.
func parseDockerfile(t *testing.T, path string) []dockerInstruction {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []dockerInstruction
	stage := -1
	var pending strings.Builder
	start := 0
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if pending.Len() == 0 && (line == "" || strings.HasPrefix(line, "#")) {
			continue
		}
		if pending.Len() == 0 {
			start = n
		}
		if body, ok := strings.CutSuffix(line, `\`); ok {
			pending.WriteString(body + " ")
			continue
		}
		pending.WriteString(line)
		keyword, args, _ := strings.Cut(pending.String(), " ")
		pending.Reset()
		keyword = strings.ToUpper(keyword)
		if keyword == "FROM" {
			stage++
		}
		out = append(out, dockerInstruction{line: start, keyword: keyword, args: strings.TrimSpace(args), stageIdx: stage})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// execForm decodes the JSON (exec) form of ENTRYPOINT and CMD.
func execForm(t *testing.T, in dockerInstruction) []string {
	t.Helper()
	var v []string
	if err := json.Unmarshal([]byte(in.args), &v); err != nil {
		t.Fatalf("Dockerfile:%d: %s is not in exec form (a JSON array): %v", in.line, in.keyword, err)
	}
	return v
}

// TestContainerBuild checks the Dockerfile's promises and builds the binary exactly as its
// build stage does (scripts/build-static.sh: CGO_ENABLED=0, -trimpath, stamped version),
// then runs that binary with the image's ENTRYPOINT and CMD, the address moved to a free
// loopback port. There is no Docker engine here; where there is one, `make image` builds
// the image from the same Dockerfile.
func TestContainerBuild(t *testing.T) {
	t.Parallel()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	instructions := parseDockerfile(t, filepath.Join(root, "Dockerfile"))
	last := instructions[len(instructions)-1].stageIdx
	if last != 1 {
		t.Fatalf("Dockerfile has %d stages, want 2 (build and run)", last+1)
	}
	final := map[string][]dockerInstruction{}
	var buildRun []string
	for _, in := range instructions {
		if in.stageIdx == last {
			final[in.keyword] = append(final[in.keyword], in)
		} else if in.keyword == "RUN" && strings.HasPrefix(in.args, "scripts/build-static.sh ") {
			buildRun = strings.Fields(in.args)
		}
	}
	if len(buildRun) != 3 || buildRun[2] != `"$VERSION"` {
		t.Fatalf("the build stage must run `scripts/build-static.sh OUTPUT \"$VERSION\"`, got %q", buildRun)
	}
	one := func(keyword string) dockerInstruction {
		t.Helper()
		if len(final[keyword]) != 1 {
			t.Fatalf("the run stage has %d %s instructions, want 1", len(final[keyword]), keyword)
		}
		return final[keyword][0]
	}
	if base := one("FROM").args; !strings.HasPrefix(base, "gcr.io/distroless/static") && base != "scratch" {
		t.Errorf("run stage FROM %s: want a distroless static or scratch base", base)
	}
	if user := one("USER").args; user == "" || user == "root" || user == "0" || strings.HasPrefix(user, "root:") || strings.HasPrefix(user, "0:") {
		t.Errorf("USER %q: the image must not run as root", user)
	}
	if got := one("EXPOSE").args; got != "4010" {
		t.Errorf("EXPOSE %s, want 4010", got)
	}
	if got := one("COPY").args; got != "--from=build "+buildRun[1]+" /usr/local/bin/hookkit" {
		t.Errorf("COPY %s: want the build stage's %s as /usr/local/bin/hookkit (on distroless's PATH)", got, buildRun[1])
	}
	if got := execForm(t, one("ENTRYPOINT")); !slices.Equal(got, []string{"hookkit"}) {
		t.Errorf("ENTRYPOINT %q, want [\"hookkit\"]", got)
	}
	cmdArgs := execForm(t, one("CMD"))
	if !slices.Equal(cmdArgs, []string{"mock", "--addr", "0.0.0.0:4010"}) {
		t.Fatalf("CMD %q, want [\"mock\", \"--addr\", \"0.0.0.0:4010\"]", cmdArgs)
	}

	// Build as the Dockerfile does, from the repository root, without .git in the way.
	bin := filepath.Join(t.TempDir(), "hookkit")
	const stamped = "v9.9.9-container-test"
	build := exec.Command("sh", filepath.Join(root, "scripts", "build-static.sh"), bin, stamped)
	build.Env = append(os.Environ(), "CGO_ENABLED=1") // the script must turn cgo off itself
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("scripts/build-static.sh: %v\n%s", err, out)
	}
	exe, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	libs, _ := exe.ImportedLibraries()
	for _, p := range exe.Progs {
		if p.Type == elf.PT_INTERP {
			t.Errorf("the binary has a dynamic loader (PT_INTERP); a distroless static image has none")
		}
	}
	if len(libs) > 0 {
		t.Errorf("the binary links shared libraries %v", libs)
	}
	exe.Close()
	raw, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), root) {
		t.Errorf("the binary contains the build directory %s (want -trimpath)", root)
	}

	out, err := exec.Command(bin, "version").Output()
	if err != nil || !strings.HasPrefix(string(out), "hookkit "+stamped+" (go") {
		t.Errorf("hookkit version: %v: %q, want the stamped %s", err, out, stamped)
	}

	// ENTRYPOINT + CMD, listening on a free loopback port instead of 0.0.0.0:4010.
	p := startMockBinary(t, bin, nil)
	status, body := postHook(t, p.url, `{"secret":"s","url":"https://example.com/webhook"}`)
	if status != http.StatusOK || !strings.Contains(body, `"callback_url":"https://example.com/webhook"`) {
		t.Errorf("the container binary's mock answered %d %s", status, body)
	}
}
