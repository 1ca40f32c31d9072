// Package mocktest starts hookkit's mock server on loopback for a Go test, the way
// net/http/httptest starts a handler, so a team tests its client against the document
// instead of hand-written stubs:
//
//	func TestCreateHook(t *testing.T) {
//		m := mocktest.Start(t) // the embedded hook API
//		client, _ := generated.NewClientWithResponses(m.URL)
//		...
//		if got := m.Server.Journal().Len(); got != 1 { ... }
//	}
//
// The server is closed by t.Cleanup.
package mocktest

import (
	"net/http/httptest"
	"testing"

	"github.com/hookkit/hookkit/mockserver"
	"github.com/hookkit/hookkit/mockserver/config"
	"github.com/hookkit/hookkit/mockserver/hookapi"
	"github.com/hookkit/hookkit/openapi"
)

// Mock is a running mock.
type Mock struct {
	// URL is the base URL, e.g. http://127.0.0.1:34567.
	URL string
	// Server is the mock itself: its journal, Reload and Reset.
	Server *mockserver.Server
	// HookAPI is the hook API's profile the mock was given (its stored hooks and webhook
	// deliveries); nil when Options.Profiles named others only.
	HookAPI *hookapi.Profile
	// HTTP is the underlying test server.
	HTTP *httptest.Server
}

// Option changes what Start serves.
type Option func(*settings)

type settings struct {
	doc  *openapi.Document
	opts mockserver.Options
}

// WithDocument serves doc instead of the embedded hook API.
func WithDocument(doc *openapi.Document) Option { return func(s *settings) { s.doc = doc } }

// WithConfig uses cfg (rules, seed, hooks, CORS...) instead of the default config.
func WithConfig(cfg *config.Config) Option { return func(s *settings) { s.opts.Config = cfg } }

// WithOptions sets every server option at once (logger, body limit, config). Without
// Profiles, the mock gets the hook API's profile, as hookkit mock does.
func WithOptions(o mockserver.Options) Option {
	return func(s *settings) {
		cfg := s.opts.Config
		s.opts = o
		if o.Config == nil {
			s.opts.Config = cfg
		}
	}
}

// Start serves the mock on 127.0.0.1 on a free port until the test ends. A document or
// config the mock cannot serve fails the test at once.
func Start(t testing.TB, options ...Option) *Mock {
	t.Helper()
	var s settings
	for _, o := range options {
		o(&s)
	}
	if s.doc == nil {
		doc, err := openapi.Default()
		if err != nil {
			t.Fatalf("mocktest: load the embedded hook document: %v", err)
		}
		s.doc = doc
	}
	s.opts = HookAPIOptions(s.opts)
	var hooks *hookapi.Profile
	for _, p := range s.opts.Profiles {
		if hp, ok := p.(*hookapi.Profile); ok {
			hooks = hp
		}
	}
	srv, err := mockserver.New(s.doc, s.opts)
	if err != nil {
		t.Fatalf("mocktest: %v", err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() {
		ts.Close()
		_ = srv.Close() // webhook deliveries, the state store's connections (Redis)
	})
	return &Mock{URL: ts.URL, Server: srv, HookAPI: hooks, HTTP: ts}
}

// HookAPIOptions returns opts with the hook API's profile (package hookapi) when they give
// no profile, as Start and hookkit mock serve: for a test that builds its own
// mockserver.Server, since the generic mock knows no profile and the embedded document
// names that one.
func HookAPIOptions(opts mockserver.Options) mockserver.Options {
	if len(opts.Profiles) == 0 {
		opts.Profiles = []mockserver.Profile{hookapi.New(hookapi.ProfileOptions{})}
	}
	return opts
}
