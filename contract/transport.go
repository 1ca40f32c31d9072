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
			maxTime: opts.MaxResponseTime, secrets: openapi.Secrets{}.With(opts.Secrets...), verdicts: &responseMemo{}},
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
	// The validator reads req (never its body: o.reqBody holds it) and leaves it unchanged.
	o := observed{req: req, reqComplete: true}
	out := req
	if req.Body != nil && req.Body != http.NoBody {
		held, rest, complete, err := hold(req.Body, req.ContentLength, t.limit)
		if err != nil {
			req.Body.Close()
			return nil, err
		}
		o.reqBody, o.reqComplete = held, complete
		// RoundTrip must not change req, and only the body differs: a shallow copy
		// (as Request.WithContext makes) is enough, no deep Clone.
		out = new(http.Request)
		*out = *req
		out.Body = rest
	}
	start := time.Now()
	resp, err := t.base.RoundTrip(out)
	if err != nil {
		o.err = err
		o.duration = time.Since(start)
		t.judge(ctx, &o)
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
		held, rest, complete, err := hold(resp.Body, resp.ContentLength, t.limit)
		if err != nil {
			resp.Body.Close()
			o.err = err
			o.answered = false
			o.duration = time.Since(start)
			t.judge(ctx, &o)
			return nil, err
		}
		o.respBody, o.respComplete = held, complete
		resp.Body = rest
	}
	o.duration = time.Since(start)
	t.judge(ctx, &o)
	return resp, nil
}

// judge assesses the exchange and hands it to whoever wants it: the slot of the request's
// context, the journal (violating exchanges) and OnExchange. The redacted Exchange is
// rendered only when one of them takes it, so a compliant exchange that nobody asked
// to see costs the validation alone.
func (t *Transport) judge(ctx context.Context, o *observed) {
	a := t.v.assess(ctx, o)
	s, _ := ctx.Value(slotKey{}).(*slot)
	if !a.reported() && t.opts.OnExchange == nil && (s == nil || !s.every) {
		return
	}
	// Rendered now, not when read: the caller (ReverseProxy) edits the answer's header
	// after RoundTrip returns.
	ex := t.v.render(o, &a)
	if s != nil {
		s.set(ex)
	}
	if t.opts.Journal != nil && a.violations() > 0 {
		t.opts.Journal.Add(ex)
	}
	if t.opts.OnExchange != nil {
		t.opts.OnExchange(ex)
	}
}

// hold reads up to limit bytes of body, whose length is size when known (-1 otherwise).
// complete says the body ended within the limit. rest yields the whole body again (held
// bytes, then the unread remainder) and closes the original.
func hold(body io.ReadCloser, size, limit int64) (held []byte, rest io.ReadCloser, complete bool, err error) {
	held, err = readUpTo(body, size, limit+1)
	if err != nil {
		return nil, nil, false, err
	}
	if int64(len(held)) <= limit {
		body.Close()
		// A NopCloser over a bytes.Reader, which net/http knows as an in-memory body: it
		// writes a request's header and body in one go instead of flushing the header first.
		return held, io.NopCloser(bytes.NewReader(held)), true, nil
	}
	return held[:limit], &rejoined{Reader: io.MultiReader(bytes.NewReader(held), body), c: body}, false, nil
}

// readUpTo reads r until EOF or max bytes. With the length known (size >= 0) it reads into
// one buffer of the right size, which io.ReadAll would grow several times.
func readUpTo(r io.Reader, size, max int64) ([]byte, error) {
	n := int64(512)
	if size >= 0 && size < max {
		n = size + 1 // room to see EOF without growing
	}
	buf := make([]byte, 0, n)
	for int64(len(buf)) < max {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		room := buf[len(buf):cap(buf)]
		if left := max - int64(len(buf)); int64(len(room)) > left {
			room = room[:left]
		}
		m, err := r.Read(room)
		buf = buf[:len(buf)+m]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
	return buf, nil
}

type rejoined struct {
	io.Reader
	c io.Closer
}

func (r *rejoined) Close() error { return r.c.Close() }
