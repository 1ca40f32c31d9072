package mockserver

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// render encodes a value (as encoding/json decodes it, or as the synthesizer produces it)
// in a media type: JSON for JSON types, the string itself for text and binary types, and
// url-encoded fields for form bodies.
func render(mediaType string, v any) ([]byte, error) {
	base := baseMediaType(mediaType)
	switch {
	case isJSONType(base):
		return json.Marshal(v)
	case base == "application/x-www-form-urlencoded":
		obj, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("a %s body needs an object, got %T", base, v)
		}
		form := url.Values{}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
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

func isJSONType(base string) bool {
	return base == "application/json" || strings.HasSuffix(base, "+json") || strings.HasSuffix(base, "/json")
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
