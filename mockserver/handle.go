package mockserver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hookkit/hookkit/mockserver/config"
	"github.com/hookkit/hookkit/mockserver/journal"
	"github.com/hookkit/hookkit/openapi"
)

// exchange collects what the journal and the log line need about one request.
type exchange struct {
	start    time.Time
	match    *openapi.Match
	source   string
	rule     string
	problems openapi.Problems
	reqBody  []byte
	fault    string // the fault a rule injected, if any
	respSafe bool   // the response body is known to hold no secret
	auth     string // how an AK/SK signature was judged, for journal and log
}

// ServeHTTP answers one request: admin API, CORS preflight, routing, validation, then the
// first source of a response that applies (rule, Prefer, state when stateful, typed hook
// handler, example, synthesized data). It journals and logs the exchange after the response is written.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	st := s.state.Load()
	if st.admin && strings.HasPrefix(r.URL.Path, adminPrefix) {
		s.serveAdminGuarded(st, w, r)
		return
	}
	ex := exchange{start: time.Now()}
	rec := &recorder{ResponseWriter: w, keepBody: st.journalOn}
	s.serve(st, rec, r, &ex)
	s.finish(st, rec, r, &ex)
}

func (s *Server) serve(st *state, w *recorder, r *http.Request, ex *exchange) {
	m, err := st.doc.Find(r.Method, r.URL.EscapedPath())
	var mna *openapi.MethodNotAllowedError
	if st.cors != nil {
		if origin := r.Header.Get("Origin"); origin != "" {
			path := ""
			switch {
			case m != nil:
				path = m.Operation.Path
			case errors.As(err, &mna):
				path = mna.Path
			}
			if path != "" && isPreflight(r) {
				ex.source = journal.SourceCORS
				st.cors.preflight(w, r, st.cors.paths[path])
				return
			}
			st.cors.decorate(w.Header(), origin, st.cors.paths[path])
		}
	}
	if err != nil {
		ex.source = journal.SourceNotFound
		ep := *st.notFound
		if errors.As(err, &mna) {
			ep.status = http.StatusMethodNotAllowed
			w.Header().Set("Allow", strings.Join(mna.Allow, ", "))
			ex.problems = openapi.Problems{{Kind: openapi.MethodNotAllowed, In: "method", Name: r.Method,
				Message: fmt.Sprintf("method %s is not allowed at %s (allowed: %s)", r.Method, mna.Path, strings.Join(mna.Allow, ", "))}}
		} else {
			ex.problems = openapi.Problems{{Kind: openapi.UnknownPath, In: "path",
				Message: fmt.Sprintf("no operation matches %s %s", r.Method, r.URL.EscapedPath())}}
		}
		st.writeError(w, &ep, ex.problems)
		return
	}
	ex.match = m
	plan := st.plans[m.Operation].get()

	body, tooLarge := s.readBody(w, r)
	if tooLarge {
		ex.problems = openapi.Problems{{Kind: openapi.BodyTooLarge, In: "body",
			Message: fmt.Sprintf("body is larger than the limit of %d bytes", s.maxBody)}}
		r.Body = http.NoBody
	} else {
		ex.reqBody = body
		ex.problems = st.doc.ValidateRequest(r.Context(), r, m, body)
		if st.auth != nil {
			s.checkSignature(st, r, body, ex)
		}
	}
	// Credentials: judged against auth.tokens when configured; otherwise the answer says
	// that a present credential was not verified, so a checker can tell why a wrong one
	// was accepted (contract's invalid-credential case).
	if m.Operation.RequiresCredential() {
		if st.cfg.ChecksTokens() {
			if rejected := st.doc.CheckCredentials(r, m.Operation, st.cfg.AcceptsToken); rejected != nil {
				ex.problems = append(rejected, ex.problems...)
			}
		} else {
			w.Header().Set(AuthVerifiedHeader, "no")
		}
	}

	// 1. Rules answer first, even invalid requests: like WireMock stubs, they let a user
	// script exactly what a client sees, including answers to requests the document
	// rejects. Validation problems are still journaled and logged.
	if len(st.cfg.Rules) > 0 {
		in := ruleInput(r, m, body, tooLarge)
		if rule := st.cfg.Match(in); rule != nil {
			in.DeclaredStatuses(plan.declares)
			ex.source, ex.rule = journal.SourceRule, rule.Name
			out, err := rule.Respond(w, r, in)
			ex.fault = out.Fault
			if err != nil && w.status == 0 && !w.hijacked && r.Context().Err() == nil {
				// A template failed for this request: the user's rule is at fault, and the
				// client learns it through the operation's error response.
				ex.problems = append(ex.problems, openapi.Problem{Kind: openapi.InvalidRequest, In: "rule", Name: rule.Name, Message: err.Error()})
				st.writeError(w, plan.errorsFor(ex.problems), ex.problems)
			}
			return
		}
	}
	if len(ex.problems) > 0 {
		ex.source = journal.SourceValidation
		st.writeError(w, plan.errorsFor(ex.problems), ex.problems)
		return
	}

	// 2. Prefer.
	pref, err := parsePrefer(r.Header)
	if err != nil {
		s.preferError(st, w, plan, ex, err.Error())
		return
	}
	if !pref.empty() {
		s.servePrefer(st, w, r, plan, ex, pref)
		return
	}

	// 3. State (stateful mock): a collection's operations answer from the store; the
	// typed hook handler below keeps its hooks there too.
	if st.stateful != nil && !plan.typed && plan.negotiatesJSON(r) {
		if role, ok := st.stateful.model.Role(m.Operation); ok {
			s.serveState(st, w, r, m, plan, role, body, ex)
			return
		}
	}

	// 4. The typed hook handler.
	if plan.typed && st.typed != nil {
		ex.source = journal.SourceHook
		ex.respSafe = st.typedSafe
		serveTypedHook(st.typed, w, r, m)
		return
	}

	// 5 and 6: the first example, else synthesized data (worked out at load).
	if plan.successResp == nil {
		// An OpenAPI 3.1 operation may declare no responses: send the status alone.
		w.WriteHeader(plan.success)
		ex.source = journal.SourceExample
		return
	}
	ex.source, ex.respSafe = st.writeResponse(w, r, plan.success, plan.successResp, "", "", false)
}

// checkSignature judges an AK/SK signature. A refusal comes first among the problems, as
// kin-openapi checks security first, so it chooses the credential error id.
func (s *Server) checkSignature(st *state, r *http.Request, body []byte, ex *exchange) {
	out := st.auth.Check(r, body)
	if !out.Signed {
		return
	}
	if out.Problem != nil {
		ex.problems = append(openapi.Problems{*out.Problem}, ex.problems...)
		ex.auth = "aksk " + out.AccessKey + ": signature refused (" + string(out.Problem.Kind) + ")"
		if out.AccessKey == "" {
			ex.auth = "aksk: malformed signature"
		}
		return
	}
	ex.auth = "aksk " + out.AccessKey + ": " + out.Note
}

// readBody reads the whole body up to the limit. It reports tooLarge instead of an error:
// a body cut short by the client is simply shorter and fails validation on its own.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, false
	}
	if r.ContentLength > s.maxBody {
		return nil, true
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.maxBody))
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return nil, true
	}
	return body, false
}

// ruleInput is the request as rules see it. The body is decoded only when it is JSON that
// passed the structural checks (UTF-8, nesting), so a hostile body cannot reach a decoder.
func ruleInput(r *http.Request, m *openapi.Match, body []byte, tooLarge bool) *config.Input {
	in := &config.Input{
		OperationID: m.Operation.ID,
		Method:      r.Method,
		Path:        m.Operation.Path,
		RawPath:     r.URL.EscapedPath(),
		PathParams:  m.PathParams,
		Query:       r.URL.Query(),
		Header:      r.Header,
	}
	if !tooLarge && len(body) > 0 && openapi.IsJSON(baseMediaType(r.Header.Get("Content-Type"))) {
		if _, ok := openapi.CheckJSON(body); ok {
			dec := json.NewDecoder(bytes.NewReader(body))
			dec.UseNumber()
			var v any
			if dec.Decode(&v) == nil {
				in.Body = v
			}
		}
	}
	return in
}

// servePrefer answers with the response the Prefer header asks for. A code the operation
// does not declare, or an example it does not have, gets the operation's error response
// saying so: the mock never invents an undeclared status.
func (s *Server) servePrefer(st *state, w http.ResponseWriter, r *http.Request, plan *opPlan, ex *exchange, pref prefer) {
	status := plan.success
	if pref.code != 0 {
		status = pref.code
	}
	rp, ok := plan.statusFor(status)
	if !ok {
		s.preferError(st, w, plan, ex, fmt.Sprintf("header Prefer asks for code=%d, which %s does not declare (declared: %s)", pref.code, plan.op.ID, plan.declaredStatuses()))
		return
	}
	mediaType := ""
	if pref.example != "" {
		found := false
		if mediaType, found = rp.exampleMediaType(r, pref.example); !found && pref.code == 0 {
			// Without a code, look in every response: Prefer: example=missing-token finds
			// the 400 example by its name alone.
			for _, key := range plan.order {
				other := plan.responses[key]
				if mt, ok := other.exampleMediaType(r, pref.example); ok {
					rp, mediaType, found = other, mt, true
					status = plan.keyStatus(key)
					break
				}
			}
		}
		if !found {
			s.preferError(st, w, plan, ex, fmt.Sprintf("header Prefer asks for example=%s, which %s does not declare for status %d (examples: %s)",
				pref.example, plan.op.ID, status, rp.exampleNames()))
			return
		}
	}
	_, ex.respSafe = st.writeResponse(w, r, status, rp, mediaType, pref.example, pref.dynamic && pref.example == "")
	ex.source = journal.SourcePrefer
}

func (s *Server) preferError(st *state, w http.ResponseWriter, plan *opPlan, ex *exchange, msg string) {
	ex.source = journal.SourcePrefer
	ex.problems = append(ex.problems, openapi.Problem{Kind: openapi.InvalidRequest, In: "header", Name: "Prefer", Message: msg})
	st.writeError(w, plan.errorsFor(ex.problems), ex.problems)
}

// declares reports whether the operation declares status (exactly, by range or default),
// the statuses a rule's templated status may render.
func (p *opPlan) declares(status int) bool {
	_, ok := p.statusFor(status)
	return ok
}

// keyStatus is the status sent for a response key found by example name.
func (p *opPlan) keyStatus(key string) int {
	if key != "default" {
		return keyStatus(key, 0)
	}
	for _, status := range []int{p.success, http.StatusBadRequest, http.StatusInternalServerError} {
		if rp, ok := p.statusFor(status); ok && rp.key == "default" {
			return status
		}
	}
	return http.StatusInternalServerError
}

// exampleMediaType finds the media type declaring a named example, preferring the one
// the Accept header negotiates.
func (rp *responsePlan) exampleMediaType(r *http.Request, name string) (string, bool) {
	if mt := negotiate(r.Header.Get("Accept"), rp.mediaTypes); mt != "" {
		if _, ok := rp.bodies[mt].examples[name]; ok {
			return mt, true
		}
	}
	for _, mt := range rp.mediaTypes {
		if _, ok := rp.bodies[mt].examples[name]; ok {
			return mt, true
		}
	}
	return "", false
}

func (rp *responsePlan) exampleNames() string {
	var names []string
	for _, mt := range rp.mediaTypes {
		names = append(names, slices.Sorted(maps.Keys(rp.bodies[mt].examples))...)
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
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
