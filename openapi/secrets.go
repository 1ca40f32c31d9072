package openapi

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Secrets are the secret values one exchange carries: the values of its credential
// headers, secret query parameters and secret body fields (the hook's secret, a
// password...). Redaction by name hides them where they are sent; a server or a mock rule
// that echoes one into another place (an error message, a non-secret field, a response
// header) is caught only by looking for the values themselves, which [Secrets.Scrub] does.
// The mock's journal, the checker's reports and the proxy's journal all scrub through this
// one type, so there is a single implementation of what counts as a leaked secret.
type Secrets struct {
	values []string
}

// MinSecretLen keeps short values (such as "1" or "yes") from being scrubbed everywhere.
const MinSecretLen = 4

// maxSecretScan bounds the body scanned for secret values: larger bodies are scanned in
// their first maxSecretScan bytes only, so scrubbing has a cost bound too.
const maxSecretScan = 1 << 20

// RequestSecrets collects the secret values of a request: its secret headers (a
// "Bearer abc" credential gives "abc"), secret query parameters and secret body fields,
// from JSON bodies and from text that is almost JSON (a truncated body still carries its
// secrets).
func (r *Redactor) RequestSecrets(h http.Header, query url.Values, body []byte) Secrets {
	var s Secrets
	for name, vals := range h {
		if r.IsSecretHeader(name) {
			for _, v := range vals {
				s.addCredential(v)
			}
		}
	}
	for name, vals := range query {
		if r.IsSecretField(name) {
			for _, v := range vals {
				s.add(v)
			}
		}
	}
	if len(body) > maxSecretScan {
		body = body[:maxSecretScan]
	}
	if len(body) > 0 {
		var decoded any
		if json.Unmarshal(body, &decoded) == nil {
			r.collectSecrets(decoded, &s)
		} else {
			for _, m := range jsonPair.FindAllSubmatch(body, -1) {
				if r.IsSecretField(string(m[1])) {
					s.add(string(m[2]))
				}
			}
		}
	}
	return s
}

// With returns s with more secret values (the checker's token, say).
func (s Secrets) With(values ...string) Secrets {
	out := Secrets{values: append([]string(nil), s.values...)}
	for _, v := range values {
		out.add(v)
	}
	return out
}

// Merge returns the values of s and o together.
func (s Secrets) Merge(o Secrets) Secrets { return s.With(o.values...) }

// Empty reports whether there is nothing to scrub.
func (s Secrets) Empty() bool { return len(s.values) == 0 }

// Scrub replaces every secret value in str with [Redacted].
func (s Secrets) Scrub(str string) string {
	for _, v := range s.values {
		if strings.Contains(str, v) {
			str = strings.ReplaceAll(str, v, Redacted)
		}
	}
	return str
}

// ScrubHeader returns h with every secret value scrubbed from its values; h itself is
// returned when nothing changes.
func (s Secrets) ScrubHeader(h http.Header) http.Header {
	if s.Empty() {
		return h
	}
	var out http.Header
	for k, vs := range h {
		for i, v := range vs {
			if sv := s.Scrub(v); sv != v {
				if out == nil {
					out = h.Clone()
				}
				out[k][i] = sv
			}
		}
	}
	if out == nil {
		return h
	}
	return out
}

// ScrubProblems scrubs the names and messages of problems in place (they never quote
// values, but a rule's template error may).
func (s Secrets) ScrubProblems(ps Problems) Problems {
	if s.Empty() {
		return ps
	}
	for i := range ps {
		ps[i].Message = s.Scrub(ps[i].Message)
		ps[i].Name = s.Scrub(ps[i].Name)
	}
	return ps
}

// addCredential adds the value of a credential header and, for a signed-request scheme
// (AK/SK's "SDK-HMAC-SHA256 Access=AK, SignedHeaders=..., Signature=HEX", AWS's SigV4), its
// signature on its own: a server that quotes only the signature ("signature 3f2a... does
// not match") must not leak it either. The access key is no secret and stays visible.
func (s *Secrets) addCredential(v string) {
	s.add(v)
	if !strings.Contains(v, "=") {
		return
	}
	for _, part := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' }) {
		if name, val, ok := strings.Cut(part, "="); ok && strings.EqualFold(name, "Signature") {
			s.add(val)
		}
	}
}

func (s *Secrets) add(v string) {
	v = strings.TrimSpace(v)
	if scheme, cred, ok := strings.Cut(v, " "); ok && len(scheme) < 16 && !strings.Contains(cred, " ") {
		v = strings.TrimSpace(cred) // "Bearer abc" -> "abc"
	}
	if len(v) < MinSecretLen {
		return
	}
	for _, have := range s.values {
		if have == v {
			return
		}
	}
	s.values = append(s.values, v)
}

func (r *Redactor) collectSecrets(v any, s *Secrets) {
	switch t := v.(type) {
	case map[string]any:
		for k, sub := range t {
			if str, ok := sub.(string); ok && r.IsSecretField(k) {
				s.add(str)
				continue
			}
			r.collectSecrets(sub, s)
		}
	case []any:
		for _, sub := range t {
			r.collectSecrets(sub, s)
		}
	}
}

// jsonPair finds "name": "value" pairs in text that may not be complete JSON; the value may
// be cut off by the end of the text.
var jsonPair = regexp.MustCompile(`"([^"\\]{1,64})"\s*:\s*"((?:[^"\\]|\\.)*)`)

// TruncatedMark ends a value that [Clip] cut.
const TruncatedMark = "…[truncated]"

// Clip cuts s to at most n bytes (at a UTF-8 boundary) and marks the cut, so a log line,
// journal entry or report keeps a bounded size whatever a client sent.
func Clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + TruncatedMark
}
