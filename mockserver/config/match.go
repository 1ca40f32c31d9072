package config

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// Input is what rules see of a request: its routing result and its parsed parts. The mock
// server builds it once per request; templates render from it.
type Input struct {
	// OperationID is the operation the request routed to ("" when none matched).
	OperationID string
	// Method is the upper-case request method.
	Method string
	// Path is the operation's path template (/v1/{project_id}/hooks), RawPath the request's
	// escaped path (/v1/p1/hooks).
	Path, RawPath string
	// PathParams holds the unescaped path parameter values by name.
	PathParams map[string]string
	// Query is the request's query.
	Query url.Values
	// Header is the request's header.
	Header http.Header
	// Body is the JSON body decoded by encoding/json (maps, slices, float64 or
	// json.Number, string, bool, nil), or nil without a JSON body.
	Body any

	statusOK func(int) bool // statuses a templated status may render; nil: any
}

// DeclaredStatuses sets the check a templated status must pass: the statuses the
// operation declares. A status the check refuses makes [Rule.Respond] fail without
// answering, so the caller sends the operation's error response instead.
func (in *Input) DeclaredStatuses(ok func(status int) bool) { in.statusOK = ok }

// Matches reports whether every criterion of the rule's match holds for in.
func (r *LiveRule) Matches(in *Input) bool {
	m := &r.match
	if m.operation != "" && m.operation != in.OperationID {
		return false
	}
	if m.method != "" && !strings.EqualFold(m.method, in.Method) {
		return false
	}
	if m.path != "" && m.path != in.Path && m.path != in.RawPath {
		if p, err := url.PathUnescape(in.RawPath); err != nil || p != m.path {
			return false
		}
	}
	for name, mt := range m.pathParams {
		v, ok := in.PathParams[name]
		if !mt.test([]string{v}, ok) {
			return false
		}
	}
	for name, mt := range m.query {
		vs, ok := in.Query[name]
		if !mt.test(vs, ok) {
			return false
		}
	}
	for name, mt := range m.headers {
		vs := in.Header.Values(name)
		if !mt.test(vs, len(vs) > 0) {
			return false
		}
	}
	for field, mt := range m.body {
		v, ok := lookup(in.Body, field)
		if !mt.test([]string{textOf(v)}, ok) {
			return false
		}
	}
	return true
}

// test reports whether the matcher accepts a value that is present (with one of values)
// or absent.
func (m *liveMatcher) test(values []string, present bool) bool {
	if m == nil {
		return false
	}
	if m.present != nil && *m.present != present {
		return false
	}
	if !present {
		return m.equals == nil && m.re == nil
	}
	for _, v := range values {
		if m.equals != nil && *m.equals != v {
			continue
		}
		if m.re != nil && !m.re.MatchString(v) {
			continue
		}
		return true
	}
	return false
}

func compileRegex(src string) (*regexp.Regexp, error) {
	re, err := regexp.Compile(src)
	if err != nil {
		return nil, &regexError{src: src, reason: strings.TrimPrefix(err.Error(), "error parsing regexp: ")}
	}
	return re, nil
}

type regexError struct{ src, reason string }

func (e *regexError) Error() string { return "invalid regex " + strconv.Quote(e.src) + ": " + e.reason }

// lookup finds a field of a decoded JSON value by JSON pointer ("/a/0/b") or dotted path
// ("a.0.b").
func lookup(v any, field string) (any, bool) {
	var tokens []string
	if strings.HasPrefix(field, "/") {
		tokens = strings.Split(field[1:], "/")
		for i, t := range tokens {
			tokens[i] = strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
		}
	} else {
		tokens = strings.Split(field, ".")
	}
	for _, t := range tokens {
		switch c := v.(type) {
		case map[string]any:
			next, ok := c[t]
			if !ok {
				return nil, false
			}
			v = next
		case []any:
			i, err := strconv.Atoi(t)
			if err != nil || i < 0 || i >= len(c) {
				return nil, false
			}
			v = c[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// textOf renders a decoded JSON value as the text matchers compare: strings as they are,
// numbers in their shortest form, null as "null", objects and arrays as JSON.
func textOf(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case json.Number:
		return t.String()
	case bool:
		return strconv.FormatBool(t)
	case nil:
		return "null"
	}
	b, _ := json.Marshal(v)
	return string(b)
}
