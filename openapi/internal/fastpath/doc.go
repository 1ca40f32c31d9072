// Package fastpath decides requests, and names the problems of invalid ones, without
// kin-openapi, for the operations whose rules it can apply exactly as kin-openapi does.
// kin-openapi stays the oracle: openapi's differential tests and fuzzers compare every
// verdict and every named problem with kin-openapi's, and whatever a plan cannot decide
// (Unknown) or cannot name exactly (Explain's ok false) goes to kin-openapi.
//
// Each rule is written once, in one walker: run with a nil *Explainer it stops at the first
// failure (Decide, the cost of a valid request); run with one it records every failure in
// kin-openapi's order (Explain, the cost of a 400). Parameters are decoded once, by
// paramPlan.decode, for both.
//
// # Supported
//
// OpenAPI 3.0 operations whose security schemes resolve; path and header (style simple),
// query and cookie (style form) parameters with a single primitive type (string, integer,
// number, boolean) and no content, and query arrays of such items; a request body whose
// selected media type kin-openapi decodes with its JSON decoder, without encodings; and
// schemas made of type, nullable, enum (of strings, numbers, booleans, null), minimum,
// maximum, exclusiveMinimum and exclusiveMaximum, multipleOf, minLength, maxLength,
// pattern, format, items, minItems, maxItems, uniqueItems, properties, required,
// additionalProperties (boolean or schema), minProperties, maxProperties and readOnly, plus
// the empty schema. Anything else (allOf, anyOf, oneOf, not, discriminator, const, OpenAPI
// 3.1, other parameter styles and shapes, content parameters, non-JSON bodies) makes
// Compile return nil.
//
// # kin-openapi behaviours mirrored (v0.153.0; file and function)
//
//   - openapi3filter/validate_request.go ValidateRequest: security first (the operation's
//     requirements, else the document's), then the path item's parameters not overridden,
//     then the operation's, then the body; ExcludeRequestBody (Input.SkipBody) after a
//     malformed JSON body. Plan.walk; the parameter order is Parameters, which openapi's
//     Operation.Parameters serves to the rest of hookkit too.
//   - validate_request.go ValidateSecurityRequirements, validateSecurityRequirement: any one
//     alternative satisfied; schemes of an alternative checked in name order, the first
//     missing one reported (the check itself is the injected Options.Credential).
//     Plan.walkSecurity.
//   - validate_request.go ValidateParameter: absent and required is ErrInvalidRequired;
//     present without a value is an error unless allowEmptyValue; SkipSettingDefaults.
//     paramPlan.walk.
//   - req_resp_decoder.go decodeStyledParameter, pathParamDecoder.DecodePrimitive (an empty
//     path value is absent), urlValuesDecoder.DecodePrimitive (the first non-empty of
//     repeated values), headerParamDecoder.DecodePrimitive (the first value),
//     cookieParamDecoder.DecodePrimitive: paramPlan.lookup.
//   - req_resp_decoder.go urlValuesDecoder.DecodeArray and parseArray (exploded values, or
//     the first value split at commas; an empty non-string item or a single empty string
//     empties the array), parsePrimitive and parsePrimitiveCase (ParseInt with 32 bits for
//     format int32, ParseFloat after a character check, ParseBool): paramPlan.decode, parse.
//   - validate_request.go ValidateRequestBody: an empty body passes unless required; no
//     content passes; a Content-Type that openapi3/content.go Content.Get maps to nothing
//     fails; a media type without schema passes. bodyPlan.walk, bodyPlan.lookup.
//   - req_resp_decoder.go RegisteredBodyDecoder and decodeBody (the +json suffix falls back
//     to application/json), JSONBodyDecoder: decodesJSON asks on every request, since
//     decoders are registered process-wide.
//   - openapi3/schema_3point0_validator.go visitJSON (null, the empty schema
//     (schema.go IsEmpty), enum, then by type), visitEnumOperation, visitJSONNull,
//     visitJSONBoolean: node.walk.
//   - schema_3point0_validator.go visitJSONNumber (integer required when only integer is
//     permitted; formats from the validation's validators then SchemaIntegerFormats or
//     SchemaNumberFormats, looked up at check time; validateIntegerFormat; exclusive bounds,
//     bounds, multipleOf with its own reason): node.walkNumber.
//   - schema_3point0_validator.go visitJSONString (length counted with utf16.IsSurrogate;
//     pattern compiled after schema_pattern.go intoGoRegexp; formats from
//     WithStringFormatValidators (Options.Formats) then SchemaStringFormats, looked up at
//     check time): node.walkString.
//   - schema_3point0_validator.go visitJSONArray (minItems, maxItems, uniqueItems, items by
//     index): node.walkArray.
//   - schema_3point0_validator.go visitJSONObject with VisitAsRequest (readOnly properties
//     by name, minProperties, maxProperties, members by name against properties or
//     additionalProperties, required in declared order, readOnly ones excused):
//     node.walkObject.
//   - The reasons kin-openapi writes into SchemaError for bounds, counts, uniqueness,
//     readOnly and unsupported properties, which openapi's problem messages quote.
package fastpath
