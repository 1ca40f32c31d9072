package openapi

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// TestSynthesize31Keywords pins what the JSON Schema 2020-12 keywords of OpenAPI 3.1 make of a
// value. Each value is also validated (with 2020-12 semantics) by Synthesize itself; these
// checks say the keyword was met by construction, not by luck.
func TestSynthesize31Keywords(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		schema string
		check  func(v any) error
	}{
		{
			name:   "type arrays with null give both",
			schema: "S: {type: [integer, 'null'], minimum: 3, maximum: 4}",
			check: func(v any) error {
				if v != nil && v != 3.0 && v != 4.0 {
					return fmt.Errorf("got %#v", v)
				}
				return nil
			},
		},
		{
			name:   "contains puts a matching item in the array",
			schema: "S: {type: array, items: {type: integer, minimum: 0, maximum: 1000}, contains: {const: 7}}",
			check: func(v any) error {
				for _, x := range v.([]any) {
					if x == 7.0 {
						return nil
					}
				}
				return fmt.Errorf("no 7 in %v", v)
			},
		},
		{
			name:   "minContains within maxItems replaces items that do not match",
			schema: "S: {type: array, minItems: 3, maxItems: 3, items: {type: [string, integer]}, contains: {type: string, const: x}, minContains: 2}",
			check: func(v any) error {
				n := 0
				for _, x := range v.([]any) {
					if x == "x" {
						n++
					}
				}
				if n < 2 || len(v.([]any)) != 3 {
					return fmt.Errorf("got %v", v)
				}
				return nil
			},
		},
		{
			name:   "propertyNames shape the keys of a map",
			schema: "S: {type: object, minProperties: 2, additionalProperties: {type: integer}, propertyNames: {pattern: '^X-[0-9]{2}$'}}",
			check: func(v any) error {
				for k := range v.(map[string]any) {
					if !regexp.MustCompile(`^X-[0-9]{2}$`).MatchString(k) {
						return fmt.Errorf("key %q", k)
					}
				}
				return nil
			},
		},
		{
			name:   "a closed object with patternProperties gets matching names",
			schema: "S: {type: object, minProperties: 2, additionalProperties: false, patternProperties: {'^n_[a-z]{3}$': {type: integer, minimum: 1}}}",
			check: func(v any) error {
				for k, x := range v.(map[string]any) {
					if !regexp.MustCompile(`^n_[a-z]{3}$`).MatchString(k) || x.(float64) < 1 {
						return fmt.Errorf("entry %q: %v", k, x)
					}
				}
				return nil
			},
		},
		{
			name:   "dependentRequired adds what a present property needs",
			schema: "S: {type: object, properties: {card: {type: string}, name: {type: string}}, additionalProperties: {type: string, pattern: '^[0-9]{3}$'}, dependentRequired: {card: [cvc]}}",
			check: func(v any) error {
				obj := v.(map[string]any)
				if _, card := obj["card"]; card {
					if _, cvc := obj["cvc"]; !cvc {
						return fmt.Errorf("card without cvc: %v", obj)
					}
				}
				return nil
			},
		},
		{
			name:   "const of any type",
			schema: "S: {const: {a: [1, 'b']}}",
			check: func(v any) error {
				if fmt.Sprint(v) != "map[a:[1 b]]" {
					return fmt.Errorf("got %v", v)
				}
				return nil
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := inlineDoc31(t, tt.schema)
			ref := &openapi3.SchemaRef{Ref: "#/components/schemas/S", Value: d.T.Components.Schemas["S"].Value}
			for seed := range uint64(40) {
				v, err := d.Synthesize(ref, SynthOptions{Seed: seed, AllOptional: seed%2 == 0})
				if err != nil {
					t.Fatalf("seed %d: %v", seed, err)
				}
				if err := d.ValidateValue(ref.Value, v); err != nil {
					t.Fatalf("seed %d: %v is invalid: %s", seed, v, describeInvalid(err))
				}
				if err := tt.check(v); err != nil {
					t.Fatalf("seed %d: %v", seed, err)
				}
			}
		})
	}
}
