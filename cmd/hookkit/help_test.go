package main

import (
	"strings"
	"testing"
)

// TestEveryCommandHelp asks every subcommand for -h, --help and "hookkit help NAME": the
// usage is printed once, on stdout, with exit code 0 and nothing on stderr. An unknown
// flag goes to stderr (message and usage) with exit code 2 and nothing on stdout.
func TestEveryCommandHelp(t *testing.T) {
	t.Parallel()
	for name := range commands() {
		want := "Usage: hookkit " + name
		for _, args := range [][]string{{name, "-h"}, {name, "--help"}, {"help", name}} {
			code, out, errOut := runCLI(t, args...)
			if code != 0 || errOut != "" || strings.Count(out, want) != 1 || strings.Count(out, "Usage:") != 1 {
				t.Errorf("hookkit %s: exit %d, stderr %q, stdout:\n%s", strings.Join(args, " "), code, errOut, out)
			}
		}
		code, out, errOut := runCLI(t, name, "--no-such-flag")
		if code != 2 || out != "" || !strings.Contains(errOut, "-no-such-flag") {
			t.Errorf("hookkit %s --no-such-flag: exit %d, stdout %q, stderr %q", name, code, out, errOut)
		}
	}
	code, out, errOut := runCLI(t, "help", "nope")
	if code != 2 || out != "" || !strings.Contains(errOut, `unknown command "nope"`) {
		t.Errorf("hookkit help nope: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, out, _ = runCLI(t, "--help")
	if code != 0 || strings.Count(out, "Usage: hookkit COMMAND") != 1 {
		t.Errorf("hookkit --help: exit %d, stdout:\n%s", code, out)
	}
}
