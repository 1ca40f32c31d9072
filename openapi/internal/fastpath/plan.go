package fastpath

import (
	"encoding/json"
	"maps"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/getkin/kin-openapi/openapi3"
)

// Verdict is what a plan says about a request.
type Verdict int

const (
	Unknown Verdict = iota // the plan cannot tell; ask kin-openapi
	Valid
	Invalid
)

func (v Verdict) String() string {
	switch v {
	case Valid:
		return "valid"
	case Invalid:
		return "invalid"
	}
	return "unknown"
}

// Options are what a plan needs of the validator it stands in for.
type Options struct {
	// Formats are the string format validators given to kin-openapi with
	// WithStringFormatValidators, fixed for the plan's life. They, then kin-openapi's
	// package-wide ones (looked up when a value is checked, as kin-openapi does, so that a
	// format defined after loading counts), validate formats.
	Formats map[string]openapi3.StringFormatValidator
	// Credential reports whether r carries the credential scheme s names: the rule of the
	// AuthenticationFunc given to kin-openapi.
	Credential func(s *openapi3.SecurityScheme, r *http.Request) bool
	// CredentialMessage, when set, is the message of a missing credential for scheme s:
	// built once per scheme at compile time, so a request without its credential costs
	// no message building (Failure.Message).
	CredentialMessage func(s *openapi3.SecurityScheme) string
	// Pointer renders the JSON pointer of a body value from its tokens, as the problems
	// of kin-openapi's errors name it.
	Pointer func(tokens []string) string
}

// Plan is an operation's compiled request validator.
type Plan struct {
	opts *Options
	// security lists the alternative requirements; any one satisfied will do. Empty when
	// the operation needs no credential.
	security [][]*openapi3.SecurityScheme
	// messages holds Options.CredentialMessage of every scheme in security.
	messages map[*openapi3.SecurityScheme]string
	params   []paramPlan
	hasQuery bool      // some parameter is in the query
	body     *bodyPlan // nil when the operation declares no request body
}

// paramPlan validates one primitive parameter, or a query array of primitives.
type paramPlan struct {
	in, name   string
	required   bool
	allowEmpty bool
	kind       string // string, integer, number or boolean; of the items for an array
	int32      bool   // integer with format int32, parsed as kin-openapi does
	array      bool   // a query array of primitives, style form
	explode    bool   // the array repeats the parameter rather than joining with commas
	schema     *node
}

// bodyPlan validates the request body.
type bodyPlan struct {
	required bool
	rb       *openapi3.RequestBody // for the failure of a Content-Type that selects nothing
	content  openapi3.Content
	// media holds the compiled schema of each media type that can be decided.
	media map[*openapi3.MediaType]*node

	mu    sync.Mutex                         // serializes writers of cache
	cache atomic.Pointer[map[string]ctEntry] // Content-Type header -> lookup result
}

// node is one compiled schema.
type node struct {
	src      *openapi3.Schema // the schema compiled, which failures name
	nullable bool             // null is allowed (nullable or type null)
	empty    bool             // the schema is {}: any non-null value passes

	hasEnum     bool
	enumHasNull bool // null is a member of the enum
	enum        []enumValue

	permitsBoolean, permitsNumber, permitsInteger, permitsString, permitsArray, permitsObject bool

	format string // looked up in kin-openapi's package-wide formats at check time
	// strFormat is the validator Options.Formats holds for format, which kin-openapi
	// prefers to its package-wide ones; that map is fixed, so it is looked up once.
	strFormat openapi3.StringFormatValidator

	// numbers
	exMin      *float64 // strict lower bound
	exMax      *float64 // strict upper bound
	min, max   *float64
	multipleOf *openapi3.Schema // a schema holding only multipleOf, checked by kin-openapi itself

	// strings
	checkLength bool
	minLength   uint64
	maxLength   *uint64
	pattern     *regexp.Regexp

	// arrays
	minItems uint64
	maxItems *uint64
	unique   *openapi3.Schema // a schema holding only uniqueItems, checked by kin-openapi itself
	items    *node

	// objects
	props        map[string]*node
	readOnly     []string // properties that must not appear (non-null) in requests, sorted
	readOnlySet  map[string]bool
	required     []string
	minProps     uint64
	maxProps     *uint64
	additionalOK bool
	additional   *node
}

// enumValue is one allowed value of an enum: a string, a number or a boolean.
type enumValue struct {
	kind byte // 's', 'n' or 'b'
	s    string
	n    float64
	b    bool
}

// Parameters returns the effective parameters of op under item in the order kin-openapi
// validates them (openapi3filter/validate_request.go ValidateRequest), which is the order of
// their problems: the path item's, except those the operation declares again with the same
// name and location, then the operation's own. It is the one definition of that order: the
// fast path compiles it and openapi's Operation.Parameters serves it to everything else.
// Unresolved entries (nil, or without a value) are kept where they stand, for the caller to
// refuse or skip; kin-openapi itself cannot validate them.
func Parameters(item *openapi3.PathItem, op *openapi3.Operation) openapi3.Parameters {
	var out openapi3.Parameters
	if item != nil {
		for _, ref := range item.Parameters {
			if ref != nil && ref.Value != nil && declares(op.Parameters, ref.Value) {
				continue
			}
			out = append(out, ref)
		}
	}
	return append(out, op.Parameters...)
}

// declares reports whether ps holds a parameter with p's name and location, as
// openapi3.Parameters.GetByInAndName does, without its panic on a nil entry.
func declares(ps openapi3.Parameters, p *openapi3.Parameter) bool {
	for _, ref := range ps {
		if ref != nil && ref.Value != nil && ref.Value.Name == p.Name && ref.Value.In == p.In {
			return true
		}
	}
	return false
}

// Compile returns the operation's plan, or nil when some part of it is outside the
// supported subset. params are the operation's effective parameters in the order
// kin-openapi validates them (Parameters); an unresolved one makes Compile return nil.
func Compile(t *openapi3.T, op *openapi3.Operation, params openapi3.Parameters, opts *Options) *Plan {
	if t.IsOpenAPI31OrLater() {
		return nil
	}
	p := &Plan{opts: opts}
	security := op.Security
	if security == nil {
		security = &t.Security
	}
	for _, req := range *security {
		var alt []*openapi3.SecurityScheme
		for _, name := range slices.Sorted(maps.Keys(req)) {
			var ref *openapi3.SecuritySchemeRef
			if t.Components != nil {
				ref = t.Components.SecuritySchemes[name]
			}
			if ref == nil || ref.Value == nil {
				return nil
			}
			alt = append(alt, ref.Value)
			if p.opts.CredentialMessage != nil {
				if p.messages == nil {
					p.messages = map[*openapi3.SecurityScheme]string{}
				}
				p.messages[ref.Value] = p.opts.CredentialMessage(ref.Value)
			}
		}
		p.security = append(p.security, alt)
	}
	if len(*security) == 0 {
		p.security = nil
	}
	for _, ref := range params {
		if ref == nil || ref.Value == nil {
			return nil
		}
		pp, ok := newCompiler(opts).param(ref.Value)
		if !ok {
			return nil
		}
		if pp != nil {
			p.params = append(p.params, *pp)
			p.hasQuery = p.hasQuery || pp.in == openapi3.ParameterInQuery
		}
	}
	if rb := op.RequestBody; rb != nil {
		if rb.Value == nil {
			return nil
		}
		b := &bodyPlan{required: rb.Value.Required, rb: rb.Value, content: rb.Value.Content, media: map[*openapi3.MediaType]*node{}}
		for _, mt := range rb.Value.Content {
			if mt == nil || mt.Schema == nil || len(mt.Encoding) > 0 {
				continue // without a schema, check passes the body before looking here
			}
			s := mt.Schema.Value
			if s == nil || (s.Type.Is(openapi3.TypeString) && s.Format == "binary") {
				continue
			}
			if n, ok := newCompiler(opts).schema(s); ok {
				b.media[mt] = n
			}
		}
		p.body = b
	}
	return p
}

// compiler compiles one parameter's or one media type's schema graph. Any schema of the
// graph outside the subset fails the whole graph, so a compiler is never reused after a
// failure: nodes built before it may point at the node that failed.
type compiler struct {
	opts  *Options
	nodes map[*openapi3.Schema]*node
}

func newCompiler(opts *Options) *compiler {
	return &compiler{opts: opts, nodes: map[*openapi3.Schema]*node{}}
}

// param compiles a parameter. It returns nil, true for a parameter kin-openapi does not
// check (no schema), and false when the parameter is outside the subset.
func (c *compiler) param(p *openapi3.Parameter) (*paramPlan, bool) {
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
	if combines(s) {
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
		if combines(s) {
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

// combines reports whether s uses a combinator, which parameter decoding treats apart.
func combines(s *openapi3.Schema) bool {
	return len(s.AllOf) > 0 || len(s.AnyOf) > 0 || len(s.OneOf) > 0 || s.Not != nil
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

// patternCodepoints rewrites \uXXXX escapes the way kin-openapi's intoGoRegexp does before
// compiling a pattern.
var patternCodepoints = regexp.MustCompile(`(?P<replaced_with_slash_x>\\u)(?P<code>[0-9A-F]{4})`)

// schema compiles s, sharing nodes so that recursive schemas compile to cyclic plans.
func (c *compiler) schema(s *openapi3.Schema) (*node, bool) {
	if n, ok := c.nodes[s]; ok {
		return n, n != nil
	}
	c.nodes[s] = nil // refused until proven supported; a cycle back here waits for the result
	n, ok := c.build(s)
	if !ok {
		c.nodes[s] = nil
		return nil, false
	}
	return n, true
}

func (c *compiler) build(s *openapi3.Schema) (*node, bool) {
	if s.Always != nil {
		return nil, false
	}
	n := &node{src: s, nullable: s.Nullable || s.Type.IncludesNull()}
	c.nodes[s] = n
	if s.IsEmpty() {
		n.empty = true
		return n, true
	}
	if combines(s) || s.Discriminator != nil ||
		s.Const != nil || len(s.PrefixItems) > 0 || s.Contains != nil || s.MinContains != nil || s.MaxContains != nil ||
		len(s.PatternProperties) > 0 || len(s.DependentSchemas) > 0 || s.PropertyNames != nil ||
		s.UnevaluatedItems.Schema != nil || s.UnevaluatedItems.Has != nil ||
		s.UnevaluatedProperties.Schema != nil || s.UnevaluatedProperties.Has != nil ||
		s.If != nil || s.Then != nil || s.Else != nil || len(s.DependentRequired) > 0 ||
		s.DynamicRef != "" || s.ContentSchema != nil {
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
					return nil, false
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
	n.format = s.Format
	n.strFormat = c.opts.Formats[s.Format]

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
	n.min, n.max = s.Min, s.Max
	if s.MultipleOf != nil {
		n.multipleOf = &openapi3.Schema{MultipleOf: s.MultipleOf}
	}

	n.minLength, n.maxLength = s.MinLength, s.MaxLength
	n.checkLength = s.MinLength != 0 || s.MaxLength != nil
	if s.Pattern != "" {
		re, err := regexp.Compile(patternCodepoints.ReplaceAllString(s.Pattern, `\x{${code}}`))
		if err != nil {
			return nil, false
		}
		n.pattern = re
	}

	n.minItems, n.maxItems = s.MinItems, s.MaxItems
	if s.UniqueItems {
		n.unique = &openapi3.Schema{UniqueItems: true}
	}
	if s.Items != nil {
		var ok bool
		if n.items, ok = c.ref(s.Items); !ok {
			return nil, false
		}
	}

	if len(s.Properties) > 0 {
		n.props = make(map[string]*node, len(s.Properties))
		for name, ref := range s.Properties {
			child, ok := c.ref(ref)
			if !ok {
				return nil, false
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
		var ok bool
		if n.additional, ok = c.ref(ref); !ok {
			return nil, false
		}
	}
	return n, true
}

// ref compiles a referenced schema; an unresolved reference is outside the subset.
func (c *compiler) ref(ref *openapi3.SchemaRef) (*node, bool) {
	if ref == nil || ref.Value == nil {
		return nil, false
	}
	return c.schema(ref.Value)
}

// numberOf converts a number of any Go numeric type (or json.Number) to float64, as
// kin-openapi compares enum members; ok is false for anything else.
func numberOf(v any) (float64, bool) {
	if n, ok := v.(json.Number); ok {
		f, err := n.Float64()
		return f, err == nil
	}
	switch rv := reflect.ValueOf(v); {
	case rv.CanFloat():
		return rv.Float(), true
	case rv.CanInt():
		return float64(rv.Int()), true
	case rv.CanUint():
		return float64(rv.Uint()), true
	}
	return 0, false
}
