package contract

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/hookkit/hookkit/openapi"
)

// credentials applies the token to the document's security schemes. The token comes only
// from an environment variable or a file, never from a flag, and is never printed.
type credentials struct {
	token string
	doc   *openapi.Document
	// accessKey and secretKey sign the requests of operations that accept AK/SK
	// (SDK-HMAC-SHA256) instead of sending the token; now is the signing clock (nil:
	// time.Now).
	accessKey, secretKey string
	now                  func() time.Time
}

// apply sets the credential of the first security alternative of op that the token can
// satisfy: apiKey in header, query or cookie; http bearer; http basic (token "user:pass");
// oauth2 and openIdConnect as a bearer token.
func (cr credentials) apply(req *http.Request, op *openapi.Operation) {
	if cr.signs(op) {
		cr.sign(req, "")
		return
	}
	if cr.token == "" || cr.doc.T.Components == nil {
		return
	}
	reqs := op.Operation.Security
	if reqs == nil {
		reqs = &cr.doc.T.Security
	}
	for _, alt := range *reqs {
		for _, name := range slices.Sorted(maps.Keys(alt)) {
			ref := cr.doc.T.Components.SecuritySchemes[name]
			if ref == nil || ref.Value == nil {
				continue
			}
			s := ref.Value
			switch {
			case s.Type == "apiKey" && s.In == "header":
				req.Header.Set(s.Name, cr.token)
			case s.Type == "apiKey" && s.In == "query":
				q := req.URL.Query()
				q.Set(s.Name, cr.token)
				req.URL.RawQuery = q.Encode()
			case s.Type == "apiKey" && s.In == "cookie":
				req.AddCookie(&http.Cookie{Name: s.Name, Value: cr.token})
			case s.Type == "http" && strings.EqualFold(s.Scheme, "basic"):
				req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(cr.token)))
			case s.Type == "http" && s.Scheme != "" && !strings.EqualFold(s.Scheme, "bearer"):
				req.Header.Set("Authorization", s.Scheme+" "+cr.token)
			default:
				req.Header.Set("Authorization", "Bearer "+cr.token)
			}
		}
		return
	}
}

// InvalidCredential is the well-formed but wrong credential the invalid-credential case
// sends in place of the token: a server must refuse it.
const InvalidCredential = "hookkit-invalid-credential-0123456789abcdef"

// expandPath fills a path template with escaped values.
func expandPath(tmpl string, params map[string]string) string {
	var b strings.Builder
	for {
		open := strings.IndexByte(tmpl, '{')
		if open < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		end := strings.IndexByte(tmpl[open:], '}')
		if end < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		b.WriteString(tmpl[:open])
		b.WriteString(url.PathEscape(params[tmpl[open+1:open+end]]))
		tmpl = tmpl[open+end+1:]
	}
}

// request builds the case's HTTP request against baseURL.
func (c Case) request(ctx context.Context, baseURL string, cr credentials) (*http.Request, error) {
	u, err := url.Parse(strings.TrimRight(baseURL, "/") + expandPath(c.Path, c.PathParams))
	if err != nil {
		return nil, fmt.Errorf("case %s: %w", c.ID, err)
	}
	if len(c.Query) > 0 {
		u.RawQuery = c.Query.Encode()
	}
	var body *bytes.Reader
	if c.Body != nil {
		body = bytes.NewReader(c.Body)
	}
	var req *http.Request
	if body != nil {
		req, err = http.NewRequestWithContext(ctx, c.Method, u.String(), body)
	} else {
		req, err = http.NewRequestWithContext(ctx, c.Method, u.String(), nil)
	}
	if err != nil {
		return nil, fmt.Errorf("case %s: %w", c.ID, err)
	}
	for k, vs := range c.Header {
		req.Header[k] = append([]string(nil), vs...)
	}
	switch {
	case c.NoCredential:
	case c.WrongCredential:
		credentials{token: InvalidCredential, doc: cr.doc}.apply(req, c.op)
	case c.Signing != "" && cr.signs(c.op):
		cr.sign(req, c.Signing)
	default:
		cr.apply(req, c.op)
	}
	return req, nil
}

// curl renders a request as a copy-paste curl command. The token shows as $TOKEN (in
// double quotes so the shell expands it); other secret headers, query values and body
// fields show as [REDACTED] and must be filled in by hand.
func curl(req *http.Request, body []byte, token string, red *openapi.Redactor) string {
	var parts []string
	parts = append(parts, "curl -sS -i -X "+req.Method)
	u := *req.URL
	if u.RawQuery != "" {
		q := u.Query()
		for k, vs := range q {
			for i, v := range vs {
				if token != "" && v == token {
					vs[i] = "$TOKEN"
				} else if red.IsSecretField(k) && v != InvalidCredential {
					vs[i] = openapi.Redacted
				}
			}
		}
		u.RawQuery = strings.NewReplacer("%24TOKEN", "$TOKEN").Replace(q.Encode())
	}
	parts = append(parts, quote(u.String()))
	for _, k := range slices.Sorted(maps.Keys(req.Header)) {
		for _, v := range req.Header[k] {
			if k == "Authorization" && isBasicOf(v, token) {
				parts = append(parts, `-u "$TOKEN"`)
				continue
			}
			parts = append(parts, "-H "+quote(k+": "+secretValue(k, v, token, red)))
		}
	}
	if body != nil {
		parts = append(parts, "--data-binary "+quote(string(red.BodyText(req.Header.Get("Content-Type"), body))))
	}
	return strings.Join(parts, " \\\n  ")
}

// secretValue shows a header value for a curl line: the token (alone or after an auth
// scheme such as Bearer) as $TOKEN, other secret headers as [REDACTED].
func secretValue(name, v, token string, red *openapi.Redactor) string {
	if strings.HasSuffix(v, InvalidCredential) {
		return v // the invalid-credential case's value is public: shown, so curl reproduces it
	}
	if token != "" {
		if v == token {
			return "$TOKEN"
		}
		if scheme, cred, ok := strings.Cut(v, " "); ok && cred == token {
			return scheme + " $TOKEN"
		}
	}
	if red.IsSecretHeader(name) {
		return openapi.Redacted
	}
	return v
}

func isBasicOf(v, token string) bool {
	enc, ok := strings.CutPrefix(v, "Basic ")
	if !ok || token == "" {
		return false
	}
	dec, err := base64.StdEncoding.DecodeString(enc)
	return err == nil && string(dec) == token
}

// quote quotes s for a POSIX shell: single quotes, or double quotes when it holds $TOKEN,
// which the shell must expand (every other special character escaped).
func quote(s string) string {
	if strings.Contains(s, "$TOKEN") {
		s = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "`", "\\`", "$", `\$`).Replace(s)
		return `"` + strings.ReplaceAll(s, `\$TOKEN`, "$TOKEN") + `"`
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
