package hookapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/hookkit/hookkit/generated"
	"github.com/hookkit/hookkit/mockserver/config"
	statestore "github.com/hookkit/hookkit/mockserver/state"
	"github.com/hookkit/hookkit/openapi"
	"github.com/hookkit/hookkit/openapi/resource"
)

// hookState keeps the typed hook handler's hooks in the state store. Hooks are scoped by
// repository (project_id, namespace, project: the collection path's parameters) and keyed
// by id; with hooks.onDuplicate reuse or reject the callback url is the scope's unique
// value, checked and stored in one atomic step, so two replicas creating the same url at
// once store one hook.
type hookState struct {
	store statestore.Store
	coll  *resource.Collection
}

func (h *hookHandler) createInState(ctx context.Context, req generated.CreateProjectHookRequestObject) (generated.CreateProjectHookResponseObject, error) {
	hs := h.state
	seq, err := hs.store.NextID(ctx, hs.coll.Name)
	if err != nil {
		return nil, &errStore{err}
	}
	hook := generated.Hook{Id: strconv.FormatUint(seq, 10), Type: h.cfg.HookType(req.Params.XRepoAuth), CallbackUrl: req.Body.Url}
	value, err := json.Marshal(hook)
	if err != nil {
		return nil, err
	}
	unique := ""
	if h.onDuplicate != config.DuplicateCreate {
		unique = req.Body.Url
	}
	scope := hs.coll.ScopeKey(map[string]string{"project_id": req.ProjectId, "namespace": req.Namespace, "project": req.Project})
	have, created, err := hs.store.Create(ctx, hs.coll.Name, scope, hook.Id, value, unique)
	if err != nil {
		return nil, &errStore{err}
	}
	if !created {
		if h.onDuplicate == config.DuplicateReject {
			return generated.CreateProjectHook400JSONResponse{
				ErrorCode: ErrorCodePrefix + ErrorIDFor(openapi.Problem{Kind: KindDuplicateHook}),
				ErrorMsg:  fmt.Sprintf("a hook with this url already exists on repository %s/%s (id %s)", req.Namespace, req.Project, have.ID),
			}, nil
		}
		if err := json.Unmarshal(have.Value, &hook); err != nil {
			return nil, &errStore{err}
		}
		return generated.CreateProjectHook200JSONResponse(hook), nil
	}
	// The secret stays in this replica's memory, never in the store (a Redis other
	// replicas read): this replica alone can sign the hook's deliveries.
	h.store.keepSecret(hook.Id, stateSecret{coll: hs.coll.Name, scope: scope, callbackURL: hook.CallbackUrl, secret: req.Body.Secret})
	if h.deliver != nil {
		if event := h.deliver.OnCreate(); event != "" {
			stored := hookFromState(scope, hook)
			stored.secret = req.Body.Secret
			// As in memory: started off the request path, a refusal is recorded.
			_, _ = h.deliver.Deliver(stored.target(), event, nil)
		}
	}
	return generated.CreateProjectHook200JSONResponse(hook), nil
}

// hookFromState is a hook of the state store as the admin API shows it, with the
// repository taken from the scope.
func hookFromState(scope string, h generated.Hook) StoredHook {
	sh := StoredHook{ID: h.Id, Type: h.Type, CallbackURL: h.CallbackUrl}
	parts := strings.Split(scope, "/")
	if len(parts) == 3 {
		sh.ProjectID, sh.Namespace, sh.Project = unescape(parts[0]), unescape(parts[1]), unescape(parts[2])
	}
	return sh
}

// errNoSecret answers a delivery request for a hook of the state store whose secret this
// replica does not hold.
type errNoSecret struct{ id string }

func (e *errNoSecret) Error() string {
	return "hook " + e.id + " is in the state store, but this replica does not hold its secret: secrets stay in the memory of the replica that created the hook and are never written to the state store; send the delivery to that replica (a seeded hook, or one created before that replica restarted, has no secret: create it again)"
}

// stateHook returns the hook id of the state store with the secret this replica kept
// for it: ok false when the store has no such hook, *errNoSecret when this replica does
// not hold its secret, any other error when the store fails.
func (p *Profile) stateHook(ctx context.Context, l *loaded, id string) (StoredHook, bool, error) {
	coll := l.coll
	if sec, ok := p.hooks.stateSecret(id); ok && sec.coll == coll.Name {
		value, found, err := l.state.Store.Get(ctx, coll.Name, sec.scope, id)
		if err != nil {
			return StoredHook{}, false, err
		}
		var h generated.Hook
		if found && json.Unmarshal(value, &h) == nil && h.CallbackUrl == sec.callbackURL {
			stored := hookFromState(sec.scope, h)
			stored.secret = sec.secret
			return stored, true, nil
		}
		if !found {
			// Deleted (DELETE /__admin/state, a reset on another replica): forget the secret.
			p.hooks.dropSecret(id)
			return StoredHook{}, false, nil
		}
	}
	hooks, err := stateHooks(ctx, l.state.Store, coll)
	if err != nil {
		return StoredHook{}, false, err
	}
	for _, h := range hooks {
		if h.ID == id {
			return StoredHook{}, false, &errNoSecret{id}
		}
	}
	return StoredHook{}, false, nil
}

// stateHooks lists the hooks of the state store as the admin API shows them, with the
// repository taken from the scope.
func stateHooks(ctx context.Context, store statestore.Store, coll *resource.Collection) ([]StoredHook, error) {
	items, err := store.Dump(ctx, coll.Name)
	if err != nil {
		return nil, err
	}
	out := make([]StoredHook, 0, len(items))
	for _, it := range items {
		var h generated.Hook
		if json.Unmarshal(it.Value, &h) != nil {
			continue
		}
		out = append(out, hookFromState(it.Scope, h))
	}
	return out, nil
}

func unescape(s string) string {
	if v, err := url.PathUnescape(s); err == nil {
		return v
	}
	return s
}
