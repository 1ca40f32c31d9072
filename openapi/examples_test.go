package openapi

import (
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// TestMediaExamplesValidate checks every example of every document the way its peer would
// receive it: response examples through ValidateResponse (so the mock can serve them as they
// are), request examples against their schema as requests, parameter examples against the
// parameter's schema. A document whose example breaks its own schema would make the mock
// answer with an invalid response.
func TestMediaExamplesValidate(t *testing.T) {
	t.Parallel()
	total := 0
	for name, d := range corpus(t) {
		for _, op := range d.Operations {
			for _, p := range op.Parameters() {
				v, ok := ParameterExample(p.Value)
				if !ok {
					continue
				}
				total++
				if err := d.validateFor(p.Value.Schema.Value, v, Request); err != nil {
					t.Errorf("%s %s: example of %s parameter %s is invalid: %s", name, op.ID, p.Value.In, p.Value.Name, describeInvalid(err))
				}
			}
			if rb := op.Operation.RequestBody; rb != nil && rb.Value != nil {
				for _, ct := range slices.Sorted(maps.Keys(rb.Value.Content)) {
					mt := rb.Value.Content[ct]
					for _, ex := range MediaExamples(mt) {
						total++
						if err := d.validateFor(mt.Schema.Value, ex.Value, Request); err != nil {
							t.Errorf("%s %s: request %s example %q is invalid: %s", name, op.ID, ct, ex.Name, describeInvalid(err))
						}
					}
				}
			}
			for _, code := range slices.Sorted(maps.Keys(op.Operation.Responses.Map())) {
				resp := op.Operation.Responses.Value(code).Value
				for _, ct := range slices.Sorted(maps.Keys(resp.Content)) {
					for _, ex := range MediaExamples(resp.Content[ct]) {
						total++
						if problems := validateExampleResponse(t, d, op, code, ct, ex.Value); len(problems) > 0 {
							t.Errorf("%s %s: %s %s example %q is invalid: %v", name, op.ID, code, ct, ex.Name, problems)
						}
					}
				}
			}
		}
	}
	// The corpus documents give examples in every place an example can go; far fewer would
	// mean MediaExamples or ParameterExample lost some.
	if total < 25 {
		t.Errorf("found %d examples in the corpus, want at least 25", total)
	}
}

// validateExampleResponse sends an example through ValidateResponse as the mock would serve it,
// with valid values for the response's required headers.
func validateExampleResponse(t *testing.T, d *Document, op *Operation, code, ct string, v any) Problems {
	t.Helper()
	status := statusFor(code)
	header := http.Header{"Content-Type": {ct}}
	for hn, h := range ResponseFor(op.Operation, status).Headers {
		if h.Value.Required {
			hv, err := d.Synthesize(h.Value.Schema, SynthOptions{Seed: 1})
			if err != nil {
				t.Fatalf("%s %s header %s: %v", op.ID, code, hn, err)
			}
			header.Set(hn, headerText(hv))
		}
	}
	var body []byte
	if s, ok := v.(string); ok && !IsJSON(ct) {
		body = []byte(s)
	} else {
		var err error
		if body, err = json.Marshal(v); err != nil {
			t.Fatalf("%s %s: example does not encode as JSON: %v", op.ID, code, err)
		}
	}
	return d.ValidateResponse(context.Background(), nil, &Match{Operation: op, PathParams: map[string]string{}}, status, header, body)
}

// headerText renders a scalar as a header value: integers without an exponent.
func headerText(v any) string {
	b, _ := json.Marshal(v)
	if s, ok := v.(string); ok {
		return s
	}
	return string(b)
}

// TestMediaExamplesKnown pins which examples the corpus documents yield, names and order
// included: the mock's `Prefer: example=<name>` and the checker's case names depend on them.
func TestMediaExamplesKnown(t *testing.T) {
	t.Parallel()
	docs := corpus(t)
	tests := []struct {
		doc, op, code, ct string // code "" for the request body
		want              []string
	}{
		{"hooks.yaml", "createProjectHook", "", "application/json", []string{"ci-trigger", "github-webhook"}},
		{"hooks.yaml", "createProjectHook", "200", "application/json", []string{"created", "created-gitlab"}},
		{"crud.yaml", "createTodo", "", "application/json", []string{"groceries", "minimal"}},
		{"crud.yaml", "listTodos", "400", "application/json", []string{ExampleName}},
		{"crud.yaml", "getTodo", "200", "application/json", nil},
		{"media.yaml", "POST /files", "", "application/x-www-form-urlencoded", []string{ExampleName}},
		{"media.yaml", "getHealth", "200", "text/plain", []string{ExampleName}},
		{"openapi31.yaml", "getFlag", "200", "application/json", []string{"example-1"}},
	}
	for _, tt := range tests {
		d := docs[tt.doc]
		if d == nil {
			t.Fatalf("no document %s", tt.doc)
		}
		op, ok := d.Operation(tt.op)
		if !ok {
			t.Fatalf("%s: no operation %s", tt.doc, tt.op)
		}
		var content openapi3.Content
		if tt.code == "" {
			content = op.Operation.RequestBody.Value.Content
		} else {
			content = op.Operation.Responses.Value(tt.code).Value.Content
		}
		var got []string
		for _, ex := range MediaExamples(content[tt.ct]) {
			got = append(got, ex.Name)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s %s %s %s: examples %q, want %q", tt.doc, tt.op, tt.code, tt.ct, got, tt.want)
		}
	}
}

func TestMediaExamples(t *testing.T) {
	t.Parallel()
	ex := func(v any, summary string) *openapi3.ExampleRef {
		return &openapi3.ExampleRef{Value: &openapi3.Example{Value: v, Summary: summary}}
	}
	str := &openapi3.SchemaRef{Value: &openapi3.Schema{Type: &openapi3.Types{"string"}, Format: "date", Example: "2026-01-02"}}
	badExample := &openapi3.SchemaRef{Value: &openapi3.Schema{Type: &openapi3.Types{"integer"}, Max: ptr(9.0), Example: 12}}
	listed := &openapi3.SchemaRef{Value: &openapi3.Schema{Type: &openapi3.Types{"integer"}, Max: ptr(9.0), Examples: []any{3, 12, 5}}}
	tests := []struct {
		name string
		mt   *openapi3.MediaType
		want []Example
	}{
		{name: "nil media type", mt: nil},
		{name: "no examples anywhere", mt: &openapi3.MediaType{Schema: &openapi3.SchemaRef{Value: openapi3.NewStringSchema()}}},
		{
			name: "examples map sorted by name, numbers as encoding/json decodes them",
			mt: &openapi3.MediaType{
				Schema: str,
				Examples: openapi3.Examples{
					"zeta":  ex(map[string]any{"n": 1}, "last"),
					"alpha": ex([]any{int64(2)}, "first"),
				},
				Example: "ignored when examples are given",
			},
			want: []Example{{Name: "alpha", Summary: "first", Value: []any{2.0}}, {Name: "zeta", Summary: "last", Value: map[string]any{"n": 1.0}}},
		},
		{
			name: "externalValue-only examples are skipped",
			mt: &openapi3.MediaType{Examples: openapi3.Examples{
				"remote": {Value: &openapi3.Example{ExternalValue: "https://example.com/x.json"}},
				"local":  ex("here", ""),
			}},
			want: []Example{{Name: "local", Value: "here"}},
		},
		{name: "single example", mt: &openapi3.MediaType{Schema: str, Example: "2026-03-04"}, want: []Example{{Name: ExampleName, Value: "2026-03-04"}}},
		{name: "schema example when the media type has none", mt: &openapi3.MediaType{Schema: str}, want: []Example{{Name: ExampleName, Value: "2026-01-02"}}},
		{name: "schema example that breaks its schema is not offered", mt: &openapi3.MediaType{Schema: badExample}},
		{name: "3.1 schema examples, the invalid one left out", mt: &openapi3.MediaType{Schema: listed}, want: []Example{{Name: "example-1", Value: 3.0}, {Name: "example-3", Value: 5.0}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := MediaExamples(tt.mt)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
		})
	}
}

// TestMediaExamplesReturnsCopies pins that callers may modify what they get (the mock fills
// templates into example bodies) without changing the document.
func TestMediaExamplesReturnsCopies(t *testing.T) {
	t.Parallel()
	mt := &openapi3.MediaType{Examples: openapi3.Examples{"a": {Value: &openapi3.Example{Value: map[string]any{"k": []any{"v"}}}}}}
	first := MediaExamples(mt)
	first[0].Value.(map[string]any)["k"].([]any)[0] = "changed"
	first[0].Value.(map[string]any)["new"] = true
	if again := MediaExamples(mt); !reflect.DeepEqual(again[0].Value, map[string]any{"k": []any{"v"}}) {
		t.Errorf("second call gave %v after the first result was modified", again[0].Value)
	}
	p := &openapi3.Parameter{Name: "q", In: "query", Example: map[string]any{"k": "v"}}
	v, _ := ParameterExample(p)
	v.(map[string]any)["k"] = "changed"
	if again, _ := ParameterExample(p); !reflect.DeepEqual(again, map[string]any{"k": "v"}) {
		t.Errorf("second call gave %v after the first result was modified", again)
	}
}

func TestParameterExample(t *testing.T) {
	t.Parallel()
	schema := func(s *openapi3.Schema) *openapi3.SchemaRef { return &openapi3.SchemaRef{Value: s} }
	tests := []struct {
		name   string
		p      *openapi3.Parameter
		want   any
		wantOK bool
	}{
		{name: "nil parameter"},
		{name: "no example", p: &openapi3.Parameter{Name: "limit", In: "query", Schema: schema(openapi3.NewIntegerSchema())}},
		{
			name:   "the parameter's example wins over everything",
			p:      &openapi3.Parameter{Example: 7, Examples: openapi3.Examples{"a": {Value: &openapi3.Example{Value: 8}}}, Schema: schema(&openapi3.Schema{Example: 9})},
			want:   7.0,
			wantOK: true,
		},
		{
			name:   "then its examples, first by name",
			p:      &openapi3.Parameter{Examples: openapi3.Examples{"b": {Value: &openapi3.Example{Value: "bee"}}, "a": {Value: &openapi3.Example{Value: "ay"}}}, Schema: schema(&openapi3.Schema{Example: "schema"})},
			want:   "ay",
			wantOK: true,
		},
		{name: "then its schema's example", p: &openapi3.Parameter{Schema: schema(&openapi3.Schema{Example: "group:app"})}, want: "group:app", wantOK: true},
		{name: "then its schema's 3.1 examples", p: &openapi3.Parameter{Schema: schema(&openapi3.Schema{Examples: []any{"dark_mode", "beta"}})}, want: "dark_mode", wantOK: true},
		{
			name:   "then the examples of its content",
			p:      &openapi3.Parameter{Content: openapi3.Content{"application/json": {Example: map[string]any{"a": 1}}}},
			want:   map[string]any{"a": 1.0},
			wantOK: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := ParameterExample(tt.p)
			if ok != tt.wantOK || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %#v, %v; want %#v, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }
