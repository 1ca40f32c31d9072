package openapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Redacted replaces every secret value hookkit would otherwise log, journal or report.
const Redacted = "[REDACTED]"

// secretWords are the words that make a header, query or body field name a secret whatever
// the document says about it, matched in the name lower-cased with "-" and "_" removed
// (so X-API-Key, api_key and apiKey all match "apikey").
var secretWords = []string{"secret", "password", "passwd", "token", "apikey", "credential", "privatekey", "authorization", "cookie", "session"}

// secretText finds the same words in free text (non-JSON bodies), where a name cannot be
// isolated.
var secretText = regexp.MustCompile(`(?i)(secret|password|passwd|token|api[-_]?key|credential|private[-_]?key|authorization|cookie|session)`)

// isSecretName reports whether name contains one of secretWords. It runs for every header
// and field the mock journals, so it avoids regular expressions and, for names of usual
// length, allocation.
func isSecretName(name string) bool {
	var buf [64]byte
	norm := buf[:0]
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c == '-' || c == '_':
			continue
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		norm = append(norm, c)
	}
	for _, w := range secretWords {
		if bytes.Contains(norm, []byte(w)) {
			return true
		}
	}
	return false
}

// Redactor hides secrets in requests and responses: the credentials of the document's
// security schemes, headers and fields whose names say they are secrets, and schema
// properties of format "password". Build it once with [Document.Redactor]; it is safe for
// concurrent use.
type Redactor struct {
	headers map[string]bool // canonical header names
	params  map[string]bool // query and cookie names
	fields  map[string]bool // JSON property names
}

// Redactor returns the document's redactor.
func (d *Document) Redactor() *Redactor {
	r := &Redactor{headers: map[string]bool{}, params: map[string]bool{}, fields: map[string]bool{}}
	for _, name := range []string{"Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie"} {
		r.headers[name] = true
	}
	if d.T.Components != nil {
		for _, ref := range d.T.Components.SecuritySchemes {
			if s := ref.Value; s != nil && s.Type == "apiKey" {
				if s.In == "header" {
					r.headers[http.CanonicalHeaderKey(s.Name)] = true
				} else {
					r.params[s.Name] = true
				}
			}
		}
		for _, s := range d.T.Components.Schemas {
			r.collect(s, map[*openapi3.Schema]bool{})
		}
	}
	for _, op := range d.Operations {
		if rb := op.Operation.RequestBody; rb != nil && rb.Value != nil {
			for _, mt := range rb.Value.Content {
				r.collect(mt.Schema, map[*openapi3.Schema]bool{})
			}
		}
	}
	return r
}

// collect records properties of format password (or writeOnly secrets) anywhere in s.
func (r *Redactor) collect(ref *openapi3.SchemaRef, seen map[*openapi3.Schema]bool) {
	if ref == nil || ref.Value == nil || seen[ref.Value] {
		return
	}
	s := ref.Value
	seen[s] = true
	for name, p := range s.Properties {
		if p.Value != nil && p.Value.Format == "password" {
			r.fields[name] = true
		}
		r.collect(p, seen)
	}
	r.collect(s.Items, seen)
	for _, group := range [][]*openapi3.SchemaRef{s.AllOf, s.AnyOf, s.OneOf} {
		for _, sub := range group {
			r.collect(sub, seen)
		}
	}
	if s.AdditionalProperties.Schema != nil {
		r.collect(s.AdditionalProperties.Schema, seen)
	}
}

// IsSecretHeader reports whether a header carries a secret.
func (r *Redactor) IsSecretHeader(name string) bool {
	return r.headers[http.CanonicalHeaderKey(name)] || isSecretName(name)
}

// IsSecretField reports whether a JSON property, query parameter or cookie carries a secret.
func (r *Redactor) IsSecretField(name string) bool {
	return r.fields[name] || r.params[name] || isSecretName(name)
}

// Header returns a copy of h with secret values replaced by Redacted.
func (r *Redactor) Header(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for k, vs := range h {
		if r.IsSecretHeader(k) {
			out[k] = []string{Redacted}
			continue
		}
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// URL returns u as a string with secret query values replaced by Redacted.
func (r *Redactor) URL(u *url.URL) string {
	if u.RawQuery == "" {
		return u.String()
	}
	q := u.Query()
	changed := false
	for k := range q {
		if r.IsSecretField(k) {
			q[k] = []string{Redacted}
			changed = true
		}
	}
	if !changed {
		return u.String()
	}
	c := *u
	c.RawQuery = q.Encode()
	return c.String()
}

// Body returns body with secret JSON properties replaced by Redacted, at any depth. A body
// that is not JSON is returned as is when it holds no secret-looking name, and replaced by a
// placeholder otherwise, since its secrets cannot be located.
func (r *Redactor) Body(contentType string, body []byte) []byte {
	if len(body) == 0 {
		return body
	}
	if isJSON(contentType) || (contentType == "" && json.Valid(body)) {
		var v any
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil {
			return r.opaque(body)
		}
		if !r.redactValue(v) {
			return body
		}
		out, err := json.Marshal(v)
		if err != nil {
			return []byte(Redacted)
		}
		return out
	}
	if strings.HasPrefix(contentType, "application/x-www-form-urlencoded") {
		q, err := url.ParseQuery(string(body))
		if err != nil {
			return r.opaque(body)
		}
		changed := false
		for k := range q {
			if r.IsSecretField(k) {
				q[k] = []string{Redacted}
				changed = true
			}
		}
		if changed {
			return []byte(q.Encode())
		}
		return body
	}
	return r.opaque(body)
}

func (r *Redactor) opaque(body []byte) []byte {
	if secretText.Match(body) {
		return []byte(Redacted)
	}
	for f := range r.fields {
		if bytes.Contains(body, []byte(f)) {
			return []byte(Redacted)
		}
	}
	return body
}

// Value redacts secret properties of a decoded JSON value in place and reports whether it
// changed anything.
func (r *Redactor) Value(v any) bool { return r.redactValue(v) }

func (r *Redactor) redactValue(v any) bool {
	changed := false
	switch t := v.(type) {
	case map[string]any:
		for k, sub := range t {
			if r.IsSecretField(k) {
				if _, isObj := sub.(map[string]any); !isObj {
					t[k] = Redacted
					changed = true
					continue
				}
			}
			if r.redactValue(sub) {
				changed = true
			}
		}
	case []any:
		for _, sub := range t {
			if r.redactValue(sub) {
				changed = true
			}
		}
	}
	return changed
}
