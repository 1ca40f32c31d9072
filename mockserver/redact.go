package mockserver

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
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
	red           *openapi.Redactor
	headers       sync.Map // canonical name -> bool
	fields        sync.Map // name -> bool
	headerN, fldN atomic.Int32
}

func newRedactor(red *openapi.Redactor) *redactor { return &redactor{red: red} }

func (c *redactor) secretHeader(name string) bool {
	if v, ok := c.headers.Load(name); ok {
		return v.(bool)
	}
	secret := c.red.IsSecretHeader(name)
	if c.headerN.Load() < maxCachedNames {
		c.headerN.Add(1)
		c.headers.Store(name, secret)
	}
	return secret
}

func (c *redactor) secretField(name string) bool {
	if v, ok := c.fields.Load(name); ok {
		return v.(bool)
	}
	secret := c.red.IsSecretField(name)
	if c.fldN.Load() < maxCachedNames {
		c.fldN.Add(1)
		c.fields.Store(name, secret)
	}
	return secret
}

// header returns a copy of h with secret values replaced.
func (c *redactor) header(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for k, vs := range h {
		if c.secretHeader(k) {
			out[k] = []string{openapi.Redacted}
			continue
		}
		out[k] = append([]string(nil), vs...)
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
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return c.red.Body(contentType, body)
	}
	if !c.value(v) {
		return body
	}
	out, err := json.Marshal(v)
	if err != nil {
		return []byte(openapi.Redacted)
	}
	return out
}

// value redacts secret properties in place, like openapi.Redactor.Value.
func (c *redactor) value(v any) bool {
	changed := false
	switch t := v.(type) {
	case map[string]any:
		for k, sub := range t {
			if c.secretField(k) {
				if _, isObj := sub.(map[string]any); !isObj {
					t[k] = openapi.Redacted
					changed = true
					continue
				}
			}
			if c.value(sub) {
				changed = true
			}
		}
	case []any:
		for _, sub := range t {
			if c.value(sub) {
				changed = true
			}
		}
	}
	return changed
}

// safe reports whether redaction leaves body unchanged.
func (c *redactor) safe(contentType string, body []byte) bool {
	return bytes.Equal(c.body(contentType, body), body)
}

// capture builds the journal entry of an exchange, every request value redacted (see the
// journal package: entries must be redacted before Add).
func (c *redactor) capture(r *http.Request, reqBody []byte, status int, respHeader http.Header, respBody []byte, respSafe bool, start time.Time) journal.Entry {
	resp := respBody
	if !respSafe {
		resp = c.body(respHeader.Get("Content-Type"), respBody)
	}
	return journal.Entry{
		Time:           start,
		Method:         r.Method,
		URL:            c.url(r.URL),
		RequestHeader:  c.header(r.Header),
		RequestBody:    journal.Truncate(string(c.body(r.Header.Get("Content-Type"), reqBody))),
		Status:         status,
		ResponseHeader: c.header(respHeader),
		ResponseBody:   journal.Truncate(string(resp)),
	}
}
