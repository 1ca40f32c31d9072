package openapi

import (
	"errors"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// OpenAPI 3.1 documents are validated by JSON Schema 2020-12 (santhosh-tekuri/jsonschema,
// through kin-openapi), whose errors nest differently from the 3.0 validator's: a missing
// required field is reported at its object (pointer "", so "body is required" although a
// body was sent) with the names only in a quoted reason, and an allOf failure as "allOf"
// with the failing rules of its branches nested below (the 3.0 validator nests allOf
// failures alike). schemaProblemsOf reads the structured errors instead: one missing-field
// problem per missing property at its own pointer, and the branch failures of an allOf in
// its place.

// schemaProblemsOf describes one schema failure under what ("body field") as problems.
// Both validators give nested failures their pointer from the document's root.
func schemaProblemsOf(se *openapi3.SchemaError, what string) Problems {
	var verr *jsonschema.ValidationError
	is31 := errors.As(se, &verr)
	at := se.JSONPointer()
	switch se.SchemaField {
	case "required":
		if !is31 {
			break
		}
		if req := requiredKind(verr); req != nil && len(req.Missing) > 0 {
			out := make(Problems, 0, len(req.Missing))
			for _, name := range req.Missing {
				ptr := Pointer(append(append([]string(nil), at...), name))
				out = append(out, Problem{Kind: MissingField, In: "body", Name: ptr, Message: what + " " + ptr + " is required"})
			}
			return out
		}
	case "allOf":
		var nested openapi3.MultiError
		if se.Origin != nil && errors.As(se.Origin, &nested) {
			var out Problems
			for _, e := range flatten(nested) {
				var sub *openapi3.SchemaError
				if errors.As(e, &sub) && sub != se {
					out = append(out, schemaProblemsOf(sub, what)...)
				}
			}
			if len(out) > 0 {
				return out
			}
		}
	}
	return Problems{schemaProblemAt(Pointer(at), se, what)}
}

// requiredKind finds the required-keyword failure in a validation error tree.
func requiredKind(verr *jsonschema.ValidationError) *kind.Required {
	if r, ok := verr.ErrorKind.(*kind.Required); ok {
		return r
	}
	for _, c := range verr.Causes {
		if r := requiredKind(c); r != nil {
			return r
		}
	}
	return nil
}
