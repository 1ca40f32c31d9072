package hookapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/hookkit/hookkit/generated"
	"github.com/hookkit/hookkit/mockserver/config"
	"github.com/hookkit/hookkit/openapi"
)

// hookHandler serves createProjectHook through the generated strict server, so the hook
// API's types and the compiler keep this handler and the document in agreement: change the
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

// typedHook is the generated strict server for createProjectHook (body decoding into the
// generated types, the typed handler, response encoding), built once per loaded state.
// The request reaching it was already validated.
func typedHook(h *hookHandler) generated.ServerInterface {
	fail := func(w http.ResponseWriter, _ *http.Request, err error) {
		var se *errStore
		if errors.As(err, &se) {
			http.Error(w, "hookkit: "+se.Error(), http.StatusServiceUnavailable)
			return
		}
		// Validation runs first, so the generated binding failing means the document and
		// the generated code disagree: say so instead of inventing a client error.
		http.Error(w, "hookkit: generated hook server rejected a validated request: "+err.Error(), http.StatusInternalServerError)
	}
	return generated.NewStrictHandlerWithOptions(h, nil, generated.StrictHTTPServerOptions{
		RequestErrorHandlerFunc:  fail,
		ResponseErrorHandlerFunc: fail,
	})
}

// serveTypedHook hands a validated request to the generated strict server with the
// parameters the document's router and validator already established. The generated
// route binding (a ServeMux pattern and reflective parameter parsing) would only repeat
// that work; its signature still ties these arguments to the document at compile time.
func serveTypedHook(si generated.ServerInterface, w http.ResponseWriter, r *http.Request, m *openapi.Match) {
	params := generated.CreateProjectHookParams{XRepoAuth: r.Header.Get("X-Repo-Auth")}
	si.CreateProjectHook(w, r, m.PathParams["project_id"], m.PathParams["namespace"], m.PathParams["project"], params)
}
