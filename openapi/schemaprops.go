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

// ObjectLike says whether s describes objects: it says type object, or it says no type
// and has properties or allOf branches, which only an object value can make use of
// (DigitalOcean's answers often leave `type: object` out: {properties: {action: ...}}).
func ObjectLike(s *openapi3.Schema) bool {
	return s != nil && (s.Type.Is("object") || s.Type.IsEmpty() && (len(s.Properties) > 0 || len(s.AllOf) > 0))
}

// BranchProperties are ObjectProperties together with those of the oneOf and anyOf
// branches (theirs in turn, allOf included): the properties a value of s may carry
// whichever branch it takes. A request body picks one branch (DigitalOcean's certificate
// creates: lets_encrypt or custom), and the stateful mock keeps what it sent of any. The
// first declaration of a name wins.
func BranchProperties(s *openapi3.Schema) map[string]*openapi3.Schema {
	props := map[string]*openapi3.Schema{}
	var walk func(s *openapi3.Schema, depth int)
	walk = func(s *openapi3.Schema, depth int) {
		if s == nil || depth > 8 {
			return
		}
		own, _ := ObjectProperties(s)
		for name, p := range own {
			if _, ok := props[name]; !ok {
				props[name] = p
			}
		}
		for _, group := range []openapi3.SchemaRefs{s.OneOf, s.AnyOf} {
			for _, b := range group {
				if b != nil {
					walk(b.Value, depth+1)
				}
			}
		}
	}
	walk(s, 0)
	return props
}
