package mockserver

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"

	"github.com/hookkit/hookkit/generated"
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
}

// Server is the mock: an http.Handler that routes, validates and answers requests for one
// document and config. [Server.Reload] swaps both atomically.
type Server struct {
	state   atomic.Pointer[state]
	log     *slog.Logger
	logOn   bool
	maxBody int64
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
		hooks:   newHookStore(),
	}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s.logOn = s.log.Handler().Enabled(nil, slog.LevelInfo) //nolint:staticcheck // nil ctx is allowed by slog
	if s.maxBody <= 0 {
		s.maxBody = DefaultMaxBodyBytes
	}
	s.journal = journal.New(cfg.Journal.Size)
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
	s.state.Store(st)
	return nil
}

// Unsynthesizable is the warning kind of a response body or header the mock cannot
// synthesize (no value satisfies its schema): the body is sent empty, the header left out.
const Unsynthesizable openapi.WarningKind = "unsynthesizable"

// Warnings returns what the mock could not build from the document being served; the
// document's own load warnings are in Document().Warnings.
func (s *Server) Warnings() []openapi.Warning { return s.state.Load().warnings }

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
	plans    map[*openapi.Operation]*lazyPlan
	// serviceStage is set when the document's errors use the ServiceStage format, so its
	// 404 and 405 answers use it too.
	serviceStage bool
	notFound     *errorPlan
	cors         *corsPolicy
	admin        bool
	journalOn    bool
	typed        generated.ServerInterface // the generated strict hook server, nil when the document has no hook operation
	typedSafe    bool                      // the typed handler's answers hold no secret (id, type, callback_url)
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
	if err := cfg.CheckAgainst(doc); err != nil {
		return nil, err
	}
	st := &state{
		doc:       doc,
		cfg:       cfg,
		redactor:  doc.Redactor(),
		plans:     make(map[*openapi.Operation]*lazyPlan, len(doc.Operations)),
		cors:      newCORS(doc, cfg),
		admin:     cfg.AdminEnabled(),
		journalOn: cfg.Journal.Size > 0,
	}
	st.redact = newRedactor(st.redactor)
	// A large document is planned lazily, each operation on its first request, so it is
	// served in about the time it takes to parse; what cannot be built is then logged.
	lazy := len(doc.Operations) > eagerPlanLimit
	var warnMu sync.Mutex
	for _, op := range doc.Operations {
		lp := &lazyPlan{}
		lp.build = func() *opPlan {
			p := buildPlan(doc, op, cfg.Seed, st.redact.safe, func(err error) {
				w := openapi.Warning{Kind: Unsynthesizable, File: doc.Source, Message: err.Error()}
				if lazy {
					s.log.Warn("cannot build part of an answer", "warning", w.String())
					return
				}
				warnMu.Lock()
				st.warnings = append(st.warnings, w)
				warnMu.Unlock()
			})
			if isHookShape(op) {
				p.typed = true
			}
			return p
		}
		if isHookShape(op) {
			st.typedSafe = !st.redact.secretField("id") && !st.redact.secretField("type") && !st.redact.secretField("callback_url")
			st.typed = typedHook(&hookHandler{store: s.hooks, cfg: cfg, onDuplicate: cfg.Hooks.OnDuplicate, hideRepoAuth: st.redact.secretHeader("X-Repo-Auth")})
		}
		if serviceStageErrors(op) {
			st.serviceStage = true
		}
		if !lazy {
			lp.get()
		}
		st.plans[op] = lp
	}
	st.notFound = &errorPlan{style: styleProblem, status: http.StatusNotFound, mediaType: "application/problem+json", contentType: "application/problem+json"}
	if st.serviceStage {
		st.notFound = &errorPlan{style: styleServiceStage, status: http.StatusNotFound, mediaType: "application/json", contentType: "application/json", template: map[string]any{}}
	}
	return st, nil
}
