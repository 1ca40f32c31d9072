package openapi

import (
	"context"
	"maps"

	"github.com/getkin/kin-openapi/openapi3"
)

// Validating each schema once.
//
// kin-openapi's T.Validate validates the schema at every place one is used (each media
// type, parameter, header and component) all the way down, with a fresh memory of what it
// has seen for each: a schema named by 500 responses is validated 500 times, with
// everything it names. On Stripe's document (4.2 MB, every response naming deep trees of
// shared schemas) that is 0.8 s of a 1.8 s load.
//
// validOnce gets the same verdict for a document without problems while validating each
// schema once: every schema is validated on its own, its subschemas replaced by an empty
// schema (the $ref objects that name them kept, with what is written beside the $ref);
// then the document is validated with every place a schema is used holding an empty
// schema. kin-openapi's checks of a schema read nothing of its subschemas but whether they
// are there, and its checks of a parameter or media type nothing of their schema (with
// examples not validated, as here), so the document is valid exactly when all of these
// pass. When any fails, validateLenient validates the document as kin-openapi does, so
// what it reports (warnings, errors and their wording) is unchanged.

// validOnce reports whether t is valid under opts (the verdict of t.Validate(ctx,
// opts...) being nil), validating each schema once. false means "not known to be valid".
func validOnce(ctx context.Context, t *openapi3.T, opts []openapi3.ValidationOption) bool {
	all := append([]openapi3.ValidationOption(nil), opts...)
	if t.IsOpenAPI31OrLater() {
		all = append(all, openapi3.IsOpenAPI31OrLater())
	}
	if t.IsOpenAPI32OrLater() {
		all = append(all, openapi3.IsOpenAPI32OrLater())
	}
	sctx := openapi3.WithValidationOptions(ctx, all...)
	uses := schemaUses(t)
	v := onceValidator{ctx: sctx, seen: map[*openapi3.Schema]bool{}}
	for _, ref := range uses {
		if !v.schema(ref.Value) {
			return false
		}
	}
	// The document with an empty schema at each use, restored before returning.
	held := make([]*openapi3.Schema, len(uses))
	for i, ref := range uses {
		held[i], ref.Value = ref.Value, &openapi3.Schema{}
	}
	defer func() {
		for i, ref := range uses {
			ref.Value = held[i]
		}
	}()
	return t.Validate(ctx, opts...) == nil
}

type onceValidator struct {
	ctx  context.Context
	seen map[*openapi3.Schema]bool
}

// schema validates s on its own, then its subschemas, each once.
func (v *onceValidator) schema(s *openapi3.Schema) bool {
	if s == nil || v.seen[s] {
		return true
	}
	v.seen[s] = true
	shallow, children := hollow(s)
	if shallow.Validate(v.ctx) != nil {
		return false
	}
	for _, c := range children {
		if !v.schema(c) {
			return false
		}
	}
	return true
}

// empty stands for a subschema in a hollow copy.
var empty = &openapi3.Schema{}

// hollow returns a copy of s whose subschemas are the empty schema (each $ref object kept
// as it is but for its value; a $ref without a value stays so, for kin-openapi to report)
// and the subschemas it replaced. A keyword hollow does not know keeps its subschemas,
// which kin-openapi then validates in full: slower, never wrong.
func hollow(s *openapi3.Schema) (*openapi3.Schema, []*openapi3.Schema) {
	c := *s
	var children []*openapi3.Schema
	one := func(r *openapi3.SchemaRef) *openapi3.SchemaRef {
		if r == nil || r.Value == nil {
			return r
		}
		children = append(children, r.Value)
		cp := *r
		cp.Value = empty
		return &cp
	}
	list := func(rs openapi3.SchemaRefs) openapi3.SchemaRefs {
		if rs == nil {
			return nil
		}
		out := make(openapi3.SchemaRefs, len(rs))
		for i, r := range rs {
			out[i] = one(r)
		}
		return out
	}
	mapping := func(m openapi3.Schemas) openapi3.Schemas {
		if m == nil {
			return nil
		}
		out := make(openapi3.Schemas, len(m))
		for k, r := range m {
			out[k] = one(r)
		}
		return out
	}
	c.OneOf, c.AnyOf, c.AllOf, c.PrefixItems = list(s.OneOf), list(s.AnyOf), list(s.AllOf), list(s.PrefixItems)
	c.Not, c.Items, c.Contains, c.PropertyNames = one(s.Not), one(s.Items), one(s.Contains), one(s.PropertyNames)
	c.If, c.Then, c.Else, c.ContentSchema = one(s.If), one(s.Then), one(s.Else), one(s.ContentSchema)
	c.Properties, c.PatternProperties = mapping(s.Properties), mapping(s.PatternProperties)
	c.DependentSchemas, c.Defs = mapping(s.DependentSchemas), mapping(s.Defs)
	c.AdditionalProperties.Schema = one(s.AdditionalProperties.Schema)
	c.UnevaluatedItems.Schema = one(s.UnevaluatedItems.Schema)
	c.UnevaluatedProperties.Schema = one(s.UnevaluatedProperties.Schema)
	if d := s.Discriminator; d != nil && len(d.Mapping) > 0 {
		dc := *d
		dc.Mapping = maps.Clone(d.Mapping)
		for k, m := range dc.Mapping {
			if m.Value != nil {
				children = append(children, m.Value)
				m.Value = empty
				dc.Mapping[k] = m
			}
		}
		c.Discriminator = &dc
	}
	return &c, children
}

// schemaUses lists the places t uses a schema that T.Validate validates from (component
// schemas; the schemas of parameters, headers and media types, in components, paths,
// webhooks and callbacks), each $ref object once, those with a value only. One it misses
// is validated in full by T.Validate: slower, never wrong.
func schemaUses(t *openapi3.T) []*openapi3.SchemaRef {
	var out []*openapi3.SchemaRef
	seen := map[any]bool{}
	first := func(v any) bool {
		if seen[v] {
			return false
		}
		seen[v] = true
		return true
	}
	add := func(r *openapi3.SchemaRef) {
		if r != nil && r.Value != nil && first(r) {
			out = append(out, r)
		}
	}
	content := func(c openapi3.Content) {
		for _, mt := range c {
			if mt != nil && first(mt) {
				add(mt.Schema)
				add(mt.ItemSchema)
			}
		}
	}
	param := func(p *openapi3.Parameter) {
		if p != nil && first(p) {
			add(p.Schema)
			content(p.Content)
		}
	}
	response := func(r *openapi3.ResponseRef) {
		if r == nil || r.Value == nil || !first(r.Value) {
			return
		}
		for _, h := range r.Value.Headers {
			if h != nil && h.Value != nil {
				param(&h.Value.Parameter)
			}
		}
		content(r.Value.Content)
	}
	var pathItem func(item *openapi3.PathItem)
	pathItem = func(item *openapi3.PathItem) {
		if item == nil || !first(item) {
			return
		}
		for _, p := range item.Parameters {
			if p != nil {
				param(p.Value)
			}
		}
		for _, op := range item.Operations() {
			for _, p := range op.Parameters {
				if p != nil {
					param(p.Value)
				}
			}
			if rb := op.RequestBody; rb != nil && rb.Value != nil {
				content(rb.Value.Content)
			}
			if op.Responses != nil {
				for _, r := range op.Responses.Map() {
					response(r)
				}
			}
			for _, cb := range op.Callbacks {
				if cb != nil && cb.Value != nil {
					for _, it := range cb.Value.Map() {
						pathItem(it)
					}
				}
			}
		}
	}
	if c := t.Components; c != nil {
		for _, s := range c.Schemas {
			add(s)
		}
		for _, p := range c.Parameters {
			if p != nil {
				param(p.Value)
			}
		}
		for _, h := range c.Headers {
			if h != nil && h.Value != nil {
				param(&h.Value.Parameter)
			}
		}
		for _, rb := range c.RequestBodies {
			if rb != nil && rb.Value != nil {
				content(rb.Value.Content)
			}
		}
		for _, r := range c.Responses {
			response(r)
		}
		for _, cb := range c.Callbacks {
			if cb != nil && cb.Value != nil {
				for _, it := range cb.Value.Map() {
					pathItem(it)
				}
			}
		}
	}
	if t.Paths != nil {
		for _, item := range t.Paths.Map() {
			pathItem(item)
		}
	}
	for _, item := range t.Webhooks {
		pathItem(item)
	}
	return out
}
