package mockserver

import (
	"bytes"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/hookkit/hookkit/mockserver/journal"
	"github.com/hookkit/hookkit/openapi"
)

// maxCachedNames bounds the redaction caches, so clients sending ever new header or field
// names cannot grow them without end (names beyond it are simply checked every time).
const maxCachedNames = 4096

// redactor remembers the document redactor's verdict per header and field name. The
// verdict comes from a case-insensitive regular expression, which was the largest single
// cost of journaling a request; the names a mock sees repeat endlessly.
type redactor struct {
	red     *openapi.Redactor
	mu      sync.RWMutex
	headers map[string]bool // canonical header name -> secret
	fields  map[string]bool // property name -> secret
}

func newRedactor(red *openapi.Redactor) *redactor {
	return &redactor{red: red, headers: map[string]bool{}, fields: map[string]bool{}}
}

func (c *redactor) secretHeader(name string) bool {
	c.mu.RLock()
	secret, ok := c.headers[name]
	c.mu.RUnlock()
	if ok {
		return secret
	}
	secret = c.red.IsSecretHeader(name)
	c.remember(c.headers, name, secret)
	return secret
}

func (c *redactor) secretField(name string) bool { return c.secretFieldBytes([]byte(name)) }

// secretFieldBytes looks the name up without converting it to a string first (the
// compiler does not allocate for a map index by string(bytes)).
func (c *redactor) secretFieldBytes(name []byte) bool {
	c.mu.RLock()
	secret, ok := c.fields[string(name)]
	c.mu.RUnlock()
	if ok {
		return secret
	}
	secret = c.red.IsSecretField(string(name))
	c.remember(c.fields, string(name), secret)
	return secret
}

func (c *redactor) remember(m map[string]bool, name string, secret bool) {
	c.mu.Lock()
	if len(m) < maxCachedNames {
		m[name] = secret
	}
	c.mu.Unlock()
}

// header returns a copy of h with secret values replaced.
func (c *redactor) header(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for k, vs := range h {
		if c.secretHeader(k) {
			out[k] = []string{openapi.Redacted}
			continue
		}
		out[k] = vs // shared: neither the request's nor the response's header changes later
	}
	return out
}

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
	if len(body) == 0 {
		return body
	}
	if !isJSONType(baseMediaType(contentType)) {
		return c.red.Body(contentType, body)
	}
	if _, ok := openapi.CheckJSON(body); !ok {
		return c.red.Body(contentType, body)
	}
	out, _ := redactJSON(body, c.secretFieldBytes)
	return out
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

// deferred returns the function that completes an entry from the raw exchange. It keeps
// references, not copies: the request's header and body and the answer are not modified
// after the exchange. A request body longer than the journal keeps is cut now, so the
// journal does not hold large uploads.
func (c *redactor) deferred(reqHeader http.Header, reqBody []byte, respHeader http.Header, respBody []byte, respSafe bool) func(*journal.Entry) {
	if len(reqBody) > journal.MaxBody {
		reqBody = bytes.Clone(reqBody[:journal.MaxBody])
	}
	return func(e *journal.Entry) {
		e.RequestHeader = c.header(reqHeader)
		e.RequestBody = string(c.body(reqHeader.Get("Content-Type"), reqBody))
		e.ResponseHeader = c.header(respHeader)
		resp := respBody
		if !respSafe {
			resp = c.body(respHeader.Get("Content-Type"), respBody)
		}
		e.ResponseBody = string(resp)
	}
}
