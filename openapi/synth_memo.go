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
// a caller may change what it gets. At most maxSynthMemo values are kept: a checker that
// draws a new seed per case would otherwise keep every value it ever made.
type synthMemo struct {
	mu sync.Mutex
	m  map[synthKey]synthResult
}

// maxSynthMemo is the most values one document remembers.
const maxSynthMemo = 4096

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
	if len(m.m) < maxSynthMemo {
		m.m[key] = synthResult{v, err}
	}
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
