package openapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"sort"
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

// secretAssignment finds, in free text, a secret-named key given a value ("token=abc",
// "Authorization: Bearer abc", "password: 'x'"): group 1 is the key and separator, group 2
// the value (a quoted string, an auth scheme and its credential, or a run up to a
// delimiter), which opaque replaces. Text that only mentions such a word ("the
// Authorization header is missing") is left as it is.
var secretAssignment = regexp.MustCompile(`(?i)([\w.-]*(?:secret|password|passwd|token|api[-_]?key|credential|private[-_]?key|authorization|cookie|session)[\w.-]*["']?[ \t]*[:=][ \t]*)("[^"\n]*"?|'[^'\n]*'?|(?:bearer|basic|digest|token|sdk-hmac-sha256)[ \t]+[^\s&,;<"']+|[^\s&,;<"']+)`)

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
	// named finds, in free text, assignments to the names above that secretAssignment's
	// words do not cover (a password-format property called "pin"); nil when there are none.
	named *regexp.Regexp
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
	var extra []string
	for _, m := range []map[string]bool{r.headers, r.params, r.fields} {
		for name := range m {
			if !isSecretName(name) {
				extra = append(extra, regexp.QuoteMeta(name))
			}
		}
	}
	if len(extra) > 0 {
		sort.Strings(extra)
		r.named = regexp.MustCompile(`(?i)(\b(?:` + strings.Join(extra, "|") + `)["']?[ \t]*[:=][ \t]*)("[^"\n]*"?|'[^'\n]*'?|[^\s&,;<"']+)`)
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

func (r *Redactor) isSecretFieldBytes(name []byte) bool { return r.IsSecretField(string(name)) }

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
	if IsJSON(contentType) || (contentType == "" && json.Valid(body)) {
		if _, ok := CheckJSON(body); !ok {
			return r.opaque(body)
		}
		// One pass over the bytes, the rest of the document kept byte for byte
		// (redactjson.go).
		out, _ := redactJSON(body, r.isSecretFieldBytes)
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

// opaque redacts a body that is neither JSON nor a form: the values given to secret-named
// keys are replaced, the rest (an HTML error page that names the Authorization header, a
// plain-text message) stays readable. Known secret values (the token a checker sent) are
// scrubbed separately by their users.
func (r *Redactor) opaque(body []byte) []byte {
	if !secretText.Match(body) && r.named == nil {
		return body
	}
	out := secretAssignment.ReplaceAll(body, []byte("${1}"+Redacted))
	if r.named != nil {
		out = r.named.ReplaceAll(out, []byte("${1}"+Redacted))
	}
	return out
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

// BodyText hides the secret fields of a body that may be cut short or not quite JSON
// (a report's body, a negative case's). JSON (whatever its Content-Type says) goes
// through the document's redactor; text that is almost JSON (a truncated body, a negative
// case) keeps its shape with each secret "name": "value" pair's value replaced, so a
// reproduction stays readable; anything else is left to the redactor, which hides the
// whole body when it cannot locate the secrets.
func (red *Redactor) BodyText(contentType string, b []byte) []byte {
	if json.Valid(b) {
		return red.Body("application/json", b)
	}
	if jsonPair.Match(b) {
		replaced := 0
		out := jsonPair.ReplaceAllFunc(b, func(m []byte) []byte {
			sub := jsonPair.FindSubmatch(m)
			if !red.IsSecretField(string(sub[1])) {
				return m
			}
			replaced++
			// The closing quote of a complete value survives the replacement.
			return []byte(`"` + string(sub[1]) + `":"` + Redacted)
		})
		// Every secret-looking key must have been one of the replaced pairs; otherwise
		// (a secret whose value is not a plain string, or escapes that misalign the
		// pairs) the secrets cannot be located and the whole body is hidden.
		secretKeys := 0
		for _, m := range jsonKey.FindAllSubmatch(b, -1) {
			if red.IsSecretField(string(m[1])) {
				secretKeys++
			}
		}
		if secretKeys == replaced && !bytes.Contains(out, []byte(`\`)) {
			return out
		}
		if secretKeys == 0 {
			return red.Body(contentType, b)
		}
		return []byte(Redacted)
	}
	return red.Body(contentType, b)
}

// jsonKey finds "name": keys, wherever they are.
var jsonKey = regexp.MustCompile(`"([^"\\]{1,64})"\s*:`)
