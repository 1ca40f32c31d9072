package mockserver

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/hookkit/hookkit/mockserver/journal"
	"github.com/hookkit/hookkit/openapi"
)

// opPlan is everything the mock needs to answer one operation, worked out once when the
// document or config is loaded so a request only picks among ready bytes.
type opPlan struct {
	op *openapi.Operation
	// success is the status of a plain valid request: the lowest declared 2xx, and
	// successResp its response (nil when the operation declares no response at all).
	success     int
	successResp *responsePlan
	// responses by response key of the document ("200", "4XX", "default").
	responses map[string]*responsePlan
	// order lists the response keys in status order, for searching a named example.
	order []string
	// errors answers invalid requests; credErrors those whose first problem is the
	// credential, bodyErrors those whose first problem is in the body
	// (openapi.Operation.ErrorResponse).
	errors, credErrors, bodyErrors *errorPlan
	// typed is set when the profile's typed handler answers this operation.
	typed bool
}

// responsePlan is one declared response, ready to send.
type responsePlan struct {
	key        string
	resp       *openapi3.Response
	mediaTypes []string // declared media types in preference order; empty for no body
	bodies     map[string]*bodyPlan
	headers    []renderedHeader // required headers with synthesized values
}

// bodyPlan holds the pre-rendered bodies of one media type of a response.
type bodyPlan struct {
	mediaType   string
	contentType string
	schema      *openapi3.SchemaRef
	// def is the default body: the first example, else a synthesized one.
	def       []byte
	defSource string // "example" or "synthesized"
	// unsynthesizable says why no body could be synthesized (def is then empty).
	unsynthesizable error
	// echo receives the path's last parameter in JSON answers (echo.go); nil for none.
	echo     *echoField
	examples map[string][]byte
	// safe lists the pre-rendered bodies (by their first byte's address) that hold no
	// secret, so the journal can keep them without decoding them again.
	safe map[*byte]bool
}

// isSafe reports whether b is one of the plan's pre-rendered bodies known to hold no
// secret.
func (bp *bodyPlan) isSafe(b []byte) bool { return len(b) > 0 && bp.safe[&b[0]] }

type renderedHeader struct{ name, value string }

// statusFor returns the plan of the response that declares status
// ([openapi.ResponseKey]: the exact code, the range, or default).
func (p *opPlan) statusFor(status int) (*responsePlan, bool) {
	key, ok := openapi.ResponseKey(p.op.Operation, status)
	if !ok {
		return nil, false
	}
	rp, ok := p.responses[key]
	return rp, ok
}

// declaredStatuses lists the operation's response keys for messages.
func (p *opPlan) declaredStatuses() string { return strings.Join(p.order, ", ") }

// keyStatus is the status the mock sends for a response key: the code itself, the lowest
// code of a range, and for default the fallback given.
func keyStatus(key string, fallback int) int {
	if n, err := strconv.Atoi(key); err == nil {
		return n
	}
	if len(key) == 3 && strings.HasSuffix(strings.ToUpper(key), "XX") && key[0] >= '1' && key[0] <= '5' {
		return int(key[0]-'0') * 100
	}
	return fallback
}

// successStatus picks the status of a plain valid request: the lowest declared 2xx, else a
// 2XX range (200), else default (200), else the lowest declared status.
func successStatus(keys []string) int {
	best := 0
	for _, k := range keys {
		if n, err := strconv.Atoi(k); err == nil && n >= 200 && n < 300 && (best == 0 || n < best) {
			best = n
		}
	}
	if best != 0 {
		return best
	}
	for _, k := range keys {
		if strings.EqualFold(k, "2XX") || k == "default" {
			return 200
		}
	}
	for _, k := range keys {
		if n := keyStatus(k, 0); n != 0 && (best == 0 || n < best) {
			best = n
		}
	}
	if best == 0 {
		best = http.StatusOK
	}
	return best
}

// sortKeys orders response keys by the status they stand for, default last.
func sortKeys(keys []string) {
	sort.Slice(keys, func(i, j int) bool {
		si, sj := keyStatus(keys[i], 1000), keyStatus(keys[j], 1000)
		if si != sj {
			return si < sj
		}
		return keys[i] < keys[j]
	})
}

// buildPlan works out the answers of one operation; prof (nil for none) is the document's
// profile, which fills the error bodies of its shape.
//
// A response body or header that cannot be synthesized (a schema no value satisfies) does
// not stop the mock: warn is told, the body is left empty and the header out.
func buildPlan(doc *openapi.Document, op *openapi.Operation, seed uint64, prof Profile, safe safeFunc, warn func(error)) *opPlan {
	p := &opPlan{op: op, responses: map[string]*responsePlan{}}
	if op.Operation.Responses != nil {
		for key, ref := range op.Operation.Responses.Map() {
			if ref == nil || ref.Value == nil {
				continue
			}
			rp := buildResponse(doc, key, ref.Value, seed, safe, func(err error) { warn(fmt.Errorf("%s response %s: %w", op.ID, key, err)) })
			p.responses[key] = rp
			p.order = append(p.order, key)
		}
	}
	sortKeys(p.order)
	p.success = successStatus(p.order)
	p.successResp, _ = p.statusFor(p.success)
	if p.success < 300 {
		planEcho(op.Path, p.successResp)
	}
	plans := map[string]*errorPlan{}
	for _, c := range []struct {
		class openapi.ProblemClass
		dst   **errorPlan
	}{{openapi.OtherProblem, &p.errors}, {openapi.CredentialProblem, &p.credErrors}, {openapi.BodyProblem, &p.bodyErrors}} {
		key, _, _ := op.ErrorResponse(c.class)
		if ep, ok := plans[key]; ok {
			*c.dst = ep
			continue
		}
		ep, err := buildErrorPlan(doc, p, c.class, seed, prof)
		if err != nil {
			warn(fmt.Errorf("%s error response %s: %w", op.ID, key, err))
			ep = problemPlan(http.StatusBadRequest)
		}
		plans[key], *c.dst = ep, ep
	}
	return p
}

// safeFunc reports whether a body of a content type holds no secret.
type safeFunc func(contentType string, body []byte) bool

func buildResponse(doc *openapi.Document, key string, resp *openapi3.Response, seed uint64, safe safeFunc, warn func(error)) *responsePlan {
	rp := &responsePlan{key: key, resp: resp, bodies: map[string]*bodyPlan{}}
	types := make([]string, 0, len(resp.Content))
	for mt := range resp.Content {
		types = append(types, mt)
	}
	rp.mediaTypes = orderMediaTypes(types)
	for _, mt := range rp.mediaTypes {
		bp := buildBody(doc, mt, resp.Content[mt], seed, safe, func(err error) { warn(fmt.Errorf("media type %s: %w", mt, err)) })
		if bp.unsynthesizable != nil {
			warn(fmt.Errorf("media type %s: %w; answered without a body", mt, bp.unsynthesizable))
		}
		rp.bodies[mt] = bp
	}
	for _, name := range slices.Sorted(maps.Keys(resp.Headers)) {
		h := resp.Headers[name]
		if h == nil || h.Value == nil || !h.Value.Required || strings.EqualFold(name, "Content-Type") {
			continue
		}
		v, err := headerValue(doc, h.Value, seed)
		if err != nil {
			warn(fmt.Errorf("header %s: %w; left out", name, err))
			continue
		}
		rp.headers = append(rp.headers, renderedHeader{name: http.CanonicalHeaderKey(name), value: v})
	}
	return rp
}

// headerValue is a response header's example, else a value synthesized from its schema.
func headerValue(doc *openapi.Document, h *openapi3.Header, seed uint64) (string, error) {
	if h.Example != nil {
		return scalarString(h.Example), nil
	}
	for _, name := range slices.Sorted(maps.Keys(h.Examples)) {
		if ex := h.Examples[name]; ex != nil && ex.Value != nil && ex.Value.Value != nil {
			return scalarString(ex.Value.Value), nil
		}
	}
	if h.Schema == nil {
		return "x", nil
	}
	v, err := synthesize(doc, h.Schema, seed)
	if err != nil {
		return "", err
	}
	return scalarString(v), nil
}

func buildBody(doc *openapi.Document, mt string, media *openapi3.MediaType, seed uint64, safe safeFunc, warn func(error)) *bodyPlan {
	bp := &bodyPlan{mediaType: mt, contentType: contentTypeFor(mt), examples: map[string][]byte{}, safe: map[*byte]bool{}}
	defer func() {
		for _, b := range append([][]byte{bp.def}, mapValues(bp.examples)...) {
			if len(b) > 0 && safe(bp.contentType, b) {
				bp.safe[&b[0]] = true
			}
		}
	}()
	if media == nil {
		return bp
	}
	bp.schema = media.Schema
	for _, ex := range openapi.MediaExamples(media) {
		b, err := render(mt, media.Schema, ex.Value)
		if err != nil {
			warn(fmt.Errorf("example %q: %w; not served", ex.Name, err))
			continue
		}
		if _, dup := bp.examples[ex.Name]; !dup {
			bp.examples[ex.Name] = b
		}
		if bp.def == nil {
			bp.def, bp.defSource = b, journal.SourceExample
		}
	}
	if bp.def == nil && media.Schema != nil {
		b, err := synthesizeBody(doc, mt, media.Schema, seed)
		bp.def, bp.defSource, bp.unsynthesizable = b, journal.SourceSynthesized, err
	}
	if bp.def == nil {
		bp.defSource = journal.SourceExample
	}
	return bp
}

// synthesizeBody renders a value synthesized from a schema in a media type.
func synthesizeBody(doc *openapi.Document, mt string, schema *openapi3.SchemaRef, seed uint64) ([]byte, error) {
	v, err := synthesize(doc, schema, seed)
	if err != nil {
		return nil, err
	}
	return render(mt, schema, v)
}

// synthesize is the one place the mock asks the document for a value of a schema, always
// in the response direction (readOnly properties in, writeOnly ones out).
func synthesize(doc *openapi.Document, schema *openapi3.SchemaRef, seed uint64) (any, error) {
	return doc.Synthesize(schema, openapi.SynthOptions{Seed: seed, Direction: openapi.Response})
}

func mapValues[V any](m map[string]V) []V {
	out := make([]V, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}
