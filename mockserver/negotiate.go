package mockserver

import (
	"mime"
	"sort"
	"strconv"
	"strings"

	"github.com/hookkit/hookkit/openapi"
)

// orderMediaTypes puts a response's declared media types in the order the mock prefers
// them when the client expresses no preference: application/json first (what most clients
// of a JSON API expect), then other JSON types, then the rest alphabetically, so the choice
// never depends on map order.
func orderMediaTypes(types []string) []string {
	out := append([]string(nil), types...)
	rank := func(t string) int {
		switch {
		case baseMediaType(t) == "application/json":
			return 0
		case openapi.IsJSON(t):
			return 1
		}
		return 2
	}
	sort.SliceStable(out, func(i, j int) bool {
		if ri, rj := rank(out[i]), rank(out[j]); ri != rj {
			return ri < rj
		}
		return out[i] < out[j]
	})
	return out
}

// negotiate picks one of the declared media types (already in preference order) for an
// Accept header. The highest q wins, the declared order breaks ties; a more specific range
// of the header beats a wildcard for the same type. When nothing is acceptable the first
// declared type is returned: the mock never answers 406, since 406 is rarely declared and
// an undeclared status would break the contract it mocks.
func negotiate(accept string, declared []string) string {
	if len(declared) == 0 {
		return ""
	}
	accept = strings.TrimSpace(accept)
	if accept == "" || accept == "*/*" || len(declared) == 1 {
		return declared[0]
	}
	ranges := parseAccept(accept)
	best, bestQ := declared[0], -1.0
	for _, d := range declared {
		q := acceptQ(ranges, d)
		if q > bestQ {
			best, bestQ = d, q
		}
	}
	if bestQ <= 0 {
		return declared[0]
	}
	return best
}

type acceptRange struct {
	typ, sub string
	q        float64
}

func parseAccept(h string) []acceptRange {
	var out []acceptRange
	for _, part := range strings.Split(h, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		typ, sub, _ := strings.Cut(mt, "/")
		q := 1.0
		if qs, ok := params["q"]; ok {
			if f, err := strconv.ParseFloat(qs, 64); err == nil {
				q = f
			}
		}
		out = append(out, acceptRange{typ: typ, sub: sub, q: q})
	}
	return out
}

// acceptQ returns the q of the most specific range matching media type mt, or -1.
func acceptQ(ranges []acceptRange, mt string) float64 {
	base, _, _ := strings.Cut(mt, ";")
	typ, sub, _ := strings.Cut(strings.ToLower(strings.TrimSpace(base)), "/")
	q, specificity := -1.0, -1
	for _, r := range ranges {
		s := -1
		switch {
		case r.typ == typ && r.sub == sub:
			s = 2
		case r.typ == typ && r.sub == "*":
			s = 1
		case r.typ == "*" && r.sub == "*":
			s = 0
		}
		if s > specificity {
			q, specificity = r.q, s
		}
	}
	return q
}
