package mockserver

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/hookkit/hookkit/mockserver/journal"
	"github.com/hookkit/hookkit/openapi"
)

// routeStage finds the request's operation. An unknown path or method is answered by
// unroutedStage, after CORS has decorated the answer.
func (s *Server) routeStage(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := callOf(r)
		c.ex.match, c.routeErr = c.st.doc.Find(r.Method, r.URL.EscapedPath())
		next.ServeHTTP(w, r)
	})
}

// routePath is the document path the request matched, or whose other methods it missed;
// "" for an unknown path.
func (c *call) routePath() string {
	if c.ex.match != nil {
		return c.ex.match.Operation.Path
	}
	var mna *openapi.MethodNotAllowedError // only a routing failure pays for it
	if errors.As(c.routeErr, &mna) {
		return mna.Path
	}
	return ""
}

// unroutedStage answers 404 for an unknown path and 405 (with Allow) for a known path
// with another method, in the profile's error format when the document's errors have
// its shape (else RFC 9457 problem details): no operation declares these answers.
func (s *Server) unroutedStage(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := callOf(r)
		if c.routeErr == nil {
			next.ServeHTTP(w, r)
			return
		}
		c.ex.source = journal.SourceNotFound
		ep := *c.st.notFound
		var mna *openapi.MethodNotAllowedError
		if errors.As(c.routeErr, &mna) {
			ep.status = http.StatusMethodNotAllowed
			w.Header().Set("Allow", strings.Join(mna.Allow, ", "))
			c.ex.problems = openapi.Problems{{Kind: openapi.MethodNotAllowed, In: "method", Name: r.Method,
				Message: fmt.Sprintf("method %s is not allowed at %s (allowed: %s)", r.Method, mna.Path, strings.Join(mna.Allow, ", "))}}
		} else {
			c.ex.problems = openapi.Problems{{Kind: openapi.UnknownPath, In: "path",
				Message: fmt.Sprintf("no operation matches %s %s", r.Method, r.URL.EscapedPath())}}
		}
		c.st.writeError(w, &ep, c.ex.problems)
	})
}
