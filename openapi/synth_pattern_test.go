package openapi

import (
	"math/rand/v2"
	"regexp"
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
