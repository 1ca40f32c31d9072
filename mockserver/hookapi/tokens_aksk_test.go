package hookapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/hookkit/hookkit/aksk"
)

const listedToken = "tok-listed-4b1d9e"

// TestTokensAndAKSKTogether configures both credential checks, auth.tokens and AK/SK keys:
// a request signed with AK/SK and no token still gets through (the token list does not
// judge signatures), a listed token gets through, and a wrong token or a wrong signature
// is the hook API's credential error.
func TestTokensAndAKSKTogether(t *testing.T) {
	t.Setenv("HOOKAPI_TEST_TOKEN", listedToken)
	m := startSigned(t, keysYAML+"  tokens:\n    - env: HOOKAPI_TEST_TOKEN\n")
	tests := []struct {
		name     string
		prepare  func(req *http.Request)
		want     int
		wantCode string
	}{
		{"signed, no token", func(req *http.Request) {
			if _, err := aksk.Sign(req, []byte(hookBody), testAK, testSK, now); err != nil {
				t.Fatal(err)
			}
		}, http.StatusOK, ""},
		{"listed token", func(req *http.Request) { req.Header.Set("X-Auth-Token", listedToken) }, http.StatusOK, ""},
		{"wrong token", func(req *http.Request) { req.Header.Set("X-Auth-Token", "tok-wrong-1234") }, http.StatusBadRequest, "SVCSTG.REPO.0401"},
		{"wrong secret key", func(req *http.Request) {
			if _, err := aksk.Sign(req, []byte(hookBody), testAK, "another-secret-key", now); err != nil {
				t.Fatal(err)
			}
		}, http.StatusBadRequest, "SVCSTG.REPO.0401"},
		{"no credential", func(*http.Request) {}, http.StatusBadRequest, "SVCSTG.REPO.0401"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := hookRequest(t, m.URL, "app-"+strings.ReplaceAll(tt.name, " ", "-"), hookBody)
			tt.prepare(req)
			a := send(t, req, hookBody)
			if a.status != tt.want || a.code != tt.wantCode {
				t.Fatalf("%d %s, want %d %s", a.status, a.raw, tt.want, tt.wantCode)
			}
		})
	}
}
