package contract

import (
	"maps"
	"mime"
	"slices"
	"strconv"
	"strings"

	"github.com/hookkit/hookkit/openapi"
)

// Content negotiation. An operation whose responses declare media types other than JSON
// (XML, event streams, HTML pages) is asked for them: every case sends Accept with the
// media type the checker prefers for its 2xx answer (JSON when declared), and one more
// positive case per other declared 2xx media type asks for exactly that type, so a server
// that sends JSON labelled application/xml is caught (the XML does not parse). Operations
// that answer JSON only are sent no Accept header, as before.

// maxAcceptCases bounds the extra positive cases of one operation.
const maxAcceptCases = 3

// successMedia returns the media types of the lowest declared 2xx response, the preferred
// one first (JSON when declared, else the first by name), and whether any response of the
// operation declares a non-JSON media type.
func successMedia(op *openapi.Operation) (types []string, negotiates bool) {
	if op.Operation.Responses == nil {
		return nil, false
	}
	best := 0
	for key, ref := range op.Operation.Responses.Map() {
		if ref == nil || ref.Value == nil {
			continue
		}
		for mt := range ref.Value.Content {
			if !openapi.IsJSON(mt) {
				negotiates = true
			}
		}
		if code, err := strconv.Atoi(key); err == nil && code >= 200 && code < 300 && (best == 0 || code < best) {
			best = code
		}
	}
	if best == 0 {
		return nil, negotiates
	}
	resp := op.Operation.Responses.Status(best).Value
	names := slices.Sorted(maps.Keys(resp.Content))
	for i, n := range names {
		if openapi.IsJSON(n) {
			names = append(append([]string{n}, names[:i]...), names[i+1:]...)
			break
		}
	}
	var out []string
	for _, n := range names {
		if !strings.Contains(n, "*") {
			out = append(out, n)
		}
	}
	return out, negotiates
}

// setAccept gives a case the Accept header of its operation: the preferred 2xx media type,
// anything else accepted at a lower q (an error may come in another type).
func setAccept(c *Case) {
	types, negotiates := successMedia(c.op)
	if !negotiates || len(types) == 0 {
		return
	}
	c.Header.Set("Accept", types[0]+", */*;q=0.1")
}

// acceptPositives returns a copy of the first positive case per other 2xx media type,
// each asking for exactly that type.
func acceptPositives(first Case) []Case {
	types, negotiates := successMedia(first.op)
	if !negotiates || len(types) < 2 {
		return nil
	}
	var out []Case
	for _, mt := range types[1:] {
		if len(out) == maxAcceptCases {
			break
		}
		c := first.clone()
		c.ID, c.Name = first.op.ID+"/positive/accept-"+slug(mt), "Accept "+mt
		c.Header.Set("Accept", mt)
		out = append(out, c)
	}
	return out
}

// unacceptable reports a 2xx answer whose Content-Type the request's Accept header
// excludes: every range of the header either misses it or gives it q=0. Requests without
// Accept, or accepting */*, accept anything.
func unacceptable(accept, contentType string, status int) (openapi.Problem, bool) {
	if accept == "" || contentType == "" || status < 200 || status >= 300 {
		return openapi.Problem{}, false
	}
	base, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return openapi.Problem{}, false
	}
	typ, sub, _ := strings.Cut(base, "/")
	for _, part := range strings.Split(accept, ",") {
		r, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		if q, err := strconv.ParseFloat(params["q"], 64); err == nil && q <= 0 {
			continue
		}
		rt, rs, _ := strings.Cut(r, "/")
		if (rt == "*" || rt == typ) && (rs == "*" || rs == sub) {
			return openapi.Problem{}, false
		}
	}
	return openapi.Problem{Kind: openapi.WrongContentType, In: "header", Name: "Content-Type",
		Message: "Content-Type " + base + " is not what the request's Accept asked for (" + accept + ")"}, true
}
