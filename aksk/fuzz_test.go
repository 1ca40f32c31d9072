package aksk_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hookkit/hookkit/aksk"
)

const fuzzSK = "fuzz-SECRET-key-81"

// FuzzVerify feeds arbitrary Authorization and X-Sdk-Date headers to the verifier: it
// must never panic, and its messages must never contain the signature it expected.
func FuzzVerify(f *testing.F) {
	at := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	r := benchRequest()
	signed, err := aksk.Sign(r, []byte(benchBody), "AK", fuzzSK, at)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(r.Header.Get("Authorization"), signed.Date)
	f.Add("SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature="+strings.Repeat("0", 64), "20261130T000000Z")
	f.Add("SDK-HMAC-SHA256 Access=, SignedHeaders=;;, Signature=zz", "2026")
	f.Add("SDK-HMAC-SHA256 ,,,", "")
	f.Add("Bearer x", "20261130T000000Z")
	want := signed.Authorization.Signature
	v := &aksk.Verifier{SecretKey: func(string) (string, bool) { return fuzzSK, true }, Now: func() time.Time { return at }}
	f.Fuzz(func(t *testing.T, authorization, date string) {
		req := benchRequest()
		req.Header.Set("Authorization", authorization)
		req.Header.Set(aksk.DateHeader, date)
		_, err := v.Verify(req, []byte(benchBody))
		if err != nil && strings.Contains(err.Error(), want) {
			t.Fatalf("message reveals the expected signature: %v", err)
		}
		if err != nil && strings.Contains(err.Error(), fuzzSK) && !strings.Contains(authorization+date, fuzzSK) {
			t.Fatalf("message may reveal the secret key: %v", err)
		}
	})
}
