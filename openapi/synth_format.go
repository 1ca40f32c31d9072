package openapi

// Strings of a schema: formats, length bounds and plain readable words.

import (
	"encoding/base64"
	"fmt"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/getkin/kin-openapi/openapi3"
)

func (g *synth) str(s *openapi3.Schema, at string) (string, error) {
	minLen, maxLen := int(s.MinLength), -1
	if s.MaxLength != nil {
		maxLen = int(*s.MaxLength)
	}
	if maxLen >= 0 && maxLen < minLen {
		return "", fmt.Errorf("%s: minLength %d exceeds maxLength %d", place(at), minLen, maxLen)
	}
	if minLen > MaxSynthBytes-g.spent {
		return "", g.spend(minLen, at) // refuse before building a string that cannot fit
	}
	if gen, ok := formats[s.Format]; ok {
		// A format value is tried a few times (a pattern may narrow the format, as
		// '^2020' does a date-time), then in its shortest form (for a tight maxLength),
		// before the pattern alone decides.
		for try := range formatTries + 1 {
			v := gen(g)
			if try == formatTries {
				if short, ok := shortFormats[s.Format]; ok {
					v = short
				}
			}
			fits := utf16Len(v) >= minLen && (maxLen < 0 || utf16Len(v) <= maxLen)
			if fits && (s.Pattern == "" || matchesPattern(s.Pattern, v)) {
				return v, nil
			}
		}
	}
	if _, known := formats[s.Format]; s.Pattern == "" && !known {
		if v, ok := g.namedString(propertyName(at)); ok && fitsString(s, v) {
			return v, nil
		}
	}
	if s.Pattern != "" {
		v, err := patternString(s.Pattern, g.rng, minLen, maxLen)
		if err != nil {
			return "", fmt.Errorf("%s: %w", place(at), err)
		}
		return v, nil
	}
	return g.words(minLen, maxLen), nil
}

// vocabulary gives plain strings and map keys a readable look.
var vocabulary = []string{
	"amber", "birch", "cedar", "delta", "ember", "fjord", "grove", "harbor", "iris", "juniper",
	"kestrel", "lumen", "maple", "nectar", "orbit", "pebble", "quartz", "river", "sierra",
	"tundra", "umber", "violet", "willow", "yarrow", "zephyr",
}

func (g *synth) word() string {
	if g.canonical {
		return vocabulary[0]
	}
	return vocabulary[g.rng.IntN(len(vocabulary))]
}

// words returns one or two words, padded with letters or cut to fit the length bounds.
func (g *synth) words(minLen, maxLen int) string {
	v := g.word()
	if !g.canonical && g.rng.IntN(2) == 0 {
		v += "-" + g.word()
	}
	if len(v) < minLen {
		var b strings.Builder
		b.WriteString(v)
		for b.Len() < minLen {
			b.WriteByte(byte('a' + g.rng.IntN(26)))
		}
		v = b.String()
	}
	if maxLen >= 0 && len(v) > maxLen {
		v = v[:maxLen]
	}
	return v
}

func utf16Len(s string) int { return len(utf16.Encode([]rune(s))) }

// formats generates strings of the formats the validator enforces, plus the common ones it
// does not (a value of those is still realistic for a reader).
var formats = map[string]func(*synth) string{
	"date":      func(g *synth) string { return g.instant().Format(time.DateOnly) },
	"date-time": func(g *synth) string { return g.instant().Format(time.RFC3339) },
	"time":      func(g *synth) string { return g.instant().Format("15:04:05Z07:00") },
	"uuid": func(g *synth) string {
		var b [16]byte
		for i := range b {
			b[i] = byte(g.rng.Uint32())
		}
		b[6] = b[6]&0x0f | 0x40
		b[8] = b[8]&0x3f | 0x80
		return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
	},
	"email":         func(g *synth) string { return g.word() + "." + g.word() + "@example.com" },
	"idn-email":     func(g *synth) string { return g.word() + "@example.com" },
	"uri":           func(g *synth) string { return "https://" + g.word() + ".example.com/" + g.word() },
	"url":           func(g *synth) string { return "https://" + g.word() + ".example.com/" + g.word() },
	"iri":           func(g *synth) string { return "https://" + g.word() + ".example.com/" + g.word() },
	"uri-reference": func(g *synth) string { return "/" + g.word() + "/" + g.word() },
	"uri-template":  func(g *synth) string { return "https://example.com/" + g.word() + "/{id}" },
	"hostname":      func(g *synth) string { return g.word() + ".example.com" },
	"idn-hostname":  func(g *synth) string { return g.word() + ".example.com" },
	// ipv4 and ipv6 use the documentation ranges (RFC 5737, RFC 3849).
	"ipv4":     func(g *synth) string { return fmt.Sprintf("192.0.2.%d", 1+g.rng.IntN(254)) },
	"ipv6":     func(g *synth) string { return fmt.Sprintf("2001:db8::%x", 1+g.rng.IntN(0xfffe)) },
	"byte":     func(g *synth) string { return base64.StdEncoding.EncodeToString([]byte(g.word())) },
	"password": func(g *synth) string { return g.token(16) },
	"duration": func(g *synth) string { return fmt.Sprintf("PT%dM", 1+g.rng.IntN(59)) },
}

// formatTries is how many values of a format are drawn before its short form is tried.
const formatTries = 8

// shortFormats are the shortest realistic values of formats whose usual values run long,
// for schemas that pair the format with a small maxLength.
var shortFormats = map[string]string{
	"email":         "a@b.io",
	"idn-email":     "a@b.io",
	"uri":           "urn:a",
	"url":           "http://a.io",
	"iri":           "urn:a",
	"uri-reference": "a",
	"hostname":      "a.io",
	"idn-hostname":  "a.io",
	"ipv6":          "::1",
}

// instant returns a moment in 2020-2025, whole seconds, UTC.
func (g *synth) instant() time.Time {
	start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	if g.canonical {
		return start.Add(1234567 * time.Second)
	}
	return start.Add(time.Duration(g.rng.Int64N(6*365*24*3600)) * time.Second)
}

func (g *synth) token(n int) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[g.rng.IntN(len(alphabet))]
	}
	return string(b)
}
