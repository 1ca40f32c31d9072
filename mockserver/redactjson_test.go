package mockserver

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/hookkit/hookkit/openapi"
)

// TestRedactJSON compares the byte-level redaction with the document redactor's, which
// decodes the body, on bodies of every shape.
func TestRedactJSON(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Default()
	if err != nil {
		t.Fatal(err)
	}
	red := doc.Redactor()
	c := newRedactor(red, nil)
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
		got, _ := redactJSON([]byte(body), c.secretFieldBytes)
		want := red.Body("application/json", []byte(body))
		var g, w any
		if err := json.Unmarshal(got, &g); err != nil {
			t.Errorf("%s: result is not JSON: %v: %s", body, err, got)
			continue
		}
		if err := json.Unmarshal(want, &w); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(g, w) {
			t.Errorf("%s:\n got %s\nwant %s", body, got, want)
		}
		for _, leak := range []string{"s3", `a\"b`, "12.5e3", "escaped name", "Bearer"} {
			if strings.Contains(body, leak) && strings.Contains(string(got), leak) {
				t.Errorf("%s: %q survived: %s", body, leak, got)
			}
		}
	}
	// Untouched bodies are returned as they are, without a copy.
	in := []byte(`{"url":"u"}`)
	if out, changed := redactJSON(in, c.secretFieldBytes); changed || &out[0] != &in[0] {
		t.Error("a body without secrets was copied")
	}
}

func BenchmarkRedactJSON(b *testing.B) {
	doc, _ := openapi.Default()
	c := newRedactor(doc.Redactor(), nil)
	body := []byte(`{"secret":"hook-secret-Zq81","url":"https://example.com/webhook"}`)
	b.ReportAllocs()
	for b.Loop() {
		c.body("application/json", body)
	}
}
