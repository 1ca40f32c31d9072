package openapi

import (
	"encoding/json"
	"maps"
	"math"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf16"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// The fast path answers "is this request valid?" for the common case without kin-openapi.
//
// At load, each operation of an OpenAPI 3.0 document whose security, parameters and JSON
// request body use only the keywords below gets a requestPlan. A plan decides a request
// with the same rules kin-openapi applies with our validation options (SkipSettingDefaults,
// the format validators of validate.go, VisitAsRequest for the body), so its verdict agrees
// with kin-openapi's. ValidateRequest trusts a "valid" verdict, and an "invalid" one when the
// plan can also name the problems exactly as kin-openapi's path would (fastpath_problems.go,
// with validate.go's message functions); for anything else it asks kin-openapi.
//
// Supported: security requirements checked with requireCredential's rules; path, header
// (style simple), query and cookie (style form) parameters with a single primitive type
// (string, integer, number, boolean) and no content, and query arrays of such items; a request body whose matched media type
// kin-openapi decodes as JSON, without encodings; and schemas made of type,
// nullable, enum (of strings, numbers, booleans, null), minimum, maximum, exclusiveMinimum and
// exclusiveMaximum (3.0 booleans), multipleOf, minLength, maxLength, pattern, format, items,
// minItems, maxItems, uniqueItems, properties, required, additionalProperties (boolean or
// schema), minProperties, maxProperties and readOnly, plus the empty schema. Everything else
// (allOf, anyOf, oneOf, not, discriminator, const, OpenAPI 3.1 documents and keywords,
// other array and object parameters, content parameters, other styles, non-JSON bodies) leaves the
// operation to kin-openapi.

// verdict is what a plan says about a request.
type verdict int

const (
	verdictUnknown verdict = iota // the plan cannot tell; ask kin-openapi
	verdictValid
	verdictInvalid
)

func (v verdict) String() string {
	switch v {
	case verdictValid:
		return "valid"
	case verdictInvalid:
		return "invalid"
	}
	return "unknown"
}

// requestPlan is an operation's compiled request validator.
type requestPlan struct {
	// security lists the alternative requirements; any one satisfied will do. Empty when
	// the operation needs no credential.
	security [][]*openapi3.SecurityScheme
	params   []paramPlan
	hasQuery bool      // some parameter is in the query
	body     *bodyPlan // nil when the operation declares no request body
}

// paramPlan validates one primitive parameter.
type paramPlan struct {
	in, name   string
	required   bool
	allowEmpty bool
	kind       string // string, integer, number or boolean; of the items for an array
	int32      bool   // integer with format int32, parsed as kin-openapi does
	array      bool   // a query array of primitives, style form
	explode    bool   // the array repeats the parameter rather than joining with commas
	schema     *schemaNode
}

// bodyPlan validates the request body.
type bodyPlan struct {
	required bool
	rb       *openapi3.RequestBody // for the problem of a Content-Type that selects nothing
	content  openapi3.Content
	// media holds the compiled schema of each media type that can be decided.
	media map[*openapi3.MediaType]*schemaNode

	mu    sync.Mutex                         // serializes writers of cache
	cache atomic.Pointer[map[string]ctEntry] // Content-Type header -> lookup result
}

// schemaNode is one compiled schema.
type schemaNode struct {
	src      *openapi3.Schema // the schema compiled, which problems name
	nullable bool             // null is allowed (nullable or type null)
	empty    bool             // the schema is {}: any non-null value passes

	hasEnum     bool
	enumHasNull bool // null is a member of the enum
	enum        []enumValue

	permitsBoolean, permitsNumber, permitsInteger, permitsString, permitsArray, permitsObject bool

	// numbers
	intFormat  openapi3.IntegerFormatValidator
	numFormat  openapi3.NumberFormatValidator
	exMin      *float64 // strict lower bound
	exMax      *float64 // strict upper bound
	min, max   *float64
	multipleOf *openapi3.Schema // a schema holding only multipleOf, checked by kin-openapi itself

	// strings
	checkLength bool
	minLength   uint64
	maxLength   *uint64
	pattern     *regexp.Regexp
	strFormat   openapi3.StringFormatValidator

	// arrays
	minItems uint64
	maxItems *uint64
	unique   *openapi3.Schema // a schema holding only uniqueItems, checked by kin-openapi itself
	items    *schemaNode

	// objects
	props        map[string]*schemaNode
	readOnly     []string // properties that must not appear (non-null) in requests, sorted
	readOnlySet  map[string]bool
	required     []string
	minProps     uint64
	maxProps     *uint64
	additionalOK bool
	additional   *schemaNode
}

// enumValue is one allowed value of an enum: a string, a number or a boolean.
type enumValue struct {
	kind byte // 's', 'n' or 'b'
	s    string
	n    float64
	b    bool
}

// compilePlan returns the operation's plan, or nil when some part of it is outside the
// supported subset.
func compilePlan(t *openapi3.T, op *Operation) *requestPlan {
	if t.IsOpenAPI31OrLater() {
		return nil
	}
	p := &requestPlan{}
	security := op.Operation.Security
	if security == nil {
		security = &t.Security
	}
	for _, req := range *security {
		var alt []*openapi3.SecurityScheme
		for _, name := range sortedKeys(req) {
			var ref *openapi3.SecuritySchemeRef
			if t.Components != nil {
				ref = t.Components.SecuritySchemes[name]
			}
			if ref == nil || ref.Value == nil {
				return nil
			}
			alt = append(alt, ref.Value)
		}
		p.security = append(p.security, alt)
	}
	if len(*security) == 0 {
		p.security = nil
	}
	for _, ref := range kinParameterOrder(op) {
		pp, ok := newPlanCompiler().param(ref.Value)
		if !ok {
			return nil
		}
		if pp != nil {
			p.params = append(p.params, *pp)
			p.hasQuery = p.hasQuery || pp.in == openapi3.ParameterInQuery
		}
	}
	if rb := op.Operation.RequestBody; rb != nil {
		if rb.Value == nil {
			return nil
		}
		b := &bodyPlan{required: rb.Value.Required, rb: rb.Value, content: rb.Value.Content, media: map[*openapi3.MediaType]*schemaNode{}}
		for _, mt := range rb.Value.Content {
			if mt == nil || mt.Schema == nil || len(mt.Encoding) > 0 {
				continue // without a schema, check passes the body before looking here
			}
			s := mt.Schema.Value
			if s == nil || (s.Type.Is(openapi3.TypeString) && s.Format == "binary") {
				continue
			}
			if n, ok := newPlanCompiler().schema(s); ok {
				b.media[mt] = n
			}
		}
		p.body = b
	}
	return p
}

// kinParameterOrder lists the operation's parameters in the order kin-openapi validates
// them, which is the order of their problems: the path item's (unless the operation
// overrides them), then the operation's.
func kinParameterOrder(op *Operation) openapi3.Parameters {
	var out openapi3.Parameters
	if op.PathItem != nil {
		for _, ref := range op.PathItem.Parameters {
			if ref == nil || ref.Value == nil {
				continue
			}
			if op.Operation.Parameters.GetByInAndName(ref.Value.In, ref.Value.Name) != nil {
				continue
			}
			out = append(out, ref)
		}
	}
	for _, ref := range op.Operation.Parameters {
		if ref == nil {
			out = append(out, &openapi3.ParameterRef{}) // refused by param
			continue
		}
		out = append(out, ref)
	}
	return out
}

// planCompiler compiles one parameter's or one media type's schema graph. Any schema of the
// graph outside the subset fails the whole graph, so a compiler is never reused after a
// failure: nodes built before it may point at the node that failed.
type planCompiler struct {
	nodes map[*openapi3.Schema]*schemaNode
}

func newPlanCompiler() *planCompiler {
	return &planCompiler{nodes: map[*openapi3.Schema]*schemaNode{}}
}

// param compiles a parameter. It returns nil, true for a parameter kin-openapi does not
// check (no schema), and false when the parameter is outside the subset.
func (c *planCompiler) param(p *openapi3.Parameter) (*paramPlan, bool) {
	if p == nil || p.Content != nil {
		return nil, false
	}
	if p.Schema == nil {
		return nil, true
	}
	s := p.Schema.Value
	if s == nil {
		return nil, false
	}
	sm, err := p.SerializationMethod()
	if err != nil {
		return nil, false
	}
	switch p.In {
	case openapi3.ParameterInPath, openapi3.ParameterInHeader:
		if sm.Style != openapi3.SerializationSimple {
			return nil, false
		}
	case openapi3.ParameterInQuery, openapi3.ParameterInCookie:
		if sm.Style != openapi3.SerializationForm {
			return nil, false
		}
	default:
		return nil, false
	}
	if len(s.AllOf) > 0 || len(s.AnyOf) > 0 || len(s.OneOf) > 0 || s.Not != nil {
		return nil, false
	}
	n, ok := c.schema(s)
	if !ok {
		return nil, false
	}
	pp := &paramPlan{in: p.In, name: p.Name, required: p.Required, allowEmpty: p.AllowEmptyValue, schema: n}
	kind, ok := primitiveType(s)
	if !ok && p.In == openapi3.ParameterInQuery && s.Type.Is(openapi3.TypeArray) && s.Items != nil && s.Items.Value != nil {
		// A query array (style form, as checked above) of primitives: kin-openapi parses
		// each item with the items' schema, then validates the array.
		s = s.Items.Value
		if len(s.AllOf) > 0 || len(s.AnyOf) > 0 || len(s.OneOf) > 0 || s.Not != nil {
			return nil, false
		}
		kind, ok = primitiveType(s)
		pp.array, pp.explode = true, sm.Explode
	}
	if !ok {
		return nil, false
	}
	pp.kind, pp.int32 = kind, kind == openapi3.TypeInteger && s.Format == "int32"
	return pp, true
}

// primitiveType returns the schema's type when it is a single primitive one.
func primitiveType(s *openapi3.Schema) (string, bool) {
	types := s.Type.Slice()
	if len(types) != 1 {
		return "", false
	}
	switch types[0] {
	case openapi3.TypeString, openapi3.TypeInteger, openapi3.TypeNumber, openapi3.TypeBoolean:
		return types[0], true
	}
	return "", false
}

// intoGoRegexp rewrites \uXXXX escapes the way kin-openapi does before compiling a pattern.
var patternCodepoints = regexp.MustCompile(`(?P<replaced_with_slash_x>\\u)(?P<code>[0-9A-F]{4})`)

// schema compiles s, sharing nodes so that recursive schemas compile to cyclic plans.
func (c *planCompiler) schema(s *openapi3.Schema) (*schemaNode, bool) {
	if n, ok := c.nodes[s]; ok {
		return n, n != nil
	}
	c.nodes[s] = nil // refused until proven supported; a cycle back here waits for the result
	n, ok := c.build(s)
	if !ok {
		return nil, false
	}
	return n, true
}

func (c *planCompiler) build(s *openapi3.Schema) (*schemaNode, bool) {
	if s.Always != nil {
		return nil, false
	}
	n := &schemaNode{src: s, nullable: s.Nullable || s.Type.IncludesNull()}
	c.nodes[s] = n
	if s.IsEmpty() {
		n.empty = true
		return n, true
	}
	if len(s.AllOf) > 0 || len(s.AnyOf) > 0 || len(s.OneOf) > 0 || s.Not != nil || s.Discriminator != nil ||
		s.Const != nil || len(s.PrefixItems) > 0 || s.Contains != nil || s.MinContains != nil || s.MaxContains != nil ||
		len(s.PatternProperties) > 0 || len(s.DependentSchemas) > 0 || s.PropertyNames != nil ||
		s.UnevaluatedItems.Schema != nil || s.UnevaluatedItems.Has != nil ||
		s.UnevaluatedProperties.Schema != nil || s.UnevaluatedProperties.Has != nil ||
		s.If != nil || s.Then != nil || s.Else != nil || len(s.DependentRequired) > 0 ||
		s.DynamicRef != "" || s.ContentSchema != nil {
		c.nodes[s] = nil
		return nil, false
	}
	fail := func() (*schemaNode, bool) {
		c.nodes[s] = nil
		return nil, false
	}
	if len(s.Enum) > 0 {
		n.hasEnum = true
		for _, v := range s.Enum {
			switch v := v.(type) {
			case nil:
				// Only null equals null, and null is decided before the enum.
				n.enumHasNull = true
			case string:
				n.enum = append(n.enum, enumValue{kind: 's', s: v})
			case bool:
				n.enum = append(n.enum, enumValue{kind: 'b', b: v})
			default:
				f, ok := numberOf(v)
				if !ok {
					return fail()
				}
				n.enum = append(n.enum, enumValue{kind: 'n', n: f})
			}
		}
	}
	t := s.Type
	n.permitsBoolean = t.Permits(openapi3.TypeBoolean)
	n.permitsNumber = t.Permits(openapi3.TypeNumber)
	n.permitsInteger = t.Permits(openapi3.TypeInteger)
	n.permitsString = t.Permits(openapi3.TypeString)
	n.permitsArray = t.Permits(openapi3.TypeArray)
	n.permitsObject = t.Permits(openapi3.TypeObject)

	// Formats, looked up as kin-openapi does: the document's validators first, then the
	// package-wide ones.
	if s.Format != "" {
		if n.permitsInteger && !n.permitsNumber {
			n.intFormat = openapi3.SchemaIntegerFormats[s.Format]
		} else {
			n.numFormat = openapi3.SchemaNumberFormats[s.Format]
		}
		if v, ok := formatValidators[s.Format]; ok {
			n.strFormat = v
		} else {
			n.strFormat = openapi3.SchemaStringFormats[s.Format]
		}
	}
	if eb := s.ExclusiveMin; eb.Value != nil {
		n.exMin = eb.Value
	} else if eb.Bool != nil && *eb.Bool && s.Min != nil {
		n.exMin = s.Min
	}
	if eb := s.ExclusiveMax; eb.Value != nil {
		n.exMax = eb.Value
	} else if eb.Bool != nil && *eb.Bool && s.Max != nil {
		n.exMax = s.Max
	}
	// Numbers.
	n.min, n.max = s.Min, s.Max
	if s.MultipleOf != nil {
		n.multipleOf = &openapi3.Schema{MultipleOf: s.MultipleOf}
	}

	// Strings.
	n.minLength, n.maxLength = s.MinLength, s.MaxLength
	n.checkLength = s.MinLength != 0 || s.MaxLength != nil
	if s.Pattern != "" {
		re, err := regexp.Compile(patternCodepoints.ReplaceAllString(s.Pattern, `\x{${code}}`))
		if err != nil {
			return fail()
		}
		n.pattern = re
	}

	// Arrays.
	n.minItems, n.maxItems = s.MinItems, s.MaxItems
	if s.UniqueItems {
		n.unique = &openapi3.Schema{UniqueItems: true}
	}
	if s.Items != nil {
		if s.Items.Value == nil {
			return fail()
		}
		items, ok := c.schema(s.Items.Value)
		if !ok {
			return fail()
		}
		n.items = items
	}

	// Objects.
	if len(s.Properties) > 0 {
		n.props = make(map[string]*schemaNode, len(s.Properties))
		for name, ref := range s.Properties {
			if ref == nil || ref.Value == nil {
				return fail()
			}
			child, ok := c.schema(ref.Value)
			if !ok {
				return fail()
			}
			n.props[name] = child
			if ref.Value.ReadOnly {
				n.readOnly = append(n.readOnly, name)
				if n.readOnlySet == nil {
					n.readOnlySet = map[string]bool{}
				}
				n.readOnlySet[name] = true
			}
		}
	}
	slices.Sort(n.readOnly)
	n.required = s.Required
	n.minProps, n.maxProps = s.MinProps, s.MaxProps
	n.additionalOK = s.AdditionalProperties.Has == nil || *s.AdditionalProperties.Has
	if ref := s.AdditionalProperties.Schema; ref != nil && n.additionalOK {
		if ref.Value == nil {
			return fail()
		}
		child, ok := c.schema(ref.Value)
		if !ok {
			return fail()
		}
		n.additional = child
	}
	return n, true
}

// numberOf converts a number of any Go numeric type (or json.Number) to float64, as
// kin-openapi compares enum members; ok is false for anything else.
func numberOf(v any) (float64, bool) {
	switch v := v.(type) {
	case json.Number:
		f, err := v.Float64()
		return f, err == nil
	case float64:
		return v, true
	case float32:
		return float64(v), true
	case int:
		return float64(v), true
	case int8:
		return float64(v), true
	case int16:
		return float64(v), true
	case int32:
		return float64(v), true
	case int64:
		return float64(v), true
	case uint:
		return float64(v), true
	case uint8:
		return float64(v), true
	case uint16:
		return float64(v), true
	case uint32:
		return float64(v), true
	case uint64:
		return float64(v), true
	}
	return 0, false
}

// valid reports whether v (as encoding/json decodes it with UseNumber, or a decoded
// parameter value) satisfies the schema. asRequest applies the readOnly rules of requests.
// The checks run in kin-openapi's order: null, the empty schema, enum, then by JSON type.
func (n *schemaNode) valid(v any, asRequest bool) bool {
	switch v := v.(type) {
	case nil:
		return n.nullable
	case bool:
		return n.validBool(v)
	case json.Number:
		f, err := strconv.ParseFloat(string(v), 64)
		if err != nil {
			// Beyond float64: kin-openapi lets the empty schema pass it, and fails every other.
			return n.empty
		}
		return n.validNumber(f)
	case float64:
		return n.validNumber(v)
	case int64:
		return n.validNumber(float64(v))
	case int32:
		return n.validNumber(float64(v))
	case string:
		return n.validString(v)
	case []any:
		if n.empty {
			return true
		}
		return !n.hasEnum && n.array(v, asRequest)
	case map[string]any:
		if n.empty {
			return true
		}
		return !n.hasEnum && n.object(v, asRequest)
	}
	return false
}

func (n *schemaNode) validBool(b bool) bool {
	if n.empty {
		return true
	}
	if n.hasEnum && !slices.Contains(n.enum, enumValue{kind: 'b', b: b}) {
		return false
	}
	return n.permitsBoolean
}

// validNumber checks a number; like kin-openapi, NaN and infinities never pass.
func (n *schemaNode) validNumber(f float64) bool {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return false
	}
	if n.empty {
		return true
	}
	if n.hasEnum && !slices.Contains(n.enum, enumValue{kind: 'n', n: f}) {
		return false
	}
	return n.number(f)
}

func (n *schemaNode) validString(s string) bool {
	if n.empty {
		return true
	}
	if n.hasEnum && !slices.Contains(n.enum, enumValue{kind: 's', s: s}) {
		return false
	}
	return n.string(s)
}

func (n *schemaNode) number(f float64) bool {
	requireInteger := n.permitsInteger && !n.permitsNumber
	if requireInteger {
		if f != math.Trunc(f) {
			return false
		}
		if n.intFormat != nil && integerFormatFails(n.intFormat, f) {
			return false
		}
	} else {
		if !n.permitsInteger && !n.permitsNumber {
			return false
		}
		if n.numFormat != nil && n.numFormat.Validate(f) != nil {
			return false
		}
	}
	if n.exMin != nil && !(f > *n.exMin) {
		return false
	}
	if n.exMax != nil && !(f < *n.exMax) {
		return false
	}
	if n.min != nil && !(*n.min <= f) {
		return false
	}
	if n.max != nil && !(*n.max >= f) {
		return false
	}
	if n.multipleOf != nil && n.multipleOf.VisitJSONNumber(f) != nil {
		return false
	}
	return true
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

func (n *schemaNode) string(s string) bool {
	if !n.permitsString {
		return false
	}
	if n.checkLength {
		length := stringLength(s)
		if n.minLength != 0 && length < n.minLength {
			return false
		}
		if n.maxLength != nil && length > *n.maxLength {
			return false
		}
	}
	if n.pattern != nil && !n.pattern.MatchString(s) {
		return false
	}
	if n.strFormat != nil && n.strFormat.Validate(s) != nil {
		return false
	}
	return true
}

func (n *schemaNode) array(a []any, asRequest bool) bool {
	if !n.permitsArray {
		return false
	}
	l := uint64(len(a))
	if n.minItems != 0 && l < n.minItems {
		return false
	}
	if n.maxItems != nil && l > *n.maxItems {
		return false
	}
	if n.unique != nil && n.unique.VisitJSONArray(a) != nil {
		return false
	}
	if n.items != nil {
		for _, v := range a {
			if !n.items.valid(v, asRequest) {
				return false
			}
		}
	}
	return true
}

func (n *schemaNode) object(o map[string]any, asRequest bool) bool {
	if !n.permitsObject {
		return false
	}
	if asRequest {
		for _, name := range n.readOnly {
			if o[name] != nil {
				return false
			}
		}
	}
	l := uint64(len(o))
	if n.minProps != 0 && l < n.minProps {
		return false
	}
	if n.maxProps != nil && l > *n.maxProps {
		return false
	}
	for k, v := range o {
		if p, ok := n.props[k]; ok {
			if !p.valid(v, asRequest) {
				return false
			}
			continue
		}
		if !n.additionalOK {
			return false
		}
		if n.additional != nil && !n.additional.valid(v, asRequest) {
			return false
		}
	}
	for _, k := range n.required {
		if _, ok := o[k]; !ok {
			if asRequest && n.readOnlySet[k] {
				continue
			}
			return false
		}
	}
	return true
}

// check decides a request routed to the plan's operation. body is the whole request body.
func (p *requestPlan) check(r *http.Request, pathParams map[string]string, body []byte) verdict {
	v, _ := p.decide(r, pathParams, body)
	return v
}

// decision is what decide learnt on the way to an invalid verdict, so that naming the
// problems (fastpath_problems.go) need not redo it.
type decision struct {
	value     any  // the body as kin-openapi decodes it
	malformed bool // the body is not JSON though its Content-Type says so
	// failed is the first part found invalid: -1 for the security requirements, i for
	// params[i], len(params) for the body.
	failed int
}

// decide is check, with what it learnt.
func (p *requestPlan) decide(r *http.Request, pathParams map[string]string, body []byte) (verdict, decision) {
	ct := r.Header.Get("Content-Type")
	var value any
	if len(body) > 0 {
		// ValidateRequest rejects a JSON-typed body that CheckJSON rejects; parseJSON accepts
		// exactly what CheckJSON accepts, and decodes it as kin-openapi would.
		v, ok := parseJSON(body)
		if !ok {
			if _, ok := CheckJSON(body); !ok && isJSON(ct) {
				return verdictInvalid, decision{malformed: true, failed: -1}
			}
			return verdictUnknown, decision{}
		}
		value = v
	}
	if len(p.security) > 0 {
		ok := false
		for _, alt := range p.security {
			if credentialsPresent(r, alt) {
				ok = true
				break
			}
		}
		if !ok {
			return verdictInvalid, decision{value: value, failed: -1}
		}
	}
	var query url.Values
	if p.hasQuery {
		query = r.URL.Query()
	}
	for i := range p.params {
		if !p.params[i].valid(r, pathParams, query) {
			return verdictInvalid, decision{value: value, failed: i}
		}
	}
	if p.body == nil {
		return verdictValid, decision{}
	}
	return p.body.check(ct, body, value), decision{value: value, failed: len(p.params)}
}

// credentialsPresent reports whether r satisfies one security requirement: every scheme's
// credential is present.
func credentialsPresent(r *http.Request, schemes []*openapi3.SecurityScheme) bool {
	for _, s := range schemes {
		if !credentialPresent(s, r) {
			return false
		}
	}
	return true
}

// valid decodes and checks one parameter as kin-openapi's decoders do.
func (pp *paramPlan) valid(r *http.Request, pathParams map[string]string, query url.Values) bool {
	raw, values, found, empty := pp.lookup(r, pathParams, query)
	if !found {
		return !pp.required
	}
	if values != nil {
		return pp.validArray(values)
	}
	if empty || (raw == "" && pp.kind != openapi3.TypeString) {
		// kin-openapi decodes no value: an empty value, allowed only by allowEmptyValue.
		return pp.allowEmpty
	}
	switch pp.kind {
	case openapi3.TypeInteger:
		bits := 64
		if pp.int32 {
			bits = 32
		}
		v, err := strconv.ParseInt(raw, 10, bits)
		return err == nil && pp.schema.validNumber(float64(v))
	case openapi3.TypeNumber:
		if strings.ContainsFunc(raw, func(r rune) bool { return !strings.ContainsRune("+-.0123456789eE", r) }) {
			return false
		}
		v, err := strconv.ParseFloat(raw, 64)
		return err == nil && pp.schema.validNumber(v)
	case openapi3.TypeBoolean:
		v, err := strconv.ParseBool(raw)
		return err == nil && pp.schema.validBool(v)
	}
	if raw == "" && pp.allowEmpty {
		return true
	}
	return pp.schema.validString(raw)
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

// arrayItems returns a query array's raw items as kin-openapi's urlValuesDecoder takes
// them: the repeated values, or with explode false the first value split at commas.
func (pp *paramPlan) arrayItems(values []string) []string {
	if pp.explode {
		return values
	}
	if strings.Contains(values[0], ",") {
		return strings.Split(values[0], ",")
	}
	return values[:1]
}

// validArray decodes and checks a query array as kin-openapi's urlValuesDecoder does: items
// are the repeated values, or with explode false the first value split at commas; an empty
// item of a non-string type, or a single empty string, makes the whole array absent.
func (pp *paramPlan) validArray(values []string) bool {
	values = pp.arrayItems(values)
	items := make([]any, 0, len(values))
	for _, raw := range values {
		if raw == "" && pp.kind != openapi3.TypeString {
			return pp.allowEmpty
		}
		v, ok := pp.parse(raw)
		if !ok {
			return false
		}
		items = append(items, v)
	}
	if len(items) == 1 && values[0] == "" {
		return pp.allowEmpty
	}
	return pp.schema.valid(items, false)
}

// parse converts a non-empty (or string) raw value as kin-openapi's parsePrimitive does.
func (pp *paramPlan) parse(raw string) (any, bool) {
	switch pp.kind {
	case openapi3.TypeInteger:
		if pp.int32 {
			v, err := strconv.ParseInt(raw, 10, 32)
			return int32(v), err == nil
		}
		v, err := strconv.ParseInt(raw, 10, 64)
		return v, err == nil
	case openapi3.TypeNumber:
		if strings.ContainsFunc(raw, func(r rune) bool { return !strings.ContainsRune("+-.0123456789eE", r) }) {
			return nil, false
		}
		v, err := strconv.ParseFloat(raw, 64)
		return v, err == nil
	case openapi3.TypeBoolean:
		v, err := strconv.ParseBool(raw)
		return v, err == nil
	}
	return raw, true
}

// jsonDecoder identifies kin-openapi's JSON body decoder among the registered ones.
var jsonDecoder = reflect.ValueOf(openapi3filter.BodyDecoder(openapi3filter.JSONBodyDecoder)).Pointer()

// check decides the body, which value holds as kin-openapi's JSON decoder would decode it.
func (b *bodyPlan) check(ct string, body []byte, value any) verdict {
	if len(body) == 0 {
		if b.required {
			return verdictInvalid
		}
		return verdictValid
	}
	if len(b.content) == 0 {
		return verdictValid
	}
	e := b.lookup(ct)
	if e.mt == nil {
		return verdictInvalid
	}
	if e.mt.Schema == nil {
		return verdictValid
	}
	n := b.media[e.mt]
	if n == nil {
		return verdictUnknown
	}
	if !b.decoder(e.mediaType) {
		return verdictUnknown
	}
	if n.valid(value, true) {
		return verdictValid
	}
	return verdictInvalid
}

// decoder reports whether kin-openapi decodes mediaType with its JSON decoder. Decoders
// are registered process-wide, so this is asked every time.
func (b *bodyPlan) decoder(mediaType string) bool {
	dec := openapi3filter.RegisteredBodyDecoder(mediaType)
	if dec == nil && strings.HasSuffix(mediaType, "+json") {
		dec = openapi3filter.RegisteredBodyDecoder("application/json")
	}
	return dec != nil && reflect.ValueOf(dec).Pointer() == jsonDecoder
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

// fastVerdict runs only the operation's plan, for ValidateRequest and for tests that
// compare it with kin-openapi.
func (d *Document) fastVerdict(r *http.Request, m *Match, body []byte) verdict {
	if m == nil || m.Operation == nil || m.Operation.plan == nil {
		return verdictUnknown
	}
	return m.Operation.plan.check(r, m.PathParams, body)
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
