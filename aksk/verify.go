package aksk

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// DefaultMaxSkew is how far X-Sdk-Date may be from the verifier's clock, either way: API
// Gateway's 15 minutes.
const DefaultMaxSkew = 15 * time.Minute

// Reason names why a signature was refused; the names are stable.
type Reason string

// Reasons a Verifier refuses a signature.
const (
	Malformed    Reason = "malformed"     // the Authorization header does not parse
	MissingDate  Reason = "missing-date"  // no X-Sdk-Date header
	BadDate      Reason = "bad-date"      // X-Sdk-Date is not 20060102T150405Z
	DateUnsigned Reason = "date-unsigned" // x-sdk-date is not among the signed headers
	HostUnsigned Reason = "host-unsigned" // host is not among the signed headers
	Stale        Reason = "stale"         // X-Sdk-Date is older than the allowed skew
	Future       Reason = "future"        // X-Sdk-Date is later than the allowed skew
	UnknownKey   Reason = "unknown-key"   // no secret key is known for the access key
	Mismatch     Reason = "mismatch"      // the signature does not match the request
)

// Error is a refused signature. Its message says what is wrong and where to look, and
// never contains a signature (the client's or the expected one) or a secret key.
type Error struct {
	Reason    Reason
	AccessKey string // as the client sent it; "" when the header does not parse
	Msg       string
}

func (e *Error) Error() string { return e.Msg }

// Verifier checks SDK-HMAC-SHA256 signatures.
type Verifier struct {
	// SecretKey returns the secret key of an access key. Nil means no key is configured:
	// a well-formed, fresh signature is accepted without being checked (Result.Verified
	// is false).
	SecretKey func(accessKey string) (string, bool)
	// MaxSkew bounds the distance between X-Sdk-Date and Now; 0 means DefaultMaxSkew.
	MaxSkew time.Duration
	// Now is the verifier's clock; nil means time.Now.
	Now func() time.Time
}

// Result is an accepted signature.
type Result struct {
	AccessKey string
	// Verified is false when the Verifier has no keys and only checked form and date.
	Verified bool
}

// Verify checks the SDK-HMAC-SHA256 signature of r, whose body is body. It returns
// ErrNotThisScheme (not an *Error) when the request carries no such signature.
func (v *Verifier) Verify(r *http.Request, body []byte) (Result, error) {
	a, err := ParseAuthorization(r.Header.Get("Authorization"))
	if err == ErrNotThisScheme {
		return Result{}, err
	}
	if err != nil {
		return Result{}, &Error{Reason: Malformed, Msg: "header Authorization: " + err.Error()}
	}
	fail := func(reason Reason, format string, args ...any) (Result, error) {
		return Result{}, &Error{Reason: reason, AccessKey: a.AccessKey, Msg: fmt.Sprintf(format, args...)}
	}
	date := r.Header.Get(DateHeader)
	switch {
	case date == "":
		return fail(MissingDate, "header %s is required with an %s signature (access key %s)", DateHeader, Algorithm, a.AccessKey)
	case !a.Signs(DateHeader):
		return fail(DateUnsigned, "signature of access key %s does not sign %s (SignedHeaders=%s): the date must be signed", a.AccessKey, strings.ToLower(DateHeader), strings.Join(a.SignedHeaders, ";"))
	case !a.Signs("host"):
		return fail(HostUnsigned, "signature of access key %s does not sign host (SignedHeaders=%s): the host must be signed", a.AccessKey, strings.Join(a.SignedHeaders, ";"))
	}
	t, err := time.Parse(DateFormat, date)
	if err != nil {
		return fail(BadDate, "header %s %q is not a UTC time in the form %s", DateHeader, trimTo(date, 40), DateFormat)
	}
	now := time.Now
	if v.Now != nil {
		now = v.Now
	}
	skew := v.MaxSkew
	if skew <= 0 {
		skew = DefaultMaxSkew
	}
	n := now()
	if d := n.Sub(t); d > skew {
		return fail(Stale, "header %s %s is %s old, more than the allowed clock skew of %s: sign the request again", DateHeader, date, d.Round(time.Second), skew)
	} else if -d > skew {
		return fail(Future, "header %s %s is %s in the future, more than the allowed clock skew of %s: check the client's clock", DateHeader, date, (-d).Round(time.Second), skew)
	}
	if v.SecretKey == nil {
		return Result{AccessKey: a.AccessKey}, nil
	}
	sk, ok := v.SecretKey(a.AccessKey)
	if !ok {
		return fail(UnknownKey, "unknown access key %s", a.AccessKey)
	}
	cr := CanonicalRequest(r, body, a.SignedHeaders)
	want := Signature(sk, StringToSign(cr, date))
	if !hmac.Equal([]byte(want), []byte(a.Signature)) {
		if m := signedMethod(r, body, a, sk, date); m != "" {
			return fail(Mismatch, "signature does not match (access key %s): it was made for method %s, but the request is %s", a.AccessKey, m, r.Method)
		}
		return fail(Mismatch, "signature does not match (access key %s): the mock signed %s, so the request was changed after signing or signed with another secret key",
			a.AccessKey, describe(r, body, a.SignedHeaders, date))
	}
	return Result{AccessKey: a.AccessKey, Verified: true}, nil
}

// signedMethod finds the method a mismatching signature was made for, when only the
// method differs: a common client bug (signing before a redirect or a method override)
// that the canonical request alone would not point to.
func signedMethod(r *http.Request, body []byte, a Authorization, sk, date string) string {
	for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions} {
		if m == r.Method {
			continue
		}
		rr := *r
		rr.Method = m
		if hmac.Equal([]byte(Signature(sk, StringToSign(CanonicalRequest(&rr, body, a.SignedHeaders), date))), []byte(a.Signature)) {
			return m
		}
	}
	return ""
}

// describe summarises what the verifier signed, so a developer can compare it with the
// client's canonical request: every part a tampering can change shows, but neither the
// body (it may hold a secret, so only its length) nor header values (only a short digest
// of the canonical headers).
func describe(r *http.Request, body []byte, signed []string, date string) string {
	var hb strings.Builder
	for _, name := range signed {
		if name == "host" {
			hb.WriteString("host:" + hostOf(r) + "\n")
			continue
		}
		for _, v := range r.Header.Values(name) {
			hb.WriteString(name + ":" + strings.TrimSpace(v) + "\n")
		}
	}
	sum := sha256.Sum256([]byte(hb.String()))
	q := CanonicalQuery(r.URL.RawQuery)
	if q == "" {
		q = "(none)"
	}
	return fmt.Sprintf("%s %s with query %s, headers %s (values digest %s), %s %s and a %d-byte body",
		r.Method, CanonicalURI(r.URL), q, strings.Join(signed, ";"), hex.EncodeToString(sum[:6]), DateHeader, date, len(body))
}

func trimTo(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
