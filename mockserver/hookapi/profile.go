package hookapi

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/hookkit/hookkit/mockserver"
	"github.com/hookkit/hookkit/mockserver/config"
	"github.com/hookkit/hookkit/mockserver/journal"
	"github.com/hookkit/hookkit/openapi"
	"github.com/hookkit/hookkit/openapi/resource"
)

// ProfileName is the name that turns the ServiceStage profile on for a document: config
// `profile: servicestage`, or `x-hookkit-profile: servicestage` in the document (the
// embedded hook API declares it).
const ProfileName = "servicestage"

// Profile is ServiceStage's conventions, which the generic mock calls through its
// [mockserver.Profile] interface: error bodies {"error_code": "SVCSTG.REPO.<id>",
// "error_msg": "..."} with the ids of the catalogue (errorids.go), the typed hook
// handler for createProjectHook (hook.go) with the hooks it created (hookstore.go,
// hookstate.go), their webhook deliveries (deliver.go) and the admin endpoints showing
// both (admin.go).
//
// A Profile belongs to one mock server: its hooks and deliveries outlive the server's
// reloads, and the server's Reset and Close reach them. Build it with [New].
type Profile struct {
	hooks      *hookStore
	deliveries *Deliverer
}

var _ mockserver.Profile = (*Profile)(nil)

// ProfileOptions configure a Profile. The zero value delivers with the default
// deliverer.
type ProfileOptions struct {
	// Deliver tunes the webhook deliverer (its Logger receives one line per delivery;
	// tests inject its Sleep and Transport).
	Deliver Options
}

// New returns the ServiceStage profile for one mock server (mockserver.Options.Profiles).
// Its bounds and delivery settings are the config's, which the server applies
// (Configure) before its first request.
func New(opts ProfileOptions) *Profile {
	return &Profile{
		hooks:      newHookStore(0, 0),
		deliveries: NewDeliverer(config.DeliverConfig{}, opts.Deliver),
	}
}

// Hooks returns the hooks the typed hook handler created in memory, oldest first (with
// state on they are in the state store: GET /__admin/hooks shows those).
func (p *Profile) Hooks() []StoredHook { return p.hooks.list() }

// Deliveries returns the webhook deliverer (its records are GET /__admin/deliveries).
func (p *Profile) Deliveries() *Deliverer { return p.deliveries }

// Configure applies the config's hooks.maxStored, hooks.maxBytes and hooks.deliver.
func (p *Profile) Configure(cfg *config.Config) {
	p.hooks.setLimits(cfg.Hooks.MaxStored, cfg.Hooks.MaxBytes)
	p.deliveries.Configure(cfg.Hooks.Deliver)
}

// Reset forgets the stored hooks (and their secrets) and the delivery records. The
// hooks of the state store are the stateful mock's, which resets them itself.
func (p *Profile) Reset(context.Context) error {
	p.hooks.reset()
	p.deliveries.Reset()
	return nil
}

// Close stops the deliveries: pending retries are cancelled, and Close returns when
// every delivery goroutine has ended.
func (p *Profile) Close() error {
	p.deliveries.Close()
	return nil
}

// Health adds the count of hooks kept in memory to GET /__admin/health.
func (p *Profile) Health() map[string]any {
	return map[string]any{"hooks": len(p.hooks.list())}
}

// ConfigView shows the hooks section of the config in effect in GET /__admin/config: the
// typed handler's settings and the delivery settings, with their defaults filled in.
func (*Profile) ConfigView(c *config.Config) map[string]any {
	return map[string]any{
		"hooks": map[string]any{
			"types":       c.Hooks.Types,
			"defaultType": c.Hooks.DefaultType,
			"onDuplicate": c.Hooks.OnDuplicate,
			"maxStored":   c.Hooks.MaxStored,
			"maxBytes":    c.Hooks.MaxBytes,
			"deliver": map[string]any{
				"onCreate":   c.Hooks.Deliver.OnCreate,
				"allowHosts": c.Hooks.Deliver.AllowHosts,
				"retries":    c.Hooks.Deliver.RetryCount(),
				"backoff":    c.Hooks.Deliver.Backoff.String(),
				"timeout":    c.Hooks.Deliver.Timeout.String(),
			},
		},
	}
}

// Load prepares one load of document and config: the typed hook handler when the
// document has the hook operation, keeping its hooks in the state store when state is on.
func (p *Profile) Load(l mockserver.ProfileLoad) (mockserver.Loaded, error) {
	ld := &loaded{}
	red := l.Doc.Redactor()
	for _, op := range l.Doc.Operations {
		if !p.Typed(op) {
			continue
		}
		ld.safe = !red.IsSecretField("id") && !red.IsSecretField("type") && !red.IsSecretField("callback_url")
		h := &hookHandler{store: p.hooks, cfg: l.Config, onDuplicate: l.Config.Hooks.OnDuplicate, hideRepoAuth: red.IsSecretHeader("X-Repo-Auth"), deliver: p.deliveries}
		if l.State != nil {
			if role, ok := l.State.Model.Role(op); ok && role.Action == resource.Create {
				h.state = &hookState{store: l.State.Store, coll: role.Collection}
				ld.state, ld.coll = l.State, role.Collection
			}
		}
		ld.typed = h
	}
	return ld, nil
}

// loaded is the profile's part of one load.
type loaded struct {
	// typed is the typed hook handler (the generated strict interface), nil when the
	// document has no hook operation; safe is set when its answers hold no secret (id,
	// type, callback_url).
	typed *hookHandler
	safe  bool
	// state and coll are the state store and its collection of hooks when the typed
	// handler keeps them there (state on), nil when it keeps them in memory.
	state *mockserver.ProfileState
	coll  *resource.Collection
}

// ServeTyped answers createProjectHook with the typed hook handler.
func (l *loaded) ServeTyped(w http.ResponseWriter, r *http.Request, m *openapi.Match, body []byte) (string, bool) {
	serveTypedHook(l.typed, w, r, m, body)
	return journal.SourceHook, l.safe
}

// Name returns ProfileName.
func (*Profile) Name() string { return ProfileName }

// ErrorShape reports whether a declared error schema is ServiceStage's Error: string
// properties error_code and error_msg. Only such bodies get the profile's fields; any other
// declared error body is filled by the generic mock.
func (*Profile) ErrorShape(s *openapi3.Schema) bool {
	return s != nil && isStringProp(s.Properties["error_code"]) && isStringProp(s.Properties["error_msg"])
}

// SetErrorFields sets the fields of the error body answering problems (at least one): the
// catalogue id chosen by the first problem, and msg, the message naming every problem.
func (*Profile) SetErrorFields(body map[string]any, problems openapi.Problems, msg string) {
	id := ErrorIDFor(problems[0])
	if code, ok := errorCodes[id]; ok {
		body["error_code"] = code
	} else {
		body["error_code"] = ErrorCodePrefix + id
	}
	body["error_msg"] = msg
}

// ErrorVariants returns one field set per catalogue id, with a sample message, so the mock
// can prove at load that every body it may fill validates against the declared schema.
func (*Profile) ErrorVariants() []map[string]any {
	out := make([]map[string]any, 0, len(errorCatalogue))
	for _, id := range errorCatalogue {
		out = append(out, map[string]any{"error_code": ErrorCodePrefix + id.ID, "error_msg": "header X-Auth-Token is required; body field /url is required"})
	}
	return out
}

// NotFoundBody is the body of the mock's 404 and 405 answers for a document whose errors
// use the ServiceStage format (the router's answers have no declared response).
func (p *Profile) NotFoundBody(problems openapi.Problems) (contentType string, body []byte) {
	fields := make(map[string]any, 2)
	p.SetErrorFields(fields, problems, problems.Error())
	b, _ := json.Marshal(fields)
	return "application/json", b
}

// Typed reports whether the typed hook handler serves op: the hook API's
// createProjectHook with the path parameters, the X-Repo-Auth header and the body and 200
// shapes the generated code expects. A document that merely reuses the operationId is
// served generically instead.
func (*Profile) Typed(op *openapi.Operation) bool {
	if op.ID != HookOperationID || op.Method != http.MethodPost {
		return false
	}
	want := map[string]string{"project_id": "path", "namespace": "path", "project": "path", "X-Repo-Auth": "header"}
	for _, p := range op.Parameters() {
		if in, ok := want[p.Value.Name]; ok && in == p.Value.In {
			delete(want, p.Value.Name)
		}
	}
	if len(want) > 0 || op.Path != HookPath {
		return false
	}
	rb := op.Operation.RequestBody
	if rb == nil || rb.Value == nil || !hasProps(rb.Value.Content.Get("application/json"), "secret", "url") {
		return false
	}
	ok := op.Operation.Responses.Status(200)
	return ok != nil && ok.Value != nil && hasProps(ok.Value.Content.Get("application/json"), "id", "type", "callback_url")
}

// HookOperationID is the operation the typed hook handler serves.
const HookOperationID = "createProjectHook"

// HookPath is the path the generated server registers for it.
const HookPath = "/v1/{project_id}/git/repos/{namespace}/{project}/hooks"

// hasProps reports whether a media type's schema declares every named property.
func hasProps(mt *openapi3.MediaType, names ...string) bool {
	if mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
		return false
	}
	for _, n := range names {
		if mt.Schema.Value.Properties[n] == nil {
			return false
		}
	}
	return true
}

func isStringProp(ref *openapi3.SchemaRef) bool {
	return ref != nil && ref.Value != nil && (ref.Value.Type == nil || ref.Value.Type.Is("string"))
}
