package config

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// LimitsConfig bounds what one rule may cost per request, so a config someone else wrote
// cannot make the mock exhaust memory or time (see SECURITY.md). Every limit has a default
// and a hard ceiling; a value above the ceiling is a load error with its line.
type LimitsConfig struct {
	// TemplateOutput is the most bytes a rule's templates may render for one answer
	// (status, headers and body together). Default 1 MiB, at most 64 MiB.
	TemplateOutput int64 `yaml:"templateOutput"`
	// TemplateTime is the most time a rule's templates may take for one answer. It is
	// checked as the templates write their output. Default 1s, at most 1m.
	TemplateTime time.Duration `yaml:"templateTime"`
}

// Defaults and hard ceilings of the limits. The sizes of the journal and the hook store
// are in their own sections (journal.size, journal.maxBytes, hooks.maxStored,
// hooks.maxBytes).
const (
	DefaultTemplateOutput = 1 << 20
	MaxTemplateOutput     = 64 << 20
	DefaultTemplateTime   = time.Second
	MaxTemplateTime       = time.Minute

	// MaxJournalSize is the most entries journal.size may ask for.
	MaxJournalSize = 100_000
	// DefaultJournalBytes is the journal's byte budget; MaxJournalBytes its ceiling.
	DefaultJournalBytes = 32 << 20
	MaxJournalBytes     = 1 << 30

	// DefaultMaxStoredHooks and DefaultHookBytes bound the typed hook handler's store;
	// MaxStoredHooks and MaxHookBytes are their ceilings.
	DefaultMaxStoredHooks = 10_000
	MaxStoredHooks        = 1_000_000
	DefaultHookBytes      = 16 << 20
	MaxHookBytes          = 1 << 30

	// MaxRules is the most rules a config may hold, MaxSequenceSteps the most steps of
	// one rule's sequence, MaxFileBytes the largest config file read.
	MaxRules         = 10_000
	MaxSequenceSteps = 1_000
	MaxFileBytes     = 8 << 20

	// maxRangeIterations bounds the iterations a template's range over integer literals
	// may make, nested ranges multiplied.
	maxRangeIterations = 100_000
)

// limitsDefaults fills in the zero limits (of a copy: see withDefaults).
func (c *Config) limitsDefaults() {
	orDefault(&c.Limits.TemplateOutput, DefaultTemplateOutput)
	orDefault(&c.Limits.TemplateTime, DefaultTemplateTime)
	orDefault(&c.Journal.MaxBytes, DefaultJournalBytes)
	orDefault(&c.Hooks.MaxStored, DefaultMaxStoredHooks)
	orDefault(&c.Hooks.MaxBytes, DefaultHookBytes)
}

// validateLimits checks every limit against its ceiling; add reports a problem at a line.
func (c *Config) validateLimits(add func(line int, format string, args ...any)) {
	between := func(path []string, v, lo, hi int64, unit string) {
		if v < lo || v > hi {
			add(c.keyLine(path...), "%s.%s must be between %d and %d%s, not %d", path[0], path[1], lo, hi, unit, v)
		}
	}
	if c.Journal.Size > MaxJournalSize {
		add(c.keyLine("journal", "size"), "journal.size must be at most %d entries, not %d", MaxJournalSize, c.Journal.Size)
	}
	between([]string{"journal", "maxBytes"}, c.Journal.MaxBytes, 64<<10, MaxJournalBytes, " bytes")
	between([]string{"hooks", "maxStored"}, int64(c.Hooks.MaxStored), 1, MaxStoredHooks, " hooks")
	between([]string{"hooks", "maxBytes"}, c.Hooks.MaxBytes, 64<<10, MaxHookBytes, " bytes")
	between([]string{"limits", "templateOutput"}, c.Limits.TemplateOutput, 1<<10, MaxTemplateOutput, " bytes")
	if t := c.Limits.TemplateTime; t < time.Millisecond || t > MaxTemplateTime {
		add(c.keyLine("limits", "templateTime"), "limits.templateTime must be between 1ms and %s, not %s", MaxTemplateTime, t)
	}
	if len(c.Rules) > MaxRules {
		add(c.keyLine("rules"), "a config may hold at most %d rules, not %d", MaxRules, len(c.Rules))
	}
	for _, r := range c.Rules {
		if r != nil && len(r.Sequence) > MaxSequenceSteps {
			add(r.Line, "rule %q: a sequence may have at most %d steps, not %d", r.Name, MaxSequenceSteps, len(r.Sequence))
		}
	}
}

// budget is what one answer's templates may still spend.
type budget struct {
	left     int64
	deadline time.Time
	size     int64         // the output limit, for messages
	limit    time.Duration // the time limit, for messages
	over     string        // "output" or "time" once exceeded
}

func newBudget(l *LimitsConfig) *budget {
	var out int64
	var t time.Duration
	if l != nil {
		out, t = l.TemplateOutput, l.TemplateTime
	}
	if out <= 0 {
		out = DefaultTemplateOutput
	}
	if t <= 0 {
		t = DefaultTemplateTime
	}
	return &budget{left: out, deadline: time.Now().Add(t), size: out, limit: t}
}

// ErrTemplateBudget is returned when a rule's templates exceed limits.templateOutput or
// limits.templateTime for one answer.
var ErrTemplateBudget = errors.New("template budget exceeded")

// maxSecretKeyBytes bounds an AK/SK secret key file (auth.aksk[].secretKeyFile); a secret
// key is some forty characters.
const maxSecretKeyBytes = 4 << 10

// readLimited reads a file a config names (a state seed, a secret key): a regular file of
// at most limit bytes, so that a config someone else wrote cannot make the mock read
// /dev/zero until memory runs out, or wait forever on a fifo. Errors name the file, never
// its content.
func readLimited(path string, limit int64) ([]byte, error) {
	// Stat before opening: opening a fifo for reading blocks until a writer comes.
	if st, err := os.Stat(path); err != nil {
		return nil, err
	} else if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s is larger than the limit of %d bytes", path, limit)
	}
	return data, nil
}
