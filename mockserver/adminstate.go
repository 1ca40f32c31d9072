package mockserver

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/hookkit/hookkit/openapi/resource"
)

// serveAdminState answers GET and DELETE /__admin/state (every collection) and
// /__admin/state/{collection}. GET shows the model (paths, id field, scope, operations)
// and the stored resources; DELETE empties the store without seeding it again (POST
// /__admin/reset goes back to the seed). On Redis both act on the state every replica
// shares.
func (s *Server) serveAdminState(st *state, w http.ResponseWriter, r *http.Request, name string) {
	sf := st.stateful
	if sf == nil {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "the mock is not stateful: start it with --stateful or state.enabled: true"})
		return
	}
	colls := sf.model.Collections
	if name != "" {
		c, ok := sf.model.Collection(name)
		if !ok {
			writeJSON(w, http.StatusNotFound, map[string]string{"error": fmt.Sprintf("no collection %q (collections: %s)", name, strings.Join(sf.names(), ", "))})
			return
		}
		colls = []*resource.Collection{c}
	}
	ctx := r.Context()
	if r.Method == http.MethodDelete {
		for _, c := range colls {
			if err := sf.store.Clear(ctx, c.Name); err != nil {
				writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "state store: " + err.Error()})
				return
			}
		}
		w.WriteHeader(http.StatusNoContent)
		return
	}
	views := make([]stateCollection, 0, len(colls))
	for _, c := range colls {
		items, err := sf.store.Dump(ctx, c.Name)
		if err != nil {
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "state store: " + err.Error()})
			return
		}
		for i := range items {
			// The admin API never shows a secret, even one the API itself returns.
			items[i].Value = st.redact.body("application/json", items[i].Value)
		}
		views = append(views, stateCollection{Collection: c, Operations: c.Operations(), Count: len(items), Items: items})
	}
	if name != "" {
		writeJSON(w, http.StatusOK, views[0])
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"store": s.storeDesc, "collections": views})
}
