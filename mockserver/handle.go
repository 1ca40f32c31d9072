package mockserver

import (
	"context"
	"net/http"
	"time"

	"github.com/hookkit/hookkit/openapi"
)

// The mock answers a request by passing it through stages, each a middleware in its own
// file (func(http.Handler) http.Handler, as chi's are), composed once by New:
//
//	admin     (stage_admin.go)    /__admin/ goes to the guarded admin API, unjournaled
//	journal   (stage_journal.go)  wraps the writer; journals and logs after the answer
//	route     (stage_route.go)    finds the operation (404/405 wait for CORS)
//	cors      (stage_cors.go)     answers preflights, decorates answers to origins
//	unrouted  (stage_route.go)    answers 404 and 405
//	validate  (stage_validate.go) reads the body; validation, AK/SK, credentials
//	rules     (stage_rules.go)    a config rule answers, even an invalid request
//	invalid   (stage_invalid.go)  the operation's error response for the problems
//	prefer    (stage_prefer.go)   the Prefer header chooses the answer
//	state     (stage_state.go)    the stateful mock answers from its store
//	typed     (stage_typed.go)    the profile's typed handler answers
//	example   (stage_example.go)  the example, else the synthesized body
//
// A stage that answers does not call the next one. What the stages share (the state
// snapshot the request started with, the route, the problems, the recorder) is the
// request's [call], which its context carries.
func (s *Server) stages() http.Handler {
	h := http.Handler(http.HandlerFunc(s.exampleStage))
	chain := []func(http.Handler) http.Handler{
		s.adminStage, s.journalStage, s.routeStage, s.corsStage, s.unroutedStage,
		s.validateStage, s.rulesStage, s.invalidStage, s.preferStage, s.stateStage, typedStage,
	}
	for i := len(chain) - 1; i >= 0; i-- {
		h = chain[i](h)
	}
	return h
}

// ServeHTTP answers one request: it takes the state snapshot (document, config and
// everything derived from them) the request will see to its end, even across a reload,
// and passes the request through the stages.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c := &call{Context: r.Context(), st: s.state.Load()}
	s.handler.ServeHTTP(w, r.WithContext(c))
}

// call is one request on its way through the stages: the state snapshot it started with,
// the recorder wrapping the client's writer, and what the stages learnt (exchange). It
// is the request's context, wrapping the server's: carrying it costs the one allocation
// that used to hold the recorder, and the request's copy.
type call struct {
	context.Context
	st  *state
	rec recorder
	ex  exchange
	// routeErr is the router's error (unknown path, method not allowed), nil when
	// ex.match is set; plan is the matched operation's plan.
	routeErr error
	plan     *opPlan
	// tooLarge is set when the body was over the limit (and not read).
	tooLarge bool
}

// callKey is the context key of the request's call.
type callKey struct{}

// Value returns the call itself for callKey; every other key is the server's context's.
func (c *call) Value(key any) any {
	if _, ok := key.(callKey); ok {
		return c
	}
	return c.Context.Value(key)
}

// callOf returns the request's call, which ServeHTTP put in its context.
func callOf(r *http.Request) *call {
	c, _ := r.Context().Value(callKey{}).(*call)
	return c
}

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
