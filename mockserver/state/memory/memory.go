// Package memory is the in-process [state.Store]: the default store of the stateful mock.
// It is bounded like the journal, by items and by bytes: past either bound the oldest item
// is forgotten first, so a mock that runs for days under a test suite, or a client that
// floods it with large resources, cannot make it grow without end.
package memory

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"sync"

	"github.com/hookkit/hookkit/mockserver/state"
)

// DefaultMaxItems and DefaultMaxBytes are the bounds when New is given 0.
const (
	DefaultMaxItems = 10000
	DefaultMaxBytes = 64 << 20
)

// itemOverhead approximates what an item costs besides its id, scope and value (map
// entries, its eviction entry).
const itemOverhead = 128

// Store keeps items in maps under one mutex. Values are copied in and out, so callers can
// never change a stored value behind the store's back.
type Store struct {
	mu       sync.Mutex
	max      int
	maxBytes int64
	colls    map[string]*collection
	// fifo lists every created item, oldest first, for eviction. Entries of deleted items
	// stay until they reach the front or the slice is compacted.
	fifo  []ref
	total int
	bytes int64 // what the items hold (see itemBytes)
}

type collection struct {
	seq    uint64
	scopes map[string]*scope
}

type scope struct {
	items  map[string]entry
	unique map[string]string // unique value -> id
}

type entry struct {
	seq    uint64
	value  []byte
	unique string
}

type ref struct {
	coll, scope, id string
	seq             uint64
}

var _ state.Store = (*Store)(nil)

// New returns an empty store that keeps at most maxItems items of at most maxBytes
// together (DefaultMaxItems, DefaultMaxBytes when 0). The item written last is always
// kept, so the store holds at most maxBytes plus one item.
func New(maxItems int, maxBytes int64) *Store {
	if maxItems <= 0 {
		maxItems = DefaultMaxItems
	}
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	return &Store{max: maxItems, maxBytes: maxBytes, colls: map[string]*collection{}}
}

// itemBytes estimates what an item holds.
func itemBytes(scope, id string, e *entry) int64 {
	return int64(itemOverhead + len(scope) + len(id) + len(e.value) + len(e.unique))
}

func (s *Store) coll(name string) *collection {
	c := s.colls[name]
	if c == nil {
		c = &collection{scopes: map[string]*scope{}}
		// Ids start after 1000 like the hook store's, so they look like ids, not indexes.
		c.seq = 1000
		s.colls[name] = c
	}
	return c
}

func (s *Store) scope(coll, name string, create bool) *scope {
	c := s.coll(coll)
	sc := c.scopes[name]
	if sc == nil && create {
		sc = &scope{items: map[string]entry{}, unique: map[string]string{}}
		c.scopes[name] = sc
	}
	return sc
}

// NextID implements state.Store.
func (s *Store) NextID(_ context.Context, coll string) (uint64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.coll(coll)
	c.seq++
	return c.seq, nil
}

// Create implements state.Store.
func (s *Store) Create(_ context.Context, coll, scopeName, id string, value []byte, unique string) (state.Item, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sc := s.scope(coll, scopeName, true)
	if unique != "" {
		if have, ok := sc.unique[unique]; ok {
			if e, ok := sc.items[have]; ok {
				return state.Item{Scope: scopeName, ID: have, Value: slices.Clone(e.value)}, false, nil
			}
		}
	}
	if _, ok := sc.items[id]; ok {
		return state.Item{}, false, state.ErrExists
	}
	c := s.coll(coll)
	c.seq++ // orders items created with an id of their own (seed data) too
	e := entry{seq: c.seq, value: slices.Clone(value), unique: unique}
	sc.items[id] = e
	if unique != "" {
		sc.unique[unique] = id
	}
	r := ref{coll, scopeName, id, e.seq}
	s.fifo = append(s.fifo, r)
	s.total++
	s.bytes += itemBytes(scopeName, id, &e)
	s.evict(r)
	return state.Item{Scope: scopeName, ID: id, Value: value}, true, nil
}

// evict drops the oldest items while the store is over a bound, but never keep (the item
// just written: a client must find what it was just told was stored), and compacts the
// fifo when deleted entries make up most of it.
func (s *Store) evict(keep ref) {
	for (s.total > s.max || s.bytes > s.maxBytes) && len(s.fifo) > 0 {
		r := s.fifo[0]
		if r == keep {
			if s.total <= 1 {
				break
			}
			// An updated old item: it goes to the back, the next oldest goes.
			s.fifo = append(s.fifo[1:], r)
			continue
		}
		s.fifo = s.fifo[1:]
		if sc := s.scope(r.coll, r.scope, false); sc != nil {
			if e, ok := sc.items[r.id]; ok && e.seq == r.seq {
				s.remove(r.coll, r.scope, sc, r.id, e)
			}
		}
	}
	if len(s.fifo) > 2*s.max+64 {
		kept := s.fifo[:0]
		for _, r := range s.fifo {
			if sc := s.scope(r.coll, r.scope, false); sc != nil {
				if e, ok := sc.items[r.id]; ok && e.seq == r.seq {
					kept = append(kept, r)
				}
			}
		}
		s.fifo = slices.Clip(kept)
	}
}

// remove deletes an item, and its scope once empty, so scopes that come and go (the hooks
// of many repositories) do not pile up.
func (s *Store) remove(coll, scopeName string, sc *scope, id string, e entry) {
	delete(sc.items, id)
	if e.unique != "" && sc.unique[e.unique] == id {
		delete(sc.unique, e.unique)
	}
	if len(sc.items) == 0 {
		delete(s.coll(coll).scopes, scopeName)
	}
	s.total--
	s.bytes -= itemBytes(scopeName, id, &e)
}

// lookup finds an item; the caller holds the lock.
func (s *Store) lookup(coll, scopeName, id string) (*scope, entry, bool) {
	sc := s.scope(coll, scopeName, false)
	if sc == nil {
		return nil, entry{}, false
	}
	e, ok := sc.items[id]
	return sc, e, ok
}

// Get implements state.Store.
func (s *Store) Get(_ context.Context, coll, scopeName, id string) ([]byte, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, e, ok := s.lookup(coll, scopeName, id)
	if !ok {
		return nil, false, nil
	}
	return slices.Clone(e.value), true, nil
}

// List implements state.Store.
func (s *Store) List(_ context.Context, coll, scopeName string, offset, limit int) ([]state.Item, int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sc := s.scope(coll, scopeName, false)
	if sc == nil {
		return nil, 0, nil
	}
	all := sorted(sc)
	if offset >= len(all) || offset < 0 {
		return []state.Item{}, len(all), nil
	}
	if limit <= 0 || limit > state.MaxList {
		limit = state.MaxList
	}
	out, _ := appendItems(nil, scopeName, all[offset:min(len(all), offset+limit)], state.MaxListBytes)
	return out, len(all), nil
}

type pair struct {
	id string
	e  entry
}

// sorted returns the scope's items in creation order, values not copied.
func sorted(sc *scope) []pair {
	ps := make([]pair, 0, len(sc.items))
	for id, e := range sc.items {
		ps = append(ps, pair{id, e})
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].e.seq < ps[j].e.seq })
	return ps
}

// appendItems appends copies of ps to out while their values fit in budget bytes (the
// first always does), and returns what is left of the budget (<= 0 once full).
func appendItems(out []state.Item, scope string, ps []pair, budget int64) ([]state.Item, int64) {
	for _, p := range ps {
		n := int64(len(p.e.value))
		if budget-n < 0 && len(out) > 0 {
			return out, 0
		}
		out = append(out, state.Item{Scope: scope, ID: p.id, Value: slices.Clone(p.e.value)})
		budget -= n
	}
	return out, budget
}

// Update implements state.Store. fn runs under the store's lock: it must be quick and must
// not call the store.
func (s *Store) Update(_ context.Context, coll, scopeName, id string, fn func([]byte) ([]byte, error)) ([]byte, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sc, e, ok := s.lookup(coll, scopeName, id)
	if !ok {
		return nil, false, nil
	}
	nv, err := fn(slices.Clone(e.value))
	if err != nil {
		return nil, true, err
	}
	s.bytes += int64(len(nv) - len(e.value))
	e.value = slices.Clone(nv)
	sc.items[id] = e
	s.evict(ref{coll, scopeName, id, e.seq})
	return nv, true, nil
}

// Delete implements state.Store.
func (s *Store) Delete(_ context.Context, coll, scopeName, id string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sc, e, ok := s.lookup(coll, scopeName, id)
	if !ok {
		return false, nil
	}
	s.remove(coll, scopeName, sc, id, e)
	return true, nil
}

// Dump implements state.Store.
func (s *Store) Dump(_ context.Context, coll string) ([]state.Item, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.coll(coll)
	names := make([]string, 0, len(c.scopes))
	for name := range c.scopes {
		names = append(names, name)
	}
	sort.Strings(names)
	out := []state.Item{}
	budget := int64(state.MaxListBytes)
	for _, name := range names {
		ps := sorted(c.scopes[name])
		ps = ps[:min(len(ps), state.MaxList-len(out))]
		if out, budget = appendItems(out, name, ps, budget); budget <= 0 || len(out) >= state.MaxList {
			break
		}
	}
	return out, nil
}

// Clear implements state.Store. The id sequence is kept.
func (s *Store) Clear(_ context.Context, coll string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.coll(coll)
	for name, sc := range c.scopes {
		s.total -= len(sc.items)
		for id, e := range sc.items {
			s.bytes -= itemBytes(name, id, &e)
		}
	}
	c.scopes = map[string]*scope{}
	s.fifo = slices.DeleteFunc(s.fifo, func(r ref) bool { return r.coll == coll })
	return nil
}

// Close implements state.Store; a memory store holds nothing to release.
func (s *Store) Close() error { return nil }

// String names the store in banners.
func (s *Store) String() string {
	size := fmt.Sprintf("%d KiB", s.maxBytes>>10)
	if s.maxBytes%(1<<20) == 0 {
		size = fmt.Sprintf("%d MiB", s.maxBytes>>20)
	}
	return fmt.Sprintf("memory (at most %d items, %s)", s.max, size)
}
