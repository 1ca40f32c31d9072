package mockserver

import (
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/hookkit/hookkit/openapi"
)

// TestIDFormatter pins the ids the stateful mock makes up: each satisfies every schema of
// the id (property and path parameter), distinct numbers give distinct ids within the
// generator's range, and a schema no generator satisfies is reported.
func TestIDFormatter(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Default()
	if err != nil {
		t.Fatal(err)
	}
	str := func(mut func(*openapi3.Schema)) *openapi3.Schema {
		s := openapi3.NewStringSchema()
		mut(s)
		return s
	}
	minOne := openapi3.NewInt64Schema().WithMin(1)
	fromMillion := openapi3.NewInt64Schema().WithMin(1e6)
	for _, tc := range []struct {
		name    string
		schemas []*openapi3.Schema
		want    string // the id of number 42
		fails   bool
	}{
		{name: "no schema", want: "42"},
		{name: "integer", schemas: []*openapi3.Schema{minOne, minOne}, want: "42"},
		{name: "integer from its minimum", schemas: []*openapi3.Schema{fromMillion}, want: "1000042"},
		{name: "uuid", schemas: []*openapi3.Schema{str(func(s *openapi3.Schema) { s.Format = "uuid" })}, want: "00000000-0000-4000-8000-00000000002a"},
		{name: "plain string", schemas: []*openapi3.Schema{openapi3.NewStringSchema()}, want: "42"},
		{name: "prefix and fixed digits", schemas: []*openapi3.Schema{str(func(s *openapi3.Schema) { s.Pattern = "^AC[0-9]{4}$" })}, want: "AC0042"},
		{name: "letters only after the digits", schemas: []*openapi3.Schema{str(func(s *openapi3.Schema) { s.Pattern = "^id-[0-9]+$" })}, want: "id-42"},
		{name: "minimum length", schemas: []*openapi3.Schema{str(func(s *openapi3.Schema) { s.MinLength = 8 })}},
		{name: "property and parameter differ", schemas: []*openapi3.Schema{
			str(func(s *openapi3.Schema) { s.Pattern = "^AC[0-9a-f]{6}$" }),
			str(func(s *openapi3.Schema) { s.MinLength = 8 }),
		}, want: "AC000042"},
		{name: "no digits allowed", schemas: []*openapi3.Schema{str(func(s *openapi3.Schema) { s.Pattern = "^[a-z]{6}$" })}, fails: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f, err := idFormatter(doc, tc.schemas...)
			if (err != nil) != tc.fails {
				t.Fatalf("error %v, want failure %v", err, tc.fails)
			}
			if tc.fails {
				return
			}
			key, _ := f(42)
			if tc.want != "" && key != tc.want {
				t.Errorf("id of 42: %q, want %q", key, tc.want)
			}
			seen := map[string]bool{}
			for _, n := range []uint64{1, 2, 42, 999, 1001} {
				key, v := f(n)
				if seen[key] {
					t.Errorf("id %q given twice", key)
				}
				seen[key] = true
				for _, s := range tc.schemas {
					want := v
					if isNumeric(s) {
						want = float64(v.(uint64))
					}
					if err := doc.ValidateValueAs(s, want, openapi.Response); err != nil {
						t.Errorf("id %q of %d: %v", key, n, err)
					}
				}
			}
		})
	}
}
