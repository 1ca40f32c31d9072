// Package state is the seam between the stateful mock and where it keeps resources: one
// small [Store] interface with two implementations, [memory] (the default: bounded, per
// process) and [redis] (shared by every mock replica that points at the same server).
//
// A store knows nothing of OpenAPI: it keeps opaque JSON values by collection, scope and
// id. A scope is one combination of a collection's parent path parameters (the hooks of
// one repository, the tasks of one project); ids are unique within a collection.
//
// # Guarantees every store gives
//
//   - Create, Update and Delete of one item are atomic: concurrent writers never lose an
//     update (the Redis store uses Lua scripts and WATCH/MULTI transactions).
//   - NextID never returns the same number twice for a collection, not even after Clear,
//     so an id a client saw is never handed to another resource.
//   - List returns items in creation order.
//
// [memory]: github.com/hookkit/hookkit/mockserver/state/memory
// [redis]: github.com/hookkit/hookkit/mockserver/state/redis
package state

import (
	"context"
	"encoding/json"
	"errors"
)

// Store keeps the resources of the stateful mock.
type Store interface {
	// NextID returns a fresh sequence number for the collection.
	NextID(ctx context.Context, coll string) (uint64, error)
	// Create stores value under id in the scope. When unique is not empty and an item of
	// the scope was created with the same unique value, nothing is stored and that item is
	// returned with created false. An id already present is [ErrExists].
	Create(ctx context.Context, coll, scope, id string, value []byte, unique string) (have Item, created bool, err error)
	// Get returns the item's value, or ok false.
	Get(ctx context.Context, coll, scope, id string) (value []byte, ok bool, err error)
	// List returns up to limit items of the scope from offset on (limit <= 0: all, up to
	// MaxList), oldest first, and the number of items in the scope. It stops before the
	// values would exceed MaxListBytes (one item at least), so a page may be shorter than
	// limit though more items follow.
	List(ctx context.Context, coll, scope string, offset, limit int) (items []Item, total int, err error)
	// Update replaces the item's value with fn(old) atomically; fn may run more than once
	// when another writer got in between. ok is false when the item does not exist.
	Update(ctx context.Context, coll, scope, id string, fn func(old []byte) ([]byte, error)) (value []byte, ok bool, err error)
	// Delete removes the item; ok is false when it did not exist.
	Delete(ctx context.Context, coll, scope, id string) (ok bool, err error)
	// Dump returns every item of the collection, in every scope (at most MaxList items and
	// MaxListBytes of values, as List).
	Dump(ctx context.Context, coll string) ([]Item, error)
	// Clear removes every item of the collection.
	Clear(ctx context.Context, coll string) error
	// Close releases the store's connections.
	Close() error
}

// Item is one stored resource.
type Item struct {
	// Scope is the scope the item belongs to ("" for a collection without parent).
	Scope string `json:"scope,omitempty"`
	// ID is the item's id within its collection.
	ID string `json:"id"`
	// Value is the resource as the mock returns it.
	Value json.RawMessage `json:"value"`
}

// MaxList and MaxListBytes bound what one List or Dump returns (items, and bytes of their
// values), so a request cannot make a store send, and the mock hold, an unbounded answer:
// ten thousand resources of a request body each would be gigabytes.
const (
	MaxList      = 10000
	MaxListBytes = 16 << 20
)

// ErrExists is returned by Create for an id already present in the scope.
var ErrExists = errors.New("an item with this id already exists")
