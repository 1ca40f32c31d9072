package config

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
)

// hookInput is a request to the hook operation as the mock server describes it to rules.
func hookInput(mod func(*Input)) *Input {
	in := &Input{
		OperationID: "createProjectHook",
		Method:      "POST",
		Path:        "/v1/{project_id}/git/repos/{namespace}/{project}/hooks",
		RawPath:     "/v1/p1/git/repos/dev%20team/app-web/hooks",
		PathParams:  map[string]string{"project_id": "p1", "namespace": "dev team", "project": "app-web"},
		Query:       url.Values{"page": {"1", "2"}},
		Header:      http.Header{"X-Repo-Auth": {"my-gitlab-auth"}, "X-Auth-Token": {"tok"}},
		Body:        decodeJSON(`{"secret":"s","url":"https://ci.example/hook","opts":{"events":["push","tag"],"retries":3,"active":true,"note":null}}`),
	}
	if mod != nil {
		mod(in)
	}
	return in
}

func decodeJSON(s string) any {
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		panic(err)
	}
	return v
}

func TestMatchers(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		match string // YAML of the match block
		in    *Input
		want  bool
	}{
		{"empty match takes all", `{}`, hookInput(nil), true},
		{"operation", `{operation: createProjectHook}`, hookInput(nil), true},
		{"other operation", `{operation: listHooks}`, hookInput(nil), false},
		{"method any case", `{method: post}`, hookInput(nil), true},
		{"other method", `{method: GET}`, hookInput(nil), false},
		{"path template", `{path: "/v1/{project_id}/git/repos/{namespace}/{project}/hooks"}`, hookInput(nil), true},
		{"concrete escaped path", `{path: "/v1/p1/git/repos/dev%20team/app-web/hooks"}`, hookInput(nil), true},
		{"concrete unescaped path", `{path: "/v1/p1/git/repos/dev team/app-web/hooks"}`, hookInput(nil), true},
		{"other concrete path", `{path: "/v1/p2/git/repos/dev%20team/app-web/hooks"}`, hookInput(nil), false},
		{"path param exact", `{pathParams: {project: app-web}}`, hookInput(nil), true},
		{"path param exact miss", `{pathParams: {project: app}}`, hookInput(nil), false},
		{"path param regex unanchored", `{pathParams: {project: {regex: "web"}}}`, hookInput(nil), true},
		{"path param regex anchored miss", `{pathParams: {project: {regex: "^web"}}}`, hookInput(nil), false},
		{"path param unescaped", `{pathParams: {namespace: "dev team"}}`, hookInput(nil), true},
		{"query any value", `{query: {page: "2"}}`, hookInput(nil), true},
		{"query no value", `{query: {page: "3"}}`, hookInput(nil), false},
		{"query present", `{query: {page: {present: true}}}`, hookInput(nil), true},
		{"query absent", `{query: {dry: {present: false}}}`, hookInput(nil), true},
		{"query absent miss", `{query: {page: {present: false}}}`, hookInput(nil), false},
		{"query missing fails exact", `{query: {dry: "1"}}`, hookInput(nil), false},
		{"header name any case", `{headers: {x-repo-auth: my-gitlab-auth}}`, hookInput(nil), true},
		{"header regex", `{headers: {X-Repo-Auth: {regex: "^my-(gitlab|gitee)-"}}}`, hookInput(nil), true},
		{"header regex miss", `{headers: {X-Repo-Auth: {regex: "github"}}}`, hookInput(nil), false},
		{"header missing", `{headers: {X-Trace: {present: true}}}`, hookInput(nil), false},
		{"header empty value is present", `{headers: {X-Trace: {present: true}}}`, hookInput(func(in *Input) { in.Header.Set("X-Trace", "") }), true},
		{"body pointer", `{body: {/url: "https://ci.example/hook"}}`, hookInput(nil), true},
		{"body dotted", `{body: {url: "https://ci.example/hook"}}`, hookInput(nil), true},
		{"body nested dotted", `{body: {opts.events.1: tag}}`, hookInput(nil), true},
		{"body nested pointer", `{body: {/opts/events/0: push}}`, hookInput(nil), true},
		{"body index out of range", `{body: {/opts/events/5: {present: true}}}`, hookInput(nil), false},
		{"body number as text", `{body: {opts.retries: 3}}`, hookInput(nil), true},
		{"body number quoted", `{body: {opts.retries: "3"}}`, hookInput(nil), true},
		{"body bool", `{body: {opts.active: true}}`, hookInput(nil), true},
		{"body null is present", `{body: {opts.note: {present: true, equals: "null"}}}`, hookInput(nil), true},
		{"body object as JSON", `{body: {opts.events: '["push","tag"]'}}`, hookInput(nil), true},
		{"body regex", `{body: {url: {regex: "^https://ci\\."}}}`, hookInput(nil), true},
		{"body equals and regex both hold", `{body: {url: {equals: "https://ci.example/hook", regex: "^http"}}}`, hookInput(nil), true},
		{"body equals holds, regex not", `{body: {url: {equals: "https://ci.example/hook", regex: "^ftp"}}}`, hookInput(nil), false},
		{"body field absent", `{body: {missing: {present: false}}}`, hookInput(nil), true},
		{"no body", `{body: {url: {present: true}}}`, hookInput(func(in *Input) { in.Body = nil }), false},
		{"pointer escape", `{body: {"/a~1b": x}}`, hookInput(func(in *Input) { in.Body = decodeJSON(`{"a/b":"x"}`) }), true},
		{"all criteria", `{operation: createProjectHook, method: POST, pathParams: {project_id: p1}, headers: {X-Repo-Auth: my-gitlab-auth}, body: {url: {regex: ci}}}`, hookInput(nil), true},
		{"one criterion fails", `{operation: createProjectHook, method: POST, pathParams: {project_id: p2}}`, hookInput(nil), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := Parse([]byte("rules:\n  - match: "+tc.match+"\n    respond: {status: 200}\n"), "match.yaml")
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := compile(t, c).Match(tc.in) != nil; got != tc.want {
				t.Errorf("Match = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestMatchFirstRuleWins(t *testing.T) {
	t.Parallel()
	c, err := Parse([]byte(`rules:
  - name: gitlab
    match: {headers: {X-Repo-Auth: {regex: gitlab}}}
    respond: {status: 200}
  - name: any-hook
    match: {operation: createProjectHook}
    respond: {status: 400, body: {error_code: SVCSTG.REPO.0400, error_msg: no}}
  - name: catch-all
    respond: {status: 200}
`), "order.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rs := compile(t, c)
	for _, tc := range []struct {
		in   *Input
		want string
	}{
		{hookInput(nil), "gitlab"},
		{hookInput(func(in *Input) { in.Header.Set("X-Repo-Auth", "gh") }), "any-hook"},
		{&Input{Method: "GET", RawPath: "/other"}, "catch-all"},
	} {
		if r := rs.Match(tc.in); r == nil || r.Name != tc.want {
			t.Errorf("Match(%s %s) = %v, want %s", tc.in.Method, tc.in.Header.Get("X-Repo-Auth"), r, tc.want)
		}
	}
	if r := compile(t, Default()).Match(hookInput(nil)); r != nil {
		t.Errorf("default config matched %s", r.Name)
	}
}
