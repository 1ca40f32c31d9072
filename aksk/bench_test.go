package aksk_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hookkit/hookkit/aksk"
)

const benchBody = `{"secret":"**********","url":"https://example.com/webhook"}`

func benchRequest() *http.Request {
	r, _ := http.NewRequest("POST", "http://127.0.0.1:4010/v1/p1/git/repos/team/group:app/hooks", strings.NewReader(benchBody))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("X-Repo-Auth", "my-github-auth")
	return r
}

// BenchmarkSign and BenchmarkVerify measure what signing costs the checker and
// verifying costs the mock per request.
func BenchmarkSign(b *testing.B) {
	at := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := aksk.Sign(benchRequest(), []byte(benchBody), "AK", "SK", at); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	at := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	r := benchRequest()
	if _, err := aksk.Sign(r, []byte(benchBody), "AK", "SK", at); err != nil {
		b.Fatal(err)
	}
	v := &aksk.Verifier{SecretKey: func(string) (string, bool) { return "SK", true }, Now: func() time.Time { return at }}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(r, []byte(benchBody)); err != nil {
			b.Fatal(err)
		}
	}
}
