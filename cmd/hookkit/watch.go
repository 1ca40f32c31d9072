package main

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"
)

// The mock's hot reload: the command, not the config package, watches the files it loaded
// (the config and the document), and logs through the command's logger, so a watch
// problem reads like the rest of the run (--log-format json).

// watchDebounce is how long watchFiles waits after the last event on a file before reporting it:
// editors and `cp` write a file in several steps, and the reload should see the last one.
const watchDebounce = 100 * time.Millisecond

// watchFiles calls onChange (debounced by watchDebounce) whenever one of files is written,
// created or renamed over, until ctx ends. Editors save by writing a temporary file and
// renaming it over the original, which replaces the inode a watch on the file itself
// would follow; so watchFiles watches the files' parent directories and filters by name.
// Problems the watcher reports while running go to logger.
//
// watchFiles returns once the watches are in place (an error if they cannot be), so a change
// made after it returns is always reported. onChange receives the path as given in files
// and is called from one goroutine, never concurrently.
func watchFiles(ctx context.Context, files []string, logger *slog.Logger, onChange func(changed string)) error {
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
	go func() {
		defer w.Close()
		watchLoop(ctx, w.Events, w.Errors, byAbs, logger, onChange)
	}()
	return nil
}

// watchLoop debounces the watcher's events on the files of byAbs into onChange calls and
// logs its errors, until ctx ends or the watcher closes its channels.
func watchLoop(ctx context.Context, events <-chan fsnotify.Event, errs <-chan error, byAbs map[string]string, logger *slog.Logger, onChange func(string)) {
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
		case ev, ok := <-events:
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
				t.Reset(watchDebounce)
				continue
			}
			timers[given] = time.AfterFunc(watchDebounce, func() {
				select {
				case fire <- given:
				case <-ctx.Done():
				}
			})
		case given := <-fire:
			delete(timers, given)
			onChange(given)
		case err, ok := <-errs:
			if !ok {
				return
			}
			logger.Warn("watching the files for hot reload", "error", err.Error())
		}
	}
}
