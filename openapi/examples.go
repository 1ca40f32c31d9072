package openapi

import (
	"fmt"
	"maps"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"
)

// Example is one example value the document declares, under the name a user selects it by
// (Prism's `Prefer: example=<name>`, a checker's case name).
type Example struct {
	// Name is the key in the examples map, "example" for a lone example, or "example-N"
	// (1-based) for the entries of an OpenAPI 3.1 schema's examples list.
	Name string
	// Summary is the example's summary, when it has one.
	Summary string
	// Value is the example as encoding/json would decode it; each call returns fresh copies,
	// so callers may modify it.
	Value any
}

// ExampleName is the Name of an example given by a lone `example` keyword, of the media type
// or of its schema.
const ExampleName = "example"

// MediaExamples lists a media type's examples: the `examples` map sorted by name, else
// `example` (named "example"), else the schema's own example(s) when they validate against
// it; empty when there are none. Examples that only give an externalValue are skipped: hookkit
// never fetches documents from the network.
//
// The precedence follows the OpenAPI specification (a media type's examples override its
// schema's) and Prism, so `Prefer: example=<name>` selects the same example in both mocks.
func MediaExamples(mt *openapi3.MediaType) []Example {
	if mt == nil {
		return nil
	}
	var out []Example
	for _, name := range slices.Sorted(maps.Keys(mt.Examples)) {
		ref := mt.Examples[name]
		if ref == nil || ref.Value == nil || ref.Value.Value == nil {
			continue
		}
		out = append(out, Example{Name: name, Summary: ref.Value.Summary, Value: jsonCopy(ref.Value.Value)})
	}
	if len(out) > 0 {
		return out
	}
	if mt.Example != nil {
		return []Example{{Name: ExampleName, Value: jsonCopy(mt.Example)}}
	}
	if mt.Schema == nil || mt.Schema.Value == nil {
		return nil
	}
	return schemaExamples(mt.Schema.Value)
}

// schemaExamples returns a schema's example and its 3.1 examples list, each only when the
// schema accepts it. kin-openapi checks a schema's example when it loads a document, but not
// in every position, and a 3.1 examples entry not at all; a mock must never serve an invalid
// one.
func schemaExamples(s *openapi3.Schema) []Example {
	var out []Example
	if s.Example != nil && s.VisitJSON(jsonCopy(s.Example), openapi3.VisitAsResponse(), openapi3.WithStringFormatValidators(formatValidators)) == nil {
		out = append(out, Example{Name: ExampleName, Value: jsonCopy(s.Example)})
	}
	for i, v := range s.Examples {
		if v == nil || s.VisitJSON(jsonCopy(v), openapi3.VisitAsResponse(), openapi3.EnableJSONSchema2020(), openapi3.WithStringFormatValidators(formatValidators)) != nil {
			continue
		}
		out = append(out, Example{Name: fmt.Sprintf("example-%d", i+1), Value: jsonCopy(v)})
	}
	return out
}

// ParameterExample returns an example value for a parameter, from the first place that has
// one: the parameter's example, its examples (first by name), its schema's example or examples,
// or the examples of its content media type. The contract checker fills requests with it before
// it falls back to synthesis, so requests look like the ones the document's authors had in mind.
func ParameterExample(p *openapi3.Parameter) (any, bool) {
	if p == nil {
		return nil, false
	}
	if p.Example != nil {
		return jsonCopy(p.Example), true
	}
	for _, name := range slices.Sorted(maps.Keys(p.Examples)) {
		if ref := p.Examples[name]; ref != nil && ref.Value != nil && ref.Value.Value != nil {
			return jsonCopy(ref.Value.Value), true
		}
	}
	if p.Schema != nil && p.Schema.Value != nil {
		s := p.Schema.Value
		if s.Example != nil {
			return jsonCopy(s.Example), true
		}
		for _, v := range s.Examples {
			if v != nil {
				return jsonCopy(v), true
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(p.Content)) {
		if ex := MediaExamples(p.Content[name]); len(ex) > 0 {
			return ex[0].Value, true
		}
	}
	return nil, false
}
