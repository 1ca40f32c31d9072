package config

import (
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// A [Config] is data: decoding and [Config.Validate] check it and keep nothing compiled
// on it. [Compile] is the provisioning step (caddy's Provision beside its Validate): it
// turns the rules into a [RuleSet] that holds everything a request needs and everything
// that changes while serving (compiled templates and regexes, scenario counters, seeded
// random sources). The mock server keeps the RuleSet in its state snapshot, so a reload,
// which builds a new snapshot, starts the counters and random draws again with the rest.

// RuleSet is a config's rules compiled to serve. It is safe for concurrent use; its
// counters and random sources are its only mutable parts.
type RuleSet struct {
	rules []*LiveRule
	seed  uint64
}

// LiveRule is one compiled rule with its scenario counter and random source.
type LiveRule struct {
	// Name is the rule's name ("rule-N" when the file gives none).
	Name string
	// Line is the rule's line in the file (0 for rules built in Go).
	Line int

	src    *Rule
	index  int
	match  liveMatch
	steps  []*liveResponse // the respond, or the sequence's steps
	single bool            // a respond, not a sequence
	cycle  bool            // repeat: cycle
	limits LimitsConfig

	calls atomic.Uint64 // matched requests served, for the sequence and .Seq
	rngMu sync.Mutex
	rng   *rand.Rand // fault probabilities and delays, seeded from Config.Seed and index
}

// liveMatch is a [Match] ready to test: the method upper case, header names canonical,
// regexes compiled.
type liveMatch struct {
	operation, method, path string
	pathParams, query       map[string]*liveMatcher
	headers, body           map[string]*liveMatcher
}

type liveMatcher struct {
	equals  *string
	re      *regexp.Regexp
	present *bool
}

// liveResponse is a [Response] with its templates compiled.
type liveResponse struct {
	src      *Response
	status   *tmpl // nil for a fixed status
	headers  map[string]*tmpl
	body     *tmplValue
	bodyText *tmpl
}

// Compile compiles c's rules into a RuleSet. It reads c and never changes it, so one
// Config may be compiled again (a reload of the document alone) while requests use it.
// The error lists the rules that cannot serve (the rule problems [Config.Validate]
// reports); a config that passed Validate always compiles.
func Compile(c *Config) (*RuleSet, error) {
	rs := &RuleSet{seed: c.Seed, rules: make([]*LiveRule, 0, len(c.Rules))}
	var errs []error
	for i, r := range c.Rules {
		if r == nil {
			errs = append(errs, &Error{File: c.File, Line: c.keyLine("rules"), Code: CodeInvalid, Msg: fmt.Sprintf("rule %d is empty", i+1)})
			continue
		}
		lr, compileErrs := compileRule(c, i, r)
		for _, e := range append(r.validate(), compileErrs...) {
			errs = append(errs, &Error{File: c.File, Line: e.line, Code: CodeInvalid, Msg: fmt.Sprintf("rule %q: %s", lr.Name, e.msg)})
		}
		rs.rules = append(rs.rules, lr)
	}
	if err := sortErrors(errors.Join(errs...)); err != nil {
		return nil, err
	}
	return rs, nil
}

// RuleName returns the name of the i-th rule: its own, or "rule-N" (1-based).
func (c *Config) RuleName(i int) string {
	if r := c.Rules[i]; r != nil && r.Name != "" {
		return r.Name
	}
	return fmt.Sprintf("rule-%d", i+1)
}

// compileRule compiles r, the i-th rule of c, and returns every problem found on the way
// (a regex or template that does not compile); Validate calls it for those and drops the
// result.
func compileRule(c *Config, i int, r *Rule) (*LiveRule, []lineErr) {
	lr := &LiveRule{Name: c.RuleName(i), Line: r.Line, src: r, index: i, limits: c.Limits, cycle: r.Repeat == RepeatCycle}
	lr.rng = newRuleRand(c.Seed, i)
	var errs []lineErr
	m := &r.Match
	lr.match = liveMatch{operation: m.Operation, method: strings.ToUpper(m.Method), path: m.Path}
	groups := []struct {
		name  string
		ms    map[string]*Matcher
		dst   *map[string]*liveMatcher
		canon bool
	}{
		{"pathParams", m.PathParams, &lr.match.pathParams, false},
		{"query", m.Query, &lr.match.query, false},
		{"headers", m.Headers, &lr.match.headers, true},
		{"body", m.Body, &lr.match.body, false},
	}
	for _, g := range groups {
		if len(g.ms) == 0 {
			continue
		}
		*g.dst = make(map[string]*liveMatcher, len(g.ms))
		for _, k := range slices.Sorted(maps.Keys(g.ms)) {
			mt := g.ms[k]
			if mt == nil {
				continue // Validate reports it; a nil matcher matches nothing
			}
			lm := &liveMatcher{equals: mt.Equals, present: mt.Present}
			if mt.Regex != "" {
				re, err := compileRegex(mt.Regex)
				if err != nil {
					errs = append(errs, lineErr{lineOf(mt, m.Line), fmt.Sprintf("match.%s.%s: %v", g.name, k, err)})
				}
				lm.re = re
			}
			name := k
			if g.canon {
				name = http.CanonicalHeaderKey(k)
			}
			(*g.dst)[name] = lm
		}
	}
	lr.single = r.Response != nil
	for _, resp := range r.responses() {
		if resp == nil {
			continue // Validate reports it
		}
		lresp, respErrs := compileResponse(resp, r.Line)
		errs = append(errs, respErrs...)
		lr.steps = append(lr.steps, lresp)
	}
	return lr, errs
}

// compileResponse compiles the templates of resp; problems are located at their line, or
// the response's, or the rule's (ruleLine).
func compileResponse(resp *Response, ruleLine int) (*liveResponse, []lineErr) {
	lresp := &liveResponse{src: resp, headers: make(map[string]*tmpl, len(resp.Headers))}
	var errs []lineErr
	add := func(l int, format string, args ...any) {
		switch {
		case l > 0:
		case resp.Line > 0:
			l = resp.Line
		default:
			l = ruleLine
		}
		errs = append(errs, lineErr{l, fmt.Sprintf(format, args...)})
	}
	if s := resp.Status; s.Template != "" {
		t, err := compileTemplate("status", s.Template)
		if err != nil {
			add(s.Line, "status: %v", err)
		}
		lresp.status = t
	}
	for _, k := range slices.Sorted(maps.Keys(resp.Headers)) {
		if !isToken(k) {
			continue // Validate reports it
		}
		t, err := compileTemplate("header", resp.Headers[k])
		if err != nil {
			add(resp.headerLines[k], "header %s: %v", k, err)
			continue
		}
		lresp.headers[http.CanonicalHeaderKey(k)] = t
	}
	if resp.Body != nil {
		v, bodyErrs := compileBody(resp.Body)
		for _, e := range bodyErrs {
			add(e.line, "body: %s", e.msg)
		}
		lresp.body = v
	}
	if resp.BodyText != nil {
		t, err := compileTemplate("bodyText", *resp.BodyText)
		if err != nil {
			add(0, "bodyText: %v", err)
		}
		lresp.bodyText = t
	}
	return lresp, errs
}

// Match returns the first rule, in file order, that matches in, or nil when none does.
// A nil RuleSet has no rules.
func (rs *RuleSet) Match(in *Input) *LiveRule {
	if rs == nil {
		return nil
	}
	for _, r := range rs.rules {
		if r.Matches(in) {
			return r
		}
	}
	return nil
}

// Len returns the number of rules.
func (rs *RuleSet) Len() int {
	if rs == nil {
		return 0
	}
	return len(rs.rules)
}

// Rules returns the compiled rules in file order.
func (rs *RuleSet) Rules() []*LiveRule {
	if rs == nil {
		return nil
	}
	return rs.rules
}

// Reset sets every rule's scenario back to its first step and reseeds its random source
// (the admin API's reset, and tests that replay a run): after Reset, the same requests
// get the same steps, delays and faults as after Compile.
func (rs *RuleSet) Reset() {
	for _, r := range rs.Rules() {
		r.calls.Store(0)
		r.rngMu.Lock()
		r.rng = newRuleRand(rs.seed, r.index)
		r.rngMu.Unlock()
	}
}

// Rule returns the config rule r was compiled from.
func (r *LiveRule) Rule() *Rule { return r.src }

// Calls returns the number of requests the rule has answered since Compile or Reset.
func (r *LiveRule) Calls() uint64 { return r.calls.Load() }

// newRuleRand returns the random source of the i-th rule: seeded by the config's seed and
// the rule's position, so adding a rule does not change the draws of the rules before it.
func newRuleRand(seed uint64, i int) *rand.Rand {
	return rand.New(rand.NewPCG(seed, uint64(i)))
}
