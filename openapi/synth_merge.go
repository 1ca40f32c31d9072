package openapi

// allOf: the branches of a schema merged into one, so that a value built from it meets all of
// them at once.

import (
	"maps"
	"reflect"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"
)

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
