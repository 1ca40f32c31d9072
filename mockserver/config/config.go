package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
	yaml4 "go.yaml.in/yaml/v4"
)

// Config is the mock's configuration file. Every field documents its effect and default;
// [Default] returns a Config with every default set, and [Parse] decodes a file over it, so
// a key left out of the file keeps its default.
//
// A Config is immutable once loaded, except for the rules' scenario counters and fault
// random sources, which are safe for concurrent use. Hot reload replaces the whole Config.
type Config struct {
	// File is the path the config was loaded from ("" for defaults); it prefixes errors.
	File string `yaml:"-"`
	// Seed seeds synthesized data and the rules' fault probabilities, so a run can be
	// repeated exactly. Default 1.
	Seed uint64 `yaml:"seed"`
	// Hooks configures the typed hook handler of the hook API.
	Hooks HooksConfig `yaml:"hooks"`
	// CORS configures the answers to browsers' cross-origin requests.
	CORS CORSConfig `yaml:"cors"`
	// Journal configures the request journal shown by the admin API.
	Journal JournalConfig `yaml:"journal"`
	// Admin configures the admin API under /__admin/.
	Admin AdminConfig `yaml:"admin"`
	// Rules answer matching requests before any other source of responses; the first
	// matching rule in file order wins.
	Rules []*Rule `yaml:"rules"`

	root *yaml.Node // the parsed file, to locate keys in Validate; nil for Go-built configs
}

// HooksConfig configures the typed hook handler, which keeps created hooks in memory.
type HooksConfig struct {
	// Types maps an X-Repo-Auth value (a repository authorization name) to the hook type the
	// handler answers, e.g. {"my-gitlab-auth": "gitlab"}. Default empty.
	Types map[string]string `yaml:"types"`
	// DefaultType is the hook type for X-Repo-Auth values not in Types. Default "github".
	DefaultType string `yaml:"defaultType"`
	// OnDuplicate decides what creating the same url twice on the same repository does:
	// "create" (default) creates a new hook each time, "reuse" answers the existing hook,
	// "reject" answers 400.
	OnDuplicate string `yaml:"onDuplicate"`
}

// Duplicate policies of [HooksConfig.OnDuplicate].
const (
	DuplicateCreate = "create"
	DuplicateReuse  = "reuse"
	DuplicateReject = "reject"
)

// CORSConfig configures cross-origin resource sharing, so browser apps on any origin can
// call the mock while developing.
type CORSConfig struct {
	// Enabled turns CORS headers and preflight answers on. Default true.
	Enabled *bool `yaml:"enabled"`
	// Origins lists the allowed origins ("https://app.example:3000"); "*" allows any.
	// Default ["*"].
	Origins []string `yaml:"origins"`
	// MaxAge is how long browsers may cache a preflight answer. Default 10m.
	MaxAge time.Duration `yaml:"maxAge"`
}

// JournalConfig configures the request journal.
type JournalConfig struct {
	// Size is the number of requests kept, oldest dropped first. Default 1000; 0 turns the
	// journal off.
	Size int `yaml:"size"`
}

// AdminConfig configures the admin API.
type AdminConfig struct {
	// Enabled serves the admin API under /__admin/. Default true.
	Enabled *bool `yaml:"enabled"`
}

// Defaults of the settings whose zero value is not the default.
const (
	DefaultSeed        = 1
	DefaultHookType    = "github"
	DefaultJournalSize = 1000
	DefaultCORSMaxAge  = 10 * time.Minute
)

// Default returns the configuration used when no file is given.
func Default() *Config {
	return &Config{
		Seed:    DefaultSeed,
		Hooks:   HooksConfig{Types: map[string]string{}, DefaultType: DefaultHookType, OnDuplicate: DuplicateCreate},
		CORS:    CORSConfig{Enabled: ptr(true), Origins: []string{"*"}, MaxAge: DefaultCORSMaxAge},
		Journal: JournalConfig{Size: DefaultJournalSize},
		Admin:   AdminConfig{Enabled: ptr(true)},
	}
}

func ptr[T any](v T) *T { return &v }

// CORSEnabled reports whether CORS is on (Enabled nil means the default, on).
func (c *Config) CORSEnabled() bool { return c.CORS.Enabled == nil || *c.CORS.Enabled }

// AdminEnabled reports whether the admin API is on (Enabled nil means the default, on).
func (c *Config) AdminEnabled() bool { return c.Admin.Enabled == nil || *c.Admin.Enabled }

// HookType returns the hook type for an X-Repo-Auth value.
func (c *Config) HookType(repoAuth string) string {
	if t, ok := c.Hooks.Types[repoAuth]; ok && t != "" {
		return t
	}
	if c.Hooks.DefaultType == "" {
		return DefaultHookType
	}
	return c.Hooks.DefaultType
}

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

// Load reads and parses the config file at path. Every problem is reported as an [*Error]
// naming path and line; several are joined with [errors.Join].
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{File: path, Msg: err.Error()}
	}
	return Parse(data, path)
}

// Parse parses a config held in memory; file names it in errors. An empty document yields
// the defaults. The result is validated: a nil error means every rule is ready to serve.
func Parse(data []byte, file string) (*Config, error) {
	c := Default()
	c.File = file
	if len(bytes.TrimSpace(stripComments(data))) == 0 {
		return c, nil
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, syntaxError(file, data, err)
	}
	c.root = &root
	if len(root.Content) == 1 && root.Content[0].Kind != yaml.MappingNode && root.Content[0].ShortTag() != "!!null" {
		return nil, &Error{File: file, Line: root.Content[0].Line, Msg: "a config file must be a mapping of keys (seed, hooks, cors, journal, admin, rules)"}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var errs []error
	if err := dec.Decode(c); err != nil {
		errs = append(errs, c.nameKeys(yamlErrors(file, err)))
		var te *yaml.TypeError
		if !errors.As(err, &te) {
			return nil, errs[0] // not a typed problem: the decoder stopped, nothing to validate
		}
	}
	// Validate even after decoding problems, so one pass reports everything.
	errs = append(errs, c.Validate())
	if err := sortErrors(errors.Join(errs...)); err != nil {
		return nil, err
	}
	return c, nil
}

// sortErrors orders the located problems of a joined error by line and drops duplicates,
// so the report reads top to bottom like the file.
func sortErrors(err error) error {
	if err == nil {
		return nil
	}
	var flat []*Error
	var other []error
	var walk func(error)
	walk = func(e error) {
		if multi, ok := e.(interface{ Unwrap() []error }); ok {
			for _, sub := range multi.Unwrap() {
				walk(sub)
			}
			return
		}
		var ce *Error
		if errors.As(e, &ce) {
			flat = append(flat, ce)
			return
		}
		other = append(other, e)
	}
	walk(err)
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

// stripComments drops YAML comment-only lines, so a file of comments counts as empty.
func stripComments(data []byte) []byte {
	var out []byte
	for line := range bytes.Lines(data) {
		if t := bytes.TrimSpace(line); len(t) > 0 && t[0] != '#' && !bytes.Equal(t, []byte("---")) {
			out = append(out, line...)
		}
	}
	return out
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

// keyLine returns the line of the value at the path of mapping keys in the parsed file,
// or 0 when the config was not parsed from a file or the key is absent.
func (c *Config) keyLine(path ...string) int {
	if c.root == nil || len(c.root.Content) == 0 {
		return 0
	}
	n := c.root.Content[0]
	line := n.Line
	for _, key := range path {
		next := mapValue(n, key)
		if next == nil {
			return line
		}
		n, line = next, next.Line
	}
	return line
}

func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}
