package mockserver

import (
	"encoding/json"
	"fmt"
	"maps"
	"mime"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/hookkit/hookkit/openapi"
)

// render encodes a value (as encoding/json decodes it, or as the synthesizer produces it)
// in a media type: JSON for JSON types, XML for XML types (named as schema's xml objects
// say), events for text/event-stream, the string itself for text and binary types, and
// url-encoded fields for form bodies. A string that already is a document of its type (an
// example written as XML text, an event stream) is sent as it is.
func render(mediaType string, schema *openapi3.SchemaRef, v any) ([]byte, error) {
	base := baseMediaType(mediaType)
	switch {
	case openapi.IsJSON(base):
		return json.Marshal(v)
	case isXMLType(base):
		if s, ok := v.(string); ok && strings.HasPrefix(strings.TrimSpace(s), "<") {
			return []byte(s), nil
		}
		return renderXML(schema, v)
	case base == "text/event-stream":
		if s, ok := v.(string); ok && isEventStreamText(s) {
			return []byte(s), nil
		}
		return renderEventStream(v)
	case base == "application/x-www-form-urlencoded":
		obj, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("a %s body needs an object, got %T", base, v)
		}
		form := url.Values{}
		for _, k := range slices.Sorted(maps.Keys(obj)) {
			switch t := obj[k].(type) {
			case []any:
				for _, item := range t {
					form.Add(k, scalarString(item))
				}
			case nil:
			default:
				form.Set(k, scalarString(t))
			}
		}
		return []byte(form.Encode()), nil
	}
	switch t := v.(type) {
	case string:
		return []byte(t), nil
	case []byte:
		return t, nil
	case nil:
		return nil, nil
	case map[string]any, []any:
		return json.Marshal(v)
	}
	return []byte(scalarString(v)), nil
}

// scalarString writes a scalar the way it would appear in a header, a form field or a
// text body.
func scalarString(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case nil:
		return ""
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(t), 'f', -1, 32)
	case json.Number:
		return t.String()
	case map[string]any, []any:
		b, _ := json.Marshal(t)
		return string(b)
	}
	return fmt.Sprint(v)
}

// baseMediaType lower-cases a media type and drops its parameters.
func baseMediaType(mt string) string {
	if base, _, err := mime.ParseMediaType(mt); err == nil {
		return base
	}
	base, _, _ := strings.Cut(mt, ";")
	return strings.ToLower(strings.TrimSpace(base))
}

// contentTypeFor is the Content-Type header the mock sends for a declared media type:
// wildcard ranges (text/*, */*) become a concrete type, and text types get a charset.
func contentTypeFor(mediaType string) string {
	base := baseMediaType(mediaType)
	switch {
	case base == "*/*" || base == "":
		return "application/octet-stream"
	case strings.HasSuffix(base, "/*"):
		major := strings.TrimSuffix(base, "/*")
		switch major {
		case "text":
			return "text/plain; charset=utf-8"
		case "application":
			return "application/octet-stream"
		}
		return major + "/octet-stream"
	}
	if mediaType != base {
		return mediaType // keep the parameters the document declared
	}
	if strings.HasPrefix(base, "text/") {
		return base + "; charset=utf-8"
	}
	return base
}

// isEventStreamText reports whether s already is event-stream text (it starts with a
// field of the format).
func isEventStreamText(s string) bool {
	for _, f := range []string{"data:", "event:", "id:", "retry:", ":"} {
		if strings.HasPrefix(s, f) {
			return true
		}
	}
	return false
}
