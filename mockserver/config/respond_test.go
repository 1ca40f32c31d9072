package config

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestTemplates(t *testing.T) {
	t.Parallel()
	srv, _, results := serve(t, `rules:
  - name: echo
    match: {operation: createProjectHook}
    respond:
      status: 200
      headers:
        X-Request-Id: "{{ uuid }}"
        X-Seq: "{{ seq }}"
        X-Repo: '{{ .Header.Get "X-Repo-Auth" | upper }}'
      body:
        id: 'hook-{{ seq }}-{{ index .PathParams "project" }}'
        type: '{{ default "github" .Body.type }}'
        callback_url: "{{ .Body.url }}"
        created: "{{ now }}"
        page: '{{ .Query.Get "page" }}'
        missing: "[{{ .Body.nothing }}]"
        operation: "{{ .OperationID }} {{ .Method }} {{ .Path }}"
        fixed: [1, 2.5, true, null, {nested: ok}]
`)
	uuidRe := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	var ids []string
	for i := 1; i <= 2; i++ {
		resp, body, err := post(t, nil, srv.URL, hookBody)
		if err != nil {
			t.Fatal(err)
		}
		s := next(t, results)
		if s.err != nil || s.out.Status != 200 || s.rule != "echo" {
			t.Fatalf("served %+v", s)
		}
		if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("Content-Type %q", ct)
		}
		if !uuidRe.MatchString(resp.Header.Get("X-Request-Id")) {
			t.Errorf("X-Request-Id %q is not a v4 UUID", resp.Header.Get("X-Request-Id"))
		}
		ids = append(ids, resp.Header.Get("X-Request-Id"))
		if resp.Header.Get("X-Repo") != "MY-GITLAB-AUTH" {
			t.Errorf("X-Repo %q", resp.Header.Get("X-Repo"))
		}
		m := jsonObject(t, body)
		want := map[string]any{
			"id":           "hook-" + string(rune('0'+i)) + "-app-web",
			"type":         "github",
			"callback_url": "https://ci.example/hook?x=1",
			"page":         "3",
			"missing":      "[]",
			"operation":    "createProjectHook POST /v1/{project_id}/git/repos/{namespace}/{project}/hooks",
		}
		for k, v := range want {
			if m[k] != v {
				t.Errorf("call %d: %s = %#v, want %#v", i, k, m[k], v)
			}
		}
		if _, err := time.Parse(time.RFC3339, m["created"].(string)); err != nil {
			t.Errorf("created: %v", err)
		}
		if got, _ := json.Marshal(m["fixed"]); string(got) != `[1,2.5,true,null,{"nested":"ok"}]` {
			t.Errorf("fixed = %s", got)
		}
		if !strings.HasPrefix(string(body), `{"id":`) {
			t.Errorf("keys not in file order: %s", body)
		}
	}
	if ids[0] == ids[1] {
		t.Errorf("uuid repeated: %s", ids[0])
	}
}

func TestStatusTemplateAndBodyText(t *testing.T) {
	t.Parallel()
	srv, _, results := serve(t, `rules:
  - match: {operation: createProjectHook}
    respond:
      status: '{{ if eq .Body.url "not a url" }}400{{ else }}200{{ end }}'
      bodyText: 'url={{ .Body.url }} body={{ json .Body.url }}'
      contentType: text/plain; charset=utf-8
`)
	for _, tc := range []struct {
		url    string
		status int
		body   string
	}{
		{"https://x.example", 200, `url=https://x.example body="https://x.example"`},
		{"not a url", 400, `url=not a url body="not a url"`},
	} {
		resp, body, err := post(t, nil, srv.URL, `{"secret":"s","url":"`+tc.url+`"}`)
		if err != nil {
			t.Fatal(err)
		}
		next(t, results)
		if resp.StatusCode != tc.status || string(body) != tc.body || resp.Header.Get("Content-Type") != "text/plain; charset=utf-8" {
			t.Errorf("%s: %d %q %q", tc.url, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
	}
}

func TestTemplateErrorWritesNothing(t *testing.T) {
	t.Parallel()
	srv, _, results := serve(t, `rules:
  - match: {operation: createProjectHook}
    respond:
      status: '{{ .Body.secret }}'
`)
	// The handler returns without writing: net/http then answers 200 with no body, but the
	// rule's error says why.
	if _, _, err := post(t, nil, srv.URL, hookBody); err != nil {
		t.Fatal(err)
	}
	s := next(t, results)
	if s.err == nil || !strings.Contains(s.err.Error(), "did not render an HTTP status") || s.out.Status != 0 {
		t.Errorf("served %+v", s)
	}
	if strings.Contains(s.err.Error(), "s3cr3t") {
		t.Errorf("error leaks the secret: %v", s.err)
	}
}

func TestSequences(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		repeat string
		want   []int
		steps  []int
	}{
		{"repeat last by default", "", []int{200, 400, 503, 503, 503}, []int{1, 2, 3, 3, 3}},
		{"cycle", "repeat: cycle", []int{200, 400, 503, 200, 400}, []int{1, 2, 3, 1, 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, c, results := serve(t, `rules:
  - name: flaky
    match: {operation: createProjectHook}
    `+tc.repeat+`
    sequence:
      - status: 200
        body: {id: "1", type: github, callback_url: "{{ .Body.url }}"}
      - status: 400
        body: {error_code: SVCSTG.REPO.0400, error_msg: "try again"}
      - fault: http-503
`)
			check := func(round int) {
				for i, want := range tc.want {
					resp, _, err := post(t, nil, srv.URL, hookBody)
					if err != nil {
						t.Fatal(err)
					}
					s := next(t, results)
					if resp.StatusCode != want || s.out.Status != want || s.out.Step != tc.steps[i] {
						t.Errorf("round %d call %d: status %d (outcome %+v), want %d step %d", round, i+1, resp.StatusCode, s.out, want, tc.steps[i])
					}
				}
			}
			check(1)
			if c.Rules()[0].Calls() != uint64(len(tc.want)) {
				t.Errorf("Calls = %d", c.Rules()[0].Calls())
			}
			c.Reset()
			check(2)
		})
	}
}

// TestSequenceUnderConcurrency: clients racing on a cycling scenario share its counter,
// so over 3×k requests each step answers exactly k times, whatever the interleaving.
func TestSequenceUnderConcurrency(t *testing.T) {
	t.Parallel()
	srv, c, results := serve(t, `rules:
  - match: {operation: createProjectHook}
    repeat: cycle
    sequence:
      - {status: 200, body: {id: "{{ seq }}", type: github, callback_url: x}}
      - {status: 400, body: {error_code: SVCSTG.REPO.0400, error_msg: "{{ .Step }}"}}
      - {status: 200, body: {id: "{{ uuid }}", type: github, callback_url: x}, delay: 1ms}
`)
	const clients, each = 6, 5
	client := &http.Client{}
	errs := make(chan error, clients)
	for range clients {
		go func() {
			for range each {
				if _, _, err := post(t, client, srv.URL, hookBody); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range clients {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	steps := map[int]int{}
	for range clients * each {
		s := next(t, results)
		if s.err != nil {
			t.Fatal(s.err)
		}
		steps[s.out.Step]++
	}
	want := clients * each / 3
	if steps[1] != want || steps[2] != want || steps[3] != want {
		t.Errorf("steps %v, want %d each", steps, want)
	}
	if c.Rules()[0].Calls() != clients*each {
		t.Errorf("Calls = %d", c.Rules()[0].Calls())
	}
}

// TestResetReplaysDraws: after Reset, a rule draws the same faults and delays again.
func TestResetReplaysDraws(t *testing.T) {
	t.Parallel()
	c, err := Parse([]byte(`seed: 3
rules:
  - respond: {status: 200, delay: {min: 1ms, max: 9ms}, fault: {type: http-500, probability: 0.5}}
`), "reset.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rs := compile(t, c)
	r := rs.Rules()[0]
	draws := func() string {
		var b strings.Builder
		for range 30 {
			fmt.Fprintf(&b, "%v/%s ", r.roll(0.5), r.delay(r.Rule().Response.Delay))
		}
		return b.String()
	}
	first := draws()
	if second := draws(); second == first {
		t.Fatalf("two runs without Reset drew the same: %s", first)
	}
	rs.Reset()
	if again := draws(); again != first {
		t.Errorf("after Reset:\n%s\nwant\n%s", again, first)
	}
}

// TestGoBuiltConfig: a Config built in Go, not parsed, serves once validated, and its
// problems are reported without a line.
func TestGoBuiltConfig(t *testing.T) {
	t.Parallel()
	text := `{"error_code":"SVCSTG.REPO.0400","error_msg":"{{ index .PathParams "project" }} is archived"}`
	c := Default()
	c.Rules = []*Rule{{
		Name:  "archived",
		Match: Match{Operation: "createProjectHook", PathParams: map[string]*Matcher{"project": {Equals: ptr("legacy")}}},
		Response: &Response{Status: Status{Code: 400}, BodyText: &text, ContentType: "application/json",
			Headers: map[string]string{"x-rule": "{{ .OperationID }}"}},
	}}
	if err := c.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if err := c.CheckAgainst(hookDoc(t)); err != nil {
		t.Fatalf("CheckAgainst: %v", err)
	}
	in := hookInput(func(in *Input) { in.PathParams["project"] = "legacy" })
	w := httptest.NewRecorder()
	out, err := compile(t, c).Match(in).Respond(w, httptest.NewRequest("POST", hookPath, nil), in)
	if err != nil || out.Status != 400 || w.Body.String() != `{"error_code":"SVCSTG.REPO.0400","error_msg":"legacy is archived"}` || w.Header().Get("X-Rule") != "createProjectHook" {
		t.Errorf("answer %d %q %v (%v)", w.Code, w.Body, w.Header(), err)
	}

	c.Rules = append(c.Rules, &Rule{Name: "broken", Response: &Response{Status: Status{Code: 42}}})
	if err := c.Validate(); err == nil || err.Error() != `config: rule "broken": status 42 is not an HTTP status (100-599)` {
		t.Errorf("Validate = %v", err)
	}
}
