// Package ring is the one store behind hookkit's two journals: the mock's
// (mockserver/journal, GET /__admin/requests) and the proxy's (contract.Journal, GET
// /__admin/violations). Both keep the newest entries within two bounds, a number of
// entries and a byte budget, and both sit on the path of every request, so every
// operation that a request pays for is O(1): a push writes one slot, and a drop, whether
// the ring is full or over its budget, clears the oldest slot and moves an index.
//
// A Ring is not safe for concurrent use: each journal holds it under its own lock,
// together with the work it does around it (IDs, filters, deferred redaction).
package ring

import (
	"net/http"

	"github.com/hookkit/hookkit/openapi"
)

// The bounds both journals share, documented where users meet them (the mock's
// journal.size and journal.maxBytes in mockserver/CONFIG.md, the proxy's --journal-size).
const (
	// DefaultSize is the number of entries a journal keeps when nothing says otherwise.
	DefaultSize = 1000
	// MaxSize is the most entries a ring keeps: a ring is allocated up front, so the
	// number alone must not exhaust memory. New and Resize cap larger sizes at it.
	MaxSize = 100_000
	// DefaultMaxBytes is a journal's byte budget when nothing says otherwise.
	DefaultMaxBytes = 32 << 20
)

// The estimates of what an entry holds, for the byte budget: both journals cost their
// entries alike.
const (
	// EntryOverhead is the cost of an entry beyond its strings: the struct, slices, maps.
	EntryOverhead = 512
	// problemOverhead is the cost of one problem beyond its strings.
	problemOverhead = 32
)

// HeaderBytes returns the bytes of h's names and values.
func HeaderBytes(h http.Header) int64 {
	var n int64
	for k, vs := range h {
		for _, v := range vs {
			n += int64(len(k) + len(v) + 4)
		}
	}
	return n
}

// ProblemBytes returns the bytes of ps's strings and per-problem overhead.
func ProblemBytes(ps []openapi.Problem) int64 {
	var n int64
	for _, p := range ps {
		n += int64(len(p.Kind) + len(p.In) + len(p.Name) + len(p.Message) + problemOverhead)
	}
	return n
}

// Ring keeps the newest values pushed: at most Cap of them, and, the newest one apart, at
// most the byte budget of their costs (the estimate of what each value holds, given by the
// caller).
type Ring[T any] struct {
	slots    []slot[T] // slots[next] is the oldest once full
	next     int       // where the next value goes
	count    int       // values held, at most len(slots)
	bytes    int64     // cost of the values held
	maxBytes int64     // the byte budget; 0 or less: none
}

type slot[T any] struct {
	v    T
	cost int64
}

// New returns a ring of size slots (0 when size is negative, at most MaxSize) with the
// byte budget maxBytes (0 or less: no budget). A ring of size 0 keeps nothing.
func New[T any](size int, maxBytes int64) *Ring[T] {
	return &Ring[T]{slots: make([]slot[T], clampSize(size)), maxBytes: maxBytes}
}

func clampSize(size int) int { return min(max(size, 0), MaxSize) }

// Len returns the number of values held.
func (r *Ring[T]) Len() int { return r.count }

// Cap returns the number of values the ring keeps at most.
func (r *Ring[T]) Cap() int { return len(r.slots) }

// Bytes returns the sum of the costs of the values held, which the budget bounds.
func (r *Ring[T]) Bytes() int64 { return r.bytes }

// Push adds v, which holds cost bytes, as the newest value. It drops the oldest value when
// the ring is full, then the oldest ones while the ring is over its budget, keeping v
// whatever its cost. It returns the number of values dropped, v itself included when the
// ring keeps nothing.
func (r *Ring[T]) Push(v T, cost int64) (dropped int) {
	if len(r.slots) == 0 {
		return 1
	}
	if r.count == len(r.slots) {
		r.dropOldest()
		dropped++
	}
	r.slots[r.next] = slot[T]{v: v, cost: cost}
	r.next = (r.next + 1) % len(r.slots)
	r.count++
	r.bytes += cost
	return dropped + r.trim()
}

// SetMaxBytes changes the byte budget (0 or less: none) and drops the oldest values until
// the rest fit. It returns the number of values dropped.
func (r *Ring[T]) SetMaxBytes(n int64) (dropped int) {
	r.maxBytes = n
	return r.trim()
}

// trim drops the oldest values while the ring is over its budget, keeping the newest.
func (r *Ring[T]) trim() (dropped int) {
	for r.maxBytes > 0 && r.bytes > r.maxBytes && r.count > 1 {
		r.dropOldest()
		dropped++
	}
	return dropped
}

// dropOldest clears the oldest slot (so its value can be collected) and forgets it.
func (r *Ring[T]) dropOldest() {
	i := r.index(0)
	r.bytes -= r.slots[i].cost
	r.slots[i] = slot[T]{}
	r.count--
}

// index returns the slot of the i-th oldest value held.
func (r *Ring[T]) index(i int) int {
	return (r.next - r.count + i + len(r.slots)) % len(r.slots)
}

// At returns the i-th oldest value held: 0 is the oldest, Len()-1 the newest. The pointer
// stays valid until the next Push, SetMaxBytes, Clear or Resize; writing through it
// changes the value held (its cost stays what Push was told). At panics when i is out of
// range, as a slice index does.
func (r *Ring[T]) At(i int) *T {
	if i < 0 || i >= r.count {
		panic("ring: index out of range")
	}
	return &r.slots[r.index(i)].v
}

// Clear drops every value.
func (r *Ring[T]) Clear() {
	clear(r.slots)
	r.next, r.count, r.bytes = 0, 0, 0
}

// Resize changes the number of slots (capped like New's), keeping the newest values that
// fit. It returns the number of values dropped.
func (r *Ring[T]) Resize(size int) (dropped int) {
	size = clampSize(size)
	if size == len(r.slots) {
		return 0
	}
	keep := min(r.count, size)
	slots := make([]slot[T], size)
	var bytes int64
	for i := range keep {
		slots[i] = r.slots[r.index(r.count-keep+i)]
		bytes += slots[i].cost
	}
	dropped = r.count - keep
	r.slots, r.count, r.bytes, r.next = slots, keep, bytes, 0
	if size > 0 {
		r.next = keep % size
	}
	return dropped
}
