package config

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Rule answers the requests it matches. Exactly one of Response and Sequence is set.
type Rule struct {
	// Name identifies the rule in the journal, logs and admin API. Default "rule-N" for the
	// N-th rule of the file; names are unique.
	Name string `yaml:"name"`
	// Line is the rule's line in the file (0 for rules built in Go).
	Line int `yaml:"-"`
	// Match says which requests the rule answers; an empty Match answers every request.
	Match Match `yaml:"match"`
	// Response is the rule's answer (key "respond" in YAML).
	Response *Response `yaml:"respond"`
	// Sequence is a scenario: the first matching request gets the first response, the
	// second the second, and so on.
	Sequence []*Response `yaml:"sequence"`
	// Repeat says what follows the last step of Sequence: "last" (default) repeats it,
	// "cycle" starts again at the first step.
	Repeat string `yaml:"repeat"`

	decodeErrs []string // "line N: ..." problems found while decoding, reported by Validate
}

// Repeat modes of a Sequence.
const (
	RepeatLast  = "last"
	RepeatCycle = "cycle"
)

type plainRule Rule

// UnmarshalYAML decodes a rule strictly and records its line.
func (r *Rule) UnmarshalYAML(n *yaml.Node) error {
	r.Line = n.Line
	err := strictDecode(n, (*plainRule)(r), "rule")
	if r.Match.Line == 0 {
		r.Match.Line = n.Line
	}
	var te *yaml.TypeError
	if errors.As(err, &te) {
		// Keep the rule, so Validate also reports its other problems in the same pass; the
		// decoder would drop a rule whose unmarshaler fails.
		r.decodeErrs = te.Errors
		return nil
	}
	return err
}

// Match selects requests. Every criterion given must hold; criteria left out match
// anything.
type Match struct {
	// Line is the line of the match block (the rule's line when absent).
	Line int `yaml:"-"`
	// Operation is an operationId of the document.
	Operation string `yaml:"operation"`
	// Method is an HTTP method (any case).
	Method string `yaml:"method"`
	// Path is a path template as the document declares it (/v1/{project_id}/hooks), or a
	// concrete request path (/v1/p1/hooks).
	Path string `yaml:"path"`
	// PathParams, Query and Headers match parameter values by name (header names in any
	// case).
	PathParams map[string]*Matcher `yaml:"pathParams"`
	Query      map[string]*Matcher `yaml:"query"`
	Headers    map[string]*Matcher `yaml:"headers"`
	// Body matches fields of a JSON body, named by JSON pointer ("/repo/url") or dotted
	// path ("repo.url"; array elements by index, "items.0.id").
	Body map[string]*Matcher `yaml:"body"`
}

type plainMatch Match

// UnmarshalYAML decodes a match block strictly and records its line.
func (m *Match) UnmarshalYAML(n *yaml.Node) error {
	m.Line = n.Line
	return strictDecode(n, (*plainMatch)(m), "match")
}

// Matcher tests one value. In YAML it is either a scalar, matched exactly, or a mapping
// with any of equals, regex and present, all of which must hold.
type Matcher struct {
	// Line is the matcher's line in the file.
	Line int `yaml:"-"`
	// Equals, when set, must equal the value. Values compare as text: the body number 3
	// equals both 3 and "3".
	Equals *string `yaml:"equals"`
	// Regex, when set, must match the value (unanchored, RE2 syntax: add ^ and $ to match
	// the whole value). Validate reports one that does not compile.
	Regex string `yaml:"regex"`
	// Present, when set, says whether the value must be there (true) or absent (false).
	Present *bool `yaml:"present"`
}

type plainMatcher Matcher

// UnmarshalYAML decodes a scalar (exact value) or a {equals, regex, present} mapping,
// strictly.
func (m *Matcher) UnmarshalYAML(n *yaml.Node) error {
	m.Line = n.Line
	switch n.Kind {
	case yaml.ScalarNode:
		m.Equals = ptr(n.Value)
		return nil
	case yaml.MappingNode:
	default:
		return typeErr(n, "a matcher is a value or a mapping with equals, regex or present, not %s", kindName(n))
	}
	err := strictDecode(n, (*plainMatcher)(m), "matcher")
	if v := mapValue(n, "equals"); v != nil && v.Kind == yaml.ScalarNode && m.Equals == nil {
		m.Equals = ptr(v.Value) // equals: null matches the text "null", as body nulls read
	}
	return err
}

// Response is one answer of a rule: a status, headers and a body, or a fault, after an
// optional delay. Strings in Status, Headers, Body and BodyText may be Go templates over
// the request (see [Input]).
type Response struct {
	// Line is the response's line in the file.
	Line int `yaml:"-"`
	// Status is the HTTP status, or a template rendering one. Default 200.
	Status Status `yaml:"status"`
	// Headers are added to the response; values are templates.
	Headers map[string]string `yaml:"headers"`
	// Body is any YAML value, sent as JSON; its string leaves are templates.
	Body *yaml.Node `yaml:"-"` // decoded by UnmarshalYAML: the decoder cannot fill a *yaml.Node from every value
	// BodyText is a raw body (a template), sent as is, for non-JSON media types.
	BodyText *string `yaml:"bodyText"`
	// ContentType is the body's media type. Default application/json for Body and
	// text/plain; charset=utf-8 for BodyText. A Content-Type in Headers wins.
	ContentType string `yaml:"contentType"`
	// Delay waits before answering.
	Delay *Delay `yaml:"delay"`
	// Fault replaces the answer by a failure, with a probability.
	Fault *Fault `yaml:"fault"`

	headerLines map[string]int // header name as written -> line, for Validate's messages
}

type plainResponse Response

// UnmarshalYAML decodes a response strictly and records its line.
func (r *Response) UnmarshalYAML(n *yaml.Node) error {
	r.Line = n.Line
	err := strictDecode(n, (*plainResponse)(r), "response", "body")
	// Keep the body's own node: any YAML value, with the lines of its leaves for errors.
	r.Body = mapValue(n, "body")
	if h := mapValue(n, "headers"); h != nil && h.Kind == yaml.MappingNode {
		r.headerLines = map[string]int{}
		for i := 0; i+1 < len(h.Content); i += 2 {
			r.headerLines[h.Content[i].Value] = h.Content[i].Line
		}
	}
	return err
}

// Status is a response status: a number, or a template that renders one.
type Status struct {
	// Code is the fixed status (0 means the default, 200, unless Template is set).
	Code int
	// Template renders the status from the request, e.g.
	// `{{ if eq (.Header.Get "X-Repo-Auth") "bad" }}400{{ else }}200{{ end }}`.
	Template string
	// Line is the status's line in the file.
	Line int
}

// UnmarshalYAML accepts a number or a template string.
func (s *Status) UnmarshalYAML(n *yaml.Node) error {
	s.Line = n.Line
	if n.Kind != yaml.ScalarNode {
		return typeErr(n, "status must be a number or a template, not %s", kindName(n))
	}
	if code, err := strconv.Atoi(n.Value); err == nil {
		s.Code = code
		return nil
	}
	if !strings.Contains(n.Value, "{{") {
		return typeErr(n, "status must be a number such as 200 or a template, not %q", n.Value)
	}
	s.Template = n.Value
	return nil
}

// Delay is a wait before answering: fixed when Min == Max, else uniformly random in
// [Min, Max] (seeded).
type Delay struct {
	Min time.Duration `yaml:"min"`
	Max time.Duration `yaml:"max"`
	// Line is the delay's line in the file.
	Line int `yaml:"-"`
}

type plainDelay Delay

// UnmarshalYAML accepts a duration ("250ms") or a range {min: 100ms, max: 300ms}, the
// range decoded strictly.
func (d *Delay) UnmarshalYAML(n *yaml.Node) error {
	d.Line = n.Line
	if n.Kind != yaml.MappingNode {
		if n.Kind != yaml.ScalarNode {
			return typeErr(n, "a delay is a duration such as 250ms, not %s", kindName(n))
		}
		dur, err := time.ParseDuration(n.Value)
		if err != nil {
			return typeErr(n, "a delay is a duration with a unit such as 250ms or 1.5s, not %q", n.Value)
		}
		d.Min, d.Max = dur, dur
		return nil
	}
	err := strictDecode(n, (*plainDelay)(d), "delay")
	if mapValue(n, "min") == nil || mapValue(n, "max") == nil {
		err = joinTypeErrs(err, typeErr(n, "a delay range needs both min and max"))
	}
	return err
}

// Fault kinds.
const (
	FaultHTTP500   = "http-500"  // answer 500 with a short text body
	FaultHTTP503   = "http-503"  // answer 503 with a short text body and Retry-After
	FaultReset     = "reset"     // reset the TCP connection (RST) without answering
	FaultEmpty     = "empty"     // close the connection without answering (client sees EOF)
	FaultMalformed = "malformed" // answer the status with a truncated, unparsable JSON body
	FaultTimeout   = "timeout"   // answer nothing until the client gives up or Hold passes
)

var faultKinds = []string{FaultHTTP500, FaultHTTP503, FaultReset, FaultEmpty, FaultMalformed, FaultTimeout}

// DefaultHold caps a timeout fault, so a client without a timeout does not hold the
// connection (and the server's shutdown) forever.
const DefaultHold = 30 * time.Second

// Fault replaces a response by a failure.
type Fault struct {
	// Type is one of the Fault* kinds.
	Type string `yaml:"type"`
	// Probability in [0, 1] that a request gets the fault; otherwise it gets the normal
	// answer. Default 1.
	Probability float64 `yaml:"probability"`
	// Hold is how long a timeout fault holds the connection before closing it. Default
	// DefaultHold.
	Hold time.Duration `yaml:"hold"`
	// Line is the fault's line in the file.
	Line int `yaml:"-"`
}

type plainFault Fault

// UnmarshalYAML accepts a kind ("reset") or a mapping {type, probability, hold}, the
// mapping decoded strictly.
func (f *Fault) UnmarshalYAML(n *yaml.Node) error {
	f.Line = n.Line
	f.Probability = 1
	switch n.Kind {
	case yaml.ScalarNode:
		f.Type = n.Value
		return nil
	case yaml.MappingNode:
		return strictDecode(n, (*plainFault)(f), "fault")
	}
	return typeErr(n, "a fault is a kind such as reset or a mapping with type and probability, not %s", kindName(n))
}
