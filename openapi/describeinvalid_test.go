package openapi

import (
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// TestDescribeInvalidPointers: an invalid value inside an allOf, at any depth, is named
// by its JSON pointer once (kin-openapi marks the errors inside an allOf with the path
// above it too: DigitalOcean's droplet examples read /droplets/0/x/droplets/0/x).
func TestDescribeInvalidPointers(t *testing.T) {
	t.Parallel()
	obj := func(props map[string]*openapi3.Schema, required ...string) *openapi3.Schema {
		s := openapi3.NewObjectSchema()
		for k, v := range props {
			s.WithProperty(k, v)
		}
		s.Required = required
		return s
	}
	window := obj(map[string]*openapi3.Schema{"start": openapi3.NewStringSchema()}, "start")
	droplet := &openapi3.Schema{AllOf: openapi3.SchemaRefs{openapi3.NewSchemaRef("", obj(map[string]*openapi3.Schema{"window": window}))}}
	nested := &openapi3.Schema{AllOf: openapi3.SchemaRefs{openapi3.NewSchemaRef("", droplet)}}
	for _, tc := range []struct {
		name   string
		schema *openapi3.Schema
		value  any
		want   string
	}{
		{"allOf inside an array", obj(map[string]*openapi3.Schema{"droplets": openapi3.NewArraySchema().WithItems(droplet)}),
			map[string]any{"droplets": []any{map[string]any{"window": nil}}}, "value field /droplets/0/window must not be null"},
		{"allOf inside allOf", obj(map[string]*openapi3.Schema{"droplets": openapi3.NewArraySchema().WithItems(nested)}),
			map[string]any{"droplets": []any{map[string]any{"window": map[string]any{}}}}, "value field /droplets/0/window/start is required"},
		{"allOf at the top", droplet, map[string]any{"window": map[string]any{"start": 3.0}}, "value field /window/start must be of type string"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := tc.schema.VisitJSON(tc.value, openapi3.MultiErrors())
			if err == nil {
				t.Fatal("the value is valid")
			}
			if got := describeInvalid(err); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
