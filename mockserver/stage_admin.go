package mockserver

import (
	"net/http"
	"strings"
)

// adminStage sends requests under /__admin/ to the admin API, behind its guard
// (adminguard.go), when the config enables it. They are not journaled: reading the
// journal would otherwise fill it.
func (s *Server) adminStage(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if st := callOf(r).st; st.admin && strings.HasPrefix(r.URL.Path, adminPrefix) {
			s.serveAdminGuarded(st, w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}
