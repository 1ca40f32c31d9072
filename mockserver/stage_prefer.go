package mockserver

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/hookkit/hookkit/mockserver/journal"
	"github.com/hookkit/hookkit/openapi"
)

// preferStage answers what the Prefer header asks for, as Stoplight Prism reads it
// (prefer.go): code=400, example=name, dynamic=true, in any combination. An unusable
// header is the client's error.
func (s *Server) preferStage(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := callOf(r)
		pref, err := parsePrefer(r.Header)
		if err != nil {
			s.preferError(c.st, w, c.plan, &c.ex, err.Error())
			return
		}
		if pref.empty() {
			next.ServeHTTP(w, r)
			return
		}
		s.servePrefer(c.st, w, r, c.plan, &c.ex, pref)
	})
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
