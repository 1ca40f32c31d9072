package mockserver

import "net/http"

// stateStage lets the stateful mock answer the operations of its collections from the
// store (stateful.go), when state is on and the client accepts JSON. The profile's typed
// handler answers its operations itself (keeping what it creates in the same store).
func (s *Server) stateStage(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := callOf(r)
		st, plan := c.st, c.plan
		if st.stateful != nil && !plan.typed && plan.negotiatesJSON(r) {
			if role, ok := st.stateful.model.Role(c.ex.match.Operation); ok {
				s.serveState(st, w, r, c.ex.match, plan, role, c.ex.reqBody, &c.ex)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}
