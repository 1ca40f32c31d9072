package config

import (
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/hookkit/hookkit/openapi"
	"github.com/hookkit/hookkit/openapi/resource"
)

// StateConfig configures the stateful mock: resources created by POST are kept, later GETs
// return them, PUT/PATCH change them and DELETE removes them (see README "Stateful
// mocking"). It is off by default: a stateless mock answers the same request the same way,
// which is what most contract tests want.
type StateConfig struct {
	// Enabled turns stateful mocking on (also: hookkit mock --stateful). Default false.
	Enabled bool `yaml:"enabled"`
	// Redis, when set (redis://host:6379/0), keeps state in Redis so several mock replicas
	// share it (also: --state-redis URL). Default "": in memory, per process.
	Redis string `yaml:"redis"`
	// Prefix starts every Redis key, so several teams can share one Redis. Default "hookkit".
	Prefix string `yaml:"prefix"`
	// TTL, when positive, makes Redis forget a collection scope nobody wrote to for that
	// long. Default 0: kept until reset. (The memory store is bounded by MaxItems instead.)
	TTL time.Duration `yaml:"ttl"`
	// MaxItems bounds the memory store; past it the oldest resource is forgotten first.
	// Default 10000, at most 1,000,000.
	MaxItems int `yaml:"maxItems"`
	// MaxBytes bounds what the memory store's resources may take; past it the oldest
	// resource is forgotten first (never the one just written). Default 64 MiB, 64 KiB to
	// 1 GiB.
	MaxBytes int64 `yaml:"maxBytes"`
	// Seed is a YAML file (relative to the config file) of resources to start with, by
	// collection name. Default "": the document's examples of the get (and list) responses.
	Seed string `yaml:"seed"`
	// Resources names or corrects collections the inference gets wrong, or switches them
	// off. Default: none, the inferred model alone.
	Resources []*ResourceConfig `yaml:"resources"`

	// seedData is the parsed seed file: collection name -> entries.
	seedData map[string][]SeedEntry
}

// ResourceConfig overrides the inferred model for one collection path.
type ResourceConfig struct {
	// Line is the entry's line in the file.
	Line int `yaml:"-"`
	// Name of the collection (in the admin API and Redis keys). Default: inferred.
	Name string `yaml:"name"`
	// Path is the collection path as the document declares it, e.g. /todos (required).
	Path string `yaml:"path"`
	// ItemPath is the item path, e.g. /todos/{id}. Default: inferred.
	ItemPath string `yaml:"itemPath"`
	// IDField is the resource's id property. Default: inferred.
	IDField string `yaml:"idField"`
	// Enabled false removes the collection at Path from the model. Default true.
	Enabled *bool `yaml:"enabled"`
}

type plainResource ResourceConfig

// UnmarshalYAML decodes an entry strictly and records its line.
func (r *ResourceConfig) UnmarshalYAML(n *yaml.Node) error {
	r.Line = n.Line
	return strictDecode(n, (*plainResource)(r), "state.resources entry")
}

// SeedEntry is one resource of the seed file: the resource itself, and for a scoped
// collection the values of its parent path parameters.
type SeedEntry struct {
	Line  int
	Scope map[string]string
	Item  map[string]any
}

// DefaultStatePrefix, DefaultStateMaxItems and DefaultStateMaxBytes are the defaults of
// state.prefix, state.maxItems and state.maxBytes; MaxStateItems and MaxStateBytes are
// the ceilings of the last two.
const (
	DefaultStatePrefix   = "hookkit"
	DefaultStateMaxItems = 10000
	MaxStateItems        = 1_000_000
	DefaultStateMaxBytes = 64 << 20
	MaxStateBytes        = 1 << 30
)

// SeedData returns the parsed state.seed file, by collection name (nil without one).
func (c *Config) SeedData() map[string][]SeedEntry { return c.State.seedData }

// Overrides returns state.resources as the resource model takes them.
func (c *Config) Overrides() []resource.Override {
	out := make([]resource.Override, 0, len(c.State.Resources))
	for _, r := range c.State.Resources {
		if r == nil {
			continue
		}
		out = append(out, resource.Override{Name: r.Name, Path: r.Path, ItemPath: r.ItemPath, IDField: r.IDField, Disabled: r.Enabled != nil && !*r.Enabled})
	}
	return out
}

// validateState checks the state settings (with their defaults filled in); Resolve reads
// the seed file.
func (c *Config) validateState() []error {
	var errs []error
	add := func(line int, format string, args ...any) {
		errs = append(errs, &Error{File: c.File, Line: line, Code: CodeInvalid, Msg: fmt.Sprintf(format, args...)})
	}
	s := &c.State
	if s.MaxItems < 0 {
		add(c.keyLine("state", "maxItems"), "state.maxItems must be positive, not %d", s.MaxItems)
	} else if s.MaxItems > MaxStateItems {
		add(c.keyLine("state", "maxItems"), "state.maxItems must be at most %d, not %d", MaxStateItems, s.MaxItems)
	}
	if s.MaxBytes < 64<<10 || s.MaxBytes > MaxStateBytes {
		add(c.keyLine("state", "maxBytes"), "state.maxBytes must be between %d and %d bytes, not %d", 64<<10, MaxStateBytes, s.MaxBytes)
	}
	if s.TTL < 0 {
		add(c.keyLine("state", "ttl"), "state.ttl must not be negative")
	}
	if s.Redis != "" {
		if err := CheckRedisURL(s.Redis); err != nil {
			add(c.keyLine("state", "redis"), "state.redis: %v", err)
		}
	}
	for i, r := range s.Resources {
		if r == nil {
			add(c.keyLine("state", "resources"), "state.resources entry %d is empty", i+1)
			continue
		}
		if r.Path == "" {
			add(r.Line, "state.resources entry %d: path is required (the collection path, e.g. /todos)", i+1)
		}
	}
	return errs
}

// readSeedFile reads state.seed, relative to the config file, into c.State.seedData.
func (c *Config) readSeedFile() []error {
	s := &c.State
	if s.Seed == "" {
		return nil
	}
	path := s.Seed
	if !filepath.IsAbs(path) && c.File != "" && !isPseudoFile(c.File) {
		path = filepath.Join(filepath.Dir(c.File), path)
	}
	data, err := readSeed(path)
	if err != nil {
		return []error{&Error{File: c.File, Line: c.keyLine("state", "seed"), Code: CodeInvalid, Msg: fmt.Sprintf("state.seed: %v", err)}}
	}
	if s.seedData, err = parseSeed(data, path); err != nil {
		return []error{err}
	}
	return nil
}

// isPseudoFile reports whether a config's File names no file on disk (PUT /__admin/config).
func isPseudoFile(f string) bool { return strings.HasPrefix(f, "PUT ") }

// maxSeedBytes bounds the seed file.
const maxSeedBytes = 8 << 20

func readSeed(path string) ([]byte, error) { return readLimited(path, maxSeedBytes) }

// CheckRedisURL reports whether u is a Redis URL the store can use. The error never shows
// the URL's password.
func CheckRedisURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return errors.New("not a URL (want redis://host:6379/0)")
	}
	switch u.Scheme {
	case "redis", "rediss":
		if u.Host == "" {
			return errors.New("no host (want redis://host:6379/0)")
		}
	case "unix":
	default:
		return fmt.Errorf("scheme %q is not redis, rediss or unix", u.Scheme)
	}
	return nil
}

// parseSeed reads a seed file: a mapping of collection name to a list of entries; an entry
// is the resource itself, or {scope: {param: value}, item: {...}} for a scoped collection.
func parseSeed(data []byte, file string) (map[string][]SeedEntry, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, syntaxError(file, err)
	}
	out := map[string][]SeedEntry{}
	if len(root.Content) == 0 {
		return out, nil
	}
	top := root.Content[0]
	if top.Kind != yaml.MappingNode {
		return nil, &Error{File: file, Line: top.Line, Code: CodeNotMapping, Msg: "a seed file must map collection names to lists of resources"}
	}
	var errs []error
	for i := 0; i+1 < len(top.Content); i += 2 {
		name, list := top.Content[i], top.Content[i+1]
		if list.Kind != yaml.SequenceNode {
			errs = append(errs, &Error{File: file, Line: list.Line, Code: CodeSeed, Msg: fmt.Sprintf("collection %q: want a list of resources", name.Value)})
			continue
		}
		for _, n := range list.Content {
			e := SeedEntry{Line: n.Line}
			var v any
			if err := n.Decode(&v); err != nil {
				errs = append(errs, &Error{File: file, Line: n.Line, Code: CodeSeed, Msg: err.Error()})
				continue
			}
			m, ok := v.(map[string]any)
			if !ok {
				errs = append(errs, &Error{File: file, Line: n.Line, Code: CodeSeed, Msg: fmt.Sprintf("collection %q: a resource must be a mapping", name.Value)})
				continue
			}
			if sc, ok := m["scope"].(map[string]any); ok && len(m) == 2 {
				if item, ok := m["item"].(map[string]any); ok {
					e.Scope = map[string]string{}
					for k, v := range sc {
						e.Scope[k] = fmt.Sprint(v)
					}
					m = item
				}
			}
			e.Item = m
			out[name.Value] = append(out[name.Value], e)
		}
	}
	return out, errors.Join(errs...)
}

// checkState checks state.resources against the document.
func (c *Config) checkState(doc *openapi.Document) []error {
	if len(c.State.Resources) == 0 {
		return nil
	}
	if _, err := resource.Infer(doc, c.Overrides()); err != nil {
		return []error{&Error{File: c.File, Line: c.keyLine("state", "resources"), Code: CodeAgainstDocument, Msg: err.Error()}}
	}
	return nil
}

// SchemaProblems describes a schema validation error of kin-openapi the way config
// problems are worded ("field /name: reason", joined by "; "), without the schema and
// value dump of its Error(). The stateful mock uses it for seed resources.
func SchemaProblems(err error) string {
	var msgs []string
	for _, is := range schemaIssues(err) {
		msgs = append(msgs, is.msg)
	}
	return strings.Join(msgs, "; ")
}
