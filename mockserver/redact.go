package mockserver

import (
	"bytes"
	"net/http"
	"net/url"
	"time"

	"github.com/hookkit/hookkit/mockserver/journal"
	"github.com/hookkit/hookkit/openapi"
)

// redactor applies the document's redactor to what the mock journals and logs: headers,
// URLs and bodies, JSON ones in a single pass that keeps the rest of the body byte for
// byte (openapi.Redactor.Body, the one JSON redactor).
type redactor struct {
	red *openapi.Redactor
	// known are the credentials the config holds (auth.tokens, AK/SK secret keys),
	// scrubbed from every entry like the secrets a request carries.
	known openapi.Secrets
}

func newRedactor(red *openapi.Redactor, known []string) *redactor {
	return &redactor{red: red, known: openapi.Secrets{}.With(known...)}
}

func (c *redactor) secretHeader(name string) bool { return c.red.IsSecretHeader(name) }

func (c *redactor) secretField(name string) bool { return c.red.IsSecretField(name) }

// url returns the request URL with secret query values replaced.
func (c *redactor) url(u *url.URL) string {
	if u.RawQuery == "" {
		return u.EscapedPath()
	}
	return c.red.URL(u)
}

// body redacts a JSON body with the cached verdicts, and hands every other media type to
// the document's redactor, which knows how to treat them.
func (c *redactor) body(contentType string, body []byte) []byte {
	return c.red.Body(contentType, body)
}

// safe reports whether redaction leaves body unchanged.
func (c *redactor) safe(contentType string, body []byte) bool {
	return bytes.Equal(c.body(contentType, body), body)
}

// entry starts the journal entry of an exchange with the fields filters use; deferred
// fills in its headers and bodies, redacted, when the journal is read (see the journal
// package: entries must be redacted; journal.AddDeferred).
func (c *redactor) entry(r *http.Request, status int, start time.Time) journal.Entry {
	return journal.Entry{Time: start, Method: r.Method, URL: c.url(r.URL), Status: status}
}

// deferred returns the function that completes an entry from the raw exchange, and the
// bytes it holds. It keeps references, not copies: the request's header and body and the
// answer are not modified after the exchange. What would exceed the journal's per-entry
// limits is cut now (a request body longer than journal.MaxBody, header values longer
// than journal.MaxValue), so the journal holds neither large uploads nor huge headers.
//
// When the entry is read, secret values the request carried (its credential, the hook's
// secret...) are scrubbed from everything recorded, so a rule or handler that echoes one
// into a non-secret place cannot leak it through the journal.
func (c *redactor) deferred(reqHeader http.Header, query string, reqBody []byte, respHeader http.Header, respBody []byte, respSafe bool) (int64, func(*journal.Entry)) {
	var early openapi.Secrets
	if len(reqBody) > journal.MaxBody {
		// The part cut off may hold secrets that the answer echoes: find them now (a rare,
		// already slow path), since the journal will not keep them.
		early = c.red.RequestSecrets(nil, nil, reqBody)
		reqBody = bytes.Clone(reqBody[:journal.MaxBody])
	}
	reqHeader = journal.ClipHeader(reqHeader)
	respHeader = journal.ClipHeader(respHeader)
	cost := int64(len(reqBody)+len(respBody)+len(query)) + journal.HeaderBytes(reqHeader) + journal.HeaderBytes(respHeader)
	return cost, func(e *journal.Entry) {
		q, _ := url.ParseQuery(query)
		secrets := c.red.RequestSecrets(reqHeader, q, reqBody).Merge(early).Merge(c.known)
		e.RequestHeader = secrets.ScrubHeader(c.red.Header(reqHeader))
		e.RequestBody = secrets.Scrub(string(c.body(reqHeader.Get("Content-Type"), reqBody)))
		e.ResponseHeader = secrets.ScrubHeader(c.red.Header(respHeader))
		resp := respBody
		if !respSafe {
			resp = c.body(respHeader.Get("Content-Type"), respBody)
		}
		e.ResponseBody = secrets.Scrub(string(resp))
		if !secrets.Empty() && len(e.Problems) > 0 {
			// Problems are shared with the request's log line: scrub a copy.
			e.Problems = secrets.ScrubProblems(append(openapi.Problems(nil), e.Problems...))
		}
	}
}
