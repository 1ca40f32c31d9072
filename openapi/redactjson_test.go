package openapi

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// TestRedactJSON compares the byte-level redaction Redactor.Body uses with the decoding
// one (Redactor.Value), the oracle, on bodies of every shape.
func TestRedactJSON(t *testing.T) {
	t.Parallel()
	doc, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	red := doc.Redactor()
	bodies := []string{
		`{"secret":"s3","url":"https://x.example"}`,
		` { "url" : "u" , "secret" : "a\"b\\}" } `,
		`{"a":{"password":12.5e3,"b":[{"token":null},{"api_key":true}]},"c":"secret"}`,
		`{"secret":{"inner":"kept","token":["x","y"]}}`,
		`{"credentials":[1,{"x":"}"}],"n":-0.5}`,
		`[{"sec\u0072et":"escaped name"},"secret",{"z":[[]]}]`,
		`{"url":"no secret here"}`,
		`"just a string"`,
		`42`,
		`{}`,
		`{"Authorization":"Bearer x","nested":{"deep":{"session":"s"}}}`,
	}
	for _, body := range bodies {
		got := red.Body("application/json", []byte(body))
		var w any
		if err := json.Unmarshal([]byte(body), &w); err != nil {
			t.Fatal(err)
		}
		red.Value(w)
		var g any
		if err := json.Unmarshal(got, &g); err != nil {
			t.Errorf("%s: result is not JSON: %v: %s", body, err, got)
			continue
		}
		if !reflect.DeepEqual(g, w) {
			t.Errorf("%s:\n got %s\nwant %v", body, got, w)
		}
		for _, leak := range []string{"s3", `a\"b`, "12.5e3", "escaped name", "Bearer"} {
			if strings.Contains(body, leak) && strings.Contains(string(got), leak) {
				t.Errorf("%s: %q survived: %s", body, leak, got)
			}
		}
	}
	// Untouched bodies are returned as they are, without a copy.
	in := []byte(`{"url":"u"}`)
	if out := red.Body("application/json", in); &out[0] != &in[0] {
		t.Error("a body without secrets was copied")
	}
}

func BenchmarkRedactJSON(b *testing.B) {
	doc, _ := Default()
	red := doc.Redactor()
	body := []byte(`{"secret":"hook-secret-Zq81","url":"https://example.com/webhook"}`)
	b.ReportAllocs()
	for b.Loop() {
		red.Body("application/json", body)
	}
}
