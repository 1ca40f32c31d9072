package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// hookkitBin is the hookkit binary built once for every end-to-end test of this package,
// so they exercise the real command line, signals and exit codes.
var hookkitBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "hookkit-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	hookkitBin = filepath.Join(dir, "hookkit")
	build := exec.Command("go", "build", "-o", hookkitBin, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build hookkit:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
