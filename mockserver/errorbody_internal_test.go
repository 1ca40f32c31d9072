package mockserver

import (
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/hookkit/hookkit/openapi"
)

// errorFieldsProfile stands in for the hook API's profile (package hookapi imports this
// one, so its tests cannot be imported here): it fills error_code and error_msg with
// values the embedded document's Error schema accepts. Seams buildPlan does not call are
// left to the nil embedded interface.
type errorFieldsProfile struct{ Profile }

func (errorFieldsProfile) ErrorShape(s *openapi3.Schema) bool {
	return s != nil && s.Properties["error_code"] != nil && s.Properties["error_msg"] != nil
}

func (errorFieldsProfile) SetErrorFields(body map[string]any, _ openapi.Problems, msg string) {
	body["error_code"], body["error_msg"] = "SVCSTG.REPO.0400", msg
}

func (errorFieldsProfile) ErrorVariants() []map[string]any {
	return []map[string]any{{"error_code": "SVCSTG.REPO.0400", "error_msg": "m"}}
}

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
		{hooks, errorFieldsProfile{}, "createProjectHook", true},
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
