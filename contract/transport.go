package contract

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"time"

	"github.com/hookkit/hookkit/openapi"
)

// DefaultBodyLimit is how much of a body the transport holds to validate it. Larger bodies
// still pass through whole; they are reported as not validated.
const DefaultBodyLimit = 1 << 20

// TransportOptions tune a [Transport]. The zero value is usable.
type TransportOptions struct {
	// BodyLimit is the most bytes of a request or response body held for validation
	// (DefaultBodyLimit when 0). Beyond it the body streams through unvalidated.
	BodyLimit int64
	// BasePath is a path prefix of the target (the path of the base URL) stripped before
	// routing, e.g. "/api" when the API is served under https://host/api.
	BasePath string
	// MaxResponseTime, when positive, makes slower answers fail the response-time check.
	MaxResponseTime time.Duration
	// Secrets are values (such as the token) scrubbed from everything recorded, on top of
	// what the document's redactor hides.
	Secrets []string
	// OnExchange, when set, is called with every exchange once its answer is validated,
	// before RoundTrip returns. It may be called concurrently.
	OnExchange func(*Exchange)
	// Journal, when set, receives every exchange with a violation.
	Journal *Journal
}

// Transport is an http.RoundTripper that validates every request it sends and every
// answer it receives against the document. Wrap it around any http.Client to turn a
// program's own traffic into contract checks:
//
//	t := contract.NewTransport(doc, nil, contract.TransportOptions{Journal: contract.NewJournal(0)})
//	client := &http.Client{Transport: t}
//
// It never changes what it forwards, and never consumes a body for its caller: it holds at
// most BodyLimit bytes of each body and hands back a reader that yields the whole body.
type Transport struct {
	base  http.RoundTripper
	v     *validator
	limit int64
	opts  TransportOptions
}

// NewTransport returns a validating transport sending through base
// (http.DefaultTransport when nil).
func NewTransport(doc *openapi.Document, base http.RoundTripper, opts TransportOptions) *Transport {
	if base == nil {
		base = http.DefaultTransport
	}
	if opts.BodyLimit <= 0 {
		opts.BodyLimit = DefaultBodyLimit
	}
	return &Transport{
		base:  base,
		limit: opts.BodyLimit,
		opts:  opts,
		v: &validator{doc: doc, redactor: doc.Redactor(), basePath: trimSlash(opts.BasePath),
			maxTime: opts.MaxResponseTime, secrets: opts.Secrets},
	}
}

func trimSlash(p string) string {
	for len(p) > 0 && p[len(p)-1] == '/' {
		p = p[:len(p)-1]
	}
	return p
}

// RoundTrip sends req through the base transport and validates both directions. A
// transport error is returned unchanged (and recorded as an exchange without answer).
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	o := observed{req: req, reqComplete: true}
	out := req
	if req.Body != nil && req.Body != http.NoBody {
		held, rest, complete, err := hold(req.Body, t.limit)
		if err != nil {
			req.Body.Close()
			return nil, err
		}
		o.reqBody, o.reqComplete = held, complete
		out = req.Clone(ctx)
		out.Body = rest
		// The validator reads its own copy of the held bytes.
		o.req = req.Clone(ctx)
		o.req.Body = io.NopCloser(bytes.NewReader(held))
	}
	start := time.Now()
	resp, err := t.base.RoundTrip(out)
	if err != nil {
		o.err = err
		o.duration = time.Since(start)
		t.record(ctx, t.v.judge(ctx, o))
		return nil, err
	}
	o.answered, o.status, o.header = true, resp.StatusCode, resp.Header
	o.contentEncodings = resp.Header.Get("Content-Encoding")
	switch {
	case resp.Body == nil || resp.Body == http.NoBody:
		o.respComplete = true
	case resp.ContentLength > t.limit:
		// Known to be too large: do not even start holding it.
	default:
		held, rest, complete, err := hold(resp.Body, t.limit)
		if err != nil {
			resp.Body.Close()
			o.err = err
			o.answered = false
			o.duration = time.Since(start)
			t.record(ctx, t.v.judge(ctx, o))
			return nil, err
		}
		o.respBody, o.respComplete = held, complete
		resp.Body = rest
	}
	o.duration = time.Since(start)
	t.record(ctx, t.v.judge(ctx, o))
	return resp, nil
}

func (t *Transport) record(ctx context.Context, ex *Exchange) {
	if s, ok := ctx.Value(slotKey{}).(*slot); ok {
		s.set(ex)
	}
	if t.opts.Journal != nil && len(ex.Violations()) > 0 {
		t.opts.Journal.Add(ex)
	}
	if t.opts.OnExchange != nil {
		t.opts.OnExchange(ex)
	}
}

// hold reads up to limit bytes of body. complete says the body ended within the limit.
// rest yields the whole body again (held bytes, then the unread remainder) and closes the
// original.
func hold(body io.ReadCloser, limit int64) (held []byte, rest io.ReadCloser, complete bool, err error) {
	held, err = io.ReadAll(io.LimitReader(body, limit+1))
	if err != nil {
		return nil, nil, false, err
	}
	if int64(len(held)) <= limit {
		body.Close()
		return held, io.NopCloser(bytes.NewReader(held)), true, nil
	}
	return held[:limit], &rejoined{Reader: io.MultiReader(bytes.NewReader(held), body), c: body}, false, nil
}

type rejoined struct {
	io.Reader
	c io.Closer
}

func (r *rejoined) Close() error { return r.c.Close() }
