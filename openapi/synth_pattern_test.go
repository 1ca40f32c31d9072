package openapi

import (
	"math/rand/v2"
	"regexp"
	"slices"
	"testing"
	"time"
)

// TestPatternStringPathologicalIsBounded pins that patterns with nested repeats of large
// classes finish quickly, with a match or an error: a mock synthesizes per request, and such a
// pattern once took over ten seconds per string. The bound is loose (about a hundred times
// the expected time) so that a slow, busy machine does not fail it.
func TestPatternStringPathologicalIsBounded(t *testing.T) {
	t.Parallel()
	patterns := []string{
		`(((\pL*?((x|yy|){2,5}(?i)k*|\d+){2,5}){30}(((x|yy|)?(?i)k{2,5}){30}(\d^+[^a]{2,5})(${2,5})+|(\b{2,5}|\s{2,5}))*?((\b{0,50}\pL|\s)(${0,50}\b+(x|yy|)?)^+)+)+)+`,
		`(((((?i)k{2,5}|[^a]+)+){1,}(\b?(\pL*){1,}($[^a]\d*|^){2,5}){30}(($?){0,50}(\pL?|a*?){2,5}|((?i)k+|.*?)){1,}){1,}((([a-z]*|.{1,}){2,5}([a-z]*.*|^{30}))+|((\s*?)*?|(.(?i)k+){0,50}){1,})*?)+`,
		`^((\pL{30}){30}){1,}$`,
	}
	for _, p := range patterns {
		re := regexp.MustCompile(p)
		start := time.Now()
		s, err := patternString(p, rand.New(rand.NewPCG(1, 0)), 0, -1)
		if elapsed := time.Since(start); elapsed > 10*time.Second {
			t.Errorf("pattern %.40q took %v", p, elapsed)
		}
		if err == nil && !re.MatchString(s) {
			t.Errorf("pattern %.40q: %q does not match", p, s)
		}
	}
}

// patternCases are regexes documents use, with lengths to honour.
var patternCases = []struct {
	pattern        string
	minLen, maxLen int
}{
	{`^SVCSTG\.REPO\.[0-9]{4}$`, 0, -1},
	{`^[^/]+$`, 1, -1},
	{`^[a-z][a-z0-9-]{0,19}$`, 0, 20},
	{`^\+[1-9][0-9]{7,14}$`, 0, -1},
	{`^[0-9]{4,5}$|^[A-Z]{1,2}[0-9][0-9A-Z]? [0-9][A-Z]{2}$`, 0, -1},
	{`^(foo|bar|baz)-\d+(\.\d+)?$`, 0, -1},
	{`^[A-Z][a-z]+ [a-z]+$`, 0, -1},
	{`\d{3}`, 0, -1},
	{`^(?i)hello\s+world$`, 0, -1},
	{`^\w+@\w+\.(com|org)$`, 0, -1},
	{`^[a-f0-9]{8}(-[a-f0-9]{4}){3}-[a-f0-9]{12}$`, 0, -1},
	{`^x*$`, 5, 5},
	{`^[a-z]+$`, 40, 50},
	{`^a.{2,}z$`, 10, 12},
	{`^\u00e9+$`, 1, 3},
	{`^[^\x00-\x7f]{2}$`, 0, -1},
	{`^(ab){2,3}c?$`, 0, -1},
	{`\bword\b`, 0, -1},
	{`^$`, 0, 0},
}

func TestPatternString(t *testing.T) {
	t.Parallel()
	for _, tc := range patternCases {
		t.Run(tc.pattern, func(t *testing.T) {
			t.Parallel()
			re := regexp.MustCompile(goPattern(tc.pattern))
			seen := map[string]bool{}
			for seed := range uint64(30) {
				s, err := patternString(tc.pattern, rand.New(rand.NewPCG(seed, 0)), tc.minLen, tc.maxLen)
				if err != nil {
					t.Fatalf("seed %d: %v", seed, err)
				}
				if !re.MatchString(s) {
					t.Fatalf("seed %d: %q does not match", seed, s)
				}
				if n := utf16Len(s); n < tc.minLen || (tc.maxLen >= 0 && n > tc.maxLen) {
					t.Fatalf("seed %d: %q has length %d, want %d..%d", seed, s, n, tc.minLen, tc.maxLen)
				}
				seen[s] = true
			}
			if len(seen) < 2 && !slices.Contains([]string{`^$`, `^x*$`, `\bword\b`}, tc.pattern) {
				t.Errorf("30 seeds gave only %v", seen)
			}
		})
	}
}

// TestPatternStringPrefersURLSafeCharacters pins that negated classes give letters and digits,
// so synthesized path parameters need no escaping.
func TestPatternStringPrefersURLSafeCharacters(t *testing.T) {
	t.Parallel()
	for seed := range uint64(50) {
		s, err := patternString(`^[^/?#]{3,8}$`, rand.New(rand.NewPCG(seed, 1)), 0, -1)
		if err != nil {
			t.Fatal(err)
		}
		if !regexp.MustCompile(`^[0-9A-Za-z]+$`).MatchString(s) {
			t.Fatalf("seed %d: %q", seed, s)
		}
	}
}

func TestPatternStringImpossible(t *testing.T) {
	t.Parallel()
	for _, p := range []string{`^a$b`, `[`, `^a{3}$`} {
		if s, err := patternString(p, rand.New(rand.NewPCG(1, 1)), 0, 2); err == nil {
			t.Errorf("pattern %q gave %q, want an error", p, s)
		}
	}
}

// FuzzSynthesizePattern checks that whatever the pattern, a generated string matches it (or
// generation reports failure), without panics or runaway output.
func FuzzSynthesizePattern(f *testing.F) {
	for i, tc := range patternCases {
		f.Add(tc.pattern, uint64(i))
	}
	f.Fuzz(func(t *testing.T, pattern string, seed uint64) {
		re, err := regexp.Compile(goPattern(pattern))
		if err != nil {
			return
		}
		s, err := patternString(pattern, rand.New(rand.NewPCG(seed, 0)), 0, -1)
		if err != nil {
			return
		}
		if !re.MatchString(s) {
			t.Fatalf("%q does not match %q", s, pattern)
		}
	})
}
