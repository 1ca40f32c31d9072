package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"go.yaml.in/yaml/v3"
)

// Config is the mock's configuration file. Every field documents its effect and default;
// [Default] returns a Config with every default set, and [Parse] decodes a file over it, so
// a key left out of the file keeps its default.
//
// A Config is data, immutable once loaded: what changes while serving (the rules'
// scenario counters and random sources) lives in the [RuleSet] that [Compile] builds from
// it. Hot reload replaces the whole Config and compiles it again.
type Config struct {
	// File is the path the config was loaded from ("" for defaults); it prefixes errors.
	File string `yaml:"-"`
	// Seed seeds synthesized data and the rules' fault probabilities, so a run can be
	// repeated exactly. Default 1.
	Seed uint64 `yaml:"seed"`
	// Profile names the API profile whose conventions the mock follows beyond the
	// document (error bodies, typed handlers), such as "servicestage"; it overrides the
	// document's x-hookkit-profile. Default none (the document's).
	Profile string `yaml:"profile"`
	// Hooks configures the typed hook handler of the hook API.
	Hooks HooksConfig `yaml:"hooks"`
	// CORS configures the answers to browsers' cross-origin requests.
	CORS CORSConfig `yaml:"cors"`
	// Journal configures the request journal shown by the admin API.
	Journal JournalConfig `yaml:"journal"`
	// Admin configures the admin API under /__admin/.
	Admin AdminConfig `yaml:"admin"`
	// Auth configures which credentials the mock accepts: AK/SK request signatures
	// (see hookapi.go) and tokens (see tokens.go).
	Auth AuthConfig `yaml:"auth"`
	// State configures the stateful mock (off by default).
	State StateConfig `yaml:"state"`
	// Limits bounds what templates may cost per answer (see limits.go).
	Limits LimitsConfig `yaml:"limits"`
	// Rules answer matching requests before any other source of responses; the first
	// matching rule in file order wins.
	Rules []*Rule `yaml:"rules"`

	root *yaml.Node // the parsed file, to locate keys in Validate; nil for Go-built configs
	// tokens are the accepted tokens, read by Resolve from auth.tokens; adminToken the
	// value of the variable admin.tokenEnv names.
	tokens     tokenSet
	adminToken string
	resolved   bool // made by Resolve: defaults filled in, credentials and seed read
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
	// Deliver configures the webhook deliveries sent to created hooks (see hookapi.go).
	Deliver DeliverConfig `yaml:"deliver"`
	// MaxStored is the most hooks kept (with state on: the most hook secrets this replica
	// keeps); the oldest is forgotten first. Default 10,000, at most 1,000,000.
	MaxStored int `yaml:"maxStored"`
	// MaxBytes is the most bytes the kept hooks may take (their urls, names and secrets),
	// and with state on the kept hook secrets; the oldest are forgotten first. Default
	// 16 MiB, at most 1 GiB.
	MaxBytes int64 `yaml:"maxBytes"`
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
	// Size is the number of requests kept, oldest dropped first. Default 1000, at most
	// 100,000; 0 turns the journal off.
	Size int `yaml:"size"`
	// MaxBytes is the journal's byte budget: when the entries held are larger, the oldest
	// are dropped whatever Size allows. Each entry keeps at most 16 KiB of each body and
	// 1 KiB of each header value (cuts are marked). Default 32 MiB, at most 1 GiB.
	MaxBytes int64 `yaml:"maxBytes"`
}

// AdminConfig configures the admin API.
type AdminConfig struct {
	// Enabled serves the admin API under /__admin/. Default true.
	Enabled *bool `yaml:"enabled"`
	// Origins lists the browser origins allowed to call the admin API cross-origin
	// ("http://localhost:3000"). Default none: web pages cannot use it.
	Origins []string `yaml:"origins"`
	// Hosts lists extra Host names the admin API answers to, on top of loopback names and
	// addresses and the bound address (DNS rebinding protection). Default none.
	Hosts []string `yaml:"hosts"`
	// TokenEnv names an environment variable holding the admin token; when set, every
	// admin request needs "Authorization: Bearer <token>". Default none (the
	// --admin-token-env flag wins over it).
	TokenEnv string `yaml:"tokenEnv"`
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
	c := &Config{
		Seed:    DefaultSeed,
		Hooks:   HooksConfig{Types: map[string]string{}, DefaultType: DefaultHookType, OnDuplicate: DuplicateCreate, MaxStored: DefaultMaxStoredHooks, MaxBytes: DefaultHookBytes},
		CORS:    CORSConfig{Enabled: ptr(true), Origins: []string{"*"}, MaxAge: DefaultCORSMaxAge},
		Journal: JournalConfig{Size: DefaultJournalSize, MaxBytes: DefaultJournalBytes},
		Limits:  LimitsConfig{TemplateOutput: DefaultTemplateOutput, TemplateTime: DefaultTemplateTime},
		Admin:   AdminConfig{Enabled: ptr(true)},
		Auth:    AuthConfig{MaxSkew: DefaultMaxSkew},
		State:   StateConfig{Prefix: DefaultStatePrefix, MaxItems: DefaultStateMaxItems, MaxBytes: DefaultStateMaxBytes},
	}
	c.Hooks.Deliver = DeliverConfig{OnCreate: OnCreateNone, Backoff: DefaultDeliverBackoff, Timeout: DefaultDeliverTimeout}
	return c
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

// Load reads and parses the config file at path. Every problem is reported as an [*Error]
// naming path and line; several are joined with [errors.Join].
func Load(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &Error{File: path, Code: CodeUnreadable, Msg: err.Error()}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return nil, &Error{File: path, Code: CodeUnreadable, Msg: err.Error()}
	}
	if len(data) > MaxFileBytes {
		return nil, &Error{File: path, Code: CodeUnreadable, Msg: fmt.Sprintf("larger than the limit of %d bytes for a config file", MaxFileBytes)}
	}
	return Parse(data, path)
}

// Parse parses a config held in memory; file names it in errors. An empty document yields
// the defaults. The result is validated: a nil error means every rule is ready to serve.
// Parse reads nothing but data: [Resolve] reads the credentials and the seed file the
// config names.
func Parse(data []byte, file string) (*Config, error) {
	c := Default()
	c.File = file
	if len(bytes.TrimSpace(stripComments(data))) == 0 {
		return c, nil
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, syntaxError(file, err)
	}
	c.root = &root
	if len(root.Content) == 1 && root.Content[0].Kind != yaml.MappingNode && root.Content[0].ShortTag() != "!!null" {
		return nil, &Error{File: file, Line: root.Content[0].Line, Code: CodeNotMapping, Msg: "a config file must be a mapping of keys (seed, hooks, cors, journal, admin, limits, rules)"}
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
	// The file's rules get their documented default names, so the journal, the logs and
	// the admin API show the same name.
	for i, r := range c.Rules {
		if r != nil && r.Name == "" {
			r.Name = c.RuleName(i)
		}
	}
	// Validate even after decoding problems, so one pass reports everything.
	errs = append(errs, c.Validate())
	if err := sortErrors(errors.Join(errs...)); err != nil {
		return nil, err
	}
	return c, nil
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
