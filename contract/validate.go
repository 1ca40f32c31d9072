package contract

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/hookkit/hookkit/openapi"
)

// validator applies the document's rules to one exchange. The transport, the checker and
// HAR mode share it, so a live answer, a proxied one and a recorded one are judged alike.
type validator struct {
	doc      *openapi.Document
	redactor *openapi.Redactor
	basePath string
	maxTime  time.Duration
	secrets  openapi.Secrets
	verdicts *responseMemo // shared by the copies withRequestSecrets makes
}

// observed is one exchange before judgement; bodies are nil when they were too large to
// hold (then *Complete is false).
type observed struct {
	req              *http.Request
	reqBody          []byte
	reqComplete      bool
	status           int
	header           http.Header
	respBody         []byte
	respComplete     bool
	duration         time.Duration
	err              error
	answered         bool
	contentEncodings string
}

// assessment is what judging found in one exchange: where it routed and every problem,
// raw. Nothing in it is rendered for people yet; render turns it into the redacted
// [Exchange], which costs far more than the assessment (redacting headers and bodies,
// collecting the request's secrets), so the transport renders only the exchanges someone
// will see: reported ones (violations, unknown paths) and all of them when a consumer asks
// for every exchange.
type assessment struct {
	operation string
	// unknown says why the request matched no operation.
	unknown         string
	requestProblems openapi.Problems
	// serverError, responseProblems and slow become the answer's findings, in that order.
	serverError      bool
	responseProblems openapi.Problems
	slow             bool
	notes            []string
	// respBody is the answer's body as validated (decoded when it came gzip-encoded).
	respBody []byte
}

// violations is how many violations the rendered exchange has (Exchange.Violations).
func (a *assessment) violations() int {
	n := len(a.requestProblems) + len(a.responseProblems)
	if a.serverError {
		n++
	}
	if a.slow {
		n++
	}
	return n
}

// reported says whether the exchange is one the proxy and the journal report: it breaks the
// document or the document does not know it.
func (a *assessment) reported() bool { return a.unknown != "" || a.violations() > 0 }

// judge builds the redacted Exchange of o with every problem found.
func (v *validator) judge(ctx context.Context, o observed) *Exchange {
	a := v.assess(ctx, &o)
	return v.render(&o, &a)
}

// assess routes o and validates both directions. It reads o and never changes it: the
// request is validated through a shallow copy whose body the validation may replace.
func (v *validator) assess(ctx context.Context, o *observed) assessment {
	a := assessment{respBody: o.respBody}
	path := o.req.URL.EscapedPath()
	if v.basePath != "" {
		if rest, ok := strings.CutPrefix(path, v.basePath); ok && strings.HasPrefix(rest, "/") {
			path = rest
		}
	}
	m, err := v.doc.Find(o.req.Method, path)
	if err != nil {
		var mna *openapi.MethodNotAllowedError
		if errors.As(err, &mna) {
			a.unknown = fmt.Sprintf("method %s is not declared for %s (allowed: %s)", o.req.Method, mna.Path, strings.Join(mna.Allow, ", "))
		} else {
			a.unknown = "no operation of the document matches " + path
		}
		return a
	}
	a.operation = m.Operation.ID

	// Validation replaces the body (and ContentLength) of the request it is given, and
	// nothing else: defaults are never set (SkipSettingDefaults), so header and URL,
	// shared with o.req, stay untouched.
	vr := new(http.Request)
	*vr = *o.req
	vr.Body, vr.GetBody = http.NoBody, nil
	if o.reqComplete {
		a.requestProblems = v.doc.ValidateRequest(ctx, vr, m, o.reqBody)
	} else {
		a.notes = append(a.notes, "request body larger than the validation limit: not validated")
	}
	if !o.answered {
		return a
	}

	body, complete := o.respBody, o.respComplete
	if complete && o.contentEncodings != "" {
		if dec, ok := decode(o.contentEncodings, body, len(body)*64+1<<20); ok {
			body = dec
		} else {
			complete = false
		}
	}
	a.respBody = body

	a.serverError = o.status >= 500
	if complete {
		check := func() openapi.Problems { return v.doc.ValidateResponse(ctx, vr, m, o.status, o.header, body) }
		a.responseProblems = v.verdicts.validate(check, vr.Method, m, o.status, o.header, body)
	} else {
		a.notes = append(a.notes, "response body not validated (larger than the validation limit or encoded): status, Content-Type and headers checked")
		for _, p := range v.doc.ValidateResponse(ctx, vr, m, o.status, o.header, nil) {
			if p.Kind != openapi.InvalidBody && p.Kind != openapi.MalformedResponse {
				a.responseProblems = append(a.responseProblems, p)
			}
		}
	}
	if p, ok := unacceptable(o.req.Header.Get("Accept"), o.header.Get("Content-Type"), o.status); ok {
		a.responseProblems = append(a.responseProblems, p)
	}
	a.slow = v.maxTime > 0 && o.duration > v.maxTime
	return a
}

// render builds the redacted Exchange of o and its assessment a: URL, headers and bodies
// redacted, and every secret value the request carries scrubbed from everything, problem
// messages included (they never quote values, but a scrub costs nothing next to the rest).
// It takes ownership of a's slices.
func (v *validator) render(o *observed, a *assessment) *Exchange {
	v = v.withRequestSecrets(o.req, o.reqBody)
	ex := &Exchange{
		Operation: a.operation,
		Unknown:   v.scrub(a.unknown),
		Request: Message{
			Method:    o.req.Method,
			URL:       v.scrub(v.redactor.URL(o.req.URL)),
			Header:    v.header(o.req.Header),
			Body:      v.body(o.req.Header.Get("Content-Type"), o.reqBody),
			Truncated: !o.reqComplete,
		},
		Duration:        o.duration,
		RequestProblems: v.scrubProblems(a.requestProblems),
		Notes:           a.notes,
	}
	if o.err != nil {
		ex.Err = v.scrub(o.err.Error())
	}
	if !o.answered {
		return ex
	}
	ex.Response = &Message{Status: o.status, Header: v.header(o.header), Truncated: !o.respComplete,
		Body: v.body(o.header.Get("Content-Type"), a.respBody)}
	if a.serverError {
		ex.Findings = append(ex.Findings, Finding{Check: NoServerError, In: "status", Name: fmt.Sprint(o.status),
			Message: fmt.Sprintf("server error %d %s", o.status, http.StatusText(o.status))})
	}
	ex.Findings = append(ex.Findings, findingsOf("", v.scrubProblems(a.responseProblems))...)
	if a.slow {
		ex.Findings = append(ex.Findings, Finding{Check: ResponseTime, In: "time",
			Message: fmt.Sprintf("answered in %s, more than the limit of %s", o.duration.Round(time.Millisecond), v.maxTime)})
	}
	return ex
}

// withRequestSecrets returns a validator that also scrubs the secret values the request
// carries (credential headers, secret query parameters, secret body fields), so a server
// that echoes one back in an error message or another field cannot leak it. What counts
// as a secret value is openapi's one definition ([openapi.Redactor.RequestSecrets]), the
// same the mock's journal uses.
func (v *validator) withRequestSecrets(req *http.Request, body []byte) *validator {
	found := v.redactor.RequestSecrets(req.Header, req.URL.Query(), body)
	if found.Empty() {
		return v
	}
	c := *v
	c.secrets = v.secrets.Merge(found)
	return &c
}

// jsonPair finds "name": "value" pairs in text that may not be complete JSON; the value may
// be cut off by the end of the text.
var jsonPair = regexp.MustCompile(`"([^"\\]{1,64})"\s*:\s*"((?:[^"\\]|\\.)*)`)

// decode undoes a gzip Content-Encoding so a proxied compressed body can be validated; it
// refuses anything else and bodies that inflate beyond max.
func decode(encoding string, body []byte, max int) ([]byte, bool) {
	if !strings.EqualFold(strings.TrimSpace(encoding), "gzip") {
		return nil, false
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		return nil, false
	}
	out, err := io.ReadAll(io.LimitReader(zr, int64(max)+1))
	if err != nil || len(out) > max {
		return nil, false
	}
	return out, true
}

func (v *validator) header(h http.Header) http.Header {
	out := v.redactor.Header(h)
	for k, vs := range out {
		for i := range vs {
			vs[i] = v.scrub(vs[i])
		}
		out[k] = vs
	}
	return out
}

func (v *validator) body(contentType string, b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return v.scrub(string(v.redactor.BodyText(contentType, b)))
}

// scrub replaces every known secret value (the token the checker sends, the values the
// request carried) wherever it shows, so a server that echoes one cannot make a report leak
// it.
func (v *validator) scrub(s string) string { return v.secrets.Scrub(s) }

func (v *validator) scrubProblems(ps openapi.Problems) openapi.Problems {
	return v.secrets.ScrubProblems(ps)
}
