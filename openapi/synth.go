package openapi

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

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
	// seed varies all of these (an example or default is still picked three times in four).
	Seed uint64
	// Direction leaves readOnly properties out of requests and writeOnly ones out of
	// responses.
	Direction Direction
	// AllOptional includes every optional property (until recursion stops it) instead of a
	// seeded seven in eight of them.
	AllOptional bool
	// Form says the value is sent as an application/x-www-form-urlencoded body, which has
	// no way to write a null: a nullable property gets a value instead, since a field left
	// out is not read as null (and a required one would go missing: Twilio's nullable
	// required UseCaseCategories array).
	Form bool
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
	// MaxSynthBytes is the synthesis budget: the most bytes (about what the value takes as
	// JSON) one synthesized value may hold. A schema whose smallest valid value is larger
	// (minLength: 2000000000, minItems: 1000 three levels deep) is refused with an error
	// naming it, so a hostile document cannot make the mock or the checker exhaust memory
	// or time while loading.
	MaxSynthBytes = 1 << 20
)

// errSynthBudget marks an error that retrying with another seed cannot fix.
var errSynthBudget = errors.New("synthesis budget exceeded")

// spend charges n bytes of the value being built to the budget.
func (g *synth) spend(n int, at string) error {
	g.spent += n
	if g.spent > MaxSynthBytes || n > MaxSynthBytes {
		return fmt.Errorf("%s: %w: the value would be larger than %d bytes", place(at), errSynthBudget, MaxSynthBytes)
	}
	return nil
}

// Synthesize returns a value valid against s, as encoding/json would decode it (map[string]any,
// []any, string, float64, bool or nil): the mock's last resort when a response has no example,
// and the contract checker's source of valid requests.
//
// Every value is checked with the same validator as requests and responses (formats included,
// in the options' Direction) before it is returned; when none of a few seeded attempts yields a
// valid value, the error names the schema (its $ref, file:line, or JSON pointer in the
// document) and what could not be met, never a value. A request value may leave out a
// required readOnly property (a response value a required writeOnly one), as OpenAPI 3.0
// allows: check such values in their direction, as request and response validation do, not
// with the direction-less [Document.ValidateValue].
func (d *Document) Synthesize(s *openapi3.SchemaRef, o SynthOptions) (any, error) {
	if s == nil || s.Value == nil {
		return nil, errors.New("openapi: synthesize: no schema given")
	}
	key := synthKey{s.Value, s.Ref, o}
	if v, err, ok := d.synthed.get(key); ok {
		return v, err
	}
	v, err := d.synthesize(s, o)
	d.synthed.put(key, v, err)
	return copyJSONValue(v), err
}

// synthesize is Synthesize without its memory.
func (d *Document) synthesize(s *openapi3.SchemaRef, o SynthOptions) (any, error) {
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
		if errors.Is(err, errSynthBudget) {
			break // the smallest value is too large: another seed cannot help
		}
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
		at := se.JSONPointer()
		if len(at) < len(prefix) || !slices.Equal(at[:len(prefix)], prefix) {
			// kin-openapi marks the errors inside an allOf with the path above it as
			// well; an error that lacks it is placed under it here, and one that has it
			// is not given it twice (/droplets/0/x/droplets/0/x).
			at = append(slices.Clone(prefix), at...)
		}
		if se.SchemaField == "allOf" {
			var nested openapi3.MultiError
			if errors.As(se.Origin, &nested) {
				collectInvalid(nested, at, msgs)
				continue
			}
		}
		reason := schemaReason(se)
		if se.SchemaField == "required" {
			reason = "is required"
		}
		if unsupportedProperty(se) {
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
	// spent is the size of the value built so far, against MaxSynthBytes.
	spent int
}

func (g *synth) value(ref *openapi3.SchemaRef, depth int, at string) (any, error) {
	if ref == nil || ref.Value == nil {
		return g.words(0, -1), nil
	}
	s := ref.Value
	if depth > maxSynthDepth {
		return nil, fmt.Errorf("%s: values nest deeper than %d levels: required properties or minItems recurse without end", place(at), maxSynthDepth)
	}
	if err := g.spend(8, at); err != nil {
		return nil, err
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
	if g.allowsNull(s) && !g.canonical && !g.o.Form && g.rng.IntN(8) == 0 {
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
		v, err := g.str(s, at)
		if err == nil {
			err = g.spend(len(v), at)
		}
		return v, err
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
		if v != nil || (g.allowsNull(s) && !g.o.Form) {
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
// always first for the canonical value, three times in four otherwise, so seeded values
// are mostly what the document's authors wrote (a property's example is the most
// realistic value there is) without losing all variety.
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
		if g.rng.IntN(4) == 0 {
			return nil, false // one time in four, a synthesized value for variety
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
		var own any // the branch's own value of the discriminator property
		var obj map[string]any
		if disc := s.Discriminator; disc != nil {
			if obj, _ = v.(map[string]any); obj != nil {
				if name, ok := discriminatorValue(disc, b.Ref); ok {
					own = obj[disc.PropertyName]
					obj[disc.PropertyName] = name
				}
			}
		}
		err = g.d.validateFor(s, v, g.o.Direction)
		if err != nil && own != nil {
			// Published documents often leave out the mapping while the branches' own
			// enum or const (type: function) says the value: keep the branch's value.
			obj[s.Discriminator.PropertyName] = own
			err = g.d.validateFor(s, v, g.o.Direction)
		}
		if err != nil {
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
	for _, k := range slices.Sorted(maps.Keys(disc.Mapping)) {
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
	for _, name := range slices.Sorted(maps.Keys(s.Properties)) {
		p := s.Properties[name]
		if _, done := out[name]; done || g.excluded(p) || len(out) >= limit {
			continue
		}
		wanted := !shallow && (g.canonical || g.o.AllOptional || g.rng.IntN(8) != 0)
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
	patterns := slices.Sorted(maps.Keys(s.PatternProperties))
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
		for _, name := range slices.Sorted(maps.Keys(s.DependentRequired)) {
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
	if err := g.spend(lo, at); err != nil { // at least a separator per item
		return nil, err
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
	if v, ok := g.namedNumber(propertyName(at)); ok && fitsNumber(s, v) {
		return v, nil
	}
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
