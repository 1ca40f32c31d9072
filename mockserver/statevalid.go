package mockserver

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/hookkit/hookkit/openapi"
	"github.com/hookkit/hookkit/openapi/resource"
)

// What the stateful mock stores must stay valid against the document, however the
// request and the template combine: a request's nested object may carry writeOnly fields
// (a password) and lack readOnly ones the response requires (a nested id), a request's
// property schema may differ from the resource's, and a made-up id must satisfy both the
// id property's and the id parameter's schema. This file holds what makes that so: the
// id generator, the schema-guided merge of nested values, and the check with its
// fallback to the validated template.

// maxMergeDepth bounds the schema-guided merge; deeper values are taken as sent and left
// to the validation that follows.
const maxMergeDepth = 32

// needsMerge says whether a value of s has readOnly or writeOnly properties below its top
// level, so copying a request's value verbatim could echo a writeOnly one or drop a
// required readOnly one.
func needsMerge(s *openapi3.Schema) bool {
	return hasReadWrite(s, map[*openapi3.Schema]bool{}, 0)
}

func hasReadWrite(s *openapi3.Schema, seen map[*openapi3.Schema]bool, depth int) bool {
	if s == nil || seen[s] || depth > maxMergeDepth {
		return false
	}
	seen[s] = true
	for _, p := range s.Properties {
		if p != nil && p.Value != nil && (p.Value.ReadOnly || p.Value.WriteOnly || hasReadWrite(p.Value, seen, depth+1)) {
			return true
		}
	}
	if s.Items != nil && hasReadWrite(s.Items.Value, seen, depth+1) {
		return true
	}
	if ap := s.AdditionalProperties.Schema; ap != nil && hasReadWrite(ap.Value, seen, depth+1) {
		return true
	}
	for _, group := range []openapi3.SchemaRefs{s.AllOf, s.AnyOf, s.OneOf} {
		for _, b := range group {
			if b != nil && hasReadWrite(b.Value, seen, depth+1) {
				return true
			}
		}
	}
	return false
}

// composite says whether s constrains an object as a whole (composition, property
// counts, dependencies), so values valid field by field may still break it together.
func composite(s *openapi3.Schema) bool {
	return s != nil && (len(s.AllOf) > 0 || len(s.AnyOf) > 0 || len(s.OneOf) > 0 || s.Not != nil ||
		s.MinProps > 0 || s.MaxProps != nil || len(s.DependentRequired) > 0)
}

// mergeValue merges a request's value into the template's by the resource's schema:
// writeOnly properties are dropped, readOnly ones keep the template's value, the others
// take the request's (merged in turn when both are objects or arrays of objects), and a
// required property the request left out keeps the template's. Anything the schema does
// not describe as an object or array is taken as sent.
func mergeValue(base, req any, s *openapi3.Schema, depth int) any {
	if s == nil || depth > maxMergeDepth {
		return req
	}
	switch r := req.(type) {
	case map[string]any:
		props, required := openapi.ObjectProperties(s)
		if len(props) == 0 {
			if ap := s.AdditionalProperties.Schema; ap != nil && ap.Value != nil {
				b, _ := base.(map[string]any)
				out := make(map[string]any, len(r))
				for k, v := range r {
					out[k] = mergeValue(b[k], v, ap.Value, depth+1)
				}
				return out
			}
			return req
		}
		b, _ := base.(map[string]any)
		out := make(map[string]any, len(r))
		for k, v := range r {
			p := props[k]
			switch {
			case p == nil:
				out[k] = v
			case p.WriteOnly, p.ReadOnly:
			default:
				out[k] = mergeValue(b[k], v, p, depth+1)
			}
		}
		for k, p := range props {
			if p.WriteOnly {
				continue
			}
			if _, ok := out[k]; ok {
				continue
			}
			if bv, ok := b[k]; ok && (p.ReadOnly || slices.Contains(required, k)) {
				out[k] = withoutWriteOnly(bv, p, depth+1)
			}
		}
		return out
	case []any:
		if s.Items == nil || s.Items.Value == nil {
			return req
		}
		b, _ := base.([]any)
		out := make([]any, len(r))
		for i, v := range r {
			var bv any
			switch {
			case i < len(b):
				bv = b[i]
			case len(b) > 0:
				bv = b[0]
			}
			out[i] = mergeValue(bv, v, s.Items.Value, depth+1)
		}
		return out
	}
	return req
}

// withoutWriteOnly removes the writeOnly properties of a template value.
func withoutWriteOnly(v any, s *openapi3.Schema, depth int) any {
	m, ok := v.(map[string]any)
	if !ok || s == nil || depth > maxMergeDepth {
		return v
	}
	props, _ := openapi.ObjectProperties(s)
	out := make(map[string]any, len(m))
	for k, x := range m {
		if p := props[k]; p != nil {
			if p.WriteOnly {
				continue
			}
			x = withoutWriteOnly(x, p, depth+1)
		}
		out[k] = x
	}
	return out
}

// decodeAny decodes JSON as the validator expects it (numbers as float64).
func decodeAny(b []byte) (any, error) {
	var v any
	err := json.Unmarshal(b, &v)
	return v, err
}

// checkItem validates a resource the mock is about to store and return against the
// resource's schema as a response; the error says where and why, quoting no value.
func (cp *collPlan) checkItem(b []byte) error {
	if cp.item == nil || cp.doc == nil {
		return nil
	}
	v, err := decodeAny(b)
	if err != nil {
		return err
	}
	if err := cp.doc.ValidateValueAs(cp.item, v, openapi.Response); err != nil {
		return fmt.Errorf("%s", openapi.DescribeInvalid(err))
	}
	return nil
}

// stateFallback records on the exchange (journal and log) that the stored resource would
// have broken the document, and what was answered instead.
func stateFallback(ex *exchange, coll, instead string, err error) {
	ex.problems = append(ex.problems, openapi.Problem{Kind: openapi.InvalidBody, In: "state",
		Message: fmt.Sprintf("the %s resource merged from the request would break the document (%v): %s", coll, err, instead)})
}

// idFormatter turns a sequence number into an id every given schema accepts (the id
// property's and the id path parameter's): an integer (offset by the schema's minimum when
// the number alone is below it), a decimal string, "id-" and the number, a UUID built from the number, or, for
// a pattern or length the former miss, a valid sample of the schema whose trailing
// characters are replaced by the zero-padded number (AC0042 for ^AC[0-9]{4}$). Numbers
// that do not fit wrap around; the store's ErrExists makes a create take the next one.
func idFormatter(doc *openapi.Document, schemas ...*openapi3.Schema) (func(uint64) (string, any), error) {
	var ss []*openapi3.Schema
	for _, s := range schemas {
		if s != nil {
			ss = append(ss, s)
		}
	}
	valid := func(f func(uint64) (string, any)) bool {
		for _, n := range []uint64{1, 1001, 123456789} {
			key, v := f(n)
			for _, s := range ss {
				want := v
				if isNumeric(s) {
					x, err := strconv.ParseFloat(key, 64)
					if err != nil {
						return false
					}
					want = x
				} else if _, ok := v.(string); !ok {
					want = key
				}
				if validateID(doc, s, want) != nil {
					return false
				}
			}
		}
		return true
	}
	dec := func(n uint64) (string, any) { v := strconv.FormatUint(n, 10); return v, v }
	if len(ss) == 0 {
		return dec, nil
	}
	var cands []func(uint64) (string, any)
	if isNumeric(ss[0]) {
		lo := uint64(0)
		if m := ss[0].Min; m != nil && *m > 0 {
			lo = uint64(*m)
		}
		cands = append(cands,
			func(n uint64) (string, any) { return strconv.FormatUint(n, 10), n },
			func(n uint64) (string, any) { return strconv.FormatUint(lo+n, 10), lo + n })
	}
	cands = append(cands,
		dec,
		func(n uint64) (string, any) { v := "id-" + strconv.FormatUint(n, 10); return v, v },
		func(n uint64) (string, any) { v := fmt.Sprintf("00000000-0000-4000-8000-%012x", n); return v, v },
	)
	for _, s := range ss {
		if sample, ok := idSample(doc, s); ok {
			cands = append(cands, paddedIDs(sample)...)
		}
	}
	for _, f := range cands {
		if valid(f) {
			return f, nil
		}
	}
	return dec, fmt.Errorf("no id generator satisfies the id's schema: ids are decimal numbers, which it may refuse")
}

func isNumeric(s *openapi3.Schema) bool { return s.Type.Is("integer") || s.Type.Is("number") }

func validateID(doc *openapi.Document, s *openapi3.Schema, v any) error {
	if doc == nil {
		return s.VisitJSON(v)
	}
	return doc.ValidateValueAs(s, v, openapi.Response)
}

// idSample is a string valid against s, synthesized with a fixed seed.
func idSample(doc *openapi.Document, s *openapi3.Schema) (string, bool) {
	if doc == nil || !s.Type.Is("string") && !s.Type.IsEmpty() {
		return "", false
	}
	v, err := doc.Synthesize(&openapi3.SchemaRef{Value: s}, openapi.SynthOptions{Seed: 1})
	str, ok := v.(string)
	return str, err == nil && ok && str != ""
}

// paddedIDs are the generators that replace the last w characters of sample with the
// number, zero-padded to w digits, widest first.
func paddedIDs(sample string) []func(uint64) (string, any) {
	var out []func(uint64) (string, any)
	for w := min(len(sample), 18); w >= 1; w-- {
		prefix, mod := sample[:len(sample)-w], pow10(w)
		out = append(out, func(n uint64) (string, any) {
			v := prefix + fmt.Sprintf("%0*d", w, n%mod)
			return v, v
		})
	}
	return out
}

func pow10(n int) uint64 {
	p := uint64(1)
	for range n {
		p *= 10
	}
	return p
}

// idParamSchema is the schema of the collection's id path parameter, nil when undeclared.
func idParamSchema(c *resource.Collection) *openapi3.Schema {
	for _, a := range []resource.Action{resource.Get, resource.Replace, resource.Patch, resource.Delete} {
		op := c.Ops[a]
		if op == nil {
			continue
		}
		for _, p := range op.Parameters() {
			if p.Value != nil && p.Value.In == "path" && p.Value.Name == c.IDParam && p.Value.Schema != nil {
				return p.Value.Schema.Value
			}
		}
	}
	return nil
}
