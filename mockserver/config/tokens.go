package config

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// TokenSource is one place accepted tokens are read from: an environment variable holding
// one token, or a file holding one per line (blank lines and lines starting with # are
// skipped; surrounding spaces are trimmed).
type TokenSource struct {
	// Env names an environment variable holding one token.
	Env string `yaml:"env"`
	// File is a file of tokens, one per line.
	File string `yaml:"file"`
}

// Limits of accepted tokens, so a config cannot make the mock read a huge file.
const (
	// MaxTokenFileBytes is the largest tokens file read.
	MaxTokenFileBytes = 1 << 20
	// MaxTokens is the most tokens accepted in all.
	MaxTokens = 10000
	// MaxTokenBytes is the longest token.
	MaxTokenBytes = 4096
)

// tokenSet holds the accepted tokens by digest, so that a lookup takes the same time
// whatever prefix a guess shares, and their values, so that the mock scrubs them from
// whatever it shows (see [Config.SecretValues]).
type tokenSet struct {
	digests map[[sha256.Size]byte]bool
	values  []string
}

// ChecksTokens reports whether accepted tokens are configured (auth.tokens) and were read
// by [Resolve]; a config that was not resolved checks none.
func (c *Config) ChecksTokens() bool { return len(c.tokens.digests) > 0 }

// AcceptsToken reports whether token is one of the accepted tokens.
func (c *Config) AcceptsToken(token string) bool {
	return c.tokens.digests[sha256.Sum256([]byte(token))]
}

// SecretValues returns the credentials the config holds, read by [Resolve]: the accepted
// tokens (auth.tokens) and the AK/SK secret keys (auth.aksk). The mock scrubs them from its
// journal, logs and admin answers wherever they appear, even where a request or a rule put
// one in a place redaction by name does not cover.
func (c *Config) SecretValues() []string {
	out := append([]string(nil), c.tokens.values...)
	for i := range c.Auth.AKSK {
		if sk := c.Auth.AKSK[i].SecretKey(); sk != "" {
			out = append(out, sk)
		}
	}
	return out
}

// validateTokens checks that every auth.tokens source names one place to read from;
// Resolve reads them.
func (c *Config) validateTokens() []error {
	var errs []error
	for i, src := range c.Auth.Tokens {
		where := "auth.tokens[" + strconv.Itoa(i) + "]"
		switch {
		case src.Env != "" && src.File != "":
			errs = append(errs, c.tokensError("%s: give env or file, not both", where))
		case src.Env == "" && src.File == "":
			errs = append(errs, c.tokensError("%s: tokens must come from env or file (never inline)", where))
		}
	}
	return errs
}

func (c *Config) tokensError(format string, args ...any) error {
	return &Error{File: c.File, Line: c.keyLine("auth", "tokens"), Code: CodeInvalid, Msg: fmt.Sprintf(format, args...)}
}

// readTokens reads auth.tokens into c.tokens and reports every source that cannot be
// read, by line. c passed Validate: each source names one place.
func (c *Config) readTokens() []error {
	var errs []error
	set := tokenSet{digests: map[[sha256.Size]byte]bool{}}
	add := func(format string, args ...any) { errs = append(errs, c.tokensError(format, args...)) }
	accept := func(where, tok string) {
		switch {
		case len(tok) > MaxTokenBytes:
			add("%s: a token is longer than %d bytes", where, MaxTokenBytes)
		case len(set.digests) >= MaxTokens:
			add("%s: more than %d tokens", where, MaxTokens)
		default:
			if d := sha256.Sum256([]byte(tok)); !set.digests[d] {
				set.digests[d] = true
				set.values = append(set.values, tok)
			}
		}
	}
	for i, src := range c.Auth.Tokens {
		where := "auth.tokens[" + strconv.Itoa(i) + "]"
		switch {
		case src.Env != "" && src.File != "":
			// Validate reports it.
		case src.Env != "":
			tok := strings.TrimSpace(os.Getenv(src.Env))
			if tok == "" {
				add("%s: environment variable %s is not set or empty", where, src.Env)
				continue
			}
			accept(where, tok)
		case src.File != "":
			data, err := readLimited(src.File, MaxTokenFileBytes)
			if err != nil {
				add("%s: file: %v", where, err)
				continue
			}
			n := 0
			sc := bufio.NewScanner(bytes.NewReader(data))
			sc.Buffer(make([]byte, 0, 64<<10), MaxTokenFileBytes)
			for sc.Scan() {
				line := strings.TrimSpace(sc.Text())
				if line == "" || strings.HasPrefix(line, "#") {
					continue
				}
				accept(where, line)
				n++
			}
			if n == 0 {
				add("%s: file %s holds no token", where, src.File)
			}
		}
	}
	if len(errs) == 0 && len(set.digests) > 0 {
		c.tokens = set
	} else {
		c.tokens = tokenSet{}
	}
	return errs
}
