package mockserver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hookkit/hookkit/aksk"
	"github.com/hookkit/hookkit/internal/adminguard"
	"github.com/hookkit/hookkit/mockserver/config"
	"github.com/hookkit/hookkit/mockserver/journal"
	statestore "github.com/hookkit/hookkit/mockserver/state"
	"github.com/hookkit/hookkit/openapi"
	"github.com/hookkit/hookkit/openapi/resource"
)

// DefaultMaxBodyBytes is the default limit of a request body: far above any real hook
// request, far below what could exhaust memory.
const DefaultMaxBodyBytes = 1 << 20

// Options configure a Server. The zero value serves with the default config, no logs and a
// 1 MiB body limit.
type Options struct {
	// Config holds the rules and settings; nil means config.Default().
	Config *config.Config
	// Logger receives one line per request (and reload messages); nil discards them.
	Logger *slog.Logger
	// MaxBodyBytes limits request bodies; larger ones get a body-too-large client error.
	// 0 means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// Clock is the time AK/SK signature dates are judged against; nil means time.Now.
	Clock func() time.Time
	// Profiles are the API profiles a document or config may turn on by name (see
	// [Profile]); each value belongs to this Server alone. hookkit mock passes the hook
	// API's (package hookapi), which the embedded document names.
	Profiles []Profile
	// Stateful turns the stateful mock on whatever the config says (hookkit mock
	// --stateful); config state.enabled turns it on too.
	Stateful bool
	// StateRedis keeps state in Redis at this URL (--state-redis), winning over config
	// state.redis. Store settings are read once, when the store opens.
	StateRedis string
	// Addr is the address the server is bound to (host:port). The admin API answers
	// requests whose Host names it (besides loopback names and admin.hosts), and answers
	// loopback clients only when it is not a loopback address and there is no admin token.
	// "" means a loopback address.
	Addr string
	// AdminToken protects every admin endpoint ("Authorization: Bearer <token>"); it wins
	// over the config's admin.tokenEnv. "" means none.
	AdminToken string
	// Strict refuses a document with a response the mock cannot build (an unsynthesizable
	// body or header, such as a schema over the synthesis budget) instead of serving it
	// with a warning, and plans every operation up front (hookkit mock --strict).
	Strict bool
}

// Server is the mock: an http.Handler that routes, validates and answers requests for one
// document and config. [Server.Reload] swaps both atomically.
type Server struct {
	state   atomic.Pointer[state]
	log     *slog.Logger
	logOn   bool
	maxBody int64
	addr    string
	token   string
	journal *journal.Journal
	// profiles are Options.Profiles; what they keep outlives reloads. adminRoutes are
	// their admin endpoints, by profile.
	profiles    []Profile
	adminRoutes [][]AdminRoute
	clock       func() time.Time
	// handler is the request stages (handle.go), composed once.
	handler http.Handler
	// reloadMu serialises reloads (and admin config replacement) so two of them cannot
	// interleave their build and swap.
	reloadMu sync.Mutex
	// store keeps the stateful mock's resources; it outlives reloads like the profiles and is
	// opened the first time a loaded config turns state on. storeDesc names it.
	store      statestore.Store
	storeDesc  string
	stateForce bool
	stateRedis string
	strict     bool
}

// New builds a mock for doc. Everything that can be worked out before the first request
// (bodies of examples, synthesized bodies, error plans, CORS answers) is, so an error in
// the document or config surfaces here rather than on a request.
func New(doc *openapi.Document, opts Options) (*Server, error) {
	if doc == nil {
		return nil, errors.New("mockserver: no document")
	}
	cfg := opts.Config
	if cfg == nil {
		cfg = config.Default()
	}
	s := &Server{
		log:      opts.Logger,
		maxBody:  opts.MaxBodyBytes,
		addr:     opts.Addr,
		token:    opts.AdminToken,
		profiles: opts.Profiles,
		clock:    opts.Clock,

		stateForce: opts.Stateful,
		stateRedis: opts.StateRedis,
		strict:     opts.Strict,
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler) // Enabled is false: no line is built to be thrown away
	}
	for _, p := range s.profiles {
		s.adminRoutes = append(s.adminRoutes, p.AdminRoutes())
	}
	s.handler = s.stages()
	s.logOn = s.log.Handler().Enabled(nil, slog.LevelInfo) //nolint:staticcheck // nil ctx is allowed by slog
	if s.maxBody <= 0 {
		s.maxBody = DefaultMaxBodyBytes
	}
	s.journal = journal.New(cfg.Journal.Size)
	st, err := s.buildState(doc, cfg)
	if err != nil {
		s.Close()
		return nil, err
	}
	cfg = st.cfg // resolved
	s.journal.SetMaxBytes(cfg.Journal.MaxBytes)
	if st.stateful != nil {
		if err := st.stateful.seed(context.Background(), cfg); err != nil {
			s.Close()
			return nil, err
		}
	}
	s.configureProfiles(cfg)
	s.state.Store(st)
	return s, nil
}

// configureProfiles applies a config that takes effect to what every profile keeps.
func (s *Server) configureProfiles(cfg *config.Config) {
	for _, p := range s.profiles {
		p.Configure(cfg)
	}
}

// Close closes the profiles (the hook API's stops its webhook deliveries and returns
// when every delivery goroutine has ended), then releases the state store's connections
// (Redis). The server must not serve after.
func (s *Server) Close() error {
	var errs []error
	for _, p := range s.profiles {
		errs = append(errs, p.Close())
	}
	if s.store != nil {
		errs = append(errs, s.store.Close())
	}
	return errors.Join(errs...)
}

// StateStore describes where the stateful mock keeps resources ("" when state is off).
func (s *Server) StateStore() string {
	if s.state.Load() == nil || s.state.Load().stateful == nil {
		return ""
	}
	return s.storeDesc
}

// Collections returns the resource collections the stateful mock serves (nil when state
// is off), for banners and tests.
func (s *Server) Collections() []*resource.Collection {
	st := s.state.Load()
	if st == nil || st.stateful == nil {
		return nil
	}
	return st.stateful.model.Collections
}

// Reload swaps in a new document and config. Requests already running finish with the
// state they started with; new ones see the new state. On error nothing changes. A nil doc
// or cfg keeps the current one.
func (s *Server) Reload(doc *openapi.Document, cfg *config.Config) error {
	s.reloadMu.Lock()
	defer s.reloadMu.Unlock()
	old := s.state.Load()
	if doc == nil {
		doc = old.doc
	}
	if cfg == nil {
		cfg = old.cfg
	}
	st, err := s.buildState(doc, cfg)
	if err != nil {
		return err
	}
	cfg = st.cfg // resolved
	if st.stateful != nil && old.stateful == nil {
		// State was just turned on by this reload: start from the seed.
		if err := st.stateful.seed(context.Background(), cfg); err != nil {
			return err
		}
	}
	s.journal.Resize(cfg.Journal.Size)
	s.journal.SetMaxBytes(cfg.Journal.MaxBytes)
	s.configureProfiles(cfg)
	s.state.Store(st)
	return nil
}

// Unsynthesizable is the warning kind of a response body or header the mock cannot
// synthesize (no value satisfies its schema): the body is sent empty, the header left out.
const Unsynthesizable openapi.WarningKind = "unsynthesizable"

// strictRefusal is the error of a strict mock that cannot build part of the document's
// answers: the first warning, and how many more there are.
func strictRefusal(warns []openapi.Warning) error {
	msg := warns[0].String()
	if len(warns) > 1 {
		msg += fmt.Sprintf(" and %d more warnings (strict mode refuses them all)", len(warns)-1)
	}
	return errors.New(msg)
}

// Warnings returns what the mock could not build from the document being served; the
// document's own load warnings are in Document().Warnings.
func (s *Server) Warnings() []openapi.Warning { return s.state.Load().warnings }

// Document returns the document being served.
func (s *Server) Document() *openapi.Document { return s.state.Load().doc }

// Config returns the config in effect.
func (s *Server) Config() *config.Config { return s.state.Load().cfg }

// Rules returns the compiled rules in effect, with their scenario counters.
func (s *Server) Rules() *config.RuleSet { return s.state.Load().rules }

// Journal returns the request journal.
func (s *Server) Journal() *journal.Journal { return s.journal }

// state is one immutable load of a document and config with everything derived from them.
type state struct {
	doc *openapi.Document
	cfg *config.Config
	// rules are cfg's rules compiled, with their scenario counters and random sources:
	// a reload compiles them anew, so scenarios start again.
	rules    *config.RuleSet
	redactor *openapi.Redactor
	redact   *redactor // redactor with cached verdicts, for the journal and logs
	plans    map[*openapi.Operation]*lazyPlan
	// profile is the document's API profile (profile.go), nil for none; loaded is its
	// part of this load.
	profile Profile
	loaded  Loaded
	// profileErrors is set when the document's errors have the profile's shape, so its
	// 404 and 405 answers use it too.
	profileErrors bool
	notFound      *errorPlan
	cors          *corsPolicy
	admin         bool
	guard         *adminguard.Guard
	journalOn     bool
	stateful      *stateful // the stateful mock; nil when state is off
	// auth verifies AK/SK signatures; nil when the document declares no SDK-HMAC-SHA256
	// security scheme.
	auth *akskAuth
	// warnings are the parts of the document the mock cannot answer as declared.
	warnings []openapi.Warning
	// dynamic numbers Prefer: dynamic=true answers, so each gets fresh data that a seed
	// still reproduces.
	dynamic atomic.Uint64
}

// eagerPlanLimit is the most operations a document may have to be planned when it is
// loaded; larger ones are planned lazily.
const eagerPlanLimit = 150

// lazyPlan builds an operation's plan once, on first use.
type lazyPlan struct {
	once  sync.Once
	build func() *opPlan
	p     *opPlan
}

func (lp *lazyPlan) get() *opPlan {
	lp.once.Do(func() { lp.p = lp.build() })
	return lp.p
}

func (s *Server) buildState(doc *openapi.Document, cfg *config.Config) (*state, error) {
	// The snapshot serves with the resolved config: defaults filled in, credentials and
	// the seed file read (an unset variable refuses the load, with file and line).
	cfg, err := config.Resolve(cfg)
	if err != nil {
		return nil, err
	}
	if err := cfg.CheckAgainst(doc); err != nil {
		return nil, err
	}
	rules, err := config.Compile(cfg)
	if err != nil {
		return nil, err
	}
	st := &state{
		doc:       doc,
		cfg:       cfg,
		rules:     rules,
		redactor:  doc.Redactor(),
		plans:     make(map[*openapi.Operation]*lazyPlan, len(doc.Operations)),
		cors:      newCORS(doc, cfg),
		admin:     cfg.AdminEnabled(),
		guard:     newAdminGuard(cfg, s.addr, s.token),
		journalOn: cfg.Journal.Size > 0,
	}
	st.redact = newRedactor(st.redactor, cfg.SecretValues())
	prof, err := s.profileFor(doc, cfg)
	if err != nil {
		return nil, err
	}
	st.profile = prof
	if declaresAKSK(doc) {
		st.auth = newAKSKAuth(cfg.Auth, s.clock)
	}
	// A large document is planned lazily, each operation on its first request, so it is
	// served in about the time it takes to parse; what cannot be built is then logged.
	// Strict mode plans every operation now, as it refuses what cannot be built.
	lazy := !s.strict && len(doc.Operations) > eagerPlanLimit
	var warnMu sync.Mutex
	for _, op := range doc.Operations {
		lp := &lazyPlan{}
		lp.build = func() *opPlan {
			p := buildPlan(doc, op, cfg.Seed, prof, st.redact.safe, func(err error) {
				w := openapi.Warning{Kind: Unsynthesizable, File: doc.Source, Message: err.Error()}
				if lazy {
					s.log.Warn("cannot build part of an answer", "warning", w.String())
					return
				}
				warnMu.Lock()
				st.warnings = append(st.warnings, w)
				warnMu.Unlock()
			})
			if st.typedOp(op) {
				p.typed = true
			}
			return p
		}
		if profileErrors(prof, op) {
			st.profileErrors = true
		}
		if !lazy {
			lp.get()
		}
		st.plans[op] = lp
	}
	if s.strict && len(st.warnings) > 0 {
		return nil, strictRefusal(st.warnings)
	}
	if s.stateForce || cfg.State.Enabled {
		if s.store == nil {
			store, desc, err := openStore(doc, cfg, s.stateRedis)
			if err != nil {
				return nil, err
			}
			s.store, s.storeDesc = store, desc
		}
		sf, err := buildStateful(doc, cfg, s.store, st.plans)
		if err != nil {
			return nil, err
		}
		st.stateful = sf
		st.warnings = append(st.warnings, sf.warnings...)
	}
	if prof != nil {
		l := ProfileLoad{Doc: doc, Config: cfg}
		if st.stateful != nil {
			l.State = &ProfileState{Store: s.store, Desc: s.storeDesc, Model: st.stateful.model}
		}
		if st.loaded, err = prof.Load(l); err != nil {
			return nil, err
		}
	}
	st.notFound = &errorPlan{style: styleProblem, status: http.StatusNotFound, mediaType: "application/problem+json", contentType: "application/problem+json"}
	if st.profileErrors {
		ct, _ := prof.NotFoundBody(openapi.Problems{{Kind: openapi.UnknownPath}})
		st.notFound = &errorPlan{style: styleProfile, profile: prof, status: http.StatusNotFound, mediaType: ct, contentType: ct}
	}
	return st, nil
}

// typedOp reports whether the profile's typed handler serves op.
func (st *state) typedOp(op *openapi.Operation) bool {
	return st.profile != nil && st.profile.Typed(op)
}

// declaresAKSK reports whether the document has an http security scheme named
// SDK-HMAC-SHA256, the AK/SK signing of Huawei Cloud's API Gateway.
func declaresAKSK(doc *openapi.Document) bool {
	if doc.T.Components == nil {
		return false
	}
	for _, ref := range doc.T.Components.SecuritySchemes {
		if ref != nil && ref.Value != nil && ref.Value.Type == "http" && strings.EqualFold(ref.Value.Scheme, aksk.Algorithm) {
			return true
		}
	}
	return false
}
