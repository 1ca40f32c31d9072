package contract

import (
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/hookkit/hookkit/openapi"
)

// synthesize makes a request value valid for ref with package openapi's synthesizer, the
// same one the mock uses for responses. Seed 0 gives the canonical value (examples and
// defaults wherever valid).
func synthesize(doc *openapi.Document, ref *openapi3.SchemaRef, seed uint64) (any, error) {
	return doc.Synthesize(ref, openapi.SynthOptions{Seed: seed, Direction: openapi.Request})
}

// synthesizeBody makes a request body of mediaType: a form body holds no null (it cannot
// write one), so its nullable fields get values.
func synthesizeBody(doc *openapi.Document, mediaType string, ref *openapi3.SchemaRef, seed uint64) (any, error) {
	return doc.Synthesize(ref, openapi.SynthOptions{Seed: seed, Direction: openapi.Request, Form: openapi.IsForm(mediaType)})
}
