package mockserver_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/hookkit/hookkit/mockserver"
	"github.com/hookkit/hookkit/mockserver/mocktest"
	"github.com/hookkit/hookkit/openapi"
)

// TestStatusByProblemKind pins the status table of the README against the mock, one row per
// rule, over real HTTP: the status comes from the kind of the first problem and from what
// the operation declares.
func TestStatusByProblemKind(t *testing.T) {
	t.Parallel()
	m := startDocument(t, "../openapi/testdata/realworld/statuses.yaml")
	const auth = "Bearer t"
	tests := []struct {
		name, method, path, body, auth string
		header                         map[string]string
		wantStatus                     int
		wantType                       string // Content-Type; "" for no body
	}{
		{"credential: 401 declared", "POST", "/todos", `{"title":"a"}`, "", nil, 401, "application/json"},
		{"body: 422 declared", "POST", "/todos", `{"priority":1}`, auth, nil, 422, "application/json"},
		{"other with 400 declared", "POST", "/todos", `{"title":"a"}`, auth, map[string]string{"Content-Type": "text/plain"}, 400, "application/json"},
		{"credential without 401/403: 4XX", "GET", "/todos?limit=5", "", "", nil, 400, "application/json"},
		{"other: 4XX", "GET", "/todos", "", auth, nil, 400, "application/json"},
		{"only 404 declared: the lowest 4xx", "GET", "/todos/t-1", "", auth, nil, 404, "application/json"},
		{"credential: 403 declared, no content", "DELETE", "/todos/t-1", "", "", nil, 403, ""},
		{"body with default only", "PATCH", "/todos/t-1", `{"title":""}`, auth, nil, 400, "application/json"},
		{"no 4xx at all: problem+json", "POST", "/todos/t-1/archive", "", auth, nil, 400, "application/problem+json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var body io.Reader
			if tt.body != "" {
				body = strings.NewReader(tt.body)
			}
			req, _ := http.NewRequestWithContext(t.Context(), tt.method, m.URL+tt.path, body)
			if tt.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			req.Header.Set("Origin", "https://app.example")
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.wantStatus, b)
			}
			if ct := resp.Header.Get("Content-Type"); ct != tt.wantType {
				t.Errorf("Content-Type %q, want %q", ct, tt.wantType)
			}
			problems := resp.Header.Get(mockserver.ProblemsHeader)
			switch {
			case tt.wantType == "" && (len(b) != 0 || !strings.Contains(problems, "Authorization")):
				t.Errorf("content-less error: body %q, %s %q; want no body and the problem in the header", b, mockserver.ProblemsHeader, problems)
			case tt.wantType == "" && !strings.Contains(resp.Header.Get("Access-Control-Expose-Headers"), mockserver.ProblemsHeader):
				t.Errorf("a browser may not read %s: Expose-Headers %q", mockserver.ProblemsHeader, resp.Header.Get("Access-Control-Expose-Headers"))
			case tt.wantType != "" && problems != "":
				t.Errorf("%s sent beside a body: %q", mockserver.ProblemsHeader, problems)
			case tt.wantType != "" && !json.Valid(b):
				t.Errorf("body is not JSON: %s", b)
			}
		})
	}
}

// TestUnsynthesizableResponseIsAWarning: a response no value satisfies does not stop the
// mock; it is reported by Warnings and answered without a body.
func TestUnsynthesizableResponseIsAWarning(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Parse([]byte(`openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /x:
    get:
      operationId: getX
      responses:
        "200":
          description: nothing satisfies this
          content:
            application/json:
              schema: {type: string, minLength: 5, maxLength: 2}
        "400":
          description: bad
`), "inline.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s, err := mockserver.New(doc, mocktest.HookAPIOptions(mockserver.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	w := s.Warnings()
	if len(w) != 1 || w[0].Kind != mockserver.Unsynthesizable || !strings.Contains(w[0].Message, "getX response 200") {
		t.Fatalf("warnings %v, want one unsynthesizable for getX response 200", w)
	}
}

// TestStrictRefusesUnsynthesizable: with Options.Strict, a response the mock cannot build
// (no value satisfies it, or its smallest value is over the synthesis budget) stops New
// and Reload with the warning's text, even in a document large enough to be planned
// lazily; without Strict the same documents serve with a warning.
func TestStrictRefusesUnsynthesizable(t *testing.T) {
	t.Parallel()
	const op = `  /x%d:
    get:
      operationId: getX%d
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: %s
        "400":
          description: bad
`
	doc := func(n int, schema string) *openapi.Document {
		var b strings.Builder
		b.WriteString("openapi: 3.0.3\ninfo: {title: t, version: \"1\"}\npaths:\n")
		for i := range n - 1 {
			fmt.Fprintf(&b, op, i, i, "{type: string}")
		}
		fmt.Fprintf(&b, op, n-1, n-1, schema)
		d, err := openapi.Parse([]byte(b.String()), "inline.yaml")
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for _, tc := range []struct {
		name, schema, want string
		ops                int
	}{
		{"no value", "{type: string, minLength: 5, maxLength: 2}", "cannot synthesize", 1},
		{"over the synthesis budget", "{type: string, minLength: 2000000000}", "synthesis budget exceeded", 1},
		{"planned lazily otherwise", "{type: string, minLength: 2000000000}", "synthesis budget exceeded", 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := doc(tc.ops, tc.schema)
			lenient, err := mockserver.New(d, mocktest.HookAPIOptions(mockserver.Options{}))
			if err != nil {
				t.Fatalf("lenient: %v", err)
			}
			if tc.ops == 1 && len(lenient.Warnings()) != 1 {
				t.Errorf("lenient: warnings %v, want one", lenient.Warnings())
			}
			_, err = mockserver.New(d, mocktest.HookAPIOptions(mockserver.Options{Strict: true}))
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), fmt.Sprintf("getX%d response 200", tc.ops-1)) || !strings.Contains(err.Error(), "(unsynthesizable)") {
				t.Fatalf("strict: %v, want a refusal naming getX%d and %q", err, tc.ops-1, tc.want)
			}
			ok, err := mockserver.New(doc(tc.ops, "{type: string}"), mocktest.HookAPIOptions(mockserver.Options{Strict: true}))
			if err != nil {
				t.Fatalf("strict, buildable: %v", err)
			}
			if err := ok.Reload(d, nil); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("strict reload: %v, want a refusal", err)
			}
		})
	}
}
