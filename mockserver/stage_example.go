package mockserver

import (
	"net/http"
	"strconv"

	"github.com/hookkit/hookkit/mockserver/journal"
)

// exampleStage is the last source of an answer: the success response's first example,
// else the body synthesized from its schema (both worked out at load, plan.go).
func (s *Server) exampleStage(w http.ResponseWriter, r *http.Request) {
	c := callOf(r)
	plan := c.plan
	if plan.successResp == nil {
		// An OpenAPI 3.1 operation may declare no responses: send the status alone.
		w.WriteHeader(plan.success)
		c.ex.source = journal.SourceExample
		return
	}
	c.ex.source, c.ex.respSafe = c.st.writeResponse(w, r, plan.success, plan.successResp, "", "", false)
}

// writeResponse sends a declared response: its required headers, and the body of the
// media type the Accept header negotiates (or mediaType when given): the named example,
// a freshly synthesized body when dynamic, else the default body. It returns the source,
// and whether the body is a pre-rendered one known to hold no secret.
func (st *state) writeResponse(w http.ResponseWriter, r *http.Request, status int, rp *responsePlan, mediaType, example string, dynamic bool) (string, bool) {
	h := w.Header()
	for _, hd := range rp.headers {
		h.Set(hd.name, hd.value)
	}
	if mediaType == "" {
		mediaType = negotiate(r.Header.Get("Accept"), rp.mediaTypes)
	}
	if mediaType == "" {
		w.WriteHeader(status)
		return journal.SourceExample, true
	}
	bp := rp.bodies[mediaType]
	body, source := bp.def, bp.defSource
	switch {
	case example != "":
		body, source = bp.examples[example], journal.SourceExample
	case dynamic && bp.schema != nil:
		seed := st.cfg.Seed + st.dynamic.Add(1)
		if b, err := synthesizeBody(st.doc, mediaType, bp.schema, seed); err == nil {
			body, source = b, journal.SourceSynthesized
		}
	}
	if bp.echo != nil && len(body) > 0 {
		if b, ok := bp.echo.apply(st.doc, r, body); ok {
			body = b
		}
	}
	if body != nil {
		h.Set("Content-Type", bp.contentType)
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
	return source, bp.isSafe(body)
}
