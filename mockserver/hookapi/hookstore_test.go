package hookapi

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

// TestHookStoreSecretsBounded: hooks with huge secrets count their secrets' bytes, and so
// do the secrets a replica keeps for the hooks it created in the state store, which are
// bounded by hooks.maxStored and hooks.maxBytes like the hooks themselves.
func TestHookStoreSecretsBounded(t *testing.T) {
	t.Parallel()
	s := newHookStore(1000, 1<<20)
	big := strings.Repeat("s", 100<<10)
	for range 50 {
		s.add(repoKey{"p", "n", "a"}, StoredHook{ID: s.newID(), CallbackURL: "https://x.example/", secret: big}, false)
	}
	if n := len(s.list()); n < 5 || n > 10 {
		t.Fatalf("%d hooks with 100 KiB secrets kept under a 1 MiB bound", n)
	}
	for i := range 50 {
		s.keepSecret(strconv.Itoa(i), stateSecret{coll: "hooks", scope: "p/n/a", callbackURL: "https://x.example/", secret: big})
	}
	if n := len(s.secrets); n < 5 || n > 10 || len(s.secretOrder) != n {
		t.Fatalf("%d state secrets (order %d) of 100 KiB kept under a 1 MiB bound", n, len(s.secretOrder))
	}
	if _, ok := s.stateSecret("49"); !ok {
		t.Error("the newest secret is gone")
	}
	if _, ok := s.stateSecret("0"); ok {
		t.Error("the oldest secret is kept")
	}
	s.keepSecret("49", stateSecret{secret: "short-again"}) // replaced: its bytes shrink
	s.dropSecret("48")
	var want int64
	for id, sec := range s.secrets {
		want += secretBytes(id, &sec)
	}
	if s.secretBytes != want {
		t.Errorf("secret bytes %d, want %d", s.secretBytes, want)
	}
	s.setLimits(2, 1<<20)
	if n := len(s.secrets); n != 2 {
		t.Errorf("%d state secrets after lowering the count to 2", n)
	}
	s.reset()
	if len(s.secrets) != 0 || s.secretBytes != 0 {
		t.Error("reset kept secrets")
	}
}
