package contract

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/hookkit/hookkit/aksk"
	"github.com/hookkit/hookkit/openapi"
)

// Signing variants of a case signed with AK/SK (Case.Signing).
const (
	// SignWrongKey signs with another secret key: the signature is well formed and fresh
	// but must be refused.
	SignWrongKey = "wrong-signature"
	// SignStale signs with a date an hour old, beyond API Gateway's 15-minute skew.
	SignStale = "stale-date"
)

// staleAge is how old the stale-date case's X-Sdk-Date is.
const staleAge = time.Hour

// akskCurlNote heads the curl line of a signed request: the signature cannot be replayed.
const akskCurlNote = "# signed with AK/SK (SDK-HMAC-SHA256): the signature covers the method, path, query,\n" +
	"# signed headers, body and X-Sdk-Date (valid 15 minutes), so this command must be\n" +
	"# re-signed before it is sent again; hookkit check -v prints its canonical request"

// signsAKSK reports whether op accepts an AK/SK signature: one of its security
// alternatives is an http scheme named SDK-HMAC-SHA256.
func signsAKSK(doc *openapi.Document, op *openapi.Operation) bool {
	return akskScheme(doc, op) != ""
}

// akskScheme names the SDK-HMAC-SHA256 scheme of op's security alternatives, or "".
func akskScheme(doc *openapi.Document, op *openapi.Operation) string {
	if doc.T.Components == nil {
		return ""
	}
	reqs := op.Operation.Security
	if reqs == nil {
		reqs = &doc.T.Security
	}
	for _, alt := range *reqs {
		for name := range alt {
			ref := doc.T.Components.SecuritySchemes[name]
			if ref != nil && ref.Value != nil && ref.Value.Type == "http" && strings.EqualFold(ref.Value.Scheme, aksk.Algorithm) {
				return name
			}
		}
	}
	return ""
}

// signs reports whether cr signs requests to op with AK/SK instead of sending the token.
func (cr credentials) signs(op *openapi.Operation) bool {
	return cr.accessKey != "" && op != nil && signsAKSK(cr.doc, op)
}

// sign signs req with AK/SK: correctly, or in one of the wrong ways of the negative
// cases. The body is read back through req.GetBody, so the signature covers exactly the
// bytes sent.
func (cr credentials) sign(req *http.Request, variant string) {
	var body []byte
	if req.GetBody != nil {
		if rc, err := req.GetBody(); err == nil {
			body, _ = io.ReadAll(rc)
			rc.Close()
		}
	}
	now := time.Now
	if cr.now != nil {
		now = cr.now
	}
	at, sk := now(), cr.secretKey
	switch variant {
	case SignStale:
		at = at.Add(-staleAge)
	case SignWrongKey:
		sk = "hookkit-wrong-" + sk
	}
	_, _ = aksk.Sign(req, body, cr.accessKey, sk, at)
}

// signingNegatives are the AK/SK cases of an operation that accepts AK/SK, planned when
// the checker signs: a signature made with another secret key and one dated an hour ago.
// (The unsigned request is the missing-credential case.) The document cannot judge a
// signature's value, so they are planned without asking it.
func (p *planner) signingNegatives(pos Case) []Case {
	if p.opts.AccessKey == "" || !signsAKSK(p.doc, pos.op) {
		return nil
	}
	var out []Case
	for _, v := range []struct{ variant, name string }{
		{SignWrongKey, "AK/SK signature made with another secret key"},
		{SignStale, "AK/SK signature dated an hour ago"},
	} {
		c := pos.clone()
		c.Kind, c.Name, c.ID, c.Signing = Negative, v.name, pos.op.ID+"/negative/aksk-"+v.variant, v.variant
		// A refused signature is a credential problem: 401/403 where declared.
		c.class = openapi.CredentialProblem
		out = append(out, c)
	}
	return out
}

// canonicalForReport is the canonical request of a signed request, for -v: the text the
// signature covers, with the values of secret headers redacted. Empty for unsigned
// requests.
func canonicalForReport(req *http.Request, body []byte, red *openapi.Redactor) string {
	a, err := aksk.ParseAuthorization(req.Header.Get("Authorization"))
	if err != nil {
		return ""
	}
	lines := strings.Split(aksk.CanonicalRequest(req, body, a.SignedHeaders), "\n")
	for i, l := range lines {
		if name, _, ok := strings.Cut(l, ":"); ok && a.Signs(name) && red.IsSecretHeader(name) {
			lines[i] = name + ":" + openapi.Redacted
		}
	}
	// The last line is the body's SHA-256. A body with a secret field (the hook's secret)
	// would let a reader of the report test guesses of a weak secret against it offline.
	if n := len(lines); n > 0 && !bytes.Equal(red.Body(req.Header.Get("Content-Type"), body), body) {
		lines[n-1] = openapi.Redacted + " (SHA-256 of a body with a secret field)"
	}
	return strings.Join(lines, "\n")
}
