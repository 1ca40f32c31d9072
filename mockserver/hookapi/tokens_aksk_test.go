package hookapi_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/hookkit/hookkit/aksk"
	"github.com/hookkit/hookkit/mockserver/journal"
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

// TestConfiguredCredentialsScrubbed has a rule echo a non-secret header into its answer:
// the configured token and the AK/SK secret key sent there are scrubbed from the journal,
// although redaction by name does not cover that header or the answer's body.
func TestConfiguredCredentialsScrubbed(t *testing.T) {
	t.Setenv("HOOKAPI_TEST_TOKEN", listedToken)
	m := startSigned(t, keysYAML+"  tokens:\n    - env: HOOKAPI_TEST_TOKEN\n"+`
rules:
  - name: echo-note
    match: {operation: createProjectHook}
    respond:
      status: 200
      headers: {X-Echo: '{{ .Header.Get "X-Note" }}'}
      body: {id: '{{ .Header.Get "X-Note" }}', type: t, callback_url: 'https://x.example'}
`)
	for _, note := range []string{listedToken, testSK} {
		req := hookRequest(t, m.URL, "app", hookBody)
		req.Header.Set("X-Auth-Token", listedToken)
		req.Header.Set("X-Note", "note "+note)
		if a := send(t, req, hookBody); a.status != http.StatusOK {
			t.Fatalf("%d %s", a.status, a.raw)
		}
	}
	entries := m.Server.Journal().List(journal.Filter{})
	if len(entries) != 2 {
		t.Fatalf("%d journal entries", len(entries))
	}
	shown, _ := json.Marshal(entries)
	for _, secret := range []string{listedToken, testSK} {
		if strings.Contains(string(shown), secret) {
			t.Errorf("the journal shows %q: %s", secret, shown)
		}
	}
	if !strings.Contains(string(shown), "note [REDACTED]") {
		t.Errorf("the echoed note is not scrubbed but dropped or kept: %s", shown)
	}
}
