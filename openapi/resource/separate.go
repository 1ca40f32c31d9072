package resource

import (
	"maps"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/hookkit/hookkit/openapi"
)

// SeparateCreate says whether the create answers something else than the resource: a
// record of the act rather than the thing made (OpenAI's POST
// /organization/groups/{group_id}/roles answers {object, group, role}, an assignment,
// where its get answers the role). It is so when the get answers another schema than the
// create, one that requires a property (not the id) which neither the create's answer
// nor its request declares: no resource built from the create's answer and request could
// be read back valid. The stateful mock then builds the resource from the get's answer
// and answers the create with its own.
func (c *Collection) SeparateCreate() bool {
	create, get := c.Ops[Create], c.Ops[Get]
	if create == nil || get == nil || c.Envelope != "" {
		return false
	}
	cs, gs := successSchema(create), successSchema(get)
	if cs == nil || gs == nil || cs == gs || sameShape(cs, gs) {
		return false
	}
	made, _ := openapi.ObjectProperties(cs)
	props, required := openapi.ObjectProperties(gs)
	sent := openapi.BranchProperties(RequestSchema(create))
	for _, name := range required {
		if name != c.IDField && props[name] != nil && made[name] == nil && sent[name] == nil {
			return true
		}
	}
	return false
}

// RequestSchema is the schema of op's request body that the stateful mock stores from and
// the checker compares with: a JSON media type's, else a form's (Stripe's creates, decoded
// to JSON first); nil when it has neither. Media types are taken in sorted order, so a
// create declaring several gives the same schema at every run.
func RequestSchema(op *openapi.Operation) *openapi3.Schema {
	rb := op.Operation.RequestBody
	if rb == nil || rb.Value == nil {
		return nil
	}
	types := slices.Sorted(maps.Keys(rb.Value.Content))
	for _, form := range []bool{false, true} {
		for _, mt := range types {
			base, _, _ := strings.Cut(mt, ";")
			base = strings.ToLower(strings.TrimSpace(base))
			if form != (base == "application/x-www-form-urlencoded") || !form && !openapi.IsJSON(base) {
				continue
			}
			if media := rb.Value.Content[mt]; media != nil && media.Schema != nil && media.Schema.Value != nil {
				return media.Schema.Value
			}
		}
	}
	return nil
}

// SuccessSchema is the JSON object schema of op's lowest 2xx answer, nil when it has
// none.
func SuccessSchema(op *openapi.Operation) *openapi3.Schema { return successSchema(op) }
