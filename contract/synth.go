package contract

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/hookkit/hookkit/openapi"
)

// synthesize makes a request value valid for ref, deterministic for seed.
func synthesize(doc *openapi.Document, ref *openapi3.SchemaRef, seed uint64) (any, error) {
	if ref == nil || ref.Value == nil {
		return nil, fmt.Errorf("no schema")
	}
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	return fallback(ref.Value, r, seed == 0, 0), nil
}

// fallback builds a value from a schema: its example, default or enum when given, else a
// value of its type honouring formats and bounds. plain makes the first example-like
// choice; otherwise values vary with r.
func fallback(s *openapi3.Schema, r *rand.Rand, plain bool, depth int) any {
	if s.Example != nil && (plain || r.IntN(2) == 0) {
		return s.Example
	}
	if s.Default != nil && plain {
		return s.Default
	}
	if len(s.Enum) > 0 {
		return s.Enum[r.IntN(len(s.Enum))]
	}
	if len(s.AllOf) > 0 {
		merged := map[string]any{}
		for _, sub := range s.AllOf {
			if sub.Value == nil {
				continue
			}
			if m, ok := fallback(sub.Value, r, plain, depth+1).(map[string]any); ok {
				for k, v := range m {
					merged[k] = v
				}
			}
		}
		return merged
	}
	for _, group := range [][]*openapi3.SchemaRef{s.OneOf, s.AnyOf} {
		if len(group) > 0 && group[0].Value != nil {
			return fallback(group[0].Value, r, plain, depth+1)
		}
	}
	typ := ""
	if s.Type != nil && len(s.Type.Slice()) > 0 {
		typ = s.Type.Slice()[0]
	}
	switch {
	case typ == "object" || (typ == "" && len(s.Properties) > 0):
		out := map[string]any{}
		if depth > 6 {
			return out
		}
		names := make([]string, 0, len(s.Properties))
		for name := range s.Properties {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			p := s.Properties[name]
			if p.Value == nil || p.Value.ReadOnly {
				continue
			}
			out[name] = fallback(p.Value, r, plain, depth+1)
		}
		return out
	case typ == "array":
		n := int(s.MinItems)
		if n == 0 {
			n = 1
		}
		out := make([]any, 0, n)
		for i := 0; i < n && s.Items != nil && s.Items.Value != nil; i++ {
			out = append(out, fallback(s.Items.Value, r, plain && i == 0, depth+1))
		}
		return out
	case typ == "integer":
		lo, hi := int64(1), int64(1000)
		if s.Min != nil {
			lo = int64(*s.Min)
			if s.ExclusiveMin.IsSet() {
				lo++
			}
		}
		if s.Max != nil {
			hi = int64(*s.Max)
			if s.ExclusiveMax.IsSet() {
				hi--
			}
		}
		if hi < lo {
			hi = lo
		}
		if plain {
			return lo
		}
		return lo + r.Int64N(hi-lo+1)
	case typ == "number":
		lo := 1.5
		if s.Min != nil {
			lo = *s.Min + 0.5
		}
		return lo
	case typ == "boolean":
		return plain || r.IntN(2) == 0
	}
	return fallbackString(s, r, plain)
}

func fallbackString(s *openapi3.Schema, r *rand.Rand, plain bool) string {
	n := 1 + r.IntN(1000)
	if plain {
		n = 1
	}
	var v string
	switch s.Format {
	case "uri", "url":
		v = fmt.Sprintf("https://example.com/hook/%d", n)
	case "email":
		v = fmt.Sprintf("user%d@example.com", n)
	case "uuid":
		v = fmt.Sprintf("00000000-0000-4000-8000-%012d", n)
	case "date":
		v = "2026-01-02"
	case "date-time":
		v = "2026-01-02T03:04:05Z"
	case "ipv4":
		v = "192.0.2.1"
	case "ipv6":
		v = "2001:db8::1"
	case "hostname":
		v = "example.com"
	case "byte":
		v = "aGVsbG8="
	default:
		v = fmt.Sprintf("value%d", n)
	}
	for uint64(len(v)) < s.MinLength {
		v += "x"
	}
	if s.MaxLength != nil && uint64(len(v)) > *s.MaxLength {
		v = strings.Repeat("x", int(max(*s.MaxLength, s.MinLength)))
	}
	return v
}
