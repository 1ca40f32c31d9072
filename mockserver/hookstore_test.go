package mockserver

import (
	"strconv"
	"strings"
	"testing"
)

func TestHookStoreBounded(t *testing.T) {
	t.Parallel()
	s := newHookStore(0, 0)
	repos := []repoKey{{"p", "n", "a"}, {"p", "n", "b"}}
	for i := range MaxStoredHooks + 5 {
		k := repos[i%2]
		s.add(k, StoredHook{ID: s.newID(), CallbackURL: "https://x.example/" + strconv.Itoa(i)}, false)
	}
	hooks := s.list()
	if len(hooks) != MaxStoredHooks {
		t.Fatalf("%d hooks kept, want %d", len(hooks), MaxStoredHooks)
	}
	// The five oldest (ids 1001..1005) are gone, the newest is kept.
	if hooks[0].ID != "1006" || hooks[len(hooks)-1].ID != strconv.Itoa(1000+MaxStoredHooks+5) {
		t.Fatalf("kept ids %s..%s", hooks[0].ID, hooks[len(hooks)-1].ID)
	}
	if _, ok := s.find(repos[0], "https://x.example/0"); ok {
		t.Fatal("the oldest hook is still found")
	}
	s.reset()
	if len(s.list()) != 0 {
		t.Fatal("reset kept hooks")
	}
}

// TestHookStoreByteBound: hooks with huge urls are forgotten, oldest first, once their
// bytes exceed the bound; the count bound alone would keep them all.
func TestHookStoreByteBound(t *testing.T) {
	t.Parallel()
	s := newHookStore(1000, 1<<20)
	url := "https://x.example/" + strings.Repeat("u", 100<<10)
	for range 50 {
		s.add(repoKey{"p", "n", "a"}, StoredHook{ID: s.newID(), CallbackURL: url}, false)
	}
	hooks := s.list()
	if len(hooks) < 5 || len(hooks) > 10 {
		t.Fatalf("%d hooks of 100 KiB kept under a 1 MiB bound", len(hooks))
	}
	if hooks[len(hooks)-1].ID != "1050" {
		t.Errorf("newest kept is %s", hooks[len(hooks)-1].ID)
	}
	s.setLimits(2, 1<<20)
	if n := len(s.list()); n != 2 {
		t.Errorf("%d hooks after lowering the count to 2", n)
	}
}
