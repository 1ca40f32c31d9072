package mockserver_test

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/hookkit/hookkit/mockserver"
	"github.com/hookkit/hookkit/mockserver/hookapi"
	"github.com/hookkit/hookkit/mockserver/mocktest"
	"github.com/hookkit/hookkit/openapi"
)

// TestErrorCatalogue pins the ids: clients match on them, so changing one must be a
// deliberate edit of this test, the document and the README.
func TestErrorCatalogue(t *testing.T) {
	t.Parallel()
	want := []string{"0400", "0401", "0402", "0403", "0404", "0405", "0409", "0410", "0411", "0412", "0420", "0421", "0422"}
	got := hookapi.ErrorCatalogue()
	if len(got) != len(want) {
		t.Fatalf("catalogue has %d ids, want %d", len(got), len(want))
	}
	for i, id := range want {
		if got[i].ID != id || got[i].Meaning == "" {
			t.Errorf("row %d = %+v, want id %s", i, got[i], id)
		}
	}

	// The 400 description of the hook document lists the same rows.
	doc, err := openapi.Default()
	if err != nil {
		t.Fatal(err)
	}
	op, _ := doc.Operation("createProjectHook")
	desc := op.Operation.Responses.Status(400).Value.Description
	rows := regexp.MustCompile(`\| SVCSTG\.REPO\.(\d{4}) \| (.+?) \|`).FindAllStringSubmatch(*desc, -1)
	if len(rows) != len(got) {
		t.Fatalf("hooks.yaml lists %d ids, the catalogue %d", len(rows), len(got))
	}
	for i, row := range rows {
		if row[1] != got[i].ID || row[2] != got[i].Meaning {
			t.Errorf("hooks.yaml row %d = %s %q, catalogue %s %q", i, row[1], row[2], got[i].ID, got[i].Meaning)
		}
	}
}

// TestErrorIDs sends one broken request per kind of failure and checks the id, that the
// message names the place, and that the body validates against the document.
func TestErrorIDs(t *testing.T) {
	t.Parallel()
	m := mocktest.Start(t, mocktest.WithOptions(mockserver.Options{MaxBodyBytes: 32 << 10}))
	doc := m.Server.Document()
	tests := []struct {
		name    string
		body    string
		mutate  func(*http.Request)
		status  int
		id      string
		message string
	}{
		{"missing token", validBody, func(r *http.Request) { r.Header.Del("X-Auth-Token") }, 400, "0401", "header X-Auth-Token is required"},
		{"empty token", validBody, func(r *http.Request) { r.Header.Set("X-Auth-Token", " ") }, 400, "0401", "header X-Auth-Token is required"},
		{"missing repo auth", validBody, func(r *http.Request) { r.Header.Del("X-Repo-Auth") }, 400, "0402", "header X-Repo-Auth is required"},
		{"slash in project", validBody, func(r *http.Request) {
			r.URL.Path = "/v1/p/git/repos/n/a/b/hooks"
			r.URL.RawPath = "/v1/p/git/repos/n/a%2Fb/hooks"
		}, 400, "0403", "path project"},
		{"unknown path", validBody, func(r *http.Request) { r.URL.Path = "/v2/nothing" }, 404, "0404", "no operation matches POST /v2/nothing"},
		{"wrong method", validBody, func(r *http.Request) { r.Method = http.MethodPut }, 405, "0405", "allowed: POST"},
		{"text content type", validBody, func(r *http.Request) { r.Header.Set("Content-Type", "text/plain") }, 400, "0410", "Content-Type"},
		{"no content type", validBody, func(r *http.Request) { r.Header.Del("Content-Type") }, 400, "0410", "Content-Type"},
		{"malformed JSON", `{"secret":`, nil, 400, "0411", "not valid JSON"},
		{"empty body", ``, nil, 400, "0411", "body is required"},
		{"invalid UTF-8", "{\"secret\":\"\xff\xfe\",\"url\":\"https://a.example\"}", nil, 400, "0411", "UTF-8"},
		{"deep nesting", strings.Repeat("[", 10000) + strings.Repeat("]", 10000), nil, 400, "0411", "deeper than 64"},
		{"oversized", `{"secret":"` + strings.Repeat("a", 40<<10) + `","url":"https://a.example"}`, nil, 400, "0412", "larger than the limit of 32768 bytes"},
		{"missing field", `{"url":"https://a.example"}`, nil, 400, "0420", "body field /secret is required"},
		{"wrong type", `{"secret":7,"url":"https://a.example"}`, nil, 400, "0421", "body field /secret must be of type string"},
		{"bad url", `{"secret":"s","url":"not a url"}`, nil, 400, "0422", "body field /url must be a valid uri"},
		{"every problem at once", `{"secret":7}`, func(r *http.Request) { r.Header.Del("X-Repo-Auth") }, 400, "0402", "body field /url is required"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var mutate []func(*http.Request)
			if tc.mutate != nil {
				mutate = append(mutate, tc.mutate)
			}
			req := hookRequest(t, m.URL, tc.body, mutate...)
			r := do(t, req)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.body)
			}
			body := r.json(t)
			if body["error_code"] != "SVCSTG.REPO."+tc.id {
				t.Errorf("error_code = %v, want SVCSTG.REPO.%s (%s)", body["error_code"], tc.id, body["error_msg"])
			}
			if msg, _ := body["error_msg"].(string); !strings.Contains(msg, tc.message) {
				t.Errorf("error_msg = %q, want it to contain %q", msg, tc.message)
			}
			if bytes.Contains(r.body, []byte(hookSec)) || bytes.Contains(r.body, []byte(token)) {
				t.Errorf("error body leaks a secret: %s", r.body)
			}
			if r.status == http.StatusMethodNotAllowed && r.header.Get("Allow") != "POST" {
				t.Errorf("Allow = %q", r.header.Get("Allow"))
			}
			if r.status == http.StatusBadRequest {
				match, err := doc.Find(http.MethodPost, hookPath)
				if err != nil {
					t.Fatal(err)
				}
				if ps := doc.ValidateResponse(context.Background(), nil, match, r.status, r.header, r.body); len(ps) > 0 {
					t.Errorf("error response breaks the document: %v", ps)
				}
			}
		})
	}
	// The server is still serving after all of that.
	t.Cleanup(func() {
		if r := do(t, hookRequest(t, m.URL, validBody)); r.status != http.StatusOK {
			t.Errorf("valid request after bad inputs: %d %s", r.status, r.body)
		}
	})
}

// TestGenericErrors covers documents other than the hook API: problem+json when the
// operation declares no error response, 404/405 as problem+json.
func TestGenericErrors(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Parse([]byte(`openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /items/{id}:
    get:
      operationId: getItem
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: object, required: [id], properties: {id: {type: integer}}}
    put:
      operationId: putItem
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, required: [name], properties: {name: {type: string, maxLength: 5}}}
      responses:
        "204": {description: saved}
        "422":
          description: invalid
          content:
            application/json:
              schema:
                type: object
                required: [code, message]
                properties:
                  code: {type: string, enum: [INVALID]}
                  message: {type: string}
`), "inline.yaml")
	if err != nil {
		t.Fatal(err)
	}
	m := mocktest.Start(t, mocktest.WithDocument(doc))
	tests := []struct {
		name, method, path, body string
		status                   int
		ctype, contains          string
	}{
		{"ok", "GET", "/items/3", "", 200, "application/json", `"id"`},
		{"bad path param, no error declared", "GET", "/items/abc", "", 400, "application/problem+json", `"kind":"invalid-parameter"`},
		{"declared 422", "PUT", "/items/3", `{"name":"much too long"}`, 422, "application/json", `"message":"body field /name must be at most 5 characters long"`},
		{"valid put", "PUT", "/items/3", `{"name":"ok"}`, 204, "", ""},
		{"unknown path", "GET", "/nothing", "", 404, "application/problem+json", `"status":404`},
		{"method", "DELETE", "/items/3", "", 405, "application/problem+json", `"status":405`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req, _ := http.NewRequest(tc.method, m.URL+tc.path, strings.NewReader(tc.body))
			if tc.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			r := do(t, req)
			if r.status != tc.status || r.header.Get("Content-Type") != tc.ctype || !strings.Contains(string(r.body), tc.contains) {
				t.Fatalf("got %d %q %s; want %d %q containing %s", r.status, r.header.Get("Content-Type"), r.body, tc.status, tc.ctype, tc.contains)
			}
			if tc.status == 405 && r.header.Get("Allow") != "GET, PUT" {
				t.Errorf("Allow = %q", r.header.Get("Allow"))
			}
		})
	}
}

// TestOperationWithoutResponses covers OpenAPI 3.1, where responses are optional: the mock
// answers 200 without a body instead of failing.
func TestOperationWithoutResponses(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Parse([]byte("openapi: 3.1.0\ninfo: {title: t, version: \"1\"}\npaths:\n  /ping:\n    get:\n      operationId: ping\n"), "inline.yaml")
	if err != nil {
		t.Fatal(err)
	}
	m := mocktest.Start(t, mocktest.WithDocument(doc))
	get, _ := http.NewRequest(http.MethodGet, m.URL+"/ping", nil)
	if r := do(t, get); r.status != http.StatusOK || len(r.body) != 0 {
		t.Fatalf("%d %q", r.status, r.body)
	}
	get.Header.Set("Prefer", "code=201")
	if r := do(t, get); r.status != http.StatusBadRequest || !strings.Contains(string(r.body), "does not declare") {
		t.Fatalf("%d %s", r.status, r.body)
	}
}
