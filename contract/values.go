package contract

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net/url"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/hookkit/hookkit/openapi"
)

// caseSeed derives the seed of one synthesized case from the run's seed and the case's
// place, so adding an operation to a document does not change the values of the others.
func caseSeed(seed uint64, op string, i int) uint64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%d\x00%s\x00%d", seed, op, i)
	return h.Sum64()
}

// namedExample is one body example of the document.
type namedExample struct {
	name  string
	value any
}

// bodyExamples lists a media type's examples in package openapi's order (the examples map
// by name, else example, else the schema's).
func bodyExamples(mt *openapi3.MediaType) []namedExample {
	var out []namedExample
	for _, ex := range openapi.MediaExamples(mt) {
		out = append(out, namedExample{ex.Name, ex.Value})
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
