// Package storetest holds the behaviour every [state.Store] must show, run against each
// implementation by its own tests, so the memory and Redis stores cannot drift apart.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/hookkit/hookkit/mockserver/state"
)

// Run checks a store. newStore returns an empty store for each subtest.
func Run(t *testing.T, newStore func(t *testing.T) state.Store) {
	ctx := context.Background()
	t.Run("create-get-list-update-delete", func(t *testing.T) {
		s := newStore(t)
		for i := range 3 {
			_, created, err := s.Create(ctx, "todos", "", strconv.Itoa(i), fmt.Appendf(nil, `{"n":%d}`, i), "")
			if err != nil || !created {
				t.Fatalf("create %d: created=%v err=%v", i, created, err)
			}
		}
		if _, _, err := s.Create(ctx, "todos", "", "1", []byte(`{}`), ""); !errors.Is(err, state.ErrExists) {
			t.Fatalf("create of an existing id: err=%v, want ErrExists", err)
		}
		v, ok, err := s.Get(ctx, "todos", "", "1")
		if err != nil || !ok || string(v) != `{"n":1}` {
			t.Fatalf("get: %s %v %v", v, ok, err)
		}
		if _, ok, _ := s.Get(ctx, "todos", "other-scope", "1"); ok {
			t.Fatal("an item is visible in another scope")
		}
		items, total, err := s.List(ctx, "todos", "", 1, 5)
		if err != nil || total != 3 || len(items) != 2 || items[0].ID != "1" || items[1].ID != "2" {
			t.Fatalf("list offset 1: %+v total %d err %v", items, total, err)
		}
		nv, ok, err := s.Update(ctx, "todos", "", "2", func(old []byte) ([]byte, error) { return append(old[:len(old)-1], `,"x":1}`...), nil })
		if err != nil || !ok || string(nv) != `{"n":2,"x":1}` {
			t.Fatalf("update: %s %v %v", nv, ok, err)
		}
		if _, ok, _ := s.Update(ctx, "todos", "", "9", func(b []byte) ([]byte, error) { return b, nil }); ok {
			t.Fatal("update of a missing item reported ok")
		}
		if ok, err := s.Delete(ctx, "todos", "", "2"); !ok || err != nil {
			t.Fatalf("delete: %v %v", ok, err)
		}
		if ok, _ := s.Delete(ctx, "todos", "", "2"); ok {
			t.Fatal("second delete reported ok")
		}
		if _, ok, _ := s.Get(ctx, "todos", "", "2"); ok {
			t.Fatal("get after delete found the item")
		}
		all, err := s.Dump(ctx, "todos")
		if err != nil || len(all) != 2 {
			t.Fatalf("dump: %+v %v", all, err)
		}
		if err := s.Clear(ctx, "todos"); err != nil {
			t.Fatal(err)
		}
		if _, total, _ := s.List(ctx, "todos", "", 0, 0); total != 0 {
			t.Fatalf("after clear: %d items", total)
		}
	})
	t.Run("unique", func(t *testing.T) {
		s := newStore(t)
		first, created, err := s.Create(ctx, "hooks", "p1/team/app", "a", []byte(`{"id":"a"}`), "https://x")
		if err != nil || !created {
			t.Fatal(created, err)
		}
		have, created, err := s.Create(ctx, "hooks", "p1/team/app", "b", []byte(`{"id":"b"}`), "https://x")
		if err != nil || created || have.ID != first.ID || string(have.Value) != `{"id":"a"}` {
			t.Fatalf("duplicate: %+v created=%v err=%v", have, created, err)
		}
		if _, created, _ := s.Create(ctx, "hooks", "p2/team/app", "c", []byte(`{}`), "https://x"); !created {
			t.Fatal("unique values must be per scope")
		}
		if ok, _ := s.Delete(ctx, "hooks", "p1/team/app", "a"); !ok {
			t.Fatal("delete")
		}
		if _, created, _ := s.Create(ctx, "hooks", "p1/team/app", "d", []byte(`{}`), "https://x"); !created {
			t.Fatal("a deleted item still holds its unique value")
		}
	})
	t.Run("ids-are-never-reused", func(t *testing.T) {
		s := newStore(t)
		a, _ := s.NextID(ctx, "todos")
		_ = s.Clear(ctx, "todos")
		b, _ := s.NextID(ctx, "todos")
		if b <= a {
			t.Fatalf("NextID after Clear: %d, then %d", a, b)
		}
	})
	t.Run("concurrent-writers-lose-nothing", func(t *testing.T) {
		s := newStore(t)
		if _, _, err := s.Create(ctx, "counters", "", "c", []byte("0"), ""); err != nil {
			t.Fatal(err)
		}
		const n = 50
		var wg sync.WaitGroup
		errs := make(chan error, 2*n)
		for i := range n {
			wg.Add(2)
			go func() {
				defer wg.Done()
				_, _, err := s.Update(ctx, "counters", "", "c", func(old []byte) ([]byte, error) {
					k, err := strconv.Atoi(string(old))
					return []byte(strconv.Itoa(k + 1)), err
				})
				errs <- err
			}()
			go func() {
				defer wg.Done()
				id, err := s.NextID(ctx, "items")
				if err == nil {
					_, _, err = s.Create(ctx, "items", "", strconv.FormatUint(id, 10), []byte(strconv.Itoa(i)), "")
				}
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		v, _, _ := s.Get(ctx, "counters", "", "c")
		if string(v) != strconv.Itoa(n) {
			t.Fatalf("counter after %d concurrent increments: %s", n, v)
		}
		if _, total, _ := s.List(ctx, "items", "", 0, 0); total != n {
			t.Fatalf("%d concurrent creates left %d items", n, total)
		}
	})
	t.Run("list-and-dump-bounded-by-bytes", func(t *testing.T) {
		s := newStore(t)
		const n, size = 10, 2 << 20
		value := []byte(`"` + strings.Repeat("v", size-2) + `"`)
		for i := range n {
			if _, _, err := s.Create(ctx, "big", "a", strconv.Itoa(i), value, ""); err != nil {
				t.Fatal(err)
			}
		}
		sum := func(items []state.Item) (b int) {
			for _, it := range items {
				b += len(it.Value)
			}
			return b
		}
		first, total, err := s.List(ctx, "big", "a", 0, 0)
		if err != nil || total != n || len(first) == 0 || len(first) == n || sum(first) > state.MaxListBytes {
			t.Fatalf("list of %d items of 2 MiB: %d items, %d bytes, total %d, err %v", n, len(first), sum(first), total, err)
		}
		rest, _, err := s.List(ctx, "big", "a", len(first), 0)
		if err != nil || len(first)+len(rest) != n || rest[0].ID != strconv.Itoa(len(first)) {
			t.Fatalf("the next page: %d items from %d, err %v", len(rest), len(first), err)
		}
		if _, _, err := s.Create(ctx, "big", "b", "x", value, ""); err != nil {
			t.Fatal(err)
		}
		all, err := s.Dump(ctx, "big")
		if err != nil || len(all) == 0 || sum(all) > state.MaxListBytes {
			t.Fatalf("dump: %d items, %d bytes, err %v", len(all), sum(all), err)
		}
		huge := []byte(`"` + strings.Repeat("h", state.MaxListBytes) + `"`)
		if _, _, err := s.Create(ctx, "huge", "", "h", huge, ""); err != nil {
			t.Fatal(err)
		}
		if items, _, err := s.List(ctx, "huge", "", 0, 0); err != nil || len(items) != 1 || len(items[0].Value) != len(huge) {
			t.Fatalf("one item over the byte bound is still listed: %d items, err %v", len(items), err)
		}
		if all, err := s.Dump(ctx, "huge"); err != nil || len(all) != 1 {
			t.Fatalf("one item over the byte bound is still dumped: %d items, err %v", len(all), err)
		}
	})
}
