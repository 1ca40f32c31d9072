package openapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"
)

// When a plan finds a request invalid, it also tries to name the problems itself, so that
// 400s cost about as little as 200s. The problems must be exactly those kin-openapi's path
// (validateRequestKin) reports, in its order:
//
//   - a malformed JSON body (CheckJSON), then the rest without the body;
//   - security: the first missing credential, in name order, of the first alternative;
//   - parameters, the path item's then the operation's (kinParameterOrder);
//   - the body: required, Content-Type, then the schema's failures in the order of
//     kin-openapi's visitor (enum, type, then per type: string lengths, pattern, format;
//     array counts, uniqueness, items by index; object readOnly properties by name,
//     property counts, members by name, required in declared order).
//
// Each failure is turned into a Problem by validate.go's own functions (schemaReason,
// schemaProblemAt, ...), from a SchemaError built as kin-openapi builds it, except that
// its Reason is spelt out only for the fields whose problem message schemaReason takes
// from the Reason (bounds, counts, uniqueness, readOnly, unsupported properties).
// Anything else (a value of a type the decoders do not produce, a failure the visitor
// would not report) makes the plan give up, and kin-openapi answers.

// fastProblems runs the operation's plan: verdictValid, or verdictInvalid with the problems
// when the plan can name them exactly (nil when it cannot), or verdictUnknown.
func (d *Document) fastProblems(r *http.Request, m *Match, body []byte) (verdict, Problems) {
	if m == nil || m.Operation == nil || m.Operation.plan == nil {
		return verdictUnknown, nil
	}
	p := m.Operation.plan
	v, dec := p.decide(r, m.PathParams, body)
	if v != verdictInvalid {
		return v, nil
	}
	ps, ok := p.problems(r, m.PathParams, body, dec)
	if !ok {
		return v, nil
	}
	return v, ps
}

// problems names every problem of a request decide found invalid, as dec says; ok is false
// when it cannot be sure to name them exactly as kin-openapi would. The parts decide found
// valid before the failing one have no problems.
func (p *requestPlan) problems(r *http.Request, pathParams map[string]string, body []byte, dec decision) (Problems, bool) {
	var out Problems
	if dec.malformed {
		pr, ok := CheckJSON(body)
		if ok {
			return nil, false
		}
		// kin-openapi then validates everything but the body.
		out = append(out, pr)
	}
	if dec.failed < 0 && len(p.security) > 0 {
		var first *CredentialError
		for _, alt := range p.security {
			ce := missingCredential(r, alt)
			if ce == nil {
				first = nil
				break
			}
			if first == nil {
				first = ce
			}
		}
		if first != nil {
			out = append(out, credentialProblem(first))
		}
	}
	var query url.Values
	if p.hasQuery {
		query = r.URL.Query()
	}
	for i := max(dec.failed, 0); i < len(p.params); i++ {
		var ok bool
		if out, ok = p.params[i].problems(r, pathParams, query, out); !ok {
			return nil, false
		}
	}
	if p.body != nil && !dec.malformed {
		var ok bool
		if out, ok = p.body.problems(r.Header.Get("Content-Type"), body, dec.value, dec.failed == len(p.params), out); !ok {
			return nil, false
		}
	}
	if len(out) == 0 {
		// The plan said invalid, yet nothing was found: let kin-openapi decide.
		return nil, false
	}
	return out, true
}

// missingCredential returns the error requireCredential gives for the first scheme of a
// requirement (sorted by name, as kin-openapi checks them) whose credential is absent, or nil.
func missingCredential(r *http.Request, schemes []*openapi3.SecurityScheme) *CredentialError {
	for _, s := range schemes {
		if !credentialPresent(s, r) {
			return credentialError("", s)
		}
	}
	return nil
}

// problems appends the parameter's problems to out; ok is false when they cannot be named.
func (pp *paramPlan) problems(r *http.Request, pathParams map[string]string, query url.Values, out Problems) (_ Problems, ok bool) {
	if pp.valid(r, pathParams, query) {
		return out, true
	}
	// From here on valid found a failure, so every way out names one or gives up.
	raw, values, found, empty := pp.lookup(r, pathParams, query)
	if !found {
		if !pp.required {
			return nil, false
		}
		return append(out, missingParameterProblem(pp.in, pp.name)), true
	}
	invalid := func() (Problems, bool) {
		return append(out, invalidParameterProblem(pp.in, pp.name, invalidValueReason)), true
	}
	var v any
	if values != nil {
		values = pp.arrayItems(values)
		items := make([]any, 0, len(values))
		for _, raw := range values {
			if raw == "" && pp.kind != openapi3.TypeString {
				if pp.allowEmpty {
					return nil, false
				}
				return invalid()
			}
			item, ok := pp.parse(raw)
			if !ok {
				return invalid()
			}
			items = append(items, item)
		}
		if len(items) == 1 && values[0] == "" {
			if pp.allowEmpty {
				return nil, false
			}
			return invalid()
		}
		v = items
	} else {
		if empty || (raw == "" && pp.kind != openapi3.TypeString) {
			if pp.allowEmpty {
				return nil, false
			}
			return invalid()
		}
		if raw == "" && pp.allowEmpty {
			return nil, false
		}
		parsed, ok := pp.parse(raw)
		if !ok {
			return invalid()
		}
		v = parsed
	}
	var x explainer
	if !pp.schema.explain(&x, v, false) || len(x.failures) == 0 {
		// valid found a failure explain cannot name.
		return nil, false
	}
	for i := range x.failures {
		out = append(out, invalidParameterProblem(pp.in, pp.name, schemaReason(&x.failures[i].se)))
	}
	return out, true
}

// problems appends the body's problems to out; value is the body as kin-openapi decodes it,
// and failed says check found the body invalid.
func (b *bodyPlan) problems(ct string, body []byte, value any, failed bool, out Problems) (_ Problems, ok bool) {
	if len(body) == 0 {
		if b.required {
			out = append(out, missingBodyProblem())
		}
		return out, true
	}
	if len(b.content) == 0 {
		return out, true
	}
	e := b.lookup(ct)
	if e.mt == nil {
		return append(out, contentTypeProblem(b.rb)), true
	}
	if e.mt.Schema == nil {
		return out, true
	}
	n := b.media[e.mt]
	if n == nil {
		return nil, false
	}
	if !b.decoder(e.mediaType) {
		return nil, false
	}
	if !failed && n.valid(value, true) {
		return out, true
	}
	var x explainer
	if !n.explain(&x, value, true) || len(x.failures) == 0 {
		return nil, false
	}
	for i := range x.failures {
		f := &x.failures[i]
		out = append(out, schemaProblemAt(f.ptr, &f.se, "body field"))
	}
	return out, true
}

// schemaFailure is one failure kin-openapi's schema visitor would report: the SchemaError
// it would build (without its unexported path) and the JSON pointer of the value.
type schemaFailure struct {
	ptr string
	se  openapi3.SchemaError
}

// explainer collects schema failures in kin-openapi's order.
type explainer struct {
	path     []string // tokens of the value being visited
	failures []schemaFailure
}

// fail records a failure of schema s at the current value, or at its member key if not "".
func (x *explainer) fail(s *openapi3.Schema, field string, value any, reason, key string) {
	path := x.path
	if key != "" {
		path = append(path[:len(path):len(path)], key)
	}
	x.failures = append(x.failures, schemaFailure{
		ptr: Pointer(path),
		se:  openapi3.SchemaError{Value: value, Schema: s, SchemaField: field, Reason: reason},
	})
}

// explain records why v breaks the schema, as kin-openapi's visitor (VisitAsRequest when
// asRequest, MultiErrors) would report it; false when it cannot say exactly.
func (n *schemaNode) explain(x *explainer, v any, asRequest bool) bool {
	var f float64
	isNumber := false
	switch t := v.(type) {
	case nil:
		switch {
		case n.nullable:
		case !n.empty && n.hasEnum && !n.enumHasNull:
			x.fail(n.src, "enum", nil, "", "")
		default:
			x.fail(n.src, "nullable", nil, "", "")
		}
		return true
	case json.Number:
		var err error
		if f, err = strconv.ParseFloat(string(t), 64); err != nil {
			// Beyond float64: the empty schema passes it; for any other, an enum fails
			// first, else kin-openapi cannot convert it and reports its type.
			switch {
			case n.empty:
			case n.hasEnum:
				x.fail(n.src, "enum", v, "", "")
			default:
				n.wrongType(x, v)
			}
			return true
		}
		isNumber = true
	case float64:
		f, isNumber = t, true
	case int64:
		f, isNumber = float64(t), true
	case int32:
		f, isNumber = float64(t), true
	}
	if isNumber && (math.IsNaN(f) || math.IsInf(f, 0)) {
		return false
	}
	if n.empty {
		return true
	}
	if n.hasEnum && !n.inEnum(v, f, isNumber) {
		x.fail(n.src, "enum", v, "", "")
		return true
	}
	switch t := v.(type) {
	case bool:
		if !n.permitsBoolean {
			n.wrongType(x, v)
		}
		return true
	case string:
		return n.explainString(x, t)
	case []any:
		return n.explainArray(x, t, asRequest)
	case map[string]any:
		return n.explainObject(x, t, asRequest)
	}
	if isNumber {
		return n.explainNumber(x, f)
	}
	return false
}

func (n *schemaNode) inEnum(v any, f float64, isNumber bool) bool {
	switch t := v.(type) {
	case bool:
		return slices.Contains(n.enum, enumValue{kind: 'b', b: t})
	case string:
		return slices.Contains(n.enum, enumValue{kind: 's', s: t})
	}
	return isNumber && slices.Contains(n.enum, enumValue{kind: 'n', n: f})
}

func (n *schemaNode) wrongType(x *explainer, v any) {
	x.fail(n.src, "type", v, "", "")
}

// explainNumber records a number's failures in the order of kin-openapi's visitJSONNumber.
func (n *schemaNode) explainNumber(x *explainer, f float64) bool {
	if n.permitsInteger && !n.permitsNumber {
		if f != math.Trunc(f) {
			x.fail(n.src, "type", f, "", "")
		}
		if n.intFormat != nil && integerFormatFails(n.intFormat, f) {
			x.fail(n.src, "format", f, "", "")
		}
	} else {
		if !n.permitsInteger && !n.permitsNumber {
			n.wrongType(x, f)
			return true
		}
		if n.numFormat != nil && n.numFormat.Validate(f) != nil {
			x.fail(n.src, "format", f, "", "")
		}
	}
	if n.exMin != nil && !(f > *n.exMin) {
		x.fail(n.src, "exclusiveMinimum", f, fmt.Sprintf("number must be more than %g", *n.exMin), "")
	}
	if n.exMax != nil && !(f < *n.exMax) {
		x.fail(n.src, "exclusiveMaximum", f, fmt.Sprintf("number must be less than %g", *n.exMax), "")
	}
	if n.min != nil && !(*n.min <= f) {
		x.fail(n.src, "minimum", f, fmt.Sprintf("number must be at least %g", *n.min), "")
	}
	if n.max != nil && !(*n.max >= f) {
		x.fail(n.src, "maximum", f, fmt.Sprintf("number must be at most %g", *n.max), "")
	}
	if n.multipleOf != nil {
		if err := n.multipleOf.VisitJSONNumber(f); err != nil {
			// kin-openapi's own reason, from the same check on a schema of multipleOf alone.
			var se *openapi3.SchemaError
			if !errors.As(err, &se) || se.SchemaField != "multipleOf" {
				return false
			}
			x.fail(n.src, "multipleOf", f, se.Reason, "")
		}
	}
	return true
}

func (n *schemaNode) explainString(x *explainer, s string) bool {
	if !n.permitsString {
		n.wrongType(x, s)
		return true
	}
	if n.checkLength {
		length := stringLength(s)
		if n.minLength != 0 && length < n.minLength {
			x.fail(n.src, "minLength", s, "", "")
		}
		if n.maxLength != nil && length > *n.maxLength {
			x.fail(n.src, "maxLength", s, "", "")
		}
	}
	if n.pattern != nil && !n.pattern.MatchString(s) {
		x.fail(n.src, "pattern", s, "", "")
	}
	if n.strFormat != nil && n.strFormat.Validate(s) != nil {
		x.fail(n.src, "format", s, "", "")
	}
	return true
}

func (n *schemaNode) explainArray(x *explainer, a []any, asRequest bool) bool {
	if !n.permitsArray {
		n.wrongType(x, a)
		return true
	}
	l := uint64(len(a))
	if n.minItems != 0 && l < n.minItems {
		x.fail(n.src, "minItems", a, fmt.Sprintf("minimum number of items is %d", n.minItems), "")
	}
	if n.maxItems != nil && l > *n.maxItems {
		x.fail(n.src, "maxItems", a, fmt.Sprintf("maximum number of items is %d", *n.maxItems), "")
	}
	if n.unique != nil && n.unique.VisitJSONArray(a) != nil {
		x.fail(n.src, "uniqueItems", a, "duplicate items found", "")
	}
	if n.items != nil {
		for i, v := range a {
			if n.items.valid(v, asRequest) {
				continue
			}
			x.path = append(x.path, strconv.Itoa(i))
			before := len(x.failures)
			ok := n.items.explain(x, v, asRequest)
			x.path = x.path[:len(x.path)-1]
			if !ok || len(x.failures) == before {
				return false
			}
		}
	}
	return true
}

func (n *schemaNode) explainObject(x *explainer, o map[string]any, asRequest bool) bool {
	if !n.permitsObject {
		n.wrongType(x, o)
		return true
	}
	if asRequest {
		for _, name := range n.readOnly {
			if v := o[name]; v != nil {
				x.fail(n.props[name].src, "readOnly", v, fmt.Sprintf("readOnly property %q in request", name), name)
			}
		}
	}
	l := uint64(len(o))
	if n.minProps != 0 && l < n.minProps {
		x.fail(n.src, "minProperties", o, fmt.Sprintf("there must be at least %d properties", n.minProps), "")
	}
	if n.maxProps != nil && l > *n.maxProps {
		x.fail(n.src, "maxProperties", o, fmt.Sprintf("there must be at most %d properties", *n.maxProps), "")
	}
	// kin-openapi visits the members by name; only those that fail need sorting.
	var failing []string
	for k, v := range o {
		child, ok := n.props[k]
		if !ok {
			if !n.additionalOK {
				failing = append(failing, k)
				continue
			}
			child = n.additional
		}
		if child != nil && !child.valid(v, asRequest) {
			failing = append(failing, k)
		}
	}
	slices.Sort(failing)
	for _, k := range failing {
		child, ok := n.props[k]
		if !ok {
			if !n.additionalOK {
				x.fail(n.src, "properties", o, fmt.Sprintf("property %q is unsupported", k), "")
				continue
			}
			child = n.additional
		}
		x.path = append(x.path, k)
		before := len(x.failures)
		ok = child.explain(x, o[k], asRequest)
		x.path = x.path[:len(x.path)-1]
		if !ok || len(x.failures) == before {
			return false
		}
	}
	for _, k := range n.required {
		if _, ok := o[k]; !ok && !(asRequest && n.readOnlySet[k]) {
			x.fail(n.src, "required", o, "", k)
		}
	}
	return true
}
