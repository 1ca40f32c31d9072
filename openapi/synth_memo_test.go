package openapi

import (
	"fmt"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// TestSynthesizeRemembers: the same schema and options give the same value, made once;
// what a caller does to its copy does not reach the next caller; other options or another
// $ref to the same schema are other values; errors are remembered too; and the memory
// stops growing at its bound.
func TestSynthesizeRemembers(t *testing.T) {
	t.Parallel()
	d := inlineDoc(t, "S: {type: object, required: [id, tags], discriminator: {propertyName: kind}, properties: {"+
		"id: {type: string}, tags: {type: array, minItems: 1, items: {type: string}}, kind: {type: string}}}\n"+
		"    Never: {type: string, minLength: 5, maxLength: 2}")
	s := &openapi3.SchemaRef{Ref: "#/components/schemas/S", Value: d.T.Components.Schemas["S"].Value}
	opts := SynthOptions{Seed: 5, Direction: Response}
	first, err := d.Synthesize(s, opts)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprint(first)
	obj := first.(map[string]any)
	obj["id"] = "changed"
	obj["tags"].([]any)[0] = "changed"
	again, err := d.Synthesize(s, opts)
	if err != nil || fmt.Sprint(again) != want {
		t.Fatalf("second value %v (%v), want %v: a caller's change reached the memory", again, err, want)
	}
	if n := len(d.synthed.m); n != 1 {
		t.Errorf("%d values remembered, want 1", n)
	}
	if _, err := d.Synthesize(s, SynthOptions{Seed: 6, Direction: Response}); err != nil {
		t.Fatal(err)
	}
	other := &openapi3.SchemaRef{Ref: "#/components/schemas/Other", Value: s.Value}
	if v, err := d.Synthesize(other, opts); err != nil || v.(map[string]any)["kind"] != "Other" {
		t.Errorf("another $ref names another discriminator value: %v (%v)", v, err)
	}
	never := &openapi3.SchemaRef{Ref: "#/components/schemas/Never", Value: d.T.Components.Schemas["Never"].Value}
	_, err1 := d.Synthesize(never, opts)
	_, err2 := d.Synthesize(never, opts)
	if err1 == nil || err2 == nil || err1.Error() != err2.Error() {
		t.Errorf("errors: %v, then %v", err1, err2)
	}
	for seed := range uint64(maxSynthMemo + 10) {
		if _, err := d.Synthesize(s, SynthOptions{Seed: seed + 100}); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(d.synthed.m); n != maxSynthMemo {
		t.Errorf("%d values remembered, want the bound %d", n, maxSynthMemo)
	}
}

// TestSynthesizeMemoryBytes: the values remembered stay within maxSynthMemoBytes together,
// however large each is (a mock answering Prefer: dynamic=true synthesizes with a new
// seed per request; values of up to MaxSynthBytes each, 4096 of them, took gigabytes).
func TestSynthesizeMemoryBytes(t *testing.T) {
	t.Parallel()
	const size = 256 << 10
	d := inlineDoc(t, fmt.Sprintf("S: {type: object}\n    Big: {type: string, minLength: %d, maxLength: %d}", size, size))
	s := &openapi3.SchemaRef{Ref: "#/components/schemas/Big", Value: d.T.Components.Schemas["Big"].Value}
	for seed := range uint64(2 * maxSynthMemoBytes / size) {
		if _, err := d.Synthesize(s, SynthOptions{Seed: seed + 1, Direction: Response}); err != nil {
			t.Fatal(err)
		}
	}
	kept := 0
	for _, r := range d.synthed.m {
		kept += len(r.v.(string))
	}
	if kept > maxSynthMemoBytes {
		t.Errorf("%d values of %d bytes remembered (%d bytes), more than the bound %d", len(d.synthed.m), size, kept, maxSynthMemoBytes)
	}
	if len(d.synthed.m) == 0 {
		t.Error("nothing remembered")
	}
}
