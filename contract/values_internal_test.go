package contract

import (
	"net/url"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// TestFormAndDeepObjectEncoding pins how the checker encodes form bodies and deepObject
// query parameters: bracketed names where the encoding object (or the value's shape) needs
// them, repeated names for arrays of scalars, and nothing at all for null.
func TestFormAndDeepObjectEncoding(t *testing.T) {
	t.Parallel()
	mt := &openapi3.MediaType{Encoding: map[string]*openapi3.Encoding{"expand": {Style: "deepObject"}}}
	tests := []struct {
		name string
		got  func() url.Values
		want string
	}{
		{"deepObject encoding of an array", func() url.Values { return formValues(map[string]any{"expand": []any{"a", "b"}}, mt) },
			"expand%5B0%5D=a&expand%5B1%5D=b"},
		{"array of scalars without encoding repeats", func() url.Values { return formValues(map[string]any{"ids": []any{"a", "b"}}, mt) },
			"ids=a&ids=b"},
		{"array of objects", func() url.Values {
			return formValues(map[string]any{"tax": []any{map[string]any{"type": "eu_vat", "value": "1"}}}, nil)
		}, "tax%5B0%5D%5Btype%5D=eu_vat&tax%5B0%5D%5Bvalue%5D=1"},
		{"object", func() url.Values { return formValues(map[string]any{"meta": map[string]any{"k": "v", "n": nil}}, nil) },
			"meta%5Bk%5D=v"},
		{"null enum left out", func() url.Values { return formValues(map[string]any{"tax_exempt": nil, "d": "x"}, nil) }, "d=x"},
		{"deepObject query array", func() url.Values {
			q := url.Values{}
			styledQuery(q, &openapi3.Parameter{Name: "expand", Style: "deepObject"}, []any{"a"})
			return q
		}, "expand%5B0%5D=a"},
		{"deepObject query object", func() url.Values {
			q := url.Values{}
			styledQuery(q, &openapi3.Parameter{Name: "created", Style: "deepObject"}, map[string]any{"gte": 1.0})
			return q
		}, "created%5Bgte%5D=1"},
		{"null query left out", func() url.Values {
			q := url.Values{}
			styledQuery(q, &openapi3.Parameter{Name: "limit"}, nil)
			return q
		}, ""},
	}
	for _, tt := range tests {
		if got := tt.got().Encode(); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
	}
}
