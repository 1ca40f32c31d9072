package openapi

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// eachSchema calls fn once for every schema reachable from the document (component schemas,
// parameters, bodies, responses and headers of components, paths and webhooks), with the
// JSON pointer of the first place it was reached at. Shared ($ref'd) schemas are visited once.
func eachSchema(t *openapi3.T, fn func(ptr []string, s *openapi3.Schema)) {
	seen := map[*openapi3.Schema]bool{}
	// fresh reports whether ref leads to a schema not visited yet; pointers are built only
	// for those, since most schemas have no items, not, allOf... and many are shared.
	fresh := func(ref *openapi3.SchemaRef) bool { return ref != nil && ref.Value != nil && !seen[ref.Value] }
	var schema func(ptr []string, ref *openapi3.SchemaRef)
	schema = func(ptr []string, ref *openapi3.SchemaRef) {
		if !fresh(ref) {
			return
		}
		s := ref.Value
		seen[s] = true
		fn(ptr, s)
		if len(s.Properties) == 1 {
			for name, p := range s.Properties {
				if fresh(p) {
					schema(extendPointer(ptr, "properties", name), p)
				}
			}
		} else if len(s.Properties) > 1 {
			for _, name := range slices.Sorted(maps.Keys(s.Properties)) {
				if p := s.Properties[name]; fresh(p) {
					schema(extendPointer(ptr, "properties", name), p)
				}
			}
		}
		if fresh(s.Items) {
			schema(extendPointer(ptr, "items"), s.Items)
		}
		if fresh(s.AdditionalProperties.Schema) {
			schema(extendPointer(ptr, "additionalProperties"), s.AdditionalProperties.Schema)
		}
		if fresh(s.Not) {
			schema(extendPointer(ptr, "not"), s.Not)
		}
		for _, kw := range [...]struct {
			name string
			list openapi3.SchemaRefs
		}{{"allOf", s.AllOf}, {"anyOf", s.AnyOf}, {"oneOf", s.OneOf}} {
			for i, b := range kw.list {
				if fresh(b) {
					schema(extendPointer(ptr, kw.name, strconv.Itoa(i)), b)
				}
			}
		}
	}
	content := func(ptr []string, c openapi3.Content) {
		for _, mt := range slices.Sorted(maps.Keys(c)) {
			if c[mt] != nil {
				if fresh(c[mt].Schema) {
					schema(extendPointer(ptr, "content", mt, "schema"), c[mt].Schema)
				}
			}
		}
	}
	params := func(ptr []string, ps openapi3.Parameters) {
		for i, p := range ps {
			if p != nil && p.Value != nil {
				if fresh(p.Value.Schema) {
					schema(extendPointer(ptr, "parameters", strconv.Itoa(i), "schema"), p.Value.Schema)
				}
				if len(p.Value.Content) > 0 {
					content(extendPointer(ptr, "parameters", strconv.Itoa(i)), p.Value.Content)
				}
			}
		}
	}
	response := func(ptr []string, r *openapi3.Response) {
		if r == nil {
			return
		}
		content(ptr, r.Content)
		for _, h := range slices.Sorted(maps.Keys(r.Headers)) {
			if hv := r.Headers[h]; hv != nil && hv.Value != nil && fresh(hv.Value.Schema) {
				schema(extendPointer(ptr, "headers", h, "schema"), hv.Value.Schema)
			}
		}
	}
	item := func(ptr []string, it *openapi3.PathItem) {
		if it == nil {
			return
		}
		params(ptr, it.Parameters)
		for _, m := range slices.Sorted(maps.Keys(it.Operations())) {
			op := it.GetOperation(m)
			at := append(append([]string(nil), ptr...), strings.ToLower(m))
			params(at, op.Parameters)
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				content(append(at, "requestBody"), op.RequestBody.Value.Content)
			}
			if op.Responses != nil {
				rs := op.Responses.Map()
				for _, k := range slices.Sorted(maps.Keys(rs)) {
					if rs[k] != nil {
						response(append(at, "responses", k), rs[k].Value)
					}
				}
			}
		}
	}
	if c := t.Components; c != nil {
		for _, n := range slices.Sorted(maps.Keys(c.Schemas)) {
			schema([]string{"components", "schemas", n}, c.Schemas[n])
		}
		for _, n := range slices.Sorted(maps.Keys(c.Responses)) {
			if c.Responses[n] != nil {
				response([]string{"components", "responses", n}, c.Responses[n].Value)
			}
		}
		for _, n := range slices.Sorted(maps.Keys(c.RequestBodies)) {
			if rb := c.RequestBodies[n]; rb != nil && rb.Value != nil {
				content([]string{"components", "requestBodies", n}, rb.Value.Content)
			}
		}
	}
	if t.Paths != nil {
		paths := t.Paths.Map()
		for _, p := range slices.Sorted(maps.Keys(paths)) {
			item([]string{"paths", p}, paths[p])
		}
	}
	for _, n := range slices.Sorted(maps.Keys(t.Webhooks)) {
		item([]string{"webhooks", n}, t.Webhooks[n])
	}
}

// extendPointer returns a new pointer: ptr followed by tok.
func extendPointer(ptr []string, tok ...string) []string {
	return append(append(make([]string, 0, len(ptr)+len(tok)), ptr...), tok...)
}

// dedupeRequired removes repeated names from every schema's required list (kin-openapi
// refuses them; they mean nothing more than the name once) and warns about each schema.
func dedupeRequired(t *openapi3.T) []Warning {
	var warns []Warning
	eachSchema(t, func(ptr []string, s *openapi3.Schema) {
		if len(s.Required) < 2 {
			return
		}
		seen := map[string]bool{}
		var kept, dups []string
		for _, n := range s.Required {
			if seen[n] {
				dups = append(dups, n)
				continue
			}
			seen[n] = true
			kept = append(kept, n)
		}
		if len(dups) > 0 {
			s.Required = kept
			warns = append(warns, Warning{Kind: DuplicateRequired, Pointer: Pointer(append(ptr, "required")),
				Message: "required lists " + strings.Join(dups, ", ") + " more than once; counted once"})
		}
	})
	return warns
}

// knownFormats are the string and number formats of OpenAPI and JSON Schema, plus common
// ones; other names are warned about (they are not checked, and values of them are plain).
var knownFormats = map[string]bool{
	"int32": true, "int64": true, "float": true, "double": true, "byte": true, "binary": true, "password": true,
	"date": true, "date-time": true, "time": true, "duration": true, "email": true, "idn-email": true,
	"hostname": true, "idn-hostname": true, "ipv4": true, "ipv6": true, "uri": true, "uri-reference": true,
	"iri": true, "iri-reference": true, "uri-template": true, "url": true, "uuid": true, "json-pointer": true,
	"relative-json-pointer": true, "regex": true, "decimal": true, "int8": true, "int16": true, "uint8": true,
	"uint16": true, "uint32": true, "uint64": true, "char": true, "base64": true, "phone": true,
}

// fixExclusiveBounds rewrites OpenAPI 3.0's boolean exclusiveMinimum/exclusiveMaximum
// (modifiers of minimum/maximum) into 3.1's numeric bounds, which is what their authors
// meant, and warns about each schema.
func fixExclusiveBounds(t *openapi3.T) []Warning {
	var warns []Warning
	fix := func(ptr []string, name string, b *openapi3.ExclusiveBound, bound **float64) {
		if b.Bool == nil {
			return
		}
		if *b.Bool && *bound != nil {
			b.Value, *bound = *bound, nil
		}
		b.Bool = nil
		warns = append(warns, Warning{Kind: VersionMismatch, Pointer: Pointer(append(ptr, name)),
			Message: "boolean " + name + " is OpenAPI 3.0; read as the 3.1 bound it means"})
	}
	eachSchema(t, func(ptr []string, s *openapi3.Schema) {
		fix(ptr, "exclusiveMinimum", &s.ExclusiveMin, &s.Min)
		fix(ptr, "exclusiveMaximum", &s.ExclusiveMax, &s.Max)
	})
	return warns
}
