package mockserver

import (
	"net/http"

	"github.com/hookkit/hookkit/mockserver/journal"
)

// corsStage applies the CORS policy (cors.go) to requests with an Origin: a preflight for
// a path of the document is answered here; any other request has its answer decorated
// with the headers the policy allows for that path, including 404 and 405 answers.
func (s *Server) corsStage(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := callOf(r)
		if cors := c.st.cors; cors != nil {
			if origin := r.Header.Get("Origin"); origin != "" {
				path := c.routePath()
				if path != "" && isPreflight(r) {
					c.ex.source = journal.SourceCORS
					cors.preflight(w, r, cors.paths[path])
					return
				}
				cors.decorate(w.Header(), origin, cors.paths[path])
			}
		}
		next.ServeHTTP(w, r)
	})
}
