package aksk

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// The names and formats of the scheme, as Huawei Cloud's API Gateway defines them.
const (
	// Algorithm is the scheme's name: the first word of the Authorization header and the
	// first line of the string to sign.
	Algorithm = "SDK-HMAC-SHA256"
	// DateHeader carries the signing time; it is always signed.
	DateHeader = "X-Sdk-Date"
	// DateFormat is the layout of DateHeader: UTC, basic ISO 8601.
	DateFormat = "20060102T150405Z"
	// ContentSHA256Header, when signed, replaces the body's hash in the canonical request.
	// The official SDK sets it to UnsignedPayload for bodies that are not JSON.
	ContentSHA256Header = "X-Sdk-Content-Sha256"
	// UnsignedPayload is the value of ContentSHA256Header that leaves the body unsigned.
	UnsignedPayload = "UNSIGNED-PAYLOAD"
)

// Authorization is a parsed Authorization header of the scheme:
// `SDK-HMAC-SHA256 Access=AK, SignedHeaders=h1;h2, Signature=HEX`.
type Authorization struct {
	AccessKey     string
	SignedHeaders []string // lower case, as the client listed them
	Signature     string   // lower-case hex
}

// String renders the header value.
func (a Authorization) String() string {
	return fmt.Sprintf("%s Access=%s, SignedHeaders=%s, Signature=%s", Algorithm, a.AccessKey, strings.Join(a.SignedHeaders, ";"), a.Signature)
}

// Signs reports whether the header name (any case) is among the signed headers.
func (a Authorization) Signs(name string) bool {
	name = strings.ToLower(name)
	for _, h := range a.SignedHeaders {
		if h == name {
			return true
		}
	}
	return false
}

// ErrNotThisScheme is returned by ParseAuthorization for an Authorization header of
// another scheme (Bearer, Basic...): not a malformed signature, simply not one.
var ErrNotThisScheme = errors.New("the Authorization header is not an " + Algorithm + " signature")

// ParseAuthorization parses an Authorization header value. Errors say what is wrong with
// the header without repeating its value (it carries a signature).
func ParseAuthorization(v string) (Authorization, error) {
	var a Authorization
	scheme, rest, _ := strings.Cut(strings.TrimSpace(v), " ")
	if !strings.EqualFold(scheme, Algorithm) {
		return a, ErrNotThisScheme
	}
	seen := map[string]bool{}
	for _, part := range strings.Split(rest, ",") {
		key, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return a, fmt.Errorf("%s: each part must be name=value (Access, SignedHeaders, Signature)", Algorithm)
		}
		if seen[key] {
			return a, fmt.Errorf("%s: %s is given twice", Algorithm, key)
		}
		seen[key] = true
		switch key {
		case "Access":
			a.AccessKey = val
		case "SignedHeaders":
			for _, h := range strings.Split(val, ";") {
				if h != "" {
					a.SignedHeaders = append(a.SignedHeaders, strings.ToLower(h))
				}
			}
		case "Signature":
			a.Signature = strings.ToLower(val)
		default:
			return a, fmt.Errorf("%s: unknown part %q (want Access, SignedHeaders, Signature)", Algorithm, key)
		}
	}
	switch {
	case a.AccessKey == "":
		return a, fmt.Errorf("%s: Access (the access key) is missing", Algorithm)
	case len(a.SignedHeaders) == 0:
		return a, fmt.Errorf("%s: SignedHeaders is missing", Algorithm)
	case len(a.Signature) != 64 || !isHex(a.Signature):
		return a, fmt.Errorf("%s: Signature must be 64 hex digits", Algorithm)
	}
	return a, nil
}

func isHex(s string) bool {
	_, err := hex.DecodeString(s)
	return err == nil
}

// SignedHeaderNames returns the headers a signature of r covers, the way the official SDK
// chooses them: every header present, lower-cased and sorted, except Content-Type and names
// with an underscore (gateways drop those), plus host, which the SDK signs only when the
// caller sets it and hookkit always signs (a signature without it could be replayed
// against another endpoint).
func SignedHeaderNames(h http.Header) []string {
	set := map[string]bool{"host": true}
	for k := range h {
		lk := strings.ToLower(k)
		if strings.HasPrefix(lk, "content-type") || strings.Contains(k, "_") || lk == "authorization" {
			continue
		}
		set[lk] = true
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// CanonicalRequest is the text a signature covers:
//
//	METHOD\nCANONICAL-URI\nCANONICAL-QUERY\nCANONICAL-HEADERS\nSIGNED-HEADERS\nHEX(SHA256(body))
//
// The URI's segments are each unescaped and re-encoded (RFC 3986 unreserved characters
// kept), and it always ends in "/"; query names and values are encoded the same way and
// sorted; each signed header is `name:value` with the value trimmed (several values sorted,
// one line each), host taken from r.Host or the URL. The body's hash is replaced by the
// value of a signed X-Sdk-Content-Sha256 header.
func CanonicalRequest(r *http.Request, body []byte, signed []string) string {
	var b strings.Builder
	b.WriteString(r.Method)
	b.WriteByte('\n')
	b.WriteString(CanonicalURI(r.URL))
	b.WriteByte('\n')
	b.WriteString(CanonicalQuery(r.URL.RawQuery))
	b.WriteByte('\n')
	for _, name := range signed {
		var vals []string
		if name == "host" {
			vals = []string{hostOf(r)}
		} else {
			vals = append(vals, r.Header.Values(name)...)
			sort.Strings(vals)
		}
		for _, v := range vals {
			b.WriteString(name)
			b.WriteByte(':')
			b.WriteString(strings.TrimSpace(v))
			b.WriteByte('\n')
		}
	}
	b.WriteByte('\n')
	b.WriteString(strings.Join(signed, ";"))
	b.WriteByte('\n')
	b.WriteString(payloadHash(r.Header, body, signed))
	return b.String()
}

// payloadHash is the hex SHA-256 of the body, or the signed X-Sdk-Content-Sha256 value.
func payloadHash(h http.Header, body []byte, signed []string) string {
	for _, name := range signed {
		if name == strings.ToLower(ContentSHA256Header) {
			if v := h.Get(ContentSHA256Header); v != "" {
				return v
			}
		}
	}
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

func hostOf(r *http.Request) string {
	if r.Host != "" {
		return r.Host
	}
	return r.URL.Host
}

// CanonicalURI encodes each segment of the path (escaped forms such as %2F stay inside
// their segment) and ends the result with "/".
func CanonicalURI(u *url.URL) string {
	segs := strings.Split(u.EscapedPath(), "/")
	for i, s := range segs {
		if raw, err := url.PathUnescape(s); err == nil {
			s = raw
		}
		segs[i] = escape(s)
	}
	p := strings.Join(segs, "/")
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p
}

// CanonicalQuery sorts the query's parameters by name, and the values of each name, and
// encodes both.
func CanonicalQuery(rawQuery string) string {
	q, _ := url.ParseQuery(rawQuery)
	names := make([]string, 0, len(q))
	for k := range q {
		names = append(names, k)
	}
	sort.Strings(names)
	var parts []string
	for _, k := range names {
		vals := append([]string(nil), q[k]...)
		sort.Strings(vals)
		for _, v := range vals {
			parts = append(parts, escape(k)+"="+escape(v))
		}
	}
	return strings.Join(parts, "&")
}

// escape percent-encodes every byte but the RFC 3986 unreserved characters.
func escape(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' || c == '-' || c == '~' || c == '.' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}

// StringToSign is `SDK-HMAC-SHA256\n` + the X-Sdk-Date value + `\n` + the hex SHA-256 of
// the canonical request.
func StringToSign(canonicalRequest, date string) string {
	sum := sha256.Sum256([]byte(canonicalRequest))
	return Algorithm + "\n" + date + "\n" + hex.EncodeToString(sum[:])
}

// Signature is the hex HMAC-SHA256 of the string to sign, keyed with the secret key.
func Signature(secretKey, stringToSign string) string {
	m := hmac.New(sha256.New, []byte(secretKey))
	m.Write([]byte(stringToSign))
	return hex.EncodeToString(m.Sum(nil))
}

// Signed is what Sign added to a request, with the intermediate texts for explanations
// (hookkit check -v prints the canonical request). None of it holds the secret key.
type Signed struct {
	Authorization    Authorization
	Date             string
	CanonicalRequest string
	StringToSign     string
}

// Sign signs r, whose body is body, with the access key ak and secret key sk at time t: it
// sets X-Sdk-Date (and X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD for bodies that are neither
// JSON nor BSON, as the official SDK does) and Authorization. Content-Length and other
// headers Go's transport adds later are not signed, like the SDK.
func Sign(r *http.Request, body []byte, ak, sk string, t time.Time) (*Signed, error) {
	if ak == "" || sk == "" {
		return nil, errors.New("aksk: access key and secret key are both required")
	}
	r.Header.Del("Authorization")
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.Contains(ct, "application/json") && !strings.Contains(ct, "application/bson") {
		r.Header.Set(ContentSHA256Header, UnsignedPayload)
	} else {
		r.Header.Del(ContentSHA256Header)
	}
	date := t.UTC().Format(DateFormat)
	r.Header.Set(DateHeader, date)
	signed := SignedHeaderNames(r.Header)
	cr := CanonicalRequest(r, body, signed)
	sts := StringToSign(cr, date)
	a := Authorization{AccessKey: ak, SignedHeaders: signed, Signature: Signature(sk, sts)}
	r.Header.Set("Authorization", a.String())
	return &Signed{Authorization: a, Date: date, CanonicalRequest: cr, StringToSign: sts}, nil
}
