package contract

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net/url"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// caseSeed derives the seed of one synthesized case from the run's seed and the case's
// place, so adding an operation to a document does not change the values of the others.
func caseSeed(seed uint64, op string, i int) uint64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%d\x00%s\x00%d", seed, op, i)
	return h.Sum64()
}

// paramExample returns the value the document gives a parameter: its example, its first
// named example (by name), or its schema's example or default.
func paramExample(p *openapi3.Parameter) (any, bool) {
	if p.Example != nil {
		return p.Example, true
	}
	for _, name := range sortedNames(p.Examples) {
		if ex := p.Examples[name]; ex != nil && ex.Value != nil && ex.Value.Value != nil {
			return ex.Value.Value, true
		}
	}
	if p.Schema != nil && p.Schema.Value != nil {
		if p.Schema.Value.Example != nil {
			return p.Schema.Value.Example, true
		}
		if p.Schema.Value.Default != nil {
			return p.Schema.Value.Default, true
		}
	}
	return nil, false
}

// namedExample is one body example of the document.
type namedExample struct {
	name  string
	value any
}

// bodyExamples lists a media type's examples in a stable order: its named examples by
// name, then its single example, then its schema's example.
func bodyExamples(mt *openapi3.MediaType) []namedExample {
	var out []namedExample
	for _, name := range sortedNames(mt.Examples) {
		if ex := mt.Examples[name]; ex != nil && ex.Value != nil && ex.Value.Value != nil {
			out = append(out, namedExample{name, ex.Value.Value})
		}
	}
	if mt.Example != nil {
		out = append(out, namedExample{"example", mt.Example})
	}
	if len(out) == 0 && mt.Schema != nil && mt.Schema.Value != nil && mt.Schema.Value.Example != nil {
		out = append(out, namedExample{"schema-example", mt.Schema.Value.Example})
	}
	return out
}

func sortedNames[V any](m map[string]V) []string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// paramString renders a parameter value in the default simple style: scalars as text,
// arrays joined by commas, objects as key,value pairs.
func paramString(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return t
	case []any:
		parts := make([]string, len(t))
		for i, e := range t {
			parts[i] = paramString(e)
		}
		return strings.Join(parts, ",")
	case map[string]any:
		var parts []string
		for _, k := range sortedNames(t) {
			parts = append(parts, k, paramString(t[k]))
		}
		return strings.Join(parts, ",")
	case json.Number:
		return t.String()
	case float64:
		b, _ := json.Marshal(t)
		return string(b)
	default:
		return fmt.Sprint(t)
	}
}

// queryValues renders a query parameter in the default form style with explode: arrays
// repeat the name.
func queryValues(q url.Values, name string, v any) {
	if arr, ok := v.([]any); ok {
		for _, e := range arr {
			q.Add(name, paramString(e))
		}
		return
	}
	q.Set(name, paramString(v))
}
