package mockserver_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hookkit/hookkit/mockserver"
	"github.com/hookkit/hookkit/mockserver/mocktest"
	"github.com/hookkit/hookkit/openapi"
)

// FuzzHookRequest throws arbitrary methods, paths, content types, Prefer headers and
// bodies at the hook API. Whatever arrives, the mock answers a status the operation
// declares (or 404/405), with a body valid against the document, and never echoes the
// token. The seeds are the bad inputs of the issue; `go test` runs them every time.
func FuzzHookRequest(f *testing.F) {
	seeds := []struct{ method, path, ctype, prefer, body string }{
		{"POST", hookPath, "application/json", "", validBody},
		{"POST", hookPath, "application/json;charset=utf8", "code=400", validBody},
		{"POST", hookPath, "text/plain", "", validBody},
		{"POST", hookPath, "application/json", "", `{"secret":`},
		{"POST", hookPath, "application/json", "", "{\"secret\":\"\xff\"}"},
		{"POST", hookPath, "application/json", "", strings.Repeat("[", 10000)},
		{"POST", hookPath, "application/json", "example=nope, code=9", `{"secret":1,"url":[]}`},
		{"GET", hookPath, "", "", ""},
		{"POST", "/v1/p/git/repos/a%2Fb/c%3Ad/hooks", "application/json", "dynamic=true", validBody},
		{"POST", "/v1//git/repos///hooks", "application/json", "", validBody},
		{"DELETE", "/nothing/%zz", "", "", ""},
	}
	for _, s := range seeds {
		f.Add(s.method, s.path, s.ctype, s.prefer, []byte(s.body))
	}
	doc, err := openapi.Default()
	if err != nil {
		f.Fatal(err)
	}
	srv, err := mockserver.New(doc, mocktest.HookAPIOptions(mockserver.Options{MaxBodyBytes: 64 << 10}))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, method, path, ctype, prefer string, body []byte) {
		if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, " \t\r\n?#") || !validMethod(method) {
			return
		}
		req, err := http.NewRequest(method, "http://mock"+path, bytes.NewReader(body))
		if err != nil {
			return
		}
		req.Header.Set("X-Auth-Token", token)
		req.Header.Set("X-Repo-Auth", "a")
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		if prefer != "" {
			req.Header.Set("Prefer", prefer)
		}
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		res := w.Result()
		got := w.Body.Bytes()
		if bytes.Contains(got, []byte(token)) {
			t.Fatalf("answer echoes the token: %s", got)
		}
		switch res.StatusCode {
		case http.StatusNotFound, http.StatusMethodNotAllowed:
			return
		case http.StatusOK, http.StatusBadRequest:
		default:
			t.Fatalf("undeclared status %d: %s", res.StatusCode, got)
		}
		match, err := doc.Find(method, req.URL.EscapedPath())
		if err != nil {
			t.Fatalf("status %d for a request that does not route: %v", res.StatusCode, err)
		}
		if ps := doc.ValidateResponse(context.Background(), req, match, res.StatusCode, res.Header, got); len(ps) > 0 {
			t.Fatalf("answer %d breaks the document: %v\n%s", res.StatusCode, ps, got)
		}
	})
}

func validMethod(m string) bool {
	if m == "" {
		return false
	}
	for _, c := range m {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}
