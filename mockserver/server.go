package mockserver

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"

	"github.com/hookkit/hookkit/generated"
	"github.com/hookkit/hookkit/internal/adminguard"
	"github.com/hookkit/hookkit/mockserver/config"
	"github.com/hookkit/hookkit/mockserver/journal"
	"github.com/hookkit/hookkit/openapi"
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
	// Addr is the address the server is bound to (host:port). The admin API answers
	// requests whose Host names it (besides loopback names and admin.hosts), and answers
	// loopback clients only when it is not a loopback address and there is no admin token.
	// "" means a loopback address.
	Addr string
	// AdminToken protects every admin endpoint ("Authorization: Bearer <token>"); it wins
	// over the config's admin.tokenEnv. "" means none.
	AdminToken string
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
	hooks   *hookStore
	// reloadMu serialises reloads (and admin config replacement) so two of them cannot
	// interleave their build and swap.
	reloadMu sync.Mutex
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
		log:     opts.Logger,
		maxBody: opts.MaxBodyBytes,
		addr:    opts.Addr,
		token:   opts.AdminToken,
		hooks:   newHookStore(cfg.Hooks.MaxStored, cfg.Hooks.MaxBytes),
	}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s.logOn = s.log.Handler().Enabled(nil, slog.LevelInfo) //nolint:staticcheck // nil ctx is allowed by slog
	if s.maxBody <= 0 {
		s.maxBody = DefaultMaxBodyBytes
	}
	s.journal = journal.New(cfg.Journal.Size)
	s.journal.SetMaxBytes(cfg.Journal.MaxBytes)
	st, err := s.buildState(doc, cfg)
	if err != nil {
		return nil, err
	}
	s.state.Store(st)
	return s, nil
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
	s.journal.Resize(cfg.Journal.Size)
	s.journal.SetMaxBytes(cfg.Journal.MaxBytes)
	s.hooks.setLimits(cfg.Hooks.MaxStored, cfg.Hooks.MaxBytes)
	s.state.Store(st)
	return nil
}

// Document returns the document being served.
func (s *Server) Document() *openapi.Document { return s.state.Load().doc }

// Config returns the config in effect.
func (s *Server) Config() *config.Config { return s.state.Load().cfg }

// Hooks returns the hooks the typed hook handler created, oldest first.
func (s *Server) Hooks() []StoredHook { return s.hooks.list() }

// Journal returns the request journal.
func (s *Server) Journal() *journal.Journal { return s.journal }

// state is one immutable load of a document and config with everything derived from them.
type state struct {
	doc      *openapi.Document
	cfg      *config.Config
	redactor *openapi.Redactor
	redact   *redactor // redactor with cached verdicts, for the journal and logs
	plans    map[*openapi.Operation]*opPlan
	// serviceStage is set when the document's errors use the ServiceStage format, so its
	// 404 and 405 answers use it too.
	serviceStage bool
	notFound     *errorPlan
	cors         *corsPolicy
	admin        bool
	guard        *adminguard.Guard
	journalOn    bool
	typed        generated.ServerInterface // the generated strict hook server, nil when the document has no hook operation
	typedSafe    bool                      // the typed handler's answers hold no secret (id, type, callback_url)
	// dynamic numbers Prefer: dynamic=true answers, so each gets fresh data that a seed
	// still reproduces.
	dynamic atomic.Uint64
}

func (s *Server) buildState(doc *openapi.Document, cfg *config.Config) (*state, error) {
	if err := cfg.CheckAgainst(doc); err != nil {
		return nil, err
	}
	st := &state{
		doc:       doc,
		cfg:       cfg,
		redactor:  doc.Redactor(),
		plans:     make(map[*openapi.Operation]*opPlan, len(doc.Operations)),
		cors:      newCORS(doc, cfg),
		admin:     cfg.AdminEnabled(),
		guard:     newAdminGuard(cfg, s.addr, s.token),
		journalOn: cfg.Journal.Size > 0,
	}
	st.redact = newRedactor(st.redactor)
	for _, op := range doc.Operations {
		p, err := buildPlan(doc, op, cfg.Seed, st.redact.safe)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", doc.Source, err)
		}
		if p.errors.style == styleServiceStage {
			st.serviceStage = true
		}
		if isHookShape(op) {
			p.typed = true
			st.typedSafe = !st.redact.secretField("id") && !st.redact.secretField("type") && !st.redact.secretField("callback_url")
			st.typed = typedHook(&hookHandler{store: s.hooks, cfg: cfg, onDuplicate: cfg.Hooks.OnDuplicate, hideRepoAuth: st.redact.secretHeader("X-Repo-Auth")})
		}
		st.plans[op] = p
	}
	st.notFound = &errorPlan{style: styleProblem, status: http.StatusNotFound, mediaType: "application/problem+json", contentType: "application/problem+json"}
	if st.serviceStage {
		st.notFound = &errorPlan{style: styleServiceStage, status: http.StatusNotFound, mediaType: "application/json", contentType: "application/json", template: map[string]any{}}
	}
	return st, nil
}
