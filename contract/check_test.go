package contract_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hookkit/hookkit/contract"
	"github.com/hookkit/hookkit/openapi"
)

const testToken = "tok-5f1d9c2e-DISTINCTIVE"

func hookDoc(t testing.TB) *openapi.Document {
	t.Helper()
	doc, err := openapi.Default()
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func runCheck(t *testing.T, doc *openapi.Document, h http.Handler, mod func(*contract.Options)) *contract.Report {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	opts := contract.Options{BaseURL: srv.URL, Token: testToken,
		Set: map[string]string{"project_id": "p1", "X-Repo-Auth": "my-auth"}}
	if mod != nil {
		mod(&opts)
	}
	rep, err := contract.Check(context.Background(), doc, opts)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// failed lists "caseID check" for every failure of the report, sorted.
func failed(rep *contract.Report) []string {
	var out []string
	for _, res := range rep.Results {
		for _, f := range res.Failures {
			out = append(out, res.Case.ID+" "+string(f.Check))
		}
	}
	sort.Strings(out)
	return slices.Compact(out)
}

func TestCheckFindsEachBrokenRule(t *testing.T) {
	t.Parallel()
	doc := hookDoc(t)
	const pos1, pos2 = "createProjectHook/positive/ci-trigger", "createProjectHook/positive/github-webhook"
	body := func(b string) func(*http.Request, *hookAnswer) {
		return func(_ *http.Request, a *hookAnswer) { a.body = b }
	}
	tests := []struct {
		name   string
		server hookServer
		opts   func(*contract.Options)
		want   []string
	}{
		{name: "compliant", server: hookServer{}},
		{name: "compliant with extra properties, charset and other ids", server: hookServer{
			ok: func(_ *http.Request, a *hookAnswer) {
				a.contentType = "application/json; charset=utf-8"
				a.body = `{"id":"9","type":"gitlab","callback_url":"https://x.example/","created_at":"2026-01-01"}`
			},
			reject: func(_ *http.Request, _ string, a *hookAnswer) {
				a.contentType = "Application/JSON;charset=UTF-8"
				a.body = `{"error_code":"SVCSTG.REPO.0499","error_msg":"no","request_id":"r-1"}`
			},
		}},
		{name: "wrong type", server: hookServer{ok: body(`{"id":1573,"type":"github","callback_url":"https://example.com/webhook"}`)},
			want: []string{pos1 + " body-schema", pos2 + " body-schema"}},
		{name: "missing required field", server: hookServer{ok: body(`{"id":"1573","type":"github"}`)},
			want: []string{pos1 + " body-schema", pos2 + " body-schema"}},
		{name: "undeclared status", server: hookServer{ok: func(_ *http.Request, a *hookAnswer) { a.status = 201 }},
			want: []string{pos1 + " status-declared", pos2 + " status-declared"}},
		{name: "wrong content type", server: hookServer{ok: func(_ *http.Request, a *hookAnswer) { a.contentType = "text/plain" }},
			want: []string{pos1 + " content-type", pos2 + " content-type"}},
		{name: "truncated JSON", server: hookServer{ok: body(`{"id":"1573","type":"git`)},
			want: []string{pos1 + " body-schema", pos2 + " body-schema"}},
		{name: "accepts a request missing a required header", server: hookServer{accept: map[string]bool{"missing-repo-auth": true}},
			want: []string{"createProjectHook/negative/missing-header-x-repo-auth negative-rejected"}},
		{name: "accepts a request missing the credential", server: hookServer{accept: map[string]bool{"missing-token": true}},
			want: []string{"createProjectHook/negative/missing-credential negative-rejected"}},
		{name: "accepts a body missing a required field", server: hookServer{accept: map[string]bool{"missing-url": true}},
			want: []string{"createProjectHook/negative/missing-field-url negative-rejected"}},
		{name: "500 on bad input", server: hookServer{reject: func(_ *http.Request, reason string, a *hookAnswer) {
			if reason == "malformed-json" {
				a.status, a.body = 500, `{"error_code":"SVCSTG.REPO.0500","error_msg":"panic"}`
			}
		}}, want: []string{
			"createProjectHook/negative/malformed-json negative-rejected",
			"createProjectHook/negative/malformed-json no-server-error",
			"createProjectHook/negative/malformed-json status-declared",
		}},
		{name: "error body breaks its schema", server: hookServer{reject: func(_ *http.Request, reason string, a *hookAnswer) {
			if reason == "missing-secret" {
				a.body = `{"code":"E1"}`
			}
		}}, want: []string{"createProjectHook/negative/missing-field-secret body-schema"}},
		{name: "valid request refused", server: hookServer{ok: func(r *http.Request, a *hookAnswer) {
			a.status, a.body = 400, `{"error_code":"SVCSTG.REPO.0403","error_msg":"repository authorization not found"}`
		}}, want: []string{pos1 + " positive-accepted", pos2 + " positive-accepted"}},
		{name: "slow response", server: hookServer{ok: func(_ *http.Request, a *hookAnswer) {
			time.Sleep(200 * time.Millisecond) // the delay is the feature under test
		}}, opts: func(o *contract.Options) {
			// Only the delayed cases: on a loaded machine a fast answer may still be slow.
			o.MaxResponseTime, o.Include = 100*time.Millisecond, []string{"positive"}
		},
			want: []string{pos1 + " response-time", pos2 + " response-time"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rep := runCheck(t, doc, tt.server, tt.opts)
			if got := failed(rep); !slices.Equal(got, tt.want) {
				var b strings.Builder
				_ = rep.WriteText(&b, false)
				t.Errorf("failures:\n got %q\nwant %q\n%s", got, tt.want, b.String())
			}
			wantCode := 0
			if len(tt.want) > 0 {
				wantCode = 1
			}
			if rep.ExitCode() != wantCode {
				t.Errorf("exit code %d, want %d", rep.ExitCode(), wantCode)
			}
		})
	}
}

// TestCheckBadSetValue reports a positive case built from a --set value the document
// rejects as request-valid, not as the server's fault.
func TestCheckBadSetValue(t *testing.T) {
	t.Parallel()
	rep := runCheck(t, hookDoc(t), hookServer{reject: nil, ok: func(r *http.Request, a *hookAnswer) {
		if strings.Contains(r.URL.EscapedPath(), "%2F") {
			a.status, a.body = 400, `{"error_code":"SVCSTG.REPO.0403","error_msg":"bad project"}`
		}
	}}, func(o *contract.Options) { o.Set["project"] = "group/app"; o.Include = []string{"positive"} })
	want := []string{
		"createProjectHook/positive/ci-trigger request-valid",
		"createProjectHook/positive/github-webhook request-valid",
	}
	if got := failed(rep); !slices.Equal(got, want) {
		t.Errorf("failures\n got %q\nwant %q", got, want)
	}
}
