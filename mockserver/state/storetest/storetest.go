// Package storetest holds the behaviour every [state.Store] must show, run against each
// implementation by its own tests, so the memory and Redis stores cannot drift apart.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"strconv"
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
}
