package openapi

import (
	"strings"
	"testing"
)

// TestSynthesisBudget: schemas whose smallest valid value is huge are refused with the
// schema named, quickly and without allocating the value; values within the budget are
// still synthesized.
func TestSynthesisBudget(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, schema string
		ok           bool
	}{
		{"huge minLength", "S: {type: string, minLength: 2000000000}", false},
		{"nested minItems", "S: {type: array, minItems: 1000, items: {type: array, minItems: 1000, items: {type: array, minItems: 1000, items: {type: integer}}}}", false},
		{"huge minItems", "S: {type: array, minItems: 2000000000, items: {type: boolean}}", false},
		{"many required properties of long strings", "S: {type: object, minProperties: 100000, additionalProperties: {type: string, minLength: 100}}", false},
		{"within budget", "S: {type: array, minItems: 100, items: {type: string, minLength: 1000}}", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := inlineDoc(t, tc.schema)
			_, err := d.Synthesize(d.T.Components.Schemas["S"], SynthOptions{Seed: 1, Direction: Response})
			if tc.ok {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), "synthesis budget exceeded") || !strings.Contains(err.Error(), "schema at inline-3.0.3.yaml:14") {
				t.Fatalf("got %v", err)
			}
		})
	}
}
