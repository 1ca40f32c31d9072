package memory_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/hookkit/hookkit/mockserver/state"
	"github.com/hookkit/hookkit/mockserver/state/memory"
	"github.com/hookkit/hookkit/mockserver/state/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(*testing.T) state.Store { return memory.New(0, 0) })
}

// TestBounded: past its capacity the store forgets the oldest items first, and deleted
// items do not count.
func TestBounded(t *testing.T) {
	ctx := context.Background()
	s := memory.New(3, 0)
	for i := range 5 {
		if _, _, err := s.Create(ctx, "c", "", strconv.Itoa(i), []byte("{}"), ""); err != nil {
			t.Fatal(err)
		}
	}
	items, total, _ := s.List(ctx, "c", "", 0, 0)
	if total != 3 || items[0].ID != "2" {
		t.Fatalf("after 5 creates with capacity 3: %+v", items)
	}
	_, _ = s.Delete(ctx, "c", "", "3")
	for i := 5; i < 200; i++ {
		_, _, _ = s.Create(ctx, "c", "", strconv.Itoa(i), []byte("{}"), "")
		if i%2 == 0 {
			_, _ = s.Delete(ctx, "c", "", strconv.Itoa(i))
		}
	}
	if _, total, _ := s.List(ctx, "c", "", 0, 0); total > 3 {
		t.Fatalf("%d items kept with capacity 3", total)
	}
}

// TestByteBound: large items are forgotten, oldest first, once their bytes exceed the
// bound, though the count bound would keep them all; the item written last is kept even
// when it alone is over the bound, an update that grows an old item makes others go, and
// deletes and clears give their bytes back.
func TestByteBound(t *testing.T) {
	ctx := context.Background()
	s := memory.New(1000, 100<<10)
	value := []byte(`"` + strings.Repeat("v", 10<<10) + `"`)
	for i := range 50 {
		if _, _, err := s.Create(ctx, "c", "", strconv.Itoa(i), value, ""); err != nil {
			t.Fatal(err)
		}
	}
	items, total, _ := s.List(ctx, "c", "", 0, 0)
	if total < 5 || total > 10 || items[len(items)-1].ID != "49" {
		t.Fatalf("%d items of 10 KiB kept under a 100 KiB bound (newest %s)", total, items[len(items)-1].ID)
	}
	oldest := items[0].ID
	grown := []byte(`"` + strings.Repeat("g", 60<<10) + `"`)
	if _, ok, err := s.Update(ctx, "c", "", oldest, func([]byte) ([]byte, error) { return grown, nil }); !ok || err != nil {
		t.Fatalf("update: %v %v", ok, err)
	}
	if v, ok, _ := s.Get(ctx, "c", "", oldest); !ok || len(v) != len(grown) {
		t.Fatal("the item just updated was forgotten")
	}
	if _, total, _ = s.List(ctx, "c", "", 0, 0); total > 4 {
		t.Fatalf("%d items kept after one grew to 60 KiB under a 100 KiB bound", total)
	}
	huge := []byte(`"` + strings.Repeat("h", 200<<10) + `"`)
	if _, _, err := s.Create(ctx, "c", "", "huge", huge, ""); err != nil {
		t.Fatal(err)
	}
	if items, total, _ = s.List(ctx, "c", "", 0, 0); total != 1 || items[0].ID != "huge" {
		t.Fatalf("after an item over the bound: %d items", total)
	}
	_ = s.Clear(ctx, "c")
	for i := range 9 {
		if _, _, err := s.Create(ctx, "c", "s", strconv.Itoa(100+i), value, ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, total, _ = s.List(ctx, "c", "s", 0, 0); total != 9 {
		t.Fatalf("after a clear, 9 items of 10 KiB under 100 KiB: %d kept (the clear did not give the bytes back)", total)
	}
}
