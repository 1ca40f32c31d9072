package config

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/hookkit/hookkit/openapi"
)

func hookDoc(t *testing.T) *openapi.Document {
	t.Helper()
	doc, err := openapi.Default()
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestCheckAgainstFindsEveryProblem(t *testing.T) {
	t.Parallel()
	path := filepath.Join("..", "testdata", "config", "against-doc.yaml")
	c, err := Load(path)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	err = c.CheckAgainst(hookDoc(t))
	if err == nil {
		t.Fatal("CheckAgainst passed")
	}
	want := []string{
		`:5: rule "no-such-operation": match.operation "deleteProjectHook" is not an operation of embedded:hooks.yaml (operations: createProjectHook)`,
		`:9: rule "no-such-path": no operation of embedded:hooks.yaml is at GET /v1/{project_id}/hooks`,
		`:15: rule "undeclared-status": status 201 is not declared for createProjectHook (declared: 200, 400)`,
		`:23: rule "bad-body": body does not match the schema of status 400 of createProjectHook: field /error_code: string doesn't match the regular expression`,
		`:31: rule "missing-field": body does not match the schema of status 200 of createProjectHook: field /callback_url: property "callback_url" is missing`,
		`:36: rule "bad-path-param": match.pathParams.repo is not a path parameter of the matched operations`,
		`:43: rule "undeclared-in-sequence": status 404 is not declared for createProjectHook`,
		`:50: rule "templated-but-incomplete": body does not match the schema of status 400 of createProjectHook: field /error_code: property "error_code" is missing`,
		`:56: rule "template-where-an-object-goes": body does not match the schema of status 200 of createProjectHook: field /: value must be an object (a template always renders a string)`,
		`:61: rule "raw-json-text": body does not match the schema of status 400 of createProjectHook: field /error_msg: property "error_msg" is missing`,
		`:66: rule "broken-json-text": bodyText is not valid JSON, but its content type is application/json: unexpected end of JSON input`,
	}
	msg := err.Error()
	for _, w := range want {
		if !strings.Contains(msg, path+w) {
			t.Errorf("missing %q in:\n%s", w, msg)
		}
	}
	if got := len(strings.Split(msg, "\n")); got != len(want) {
		t.Errorf("%d problems, want %d:\n%s", got, len(want), msg)
	}
}

func TestCheckAgainstAccepts(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		yaml string
	}{
		{"valid static bodies", `rules:
  - match: {operation: createProjectHook}
    sequence:
      - {status: 200, body: {id: "1", type: github, callback_url: "https://x.example"}}
      - {status: 400, body: {error_code: SVCSTG.REPO.0400, error_msg: no}}
`},
		{"templated leaves are accepted where strings go", `rules:
  - match: {operation: createProjectHook}
    respond: {status: 200, body: {id: "{{ seq }}", type: "{{ .Body.type }}", callback_url: "{{ .Body.url }}"}}
`},
		{"faults that always fire may use any status", `rules:
  - match: {operation: createProjectHook}
    respond: {status: 502, fault: http-503}
`},
		{"rule for every operation", `rules:
  - respond: {status: 204}
`},
		{"concrete path", `rules:
  - match: {method: POST, path: /v1/p/git/repos/n/p/hooks, pathParams: {project: p}}
    respond: {status: 400, body: {error_code: SVCSTG.REPO.0401, error_msg: token}}
`},
		{"status template", `rules:
  - match: {operation: createProjectHook}
    respond: {status: "{{ 201 }}"}
`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := Parse([]byte(tc.yaml), "ok.yaml")
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if err := c.CheckAgainst(hookDoc(t)); err != nil {
				t.Errorf("CheckAgainst: %v", err)
			}
		})
	}
}

func TestCheckAgainstFaultWithProbabilityNeedsDeclaredStatus(t *testing.T) {
	t.Parallel()
	c, err := Parse([]byte(`rules:
  - match: {operation: createProjectHook}
    respond: {status: 201, fault: {type: reset, probability: 0.5}}
`), "p.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.CheckAgainst(hookDoc(t)); err == nil || !strings.Contains(err.Error(), "p.yaml:3: rule \"rule-1\": status 201 is not declared") {
		t.Errorf("CheckAgainst = %v", err)
	}
}
