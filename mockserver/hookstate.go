package mockserver

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
		return nil, &errState{err}
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
	scope := scopeOf(hs.coll, map[string]string{"project_id": req.ProjectId, "namespace": req.Namespace, "project": req.Project})
	have, created, err := hs.store.Create(ctx, hs.coll.Name, scope, hook.Id, value, unique)
	if err != nil {
		return nil, &errState{err}
	}
	if !created {
		if h.onDuplicate == config.DuplicateReject {
			return generated.CreateProjectHook400JSONResponse{
				ErrorCode: ErrorCodePrefix + errorIDFor(openapi.Problem{Kind: KindDuplicateHook}),
				ErrorMsg:  fmt.Sprintf("a hook with this url already exists on repository %s/%s (id %s)", req.Namespace, req.Project, have.ID),
			}, nil
		}
		if err := json.Unmarshal(have.Value, &hook); err != nil {
			return nil, &errState{err}
		}
	}
	return generated.CreateProjectHook200JSONResponse(hook), nil
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
		sh := StoredHook{ID: h.Id, Type: h.Type, CallbackURL: h.CallbackUrl}
		parts := strings.Split(it.Scope, "/")
		if len(parts) == 3 {
			sh.ProjectID, sh.Namespace, sh.Project = unescape(parts[0]), unescape(parts[1]), unescape(parts[2])
		}
		out = append(out, sh)
	}
	return out, nil
}

func unescape(s string) string {
	if v, err := url.PathUnescape(s); err == nil {
		return v
	}
	return s
}
