package mockserver

import (
	"net/http"

	"github.com/hookkit/hookkit/mockserver/journal"
)

// invalidStage answers a request with problems (that no rule answered) with the
// operation's declared error response for them (errorbody.go).
func (s *Server) invalidStage(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := callOf(r)
		if len(c.ex.problems) == 0 {
			next.ServeHTTP(w, r)
			return
		}
		c.ex.source = journal.SourceValidation
		c.st.writeError(w, c.plan.errorsFor(c.ex.problems), c.ex.problems)
	})
}
