package mockserver

import "net/http"

// typedStage lets the profile's typed handler (Loaded.ServeTyped) answer the operations
// the profile serves (Profile.Typed), such as the hook API's createProjectHook.
func typedStage(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := callOf(r)
		if !c.plan.typed || c.st.loaded == nil {
			next.ServeHTTP(w, r)
			return
		}
		c.ex.source, c.ex.respSafe = c.st.loaded.ServeTyped(w, r, c.ex.match, c.ex.reqBody)
	})
}
