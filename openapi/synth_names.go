package openapi

// Values chosen by a property's name. A schema often says no more than "string" or
// "integer" where its property's name says much more: a currency, an email, a creation
// time. Without a format, pattern or enum, such properties get a value of the kind their
// name promises (an ISO currency code, an address, a Unix time in 2020-2025), so mocked
// answers read like the real API's instead of word salad ("cedar-amber" as a currency,
// created: 90). The value must still fit the schema's bounds; when it does not, the plain
// synthesis applies. Every synthesized value is validated afterwards as before.

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// propertyName returns the property a value is synthesized for: the last token of its
// pointer, skipping array indexes (the items of "emails" are emails), normalised to lower
// case without separators ("created_at", "createdAt" -> "createdat").
func propertyName(at string) string {
	for at != "" {
		i := strings.LastIndexByte(at, '/')
		tok := at[i+1:]
		at = at[:max(i, 0)]
		if _, err := strconv.Atoi(tok); err == nil {
			continue
		}
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		return strings.ToLower(nameSeparators.Replace(tok))
	}
	return ""
}

// nameSeparators drops the separators of property names. Built once: a Replacer builds its
// tables on first use, which was a tenth of the synthesis of a large document when made
// for every value.
var nameSeparators = strings.NewReplacer("_", "", "-", "", ".", "")

var (
	currencies = []string{"USD", "EUR", "GBP", "JPY", "CNY", "CHF"}
	countries  = []string{"US", "DE", "FR", "JP", "CN", "BR", "GB"}
	cities     = []string{"Berlin", "Lisbon", "Osaka", "Toronto", "Nairobi", "Porto Alegre"}
	firstNames = []string{"Ada", "Grace", "Alan", "Katherine", "Linus", "Margaret"}
	lastNames  = []string{"Lovelace", "Hopper", "Turing", "Johnson", "Torvalds", "Hamilton"}
	languages  = []string{"en", "de", "fr", "ja", "zh", "pt"}
	timezones  = []string{"Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC"}
	sentences  = []string{"Created from the dashboard.", "Monthly subscription for the team plan.",
		"Imported from the previous system.", "Updated by the nightly job."}
)

// namedString returns a string for a property whose name says what it holds.
func (g *synth) namedString(name string) (string, bool) {
	pick := func(list []string) string {
		if g.canonical {
			return list[0]
		}
		return list[g.rng.IntN(len(list))]
	}
	person := func() string { return pick(firstNames) + " " + pick(lastNames) }
	switch {
	case name == "currency" || strings.HasSuffix(name, "currency") || name == "currencycode":
		return pick(currencies), true
	case name == "email" || strings.HasSuffix(name, "email") || name == "emailaddress":
		return strings.ToLower(pick(firstNames)+"."+pick(lastNames)) + "@example.com", true
	case name == "country" || name == "countrycode":
		return pick(countries), true
	case name == "city":
		return pick(cities), true
	case name == "phone" || strings.HasSuffix(name, "phone") || name == "phonenumber":
		return fmt.Sprintf("+1-202-555-%04d", 100+g.intN(9800)), true
	case name == "url" || strings.HasSuffix(name, "url") || name == "website" || name == "homepage":
		return "https://" + g.word() + ".example.com/" + g.word(), true
	case name == "firstname" || name == "givenname":
		return pick(firstNames), true
	case name == "lastname" || name == "familyname" || name == "surname":
		return pick(lastNames), true
	case name == "fullname" || name == "displayname" || name == "customername" || name == "ownername":
		return person(), true
	case name == "username" || name == "login":
		return strings.ToLower(pick(firstNames)) + strconv.Itoa(g.intN(100)), true
	case name == "language" || name == "lang" || name == "locale":
		return pick(languages), true
	case name == "timezone" || name == "tz":
		return pick(timezones), true
	case name == "description" || name == "summary" || name == "note" || name == "notes" || name == "comment":
		return pick(sentences), true
	}
	return "", false
}

// namedNumber returns a number for a property whose name says what it holds: a Unix time
// for created, updated, *_at and timestamps; a year; a port.
func (g *synth) namedNumber(name string) (float64, bool) {
	switch {
	case name == "created" || name == "updated" || name == "modified" || name == "deleted" || name == "expires" ||
		name == "timestamp" || strings.HasSuffix(name, "at") && len(name) > 4 && isTimeWord(strings.TrimSuffix(name, "at")):
		return float64(g.instant().Unix()), true
	case name == "year":
		return float64(2020 + g.intN(6)), true
	case name == "port":
		return 8080, true
	}
	return 0, false
}

// isTimeWord reports whether w (a name without its "at" suffix) names an event: created,
// updated, expires...
func isTimeWord(w string) bool {
	for _, s := range []string{"created", "updated", "modified", "deleted", "expires", "expired", "started", "ended", "completed", "canceled", "cancelled", "paid", "sent", "issued", "last"} {
		if w == s {
			return true
		}
	}
	return false
}

func (g *synth) intN(n int) int {
	if g.canonical {
		return 0
	}
	return g.rng.IntN(n)
}

// fitsString reports whether v meets s's length bounds.
func fitsString(s *openapi3.Schema, v string) bool {
	n := utf16Len(v)
	return n >= int(s.MinLength) && (s.MaxLength == nil || n <= int(*s.MaxLength))
}

// fitsNumber reports whether v meets s's bounds and multipleOf.
func fitsNumber(s *openapi3.Schema, v float64) bool {
	if s.Min != nil && (v < *s.Min || (v == *s.Min && s.ExclusiveMin.IsTrue())) {
		return false
	}
	if s.Max != nil && (v > *s.Max || (v == *s.Max && s.ExclusiveMax.IsTrue())) {
		return false
	}
	if b := s.ExclusiveMin.Value; b != nil && v <= *b {
		return false
	}
	if b := s.ExclusiveMax.Value; b != nil && v >= *b {
		return false
	}
	if m := s.MultipleOf; m != nil && *m > 0 {
		if q := v / *m; q != math.Trunc(q) {
			return false
		}
	}
	if s.Format == "int32" && (v > math.MaxInt32 || v < math.MinInt32) {
		return false
	}
	return true
}
