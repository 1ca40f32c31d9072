package config

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
	yaml4 "go.yaml.in/yaml/v4"
)

// Error is one problem in a config file, located by file and line (0 when unknown).
type Error struct {
	File string
	Line int
	Msg  string
}

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

var (
	yamlLineRe    = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)
	unknownKeyRe  = regexp.MustCompile(`^field (\S+) not found in type (\S+)$`)
	sectionByType = map[string]string{
		"config.Config": "the config", "config.HooksConfig": "hooks", "config.CORSConfig": "cors",
		"config.JournalConfig": "journal", "config.AdminConfig": "admin",
	}
)

// syntaxError locates a YAML syntax error. yaml.v3 reports the line where the enclosing
// block starts, which can be far from the mistake; yaml.v4's parser reports the line of
// the mistake itself, so it is asked for that line and v3's is kept as context.
func syntaxError(file string, data []byte, err error) error {
	e := yamlErrors(file, err)
	var at *Error
	if !errors.As(e, &at) {
		return e
	}
	var probe any
	if err4 := yaml4.Unmarshal(data, &probe); err4 != nil {
		if sm := yamlLineRe.FindStringSubmatch(err4.Error()); sm != nil {
			if line, _ := strconv.Atoi(sm[1]); line > at.Line {
				return &Error{File: file, Line: line, Msg: fmt.Sprintf("%s (in the block that starts at line %d)", sm[2], at.Line)}
			}
		}
	}
	return e
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
		e := &Error{File: file, Msg: strings.TrimPrefix(m, "yaml: ")}
		if sm := yamlLineRe.FindStringSubmatch(m); sm != nil {
			e.Line, _ = strconv.Atoi(sm[1])
			e.Msg = sm[2]
		}
		if sm := unknownKeyRe.FindStringSubmatch(e.Msg); sm != nil {
			section := sectionByType[sm[2]]
			if section == "" {
				section = sm[2]
			}
			e.Msg = fmt.Sprintf("unknown key %q in %s", sm[1], section)
		}
		errs = append(errs, e)
	}
	return errors.Join(errs...)
}

var cannotUnmarshalRe = regexp.MustCompile("^cannot unmarshal !!(\\w+)(?: `(.*)`)? into (\\S+)$")

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
			if sm := cannotUnmarshalRe.FindStringSubmatch(ce.Msg); sm != nil {
				want := wantedType[sm[3]]
				if want == "" {
					want = "of type " + sm[3]
				}
				got := strconv.Quote(sm[2])
				switch sm[1] {
				case "seq":
					got = "a list"
				case "map":
					got = "a mapping"
				}
				if key := c.keyAtLine(ce.Line); key != "" {
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

// keyAtLine returns the dotted path of the mapping key on line ("cors.maxAge"), or "".
func (c *Config) keyAtLine(line int) string {
	if c.root == nil || len(c.root.Content) == 0 {
		return ""
	}
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
					return path
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
	return find(c.root.Content[0], "")
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
