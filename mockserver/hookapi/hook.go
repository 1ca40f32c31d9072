package hookapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/hookkit/hookkit/generated"
	"github.com/hookkit/hookkit/mockserver/config"
	"github.com/hookkit/hookkit/openapi"
)

// hookHandler serves createProjectHook through the generated strict interface (its request
// and response types), so the hook API's types and the compiler keep this handler and the
// document in agreement: change the
// document, regenerate, and this stops compiling until it agrees again.
type hookHandler struct {
	store       *hookStore
	cfg         *config.Config
	onDuplicate string
	// hideRepoAuth is set when the document's redactor treats X-Repo-Auth as a secret, so
	// stored hooks (shown by the admin API) must not keep its value. Decided at load.
	hideRepoAuth bool
	// deliver sends webhook deliveries (hooks.deliver.onCreate).
	deliver *Deliverer
	// state, when set (stateful mock), keeps hooks in the state store instead of store, so
	// replicas sharing a Redis see each other's hooks (hookstate.go).
	state *hookState
}

var _ generated.StrictServerInterface = (*hookHandler)(nil)

// CreateProjectHook creates a hook with a fresh id, the request's url as callback_url and
// the type configured for the X-Repo-Auth value. A second hook with the same url on the
// same repository follows hooks.onDuplicate.
func (h *hookHandler) CreateProjectHook(ctx context.Context, req generated.CreateProjectHookRequestObject) (generated.CreateProjectHookResponseObject, error) {
	if req.Body == nil {
		// The validator in front rejects a missing body; this guards the handler's contract.
		return generated.CreateProjectHook400JSONResponse{ErrorCode: ErrorCodePrefix + "0411", ErrorMsg: "request body is required"}, nil
	}
	if h.state != nil {
		return h.createInState(ctx, req)
	}
	key := repoKey{projectID: req.ProjectId, namespace: req.Namespace, project: req.Project}
	if h.onDuplicate == config.DuplicateReuse {
		if have, ok := h.store.find(key, req.Body.Url); ok {
			return generated.CreateProjectHook200JSONResponse(toHook(have)), nil
		}
	}
	hook := StoredHook{
		ID:          h.store.newID(),
		Type:        h.cfg.HookType(req.Params.XRepoAuth),
		CallbackURL: req.Body.Url,
		ProjectID:   req.ProjectId,
		Namespace:   req.Namespace,
		Project:     req.Project,
		RepoAuth:    req.Params.XRepoAuth,
		Created:     time.Now().UTC(),
		secret:      req.Body.Secret,
	}
	if h.hideRepoAuth {
		hook.RepoAuth = openapi.Redacted
	}
	stored, ok := h.store.add(key, hook, h.onDuplicate == config.DuplicateReject)
	if !ok {
		return generated.CreateProjectHook400JSONResponse{
			ErrorCode: ErrorCodePrefix + ErrorIDFor(openapi.Problem{Kind: KindDuplicateHook}),
			ErrorMsg:  fmt.Sprintf("a hook with this url already exists on repository %s/%s (id %s)", req.Namespace, req.Project, stored.ID),
		}, nil
	}
	if h.deliver != nil {
		if event := h.deliver.OnCreate(); event != "" {
			// Deliver only starts the delivery: the client's answer does not wait for it. A
			// refused one (callback host not allowed) is recorded for GET /__admin/deliveries.
			_, _ = h.deliver.Deliver(stored.target(), event, nil)
		}
	}
	return generated.CreateProjectHook200JSONResponse(toHook(stored)), nil
}

// target is the hook as a delivery destination.
func (h StoredHook) target() Target {
	return Target{HookID: h.ID, Type: h.Type, CallbackURL: h.CallbackURL, Namespace: h.Namespace, Project: h.Project, Secret: h.secret}
}

func toHook(h StoredHook) generated.Hook {
	return generated.Hook{Id: h.ID, Type: h.Type, CallbackUrl: h.CallbackURL}
}

// errStore wraps a state store failure, so it is answered as such (503) and not as the
// generated server's own failure.
type errStore struct{ err error }

func (e *errStore) Error() string { return "state store: " + e.err.Error() }
func (e *errStore) Unwrap() error { return e.err }

// failTyped answers a request the typed hook handler could not serve: a state store
// failure is a 503; anything else means the document and the generated code disagree (the
// request was validated first), which the answer says instead of inventing a client error.
func failTyped(w http.ResponseWriter, _ *http.Request, err error) {
	var se *errStore
	if errors.As(err, &se) {
		http.Error(w, "hookkit: "+se.Error(), http.StatusServiceUnavailable)
		return
	}
	http.Error(w, "hookkit: generated hook server rejected a validated request: "+err.Error(), http.StatusInternalServerError)
}

// serveTypedHook answers a validated createProjectHook request through the generated
// strict interface: the request object is built from what the document's router and
// validator already established (path parameters, the X-Repo-Auth header, the body already
// read), and the answer is the generated response type. The generated strict server would
// only repeat that work (route binding, reflective parameter parsing, a second read of the
// body through a json.Decoder); its types still tie this handler to the document at
// compile time. The response is written as the generated Visit methods write it (the
// same bytes, the same headers), through a pooled buffer.
func serveTypedHook(h *hookHandler, w http.ResponseWriter, r *http.Request, m *openapi.Match, body []byte) {
	req := generated.CreateProjectHookRequestObject{
		ProjectId: m.PathParams["project_id"],
		Namespace: m.PathParams["namespace"],
		Project:   m.PathParams["project"],
		Params:    generated.CreateProjectHookParams{XRepoAuth: r.Header.Get("X-Repo-Auth")},
	}
	var hb generated.CreateProjectHookJSONRequestBody
	if len(body) == 0 {
		failTyped(w, r, fmt.Errorf("can't decode JSON body: %w", io.EOF)) // as the generated binding says it
		return
	}
	if err := json.Unmarshal(body, &hb); err != nil {
		failTyped(w, r, fmt.Errorf("can't decode JSON body: %w", err))
		return
	}
	req.Body = &hb
	resp, err := h.CreateProjectHook(r.Context(), req)
	if err != nil {
		failTyped(w, r, err)
		return
	}
	switch resp := resp.(type) {
	case generated.CreateProjectHook200JSONResponse:
		err = writeJSON(w, http.StatusOK, resp)
	case generated.CreateProjectHook400JSONResponse:
		err = writeJSON(w, http.StatusBadRequest, resp)
	default:
		err = resp.VisitCreateProjectHookResponse(w)
	}
	if err != nil {
		failTyped(w, r, err)
	}
}

// jsonBuffers are the buffers (with their encoders) responses are encoded into.
var jsonBuffers = sync.Pool{New: func() any {
	jb := &jsonBuffer{}
	jb.enc = json.NewEncoder(&jb.buf)
	return jb
}}

type jsonBuffer struct {
	buf bytes.Buffer
	enc *json.Encoder
}

// maxPooledJSON bounds the buffers kept for reuse, so one large answer does not pin its
// buffer for good.
const maxPooledJSON = 16 << 10

// writeJSON writes v as the generated Visit...Response methods do: encoded by a
// json.Encoder (so with its trailing newline), Content-Type application/json, the status.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	jb := jsonBuffers.Get().(*jsonBuffer)
	defer func() {
		if jb.buf.Cap() <= maxPooledJSON {
			jb.buf.Reset()
			jsonBuffers.Put(jb)
		}
	}()
	if err := jb.enc.Encode(v); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, err := w.Write(jb.buf.Bytes())
	return err
}
