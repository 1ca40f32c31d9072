package hookapi

import (
	"slices"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hookkit/hookkit/mockserver/config"
)

// StoredHook is a hook the typed hook handler created, as the admin API shows it. The
// request's secret is deliberately not kept: nothing could show it without leaking it.
type StoredHook struct {
	ID          string    `json:"id"`
	Type        string    `json:"type"`
	CallbackURL string    `json:"callback_url"`
	ProjectID   string    `json:"project_id"`
	Namespace   string    `json:"namespace"`
	Project     string    `json:"project"`
	RepoAuth    string    `json:"repo_auth"`
	Created     time.Time `json:"created"`

	// secret is the hook's secret, kept in memory only to sign its webhook deliveries.
	// Unexported, so no encoder (admin API, journal) can show it.
	secret string
}

// MaxStoredHooks is the default bound of the hooks kept in memory (hooks.maxStored): a
// mock that runs for days under a test suite must not grow without end. The oldest hook
// is forgotten first; hooks.maxBytes bounds their bytes the same way.
const MaxStoredHooks = config.DefaultMaxStoredHooks

// repoKey identifies a repository: hooks are kept per (project_id, namespace, project).
type repoKey struct{ projectID, namespace, project string }

// hookStore keeps created hooks in memory. It outlives reloads (a new document or config
// does not forget the hooks a frontend created) and is emptied only by the admin API.
//
// It is bounded like the journals (a count and a byte budget, oldest forgotten first) but is
// not an internal/ring: it looks hooks up by repository and callback url on every create and
// by id, so it must know which hooks a bound dropped (the ring reports only how many); it
// forgets a kept secret from the middle (dropSecret) and replaces one in place with a new
// size (keepSecret); hooks.maxStored reaches 1,000,000 where a ring, allocated up front, is
// capped at 100,000; and a hook larger than hooks.maxBytes is not kept at all, where a ring
// keeps its newest value whatever its cost.
type hookStore struct {
	mu    sync.Mutex
	repos map[repoKey]*queue[StoredHook]
	order queue[repoKey] // the repository of every stored hook, oldest first
	total int
	bytes int64 // size of the hooks held (see hookBytes)
	// maxCount and maxBytes bound the store (hooks.maxStored, hooks.maxBytes).
	maxCount int
	maxBytes int64
	// next numbers hooks. It never goes back, not even on reset, so an id the client saw
	// earlier is never handed out again for another hook.
	next atomic.Uint64

	// secrets keeps, by hook id, the secrets of the hooks this replica created in the
	// state store (stateful mock): the store, possibly a Redis other replicas share, never
	// holds a secret. Bounded like the hooks (hooks.maxStored, hooks.maxBytes), oldest
	// forgotten first; secretBytes is their size (see secretBytes).
	secrets     map[string]stateSecret
	secretOrder []string
	secretBytes int64
}

// stateSecret is the secret of a hook kept in the state store, with the hook's identity
// there: a delivery uses the secret only for the very hook it was given with.
type stateSecret struct {
	coll, scope, callbackURL string
	secret                   string
}

func newHookStore(maxCount int, maxBytes int64) *hookStore {
	s := &hookStore{repos: map[repoKey]*queue[StoredHook]{}, secrets: map[string]stateSecret{}}
	s.setLimits(maxCount, maxBytes)
	s.next.Store(1000)
	return s
}

// setLimits changes the bounds (0: the defaults) and forgets the oldest hooks that no
// longer fit.
func (s *hookStore) setLimits(maxCount int, maxBytes int64) {
	if maxCount <= 0 {
		maxCount = config.DefaultMaxStoredHooks
	}
	if maxBytes <= 0 {
		maxBytes = config.DefaultHookBytes
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.maxCount, s.maxBytes = maxCount, maxBytes
	s.evict()
}

// hookBytes estimates what a stored hook holds, its secret included: the schema does not
// bound a secret's length, so a secret of --max-body bytes must count like a url of that size.
func hookBytes(h *StoredHook) int64 {
	return int64(128 + len(h.ID) + len(h.Type) + len(h.CallbackURL) + len(h.ProjectID) + len(h.Namespace) + len(h.Project) + len(h.RepoAuth) + len(h.secret))
}

// secretBytes estimates what a kept state-store secret holds, with its id.
func secretBytes(id string, sec *stateSecret) int64 {
	return int64(96 + len(id) + len(sec.coll) + len(sec.scope) + len(sec.callbackURL) + len(sec.secret))
}

// evict forgets the oldest hooks and kept secrets while the store is over a bound. Called
// with mu held.
func (s *hookStore) evict() {
	for len(s.secretOrder) > 0 && (len(s.secretOrder) > s.maxCount || s.secretBytes > s.maxBytes) {
		id := s.secretOrder[0]
		s.secretOrder[0] = "" // free the string: the backing array lives on
		s.secretOrder = s.secretOrder[1:]
		sec := s.secrets[id]
		s.secretBytes -= secretBytes(id, &sec)
		delete(s.secrets, id)
	}
	for s.total > 0 && (s.total > s.maxCount || s.bytes > s.maxBytes) {
		// A repository's hooks are in creation order, so the oldest hook overall is the
		// first hook of the repository that comes first in order.
		old := s.order.pop()
		hs := s.repos[old]
		h := hs.pop()
		s.bytes -= hookBytes(&h)
		if hs.len() == 0 {
			delete(s.repos, old)
		}
		s.total--
	}
}

// newID returns a fresh hook id.
func (s *hookStore) newID() string { return strconv.FormatUint(s.next.Add(1), 10) }

// find returns the hook of the repository with this callback url.
func (s *hookStore) find(k repoKey, url string) (StoredHook, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if hs := s.repos[k]; hs != nil {
		for _, h := range hs.all() {
			if h.CallbackURL == url {
				return h, true
			}
		}
	}
	return StoredHook{}, false
}

// add stores h unless reject is set and the repository already has a hook for its url, in
// which case it returns the existing hook and false. Check and insert happen under one lock
// so two concurrent creations of the same url cannot both pass a reject policy.
func (s *hookStore) add(k repoKey, h StoredHook, reject bool) (StoredHook, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	hs := s.repos[k]
	if hs == nil {
		hs = &queue[StoredHook]{}
		s.repos[k] = hs
	}
	if reject {
		for _, have := range hs.all() {
			if have.CallbackURL == h.CallbackURL {
				return have, false
			}
		}
	}
	hs.push(h)
	s.order.push(k)
	s.total++
	s.bytes += hookBytes(&h)
	s.evict()
	return h, true
}

// get returns the hook with this id.
func (s *hookStore) get(id string) (StoredHook, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, hs := range s.repos {
		for _, h := range hs.all() {
			if h.ID == id {
				return h, true
			}
		}
	}
	return StoredHook{}, false
}

// list returns every hook, oldest first.
func (s *hookStore) list() []StoredHook {
	s.mu.Lock()
	out := []StoredHook{}
	for _, hs := range s.repos {
		out = append(out, hs.all()...)
	}
	s.mu.Unlock()
	sort.Slice(out, func(i, j int) bool {
		ni, _ := strconv.ParseUint(out[i].ID, 10, 64)
		nj, _ := strconv.ParseUint(out[j].ID, 10, 64)
		return ni < nj
	})
	return out
}

func (s *hookStore) reset() {
	s.mu.Lock()
	s.repos = map[repoKey]*queue[StoredHook]{}
	s.order, s.total, s.bytes = queue[repoKey]{}, 0, 0
	s.secrets, s.secretOrder, s.secretBytes = map[string]stateSecret{}, nil, 0
	s.mu.Unlock()
}

// keepSecret remembers the secret of the state store's hook id.
func (s *hookStore) keepSecret(id string, sec stateSecret) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if have, ok := s.secrets[id]; ok {
		s.secretBytes -= secretBytes(id, &have)
	} else {
		s.secretOrder = append(s.secretOrder, id)
	}
	s.secrets[id] = sec
	s.secretBytes += secretBytes(id, &sec)
	s.evict()
}

// stateSecret returns the secret kept for the state store's hook id.
func (s *hookStore) stateSecret(id string) (stateSecret, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sec, ok := s.secrets[id]
	return sec, ok
}

// dropSecret forgets the secret of a hook that is no longer in the state store.
func (s *hookStore) dropSecret(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	have, ok := s.secrets[id]
	if !ok {
		return
	}
	s.secretBytes -= secretBytes(id, &have)
	delete(s.secrets, id)
	s.secretOrder = slices.DeleteFunc(s.secretOrder, func(v string) bool { return v == id })
}

// queue is a first-in first-out slice that reuses its backing array: the store pushes a
// hook and, once full, drops the oldest on every creation, and reslicing the front away
// would make append reallocate (and copy the whole store) every few creations. pop
// clears the slot it frees and moves the front down once half the array is free, so
// the cost per operation stays O(1) amortized with no allocation in the steady state.
type queue[T any] struct {
	items []T
	head  int // items[head:] are held, oldest first
}

func (q *queue[T]) len() int { return len(q.items) - q.head }

// all returns the items held, oldest first; valid until the next push or pop.
func (q *queue[T]) all() []T { return q.items[q.head:] }

func (q *queue[T]) push(v T) { q.items = append(q.items, v) }

// pop removes and returns the oldest item; the queue must not be empty.
func (q *queue[T]) pop() T {
	var zero T
	v := q.items[q.head]
	q.items[q.head] = zero // free what it refers to: the backing array lives on
	q.head++
	switch {
	case q.head == len(q.items):
		q.items, q.head = q.items[:0], 0
	case q.head >= 32 && 2*q.head >= len(q.items):
		n := copy(q.items, q.items[q.head:])
		clear(q.items[n:])
		q.items, q.head = q.items[:n], 0
	}
	return v
}
