package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
	"github.com/hookkit/hookkit/mockserver/config"
)

func TestWatch(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		change func(t *testing.T, dir, file string)
	}{
		{"write in place", func(t *testing.T, dir, file string) {
			if err := os.WriteFile(file, []byte("seed: 2\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}},
		{"editor saves by rename", func(t *testing.T, dir, file string) {
			tmp := filepath.Join(dir, ".mock.yaml.swp")
			if err := os.WriteFile(tmp, []byte("seed: 3\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Rename(tmp, file); err != nil {
				t.Fatal(err)
			}
		}},
		{"created after removal", func(t *testing.T, dir, file string) {
			if err := os.Remove(file); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(file, []byte("seed: 4\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			file := filepath.Join(dir, "mock.yaml")
			other := filepath.Join(dir, "other.yaml")
			if err := os.WriteFile(file, []byte("seed: 1\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			changed := make(chan string, 10)
			if err := watchFiles(ctx, []string{file}, discardLogger, func(f string) { changed <- f }); err != nil {
				t.Fatalf("Watch: %v", err)
			}
			// A file beside it that is not watched must not be reported.
			if err := os.WriteFile(other, []byte("x"), 0o644); err != nil {
				t.Fatal(err)
			}
			tc.change(t, dir, file)
			select {
			case got := <-changed:
				if got != file {
					t.Errorf("onChange(%q), want %q", got, file)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("no change reported")
			}
			c, err := config.Load(file)
			if err != nil || c.Seed < 2 {
				t.Errorf("reloaded %+v, %v", c, err)
			}
		})
	}
}

// TestWatchDebounces writes a file many times in a burst; the writes land within the
// debounce window of each other, so onChange runs fewer times than there were writes (a
// loaded machine may split the burst, hence not exactly once).
func TestWatchDebounces(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "mock.yaml")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	changed := make(chan string, 100)
	if err := watchFiles(ctx, []string{file, filepath.Join(dir, "doc.yaml")}, discardLogger, func(f string) { changed <- f }); err != nil {
		t.Fatal(err)
	}
	const writes = 20
	for i := range writes {
		if err := os.WriteFile(file, []byte("seed: "+string(rune('0'+i%10))+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The marker file is written last; once its change and the file's have arrived, the
	// events of the burst have been handled by the (single) watch goroutine.
	marker := filepath.Join(dir, "doc.yaml")
	if err := os.WriteFile(marker, []byte("openapi: 3.0.3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	calls, sawMarker := 0, false
	for !sawMarker || calls == 0 {
		select {
		case f := <-changed:
			if f == marker {
				sawMarker = true
			} else {
				calls++
			}
		case <-time.After(10 * time.Second):
			t.Fatal("no change reported")
		}
	}
	if calls >= writes {
		t.Errorf("onChange ran %d times for %d writes", calls, writes)
	}
}

func TestWatchMissingDirectory(t *testing.T) {
	t.Parallel()
	err := watchFiles(t.Context(), []string{filepath.Join(t.TempDir(), "no", "such", "mock.yaml")}, discardLogger, func(string) {})
	if err == nil {
		t.Fatal("Watch of a file in a missing directory succeeded")
	}
}

// discardLogger is the logger of the watch tests that do not look at the logs.
var discardLogger = slog.New(slog.DiscardHandler)

// TestWatchLogsThroughItsLogger feeds the watch loop a watcher error: it is logged by the
// logger the command gave it (here the JSON one --log-format json builds), not by the
// process-wide slog default.
func TestWatchLogsThroughItsLogger(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	logger, closeLogs, err := newLogger("json", "info", &logs)
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 1)
	errs <- errors.New("inotify queue overflow")
	close(errs)
	done := make(chan struct{})
	go func() {
		defer close(done)
		watchLoop(t.Context(), make(chan fsnotify.Event), errs, nil, logger, func(string) {})
	}()
	<-done // the closed error channel ends the loop, after the error is logged
	closeLogs()
	var line map[string]any
	if err := json.Unmarshal(bytes.TrimSpace(logs.Bytes()), &line); err != nil {
		t.Fatalf("the watch error is not one JSON line: %v\n%s", err, logs.String())
	}
	if line["level"] != "WARN" || line["error"] != "inotify queue overflow" || !strings.Contains(line["msg"].(string), "hot reload") {
		t.Errorf("watch error logged as %v", line)
	}
}

// TestMockBinaryReloadLogsJSON edits the config under a mock run with --log-format json:
// the failed reload and the successful one are logged as JSON lines like every other
// line, with the file and line of the problem.
func TestMockBinaryReloadLogsJSON(t *testing.T) {
	t.Parallel()
	cfgPath := filepath.Join(t.TempDir(), "mock.yaml")
	if err := os.WriteFile(cfgPath, []byte("seed: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p := startMock(t, "--log-format", "json", "--config", cfgPath)
	if err := os.WriteFile(cfgPath, []byte("rules:\n  - match: {operation: nope}\n    respond: {status: 200}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p.stderr.waitFor(t, `"msg":"reload failed, keeping the last good version"`)
	if err := os.WriteFile(cfgPath, []byte("seed: 2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p.stderr.waitFor(t, `"msg":"reloaded"`)
	var failed, reloaded map[string]any
	for line := range strings.Lines(p.stderr.String()) {
		var entry map[string]any
		if err := json.Unmarshal([]byte(line), &entry); err != nil {
			t.Fatalf("a log line is not JSON: %v\n%s", err, line)
		}
		switch entry["msg"] {
		case "reload failed, keeping the last good version":
			failed = entry
		case "reloaded":
			reloaded = entry
		}
	}
	if failed["file"] != cfgPath || !strings.Contains(fmt.Sprint(failed["error"]), cfgPath+":2") {
		t.Errorf("failed reload logged as %v", failed)
	}
	if reloaded["file"] != cfgPath || reloaded["level"] != "INFO" {
		t.Errorf("reload logged as %v", reloaded)
	}
}
