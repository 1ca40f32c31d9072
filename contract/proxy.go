package contract

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/hookkit/hookkit/internal/adminguard"
	"github.com/hookkit/hookkit/openapi"
)

// ViolationsHeader marks a proxied response whose exchange broke the document; its value
// is the number of violations.
const ViolationsHeader = "X-Hookkit-Violations"

// AdminPath is where the proxy serves its journal of violations (GET) and clears it
// (DELETE). Requests under it are never forwarded.
const AdminPath = "/__admin/violations"

// ProxyOptions tune a [Proxy].
type ProxyOptions struct {
	// FailOnViolation answers 502 with the violation report (JSON) instead of a violating
	// answer, as Prism's --errors does. The request has still been forwarded.
	FailOnViolation bool
	// Logger receives one warning per violating exchange, redacted (discarded when nil).
	Logger *slog.Logger
	// JournalSize bounds the journal (1000 when 0).
	JournalSize int
	// BodyLimit is the most bytes of a body held for validation (DefaultBodyLimit when 0);
	// larger bodies stream through and are reported as not validated.
	BodyLimit int64
	// Transport is the transport to the upstream (when nil, http.DefaultTransport's settings
	// with a pool of idle connections sized for a proxy; see upstreamTransport).
	Transport http.RoundTripper
	// UpstreamTimeout bounds the wait for the upstream's answer (its status and headers;
	// a streamed body may take longer), so a hung upstream cannot hold the proxy's
	// connections forever. DefaultUpstreamTimeout when 0; it applies to the transport the
	// proxy builds, not to a Transport given here.
	UpstreamTimeout time.Duration
	// Addr is the address the proxy is bound to, and AdminToken the token its admin
	// endpoint needs ("" for none): the endpoint follows the mock admin API's rules
	// (SECURITY.md): loopback or bound-address Host only, no cross-origin use, DELETE with
	// a YAML or JSON Content-Type, and loopback clients only when bound to another address
	// without a token.
	Addr, AdminToken string
}

// maxLogField and maxLogViolations bound a violation's log line whatever the exchange
// holds (the mock's log lines have the same bound).
const (
	maxLogField      = 1 << 10
	maxLogViolations = 20
)

// DefaultUpstreamTimeout is the proxy's wait for an upstream answer (--upstream-timeout).
const DefaultUpstreamTimeout = 30 * time.Second

// Proxy is a reverse proxy that forwards traffic to an upstream unchanged and validates
// every exchange with the validating [Transport]: violations are logged, journaled and
// marked on the response with ViolationsHeader.
type Proxy struct {
	rp      *httputil.ReverseProxy
	journal *Journal
	opts    ProxyOptions
	guard   *adminguard.Guard
}

// NewProxy returns a proxy to upstream (scheme, host and an optional base path).
func NewProxy(doc *openapi.Document, upstream *url.URL, opts ProxyOptions) *Proxy {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	p := &Proxy{journal: NewJournal(opts.JournalSize), opts: opts, guard: adminguard.New(adminguard.Options{
		Addr: opts.Addr, Token: opts.AdminToken, Methods: "DELETE, GET, HEAD", TokenSetting: "--admin-token-env",
	})}
	p.journal.SetMaxBytes(DefaultJournalBytes)
	if opts.Transport == nil {
		t := upstreamTransport()
		t.ResponseHeaderTimeout = opts.UpstreamTimeout
		if t.ResponseHeaderTimeout <= 0 {
			t.ResponseHeaderTimeout = DefaultUpstreamTimeout
		}
		opts.Transport = t
	}
	tr := NewTransport(doc, opts.Transport, TransportOptions{BodyLimit: opts.BodyLimit, BasePath: upstream.Path, Journal: p.journal})
	p.rp = &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			// SetURL also sets the Host header to the upstream's, which virtual hosts need.
			pr.SetURL(upstream)
			pr.SetXForwarded()
		},
		Transport: tr,
		// FlushInterval 0: answers with a known length are written in one go, while
		// streaming answers (unknown length, event streams) are still flushed as they come.
		BufferPool:     newBufferPool(),
		ModifyResponse: p.modify,
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			p.opts.Logger.Warn("upstream unreachable", "method", r.Method, "path", openapi.Clip(r.URL.Path, maxLogField), "error", openapi.Clip(err.Error(), maxLogField))
			writeJSON(w, http.StatusBadGateway, map[string]string{"error": "upstream unreachable", "detail": err.Error()})
		},
	}
	return p
}

// LoopbackOnly reports whether the proxy's admin endpoint answers loopback clients only
// (bound to a non-loopback address without an admin token), for the banner's warning.
func (p *Proxy) LoopbackOnly() bool { return p.guard.LoopbackOnly() }

// Journal returns the proxy's journal of violating exchanges.
func (p *Proxy) Journal() *Journal { return p.journal }

func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == AdminPath {
		p.guard.Serve(w, r, p.opts.Logger, p.admin)
		return
	}
	// Only reported exchanges are marked and logged: the slot does not ask for the others,
	// so compliant traffic is never rendered.
	ctx, _ := withSlot(r.Context(), false)
	p.rp.ServeHTTP(w, r.WithContext(ctx))
}

// modify marks, logs and, with FailOnViolation, replaces a violating answer.
func (p *Proxy) modify(resp *http.Response) error {
	s, _ := resp.Request.Context().Value(slotKey{}).(*slot)
	if s == nil {
		return nil
	}
	ex := s.get()
	if ex == nil {
		return nil
	}
	if ex.Unknown != "" {
		p.opts.Logger.Info("request unknown to the document", "method", ex.Request.Method, "url", openapi.Clip(ex.Request.URL, maxLogField), "reason", openapi.Clip(ex.Unknown, maxLogField))
		return nil
	}
	vs := ex.Violations()
	if len(vs) == 0 {
		return nil
	}
	attrs := []any{"operation", ex.Operation, "method", ex.Request.Method, "url", openapi.Clip(ex.Request.URL, maxLogField), "status", resp.StatusCode, "violations", len(vs)}
	for i, v := range vs {
		if i == maxLogViolations {
			attrs = append(attrs, "violations.more", len(vs)-i)
			break
		}
		attrs = append(attrs, fmt.Sprintf("violation.%d", i+1), openapi.Clip(v.String(), maxLogField))
	}
	p.opts.Logger.Warn("contract violation", attrs...)
	if !p.opts.FailOnViolation {
		resp.Header.Set(ViolationsHeader, strconv.Itoa(len(vs)))
		return nil
	}
	resp.Body.Close()
	body, err := json.MarshalIndent(map[string]any{
		"error":      "the exchange breaks the OpenAPI document",
		"operation":  ex.Operation,
		"status":     resp.StatusCode,
		"violations": vs,
		"exchange":   ex,
	}, "", "  ")
	if err != nil {
		return err
	}
	resp.StatusCode, resp.Status = http.StatusBadGateway, "502 Bad Gateway"
	resp.Header = http.Header{"Content-Type": {"application/json"}, ViolationsHeader: {strconv.Itoa(len(vs))}}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
	return nil
}

func (p *Proxy) admin(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		entries, dropped := p.journal.Entries()
		if entries == nil {
			entries = []*Exchange{}
		}
		writeJSON(w, http.StatusOK, map[string]any{"violations": entries, "dropped": dropped})
	case http.MethodDelete:
		p.journal.Reset()
		w.WriteHeader(http.StatusNoContent)
	default:
		w.Header().Set("Allow", "GET, HEAD, DELETE")
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "method not allowed"})
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, _ := json.MarshalIndent(v, "", "  ")
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n'))
}

// upstreamTransport is http.DefaultTransport with room for as many idle connections to the
// upstream as a busy proxy has clients. The default keeps two per host: with more
// concurrent clients the proxy would dial, and leave in TIME_WAIT, a new upstream
// connection for nearly every request (measured: 4,000 instead of 30,000 requests/s with
// 64 clients on loopback).
func upstreamTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 1024
	t.MaxIdleConnsPerHost = 1024
	return t
}

// bufferPool reuses the proxy's copy buffers: ReverseProxy otherwise allocates 32 KiB for
// every answer it copies, the largest allocation of a proxied request.
type bufferPool struct{ p sync.Pool }

func newBufferPool() *bufferPool {
	return &bufferPool{p: sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}}
}

func (b *bufferPool) Get() []byte  { return *b.p.Get().(*[]byte) }
func (b *bufferPool) Put(x []byte) { b.p.Put(&x) }
