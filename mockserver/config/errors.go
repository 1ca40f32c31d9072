package config

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Error is one problem in a config file, located by file and line (0 when unknown), with a
// stable [Code] saying which kind of problem it is, so tools and tests match the code, not
// the wording.
type Error struct {
	File string
	Line int
	Code Code
	Msg  string
}

// Code names a kind of config problem. The values are a contract: wording may change,
// codes may not.
type Code string

// The config problem codes.
const (
	CodeUnreadable      Code = "config-unreadable"       // the file cannot be read, or is over MaxFileBytes
	CodeSyntax          Code = "config-syntax"           // not well-formed YAML
	CodeNotMapping      Code = "config-not-mapping"      // the file (or a seed file) is not a mapping of keys
	CodeUnknownKey      Code = "config-unknown-key"      // a key no setting has
	CodeWrongType       Code = "config-wrong-type"       // a value of the wrong type (a text where a number goes...)
	CodeInvalid         Code = "config-invalid"          // a value out of its range or inconsistent with another
	CodeSeed            Code = "config-seed-invalid"     // a state seed file's content
	CodeAgainstDocument Code = "config-against-document" // a rule or resource that names what the document lacks
)

func (e *Error) Error() string {
	file := e.File
	if file == "" {
		file = "config"
	}
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", file, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", file, e.Msg)
}

// sortErrors orders the located problems of a joined error by line and drops duplicates,
// so the report reads top to bottom like the file.
func sortErrors(err error) error {
	if err == nil {
		return nil
	}
	var flat []*Error
	var other []error
	for _, e := range flattenErrors(err) {
		var ce *Error
		if errors.As(e, &ce) {
			flat = append(flat, ce)
		} else {
			other = append(other, e)
		}
	}
	sort.SliceStable(flat, func(i, j int) bool { return flat[i].Line < flat[j].Line })
	seen := map[string]bool{}
	out := other
	for _, e := range flat {
		if key := e.Error(); !seen[key] {
			seen[key] = true
			out = append(out, e)
		}
	}
	return errors.Join(out...)
}

var sectionByType = map[string]string{
	"config.Config": "the config", "config.HooksConfig": "hooks", "config.CORSConfig": "cors",
	"config.JournalConfig": "journal", "config.AdminConfig": "admin",
}

// syntaxError locates a YAML syntax error. yaml.v3 reports some of them (a key indented
// wrongly) at the line where the enclosing block starts, which can be a few lines above
// the mistake; the line is still in the message, so the user looks from there.
func syntaxError(file string, err error) error {
	return yamlErrors(file, err)
}

// yamlErrors turns the YAML library's errors, which carry "line N:" in their text, into
// located Errors with wording that names the key.
func yamlErrors(file string, err error) error {
	var msgs []string
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	} else {
		msgs = []string{err.Error()}
	}
	var errs []error
	for _, m := range msgs {
		e := &Error{File: file, Code: CodeSyntax, Msg: strings.TrimPrefix(m, yamlPrefix)}
		if line, msg, ok := yamlLineMessage(m); ok {
			e.Line, e.Msg = line, msg
		}
		if key, typ, ok := yamlUnknownKey(e.Msg); ok {
			section := sectionByType[typ]
			if section == "" {
				section = typ
			}
			e.Code, e.Msg = CodeUnknownKey, fmt.Sprintf("unknown key %q in %s", key, section)
		} else if strings.HasPrefix(e.Msg, "unknown key ") {
			// The strict decoding of rules (decode.go, rule.go) says it in these words.
			e.Code = CodeUnknownKey
		} else if te != nil {
			e.Code = CodeWrongType
		}
		errs = append(errs, e)
	}
	return errors.Join(errs...)
}

// wantedType says in words what a Go type of the config expects.
var wantedType = map[string]string{
	"uint64": "a whole number 0 or more", "int": "a whole number", "float64": "a number",
	"bool": "true or false", "string": "a text value", "time.Duration": "a duration such as 10m or 250ms",
	"[]string": "a list of text values", "map[string]string": "a mapping of names to text values",
	"[]*config.Rule": "a list of rules",
}

// nameKeys rewrites the decoder's "cannot unmarshal !!str `many` into uint64" into
// "seed must be a whole number 0 or more, not "many"", naming the key found at the
// problem's line in the parsed file.
func (c *Config) nameKeys(err error) error {
	var out []error
	for _, e := range flattenErrors(err) {
		var ce *Error
		if errors.As(e, &ce) {
			if tag, value, goType, ok := yamlCannotUnmarshal(ce.Msg); ok {
				ce.Code = CodeWrongType
				want := wantedType[goType]
				if want == "" {
					want = "of type " + goType
				}
				got := strconv.Quote(value)
				switch tag {
				case "seq":
					got = "a list"
				case "map":
					got = "a mapping"
				}
				if key := c.keyAtLine(ce.Line, tag, value); key != "" {
					ce.Msg = fmt.Sprintf("%s must be %s, not %s", key, want, got)
				} else {
					ce.Msg = fmt.Sprintf("expected %s, not %s", want, got)
				}
			}
		}
		out = append(out, e)
	}
	return errors.Join(out...)
}

// keyAtLine returns the dotted path of the mapping key on line ("cors.maxAge") whose
// value is the one the decoder refused (a value of YAML tag with text value), or "". Of
// several keys on the line ({min: 5, max: 1s}), the one holding that value wins; else the
// deepest first one.
func (c *Config) keyAtLine(line int, tag, value string) string {
	if c.root == nil || len(c.root.Content) == 0 {
		return ""
	}
	holds := func(v *yaml.Node) bool {
		switch tag {
		case "seq":
			return v.Kind == yaml.SequenceNode
		case "map":
			return v.Kind == yaml.MappingNode
		}
		return v.Kind == yaml.ScalarNode && v.Value == value
	}
	first := ""
	var find func(n *yaml.Node, prefix string) string
	find = func(n *yaml.Node, prefix string) string {
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				path := k.Value
				if prefix != "" {
					path = prefix + "." + k.Value
				}
				// A deeper key on the same line ({a: {b: x}}) is more precise than this one.
				if p := find(v, path); p != "" {
					return p
				}
				if k.Line == line {
					if holds(v) {
						return path
					}
					if first == "" {
						first = path
					}
				}
			}
		case yaml.SequenceNode:
			for i, item := range n.Content {
				if p := find(item, fmt.Sprintf("%s[%d]", prefix, i)); p != "" {
					return p
				}
			}
		}
		return ""
	}
	if p := find(c.root.Content[0], ""); p != "" {
		return p
	}
	return first
}

func flattenErrors(err error) []error {
	if multi, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range multi.Unwrap() {
			out = append(out, flattenErrors(e)...)
		}
		return out
	}
	if err == nil {
		return nil
	}
	return []error{err}
}
