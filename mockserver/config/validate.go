package config

import (
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Validate checks the settings and rules. It returns every problem, each an [*Error] with
// the file and line, joined with [errors.Join]. [Parse] calls it; call it yourself after
// building or changing a Config in Go. It is pure: it changes nothing in c and reads
// neither the environment nor files. A setting left at zero is checked as its default
// ([Resolve] fills the defaults in and reads the credentials and the seed file the config
// names); the rules' regexes and templates are compiled to report the ones that do not
// compile, and nothing of them is kept ([Compile] makes the rules ready to serve).
func (c *Config) Validate() error {
	c = c.withDefaults() // the values the mock serves with; the caller's c is left as it is
	var errs []error
	add := func(line int, format string, args ...any) {
		errs = append(errs, &Error{File: c.File, Line: line, Code: CodeInvalid, Msg: fmt.Sprintf(format, args...)})
	}
	switch c.Hooks.OnDuplicate {
	case DuplicateCreate, DuplicateReuse, DuplicateReject:
	default:
		add(c.keyLine("hooks", "onDuplicate"), "hooks.onDuplicate must be one of create, reuse, reject, not %q", c.Hooks.OnDuplicate)
	}
	for auth, typ := range c.Hooks.Types {
		if strings.TrimSpace(typ) == "" {
			add(c.keyLine("hooks", "types", auth), "hooks.types: the hook type for X-Repo-Auth %q is empty", auth)
		}
	}
	if c.CORS.MaxAge < 0 {
		add(c.keyLine("cors", "maxAge"), "cors.maxAge must not be negative")
	}
	for _, o := range c.CORS.Origins {
		if o == "*" || o == "null" { // "null": pages opened from file:// or sandboxed frames
			continue
		}
		u, err := url.Parse(o)
		if err != nil || u.Scheme == "" || u.Host == "" || (u.Path != "" && u.Path != "/") {
			add(c.keyLine("cors", "origins"), "cors.origins: %q is not an origin such as https://app.example:3000 or *", o)
		}
	}
	errs = append(errs, c.validateHookAPI()...)
	errs = append(errs, c.validateState()...)
	if c.Journal.Size < 0 {
		add(c.keyLine("journal", "size"), "journal.size must be 0 (off) or more, not %d", c.Journal.Size)
	}
	c.validateLimits(add)
	c.validateAdmin(add)
	names := map[string]int{}
	for i, r := range c.Rules {
		if r == nil {
			add(c.keyLine("rules"), "rule %d is empty", i+1)
			continue
		}
		name := c.RuleName(i)
		if prev, dup := names[name]; dup {
			add(r.Line, "rule name %q is already used by the rule at line %d", name, prev)
		}
		names[name] = r.Line
		if len(r.decodeErrs) > 0 {
			errs = append(errs, c.nameKeys(yamlErrors(c.File, &yaml.TypeError{Errors: r.decodeErrs})))
		}
		ruleErrs := r.validate()
		_, compileErrs := compileRule(c, i, r) // for its errors only: Compile provisions
		for _, e := range append(ruleErrs, compileErrs...) {
			add(e.line, "rule %q: %s", name, e.msg)
		}
	}
	errs = append(errs, c.validateTokens()...)
	return sortErrors(errors.Join(errs...))
}

func (r *Rule) validate() []lineErr {
	var errs []lineErr
	add := func(line int, format string, args ...any) {
		if line == 0 {
			line = r.Line
		}
		errs = append(errs, lineErr{line, fmt.Sprintf(format, args...)})
	}
	m := &r.Match
	if method := strings.ToUpper(m.Method); method != "" && !isToken(method) {
		add(m.Line, "match.method %q is not an HTTP method", method)
	}
	if m.Path != "" && !strings.HasPrefix(m.Path, "/") {
		add(m.Line, "match.path %q must start with /", m.Path)
	}
	for _, group := range []struct {
		name string
		ms   map[string]*Matcher
	}{{"pathParams", m.PathParams}, {"query", m.Query}, {"headers", m.Headers}, {"body", m.Body}} {
		for _, k := range slices.Sorted(maps.Keys(group.ms)) {
			mt := group.ms[k]
			if mt == nil {
				add(m.Line, "match.%s.%s needs a value, or {present: true}", group.name, k)
				continue
			}
			if mt.Equals == nil && mt.Regex == "" && mt.Present == nil {
				add(mt.Line, "match.%s.%s needs equals, regex or present", group.name, k)
			}
			if mt.Present != nil && !*mt.Present && (mt.Equals != nil || mt.Regex != "") {
				add(mt.Line, "match.%s.%s: present: false cannot be combined with equals or regex", group.name, k)
			}
		}
	}
	switch {
	case r.Response == nil && len(r.Sequence) == 0:
		add(r.Line, "needs respond or sequence")
	case r.Response != nil && len(r.Sequence) > 0:
		add(r.Response.Line, "has both respond and sequence; use one")
	}
	switch r.Repeat {
	case "", RepeatLast, RepeatCycle:
	default:
		add(r.Line, "repeat must be last or cycle, not %q", r.Repeat)
	}
	if r.Repeat != "" && len(r.Sequence) == 0 {
		add(r.Line, "repeat applies to a sequence only")
	}
	for _, resp := range r.responses() {
		if resp == nil {
			add(r.Line, "a response is empty")
			continue
		}
		errs = append(errs, resp.validate(r.Line)...)
	}
	return errs
}

func (r *Rule) responses() []*Response {
	if r.Response != nil {
		return append([]*Response{r.Response}, r.Sequence...)
	}
	return r.Sequence
}

// validate checks resp's values; compileResponse reports its templates.
func (resp *Response) validate(ruleLine int) []lineErr {
	var errs []lineErr
	line := func(l int) int {
		switch {
		case l > 0:
			return l
		case resp.Line > 0:
			return resp.Line
		}
		return ruleLine
	}
	add := func(l int, format string, args ...any) {
		errs = append(errs, lineErr{line(l), fmt.Sprintf(format, args...)})
	}
	s := &resp.Status
	switch {
	case s.Template != "":
	case s.Code != 0 && (s.Code < 100 || s.Code > 599):
		add(s.Line, "status %d is not an HTTP status (100-599)", s.Code)
	case s.Code != 0 && s.Code < 200:
		add(s.Line, "status %d is informational: a client would wait for an answer that never comes", s.Code)
	case (s.Code == http.StatusNoContent || s.Code == http.StatusNotModified) && (resp.Body != nil || resp.BodyText != nil):
		add(s.Line, "status %d cannot carry a body", s.Code)
	}
	for _, k := range slices.Sorted(maps.Keys(resp.Headers)) {
		if !isToken(k) {
			add(resp.headerLines[k], "header name %q is not valid", k)
		}
	}
	if resp.Body != nil && resp.BodyText != nil {
		add(resp.Body.Line, "has both body and bodyText; use one")
	}
	if d := resp.Delay; d != nil {
		if d.Min < 0 || d.Max < 0 {
			add(d.Line, "delay must not be negative")
		}
		if d.Max < d.Min {
			add(d.Line, "delay max %s is less than min %s", d.Max, d.Min)
		}
	}
	if f := resp.Fault; f != nil {
		if !slices.Contains(faultKinds, f.Type) {
			add(f.Line, "fault %q is not one of %s", f.Type, strings.Join(faultKinds, ", "))
		}
		if f.Probability < 0 || f.Probability > 1 {
			add(f.Line, "fault probability %g is not between 0 and 1", f.Probability)
		}
		if f.Hold < 0 {
			add(f.Line, "fault hold must not be negative")
		}
		if f.Hold != 0 && f.Type != FaultTimeout {
			add(f.Line, "fault hold applies to the timeout fault only")
		}
	}
	return errs
}

// isToken reports whether s is an HTTP token (method or header name).
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c > 127 || c <= ' ' || strings.ContainsRune("()<>@,;:\\\"/[]?={}", c) {
			return false
		}
	}
	return true
}
