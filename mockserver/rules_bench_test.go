package mockserver_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hookkit/hookkit/mockserver"
	"github.com/hookkit/hookkit/openapi"
)

// BenchmarkRuleAnswer measures a request a config rule answers, through the whole mock
// (routing, validation, the state snapshot's rules, journal) into a recorder: the third
// of three rules matches on a header and a body regex and renders a templated body
// numbered by seq.
func BenchmarkRuleAnswer(b *testing.B) {
	doc, err := openapi.Default()
	if err != nil {
		b.Fatal(err)
	}
	srv, err := mockserver.New(doc, mockserver.Options{Config: mustConfig(b, `
rules:
  - match: {operation: createProjectHook, query: {dry: "yes"}}
    respond: {status: 200, body: {id: dry, type: github, callback_url: "https://x.example"}}
  - match: {headers: {X-Repo-Auth: {regex: "^github-"}}}
    respond: {status: 200, body: {id: gh, type: github, callback_url: "https://x.example"}}
  - match:
      operation: createProjectHook
      headers: {X-Repo-Auth: {regex: "^my-"}}
      body: {url: {regex: "^https://"}}
    respond:
      status: 200
      body: {id: "{{ seq }}", type: gitlab, callback_url: "{{ .Body.url }}"}
`)})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, hookPath, strings.NewReader(validBody))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Auth-Token", "token")
		req.Header.Set("X-Repo-Auth", "my-gitlab-auth")
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("%d %s", w.Code, w.Body)
		}
	}
}
