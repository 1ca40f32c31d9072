package config

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
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
			if err := Watch(ctx, []string{file}, func(f string) { changed <- f }); err != nil {
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
			c, err := Load(file)
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
	if err := Watch(ctx, []string{file, filepath.Join(dir, "doc.yaml")}, func(f string) { changed <- f }); err != nil {
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
	err := Watch(t.Context(), []string{filepath.Join(t.TempDir(), "no", "such", "mock.yaml")}, func(string) {})
	if err == nil {
		t.Fatal("Watch of a file in a missing directory succeeded")
	}
}
