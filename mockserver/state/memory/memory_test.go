package memory_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/hookkit/hookkit/mockserver/state"
	"github.com/hookkit/hookkit/mockserver/state/memory"
	"github.com/hookkit/hookkit/mockserver/state/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(*testing.T) state.Store { return memory.New(0) })
}

// TestBounded: past its capacity the store forgets the oldest items first, and deleted
// items do not count.
func TestBounded(t *testing.T) {
	ctx := context.Background()
	s := memory.New(3)
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
