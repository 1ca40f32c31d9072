package openapi

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

const hookPath = "/v1/0b5f4e1a/git/repos/devcloud-team/group:app/hooks"

func hookRequest(t *testing.T, d *Document, path string, header map[string]string, body string) Problems {
	t.Helper()
	m, err := d.Find("POST", path)
	if err != nil {
		t.Fatalf("Find(POST %s): %v", path, err)
	}
	r, err := http.NewRequest("POST", "http://mock"+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		r.Header.Set(k, v)
	}
	return d.ValidateRequest(context.Background(), r, m, []byte(body))
}

func TestValidateHookRequest(t *testing.T) {
	t.Parallel()
	d, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	valid := map[string]string{"X-Auth-Token": "tok-SECRET-1", "X-Repo-Auth": "auth", "Content-Type": "application/json;charset=utf8"}
	with := func(k, v string) map[string]string {
		h := map[string]string{}
		for kk, vv := range valid {
			h[kk] = vv
		}
		if v == "" {
			delete(h, k)
		} else {
			h[k] = v
		}
		return h
	}
	const body = `{"secret":"hunter2-SECRET","url":"https://example.com/webhook"}`
	tests := []struct {
		name   string
		path   string
		header map[string]string
		body   string
		want   []Kind // in order
	}{
		{name: "valid with the seed's charset spelling", header: valid, body: body},
		{name: "valid with another charset spelling", header: with("Content-Type", "Application/JSON; charset=UTF-8"), body: body},
		{name: "missing token", header: with("X-Auth-Token", ""), body: body, want: []Kind{MissingCredential}},
		{name: "blank token", header: with("X-Auth-Token", "  "), body: body, want: []Kind{MissingCredential}},
		{name: "missing repo auth", header: with("X-Repo-Auth", ""), body: body, want: []Kind{MissingParameter}},
		{name: "project with slash", path: "/v1/p/git/repos/ns/group%2Fapp/hooks", header: valid, body: body, want: []Kind{InvalidParameter}},
		{name: "text/plain", header: with("Content-Type", "text/plain"), body: body, want: []Kind{UnsupportedMediaType}},
		{name: "no content type", header: with("Content-Type", ""), body: body, want: []Kind{UnsupportedMediaType}},
		{name: "empty body", header: valid, body: "", want: []Kind{MissingBody}},
		{name: "truncated JSON", header: valid, body: `{"secret":"x",`, want: []Kind{MalformedBody}},
		{name: "invalid UTF-8", header: valid, body: "{\"secret\":\"\xff\",\"url\":\"https://e.com\"}", want: []Kind{MalformedBody}},
		{name: "deep nesting", header: valid, body: strings.Repeat("[", 10000) + strings.Repeat("]", 10000), want: []Kind{MalformedBody}},
		{name: "missing secret", header: valid, body: `{"url":"https://e.com/w"}`, want: []Kind{MissingField}},
		{name: "wrong type", header: valid, body: `{"secret":12,"url":"https://e.com/w"}`, want: []Kind{WrongType}},
		{name: "not a url", header: valid, body: `{"secret":"s","url":"not a url"}`, want: []Kind{InvalidValue}},
		{name: "everything at once", path: "/v1/p/git/repos/ns/a%2Fb/hooks", header: map[string]string{"Content-Type": "application/json"}, body: `{"url":"nope"}`,
			want: []Kind{MissingCredential, InvalidParameter, MissingParameter, InvalidValue, MissingField}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := tt.path
			if path == "" {
				path = hookPath
			}
			got := hookRequest(t, d, path, tt.header, tt.body)
			if len(got) != len(tt.want) {
				t.Fatalf("problems = %#v, want kinds %v", got, tt.want)
			}
			for i, p := range got {
				if p.Kind != tt.want[i] {
					t.Errorf("problem %d kind = %s, want %s (%s)", i, p.Kind, tt.want[i], p.Message)
				}
				if strings.Contains(p.Message, "SECRET") || strings.Contains(p.Message, "nope") {
					t.Errorf("problem %d message leaks a value: %q", i, p.Message)
				}
			}
		})
	}
}

func TestValidateHookResponse(t *testing.T) {
	t.Parallel()
	d, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	m, err := d.Find("POST", hookPath)
	if err != nil {
		t.Fatal(err)
	}
	jsonCT := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
	tests := []struct {
		name   string
		status int
		header http.Header
		body   string
		want   []Kind
		name0  string // Name of the first problem
	}{
		{name: "created", status: 200, header: jsonCT, body: `{"id":"1","type":"github","callback_url":"https://e.com"}`},
		{name: "extra properties are compliant", status: 200, header: jsonCT, body: `{"id":"1","type":"github","callback_url":"u","extra":true}`},
		{name: "error body", status: 400, header: jsonCT, body: `{"error_code":"SVCSTG.REPO.0401","error_msg":"m"}`},
		{name: "wrong type", status: 200, header: jsonCT, body: `{"id":1,"type":"github","callback_url":"u"}`, want: []Kind{InvalidBody}, name0: "/id"},
		{name: "missing field", status: 200, header: jsonCT, body: `{"id":"1","type":"github"}`, want: []Kind{InvalidBody}, name0: "/callback_url"},
		{name: "bad error code", status: 400, header: jsonCT, body: `{"error_code":"E1","error_msg":"m"}`, want: []Kind{InvalidBody}, name0: "/error_code"},
		{name: "undeclared status", status: 500, header: jsonCT, body: `{}`, want: []Kind{UndeclaredStatus}},
		{name: "wrong content type", status: 200, header: http.Header{"Content-Type": {"text/html"}}, body: `<html>`, want: []Kind{WrongContentType}},
		{name: "truncated JSON", status: 200, header: jsonCT, body: `{"id":"1",`, want: []Kind{MalformedResponse}},
		{name: "empty JSON body", status: 200, header: jsonCT, body: ``, want: []Kind{MalformedResponse}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := d.ValidateResponse(context.Background(), nil, m, tt.status, tt.header, []byte(tt.body))
			if len(got) != len(tt.want) {
				t.Fatalf("problems = %#v, want kinds %v", got, tt.want)
			}
			for i, p := range got {
				if p.Kind != tt.want[i] {
					t.Errorf("problem %d = %s, want %s", i, p.Kind, tt.want[i])
				}
			}
			if tt.name0 != "" && got[0].Name != tt.name0 {
				t.Errorf("problem name = %q, want %q", got[0].Name, tt.name0)
			}
		})
	}
}

// TestHookDocumentExamplesValidate checks every example of the hook document against its
// own schema (kin-openapi validates them at load too; this pins that it stays so).
func TestHookDocumentExamplesValidate(t *testing.T) {
	t.Parallel()
	d, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, op := range d.Operations {
		if rb := op.Operation.RequestBody; rb != nil {
			for ct, mt := range rb.Value.Content {
				for name, ex := range mt.Examples {
					n++
					if err := d.ValidateValue(mt.Schema.Value, ex.Value.Value); err != nil {
						t.Errorf("%s request %s example %s: %v", op.ID, ct, name, err)
					}
				}
			}
		}
		for status, resp := range op.Operation.Responses.Map() {
			for ct, mt := range resp.Value.Content {
				for name, ex := range mt.Examples {
					n++
					if err := d.ValidateValue(mt.Schema.Value, ex.Value.Value); err != nil {
						t.Errorf("%s %s %s example %s: %v", op.ID, status, ct, name, err)
					}
				}
			}
		}
	}
	if n < 8 {
		t.Errorf("checked %d examples, want the request, 200 and several 400 examples", n)
	}
}

// TestProblemsNeverQuoteValues sends secret-looking values that break their schemas in a
// 3.0 and a 3.1 document (whose validators word and quote reasons differently) and checks
// that no problem message repeats them.
func TestProblemsNeverQuoteValues(t *testing.T) {
	t.Parallel()
	const secret = "hunter2-SECRET"
	tests := []struct {
		file, method, path, body string
		header                   map[string]string
	}{
		{file: "../mockserver/testdata/openapi31.yaml", method: "PATCH", path: "/flags/dark_mode",
			body: `{"owner":"` + secret + `","rollout_percent":"` + secret + `","enabled":"` + secret + `"}`},
		{file: "../openapi/hooks.yaml", method: "POST", path: hookPath,
			body:   `{"secret":["` + secret + `"],"url":"` + secret + `"}`,
			header: map[string]string{"X-Repo-Auth": "a"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			d, err := Load(tt.file)
			if err != nil {
				t.Fatal(err)
			}
			m, err := d.Find(tt.method, tt.path)
			if err != nil {
				t.Fatal(err)
			}
			r, _ := http.NewRequest(tt.method, "http://mock"+tt.path, strings.NewReader(tt.body))
			r.Header.Set("Content-Type", "application/json")
			r.Header.Set("Authorization", "Bearer "+secret)
			r.Header.Set("X-Auth-Token", secret)
			r.Header.Set("X-API-Key", secret)
			for k, v := range tt.header {
				r.Header.Set(k, v)
			}
			ps := d.ValidateRequest(context.Background(), r, m, []byte(tt.body))
			if len(ps) == 0 {
				t.Fatal("no problems found; the test needs an invalid request")
			}
			for _, p := range ps {
				if strings.Contains(p.Message, "hunter2") {
					t.Errorf("problem repeats the value: %q", p.Message)
				}
			}
		})
	}
}
