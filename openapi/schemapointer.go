package openapi

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// schemaPointer returns the JSON pointer of the place in the document that declares s, such as
// #/paths/~1todos/get/responses/200/content/application~1json/schema/properties/items, so that
// an error about an inline schema can say where it is even when the document was loaded
// without positions. Named schemas are found under #/components first. It walks the whole
// document, so it is meant for error paths only.
func (d *Document) schemaPointer(s *openapi3.Schema) (string, bool) {
	if s == nil {
		return "", false
	}
	w := &pointerWalk{want: s, seen: map[*openapi3.Schema]bool{}}
	w.document(d.T)
	return w.found, w.found != ""
}

type pointerWalk struct {
	want  *openapi3.Schema
	seen  map[*openapi3.Schema]bool
	found string
}

func (w *pointerWalk) document(t *openapi3.T) {
	if c := t.Components; c != nil {
		for _, name := range slices.Sorted(maps.Keys(c.Schemas)) {
			w.schema(c.Schemas[name], "#/components/schemas/"+escapePointer(name), true)
		}
		for _, name := range slices.Sorted(maps.Keys(c.Parameters)) {
			if p := c.Parameters[name]; p != nil {
				w.parameter(p.Value, "#/components/parameters/"+escapePointer(name))
			}
		}
		for _, name := range slices.Sorted(maps.Keys(c.Headers)) {
			if h := c.Headers[name]; h != nil && h.Value != nil {
				w.parameter(&h.Value.Parameter, "#/components/headers/"+escapePointer(name))
			}
		}
		for _, name := range slices.Sorted(maps.Keys(c.RequestBodies)) {
			if rb := c.RequestBodies[name]; rb != nil && rb.Value != nil {
				w.content(rb.Value.Content, "#/components/requestBodies/"+escapePointer(name))
			}
		}
		for _, name := range slices.Sorted(maps.Keys(c.Responses)) {
			w.response(c.Responses[name], "#/components/responses/"+escapePointer(name))
		}
	}
	if t.Paths == nil {
		return
	}
	for _, path := range slices.Sorted(maps.Keys(t.Paths.Map())) {
		item := t.Paths.Value(path)
		at := "#/paths/" + escapePointer(path)
		for i, p := range item.Parameters {
			if p != nil && p.Ref == "" {
				w.parameter(p.Value, at+"/parameters/"+strconv.Itoa(i))
			}
		}
		ops := item.Operations()
		for _, method := range slices.Sorted(maps.Keys(ops)) {
			op := ops[method]
			opAt := at + "/" + strings.ToLower(method)
			for i, p := range op.Parameters {
				if p != nil && p.Ref == "" {
					w.parameter(p.Value, opAt+"/parameters/"+strconv.Itoa(i))
				}
			}
			if rb := op.RequestBody; rb != nil && rb.Ref == "" && rb.Value != nil {
				w.content(rb.Value.Content, opAt+"/requestBody")
			}
			if op.Responses != nil {
				for _, code := range slices.Sorted(maps.Keys(op.Responses.Map())) {
					if r := op.Responses.Value(code); r != nil && r.Ref == "" {
						w.response(r, opAt+"/responses/"+escapePointer(code))
					}
				}
			}
		}
	}
}

func (w *pointerWalk) parameter(p *openapi3.Parameter, at string) {
	if p == nil {
		return
	}
	w.schema(p.Schema, at+"/schema", false)
	w.content(p.Content, at)
}

func (w *pointerWalk) response(r *openapi3.ResponseRef, at string) {
	if r == nil || r.Value == nil {
		return
	}
	w.content(r.Value.Content, at)
	for _, name := range slices.Sorted(maps.Keys(r.Value.Headers)) {
		if h := r.Value.Headers[name]; h != nil && h.Ref == "" && h.Value != nil {
			w.parameter(&h.Value.Parameter, at+"/headers/"+escapePointer(name))
		}
	}
}

func (w *pointerWalk) content(c openapi3.Content, at string) {
	for _, ct := range slices.Sorted(maps.Keys(c)) {
		if mt := c[ct]; mt != nil {
			w.schema(mt.Schema, at+"/content/"+escapePointer(ct)+"/schema", false)
		}
	}
}

// schema looks for the wanted schema at ref and below. A $ref below the top is not followed:
// the schema it names is reported under its own (components) name.
func (w *pointerWalk) schema(ref *openapi3.SchemaRef, at string, top bool) {
	if w.found != "" || ref == nil || ref.Value == nil || (ref.Ref != "" && !top) {
		return
	}
	s := ref.Value
	if s == w.want {
		w.found = at
		return
	}
	if w.seen[s] {
		return
	}
	w.seen[s] = true
	for _, name := range slices.Sorted(maps.Keys(s.Properties)) {
		w.schema(s.Properties[name], at+"/properties/"+escapePointer(name), false)
	}
	w.schema(s.Items, at+"/items", false)
	w.schema(s.AdditionalProperties.Schema, at+"/additionalProperties", false)
	w.schema(s.Not, at+"/not", false)
	for _, group := range []struct {
		kw   string
		list openapi3.SchemaRefs
	}{{"allOf", s.AllOf}, {"anyOf", s.AnyOf}, {"oneOf", s.OneOf}, {"prefixItems", s.PrefixItems}} {
		for i, sub := range group.list {
			w.schema(sub, at+"/"+group.kw+"/"+strconv.Itoa(i), false)
		}
	}
}
