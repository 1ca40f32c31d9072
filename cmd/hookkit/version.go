package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"
)

// version is stamped by `make build`, `make install` and the container build with
// -ldflags "-X main.version=...": it names the build even when Go's own VCS stamping is off
// (GOFLAGS=-buildvcs=false, or a source tree without .git as in a container build). Empty
// otherwise, and the version comes from the build information.
var version = ""

// buildVersion describes a build in one line from the stamped version and the build
// information Go records in every binary: the module version (v1.2.3 for `go install
// module@v1.2.3`, a pseudo-version when Go stamped one from git), the VCS revision, its
// commit time and whether the tree had uncommitted changes. Parts that are unknown are left out.
func buildVersion(stamped string, info *debug.BuildInfo, goos, goarch string) string {
	v := stamped
	goVersion := runtime.Version()
	var revision, commitTime string
	modified := false
	if info != nil {
		goVersion = info.GoVersion
		if v == "" && info.Main.Version != "(devel)" {
			v = info.Main.Version
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				revision = s.Value
			case "vcs.time":
				commitTime = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	if v == "" {
		v = "devel"
	}
	var details []string
	if revision != "" {
		commit := "commit " + revision[:min(12, len(revision))]
		if commitTime != "" {
			commit += " " + commitTime
		}
		if modified {
			commit += " modified"
		}
		details = append(details, commit)
	}
	details = append(details, goVersion+" "+goos+"/"+goarch)
	return fmt.Sprintf("hookkit %s (%s)", v, strings.Join(details, ", "))
}

func runVersion(_ context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
		fmt.Fprintln(stdout, "Usage: hookkit version\n\nPrints hookkit's version, the git commit it was built from (when known) and the Go\nversion it was built with.")
		return 0
	}
	if len(args) > 0 {
		fmt.Fprintf(stderr, "hookkit version: unexpected argument %q\n", args[0])
		return 2
	}
	info, _ := debug.ReadBuildInfo()
	fmt.Fprintln(stdout, buildVersion(version, info, runtime.GOOS, runtime.GOARCH))
	return 0
}
