package openapi

import (
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
)

// synthMemo remembers what Synthesize made: the same schema and options always give the
// same value, and synthesis is mostly validation (every value is checked against its
// schema before it is returned), which is costly for large schemas. A document whose 468
// operations share one error schema and a few dozen resource schemas (Stripe's) has the
// mock build each once instead of at every operation. Values are handed out as copies, so
// a caller may change what it gets. At most maxSynthMemo values, of at most
// maxSynthMemoBytes together, are kept: a checker that draws a new seed per case, or a
// mock answering `Prefer: dynamic=true` (a new seed per request), would otherwise keep
// every value it ever made, and values of up to MaxSynthBytes each would let 4096 of them
// take gigabytes.
type synthMemo struct {
	mu    sync.Mutex
	m     map[synthKey]synthResult
	bytes int // the sizes (jsonValueSize) of the values in m
}

// maxSynthMemo is the most values one document remembers.
const maxSynthMemo = 4096

// maxSynthMemoBytes bounds the sizes of the values one document remembers together.
const maxSynthMemoBytes = 32 << 20

// synthKey names a synthesis: the schema (its $ref too, which names discriminator values
// and errors) and the options.
type synthKey struct {
	s   *openapi3.Schema
	ref string
	o   SynthOptions
}

type synthResult struct {
	v   any
	err error
}

// get returns a copy of the remembered value for key.
func (m *synthMemo) get(key synthKey) (any, error, bool) {
	m.mu.Lock()
	r, ok := m.m[key]
	m.mu.Unlock()
	if !ok {
		return nil, nil, false
	}
	return copyJSONValue(r.v), r.err, true
}

// put remembers v (which the memo owns from now on) for key, while there is room.
func (m *synthMemo) put(key synthKey, v any, err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.m == nil {
		m.m = map[synthKey]synthResult{}
	}
	if _, ok := m.m[key]; ok || len(m.m) >= maxSynthMemo {
		return
	}
	size := jsonValueSize(v, maxSynthMemoBytes-m.bytes)
	if m.bytes+size > maxSynthMemoBytes {
		return
	}
	m.bytes += size
	m.m[key] = synthResult{v, err}
}

// jsonValueSize is about the memory a value as Synthesize makes it takes, counted up to a
// little over limit (then the value is too large to keep anyway).
func jsonValueSize(v any, limit int) int {
	const node = 16 // an interface value, a map entry's or a slice element's overhead
	switch x := v.(type) {
	case map[string]any:
		n := node
		for k, e := range x {
			if n > limit {
				break
			}
			n += len(k) + node + jsonValueSize(e, limit-n)
		}
		return n
	case []any:
		n := node
		for _, e := range x {
			if n > limit {
				break
			}
			n += jsonValueSize(e, limit-n)
		}
		return n
	case string:
		return node + len(x)
	}
	return node
}

// copyJSONValue copies the maps and slices of a value as Synthesize makes them.
func copyJSONValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = copyJSONValue(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = copyJSONValue(e)
		}
		return out
	}
	return v
}
