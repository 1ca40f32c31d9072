package mockserver

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/hookkit/hookkit/mockserver/hookapi"
)

// maxDeliveryRequestBytes limits the body of POST /__admin/hooks/{id}/deliveries.
const maxDeliveryRequestBytes = 1 << 20

// maxDeliveryWait bounds ?wait= on POST /__admin/hooks/{id}/deliveries.
const maxDeliveryWait = time.Minute

// deliveryRoute matches POST /__admin/hooks/{id}/deliveries.
func deliveryRoute(r *http.Request) (string, bool) {
	if r.Method != http.MethodPost {
		return "", false
	}
	rest, ok := strings.CutPrefix(r.URL.Path, adminPrefix+"hooks/")
	if !ok {
		return "", false
	}
	id, ok := strings.CutSuffix(strings.TrimSuffix(rest, "/"), "/deliveries")
	return id, ok && id != "" && !strings.Contains(id, "/")
}

// postDelivery sends a webhook delivery to a stored hook: optional JSON body
// {"event": "push", "payload": {...}}; ?wait=5s waits that long for the outcome (200 with
// the finished record) instead of answering 202 at once.
//
// With state on, the hook is looked up in the state store (every replica's hooks) and
// signed with the secret this replica kept when it created the hook; a replica that
// holds no secret for it answers 409 saying so.
func (s *Server) postDelivery(st *state, w http.ResponseWriter, r *http.Request, id string) {
	hook, ok := s.hooks.get(id)
	if coll := stateHookCollection(st); coll != nil {
		var err error
		hook, ok, err = s.stateHook(r.Context(), coll, id)
		var noSecret *errNoSecret
		if errors.As(err, &noSecret) {
			writeJSON(w, http.StatusConflict, map[string]string{"error": err.Error()})
			return
		}
		if err != nil {
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "state store: " + err.Error()})
			return
		}
	}
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "no hook with id " + id + " (see GET " + adminPrefix + "hooks)"})
		return
	}
	var req struct {
		Event   string          `json:"event"`
		Payload json.RawMessage `json:"payload"`
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxDeliveryRequestBytes))
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "cannot read the body: " + err.Error()})
		return
	}
	if len(strings.TrimSpace(string(data))) > 0 {
		dec := json.NewDecoder(strings.NewReader(string(data)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&req); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": `body must be JSON {"event": "push", "payload": {...}}: ` + err.Error()})
			return
		}
	}
	var wait time.Duration
	if v := r.URL.Query().Get("wait"); v != "" {
		if wait, err = time.ParseDuration(v); err != nil || wait < 0 || wait > maxDeliveryWait {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "query parameter wait must be a duration between 0 and " + maxDeliveryWait.String()})
			return
		}
	}
	rec, err := s.deliveries.Deliver(hook.target(), req.Event, req.Payload)
	if err != nil {
		// Refused before sending (host not allowed, unknown event): recorded all the same.
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": err.Error(), "delivery": rec})
		return
	}
	if wait > 0 {
		ctx, cancel := context.WithTimeout(r.Context(), wait)
		defer cancel()
		if done, ok := s.deliveries.Wait(ctx, rec.ID); ok {
			rec = done
		}
	}
	if rec.Status != hookapi.StatusPending {
		writeJSON(w, http.StatusOK, map[string]any{"delivery": rec})
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]any{"delivery": rec})
}
