package mockserver

import (
	"testing"

	"github.com/hookkit/hookkit/mockserver/hookapi"
	"github.com/hookkit/hookkit/openapi"
)

// TestErrorPlanTrusted pins when the per-request check of error bodies is skipped: only
// when every body the plan can fill was shown valid at load.
func TestErrorPlanTrusted(t *testing.T) {
	t.Parallel()
	hooks, err := openapi.Default()
	if err != nil {
		t.Fatal(err)
	}
	constrained, err := openapi.Parse([]byte(`openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /items:
    post:
      operationId: createItem
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, required: [name], properties: {name: {type: string}}}
      responses:
        "201": {description: created}
        "400":
          description: invalid
          content:
            application/json:
              schema:
                type: object
                required: [message]
                properties: {message: {type: string, maxLength: 12}}
`), "constrained.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		doc         *openapi.Document
		prof        Profile
		op          string
		wantTrusted bool
	}{
		{hooks, hookapi.Profile{}, "createProjectHook", true},
		{constrained, nil, "createItem", false},
	} {
		op, _ := tt.doc.Operation(tt.op)
		p := buildPlan(tt.doc, op, 1, tt.prof, func(string, []byte) bool { return true }, func(err error) { t.Error(err) })
		if p.errors.trusted != tt.wantTrusted {
			t.Errorf("%s: trusted = %v, want %v", tt.op, p.errors.trusted, tt.wantTrusted)
		}
		s := &state{doc: tt.doc}
		body := s.errorBody(p.errors, openapi.Problems{{Kind: openapi.MissingField, In: "body", Name: "/name", Message: "body field /name is required"}})
		if len(body) == 0 {
			t.Errorf("%s: empty error body", tt.op)
		}
	}
}
