package config

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Debounce is how long Watch waits after the last event on a file before reporting it:
// editors and `cp` write a file in several steps, and the reload should see the last one.
const Debounce = 100 * time.Millisecond

// Watch calls onChange (debounced by [Debounce]) whenever one of files is written,
// created or renamed over, until ctx ends. Editors save by writing a temporary file and
// renaming it over the original, which replaces the inode a watch on the file itself
// would follow; so Watch watches the files' parent directories and filters by name.
//
// Watch returns once the watches are in place (an error if they cannot be), so a change
// made after it returns is always reported. onChange receives the path as given in files
// and is called from one goroutine, never concurrently.
func Watch(ctx context.Context, files []string, onChange func(changed string)) error {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("watch: %w", err)
	}
	byAbs := map[string]string{} // absolute path -> path as given
	dirs := map[string]bool{}
	for _, f := range files {
		abs, err := filepath.Abs(f)
		if err != nil {
			w.Close()
			return fmt.Errorf("watch %s: %w", f, err)
		}
		byAbs[abs] = f
		dir := filepath.Dir(abs)
		if dirs[dir] {
			continue
		}
		if err := w.Add(dir); err != nil {
			w.Close()
			return fmt.Errorf("watch %s: %w", f, err)
		}
		dirs[dir] = true
	}
	go watchLoop(ctx, w, byAbs, onChange)
	return nil
}

func watchLoop(ctx context.Context, w *fsnotify.Watcher, byAbs map[string]string, onChange func(string)) {
	defer w.Close()
	fire := make(chan string)
	timers := map[string]*time.Timer{}
	defer func() {
		for _, t := range timers {
			t.Stop()
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-w.Events:
			if !ok {
				return
			}
			given, watched := byAbs[filepath.Clean(ev.Name)]
			if !watched || !ev.Op.Has(fsnotify.Write) && !ev.Op.Has(fsnotify.Create) {
				// Rename and Remove report the old name going away; the new file's Create
				// follows when something is renamed over it.
				continue
			}
			if t, ok := timers[given]; ok {
				t.Reset(Debounce)
				continue
			}
			timers[given] = time.AfterFunc(Debounce, func() {
				select {
				case fire <- given:
				case <-ctx.Done():
				}
			})
		case given := <-fire:
			delete(timers, given)
			onChange(given)
		case err, ok := <-w.Errors:
			if !ok {
				return
			}
			slog.Warn("config watch", "err", err)
		}
	}
}
