package openapi

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// TestProblems31 pins the messages of OpenAPI 3.1 (JSON Schema 2020-12) body failures: a
// missing required field is named at its own pointer (not "body is required"), and an
// allOf failure by the rule of the branch that failed; the same document in 3.0 says the
// same.
func TestProblems31(t *testing.T) {
	t.Parallel()
	const doc = `openapi: %s
info: {title: t, version: "1"}
paths:
  /todos:
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [title, owner]
              properties:
                title: {type: string, maxLength: 5}
                owner: {type: string}
                due:
                  allOf:
                    - {type: string}
                    - {maxLength: 3}
      responses:
        "201": {description: created}
        "422": {description: invalid}
`
	tests := []struct {
		body string
		want []string
	}{
		{`{}`, []string{"body field /owner is required", "body field /title is required"}},
		{`{"owner":"o"}`, []string{"body field /title is required"}},
		{`{"title":"a","owner":"o","due":"12345"}`, []string{"body field /due must be at most 3 characters long"}},
		{`{"title":"a","owner":"o","due":5}`, []string{"body field /due must be of type string"}},
	}
	for _, version := range []string{"3.1.0", "3.0.3"} {
		d, err := Parse([]byte(strings.Replace(doc, "%s", version, 1)), "todos.yaml")
		if err != nil {
			t.Fatal(err)
		}
		m, err := d.Find("POST", "/todos")
		if err != nil {
			t.Fatal(err)
		}
		for _, tt := range tests {
			r, _ := http.NewRequest("POST", "http://mock/todos", strings.NewReader(tt.body))
			r.Header.Set("Content-Type", "application/json")
			ps := d.ValidateRequest(context.Background(), r, m, []byte(tt.body))
			var got []string
			for _, p := range ps {
				got = append(got, p.Message)
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("%s %s: %q, want %q", version, tt.body, got, tt.want)
			}
			if ClassOf(ps) != BodyProblem {
				t.Errorf("%s %s: class %s, want body", version, tt.body, ClassOf(ps))
			}
		}
	}
}
