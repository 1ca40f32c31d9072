package mockserver

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/hookkit/hookkit/mockserver/config"
	statestore "github.com/hookkit/hookkit/mockserver/state"
	"github.com/hookkit/hookkit/openapi"
	"github.com/hookkit/hookkit/openapi/resource"
)

// Profile is an API's conventions beyond what its document declares, which the generic
// mock calls at a few fixed seams. The generic mock knows no profile's conventions; a
// profile is given to the mock in [Options.Profiles] and is on for a document when the
// config says `profile: NAME` or the document `x-hookkit-profile: NAME`.
//
// A Profile value belongs to one Server: it may keep what outlives reloads (stored
// resources, deliveries), and the Server calls its lifecycle methods. The hook
// API (package mockserver/hookapi) is the one profile today: the embedded document
// declares it, and hookkit mock and mocktest pass it.
//
// The seams, in the order the mock calls them:
//
//   - at load (New, Reload, PUT /__admin/config), for every operation: ErrorShape on its
//     declared error schema (ErrorVariants then proves each body the profile may fill
//     validates), Typed; then Load, once, when the profile is on; after a load took
//     effect, Configure on every profile given, on or not;
//   - per request, when on: SetErrorFields for
//     an invalid request whose error body has the profile's shape, NotFoundBody for the
//     router's 404 and 405, Loaded.ServeTyped for a valid request of a typed operation
//     that no rule or Prefer header answered;
//   - on the admin API, behind its one guard: AdminRoutes, whether on or not; Health
//     and ConfigView add the profile's fields to GET /__admin/health and /__admin/config;
//   - Reset on POST /__admin/reset and Server.Reset, Close on Server.Close.
type Profile interface {
	// Name is the profile's name in config and document.
	Name() string
	// ErrorShape reports whether a declared error schema is the profile's error body; only
	// such bodies get SetErrorFields, others are filled by the generic mock.
	ErrorShape(schema *openapi3.Schema) bool
	// SetErrorFields sets, in body (a copy of one synthesized from the declared schema),
	// the fields answering problems (at least one); msg is problems.Error(), which the
	// caller has at hand. It writes into the caller's map: this runs for every invalid
	// request.
	SetErrorFields(body map[string]any, problems openapi.Problems, msg string)
	// ErrorVariants returns every field set SetErrorFields may produce (with a sample
	// message), so the mock can prove at load that each validates.
	ErrorVariants() []map[string]any
	// NotFoundBody is the body of the router's 404 and 405 answers (which no operation
	// declares) for a document whose errors have the profile's shape.
	NotFoundBody(problems openapi.Problems) (contentType string, body []byte)
	// Typed reports whether the profile's typed handler serves op.
	Typed(op *openapi.Operation) bool

	// Load prepares the profile's part of one load of document and config that turns it
	// on. It must not change what the running mock serves: the load may still fail, and
	// the state it belongs to takes effect only after. An error refuses the load.
	Load(l ProfileLoad) (Loaded, error)
	// Configure applies a config that took effect (New, Reload) to what outlives reloads
	// (bounds of stored resources, delivery settings), whether the profile is on or not.
	Configure(cfg *config.Config)
	// AdminRoutes are the profile's endpoints under /__admin/, served behind the admin
	// guard like every admin endpoint, whether the profile is on or not (what it keeps
	// outlives reloads). Called once, by New.
	AdminRoutes() []AdminRoute
	// Health returns fields the profile adds to GET /__admin/health.
	Health() map[string]any
	// ConfigView returns the sections the profile adds to GET /__admin/config for the
	// config in effect (the hook API's hooks section), whether on or not, since Configure
	// applies that config to it either way. It must show no secret; a section the generic
	// view already has is not replaced.
	ConfigView(cfg *config.Config) map[string]any
	// Reset forgets what the profile keeps (POST /__admin/reset, Server.Reset).
	Reset(ctx context.Context) error
	// Close stops the profile's background work (Server.Close).
	Close() error
}

// ProfileLoad is what a profile may use of one load: the document and config, and the
// stateful mock's store when state is on.
type ProfileLoad struct {
	Doc    *openapi.Document
	Config *config.Config
	// State is the stateful mock, nil when state is off.
	State *ProfileState
}

// ProfileState is the stateful mock as a profile sees it: the store every replica may
// share and the document's resource model, so a typed handler keeps what it creates
// where the stateful mock keeps the collection's resources.
type ProfileState struct {
	Store statestore.Store
	// Desc names the store ("memory", "redis 127.0.0.1:6379/0"), for admin answers.
	Desc  string
	Model *resource.Model
}

// Loaded is a profile's part of one load, used by every request of that load.
type Loaded interface {
	// ServeTyped answers a valid request of an operation Typed accepted; body is its
	// body, already read and validated. It returns the journal source of the answer and
	// whether the body is known to hold no secret (the journal then skips redacting it).
	ServeTyped(w http.ResponseWriter, r *http.Request, m *openapi.Match, body []byte) (source string, safe bool)
}

// AdminRoute is an endpoint a profile adds to the admin API.
type AdminRoute struct {
	// Method is the HTTP method.
	Method string
	// Path follows /__admin/, without a trailing slash; a segment "{name}" matches any
	// one non-empty segment, which Serve reads with r.PathValue(name).
	Path string
	// Serve answers; loaded is the profile's part of the load in effect, nil when the
	// document being served does not turn the profile on.
	Serve func(w http.ResponseWriter, r *http.Request, loaded Loaded)
}

// match reports whether path (after /__admin/, trailing slash trimmed) matches the
// route's, setting its "{name}" values on r.
func (a *AdminRoute) match(r *http.Request, path string) bool {
	if r.Method != a.Method {
		return false
	}
	want, got := strings.Split(a.Path, "/"), strings.Split(path, "/")
	if len(want) != len(got) {
		return false
	}
	var vals []string
	for i, seg := range want {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			if got[i] == "" {
				return false
			}
			vals = append(vals, seg[1:len(seg)-1], got[i])
			continue
		}
		if seg != got[i] {
			return false
		}
	}
	for i := 0; i < len(vals); i += 2 {
		r.SetPathValue(vals[i], vals[i+1])
	}
	return true
}

// ProfileExtension is the document extension naming a profile.
const ProfileExtension = "x-hookkit-profile"

// profileFor returns the profile the config (first) or the document names among the
// given ones, nil for none. An unknown name is an error naming where it was given.
func (s *Server) profileFor(doc *openapi.Document, cfg *config.Config) (Profile, error) {
	name, where := cfg.Profile, "config "+cfg.File+": profile"
	if cfg.File == "" {
		where = "config: profile"
	}
	if name == "" {
		v, ok := doc.T.Extensions[ProfileExtension]
		if !ok {
			return nil, nil
		}
		str, isString := v.(string)
		if !isString {
			return nil, fmt.Errorf("%s: %s must be a string (known profiles: %s)", doc.Source, ProfileExtension, s.knownProfiles())
		}
		name, where = str, doc.Source+": "+ProfileExtension
	}
	for _, p := range s.profiles {
		if p.Name() == name {
			return p, nil
		}
	}
	return nil, fmt.Errorf("%s: unknown profile %q (known profiles: %s)", where, name, s.knownProfiles())
}

func (s *Server) knownProfiles() string {
	if len(s.profiles) == 0 {
		return "none; a program serving with mockserver passes them in Options.Profiles"
	}
	names := make([]string, 0, len(s.profiles))
	for _, p := range s.profiles {
		names = append(names, p.Name())
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}
