package openapi

import "github.com/getkin/kin-openapi/openapi3"

// ObjectProperties are an object schema's properties together with those of its allOf
// branches (nested up to a small depth), and its required names: what a value of the
// schema may hold whichever branch declares it. The first declaration of a name wins.
// The stateful mock merges and the checker compares resources by them.
func ObjectProperties(s *openapi3.Schema) (map[string]*openapi3.Schema, []string) {
	props := map[string]*openapi3.Schema{}
	var required []string
	var walk func(s *openapi3.Schema, depth int)
	walk = func(s *openapi3.Schema, depth int) {
		if s == nil || depth > 8 {
			return
		}
		for name, p := range s.Properties {
			if _, ok := props[name]; !ok && p != nil && p.Value != nil {
				props[name] = p.Value
			}
		}
		required = append(required, s.Required...)
		for _, b := range s.AllOf {
			if b != nil {
				walk(b.Value, depth+1)
			}
		}
	}
	walk(s, 0)
	return props, required
}
