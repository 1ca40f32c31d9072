package openapi

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"reflect"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/getkin/kin-openapi/openapi3"
)

// Direction says which side of the exchange a value is for: readOnly properties are left out
// of requests, writeOnly ones out of responses. The mock synthesizes responses, the contract
// checker requests, from the same schemas.
type Direction int

const (
	// Response values leave writeOnly properties out.
	Response Direction = iota
	// Request values leave readOnly properties out.
	Request
)

func (dir Direction) String() string {
	if dir == Request {
		return "request"
	}
	return "response"
}

// SynthOptions steers [Document.Synthesize].
type SynthOptions struct {
	// Seed makes synthesis reproducible: the same seed and schema give the same value. Seed 0
	// is the canonical value: the schema's own example or default wherever one is valid, the
	// first enum value and oneOf branch, every optional property, never a null. Any other
	// seed varies all of these (an example or default is still picked one time in four).
	Seed uint64
	// Direction leaves readOnly properties out of requests and writeOnly ones out of
	// responses.
	Direction Direction
	// AllOptional includes every optional property (until recursion stops it) instead of a
	// seeded half of them.
	AllOptional bool
}

// Limits of synthesis. They keep values small: a mock answers quickly, a checker's report
// stays readable, and a recursive schema cannot make a value grow without end.
const (
	// synthAttempts is how many independent tries (each with its own random stream derived
	// from the seed) Synthesize makes before it reports that no valid value was found.
	synthAttempts = 16
	// shallowDepth is the nesting beyond which objects get only their required properties
	// and arrays only minItems elements.
	shallowDepth = 6
	// maxSynthDepth is the nesting at which synthesis gives up: only a schema whose required
	// properties or minItems recurse without end gets there.
	maxSynthDepth = 40
	// extraItems is how many elements an array gets beyond minItems at most, and how many
	// extra repetitions an unbounded regex repeat makes at most.
	extraItems = 3
	// numberWindow is the width of the range numbers are drawn from when the schema leaves
	// it open (or wider).
	numberWindow = 1000
	// maxPatternLength and maxPatternSteps stop the regex walker on patterns whose matches are
	// huge or whose nested repeats of empty matches would otherwise take exponential time.
	maxPatternLength = 1 << 16
	maxPatternSteps  = 1 << 17
	// matchBudget bounds the work of checking candidates against a pattern, in string
	// length times program instructions (some 50 ms at worst).
	matchBudget = 1 << 23
)

// Synthesize returns a value valid against s, as encoding/json would decode it (map[string]any,
// []any, string, float64, bool or nil): the mock's last resort when a response has no example,
// and the contract checker's source of valid requests.
//
// Every value is checked with the same validator as requests and responses (formats included,
// in the options' Direction) before it is returned; when none of a few seeded attempts yields a
// valid value, the error names the schema (its $ref, or file:line) and what could not be met,
// never a value.
func (d *Document) Synthesize(s *openapi3.SchemaRef, o SynthOptions) (any, error) {
	if s == nil || s.Value == nil {
		return nil, errors.New("openapi: synthesize: no schema given")
	}
	var last error
	for attempt := range synthAttempts {
		g := &synth{
			d:         d,
			o:         o,
			canonical: o.Seed == 0 && attempt == 0,
			rng:       rand.New(rand.NewPCG(o.Seed, uint64(attempt))),
			active:    map[*openapi3.Schema]int{},
			flat:      map[*openapi3.Schema]*openapi3.Schema{},
		}
		v, err := g.value(s, 0, "")
		if err == nil {
			if err = d.validateFor(s.Value, v, o.Direction); err != nil {
				err = errors.New(describeInvalid(err))
			}
		}
		if err == nil {
			return v, nil
		}
		last = err
	}
	return nil, fmt.Errorf("%s: cannot synthesize a valid %s value: %w", d.schemaName(s), o.Direction, last)
}

// validateFor checks v against s as a request or response value: kin-openapi then excuses a
// missing required readOnly property in a request (writeOnly in a response), as it does when it
// validates real exchanges.
func (d *Document) validateFor(s *openapi3.Schema, v any, dir Direction) error {
	opts := append([]openapi3.SchemaValidationOption{openapi3.MultiErrors()}, d.options.SchemaValidationOptions...)
	if dir == Request {
		opts = append(opts, openapi3.VisitAsRequest())
	} else {
		opts = append(opts, openapi3.VisitAsResponse())
	}
	if d.T.IsOpenAPI31OrLater() {
		opts = append(opts, openapi3.EnableJSONSchema2020())
	}
	return s.VisitJSON(v, opts...)
}

// describeInvalid says which places of a synthesized value break their schema and why, built
// from the schema errors' pointers and rules so that no value is quoted. An allOf failure is
// described by the failures of its branches, which name the actual rule.
func describeInvalid(err error) string {
	var msgs []string
	collectInvalid(err, nil, &msgs)
	slices.Sort(msgs)
	return strings.Join(slices.Compact(msgs), "; ")
}

func collectInvalid(err error, prefix []string, msgs *[]string) {
	for _, e := range flatten(err) {
		var se *openapi3.SchemaError
		if !errors.As(e, &se) {
			*msgs = append(*msgs, "value is invalid")
			continue
		}
		at := append(slices.Clone(prefix), se.JSONPointer()...)
		if se.SchemaField == "allOf" {
			var nested openapi3.MultiError
			if errors.As(se.Origin, &nested) {
				collectInvalid(nested, at, msgs)
				continue
			}
		}
		reason := schemaReason(se)
		if se.SchemaField == "properties" && strings.HasSuffix(se.Reason, "is unsupported") {
			reason = "has a property that additionalProperties does not allow"
		}
		if strings.Contains(reason, "'") {
			// JSON Schema 2020-12 validation (OpenAPI 3.1) words its reasons with the
			// offending value in single quotes ("'x' does not match pattern ..."): say which
			// keyword failed instead.
			reason = "is invalid (" + cmp.Or(se.SchemaField, "JSON Schema") + ")"
		}
		*msgs = append(*msgs, place(Pointer(at))+" "+reason)
	}
}

// schemaName names a schema in errors: its $ref, else the file and line it was declared at,
// else (for a document loaded without positions) its JSON pointer in the document.
func (d *Document) schemaName(s *openapi3.SchemaRef) string {
	if s.Ref != "" {
		return "schema " + s.Ref
	}
	if o := s.Value.Origin; o != nil && o.Key != nil && o.Key.Line > 0 {
		return fmt.Sprintf("schema at %s:%d", d.Source, o.Key.Line)
	}
	if at, ok := d.schemaPointer(s.Value); ok {
		return fmt.Sprintf("schema %s in %s", at, d.Source)
	}
	return "inline schema in " + d.Source
}

// synth is one attempt at synthesizing a value.
type synth struct {
	d         *Document
	o         SynthOptions
	canonical bool
	rng       *rand.Rand
	// active counts, per schema, how many of its values are being built right now: a count
	// above one means the schema recurses, and the value stops growing there.
	active map[*openapi3.Schema]int
	// flat caches the allOf-merged form of schemas.
	flat map[*openapi3.Schema]*openapi3.Schema
}

func (g *synth) value(ref *openapi3.SchemaRef, depth int, at string) (any, error) {
	if ref == nil || ref.Value == nil {
		return g.words(0, -1), nil
	}
	s := ref.Value
	if depth > maxSynthDepth {
		return nil, fmt.Errorf("%s: values nest deeper than %d levels: required properties or minItems recurse without end", place(at), maxSynthDepth)
	}
	if s.Always != nil {
		if !*s.Always {
			return nil, fmt.Errorf("%s: the schema is false and admits no value", place(at))
		}
		return g.words(0, -1), nil
	}
	if s.Const != nil {
		return jsonCopy(s.Const), nil
	}
	if g.allowsNull(s) && !g.canonical && g.rng.IntN(8) == 0 {
		return nil, nil
	}
	if len(s.Enum) > 0 {
		return g.enum(s, at)
	}
	if v, ok := g.documented(s); ok {
		return v, nil
	}
	if len(s.AllOf) > 0 {
		return g.value(&openapi3.SchemaRef{Ref: ref.Ref, Value: g.flatten(s)}, depth, at)
	}
	if len(s.OneOf) > 0 {
		return g.choice(ref, s.OneOf, depth, at)
	}
	if len(s.AnyOf) > 0 {
		return g.choice(ref, s.AnyOf, depth, at)
	}
	g.active[s]++
	defer func() { g.active[s]-- }()
	switch typ := g.pickType(s); typ {
	case openapi3.TypeNull:
		return nil, nil
	case openapi3.TypeBoolean:
		return g.canonical || g.rng.IntN(2) == 0, nil
	case openapi3.TypeInteger, openapi3.TypeNumber:
		return g.number(s, typ == openapi3.TypeInteger, at)
	case openapi3.TypeArray:
		return g.array(s, depth, at)
	case openapi3.TypeObject:
		return g.object(ref, s, depth, at)
	default:
		return g.str(s, at)
	}
}

// place names a JSON pointer in an error.
func place(at string) string {
	if at == "" {
		return "value"
	}
	return "value field " + at
}

// allowsNull reports whether null is a valid value of s: OpenAPI 3.0's nullable, 3.1's type
// arrays with "null", or null listed in the enum.
func (g *synth) allowsNull(s *openapi3.Schema) bool {
	if s.Type.IncludesNull() || slices.Contains(s.Enum, nil) {
		return true
	}
	return s.Nullable && !g.d.T.IsOpenAPI31OrLater()
}

func (g *synth) enum(s *openapi3.Schema, at string) (any, error) {
	var choices []any
	for _, v := range s.Enum {
		if v != nil || g.allowsNull(s) {
			choices = append(choices, v)
		}
	}
	if len(choices) == 0 {
		return nil, fmt.Errorf("%s: the enum lists no usable value", place(at))
	}
	if g.canonical {
		return jsonCopy(choices[0]), nil
	}
	return jsonCopy(choices[g.rng.IntN(len(choices))]), nil
}

// documented returns the schema's own example or default when one is valid in this direction:
// always first for the canonical value, one time in four otherwise, so seeded values stay
// close to what the document's authors wrote without losing variety.
func (g *synth) documented(s *openapi3.Schema) (any, bool) {
	var candidates []any
	if s.Example != nil {
		candidates = append(candidates, s.Example)
	}
	candidates = append(candidates, s.Examples...)
	if s.Default != nil {
		candidates = append(candidates, s.Default)
	}
	if len(candidates) == 0 {
		return nil, false
	}
	if !g.canonical {
		if g.rng.IntN(4) != 0 {
			return nil, false
		}
		c := candidates[g.rng.IntN(len(candidates))]
		candidates = []any{c}
	}
	for _, c := range candidates {
		v := jsonCopy(c)
		if g.d.validateFor(s, v, g.o.Direction) == nil {
			return v, true
		}
	}
	return nil, false
}

// choice builds a value for oneOf or anyOf: it tries the branches (in a seeded order) until one
// gives a value valid against the whole schema, which for oneOf means matching exactly one
// branch. With a discriminator, the branch's mapping value is written into the property.
func (g *synth) choice(ref *openapi3.SchemaRef, branches openapi3.SchemaRefs, depth int, at string) (any, error) {
	s := ref.Value
	order := make([]int, len(branches))
	for i := range order {
		order[i] = i
	}
	if !g.canonical {
		g.rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	}
	siblings := *s
	siblings.OneOf, siblings.AnyOf, siblings.Discriminator = nil, nil, nil
	siblings.Example, siblings.Examples, siblings.Default = nil, nil, nil
	hasSiblings := !siblings.Type.IsEmpty() || len(siblings.Properties) > 0 || len(siblings.Required) > 0
	var errs []error
	for _, i := range order {
		b := branches[i]
		if b == nil || b.Value == nil {
			continue
		}
		branch := b
		if hasSiblings {
			branch = &openapi3.SchemaRef{Ref: b.Ref, Value: &openapi3.Schema{AllOf: openapi3.SchemaRefs{{Value: &siblings}, b}}}
		}
		v, err := g.value(branch, depth, at)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if disc := s.Discriminator; disc != nil {
			if obj, ok := v.(map[string]any); ok {
				if name, ok := discriminatorValue(disc, b.Ref); ok {
					obj[disc.PropertyName] = name
				}
			}
		}
		if err := g.d.validateFor(s, v, g.o.Direction); err != nil {
			errs = append(errs, fmt.Errorf("%s: branch %d: %s", place(at), i, describeInvalid(err)))
			continue
		}
		return v, nil
	}
	if len(errs) == 0 {
		return nil, fmt.Errorf("%s: no oneOf/anyOf branch has a schema", place(at))
	}
	return nil, errors.Join(errs...)
}

// discriminatorValue returns the value a discriminator property takes for the schema at ref:
// the mapping key that points at it, else the schema's name (the last segment of the $ref),
// which is what OpenAPI prescribes without a mapping. (kin-openapi rejects a name that a
// partial mapping does not list; the value then fails validation and another branch is tried.)
func discriminatorValue(disc *openapi3.Discriminator, ref string) (string, bool) {
	if ref == "" {
		return "", false
	}
	for _, k := range sortedKeys(disc.Mapping) {
		target := disc.Mapping[k].Ref
		if !strings.Contains(target, "/") {
			// A mapping may name a schema instead of giving a $ref.
			target = "#/components/schemas/" + target
		}
		if target == ref {
			return k, true
		}
	}
	return ref[strings.LastIndex(ref, "/")+1:], true
}

// pickType chooses which JSON type to produce: one of the declared (non-null) types, or the
// one the schema's keywords imply when it declares none.
func (g *synth) pickType(s *openapi3.Schema) string {
	var types []string
	for _, t := range s.Type.Slice() {
		if t != openapi3.TypeNull {
			types = append(types, t)
		}
	}
	switch {
	case len(types) == 1:
		return types[0]
	case len(types) > 1:
		if g.canonical {
			return types[0]
		}
		return types[g.rng.IntN(len(types))]
	case s.Type.IncludesNull():
		return openapi3.TypeNull
	case len(s.Properties) > 0 || s.AdditionalProperties.Schema != nil || len(s.Required) > 0 || s.MinProps > 0:
		return openapi3.TypeObject
	case s.Items != nil || len(s.PrefixItems) > 0 || s.MinItems > 0:
		return openapi3.TypeArray
	case s.Min != nil || s.Max != nil || s.MultipleOf != nil:
		return openapi3.TypeNumber
	}
	// A schema that only says what a value is not ({not: {type: string}}) gets the first
	// JSON type its `not` leaves open.
	if n := s.Not; n != nil && n.Value != nil && !n.Value.Type.IsEmpty() {
		for _, t := range []string{openapi3.TypeString, openapi3.TypeInteger, openapi3.TypeBoolean, openapi3.TypeObject, openapi3.TypeArray} {
			if !n.Value.Type.Permits(t) {
				return t
			}
		}
	}
	return openapi3.TypeString
}

// flatten merges a schema's allOf branches (recursively) into one schema, so that an object
// built from it has the properties and required lists of all of them.
func (g *synth) flatten(s *openapi3.Schema) *openapi3.Schema {
	if m, ok := g.flat[s]; ok {
		return m
	}
	out := *s
	out.AllOf = nil
	out.Properties = make(openapi3.Schemas, len(s.Properties))
	for k, v := range s.Properties {
		out.Properties[k] = v
	}
	out.Required = slices.Clone(s.Required)
	g.flat[s] = &out
	for _, b := range s.AllOf {
		if b != nil && b.Value != nil {
			mergeSchema(&out, g.flatten(b.Value))
		}
	}
	return &out
}

// mergeSchema narrows dst by the constraints of src, as allOf requires a value to satisfy both.
// Where two constraints cannot be combined into one keyword (two patterns, two multipleOf),
// dst keeps its own and the final validation decides.
func mergeSchema(dst, src *openapi3.Schema) {
	if dst.Type.IsEmpty() {
		dst.Type = src.Type
	} else if !src.Type.IsEmpty() {
		var both openapi3.Types
		for _, t := range dst.Type.Slice() {
			if src.Type.Includes(t) || (t == openapi3.TypeInteger && src.Type.Includes(openapi3.TypeNumber)) {
				both = append(both, t)
			} else if t == openapi3.TypeNumber && src.Type.Includes(openapi3.TypeInteger) {
				both = append(both, openapi3.TypeInteger)
			}
		}
		dst.Type = &both
	}
	dst.Nullable = dst.Nullable && src.Nullable
	if dst.Format == "" {
		dst.Format = src.Format
	}
	if dst.Pattern == "" {
		dst.Pattern = src.Pattern
	}
	if dst.Const == nil {
		dst.Const = src.Const
	}
	switch {
	case len(dst.Enum) == 0:
		dst.Enum = src.Enum
	case len(src.Enum) > 0:
		dst.Enum = slices.DeleteFunc(slices.Clone(dst.Enum), func(v any) bool {
			return !slices.ContainsFunc(src.Enum, func(w any) bool { return reflect.DeepEqual(jsonCopy(v), jsonCopy(w)) })
		})
	}
	if src.Min != nil && (dst.Min == nil || *src.Min > *dst.Min) {
		dst.Min, dst.ExclusiveMin.Bool = src.Min, src.ExclusiveMin.Bool
	}
	if src.Max != nil && (dst.Max == nil || *src.Max < *dst.Max) {
		dst.Max, dst.ExclusiveMax.Bool = src.Max, src.ExclusiveMax.Bool
	}
	if src.ExclusiveMin.Value != nil && (dst.ExclusiveMin.Value == nil || *src.ExclusiveMin.Value > *dst.ExclusiveMin.Value) {
		dst.ExclusiveMin.Value = src.ExclusiveMin.Value
	}
	if src.ExclusiveMax.Value != nil && (dst.ExclusiveMax.Value == nil || *src.ExclusiveMax.Value < *dst.ExclusiveMax.Value) {
		dst.ExclusiveMax.Value = src.ExclusiveMax.Value
	}
	if dst.MultipleOf == nil {
		dst.MultipleOf = src.MultipleOf
	}
	dst.MinLength = max(dst.MinLength, src.MinLength)
	dst.MaxLength = minPtr(dst.MaxLength, src.MaxLength)
	dst.MinItems = max(dst.MinItems, src.MinItems)
	dst.MaxItems = minPtr(dst.MaxItems, src.MaxItems)
	dst.MinProps = max(dst.MinProps, src.MinProps)
	dst.MaxProps = minPtr(dst.MaxProps, src.MaxProps)
	dst.UniqueItems = dst.UniqueItems || src.UniqueItems
	dst.ReadOnly = dst.ReadOnly || src.ReadOnly
	dst.WriteOnly = dst.WriteOnly || src.WriteOnly
	switch {
	case dst.Items == nil:
		dst.Items = src.Items
	case src.Items != nil && src.Items != dst.Items:
		dst.Items = &openapi3.SchemaRef{Value: &openapi3.Schema{AllOf: openapi3.SchemaRefs{dst.Items, src.Items}}}
	}
	for _, r := range src.Required {
		if !slices.Contains(dst.Required, r) {
			dst.Required = append(dst.Required, r)
		}
	}
	for k, p := range src.Properties {
		switch have := dst.Properties[k]; {
		case have == nil:
			dst.Properties[k] = p
		case have != p:
			dst.Properties[k] = &openapi3.SchemaRef{Value: &openapi3.Schema{AllOf: openapi3.SchemaRefs{have, p}}}
		}
	}
	switch ap := src.AdditionalProperties; {
	case ap.Has != nil && !*ap.Has:
		dst.AdditionalProperties = ap
	case dst.AdditionalProperties.Has == nil && dst.AdditionalProperties.Schema == nil:
		dst.AdditionalProperties = ap
	}
	if dst.Discriminator == nil {
		dst.Discriminator = src.Discriminator
	}
	// 3.1 keywords: where both schemas give one, dst keeps its own and the final validation
	// decides; maps are merged into copies, as dst shares them with the document.
	if dst.Contains == nil {
		dst.Contains, dst.MinContains = src.Contains, src.MinContains
	}
	if dst.PropertyNames == nil {
		dst.PropertyNames = src.PropertyNames
	}
	if len(src.DependentRequired) > 0 {
		merged := maps.Clone(dst.DependentRequired)
		if merged == nil {
			merged = map[string][]string{}
		}
		for k, v := range src.DependentRequired {
			merged[k] = append(slices.Clone(merged[k]), v...)
		}
		dst.DependentRequired = merged
	}
	if len(src.PatternProperties) > 0 {
		merged := maps.Clone(dst.PatternProperties)
		if merged == nil {
			merged = openapi3.Schemas{}
		}
		for k, v := range src.PatternProperties {
			if _, have := merged[k]; !have {
				merged[k] = v
			}
		}
		dst.PatternProperties = merged
	}
	if len(dst.OneOf) == 0 {
		dst.OneOf = src.OneOf
	}
	if len(dst.AnyOf) == 0 {
		dst.AnyOf = src.AnyOf
	}
}

func minPtr(a, b *uint64) *uint64 {
	if a == nil || (b != nil && *b < *a) {
		return b
	}
	return a
}

// excluded reports whether a property is left out in this direction.
func (g *synth) excluded(p *openapi3.SchemaRef) bool {
	if p == nil || p.Value == nil {
		return false
	}
	if g.o.Direction == Request {
		return p.Value.ReadOnly
	}
	return p.Value.WriteOnly
}

func (g *synth) object(ref *openapi3.SchemaRef, s *openapi3.Schema, depth int, at string) (map[string]any, error) {
	out := map[string]any{}
	shallow := depth >= shallowDepth || g.active[s] > 1
	limit := math.MaxInt
	if s.MaxProps != nil {
		limit = int(*s.MaxProps)
	}
	// kin-openapi excuses a missing required readOnly (writeOnly) property only in OpenAPI 3.0;
	// JSON Schema 2020-12 validation of 3.1 documents still requires it.
	excuseRequired := !g.d.T.IsOpenAPI31OrLater()
	add := func(name string, p *openapi3.SchemaRef) error {
		v, err := g.value(p, depth+1, at+"/"+escapePointer(name))
		if err != nil {
			return err
		}
		out[name] = v
		return nil
	}
	for _, name := range s.Required {
		if _, done := out[name]; done {
			continue
		}
		p := s.Properties[name]
		if p == nil {
			p = s.AdditionalProperties.Schema
		}
		if g.excluded(p) && excuseRequired {
			continue
		}
		if err := add(name, p); err != nil {
			return nil, err
		}
	}
	for _, name := range sortedKeys(s.Properties) {
		p := s.Properties[name]
		if _, done := out[name]; done || g.excluded(p) || len(out) >= limit {
			continue
		}
		wanted := !shallow && (g.canonical || g.o.AllOptional || g.rng.IntN(2) == 0)
		if wanted || len(out) < int(s.MinProps) {
			if err := add(name, p); err != nil {
				return nil, err
			}
		}
	}
	if err := g.dependents(s, out, add); err != nil {
		return nil, err
	}
	if err := g.additional(s, out, shallow, limit, depth, at); err != nil {
		return nil, err
	}
	// A schema that inherits a discriminator through allOf (Cat: allOf [Pet, ...]) names
	// itself in the discriminator property.
	if disc := s.Discriminator; disc != nil && len(s.OneOf) == 0 && len(s.AnyOf) == 0 {
		if name, ok := discriminatorValue(disc, ref.Ref); ok {
			if p := s.Properties[disc.PropertyName]; p != nil && p.Value != nil && (len(p.Value.Enum) == 0 || slices.Contains(p.Value.Enum, any(name))) {
				out[disc.PropertyName] = name
			}
		}
	}
	return out, nil
}

// additional adds entries under generated keys when the schema is a map (additionalProperties
// with a schema and no properties) or when minProperties asks for more than the declared
// properties give.
func (g *synth) additional(s *openapi3.Schema, out map[string]any, shallow bool, limit, depth int, at string) error {
	ap := s.AdditionalProperties
	allowed := ap.Has == nil || *ap.Has || ap.Schema != nil
	want := int(s.MinProps)
	if ap.Schema != nil && len(s.Properties) == 0 && !shallow {
		want = max(want, len(out)+1+g.rng.IntN(2))
	}
	want = min(want, limit)
	patterns := sortedKeys(s.PatternProperties)
	for i := 0; len(out) < want; i++ {
		if i > 8*want+16 {
			return fmt.Errorf("%s: cannot find %d distinct property names", place(at), want)
		}
		key, schema := "", ap.Schema
		switch {
		case !allowed && len(patterns) > 0:
			// A closed object with patternProperties (3.1) takes names that match one.
			pattern := patterns[i%len(patterns)]
			k, err := patternString(pattern, g.rng, 0, -1)
			if err != nil {
				return fmt.Errorf("%s: patternProperties: %w", place(at), err)
			}
			key, schema = k, s.PatternProperties[pattern]
		case !allowed:
			return fmt.Errorf("%s: minProperties is %d but the object allows only %d properties", place(at), s.MinProps, len(out))
		default:
			key = g.propertyName(s, i)
		}
		if _, taken := out[key]; taken {
			continue
		}
		v, err := g.value(schema, depth+1, at+"/"+escapePointer(key))
		if err != nil {
			return err
		}
		out[key] = v
	}
	return nil
}

// propertyName makes the i-th generated name of a map: a value of the propertyNames schema
// (3.1) when the document constrains names, else a word, numbered after the first so that
// names stay distinct.
func (g *synth) propertyName(s *openapi3.Schema, i int) string {
	if pn := s.PropertyNames; pn != nil && pn.Value != nil {
		if v, err := g.value(pn, 0, ""); err == nil {
			if name, ok := v.(string); ok {
				return name
			}
		}
	}
	if i == 0 {
		return g.word()
	}
	return fmt.Sprintf("%s-%d", g.word(), i)
}

// dependents adds the properties that dependentRequired (3.1) asks for once the properties
// it names are present, until no more are missing.
func (g *synth) dependents(s *openapi3.Schema, out map[string]any, add func(string, *openapi3.SchemaRef) error) error {
	for changed := true; changed; {
		changed = false
		for _, name := range sortedKeys(s.DependentRequired) {
			if _, present := out[name]; !present {
				continue
			}
			for _, dep := range s.DependentRequired[name] {
				if _, done := out[dep]; done {
					continue
				}
				p := s.Properties[dep]
				if p == nil {
					p = s.AdditionalProperties.Schema
				}
				if err := add(dep, p); err != nil {
					return err
				}
				changed = true
			}
		}
	}
	return nil
}

// contain makes an array hold at least minContains (default 1) items valid against its
// contains schema (3.1): it appends items built from both items and contains, or, when
// maxItems leaves no room, replaces trailing items that do not match.
func (g *synth) contain(s *openapi3.Schema, out []any, depth int, at string) ([]any, error) {
	c := s.Contains
	if c == nil || c.Value == nil {
		return out, nil
	}
	want := 1
	if s.MinContains != nil {
		want = int(*s.MinContains)
	}
	matches := func(v any) bool { return g.d.validateFor(c.Value, v, g.o.Direction) == nil }
	have := 0
	for _, v := range out {
		if matches(v) {
			have++
		}
	}
	both := &openapi3.SchemaRef{Value: &openapi3.Schema{AllOf: openapi3.SchemaRefs{c}}}
	if s.Items != nil {
		both.Value.AllOf = append(both.Value.AllOf, s.Items)
	}
	for pos := len(out) - 1; have < want; have++ {
		v, err := g.value(both, depth+1, fmt.Sprintf("%s/%d", at, len(out)))
		if err != nil {
			return nil, err
		}
		if s.MaxItems == nil || len(out) < int(*s.MaxItems) {
			out = append(out, v)
			continue
		}
		for pos >= len(s.PrefixItems) && matches(out[pos]) {
			pos--
		}
		if pos < len(s.PrefixItems) {
			return nil, fmt.Errorf("%s: maxItems leaves no room for %d items matching contains", place(at), want)
		}
		out[pos] = v
		pos--
	}
	return out, nil
}

// pointerEscaper escapes a JSON pointer token (RFC 6901). It is built once: a Replacer builds
// its tables on first use, which cost a third of a synthesis when done per property.
var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

// escapePointer escapes s for use as one token of a JSON pointer.
func escapePointer(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return pointerEscaper.Replace(s)
}

func (g *synth) array(s *openapi3.Schema, depth int, at string) ([]any, error) {
	lo := int(s.MinItems)
	hi := lo + extraItems
	if s.MaxItems != nil {
		hi = min(hi, int(*s.MaxItems))
	}
	if hi < lo {
		return nil, fmt.Errorf("%s: minItems %d exceeds maxItems %d", place(at), lo, hi)
	}
	n := lo
	shallow := depth >= shallowDepth || g.active[s] > 1
	switch {
	case shallow:
	case g.canonical:
		n = max(lo, min(1, hi))
	default:
		n = max(lo, min(1, hi)) + g.rng.IntN(hi-max(lo, min(1, hi))+1)
	}
	out := make([]any, 0, n)
	seen := map[string]bool{}
	for misses := 0; len(out) < n; {
		var item *openapi3.SchemaRef
		switch idx := len(out); {
		case idx < len(s.PrefixItems):
			item = s.PrefixItems[idx]
		default:
			item = s.Items
		}
		v, err := g.value(item, depth+1, fmt.Sprintf("%s/%d", at, len(out)))
		if err != nil {
			return nil, err
		}
		if s.UniqueItems {
			key, _ := json.Marshal(v)
			if seen[string(key)] {
				misses++
				if misses > 8*(n+1) {
					if len(out) >= lo {
						break
					}
					return nil, fmt.Errorf("%s: cannot find %d distinct items for uniqueItems", place(at), lo)
				}
				continue
			}
			seen[string(key)] = true
		}
		out = append(out, v)
	}
	return g.contain(s, out, depth, at)
}

func (g *synth) number(s *openapi3.Schema, integer bool, at string) (float64, error) {
	lo, hi := math.Inf(-1), math.Inf(1)
	loEx, hiEx := false, false
	if s.Min != nil {
		lo, loEx = *s.Min, s.ExclusiveMin.IsTrue()
	}
	if s.Max != nil {
		hi, hiEx = *s.Max, s.ExclusiveMax.IsTrue()
	}
	if v := s.ExclusiveMin.Value; v != nil && *v >= lo {
		lo, loEx = *v, true
	}
	if v := s.ExclusiveMax.Value; v != nil && *v <= hi {
		hi, hiEx = *v, true
	}
	switch s.Format {
	case "int32":
		lo, hi = math.Max(lo, math.MinInt32), math.Min(hi, math.MaxInt32)
	case "int64":
		lo, hi = math.Max(lo, -(1<<53)), math.Min(hi, 1<<53)
	}
	// Keep values small: draw from a window of numberWindow inside the allowed range,
	// preferring positive numbers when the range allows them.
	switch {
	case math.IsInf(lo, -1) && math.IsInf(hi, 1):
		lo, hi = 1, numberWindow
	case math.IsInf(lo, -1) && hi > 1:
		lo, loEx = math.Max(1, hi-numberWindow), false
	case math.IsInf(lo, -1):
		lo, loEx = hi-numberWindow, false
	case math.IsInf(hi, 1):
		hi, hiEx = math.Max(lo+numberWindow, numberWindow), false
	}
	if hi-lo > numberWindow {
		switch {
		case lo <= 1 && hi >= numberWindow:
			if lo < 1 {
				lo, loEx = 1, false
			}
			hi, hiEx = numberWindow, false
		case hi < numberWindow:
			lo, loEx = hi-numberWindow, false
		default:
			hi, hiEx = lo+numberWindow, false
		}
	}
	if m := s.MultipleOf; m != nil && *m > 0 {
		step := *m
		if integer && step != math.Trunc(step) {
			// A multiple of 0.5 that must be an integer is a multiple of 1 (of 2 for 0.25...):
			// step up to the smallest integral multiple.
			for k := 2.0; k <= 1024; k++ {
				if v := step * k; v == math.Trunc(v) {
					step = v
					break
				}
			}
		}
		klo, khi := math.Ceil(lo/step), math.Floor(hi/step)
		if loEx && klo*step <= lo {
			klo++
		}
		if hiEx && khi*step >= hi {
			khi--
		}
		if klo > khi {
			return 0, fmt.Errorf("%s: no multiple of %g lies between the bounds", place(at), *m)
		}
		k, ok := g.drawInt(klo, khi)
		if !ok {
			return 0, fmt.Errorf("%s: multipleOf %g is too small for the bounds", place(at), *m)
		}
		return k * step, nil
	}
	if integer {
		ilo, ihi := math.Ceil(lo), math.Floor(hi)
		if loEx && ilo == lo {
			ilo++
		}
		if hiEx && ihi == hi {
			ihi--
		}
		if ilo > ihi {
			return 0, fmt.Errorf("%s: no integer lies between the bounds", place(at))
		}
		v, ok := g.drawInt(ilo, ihi)
		if !ok {
			return 0, fmt.Errorf("%s: no integer lies between the bounds", place(at))
		}
		return v, nil
	}
	v := math.Round((lo+(hi-lo)*g.rng.Float64())*100) / 100
	if v < lo || v > hi || (loEx && v == lo) || (hiEx && v == hi) {
		v = lo + (hi-lo)/2
	}
	if (loEx && v == lo) || (hiEx && v == hi) || v < lo || v > hi {
		return 0, fmt.Errorf("%s: no number lies between the bounds", place(at))
	}
	return v, nil
}

// drawInt returns an integer in [lo, hi], both integral with lo <= hi. A span wider than 2^53
// (a tiny multipleOf over a wide range) is drawn from its first 2^53 values, as float64 cannot
// tell more apart and int64 would overflow; infinite bounds give false.
func (g *synth) drawInt(lo, hi float64) (float64, bool) {
	span := hi - lo
	if math.IsInf(lo, 0) || math.IsInf(hi, 0) || math.IsNaN(span) || span < 0 {
		return 0, false
	}
	span = math.Min(span, 1<<53)
	return lo + float64(g.rng.Int64N(int64(span)+1)), true
}

func (g *synth) str(s *openapi3.Schema, at string) (string, error) {
	minLen, maxLen := int(s.MinLength), -1
	if s.MaxLength != nil {
		maxLen = int(*s.MaxLength)
	}
	if maxLen >= 0 && maxLen < minLen {
		return "", fmt.Errorf("%s: minLength %d exceeds maxLength %d", place(at), minLen, maxLen)
	}
	if gen, ok := formats[s.Format]; ok {
		// A format value is tried a few times (a pattern may narrow the format, as
		// '^2020' does a date-time), then in its shortest form (for a tight maxLength),
		// before the pattern alone decides.
		for try := range formatTries + 1 {
			v := gen(g)
			if try == formatTries {
				if short, ok := shortFormats[s.Format]; ok {
					v = short
				}
			}
			fits := utf16Len(v) >= minLen && (maxLen < 0 || utf16Len(v) <= maxLen)
			if fits && (s.Pattern == "" || matchesPattern(s.Pattern, v)) {
				return v, nil
			}
		}
	}
	if s.Pattern != "" {
		v, err := patternString(s.Pattern, g.rng, minLen, maxLen)
		if err != nil {
			return "", fmt.Errorf("%s: %w", place(at), err)
		}
		return v, nil
	}
	return g.words(minLen, maxLen), nil
}

// vocabulary gives plain strings and map keys a readable look.
var vocabulary = []string{
	"amber", "birch", "cedar", "delta", "ember", "fjord", "grove", "harbor", "iris", "juniper",
	"kestrel", "lumen", "maple", "nectar", "orbit", "pebble", "quartz", "river", "sierra",
	"tundra", "umber", "violet", "willow", "yarrow", "zephyr",
}

func (g *synth) word() string {
	if g.canonical {
		return vocabulary[0]
	}
	return vocabulary[g.rng.IntN(len(vocabulary))]
}

// words returns one or two words, padded with letters or cut to fit the length bounds.
func (g *synth) words(minLen, maxLen int) string {
	v := g.word()
	if !g.canonical && g.rng.IntN(2) == 0 {
		v += "-" + g.word()
	}
	if len(v) < minLen {
		var b strings.Builder
		b.WriteString(v)
		for b.Len() < minLen {
			b.WriteByte(byte('a' + g.rng.IntN(26)))
		}
		v = b.String()
	}
	if maxLen >= 0 && len(v) > maxLen {
		v = v[:maxLen]
	}
	return v
}

func utf16Len(s string) int { return len(utf16.Encode([]rune(s))) }

// formats generates strings of the formats the validator enforces, plus the common ones it
// does not (a value of those is still realistic for a reader).
var formats = map[string]func(*synth) string{
	"date":      func(g *synth) string { return g.instant().Format(time.DateOnly) },
	"date-time": func(g *synth) string { return g.instant().Format(time.RFC3339) },
	"time":      func(g *synth) string { return g.instant().Format("15:04:05Z07:00") },
	"uuid": func(g *synth) string {
		var b [16]byte
		for i := range b {
			b[i] = byte(g.rng.Uint32())
		}
		b[6] = b[6]&0x0f | 0x40
		b[8] = b[8]&0x3f | 0x80
		return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
	},
	"email":         func(g *synth) string { return g.word() + "." + g.word() + "@example.com" },
	"idn-email":     func(g *synth) string { return g.word() + "@example.com" },
	"uri":           func(g *synth) string { return "https://" + g.word() + ".example.com/" + g.word() },
	"url":           func(g *synth) string { return "https://" + g.word() + ".example.com/" + g.word() },
	"iri":           func(g *synth) string { return "https://" + g.word() + ".example.com/" + g.word() },
	"uri-reference": func(g *synth) string { return "/" + g.word() + "/" + g.word() },
	"uri-template":  func(g *synth) string { return "https://example.com/" + g.word() + "/{id}" },
	"hostname":      func(g *synth) string { return g.word() + ".example.com" },
	"idn-hostname":  func(g *synth) string { return g.word() + ".example.com" },
	// ipv4 and ipv6 use the documentation ranges (RFC 5737, RFC 3849).
	"ipv4":     func(g *synth) string { return fmt.Sprintf("192.0.2.%d", 1+g.rng.IntN(254)) },
	"ipv6":     func(g *synth) string { return fmt.Sprintf("2001:db8::%x", 1+g.rng.IntN(0xfffe)) },
	"byte":     func(g *synth) string { return base64.StdEncoding.EncodeToString([]byte(g.word())) },
	"password": func(g *synth) string { return g.token(16) },
	"duration": func(g *synth) string { return fmt.Sprintf("PT%dM", 1+g.rng.IntN(59)) },
}

// formatTries is how many values of a format are drawn before its short form is tried.
const formatTries = 8

// shortFormats are the shortest realistic values of formats whose usual values run long,
// for schemas that pair the format with a small maxLength.
var shortFormats = map[string]string{
	"email":         "a@b.io",
	"idn-email":     "a@b.io",
	"uri":           "urn:a",
	"url":           "http://a.io",
	"iri":           "urn:a",
	"uri-reference": "a",
	"hostname":      "a.io",
	"idn-hostname":  "a.io",
	"ipv6":          "::1",
}

// instant returns a moment in 2020-2025, whole seconds, UTC.
func (g *synth) instant() time.Time {
	start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	if g.canonical {
		return start.Add(1234567 * time.Second)
	}
	return start.Add(time.Duration(g.rng.Int64N(6*365*24*3600)) * time.Second)
}

func (g *synth) token(n int) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[g.rng.IntN(len(alphabet))]
	}
	return string(b)
}

// jsonCopy returns v as encoding/json decodes it (float64 numbers, fresh maps and slices), so a
// value taken from the document can be handed out without sharing its memory.
func jsonCopy(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var out any
	if json.Unmarshal(b, &out) != nil {
		return v
	}
	return out
}

// codepointEscape matches the \uXXXX escapes of ECMA-262 patterns, which Go's regexp spells
// \x{XXXX}; kin-openapi rewrites them the same way before it compiles a pattern.
var codepointEscape = regexp.MustCompile(`\\u(?P<code>[0-9A-Fa-f]{4})`)

func goPattern(pattern string) string {
	return codepointEscape.ReplaceAllString(pattern, `\x{${code}}`)
}

func matchesPattern(pattern, v string) bool {
	re, err := regexp.Compile(goPattern(pattern))
	return err == nil && re.MatchString(v)
}

// patternString returns a string that pattern matches, with a UTF-16 length in [minLen,
// maxLen] (maxLen < 0: no upper bound). It walks the parsed regex, choosing alternatives and
// repeat counts with rng and characters from each class (letters and digits first, so values
// are safe in URLs), then checks the result with the regexp package; a few walks with growing
// repeat counts are tried before it reports failure.
func patternString(pattern string, rng *rand.Rand, minLen, maxLen int) (string, error) {
	gp := goPattern(pattern)
	check, err := regexp.Compile(gp)
	if err != nil {
		return "", fmt.Errorf("pattern %q does not compile: %w", pattern, err)
	}
	re, err := syntax.Parse(gp, syntax.Perl)
	if err != nil {
		return "", fmt.Errorf("pattern %q does not parse: %w", pattern, err)
	}
	re = re.Simplify()
	prog, err := syntax.Compile(re)
	if err != nil {
		return "", fmt.Errorf("pattern %q does not compile: %w", pattern, err)
	}
	// Checking a candidate costs about its length times the program's size: a budget keeps
	// a pathological pattern (nested repeats of large classes) from taking seconds.
	budget := matchBudget
	classes := map[*syntax.Regexp][]rune{}
	for try := range 24 {
		w := &regexWalker{rng: rng, minLen: minLen, maxLen: maxLen, repeats: extraItems + try, classes: classes}
		w.walk(re)
		if w.failed {
			continue
		}
		v := w.b.String()
		n := utf16Len(v)
		if n < minLen || (maxLen >= 0 && n > maxLen) {
			continue
		}
		if budget -= (len(v) + 1) * len(prog.Inst); budget < 0 {
			break
		}
		if check.MatchString(v) {
			return v, nil
		}
	}
	if maxLen >= 0 || minLen > 0 {
		return "", fmt.Errorf("found no string matching pattern %q with a length between %d and %d", pattern, minLen, maxLen)
	}
	return "", fmt.Errorf("found no string matching pattern %q", pattern)
}

type regexWalker struct {
	rng            *rand.Rand
	b              strings.Builder
	n              int // UTF-16 length written so far
	minLen, maxLen int
	repeats        int
	steps          int
	failed         bool
	// classes caches bestTier per character class of the pattern, across tries.
	classes map[*syntax.Regexp][]rune
}

func (w *regexWalker) write(r rune) {
	w.b.WriteRune(r)
	w.n += utf16.RuneLen(r)
	if w.n > maxPatternLength {
		w.failed = true
	}
}

func (w *regexWalker) walk(re *syntax.Regexp) {
	if w.failed {
		return
	}
	if w.steps++; w.steps > maxPatternSteps {
		w.failed = true
		return
	}
	switch re.Op {
	case syntax.OpNoMatch:
		w.failed = true
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			w.write(r)
		}
	case syntax.OpCharClass:
		ranges, ok := w.classes[re]
		if !ok {
			ranges = bestTier(re.Rune)
			w.classes[re] = ranges
		}
		if len(ranges) == 0 {
			w.failed = true
		} else {
			w.write(w.pick0(ranges))
		}
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		w.write(w.pick0(alnum))
	case syntax.OpCapture:
		w.walk(re.Sub[0])
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			w.walk(sub)
		}
	case syntax.OpAlternate:
		w.walk(re.Sub[w.rng.IntN(len(re.Sub))])
	case syntax.OpQuest:
		w.repeat(re.Sub[0], 0, 1)
	case syntax.OpStar:
		w.repeat(re.Sub[0], 0, -1)
	case syntax.OpPlus:
		w.repeat(re.Sub[0], 1, -1)
	case syntax.OpRepeat:
		w.repeat(re.Sub[0], re.Min, re.Max)
	}
	// Anchors, word boundaries and empty matches write nothing; the final check catches the
	// rare pattern where that is wrong.
}

// repeat writes sub between lo and hi times (hi < 0: unbounded), fewer optional ones once
// the string has reached maxLen and, for unbounded repeats, more until it reaches minLen.
func (w *regexWalker) repeat(sub *syntax.Regexp, lo, hi int) {
	extra := hi - lo
	if hi < 0 {
		extra = w.repeats
	}
	n := lo + w.rng.IntN(extra+1)
	i := 0
	for ; i < n && !w.failed; i++ {
		if i >= lo && w.maxLen >= 0 && w.n >= w.maxLen {
			return
		}
		w.walk(sub)
	}
	for ; (hi < 0 || i < hi) && w.n < w.minLen && i < n+w.minLen+w.repeats && !w.failed; i++ {
		w.walk(sub)
	}
}

// alnum, printable and the rest are the tiers a character class is sampled from, best first.
var (
	alnum     = []rune{'0', '9', 'A', 'Z', 'a', 'z'}
	printable = []rune{0x21, 0x7e}
	space     = []rune{0x20, 0x20}
	letters   = []rune{0xa0, 0xd7ff}
)

// bestTier returns the part of a character class (pairs of inclusive ranges) that lies in the
// best tier it shares runes with; empty when the class holds no usable rune. Walkers cache it
// per class: a class such as \pL or (?i)[a-z] has hundreds of ranges, and intersecting them
// for every character written made such patterns take seconds.
func bestTier(class []rune) []rune {
	for _, tier := range [][]rune{alnum, printable, space, letters, {0, 0x10ffff}} {
		var ranges []rune
		for i := 0; i+1 < len(class); i += 2 {
			for j := 0; j+1 < len(tier); j += 2 {
				lo, hi := max(class[i], tier[j]), min(class[i+1], tier[j+1])
				if lo <= hi && !(lo >= 0xd800 && hi <= 0xdfff) {
					ranges = append(ranges, lo, hi)
				}
			}
		}
		if len(ranges) > 0 {
			return ranges
		}
	}
	return nil
}

// pick0 returns a rune drawn uniformly from ranges (pairs of inclusive bounds).
func (w *regexWalker) pick0(ranges []rune) rune {
	total := 0
	for i := 0; i < len(ranges); i += 2 {
		total += int(ranges[i+1]-ranges[i]) + 1
	}
	k := w.rng.IntN(total)
	for i := 0; i < len(ranges); i += 2 {
		size := int(ranges[i+1]-ranges[i]) + 1
		if k < size {
			r := ranges[i] + rune(k)
			if r >= 0xd800 && r <= 0xdfff {
				r = ranges[i]
			}
			return r
		}
		k -= size
	}
	return ranges[0]
}
