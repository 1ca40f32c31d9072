package openapi

import (
	"mime"
	"strings"
)

// IsJSON reports whether a media type or Content-Type value is JSON: application/json or a
// structured +json type (application/problem+json, application/vnd.api+json), with any
// parameters and in any case. It is the kit's one JSON predicate: the validator, the
// redactor, the mock's renderer and rules, and the checker all ask it, so they cannot
// disagree about which bodies are JSON.
func IsJSON(mediaType string) bool {
	base, _, err := mime.ParseMediaType(mediaType)
	if err != nil {
		// A malformed parameter does not change what the type is.
		base, _, _ = strings.Cut(mediaType, ";")
		base = strings.ToLower(strings.TrimSpace(base))
	}
	return base == "application/json" || strings.HasSuffix(base, "+json")
}
