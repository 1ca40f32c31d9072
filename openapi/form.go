package openapi

import (
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
)

// Bracketed names: what kin-openapi cannot decode, hookkit decodes itself.
//
// Payment APIs (Stripe's, among others) send `style: deepObject` query parameters that are
// arrays (expand[]=a, expand[0]=a) and form bodies whose encoding object makes properties
// deepObject, arrays of objects included (tax_id_data[0][type]=eu_vat). kin-openapi refuses
// a deepObject array outright (every request to such an operation was a 400) and refuses a
// form body holding an array of objects or a field without a type. Both are decoded here
// with one reading of bracketed names, guided by the schema, and the decoded value is
// validated by kin-openapi's schema validator like any other, so the problems read as the
// rest do. The checker (package contract) encodes requests the same way.

// maxFormDepth bounds the brackets of one name (a[b][c]...) that are followed; deeper ones
// are read as part of the last key, so a hostile name cannot nest values without end.
const maxFormDepth = 16

// maxFormIndex is the largest array index a bracketed name may carry ([0]...); a larger one
// is kept as an object key and fails validation as such, never allocating a huge array.
const maxFormIndex = 10000

// formNode is a value reached through brackets before it is shaped by the schema.
type formNode map[string]any

// splitBrackets splits "a[b][0]" into "a" and ["b", "0"]. ok is false for a name without
// well-formed brackets, which is then a plain name.
func splitBrackets(key string) (name string, segs []string, ok bool) {
	i := strings.IndexByte(key, '[')
	if i <= 0 || !strings.HasSuffix(key, "]") {
		return key, nil, false
	}
	name, rest := key[:i], key[i:]
	for rest != "" {
		if rest[0] != '[' {
			return key, nil, false
		}
		end := strings.IndexByte(rest, ']')
		if end < 0 || len(segs) == maxFormDepth {
			return key, nil, false
		}
		segs = append(segs, rest[1:end])
		rest = rest[end+1:]
	}
	return name, segs, true
}

// insertForm records the values of one bracketed name under its place in node.
func insertForm(node formNode, segs []string, vals []string) {
	for i, seg := range segs {
		if i == len(segs)-1 {
			if len(vals) == 1 && seg != "" {
				node[seg] = vals[0]
			} else {
				node[seg] = append(asStrings(node[seg]), vals...)
			}
			return
		}
		if seg == "" {
			seg = "0" // a[][b]: the first item
		}
		next, ok := node[seg].(formNode)
		if !ok {
			next = formNode{}
			node[seg] = next
		}
		node = next
	}
}

func asStrings(v any) []string {
	switch t := v.(type) {
	case string:
		return []string{t}
	case []string:
		return t
	}
	return nil
}

// shapeForm turns a raw form value (a string, repeated strings, or a bracketed node) into
// the JSON value s describes: numbers, booleans and arrays where the schema says so.
func shapeForm(raw any, s *openapi3.Schema) any {
	switch t := raw.(type) {
	case string:
		return formScalar(s, t)
	case []string:
		if len(t) == 1 && (!permits(s, openapi3.TypeArray) || t[0] == "" && permits(s, openapi3.TypeString)) {
			// rows=100 where rows is an integer; discounts= where discounts is an
			// array or the empty string (Stripe's way to unset a field)
			return formScalar(s, t[0])
		}
		out := make([]any, len(t))
		for i, v := range t {
			out[i] = formScalar(itemsOf(s), v)
		}
		return out
	case formNode:
		if permits(s, openapi3.TypeArray) && !permits(s, openapi3.TypeObject) {
			return shapeFormArray(t, itemsOf(s))
		}
		out := make(map[string]any, len(t))
		for k, v := range t {
			out[k] = shapeForm(v, propertyOf(s, k))
		}
		return out
	}
	return raw
}

// shapeFormArray orders a node's indexed items ([0], [1]...), then the appended ones ([]).
func shapeFormArray(n formNode, items *openapi3.Schema) any {
	idx := make([]int, 0, len(n))
	for k := range n {
		i, err := strconv.Atoi(k)
		if k == "" {
			continue
		}
		if err != nil || i < 0 || i > maxFormIndex {
			// Not an array after all: left as an object, which the schema refuses.
			out := make(map[string]any, len(n))
			for k, v := range n {
				out[k] = shapeForm(v, items)
			}
			return out
		}
		idx = append(idx, i)
	}
	sort.Ints(idx)
	out := make([]any, 0, len(n))
	for _, i := range idx {
		out = append(out, shapeForm(n[strconv.Itoa(i)], items))
	}
	for _, v := range asStrings(n[""]) {
		out = append(out, formScalar(items, v))
	}
	return out
}

// formScalar converts the text of a form or query value to the type s asks for, trying
// the types it permits (its own, or its anyOf/oneOf branches') in a fixed order. Text that
// fits none stays text, which the schema then refuses.
func formScalar(s *openapi3.Schema, text string) any {
	if s == nil {
		return text
	}
	if permits(s, openapi3.TypeInteger) {
		if i, err := strconv.ParseInt(text, 10, 64); err == nil {
			return float64(i)
		}
	}
	if permits(s, openapi3.TypeNumber) {
		if f, err := strconv.ParseFloat(text, 64); err == nil {
			return f
		}
	}
	if permits(s, openapi3.TypeBoolean) && (text == "true" || text == "false") {
		return text == "true"
	}
	return text
}

// permits reports whether s, or one of its anyOf/oneOf/allOf branches, declares type.
func permits(s *openapi3.Schema, typ string) bool {
	if s == nil {
		return false
	}
	if s.Type != nil && s.Type.Includes(typ) {
		return true
	}
	for _, list := range []openapi3.SchemaRefs{s.AnyOf, s.OneOf, s.AllOf} {
		for _, b := range list {
			if b != nil && b.Value != nil && b.Value.Type != nil && b.Value.Type.Includes(typ) {
				return true
			}
		}
	}
	return false
}

func itemsOf(s *openapi3.Schema) *openapi3.Schema {
	if s == nil {
		return nil
	}
	if s.Items != nil && s.Items.Value != nil {
		return s.Items.Value
	}
	for _, list := range []openapi3.SchemaRefs{s.AnyOf, s.OneOf, s.AllOf} {
		for _, b := range list {
			if b != nil && b.Value != nil && b.Value.Items != nil && b.Value.Items.Value != nil {
				return b.Value.Items.Value
			}
		}
	}
	return nil
}

// PropertySchema returns the schema of property name of s: declared, in an allOf, anyOf or
// oneOf branch, or the additionalProperties schema; nil when s says nothing about it. The
// form decoder and the mock's XML rendering read values by it.
func PropertySchema(s *openapi3.Schema, name string) *openapi3.Schema { return propertyOf(s, name) }

// ItemsSchema returns the schema of the items of s, or of an array branch of it; nil when
// there is none.
func ItemsSchema(s *openapi3.Schema) *openapi3.Schema { return itemsOf(s) }

// propertyOf is PropertySchema.
func propertyOf(s *openapi3.Schema, name string) *openapi3.Schema {
	if s == nil {
		return nil
	}
	if p := s.Properties[name]; p != nil && p.Value != nil {
		return p.Value
	}
	for _, list := range []openapi3.SchemaRefs{s.AllOf, s.AnyOf, s.OneOf} {
		for _, b := range list {
			if b != nil && b.Value != nil {
				if p := b.Value.Properties[name]; p != nil && p.Value != nil {
					return p.Value
				}
			}
		}
	}
	if ap := s.AdditionalProperties.Schema; ap != nil && ap.Value != nil {
		return ap.Value
	}
	return nil
}

// FormJSON decodes a form-urlencoded body into the JSON object the schema s describes
// (numbers, booleans, arrays and deepObject objects where s says so), as the validator
// reads it: the stateful mock stores what a form-encoded create or update sent.
func FormJSON(body []byte, s *openapi3.Schema) ([]byte, error) {
	values, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, err
	}
	return json.Marshal(decodeForm(values, s))
}

// decodeForm decodes a form-urlencoded body into the object s describes.
func decodeForm(values url.Values, s *openapi3.Schema) map[string]any {
	raw := formNode{}
	for key, vals := range values {
		name, segs, ok := splitBrackets(key)
		if !ok {
			raw[key] = append(asStrings(raw[key]), vals...)
			continue
		}
		node, isNode := raw[name].(formNode)
		if !isNode {
			node = formNode{}
			raw[name] = node
		}
		insertForm(node, segs, vals)
	}
	out := make(map[string]any, len(raw))
	for k, v := range raw {
		out[k] = shapeForm(v, propertyOf(s, k))
	}
	return out
}

// deepObjectParam decodes a deepObject query parameter from every name it may be sent
// under: name[k]... for an object, name[]/name[i] (or the plain name, repeated) for an
// array. found is false when the query holds none of them.
func deepObjectParam(q url.Values, name string, s *openapi3.Schema) (v any, found bool) {
	node := formNode{}
	for key, vals := range q {
		if key == name {
			node[""] = append(asStrings(node[""]), vals...)
			found = true
			continue
		}
		n, segs, ok := splitBrackets(key)
		if !ok || n != name {
			continue
		}
		insertForm(node, segs, vals)
		found = true
	}
	if !found {
		return nil, false
	}
	if !permits(s, openapi3.TypeArray) {
		if plain, ok := node[""]; ok && len(node) == 1 {
			return shapeForm(plain, s), true // name=value for an object: refused as such
		}
	}
	return shapeForm(node, s), true
}

// isDeepObjectQuery reports whether p is a query parameter kin-openapi leaves to hookkit.
func isDeepObjectQuery(p *openapi3.Parameter) bool {
	return p != nil && p.In == openapi3.ParameterInQuery && p.Style == openapi3.SerializationDeepObject && p.Schema != nil && p.Schema.Value != nil
}

// kinRoute returns the route kin-openapi validates requests of op by: op's own, or a copy
// without the deepObject query parameters that validateDeepObjects checks instead.
func kinRoute(route *routers.Route) *routers.Route {
	keep := func(ps openapi3.Parameters) (openapi3.Parameters, bool) {
		var out openapi3.Parameters
		dropped := false
		for _, ref := range ps {
			if ref != nil && isDeepObjectQuery(ref.Value) {
				dropped = true
				continue
			}
			out = append(out, ref)
		}
		return out, dropped
	}
	opParams, a := keep(route.Operation.Parameters)
	itemParams, b := keep(route.PathItem.Parameters)
	if !a && !b {
		return route
	}
	op := *route.Operation
	op.Parameters = opParams
	item := *route.PathItem
	item.Parameters = itemParams
	r := *route
	r.Operation, r.PathItem = &op, &item
	return &r
}

// validateDeepObjects checks the deepObject query parameters of op.
func (d *Document) validateDeepObjects(r *http.Request, op *Operation) Problems {
	var out Problems
	var q url.Values
	for _, ref := range op.Parameters() {
		p := ref.Value
		if !isDeepObjectQuery(p) {
			continue
		}
		if q == nil {
			q = r.URL.Query()
		}
		v, found := deepObjectParam(q, p.Name, p.Schema.Value)
		if !found {
			if p.Required {
				out = append(out, missingParameterProblem(p.In, p.Name))
			}
			continue
		}
		if err := d.validateFor(p.Schema.Value, v, Request); err != nil {
			reason := invalidValueReason
			for _, e := range flatten(err) {
				if se := asSchemaError(e); se != nil {
					reason = schemaReason(se)
					break
				}
			}
			out = append(out, invalidParameterProblem(p.In, p.Name, reason))
		}
	}
	return out
}

// IsForm reports whether a media type or Content-Type value is
// application/x-www-form-urlencoded, with any parameters and in any case.
func IsForm(mediaType string) bool {
	base, _, err := mime.ParseMediaType(mediaType)
	return err == nil && base == "application/x-www-form-urlencoded"
}

// formMedia returns the declared form-urlencoded media type a request with Content-Type
// ct and a non-empty body selects, or nil.
func formMedia(op *Operation, ct string) *openapi3.MediaType {
	rb := op.Operation.RequestBody
	if rb == nil || rb.Value == nil {
		return nil
	}
	if !IsForm(ct) {
		return nil
	}
	mt := rb.Value.Content.Get(ct)
	if mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
		return nil
	}
	return mt
}

// validateForm checks a form-urlencoded body against the media type's schema.
func (d *Document) validateForm(mt *openapi3.MediaType, body []byte) Problems {
	values, err := url.ParseQuery(string(body))
	if err != nil {
		return Problems{{Kind: MalformedBody, In: "body", Message: "body cannot be parsed as its media type"}}
	}
	err = d.validateFor(mt.Schema.Value, decodeForm(values, mt.Schema.Value), Request)
	if err == nil {
		return nil
	}
	var out Problems
	for _, e := range flatten(err) {
		se := asSchemaError(e)
		if se == nil {
			out = append(out, Problem{Kind: InvalidRequest, In: "body", Message: "body is invalid"})
			continue
		}
		out = append(out, schemaProblemsOf(se, "body field")...)
	}
	return out
}

func asSchemaError(err error) *openapi3.SchemaError {
	var se *openapi3.SchemaError
	if errors.As(err, &se) {
		return se
	}
	return nil
}
