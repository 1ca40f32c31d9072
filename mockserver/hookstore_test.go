package mockserver

import (
	"strconv"
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
