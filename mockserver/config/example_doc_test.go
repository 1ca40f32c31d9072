package config_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/hookkit/hookkit/mockserver/config"
)

// A rule that answers hook creations on GitLab authorizations, echoing the request's url.
func Example() {
	cfg, err := config.Parse([]byte(`
rules:
  - name: gitlab
    match:
      operation: createProjectHook
      headers: {X-Repo-Auth: {regex: gitlab}}
    respond:
      status: 200
      body: {id: "gl-{{ seq }}", type: gitlab, callback_url: "{{ .Body.url }}"}
`), "mock.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	in := &config.Input{
		OperationID: "createProjectHook",
		Method:      "POST",
		Header:      http.Header{"X-Repo-Auth": {"team-gitlab"}},
		Body:        map[string]any{"url": "https://ci.example/hook"},
	}
	rules, err := config.Compile(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	rule := rules.Match(in)
	w := httptest.NewRecorder()
	out, err := rule.Respond(w, httptest.NewRequest("POST", "/", nil), in)
	fmt.Println(rule.Name, out.Status, err)
	fmt.Println(strings.TrimSpace(w.Body.String()))
	// Output:
	// gitlab 200 <nil>
	// {"id":"gl-1","type":"gitlab","callback_url":"https://ci.example/hook"}
}

// Every problem of a file is reported at once, with its line.
func ExampleParse_errors() {
	_, err := config.Parse([]byte(`
rules:
  - name: typo
    respond: {stauts: 200}
  - name: bad
    respond: {status: 200, fault: explode, delay: soon}
`), "mock.yaml")
	fmt.Println(err)
	// Output:
	// mock.yaml:4: unknown key "stauts" in response (known keys: body, bodyText, contentType, delay, fault, headers, status)
	// mock.yaml:6: a delay is a duration with a unit such as 250ms or 1.5s, not "soon"
	// mock.yaml:6: rule "bad": fault "explode" is not one of http-500, http-503, reset, empty, malformed, timeout
}
