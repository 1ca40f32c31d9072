package openapi

import (
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// This file is the one place that reads the text of kin-openapi's errors, for what its
// error types do not say in fields: which response header is missing, whether a reason is
// about Content-Type, where the schema dump starts. Each string is pinned by
// kintext_test.go against kin-openapi itself, so an upgrade that rewords one fails there.
// (Load errors use kin's stable codes instead, through openapi3.CodedError: see
// LoadError.Code.)

const (
	// kinSchemaDump starts the schema and value dump kin appends to a schema error.
	kinSchemaDump = "\nSchema:"
	// kinResponseHeader starts the reasons of response header problems:
	// `response header "X-Rate" missing`, or a header that breaks its schema.
	kinResponseHeader = "response header"
	// kinMissingSuffix ends the reason of a missing response header.
	kinMissingSuffix = " missing"
	// kinUndecodableHeader starts the reason of a header kin cannot decode.
	kinUndecodableHeader = "unable to decode header"
	// kinUndecodableBody starts the reason of a body kin cannot decode as its media type.
	kinUndecodableBody = "failed to decode"
	// kinUnexpectedContentType starts the reason of a request Content-Type not declared.
	kinUnexpectedContentType = "header Content-Type has unexpected value"
	// kinContentType is in every other Content-Type reason (absent, unparsable).
	kinContentType = "Content-Type"
	// kinUnsupportedProperty ends the reason of a property additionalProperties forbids.
	kinUnsupportedProperty = "is unsupported"
)

// cutSchemaDump drops the dump kin appends to a schema error's message.
func cutSchemaDump(msg string) string {
	if i := strings.Index(msg, kinSchemaDump); i >= 0 {
		return msg[:i]
	}
	return msg
}

// missingResponseHeader returns the header a response error says is missing.
func missingResponseHeader(reason string) (string, bool) {
	if !strings.HasPrefix(reason, kinResponseHeader) || !strings.HasSuffix(reason, kinMissingSuffix) {
		return "", false
	}
	name := strings.TrimSuffix(strings.TrimPrefix(reason, kinResponseHeader+" "), kinMissingSuffix)
	if unq, err := strconv.Unquote(name); err == nil {
		name = unq
	}
	return name, true
}

// isMissingHeader reports whether a response error says a header is missing.
func isMissingHeader(reason string) bool {
	_, ok := missingResponseHeader(reason)
	return ok
}

// invalidResponseHeader reports whether a response error is about a header's value.
func invalidResponseHeader(reason string) bool {
	return strings.HasPrefix(reason, kinResponseHeader) || strings.HasPrefix(reason, kinUndecodableHeader)
}

// undecodableBody reports whether a response error says the body does not parse.
func undecodableBody(reason string) bool { return strings.HasPrefix(reason, kinUndecodableBody) }

// unexpectedContentType reports whether a request error says Content-Type is not declared.
func unexpectedContentType(reason string) bool {
	return strings.HasPrefix(reason, kinUnexpectedContentType)
}

// contentTypeReason reports whether a request error is about Content-Type at all.
func contentTypeReason(reason string) bool { return strings.Contains(reason, kinContentType) }

// unsupportedProperty reports whether a schema error is a property that
// additionalProperties forbids.
func unsupportedProperty(se *openapi3.SchemaError) bool {
	return se.SchemaField == "properties" && strings.HasSuffix(se.Reason, kinUnsupportedProperty)
}
