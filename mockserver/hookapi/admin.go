package hookapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/hookkit/hookkit/mockserver"
)

// maxDeliveryRequestBytes limits the body of POST /__admin/hooks/{id}/deliveries.
const maxDeliveryRequestBytes = 1 << 20

// maxDeliveryWait bounds ?wait= on POST /__admin/hooks/{id}/deliveries.
const maxDeliveryWait = time.Minute

// AdminRoutes are the hook API's admin endpoints: GET and DELETE /__admin/hooks (the
// hooks the typed handler created), GET and DELETE /__admin/deliveries (the delivery
// records), POST /__admin/hooks/{id}/deliveries (send one). The mock serves them behind
// its admin guard.
func (p *Profile) AdminRoutes() []mockserver.AdminRoute {
	return []mockserver.AdminRoute{
		{Method: http.MethodGet, Path: "hooks", Serve: p.getHooks},
		{Method: http.MethodDelete, Path: "hooks", Serve: p.deleteHooks},
		{Method: http.MethodGet, Path: "deliveries", Serve: func(w http.ResponseWriter, _ *http.Request, _ mockserver.Loaded) {
			mockserver.WriteAdminJSON(w, http.StatusOK, map[string]any{"deliveries": p.deliveries.List()})
		}},
		{Method: http.MethodDelete, Path: "deliveries", Serve: func(w http.ResponseWriter, _ *http.Request, _ mockserver.Loaded) {
			p.deliveries.Reset()
			w.WriteHeader(http.StatusNoContent)
		}},
		{Method: http.MethodPost, Path: "hooks/{id}/deliveries", Serve: p.postDelivery},
	}
}

// stateColl returns the load's state store collection of hooks, nil when the typed
// handler keeps them in memory (or the profile is off).
func stateColl(ld mockserver.Loaded) (*loaded, bool) {
	l, ok := ld.(*loaded)
	return l, ok && l.coll != nil
}

// getHooks lists the stored hooks: with state on, the state store's (every replica's).
func (p *Profile) getHooks(w http.ResponseWriter, r *http.Request, ld mockserver.Loaded) {
	if l, ok := stateColl(ld); ok {
		hooks, err := stateHooks(r.Context(), l.state.Store, l.coll)
		if err != nil {
			mockserver.WriteAdminJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "state store: " + err.Error()})
			return
		}
		mockserver.WriteAdminJSON(w, http.StatusOK, map[string]any{"hooks": hooks, "store": l.state.Desc})
		return
	}
	mockserver.WriteAdminJSON(w, http.StatusOK, map[string]any{"hooks": p.hooks.list()})
}

// deleteHooks forgets the stored hooks. With state on, GET shows the state store's hooks:
// DELETE forgets those (for every replica sharing the store), as DELETE
// /__admin/state/{collection} does.
func (p *Profile) deleteHooks(w http.ResponseWriter, r *http.Request, ld mockserver.Loaded) {
	if l, ok := stateColl(ld); ok {
		if err := l.state.Store.Clear(r.Context(), l.coll.Name); err != nil {
			mockserver.WriteAdminJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "state store: " + err.Error()})
			return
		}
	}
	p.hooks.reset()
	w.WriteHeader(http.StatusNoContent)
}

// postDelivery sends a webhook delivery to a stored hook: optional JSON body
// {"event": "push", "payload": {...}}; ?wait=5s waits that long for the outcome (200 with
// the finished record) instead of answering 202 at once.
//
// With state on, the hook is looked up in the state store (every replica's hooks) and
// signed with the secret this replica kept when it created the hook; a replica that
// holds no secret for it answers 409 saying so.
func (p *Profile) postDelivery(w http.ResponseWriter, r *http.Request, ld mockserver.Loaded) {
	id := r.PathValue("id")
	hook, ok := p.hooks.get(id)
	if l, inState := stateColl(ld); inState {
		var err error
		hook, ok, err = p.stateHook(r.Context(), l, id)
		var noSecret *errNoSecret
		if errors.As(err, &noSecret) {
			mockserver.WriteAdminJSON(w, http.StatusConflict, map[string]string{"error": err.Error()})
			return
		}
		if err != nil {
			mockserver.WriteAdminJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "state store: " + err.Error()})
			return
		}
	}
	if !ok {
		mockserver.WriteAdminJSON(w, http.StatusNotFound, map[string]string{"error": "no hook with id " + id + " (see GET /__admin/hooks)"})
		return
	}
	var req struct {
		Event   string          `json:"event"`
		Payload json.RawMessage `json:"payload"`
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxDeliveryRequestBytes))
	if err != nil {
		mockserver.WriteAdminJSON(w, http.StatusBadRequest, map[string]string{"error": "cannot read the body: " + err.Error()})
		return
	}
	if len(strings.TrimSpace(string(data))) > 0 {
		dec := json.NewDecoder(strings.NewReader(string(data)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&req); err != nil {
			mockserver.WriteAdminJSON(w, http.StatusBadRequest, map[string]string{"error": `body must be JSON {"event": "push", "payload": {...}}: ` + err.Error()})
			return
		}
	}
	var wait time.Duration
	if v := r.URL.Query().Get("wait"); v != "" {
		if wait, err = time.ParseDuration(v); err != nil || wait < 0 || wait > maxDeliveryWait {
			mockserver.WriteAdminJSON(w, http.StatusBadRequest, map[string]string{"error": "query parameter wait must be a duration between 0 and " + maxDeliveryWait.String()})
			return
		}
	}
	rec, err := p.deliveries.Deliver(hook.target(), req.Event, req.Payload)
	if err != nil {
		// Refused before sending (host not allowed, unknown event): recorded all the same.
		mockserver.WriteAdminJSON(w, http.StatusBadRequest, map[string]any{"error": err.Error(), "delivery": rec})
		return
	}
	if wait > 0 {
		ctx, cancel := context.WithTimeout(r.Context(), wait)
		defer cancel()
		if done, ok := p.deliveries.Wait(ctx, rec.ID); ok {
			rec = done
		}
	}
	if rec.Status != StatusPending {
		mockserver.WriteAdminJSON(w, http.StatusOK, map[string]any{"delivery": rec})
		return
	}
	mockserver.WriteAdminJSON(w, http.StatusAccepted, map[string]any{"delivery": rec})
}
