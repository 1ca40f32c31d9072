package openapi_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hookkit/hookkit/openapi"
)

// TestRequestSecretsScrubEchoes: the values of a request's secret headers, query
// parameters and body fields (in complete or cut-off JSON) are found, and scrubbed
// wherever an answer echoes them; short values and non-secret ones are left alone.
func TestRequestSecretsScrubEchoes(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Default()
	if err != nil {
		t.Fatal(err)
	}
	red := doc.Redactor()
	h := http.Header{"X-Auth-Token": {"tok-AAAA"}, "Authorization": {"Bearer bearer-BBBB"}, "X-Repo-Auth": {"repo-auth-visible"}}
	q := url.Values{"api_key": {"key-CCCC"}, "page": {"page-2222"}}
	for _, body := range []string{
		`{"secret":"sec-DDDD","url":"https://x.example","nested":{"password":"pw-EEEE"},"short":{"token":"ab"}}`,
		`{"secret":"sec-DDDD","url":"https://x.example","nested":{"password":"pw-EEEE"`, // cut off
	} {
		s := red.RequestSecrets(h, q, []byte(body))
		echo := "tok-AAAA bearer-BBBB key-CCCC sec-DDDD pw-EEEE ab repo-auth-visible page-2222"
		got := s.Scrub(echo)
		for _, secret := range []string{"tok-AAAA", "bearer-BBBB", "key-CCCC", "sec-DDDD", "pw-EEEE"} {
			if strings.Contains(got, secret) {
				t.Errorf("%s survives in %q", secret, got)
			}
		}
		for _, kept := range []string{" ab ", "repo-auth-visible", "page-2222"} {
			if !strings.Contains(got, kept) {
				t.Errorf("%q was scrubbed: %q", kept, got)
			}
		}
		hdr := s.ScrubHeader(http.Header{"X-Echo": {"got tok-AAAA"}})
		if hdr.Get("X-Echo") != "got "+openapi.Redacted {
			t.Errorf("header echo: %v", hdr)
		}
		ps := s.ScrubProblems(openapi.Problems{{Message: "template saw sec-DDDD", Name: "pw-EEEE"}})
		if strings.Contains(ps.Error(), "sec-DDDD") || ps[0].Name != openapi.Redacted {
			t.Errorf("problems: %+v", ps)
		}
	}
	// An AK/SK signature: the whole header and the signature alone are scrubbed, the
	// access key is not.
	const sig = "7be1b5c0a7e2fd4be2e5e9f4f4b1c62d7d1f0f7ac3e4a6d5b2c1e0f9a8b7c6d5"
	auth := "SDK-HMAC-SHA256 Access=HPUAEXAMPLEAK, SignedHeaders=content-type;host;x-sdk-date, Signature=" + sig
	s := red.RequestSecrets(http.Header{"Authorization": {auth}}, nil, nil)
	if got := s.Scrub("got " + auth); got != "got "+openapi.Redacted {
		t.Errorf("the whole AK/SK header: %q", got)
	}
	if got := s.Scrub(`{"error_msg":"signature ` + sig + ` does not match","access":"HPUAEXAMPLEAK"}`); strings.Contains(got, sig) || !strings.Contains(got, "HPUAEXAMPLEAK") {
		t.Errorf("the AK/SK signature alone: %q", got)
	}
	if !(openapi.Secrets{}).Empty() || (openapi.Secrets{}).With("abc").Scrub("abc") != "abc" {
		t.Error("an empty set or a short value scrubs")
	}
	if got := openapi.Clip("héllo wörld", 2); got != "h"+openapi.TruncatedMark {
		t.Errorf("Clip cuts inside a rune: %q", got)
	}
}
