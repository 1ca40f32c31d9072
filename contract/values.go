package contract

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"maps"
	"net/url"
	"slices"
	"strconv"
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
		for _, k := range slices.Sorted(maps.Keys(t)) {
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

// styledQuery renders a query parameter as its serialization asks: deepObject as bracketed
// names (expand[0]=a, created[gte]=1), anything else in the default form style. A null
// value is left out: a query string cannot say null, and an empty value is not one.
func styledQuery(q url.Values, prm *openapi3.Parameter, v any) {
	if v == nil {
		return
	}
	if prm.Style == openapi3.SerializationDeepObject {
		bracketValues(q, prm.Name, v)
		return
	}
	queryValues(q, prm.Name, v)
}

// delQuery removes every name a query parameter may have been sent under: the plain name
// and its bracketed forms.
func delQuery(q url.Values, name string) {
	q.Del(name)
	for k := range q {
		if strings.HasPrefix(k, name+"[") {
			q.Del(k)
		}
	}
}

// bracketValues renders v under name with brackets for every level: objects by key, arrays
// by index; null values are left out.
func bracketValues(q url.Values, name string, v any) {
	switch t := v.(type) {
	case nil:
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(t)) {
			bracketValues(q, name+"["+k+"]", t[k])
		}
	case []any:
		for i, e := range t {
			bracketValues(q, name+"["+strconv.Itoa(i)+"]", e)
		}
	default:
		q.Add(name, paramString(v))
	}
}

// formValues encodes a form-urlencoded body's fields. A field whose encoding says
// deepObject, and any object or array of non-scalars (which plain form fields cannot
// carry), is sent with brackets; an array of scalars repeats its name; null fields are
// left out, since an empty value would be read as the empty string (and break an enum).
func formValues(v any, mt *openapi3.MediaType) url.Values {
	q := url.Values{}
	m, ok := v.(map[string]any)
	if !ok {
		return q
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		val := m[k]
		deep := false
		if mt != nil {
			if enc := mt.Encoding[k]; enc != nil && enc.Style == openapi3.SerializationDeepObject {
				deep = true
			}
		}
		switch t := val.(type) {
		case map[string]any:
			deep = true
		case []any:
			for _, e := range t {
				switch e.(type) {
				case map[string]any, []any:
					deep = true
				}
			}
		}
		if deep {
			bracketValues(q, k, val)
		} else if val != nil {
			queryValues(q, k, val)
		}
	}
	return q
}
