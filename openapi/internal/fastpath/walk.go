package fastpath

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// Input is a request routed to a plan's operation.
type Input struct {
	Request    *http.Request
	PathParams map[string]string
	Body       []byte // the whole body
	// Value is the body as kin-openapi's JSON body decoder decodes it (encoding/json with
	// UseNumber), when the body is JSON.
	Value any
	// SkipBody leaves the body out, as kin-openapi's ExcludeRequestBody does: the caller
	// found it malformed and reports that itself.
	SkipBody bool
}

// FailureKind says which of kin-openapi's request errors a Failure stands for.
type FailureKind int

const (
	MissingCredential FailureKind = iota // Scheme's credential is absent (SecurityRequirementsError)
	MissingParameter                     // In, Name: required and absent (ErrInvalidRequired)
	InvalidParameter                     // In, Name: Schema fails, or the value is empty or does not parse
	MissingBody                          // the body is required and empty
	ContentType                          // the Content-Type selects none of RequestBody's media types
	BodySchema                           // Schema fails at Pointer in the body
)

// Failure is one problem kin-openapi would report, in the terms it would report it.
type Failure struct {
	Kind        FailureKind
	In, Name    string                   // of the parameter
	Scheme      *openapi3.SecurityScheme // whose credential is missing
	RequestBody *openapi3.RequestBody    // whose media types the Content-Type missed
	Pointer     string                   // JSON pointer of the failing body value
	Message     string                   // MissingCredential: Options.CredentialMessage of Scheme, if set
	// Schema is the SchemaError kin-openapi would build (without its unexported path), its
	// Reason spelt out where kin-openapi's message is built from it (bounds, counts,
	// uniqueness, readOnly, unsupported properties). Its SchemaField is "" for an
	// InvalidParameter whose value is empty or does not parse.
	Schema openapi3.SchemaError
}

// Explainer collects failures in kin-openapi's order. The walker runs with a nil
// *Explainer to stop at the first failure, and with one to name them all.
type Explainer struct {
	pointer  func(tokens []string) string // Options.Pointer
	failures []Failure
	path     []string   // tokens of the body value being visited
	param    *paramPlan // the parameter being visited; nil in the body
	gaveUp   bool       // a failure was found that cannot be named exactly
}

// add records f; it reports whether the walk goes on (only when explaining).
func (x *Explainer) add(f Failure) bool {
	if x == nil {
		return false
	}
	x.failures = append(x.failures, f)
	return true
}

// fail records that schema s fails on field for value, at the current value or at its
// member key if not ""; it reports whether the walk goes on (only when explaining).
func (x *Explainer) fail(s *openapi3.Schema, field string, value any, reason, key string) bool {
	if x == nil {
		return false
	}
	se := openapi3.SchemaError{Value: value, Schema: s, SchemaField: field, Reason: reason}
	if x.param != nil {
		return x.add(Failure{Kind: InvalidParameter, In: x.param.in, Name: x.param.name, Schema: se})
	}
	ptr := x.pointer(x.path)
	if key != "" {
		// Pointer(path + key), without copying the path: its last token, escaped (RFC 6901).
		ptr += "/" + strings.ReplaceAll(strings.ReplaceAll(key, "~", "~0"), "/", "~1")
	}
	return x.add(Failure{Kind: BodySchema, Pointer: ptr, Schema: se})
}

// giveUp stops the walk: a value kin-openapi would judge in a way the plan cannot name.
func (x *Explainer) giveUp() bool {
	if x != nil {
		x.gaveUp = true
	}
	return false
}

// explain walks again, with x, the member or item at token (a name or an index) that the
// walk without an explainer found failing: v against child. It reports whether the walk
// goes on; finding no failure to name, it gives up.
func (x *Explainer) explain(token string, child *node, v any, asRequest bool) bool {
	x.path = append(x.path, token)
	before := len(x.failures)
	ok := child.walk(x, v, asRequest)
	x.path = x.path[:len(x.path)-1]
	if ok && len(x.failures) == before {
		return x.giveUp()
	}
	return ok
}

// partSecurity is the first part of a request, in the order kin-openapi's ValidateRequest
// checks them: the security requirements, then the parameters (0 to len(params)-1), then
// the body (len(params)). Decide returns the part that failed first; Explain starts there.
const partSecurity = -1

// Decide runs the plan up to the first failure: the verdict and, for Invalid, the part of
// the request that failed first.
func (p *Plan) Decide(in *Input) (Verdict, int) {
	return p.walk(in, nil, partSecurity)
}

// Explain names the failures of a request Decide found invalid, starting at the part it
// failed at (the parts before are valid); ok is false when they cannot be named exactly as
// kin-openapi would.
func (p *Plan) Explain(in *Input, from int) (_ []Failure, ok bool) {
	x := Explainer{pointer: p.opts.Pointer}
	if v, _ := p.walk(in, &x, from); v == Unknown || x.gaveUp {
		return nil, false
	}
	return x.failures, true
}

// walk checks the request's parts from part from on, as kin-openapi's ValidateRequest
// does: security, parameters, body. With x nil it stops at the first failure.
func (p *Plan) walk(in *Input, x *Explainer, from int) (Verdict, int) {
	if from <= partSecurity && len(p.security) > 0 && !p.walkSecurity(x, in.Request) {
		return Invalid, partSecurity
	}
	var query url.Values
	if p.hasQuery {
		query = in.Request.URL.Query()
	}
	for i := max(from, 0); i < len(p.params); i++ {
		if !p.params[i].walk(x, in, query) {
			if x != nil {
				return Unknown, i
			}
			return Invalid, i
		}
	}
	v := Valid
	if p.body != nil && !in.SkipBody {
		v = p.body.walk(x, in)
	}
	if x != nil && v == Valid && len(x.failures) > 0 {
		v = Invalid
	}
	return v, len(p.params)
}

// walkSecurity checks that one alternative requirement has every credential present;
// explaining, the failure is the first missing credential (by scheme name) of the first
// alternative, the one kin-openapi's error lists first.
func (p *Plan) walkSecurity(x *Explainer, r *http.Request) bool {
	var first *openapi3.SecurityScheme
	for _, alt := range p.security {
		missing := p.missingCredential(alt, r)
		if missing == nil {
			return true
		}
		if first == nil {
			first = missing
		}
	}
	if x == nil {
		return false
	}
	return x.add(Failure{Kind: MissingCredential, Scheme: first, Message: p.messages[first]})
}

// missingCredential returns the first scheme of a requirement whose credential is absent.
func (p *Plan) missingCredential(schemes []*openapi3.SecurityScheme, r *http.Request) *openapi3.SecurityScheme {
	for _, s := range schemes {
		if !p.opts.Credential(s, r) {
			return s
		}
	}
	return nil
}

// decoded says what kin-openapi's decoders make of a parameter.
type decoded int

const (
	decodedValue  decoded = iota // a value, which the schema then judges
	decodedAbsent                // not in the request
	decodedEmpty                 // present without a value: valid only with allowEmptyValue
	decodedBad                   // a value that does not parse as the type
)

// walk decodes and checks one parameter.
func (pp *paramPlan) walk(x *Explainer, in *Input, query url.Values) bool {
	var v paramValue
	switch pp.decode(in.Request, in.PathParams, query, &v) {
	case decodedAbsent:
		return !pp.required || x.add(Failure{Kind: MissingParameter, In: pp.in, Name: pp.name})
	case decodedEmpty:
		return pp.allowEmpty || x.add(Failure{Kind: InvalidParameter, In: pp.in, Name: pp.name})
	case decodedBad:
		return x.add(Failure{Kind: InvalidParameter, In: pp.in, Name: pp.name})
	}
	if x != nil {
		x.param = pp
	}
	var ok bool
	switch {
	case pp.array:
		ok = pp.schema.walk(x, v.items, false)
	case pp.kind == openapi3.TypeString:
		ok = pp.schema.walkString(x, v.s)
	case pp.kind == openapi3.TypeBoolean:
		ok = pp.schema.walkBool(x, v.b)
	default:
		ok = pp.schema.walkNumber(x, v.n)
	}
	if x != nil {
		x.param = nil
	}
	return ok
}

// paramValue is a decoded parameter: a query array's items, or a primitive kept unboxed
// (an any holding a string or a float64 costs an allocation) until a failure names it.
type paramValue struct {
	items []any
	s     string
	b     bool
	n     number
}

// number is a number to check, and what it was decoded as, which only failures box.
type number struct {
	f    float64
	i    int64 // a parsed integer parameter, when bits is 32 or 64
	bits int
	orig any // the decoded value, when bits is 0 and it is not f
}

// value is the number as kin-openapi's decoders produced it.
func (n number) value() any {
	switch {
	case n.bits == 32:
		return int32(n.i)
	case n.bits == 64:
		return n.i
	case n.orig != nil:
		return n.orig
	}
	return n.f
}

// decode finds and parses the parameter into v as kin-openapi's decoders do.
func (pp *paramPlan) decode(r *http.Request, pathParams map[string]string, query url.Values, v *paramValue) decoded {
	raw, values, found, empty := pp.lookup(r, pathParams, query)
	if !found {
		return decodedAbsent
	}
	if values != nil {
		// urlValuesDecoder.DecodeArray: the repeated values, or with explode false the
		// first value split at commas; an empty item of a non-string type, or a single
		// empty string, makes the whole array empty.
		if !pp.explode {
			values = strings.Split(values[0], ",")
		}
		items := make([]any, 0, len(values))
		for _, raw := range values {
			if raw == "" && pp.kind != openapi3.TypeString {
				return decodedEmpty
			}
			var item paramValue
			if !pp.parse(raw, &item) {
				return decodedBad
			}
			items = append(items, item.any(pp.kind))
		}
		if len(items) == 1 && values[0] == "" {
			return decodedEmpty
		}
		v.items = items
		return decodedValue
	}
	if empty || (raw == "" && (pp.kind != openapi3.TypeString || pp.allowEmpty)) {
		return decodedEmpty
	}
	if pp.kind == openapi3.TypeString {
		v.s = raw // the common case, without parse's call
		return decodedValue
	}
	if !pp.parse(raw, v) {
		return decodedBad
	}
	return decodedValue
}

// any boxes a primitive of the given type.
func (v paramValue) any(kind string) any {
	switch kind {
	case openapi3.TypeString:
		return v.s
	case openapi3.TypeBoolean:
		return v.b
	}
	return v.n.value()
}

// lookup finds the parameter in r as kin-openapi's decoders do: raw is its value, values
// those of a query array (non-nil when the array has values); empty means found without a
// value, which kin-openapi decodes as nil.
func (pp *paramPlan) lookup(r *http.Request, pathParams map[string]string, query url.Values) (raw string, values []string, found, empty bool) {
	switch pp.in {
	case openapi3.ParameterInPath:
		raw, found = pathParams[pp.name]
		found = found && raw != ""
	case openapi3.ParameterInQuery:
		var vs []string
		vs, found = query[pp.name]
		if len(vs) == 0 {
			empty = true
			break
		}
		if pp.array {
			return "", vs, found, false
		}
		raw = vs[0]
		if raw == "" {
			for _, v := range vs[1:] {
				if v != "" {
					raw = v
					break
				}
			}
		}
	case openapi3.ParameterInHeader:
		var vs []string
		vs, found = r.Header[http.CanonicalHeaderKey(pp.name)]
		if len(vs) == 0 {
			empty = true
			break
		}
		raw = vs[0]
	case openapi3.ParameterInCookie:
		c, err := r.Cookie(pp.name)
		found = err != http.ErrNoCookie
		if err != nil {
			empty = true
			break
		}
		raw = c.Value
	}
	return raw, nil, found, empty
}

// parse converts a non-empty (or string) raw value into v as kin-openapi's parsePrimitive
// does; false when it does not parse.
func (pp *paramPlan) parse(raw string, v *paramValue) bool {
	var err error
	switch pp.kind {
	case openapi3.TypeInteger:
		v.n.bits = 64
		if pp.int32 {
			v.n.bits = 32
		}
		v.n.i, err = strconv.ParseInt(raw, 10, v.n.bits)
		v.n.f = float64(v.n.i)
	case openapi3.TypeNumber:
		if strings.ContainsFunc(raw, func(r rune) bool { return !strings.ContainsRune("+-.0123456789eE", r) }) {
			return false
		}
		v.n.f, err = strconv.ParseFloat(raw, 64)
	case openapi3.TypeBoolean:
		v.b, err = strconv.ParseBool(raw)
	default:
		v.s = raw
	}
	return err == nil
}

// jsonDecoder identifies kin-openapi's JSON body decoder among the registered ones.
var jsonDecoder = reflect.ValueOf(openapi3filter.BodyDecoder(openapi3filter.JSONBodyDecoder)).Pointer()

// walk checks the body as kin-openapi's ValidateRequestBody does: required, Content-Type,
// then the schema of the selected media type, when kin-openapi decodes it as JSON.
func (b *bodyPlan) walk(x *Explainer, in *Input) Verdict {
	if len(in.Body) == 0 {
		if b.required && !x.add(Failure{Kind: MissingBody}) {
			return Invalid
		}
		return Valid
	}
	if len(b.content) == 0 {
		return Valid
	}
	e := b.lookup(in.Request.Header.Get("Content-Type"))
	if e.mt == nil {
		if !x.add(Failure{Kind: ContentType, RequestBody: b.rb}) {
			return Invalid
		}
		return Valid
	}
	if e.mt.Schema == nil {
		return Valid
	}
	n := b.media[e.mt]
	if n == nil || !decodesJSON(e.mediaType) {
		return Unknown
	}
	if n.walk(x, in.Value, true) {
		return Valid
	}
	if x != nil {
		return Unknown // gave up
	}
	return Invalid
}

// decodesJSON reports whether kin-openapi decodes mediaType with its JSON decoder.
// Decoders are registered process-wide, so this is asked every time.
func decodesJSON(mediaType string) bool {
	dec := openapi3filter.RegisteredBodyDecoder(mediaType)
	if dec == nil && strings.HasSuffix(mediaType, "+json") {
		dec = openapi3filter.RegisteredBodyDecoder("application/json")
	}
	return dec != nil && reflect.ValueOf(dec).Pointer() == jsonDecoder
}

// walk checks v (as encoding/json decodes it with UseNumber, or a decoded parameter value)
// against the schema, in the order of kin-openapi's visitor: null, the empty schema, enum,
// then by JSON type. asRequest applies the readOnly rules of requests. It reports whether
// the walk goes on: with x nil, whether v is valid; explaining, false when it gave up.
func (n *node) walk(x *Explainer, v any, asRequest bool) bool {
	switch t := v.(type) {
	case nil:
		switch {
		case n.nullable:
			return true
		case !n.empty && n.hasEnum && !n.enumHasNull:
			return x.fail(n.src, "enum", nil, "", "")
		}
		return x.fail(n.src, "nullable", nil, "", "")
	case bool:
		return n.walkBool(x, t)
	case string:
		return n.walkString(x, t)
	case []any:
		switch {
		case n.empty:
			return true
		case n.hasEnum:
			return x.fail(n.src, "enum", v, "", "")
		}
		return n.walkArray(x, t, asRequest)
	case map[string]any:
		switch {
		case n.empty:
			return true
		case n.hasEnum:
			return x.fail(n.src, "enum", v, "", "")
		}
		return n.walkObject(x, t, asRequest)
	case json.Number:
		f, err := strconv.ParseFloat(string(t), 64)
		if err != nil {
			// Beyond float64: the empty schema passes it; for any other, an enum fails
			// first, else kin-openapi cannot convert it and reports its type.
			switch {
			case n.empty:
				return true
			case n.hasEnum:
				return x.fail(n.src, "enum", v, "", "")
			}
			return x.fail(n.src, "type", v, "", "")
		}
		return n.walkNumber(x, number{f: f, orig: v})
	case float64:
		return n.walkNumber(x, number{f: t, orig: v})
	case int64:
		return n.walkNumber(x, number{f: float64(t), orig: v})
	case int32:
		return n.walkNumber(x, number{f: float64(t), orig: v})
	}
	return x.giveUp() // no decoder produces it
}

func (n *node) walkBool(x *Explainer, b bool) bool {
	switch {
	case n.empty:
		return true
	case n.hasEnum && !slices.Contains(n.enum, enumValue{kind: 'b', b: b}):
		return x.fail(n.src, "enum", b, "", "")
	case !n.permitsBoolean:
		return x.fail(n.src, "type", b, "", "")
	}
	return true
}

// walkNumber checks a number: NaN and infinities (which, like kin-openapi, it never
// passes), the empty schema and enum, then in the order of kin-openapi's visitJSONNumber.
func (n *node) walkNumber(x *Explainer, v number) bool {
	f := v.f
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return x.giveUp()
	}
	switch {
	case n.empty:
		return true
	case n.hasEnum && !slices.Contains(n.enum, enumValue{kind: 'n', n: f}):
		return x.fail(n.src, "enum", v.value(), "", "")
	}
	if n.permitsInteger && !n.permitsNumber {
		if f != math.Trunc(f) && !x.fail(n.src, "type", f, "", "") {
			return false
		}
		if v := n.integerFormat(); v != nil && integerFormatFails(v, f) && !x.fail(n.src, "format", f, "", "") {
			return false
		}
	} else {
		if !n.permitsInteger && !n.permitsNumber {
			return x.fail(n.src, "type", f, "", "")
		}
		if v := n.numberFormat(); v != nil && v.Validate(f) != nil && !x.fail(n.src, "format", f, "", "") {
			return false
		}
	}
	if n.exMin != nil && !(f > *n.exMin) && !x.fail(n.src, "exclusiveMinimum", f, fmt.Sprintf("number must be more than %g", *n.exMin), "") {
		return false
	}
	if n.exMax != nil && !(f < *n.exMax) && !x.fail(n.src, "exclusiveMaximum", f, fmt.Sprintf("number must be less than %g", *n.exMax), "") {
		return false
	}
	if n.min != nil && !(*n.min <= f) && !x.fail(n.src, "minimum", f, fmt.Sprintf("number must be at least %g", *n.min), "") {
		return false
	}
	if n.max != nil && !(*n.max >= f) && !x.fail(n.src, "maximum", f, fmt.Sprintf("number must be at most %g", *n.max), "") {
		return false
	}
	if n.multipleOf != nil {
		if err := n.multipleOf.VisitJSONNumber(f); err != nil {
			if x == nil {
				return false
			}
			// kin-openapi's own reason, from the same check on a schema of multipleOf alone.
			var se *openapi3.SchemaError
			if !errors.As(err, &se) || se.SchemaField != "multipleOf" {
				return x.giveUp()
			}
			x.fail(n.src, "multipleOf", f, se.Reason, "")
		}
	}
	return true
}

// integerFormat, numberFormat and stringFormat look the node's format up as kin-openapi's
// visitor does on every check: the validators given to it (Options.Formats, for strings
// only), then its package-wide ones.
func (n *node) integerFormat() openapi3.IntegerFormatValidator {
	if n.format == "" {
		return nil
	}
	return openapi3.SchemaIntegerFormats[n.format]
}

func (n *node) numberFormat() openapi3.NumberFormatValidator {
	if n.format == "" {
		return nil
	}
	return openapi3.SchemaNumberFormats[n.format]
}

func (n *node) stringFormat() openapi3.StringFormatValidator {
	if n.format == "" {
		return nil
	}
	if n.strFormat != nil {
		return n.strFormat
	}
	return openapi3.SchemaStringFormats[n.format]
}

// integerFormatFails applies an integer format validator to a float64 as kin-openapi does:
// values outside int64 fail, math.MaxInt64 (which rounds up to 2^63) is passed as itself.
func integerFormatFails(v openapi3.IntegerFormatValidator, f float64) bool {
	switch {
	case f == float64(math.MaxInt64):
		return v.Validate(math.MaxInt64) != nil
	case f >= float64(math.MinInt64) && f < float64(math.MaxInt64):
		return v.Validate(int64(f)) != nil
	}
	return true
}

// walkString checks a string: the empty schema and enum, then in the order of
// kin-openapi's visitJSONString.
func (n *node) walkString(x *Explainer, s string) bool {
	switch {
	case n.empty:
		return true
	case n.hasEnum && !slices.Contains(n.enum, enumValue{kind: 's', s: s}):
		return x.fail(n.src, "enum", s, "", "")
	case !n.permitsString:
		return x.fail(n.src, "type", s, "", "")
	}
	if n.checkLength {
		length := stringLength(s)
		if n.minLength != 0 && length < n.minLength && !x.fail(n.src, "minLength", s, "", "") {
			return false
		}
		if n.maxLength != nil && length > *n.maxLength && !x.fail(n.src, "maxLength", s, "", "") {
			return false
		}
	}
	if n.pattern != nil && !n.pattern.MatchString(s) && !x.fail(n.src, "pattern", s, "", "") {
		return false
	}
	if v := n.stringFormat(); v != nil && v.Validate(s) != nil && !x.fail(n.src, "format", s, "", "") {
		return false
	}
	return true
}

// stringLength counts s the way kin-openapi's validator does for minLength and maxLength:
// in its loop a rune counts twice when utf16.IsSurrogate says so (in practice never, for
// decoded Go strings), else once.
func stringLength(s string) uint64 {
	length := uint64(0)
	for _, r := range s {
		if utf16.IsSurrogate(r) {
			length += 2
		} else {
			length++
		}
	}
	return length
}

// walkArray checks an array in the order of kin-openapi's visitJSONArray: counts,
// uniqueness, then the items by index.
func (n *node) walkArray(x *Explainer, a []any, asRequest bool) bool {
	if !n.permitsArray {
		return x.fail(n.src, "type", a, "", "")
	}
	l := uint64(len(a))
	if n.minItems != 0 && l < n.minItems && !x.fail(n.src, "minItems", a, fmt.Sprintf("minimum number of items is %d", n.minItems), "") {
		return false
	}
	if n.maxItems != nil && l > *n.maxItems && !x.fail(n.src, "maxItems", a, fmt.Sprintf("maximum number of items is %d", *n.maxItems), "") {
		return false
	}
	if n.unique != nil && n.unique.VisitJSONArray(a) != nil && !x.fail(n.src, "uniqueItems", a, "duplicate items found", "") {
		return false
	}
	if n.items != nil {
		for i, v := range a {
			if n.items.walk(nil, v, asRequest) {
				continue
			}
			if x == nil || !x.explain(strconv.Itoa(i), n.items, v, asRequest) {
				return false
			}
		}
	}
	return true
}

// walkObject checks an object in the order of kin-openapi's visitJSONObject: readOnly
// properties by name, property counts, members by name, then required in declared order.
func (n *node) walkObject(x *Explainer, o map[string]any, asRequest bool) bool {
	if !n.permitsObject {
		return x.fail(n.src, "type", o, "", "")
	}
	if asRequest {
		for _, name := range n.readOnly {
			if v := o[name]; v != nil && !x.fail(n.props[name].src, "readOnly", v, fmt.Sprintf("readOnly property %q in request", name), name) {
				return false
			}
		}
	}
	l := uint64(len(o))
	if n.minProps != 0 && l < n.minProps && !x.fail(n.src, "minProperties", o, fmt.Sprintf("there must be at least %d properties", n.minProps), "") {
		return false
	}
	if n.maxProps != nil && l > *n.maxProps && !x.fail(n.src, "maxProperties", o, fmt.Sprintf("there must be at most %d properties", *n.maxProps), "") {
		return false
	}
	// kin-openapi visits the members by name; only those that fail need sorting, and
	// explaining.
	var failing []string
	for k, v := range o {
		child, ok := n.member(k)
		if ok && (child == nil || child.walk(nil, v, asRequest)) {
			continue
		}
		if x == nil {
			return false
		}
		failing = append(failing, k)
	}
	slices.Sort(failing)
	for _, k := range failing {
		child, ok := n.member(k)
		if !ok {
			x.fail(n.src, "properties", o, fmt.Sprintf("property %q is unsupported", k), "")
			continue
		}
		if !x.explain(k, child, o[k], asRequest) {
			return false
		}
	}
	for _, k := range n.required {
		if _, ok := o[k]; !ok && !(asRequest && n.readOnlySet[k]) && !x.fail(n.src, "required", o, "", k) {
			return false
		}
	}
	return true
}

// member returns the schema of an object's member k: its property's, or else
// additionalProperties' (nil when any value will do); ok is false when k is not allowed.
func (n *node) member(k string) (_ *node, ok bool) {
	if child, ok := n.props[k]; ok {
		return child, true
	}
	return n.additional, n.additionalOK
}

// ctEntry is what a Content-Type header selects: the declared media type kin-openapi's
// Content.Get picks, and the media type its body decoding goes by.
type ctEntry struct {
	mt        *openapi3.MediaType
	mediaType string
}

// maxCachedContentTypes bounds the Content-Type values a body plan remembers, so that
// clients sending ever new values cannot grow it.
const maxCachedContentTypes = 16

// lookup resolves a Content-Type header, from a small copy-on-write cache when it can:
// Content.Get parses every declared key on a miss of the exact spelling.
func (b *bodyPlan) lookup(ct string) ctEntry {
	if m := b.cache.Load(); m != nil {
		if e, ok := (*m)[ct]; ok {
			return e
		}
	}
	mediaType, _, _ := strings.Cut(ct, ";")
	e := ctEntry{mt: b.content.Get(ct), mediaType: strings.ToLower(strings.TrimSpace(mediaType))}
	b.mu.Lock()
	defer b.mu.Unlock()
	old := b.cache.Load()
	if old == nil || len(*old) < maxCachedContentTypes {
		m := make(map[string]ctEntry, 1)
		if old != nil {
			maps.Copy(m, *old)
		}
		m[ct] = e
		b.cache.Store(&m)
	}
	return e
}
