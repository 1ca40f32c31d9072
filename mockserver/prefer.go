package mockserver

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// prefer is what a request asks for in its Prefer header, the way Stoplight Prism reads it:
// "Prefer: code=400, example=missing-token, dynamic=true". Any combination is allowed.
type prefer struct {
	code    int    // 0 when not asked for
	example string // "" when not asked for
	dynamic bool
}

func (p prefer) empty() bool { return p.code == 0 && p.example == "" && !p.dynamic }

// parsePrefer reads every Prefer header of r. Preferences are separated by commas (Prism)
// or semicolons (RFC 7240 parameters); unknown preferences such as "return=minimal" are
// ignored, as RFC 7240 asks. A code that is not a number is an error, reported to the
// client instead of being silently ignored.
func parsePrefer(h http.Header) (prefer, error) {
	var p prefer
	values := h.Values("Prefer")
	if len(values) == 0 {
		return p, nil
	}
	for _, v := range values {
		for _, part := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' }) {
			name, val, _ := strings.Cut(strings.TrimSpace(part), "=")
			name = strings.ToLower(strings.TrimSpace(name))
			val = strings.Trim(strings.TrimSpace(val), `"`)
			switch name {
			case "code":
				c, err := strconv.Atoi(val)
				if err != nil || c < 100 || c > 599 {
					return p, fmt.Errorf("header Prefer: code must be an HTTP status between 100 and 599")
				}
				p.code = c
			case "example":
				p.example = val
			case "dynamic":
				p.dynamic = strings.EqualFold(val, "true") || val == ""
			}
		}
	}
	return p, nil
}
