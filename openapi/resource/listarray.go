package resource

import (
	"maps"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/hookkit/hookkit/openapi"
)

// listNames are the usual names of the property holding a list's page, in order of
// preference.
var listNames = []string{"items", "data", "results", "content", "elements", "values"}

// ListArray finds where a list answer's schema s holds the resources: s itself when it is
// an array (prop ""), else the object property (its allOf branches' included) that is an
// array of objects. A list may carry other arrays beside the page (DigitalOcean's
// evaluation runs: available_statuses, a list of names, beside runs), and a GET at a
// collection path may answer no list at all (OpenAI's model permissions: one object
// whose model_ids are strings): only an array whose items can be objects holds
// resources. Among several, the one whose items have the shape of item (the resource's
// schema, nil when unknown) wins, then the usual names (items, data, results...), then
// the first by name. ok is false when s holds no array of objects, or is the resource's
// own shape.
func ListArray(s, item *openapi3.Schema) (prop string, arr *openapi3.Schema, ok bool) {
	if s == nil {
		return "", nil, false
	}
	if s.Type.Is("array") {
		return "", s, s.Items == nil || objectCapable(s.Items.Value)
	}
	if !openapi.ObjectLike(s) || item != nil && sameShape(s, item) {
		// Not an object, or the resource itself (Stripe's GET /v1/account, at the path
		// its create posts to): no list.
		return "", nil, false
	}
	props, _ := openapi.ObjectProperties(s)
	var cands []string
	for _, name := range slices.Sorted(maps.Keys(props)) {
		p := props[name]
		if p.Type.Is("array") && (p.Items == nil || objectCapable(p.Items.Value)) {
			cands = append(cands, name)
		}
	}
	if len(cands) == 0 {
		return "", nil, false
	}
	pick := cands[0]
	if item != nil {
		for _, name := range cands {
			if it := props[name].Items; it != nil && it.Value != nil && sameShape(it.Value, item) {
				return name, props[name], true
			}
		}
	}
	for _, pref := range listNames {
		if slices.Contains(cands, pref) {
			pick = pref
			break
		}
	}
	return pick, props[pick], true
}

// ListArrayOf is ListArray for the JSON body of op's lowest 2xx answer, with the
// collection's resource schema.
func (c *Collection) ListArrayOf(op *openapi.Operation) (prop string, arr *openapi3.Schema, ok bool) {
	return listArrayOf(op, c.ItemSchema())
}

func listArrayOf(op *openapi.Operation, item *openapi3.Schema) (prop string, arr *openapi3.Schema, ok bool) {
	if op == nil {
		return "", nil, false
	}
	r, _ := SuccessResponse(op)
	if r == nil {
		return "", nil, false
	}
	for _, mt := range slices.Sorted(maps.Keys(r.Content)) {
		media := r.Content[mt]
		if openapi.IsJSON(mt) && media != nil && media.Schema != nil && media.Schema.Value != nil {
			return ListArray(media.Schema.Value, item)
		}
	}
	return "", nil, false
}

// objectCapable says whether a value of s may be an object: s declares no type (a
// oneOf of object branches, or anything), or its type includes object.
func objectCapable(s *openapi3.Schema) bool {
	return s == nil || s.Type.IsEmpty() || s.Type.Includes("object")
}
