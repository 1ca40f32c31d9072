package mockserver_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hookkit/hookkit/mockserver"
	"github.com/hookkit/hookkit/mockserver/journal"
	"github.com/hookkit/hookkit/mockserver/mocktest"
	"github.com/hookkit/hookkit/openapi"
)

// FuzzAdminConfig sends arbitrary bodies to PUT /__admin/config. Whatever arrives, the
// answer is 200 (the config applied) or 400 (refused, the old config kept), never a crash;
// the journal stays within its ceiling, and the mock keeps answering hook requests. `make
// test` runs it briefly (make fuzz-smoke); the seeds run with every `go test`.
func FuzzAdminConfig(f *testing.F) {
	for _, seed := range []string{
		"seed: 3\n",
		"journal:\n  size: 10000000000\n",
		"journal: {size: 5, maxBytes: 70000}\nhooks: {maxStored: 1}\n",
		"limits: {templateOutput: 1, templateTime: 1ns}\n",
		"rules:\n  - respond: {status: '{{ .Header.Get \"X\" }}'}\n",
		"rules:\n  - respond: {bodyText: '{{range 1000}}{{printf \"%01000000d\" 1}}{{end}}'}\n",
		"rules:\n  - respond: {bodyText: '{{range unix}}{{end}}'}\n",
		"admin: {origins: ['*'], tokenEnv: NOPE_NOT_SET}\n",
		"admin: {tokenEnv: PATH}\n",
		"admin: {enabled: false}\n",
		"a: &a [*a, *a, *a, *a]\n",
		"- 1\n- 2\n",
		"",
		"\x00\xff",
	} {
		f.Add([]byte(seed))
	}
	doc, err := openapi.Default()
	if err != nil {
		f.Fatal(err)
	}
	fresh := func() *mockserver.Server {
		srv, err := mockserver.New(doc, mocktest.HookAPIOptions(mockserver.Options{}))
		if err != nil {
			f.Fatal(err)
		}
		return srv
	}
	srv := fresh()
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest(http.MethodPut, "http://127.0.0.1/__admin/config", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/yaml")
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		if w.Code != http.StatusOK && w.Code != http.StatusBadRequest {
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
		if c := srv.Journal().Cap(); c > journal.MaxSize {
			t.Fatalf("journal of %d entries", c)
		}
		hook := httptest.NewRequest(http.MethodPost, "http://127.0.0.1"+hookPath, strings.NewReader(validBody))
		hook.Header.Set("Content-Type", "application/json")
		hook.Header.Set("X-Auth-Token", token)
		hook.Header.Set("X-Repo-Auth", "a")
		hw := httptest.NewRecorder()
		srv.ServeHTTP(hw, hook)
		if hw.Code == 0 || hw.Body.Len() > 2<<20 {
			t.Fatalf("the mock stopped answering sanely: %d, %d bytes", hw.Code, hw.Body.Len())
		}
		// Back to the defaults for the next input; a config that turned the admin API off
		// or set a token (say tokenEnv: PATH) locks PUT out, by design: start afresh.
		if c := srv.Config(); !c.AdminEnabled() || c.AdminToken() != "" {
			srv = fresh()
			return
		}
		reset := httptest.NewRequest(http.MethodPut, "http://127.0.0.1/__admin/config", strings.NewReader("{}"))
		reset.Header.Set("Content-Type", "application/yaml")
		srv.ServeHTTP(httptest.NewRecorder(), reset)
	})
}

// FuzzRequestParams decodes arbitrary path, query and header values through the mock
// (media.yaml's listFiles: a patterned query parameter and a bounded header; crud.yaml's
// integer path and query parameters). Whatever arrives, the answer is a status the
// operation declares (or 404/405) and valid against the document, the journal lists it,
// and the log line stays bounded.
func FuzzRequestParams(f *testing.F) {
	for _, s := range []struct{ path, query, header string }{
		{"/files", "prefix=abc", "t-1"},
		{"/files", "prefix=" + strings.Repeat("a", 40), strings.Repeat("x", 65)},
		{"/files", "prefix=%zz&prefix=", "\xff"},
		{"/todos/12", "limit=3&offset=-1", ""},
		{"/todos/3f2b8c1e-6d4a-4f7e-9a1b-2c3d4e5f6a7b", "", ""},
		{"/todos/abc", "limit=1e99", "é"},
		{"/todos/%2F..%2F", "tag=a&tag=b&status=nope", ""},
		{"/todos/" + strings.Repeat("9", 400), "limit=" + strings.Repeat("9", 400), ""},
	} {
		f.Add(s.path, s.query, s.header)
	}
	docs := map[string]*openapi.Document{}
	servers := map[string]*mockserver.Server{}
	logs := map[string]*logBuffer{}
	for _, name := range []string{"media.yaml", "crud.yaml"} {
		doc, err := openapi.Load("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		lb := &logBuffer{}
		srv, err := mockserver.New(doc, mocktest.HookAPIOptions(mockserver.Options{Logger: textLogger(lb)}))
		if err != nil {
			f.Fatal(err)
		}
		docs[name], servers[name], logs[name] = doc, srv, lb
	}
	f.Fuzz(func(t *testing.T, path, query, header string) {
		if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, " \t\r\n?#\x00") || strings.ContainsAny(query, " \t\r\n#\x00") {
			return
		}
		name := "crud.yaml"
		if strings.HasPrefix(path, "/files") {
			name = "media.yaml"
		}
		doc, srv := docs[name], servers[name]
		req, err := http.NewRequest(http.MethodGet, "http://127.0.0.1"+path+"?"+query, nil)
		if err != nil {
			return
		}
		req.Header.Set("X-Trace", header)
		req.Header.Set("X-API-Key", "k-12345")
		req.Header.Set("Authorization", "Bearer k-12345")
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		res := w.Result()
		switch res.StatusCode {
		case http.StatusNotFound, http.StatusMethodNotAllowed:
		default:
			match, err := doc.Find(req.Method, req.URL.EscapedPath())
			if err != nil {
				t.Fatalf("status %d for a request that does not route: %v", res.StatusCode, err)
			}
			if openapi.ResponseFor(match.Operation.Operation, res.StatusCode) == nil {
				// An operation without an error response gets RFC 9457's problem+json.
				if res.StatusCode != http.StatusBadRequest || res.Header.Get("Content-Type") != "application/problem+json" {
					t.Fatalf("undeclared status %d: %s", res.StatusCode, w.Body)
				}
				break
			}
			if ps := doc.ValidateResponse(context.Background(), req, match, res.StatusCode, res.Header, w.Body.Bytes()); len(ps) > 0 {
				t.Fatalf("answer %d breaks the document: %v\n%s", res.StatusCode, ps, w.Body)
			}
		}
		if list := srv.Journal().List(journal.Filter{Limit: 1}); len(list) != 1 {
			t.Fatal("not journaled")
		}
		lb := logs[name]
		if line := lb.String(); len(line) > 16<<10 {
			t.Fatalf("a log line of %d bytes", len(line))
		}
		lb.Reset()
	})
}
