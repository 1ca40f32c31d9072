package openapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

// synthSeeds is how many seeds every schema of every document is synthesized with.
const synthSeeds = 24

// corpus loads the embedded hook document and every document in mockserver/testdata: the
// documents the mock must serve and the checker must check.
func corpus(t *testing.T) map[string]*Document {
	t.Helper()
	docs := map[string]*Document{}
	d, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	docs["hooks.yaml"] = d
	files, err := filepath.Glob("../mockserver/testdata/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 3 {
		t.Fatalf("mockserver/testdata holds %d documents, want at least 3", len(files))
	}
	for _, f := range files {
		d, err := Load(f)
		if err != nil {
			t.Fatalf("load %s: %v", f, err)
		}
		docs[filepath.Base(f)] = d
	}
	return docs
}

// schemaSite is one place of a document that holds a schema a value is synthesized for.
type schemaSite struct {
	name   string
	op     *Operation
	status int    // for response bodies and headers
	media  string // for bodies
	header string // for response headers
	param  *openapi3.Parameter
	schema *openapi3.SchemaRef
	dir    Direction
}

// schemaSites lists every request body, response body, response header and parameter schema
// of the document's operations.
func schemaSites(d *Document) []schemaSite {
	var out []schemaSite
	for _, op := range d.Operations {
		for _, p := range op.Parameters() {
			if p.Value.Schema != nil {
				out = append(out, schemaSite{name: fmt.Sprintf("%s param %s %s", op.ID, p.Value.In, p.Value.Name), op: op, param: p.Value, schema: p.Value.Schema, dir: Request})
			}
		}
		if rb := op.Operation.RequestBody; rb != nil && rb.Value != nil {
			for _, ct := range slices.Sorted(maps.Keys(rb.Value.Content)) {
				if s := rb.Value.Content[ct].Schema; s != nil {
					out = append(out, schemaSite{name: fmt.Sprintf("%s request %s", op.ID, ct), op: op, media: ct, schema: s, dir: Request})
				}
			}
		}
		for _, code := range slices.Sorted(maps.Keys(op.Operation.Responses.Map())) {
			resp := op.Operation.Responses.Value(code)
			if resp == nil || resp.Value == nil {
				continue
			}
			status := statusFor(code)
			for _, ct := range slices.Sorted(maps.Keys(resp.Value.Content)) {
				if s := resp.Value.Content[ct].Schema; s != nil {
					out = append(out, schemaSite{name: fmt.Sprintf("%s %s %s", op.ID, code, ct), op: op, status: status, media: ct, schema: s, dir: Response})
				}
			}
			for _, h := range slices.Sorted(maps.Keys(resp.Value.Headers)) {
				if hv := resp.Value.Headers[h].Value; hv != nil && hv.Schema != nil {
					out = append(out, schemaSite{name: fmt.Sprintf("%s %s header %s", op.ID, code, h), op: op, status: status, header: h, schema: hv.Schema, dir: Response})
				}
			}
		}
	}
	return out
}

// statusFor turns a response key into a status it covers: "201" is 201, "4XX" 400, default 500.
func statusFor(code string) int {
	if n, err := strconv.Atoi(code); err == nil {
		return n
	}
	if len(code) == 3 && strings.HasSuffix(code, "XX") {
		return int(code[0]-'0') * 100
	}
	return 500
}

// fixedValue reports whether a schema admits a single value, so that different seeds cannot
// give different ones.
func fixedValue(s *openapi3.Schema) bool {
	return len(s.Enum) == 1 || s.Const != nil
}

// TestSynthesizeDocuments synthesizes a value for every schema of every document with many
// seeds and checks each the way the mock's and the checker's peers will: response bodies
// through ValidateResponse (status, Content-Type, body), request bodies through
// ValidateRequest, headers and parameters against their schemas. It also pins determinism and
// variety.
func TestSynthesizeDocuments(t *testing.T) {
	t.Parallel()
	for name, d := range corpus(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			sites := schemaSites(d)
			if len(sites) == 0 {
				t.Fatal("no schemas found")
			}
			for _, site := range sites {
				t.Run(site.name, func(t *testing.T) {
					t.Parallel()
					seen := map[string]bool{}
					for seed := range uint64(synthSeeds) {
						o := SynthOptions{Seed: seed, Direction: site.dir, AllOptional: seed%3 == 0}
						v, err := d.Synthesize(site.schema, o)
						if err != nil {
							t.Fatalf("seed %d: %v", seed, err)
						}
						again, err := d.Synthesize(site.schema, o)
						if err != nil || !reflect.DeepEqual(v, again) {
							t.Fatalf("seed %d: not deterministic: %#v then %#v (%v)", seed, v, again, err)
						}
						body, err := json.Marshal(v)
						if err != nil {
							t.Fatalf("seed %d: value does not encode as JSON: %v", seed, err)
						}
						var decoded any
						if err := json.Unmarshal(body, &decoded); err != nil || !reflect.DeepEqual(decoded, v) {
							t.Fatalf("seed %d: value %#v is not what encoding/json decodes (%#v)", seed, v, decoded)
						}
						if problems := checkSite(t, d, site, v, body); problems != nil {
							t.Fatalf("seed %d: value %s is invalid: %v", seed, body, problems)
						}
						seen[string(body)] = true
					}
					if len(seen) < 2 && !fixedValue(site.schema.Value) {
						t.Errorf("%d seeds gave %d distinct values, want variety", synthSeeds, len(seen))
					}
				})
			}
		})
	}
}

// checkSite validates a synthesized value where it would be used.
func checkSite(t *testing.T, d *Document, site schemaSite, v any, body []byte) error {
	t.Helper()
	ctx := context.Background()
	m := &Match{Operation: site.op, PathParams: map[string]string{}}
	if site.media != "" && !IsJSON(site.media) {
		// Plain text and form bodies go through the same validation, encoded as the mock
		// and the checker send them.
		var err error
		if body, err = encodeBody(site.media, v); err != nil {
			return err
		}
	}
	switch {
	case site.dir == Response && site.media != "":
		// Headers other than this body's are someone else's business: give each required
		// header a valid value so only the body is judged.
		header := http.Header{"Content-Type": {site.media}}
		for name, h := range ResponseFor(site.op.Operation, site.status).Headers {
			if h.Value.Required {
				hv, err := d.Synthesize(h.Value.Schema, SynthOptions{Seed: 1})
				if err != nil {
					return err
				}
				header.Set(name, fmt.Sprint(hv))
			}
		}
		if ps := d.ValidateResponse(ctx, nil, m, site.status, header, body); len(ps) > 0 {
			return ps
		}
		return nil
	case site.dir == Request && site.media != "":
		r, err := http.NewRequestWithContext(ctx, site.op.Method, "http://127.0.0.1"+site.op.Path, bytes.NewReader(body))
		if err != nil {
			return err
		}
		r.Header.Set("Content-Type", site.media)
		var bodyProblems Problems
		for _, p := range d.ValidateRequest(ctx, r, m, body) {
			// Parameters and credentials are not part of this value.
			if p.In == "body" || p.Name == "Content-Type" {
				bodyProblems = append(bodyProblems, p)
			}
		}
		if len(bodyProblems) > 0 {
			return bodyProblems
		}
		return nil
	}
	return d.validateFor(site.schema.Value, v, site.dir)
}

// encodeBody encodes a synthesized value for a non-JSON media type: a string as plain text, an
// object as a form (array members repeated).
func encodeBody(media string, v any) ([]byte, error) {
	switch x := v.(type) {
	case string:
		return []byte(x), nil
	case map[string]any:
		if media != "application/x-www-form-urlencoded" {
			break
		}
		form := url.Values{}
		for k, e := range x {
			items, ok := e.([]any)
			if !ok {
				items = []any{e}
			}
			for _, item := range items {
				form.Add(k, headerText(item))
			}
		}
		return []byte(form.Encode()), nil
	}
	return nil, fmt.Errorf("no encoding of %T as %s", v, media)
}

// TestSynthesizeFeatures pins what each schema keyword makes of a value, on small inline
// documents.
func TestSynthesizeFeatures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		schema string // YAML of components.schemas.S (other schemas may follow as siblings)
		dir    Direction
		check  func(t *testing.T, vals []any)
	}{
		{
			name:   "readOnly properties are left out of requests",
			schema: "S: {type: object, required: [id, name], properties: {id: {type: string, readOnly: true}, name: {type: string}, pw: {type: string, writeOnly: true}}}",
			dir:    Request,
			check: eachValue(func(v any) error {
				obj := v.(map[string]any)
				if _, ok := obj["id"]; ok {
					return fmt.Errorf("readOnly id present")
				}
				if _, ok := obj["name"]; !ok {
					return fmt.Errorf("required name missing")
				}
				return nil
			}),
		},
		{
			name:   "writeOnly properties are left out of responses",
			schema: "S: {type: object, required: [id, pw], properties: {id: {type: string, readOnly: true}, pw: {type: string, writeOnly: true}}}",
			dir:    Response,
			check: eachValue(func(v any) error {
				obj := v.(map[string]any)
				if _, ok := obj["pw"]; ok {
					return fmt.Errorf("writeOnly pw present")
				}
				if _, ok := obj["id"]; !ok {
					return fmt.Errorf("readOnly id missing from a response")
				}
				return nil
			}),
		},
		{
			name:   "nullable gives null for some seeds, never for a required non-nullable property",
			schema: "S: {type: object, required: [a, b], properties: {a: {type: string, nullable: true}, b: {type: integer}}}",
			check: func(t *testing.T, vals []any) {
				nulls := 0
				for _, v := range vals {
					obj := v.(map[string]any)
					if obj["a"] == nil {
						nulls++
					}
					if obj["b"] == nil {
						t.Fatalf("non-nullable b is null in %v", obj)
					}
				}
				if nulls == 0 || nulls == len(vals) {
					t.Errorf("a was null in %d of %d values, want some", nulls, len(vals))
				}
			},
		},
		{
			name:   "enum values come from the enum, all of them over the seeds",
			schema: "S: {type: string, enum: [red, green, blue]}",
			check: func(t *testing.T, vals []any) {
				got := map[any]bool{}
				for _, v := range vals {
					got[v] = true
				}
				if len(got) != 3 || !got["red"] || !got["green"] || !got["blue"] {
					t.Errorf("values %v, want red, green and blue", got)
				}
			},
		},
		{
			name: "oneOf with a discriminator writes the mapping value of the chosen branch",
			schema: `S: {oneOf: [{$ref: "#/components/schemas/Cat"}, {$ref: "#/components/schemas/Dog"}], discriminator: {propertyName: kind, mapping: {cat: "#/components/schemas/Cat", hound: Dog}}}
    Cat: {type: object, required: [kind, meows], properties: {kind: {type: string}, meows: {type: boolean}}}
    Dog: {type: object, required: [kind, barks], properties: {kind: {type: string}, barks: {type: boolean}}}`,
			check: discriminated("cat", "hound"),
		},
		{
			name: "oneOf with a discriminator and no mapping writes the schema's name",
			schema: `S: {oneOf: [{$ref: "#/components/schemas/Cat"}, {$ref: "#/components/schemas/Dog"}], discriminator: {propertyName: kind}}
    Cat: {type: object, required: [kind, meows], properties: {kind: {type: string}, meows: {type: boolean}}}
    Dog: {type: object, required: [kind, barks], properties: {kind: {type: string}, barks: {type: boolean}}}`,
			check: discriminated("Cat", "Dog"),
		},
		{
			name:   "oneOf values match exactly one branch",
			schema: "S: {oneOf: [{type: integer, multipleOf: 2}, {type: integer, multipleOf: 3}]}",
			check: eachValue(func(v any) error {
				n := int(v.(float64))
				if (n%2 == 0) == (n%3 == 0) {
					return fmt.Errorf("%d is a multiple of both or neither", n)
				}
				return nil
			}),
		},
		{
			name:   "allOf merges properties and required lists",
			schema: "S: {allOf: [{type: object, required: [a], properties: {a: {type: string, format: email}}}, {type: object, required: [b], properties: {b: {type: integer, minimum: 5, maximum: 6}}}]}",
			check: eachValue(func(v any) error {
				obj := v.(map[string]any)
				if !strings.Contains(fmt.Sprint(obj["a"]), "@") || (obj["b"] != 5.0 && obj["b"] != 6.0) {
					return fmt.Errorf("got %v", obj)
				}
				return nil
			}),
		},
		{
			name:   "numbers honour exclusive bounds and multipleOf",
			schema: "S: {type: number, minimum: 0, exclusiveMinimum: true, maximum: 1, exclusiveMaximum: true, multipleOf: 0.25}",
			check: eachValue(func(v any) error {
				if f := v.(float64); f != 0.25 && f != 0.5 && f != 0.75 {
					return fmt.Errorf("got %v", f)
				}
				return nil
			}),
		},
		{
			name:   "integers stay small when unbounded and int32 when asked",
			schema: "S: {type: integer, format: int32}",
			check: eachValue(func(v any) error {
				if f := v.(float64); f != float64(int64(f)) || f < 1 || f > numberWindow {
					return fmt.Errorf("got %v", f)
				}
				return nil
			}),
		},
		{
			name:   "arrays honour minItems, maxItems and uniqueItems",
			schema: "S: {type: array, minItems: 2, maxItems: 3, uniqueItems: true, items: {type: integer, minimum: 1, maximum: 3}}",
			check: eachValue(func(v any) error {
				a := v.([]any)
				if len(a) < 2 || len(a) > 3 {
					return fmt.Errorf("%d items", len(a))
				}
				seen := map[any]bool{}
				for _, x := range a {
					if seen[x] {
						return fmt.Errorf("duplicate %v in %v", x, a)
					}
					seen[x] = true
				}
				return nil
			}),
		},
		{
			name:   "maps get entries of the additionalProperties schema and minProperties is met",
			schema: "S: {type: object, minProperties: 2, additionalProperties: {type: string, format: ipv4}}",
			check: eachValue(func(v any) error {
				obj := v.(map[string]any)
				if len(obj) < 2 {
					return fmt.Errorf("%d entries", len(obj))
				}
				for k, x := range obj {
					if !strings.HasPrefix(x.(string), "192.0.2.") {
						return fmt.Errorf("entry %s = %v", k, x)
					}
				}
				return nil
			}),
		},
		{
			name:   "recursion stops: a tree of nodes stays finite and shallow",
			schema: `S: {type: object, required: [name, children], properties: {name: {type: string}, children: {type: array, items: {$ref: "#/components/schemas/S"}}}}`,
			check: eachValue(func(v any) error {
				if d := depthOf(v); d > 2*shallowDepth+2 {
					return fmt.Errorf("depth %d", d)
				}
				return nil
			}),
		},
		{
			name:   "strings honour minLength and maxLength",
			schema: "S: {type: string, minLength: 30, maxLength: 32}",
			check: eachValue(func(v any) error {
				if n := len(v.(string)); n < 30 || n > 32 {
					return fmt.Errorf("length %d", n)
				}
				return nil
			}),
		},
		{
			name:   "formats give values of their format",
			schema: "S: {type: object, additionalProperties: false, required: [d, dt, u, e, h, ip6, b], properties: {d: {type: string, format: date}, dt: {type: string, format: date-time}, u: {type: string, format: uuid}, e: {type: string, format: email}, h: {type: string, format: hostname}, ip6: {type: string, format: ipv6}, b: {type: string, format: byte}}}",
			check: eachValue(func(v any) error {
				obj := v.(map[string]any)
				for k, re := range map[string]string{
					"d": `^\d{4}-\d{2}-\d{2}$`, "dt": `^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$`,
					"u": `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`,
					"e": `^[a-z]+\.[a-z]+@example\.com$`, "h": `^[a-z]+\.example\.com$`, "ip6": `^2001:db8::[0-9a-f]+$`, "b": `^[A-Za-z0-9+/]+=*$`,
				} {
					if !regexp.MustCompile(re).MatchString(obj[k].(string)) {
						return fmt.Errorf("%s = %q", k, obj[k])
					}
				}
				return nil
			}),
		},
		{
			name:   "a schema that only says what a value is not gets another type",
			schema: "S: {not: {type: string}}",
			check: eachValue(func(v any) error {
				if _, ok := v.(string); ok {
					return fmt.Errorf("got %#v", v)
				}
				return nil
			}),
		},
		{
			name:   "a pattern that narrows a format gets a value of both",
			schema: "S: {type: string, format: date-time, pattern: '^202[0-2]-'}",
			check: eachValue(func(v any) error {
				if _, err := time.Parse(time.RFC3339, v.(string)); err != nil || !strings.HasPrefix(v.(string), "202") {
					return fmt.Errorf("got %q", v)
				}
				return nil
			}),
		},
		{
			name:   "a tight maxLength gets the format's short form",
			schema: "S: {type: object, required: [e, u], properties: {e: {type: string, format: email, maxLength: 8}, u: {type: string, format: uri, maxLength: 6}}}",
			check: eachValue(func(v any) error {
				obj := v.(map[string]any)
				if len(obj["e"].(string)) > 8 || len(obj["u"].(string)) > 6 {
					return fmt.Errorf("got %v", obj)
				}
				return nil
			}),
		},
		{
			name:   "seed 0 prefers the schema's example",
			schema: "S: {type: object, properties: {name: {type: string, example: Rex}, age: {type: integer, default: 3}}}",
			check: func(t *testing.T, vals []any) {
				if want := map[string]any{"name": "Rex", "age": 3.0}; !reflect.DeepEqual(vals[0], want) {
					t.Errorf("seed 0 gave %v, want %v", vals[0], want)
				}
				for _, v := range vals[1:] {
					if !reflect.DeepEqual(v, vals[0]) {
						return
					}
				}
				t.Errorf("every seed gave the example")
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := inlineDoc(t, tt.schema)
			ref := &openapi3.SchemaRef{Ref: "#/components/schemas/S", Value: d.T.Components.Schemas["S"].Value}
			var vals []any
			for seed := range uint64(40) {
				v, err := d.Synthesize(ref, SynthOptions{Seed: seed, Direction: tt.dir})
				if err != nil {
					t.Fatalf("seed %d: %v", seed, err)
				}
				if err := d.validateFor(ref.Value, v, tt.dir); err != nil {
					t.Fatalf("seed %d: %v is invalid: %v", seed, v, err)
				}
				vals = append(vals, v)
			}
			tt.check(t, vals)
		})
	}
}

// discriminated checks that values of a Cat|Dog oneOf carry the discriminator value of their
// branch, and that both branches occur.
func discriminated(cat, dog string) func(t *testing.T, vals []any) {
	return func(t *testing.T, vals []any) {
		t.Helper()
		kinds := map[any]bool{}
		for _, v := range vals {
			obj := v.(map[string]any)
			kinds[obj["kind"]] = true
			if _, meows := obj["meows"]; meows != (obj["kind"] == cat) {
				t.Fatalf("kind %v does not fit %v", obj["kind"], obj)
			}
		}
		if !kinds[cat] || !kinds[dog] || len(kinds) != 2 {
			t.Errorf("kinds %v, want %s and %s", kinds, cat, dog)
		}
	}
}

func eachValue(f func(v any) error) func(t *testing.T, vals []any) {
	return func(t *testing.T, vals []any) {
		t.Helper()
		for i, v := range vals {
			if err := f(v); err != nil {
				t.Fatalf("seed %d: %v", i, err)
			}
		}
	}
}

func depthOf(v any) int {
	deepest := 0
	switch x := v.(type) {
	case map[string]any:
		for _, e := range x {
			deepest = max(deepest, depthOf(e))
		}
	case []any:
		for _, e := range x {
			deepest = max(deepest, depthOf(e))
		}
	default:
		return 0
	}
	return deepest + 1
}

// inlineDoc parses a one-path OpenAPI 3.0 document whose components.schemas are given as
// YAML.
func inlineDoc(t *testing.T, schemas string) *Document {
	t.Helper()
	return inlineDocVersion(t, "3.0.3", schemas)
}

// inlineDocVersion parses a one-path document of the given OpenAPI version whose
// components.schemas are given as YAML.
func inlineDocVersion(t *testing.T, version, schemas string) *Document {
	t.Helper()
	src := `openapi: ` + version + `
info: {title: inline, version: "1"}
paths:
  /s:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/S"}
components:
  schemas:
    ` + schemas + "\n"
	d, err := Parse([]byte(src), "inline-"+version+".yaml")
	if err != nil {
		t.Fatalf("inline document: %v", err)
	}
	return d
}

// TestSynthesizeAllOptional checks that AllOptional includes every optional property and that
// without it seeds choose different subsets, most optional properties present in most.
func TestSynthesizeAllOptional(t *testing.T) {
	t.Parallel()
	d := inlineDoc(t, "S: {type: object, required: [a], properties: {a: {type: string}, b: {type: string}, c: {type: integer}, d: {type: boolean}}}")
	ref := d.T.Components.Schemas["S"]
	shapes := map[int]bool{}
	full := 0
	for seed := range uint64(20) {
		all, err := d.Synthesize(ref, SynthOptions{Seed: seed, AllOptional: true})
		if err != nil {
			t.Fatal(err)
		}
		if n := len(all.(map[string]any)); n != 4 {
			t.Fatalf("seed %d: AllOptional gave %v", seed, all)
		}
		some, err := d.Synthesize(ref, SynthOptions{Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		shapes[len(some.(map[string]any))] = true
		if len(some.(map[string]any)) == 4 {
			full++
		}
	}
	if len(shapes) < 2 {
		t.Errorf("without AllOptional, 20 seeds gave objects of sizes %v only", shapes)
	}
	if full < 8 {
		t.Errorf("without AllOptional, only %d of 20 seeds gave every optional property; want most", full)
	}
}

// TestSynthesizeForm checks that a form body's nullable fields get values: a form cannot
// write a null, and a required field left out is missing. Without Form, some seeds give
// nulls (so the test would notice the option doing nothing).
func TestSynthesizeForm(t *testing.T) {
	t.Parallel()
	d := inlineDoc(t, "S: {type: object, required: [a, b, c], properties: {a: {type: array, nullable: true, items: {type: string, enum: [x, y]}}, b: {type: string, nullable: true, enum: [p, q, null]}, c: {type: integer, nullable: true}}}")
	ref := d.T.Components.Schemas["S"]
	nulls := 0
	for seed := range uint64(40) {
		form, err := d.Synthesize(ref, SynthOptions{Seed: seed, Direction: Request, Form: true})
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range form.(map[string]any) {
			if v == nil {
				t.Fatalf("seed %d: Form gave a null %s: %v", seed, k, form)
			}
		}
		plain, err := d.Synthesize(ref, SynthOptions{Seed: seed, Direction: Request})
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range plain.(map[string]any) {
			if v == nil {
				nulls++
			}
		}
	}
	if nulls == 0 {
		t.Error("without Form, 40 seeds gave no null: the test proves nothing")
	}
}

// BenchmarkSynthesize measures synthesis of a nested record with oneOf, allOf, formats and
// patterns, validation included: the cost of a mock response without examples.
func BenchmarkSynthesize(b *testing.B) {
	d, err := Load("../mockserver/testdata/schemas.yaml")
	if err != nil {
		b.Fatal(err)
	}
	ref := d.T.Components.Schemas["PetRecord"]
	for i := range b.N {
		if _, err := d.Synthesize(ref, SynthOptions{Seed: uint64(i)}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestSynthesizeImpossible checks that a schema no value satisfies gives an error naming the
// schema and the reason, not an invalid value.
func TestSynthesizeImpossible(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		schema string
		want   []string
	}{
		{"min above max", "S: {type: integer, minimum: 10, maximum: 5}", []string{"#/components/schemas/S", "no integer"}},
		{"pattern against maxLength", "S: {type: string, pattern: '^[a-z]{10}$', maxLength: 3}", []string{"#/components/schemas/S", "pattern"}},
		{"endless required recursion", `S: {type: object, required: [next], properties: {next: {$ref: "#/components/schemas/S"}}}`, []string{"#/components/schemas/S", "recurse"}},
		{"minProperties without room", "S: {type: object, minProperties: 2, additionalProperties: false, properties: {a: {type: string}}}", []string{"#/components/schemas/S", "minProperties"}},
		{"not enough distinct items", "S: {type: array, minItems: 3, uniqueItems: true, items: {type: boolean}}", []string{"#/components/schemas/S", "distinct"}},
		{"allOf with a closed branch", `S: {allOf: [{$ref: "#/components/schemas/A"}, {type: object, required: [status], properties: {status: {type: string}}}]}
    A: {type: object, additionalProperties: false, properties: {title: {type: string}}}`, []string{"#/components/schemas/S", "additionalProperties does not allow"}},
		{"multipleOf too small for any integer", "S: {type: integer, multipleOf: 1e-300}", []string{"#/components/schemas/S", "cannot synthesize"}},
		{"multipleOf too small for its bounds", "S: {type: number, multipleOf: 1e-300, minimum: 1e300, maximum: 1e301}", []string{"#/components/schemas/S", "too small"}},
		{"no branch fits", "S: {oneOf: [{type: integer, minimum: 1, maximum: 1}, {type: integer, minimum: 1, maximum: 1}]}", []string{"#/components/schemas/S", "cannot synthesize"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := inlineDoc(t, tt.schema)
			ref := &openapi3.SchemaRef{Ref: "#/components/schemas/S", Value: d.T.Components.Schemas["S"].Value}
			v, err := d.Synthesize(ref, SynthOptions{Seed: 7})
			if err == nil {
				t.Fatalf("got %v, want an error", v)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

// TestSynthesizeInlineSchemaErrorNamesLine checks that an impossible inline schema is located
// by file and line, as the document's author needs to find it.
func TestSynthesizeInlineSchemaErrorNamesLine(t *testing.T) {
	t.Parallel()
	d := inlineDoc(t, "S: {type: string, minLength: 5, maxLength: 2}")
	_, err := d.Synthesize(nil, SynthOptions{})
	if err == nil || !strings.Contains(err.Error(), "no schema") {
		t.Fatalf("nil schema: got %v", err)
	}
	_, err = d.Synthesize(&openapi3.SchemaRef{Value: d.T.Components.Schemas["S"].Value}, SynthOptions{})
	// Whether the loader records positions is load.go's choice (they cost load time); either
	// way the error must lead the author to the schema.
	if err == nil || !regexp.MustCompile(`schema (at inline-3\.0\.3\.yaml:\d+|#/components/schemas/S in inline-3\.0\.3\.yaml)`).MatchString(err.Error()) {
		t.Fatalf("got %v, want the schema's file and line or its pointer", err)
	}
}

// TestSchemaPointer pins the pointers that name inline schemas in synthesis errors, in every
// place a schema can be declared.
func TestSchemaPointer(t *testing.T) {
	t.Parallel()
	docs := corpus(t)
	op := func(doc, id string) *openapi3.Operation {
		o, ok := docs[doc].Operation(id)
		if !ok {
			t.Fatalf("%s: no operation %s", doc, id)
		}
		return o.Operation
	}
	crud, media := docs["crud.yaml"].T, docs["media.yaml"].T
	problem := crud.Components.Schemas["ValidationProblem"].Value.AllOf[1].Value.Properties["fields"].Value.Items.Value.Properties["rule"].Value
	tests := []struct {
		doc    string
		schema *openapi3.Schema
		want   string
	}{
		{"crud.yaml", crud.Components.Schemas["Todo"].Value, "#/components/schemas/Todo"},
		{"crud.yaml", crud.Components.Schemas["Todo"].Value.Properties["title"].Value, "#/components/schemas/Todo/properties/title"},
		{"crud.yaml", problem, "#/components/schemas/ValidationProblem/allOf/1/properties/fields/items/properties/rule"},
		{"crud.yaml", crud.Components.Parameters["Limit"].Value.Schema.Value, "#/components/parameters/Limit/schema"},
		{"crud.yaml", op("crud.yaml", "listTodos").Parameters[3].Value.Schema.Value, "#/paths/~1todos/get/parameters/3/schema"},
		{"crud.yaml", op("crud.yaml", "listTodos").Responses.Value("200").Value.Headers["X-Total-Count"].Value.Schema.Value, "#/paths/~1todos/get/responses/200/headers/X-Total-Count/schema"},
		{"media.yaml", media.Paths.Value("/files/{name}.json").Parameters[0].Value.Schema.Value, "#/paths/~1files~1{name}.json/parameters/0/schema"},
		{"media.yaml", media.Components.Responses["TooManyRequests"].Value.Content["text/plain"].Schema.Value, "#/components/responses/TooManyRequests/content/text~1plain/schema"},
		{"media.yaml", op("media.yaml", "getHealth").Responses.Value("200").Value.Content["text/plain"].Schema.Value, "#/paths/~1health/get/responses/200/content/text~1plain/schema"},
		{"media.yaml", &openapi3.Schema{}, ""},
	}
	for _, tt := range tests {
		got, ok := docs[tt.doc].schemaPointer(tt.schema)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("%s: got %q, %v; want %q", tt.doc, got, ok, tt.want)
		}
	}
}
