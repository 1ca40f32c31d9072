package openapi

// Strings that match a schema's pattern: the regex is parsed with regexp/syntax and walked,
// choosing alternatives, repeat counts and class members with the synthesis's random stream;
// the result is checked with regexp before it is used.

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode/utf16"
)

// codepointEscape matches the \uXXXX escapes of ECMA-262 patterns, which Go's regexp spells
// \x{XXXX}; kin-openapi rewrites them the same way before it compiles a pattern.
var codepointEscape = regexp.MustCompile(`\\u(?P<code>[0-9A-Fa-f]{4})`)

func goPattern(pattern string) string {
	return codepointEscape.ReplaceAllString(pattern, `\x{${code}}`)
}

func matchesPattern(pattern, v string) bool {
	re, err := regexp.Compile(goPattern(pattern))
	return err == nil && re.MatchString(v)
}

// patternString returns a string that pattern matches, with a UTF-16 length in [minLen,
// maxLen] (maxLen < 0: no upper bound). It walks the parsed regex, choosing alternatives and
// repeat counts with rng and characters from each class (letters and digits first, so values
// are safe in URLs), then checks the result with the regexp package; a few walks with growing
// repeat counts are tried before it reports failure.
func patternString(pattern string, rng *rand.Rand, minLen, maxLen int) (string, error) {
	gp := goPattern(pattern)
	check, err := regexp.Compile(gp)
	if err != nil {
		return "", fmt.Errorf("pattern %q does not compile: %w", pattern, err)
	}
	re, err := syntax.Parse(gp, syntax.Perl)
	if err != nil {
		return "", fmt.Errorf("pattern %q does not parse: %w", pattern, err)
	}
	re = re.Simplify()
	prog, err := syntax.Compile(re)
	if err != nil {
		return "", fmt.Errorf("pattern %q does not compile: %w", pattern, err)
	}
	// Checking a candidate costs about its length times the program's size: a budget keeps
	// a pathological pattern (nested repeats of large classes) from taking seconds.
	budget := matchBudget
	classes := map[*syntax.Regexp][]rune{}
	for try := range 24 {
		w := &regexWalker{rng: rng, minLen: minLen, maxLen: maxLen, repeats: extraItems + try, classes: classes}
		w.walk(re)
		if w.failed {
			continue
		}
		v := w.b.String()
		n := utf16Len(v)
		if n < minLen || (maxLen >= 0 && n > maxLen) {
			continue
		}
		if budget -= (len(v) + 1) * len(prog.Inst); budget < 0 {
			break
		}
		if check.MatchString(v) {
			return v, nil
		}
	}
	if maxLen >= 0 || minLen > 0 {
		return "", fmt.Errorf("found no string matching pattern %q with a length between %d and %d", pattern, minLen, maxLen)
	}
	return "", fmt.Errorf("found no string matching pattern %q", pattern)
}

type regexWalker struct {
	rng            *rand.Rand
	b              strings.Builder
	n              int // UTF-16 length written so far
	minLen, maxLen int
	repeats        int
	steps          int
	failed         bool
	// classes caches bestTier per character class of the pattern, across tries.
	classes map[*syntax.Regexp][]rune
}

func (w *regexWalker) write(r rune) {
	w.b.WriteRune(r)
	w.n += utf16.RuneLen(r)
	if w.n > maxPatternLength {
		w.failed = true
	}
}

func (w *regexWalker) walk(re *syntax.Regexp) {
	if w.failed {
		return
	}
	if w.steps++; w.steps > maxPatternSteps {
		w.failed = true
		return
	}
	switch re.Op {
	case syntax.OpNoMatch:
		w.failed = true
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			w.write(r)
		}
	case syntax.OpCharClass:
		ranges, ok := w.classes[re]
		if !ok {
			ranges = bestTier(re.Rune)
			w.classes[re] = ranges
		}
		if len(ranges) == 0 {
			w.failed = true
		} else {
			w.write(w.pick0(ranges))
		}
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		w.write(w.pick0(alnum))
	case syntax.OpCapture:
		w.walk(re.Sub[0])
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			w.walk(sub)
		}
	case syntax.OpAlternate:
		w.walk(re.Sub[w.rng.IntN(len(re.Sub))])
	case syntax.OpQuest:
		w.repeat(re.Sub[0], 0, 1)
	case syntax.OpStar:
		w.repeat(re.Sub[0], 0, -1)
	case syntax.OpPlus:
		w.repeat(re.Sub[0], 1, -1)
	case syntax.OpRepeat:
		w.repeat(re.Sub[0], re.Min, re.Max)
	}
	// Anchors, word boundaries and empty matches write nothing; the final check catches the
	// rare pattern where that is wrong.
}

// repeat writes sub between lo and hi times (hi < 0: unbounded), fewer optional ones once
// the string has reached maxLen and, for unbounded repeats, more until it reaches minLen.
func (w *regexWalker) repeat(sub *syntax.Regexp, lo, hi int) {
	extra := hi - lo
	if hi < 0 {
		extra = w.repeats
	}
	n := lo + w.rng.IntN(extra+1)
	i := 0
	for ; i < n && !w.failed; i++ {
		if i >= lo && w.maxLen >= 0 && w.n >= w.maxLen {
			return
		}
		w.walk(sub)
	}
	for ; (hi < 0 || i < hi) && w.n < w.minLen && i < n+w.minLen+w.repeats && !w.failed; i++ {
		w.walk(sub)
	}
}

// alnum, printable and the rest are the tiers a character class is sampled from, best first.
var (
	alnum     = []rune{'0', '9', 'A', 'Z', 'a', 'z'}
	printable = []rune{0x21, 0x7e}
	space     = []rune{0x20, 0x20}
	letters   = []rune{0xa0, 0xd7ff}
)

// bestTier returns the part of a character class (pairs of inclusive ranges) that lies in the
// best tier it shares runes with; empty when the class holds no usable rune. Walkers cache it
// per class: a class such as \pL or (?i)[a-z] has hundreds of ranges, and intersecting them
// for every character written made such patterns take seconds.
func bestTier(class []rune) []rune {
	for _, tier := range [][]rune{alnum, printable, space, letters, {0, 0x10ffff}} {
		var ranges []rune
		for i := 0; i+1 < len(class); i += 2 {
			for j := 0; j+1 < len(tier); j += 2 {
				lo, hi := max(class[i], tier[j]), min(class[i+1], tier[j+1])
				if lo <= hi && !(lo >= 0xd800 && hi <= 0xdfff) {
					ranges = append(ranges, lo, hi)
				}
			}
		}
		if len(ranges) > 0 {
			return ranges
		}
	}
	return nil
}

// pick0 returns a rune drawn uniformly from ranges (pairs of inclusive bounds).
func (w *regexWalker) pick0(ranges []rune) rune {
	total := 0
	for i := 0; i < len(ranges); i += 2 {
		total += int(ranges[i+1]-ranges[i]) + 1
	}
	k := w.rng.IntN(total)
	for i := 0; i < len(ranges); i += 2 {
		size := int(ranges[i+1]-ranges[i]) + 1
		if k < size {
			r := ranges[i] + rune(k)
			if r >= 0xd800 && r <= 0xdfff {
				r = ranges[i]
			}
			return r
		}
		k -= size
	}
	return ranges[0]
}
