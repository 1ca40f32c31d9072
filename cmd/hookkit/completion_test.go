package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// completionScript writes hookkit's completion script for shell to a file.
func completionScript(t *testing.T, shell string) string {
	t.Helper()
	code, out, errOut := runCLI(t, "completion", shell)
	if code != 0 || errOut != "" {
		t.Fatalf("hookkit completion %s: exit %d, stderr %q", shell, code, errOut)
	}
	p := filepath.Join(t.TempDir(), "hookkit."+shell)
	if err := os.WriteFile(p, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// shell finds a shell or skips: bash is everywhere hookkit builds; zsh and fish are tested
// where installed (apt-get install zsh fish).
func shell(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s is not installed", name)
	}
	return p
}

func TestCompletionFlagsComeFromUsage(t *testing.T) {
	t.Parallel()
	cmds := cliCommands(context.Background())
	var names []string
	for _, c := range cmds {
		names = append(names, c.name)
	}
	if !slices.Equal(names, order) {
		t.Errorf("commands %v, want %v", names, order)
	}
	for _, c := range cmds {
		if c.name != "mock" {
			continue
		}
		want := map[string]bool{"spec": true, "config": true, "addr": true, "no-watch": false, "max-body": true}
		for _, f := range c.flags {
			if takes, ok := want[f.name]; ok {
				if f.takesArg != takes || f.summary == "" {
					t.Errorf("mock --%s: takes a value %v (want %v), summary %q", f.name, f.takesArg, takes, f.summary)
				}
				delete(want, f.name)
			}
		}
		if len(want) > 0 {
			t.Errorf("mock flags not found: %v", want)
		}
	}
	// A one-letter boolean flag has its usage on the same line.
	for _, c := range cmds {
		for _, f := range c.flags {
			if c.name == "check" && f.name == "v" && (f.takesArg || !strings.Contains(f.summary, "passing cases")) {
				t.Errorf("check -v parsed as %+v", f)
			}
		}
	}
}

// TestCompletionBash loads the script into bash and asks it what a user's Tab would get.
func TestCompletionBash(t *testing.T) {
	t.Parallel()
	bash := shell(t, "bash")
	script := completionScript(t, "bash")
	complete := func(words ...string) []string {
		t.Helper()
		// COMP_WORDS as bash fills it for "hookkit WORDS<Tab>"; the last word is the one completed.
		line := `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _hookkit; printf '%s\n' "${COMPREPLY[@]}"`
		out, err := exec.Command(bash, append([]string{"-c", line, "bash", script, "hookkit"}, words...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("bash: %v\n%s", err, out)
		}
		return strings.Fields(string(out))
	}
	tests := []struct {
		words []string
		want  []string
	}{
		{[]string{"mo"}, []string{"mock"}},
		{[]string{"c"}, []string{"check", "check-receiver", "completion"}},
		{[]string{"completion", ""}, []string{"bash", "zsh", "fish"}},
		{[]string{"help", "pr"}, []string{"proxy"}},
		{[]string{"check", "--token-"}, []string{"--token-env", "--token-file"}},
		{[]string{"mock", "--spec", "api"}, nil}, // a value: bash falls back to file names
	}
	for _, tc := range tests {
		if got := complete(tc.words...); !slices.Equal(got, tc.want) {
			t.Errorf("hookkit %s<Tab>: %q, want %q", strings.Join(tc.words, " "), got, tc.want)
		}
	}
	for _, c := range cliCommands(context.Background()) {
		got := complete(c.name, "--")
		for _, f := range c.flags {
			if !slices.Contains(got, "--"+f.name) {
				t.Errorf("hookkit %s --<Tab> does not offer --%s: %q", c.name, f.name, got)
			}
		}
	}
}

// TestCompletionFish asks fish itself (complete -C) what Tab offers.
func TestCompletionFish(t *testing.T) {
	t.Parallel()
	fish := shell(t, "fish")
	script := completionScript(t, "fish")
	complete := func(line string) string {
		t.Helper()
		out, err := exec.Command(fish, "--no-config", "-c", `source $argv[1]; complete -C $argv[2]`, script, line).CombinedOutput()
		if err != nil {
			t.Fatalf("fish: %v\n%s", err, out)
		}
		return string(out)
	}
	if got := complete("hookkit "); !strings.Contains(got, "mock\tserve a mock backend") || !strings.Contains(got, "completion\t") {
		t.Errorf("hookkit <Tab>:\n%s", got)
	}
	if got := complete("hookkit completion "); got != "bash\nfish\nzsh\n" {
		t.Errorf("hookkit completion <Tab>: %q", got)
	}
	for _, c := range cliCommands(context.Background()) {
		got := complete("hookkit " + c.name + " --")
		for _, f := range c.flags {
			if !strings.Contains(got, "--"+f.name+"\t") {
				t.Errorf("hookkit %s --<Tab> does not offer --%s:\n%s", c.name, f.name, got)
			}
		}
	}
}

// TestCompletionZsh loads the script into zsh with the completion system's functions
// replaced by ones that print their arguments, and runs it for a few command lines.
func TestCompletionZsh(t *testing.T) {
	t.Parallel()
	zsh := shell(t, "zsh")
	script := completionScript(t, "zsh")
	prog := `compdef() { print -r -- "compdef $*" }
_describe() { local -a c; c=("${(@P)${@[-1]}}"); print -rl -- "${c[@]}" }
_arguments() { print -rl -- "$@" }
source $1
words=(hookkit); CURRENT=2; _hookkit
print -- ---
words=(hookkit mock --); CURRENT=3; _hookkit
print -- ---
words=(hookkit completion ''); CURRENT=3; _hookkit`
	out, err := exec.Command(zsh, "-f", "-c", prog, "zsh", script).CombinedOutput()
	if err != nil {
		t.Fatalf("zsh: %v\n%s", err, out)
	}
	parts := strings.Split(string(out), "---\n")
	if len(parts) != 3 {
		t.Fatalf("zsh output:\n%s", out)
	}
	if !strings.HasPrefix(parts[0], "compdef _hookkit hookkit\n") || !strings.Contains(parts[0], "mock:serve a mock backend") {
		t.Errorf("commands:\n%s", parts[0])
	}
	for _, want := range []string{"--spec[OpenAPI 3 document to serve (YAML or JSON; default\\: the embedded hook API)]:string:_files", "--no-watch[do not reload"} {
		if !strings.Contains(parts[1], want) {
			t.Errorf("mock flags do not contain %q:\n%s", want, parts[1])
		}
	}
	if !strings.Contains(parts[2], "1:shell:(bash zsh fish)") {
		t.Errorf("completion:\n%s", parts[2])
	}
}

func TestCompletionUsageErrors(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"completion"}, {"completion", "powershell"}, {"completion", "bash", "zsh"}} {
		code, out, errOut := runCLI(t, args...)
		if code != 2 || out != "" || !strings.Contains(errOut, "want one shell, bash, zsh or fish") {
			t.Errorf("hookkit %s: exit %d, stdout %q, stderr %q", strings.Join(args, " "), code, out, errOut)
		}
	}
}
