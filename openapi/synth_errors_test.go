package openapi

import (
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// TestSynthesizeErrorsQuoteNoValue pins that a synthesis error names the schema and the rule
// it could not meet but never a value: the values it tried may be a document's example secret,
// and errors end up in logs and reports.
func TestSynthesizeErrorsQuoteNoValue(t *testing.T) {
	t.Parallel()
	const secret = "hunter2-SECRET"
	tests := []struct {
		name      string
		schema    string
		openapi31 bool // JSON Schema 2020-12 validation words its errors differently
	}{
		{"oneOf whose branches always both match", "S: {oneOf: [{type: string, example: " + secret + "}, {type: string, default: " + secret + "}]}", false},
		{"required writeOnly secret in a closed object", "S: {type: object, required: [secret], properties: {secret: {type: string, example: " + secret + ", writeOnly: true}}, minProperties: 1, additionalProperties: false}", false},
		{"allOf with two patterns", "S: {allOf: [{type: string, example: " + secret + "}, {type: string, pattern: '^x$'}, {type: string, pattern: '^y$'}]}", false},
		{"enum that not excludes", "S: {type: string, enum: [" + secret + "], not: {enum: [" + secret + "]}}", false},
		{"3.1 const against a pattern", "S: {const: " + secret + ", pattern: '^x$'}", true},
		{"3.1 required key against propertyNames", "S: {type: object, required: [" + secret + "], propertyNames: {maxLength: 3}}", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			parse := inlineDoc
			if tt.openapi31 {
				parse = inlineDoc31
			}
			d := parse(t, tt.schema)
			ref := &openapi3.SchemaRef{Ref: "#/components/schemas/S", Value: d.T.Components.Schemas["S"].Value}
			for seed := range uint64(4) {
				v, err := d.Synthesize(ref, SynthOptions{Seed: seed, Direction: Response})
				if err == nil {
					t.Fatalf("seed %d: got %v, want an error", seed, v)
				}
				msg := err.Error()
				if strings.Contains(msg, "hunter2") || strings.Contains(msg, "SECRET") {
					t.Fatalf("seed %d: error quotes a value: %s", seed, msg)
				}
				if !strings.Contains(msg, "#/components/schemas/S") {
					t.Errorf("seed %d: error %q does not name the schema", seed, msg)
				}
			}
		})
	}
}

// inlineDoc31 parses a one-path OpenAPI 3.1 document whose components.schemas are given as YAML.
func inlineDoc31(t *testing.T, schemas string) *Document {
	t.Helper()
	return inlineDocVersion(t, "3.1.0", schemas)
}
