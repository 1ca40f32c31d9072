package hookapi

import (
	"encoding/json"
	"net/http"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/hookkit/hookkit/openapi"
)

// ProfileName is the name that turns the ServiceStage profile on for a document: config
// `profile: servicestage`, or `x-hookkit-profile: servicestage` in the document (the
// embedded hook API declares it).
const ProfileName = "servicestage"

// Profile is ServiceStage's conventions, which the generic mock calls through its
// mockserver.Profile interface: error bodies {"error_code": "SVCSTG.REPO.<id>",
// "error_msg": "..."} with the ids of the catalogue (errorids.go), and the typed hook
// handler's operation (createProjectHook in the shape the generated code expects).
type Profile struct{}

// Name returns ProfileName.
func (Profile) Name() string { return ProfileName }

// ErrorShape reports whether a declared error schema is ServiceStage's Error: string
// properties error_code and error_msg. Only such bodies get the profile's fields; any other
// declared error body is filled by the generic mock.
func (Profile) ErrorShape(s *openapi3.Schema) bool {
	return s != nil && isStringProp(s.Properties["error_code"]) && isStringProp(s.Properties["error_msg"])
}

// SetErrorFields sets the fields of the error body answering problems (at least one): the
// catalogue id chosen by the first problem, and msg, the message naming every problem.
func (Profile) SetErrorFields(body map[string]any, problems openapi.Problems, msg string) {
	body["error_code"] = ErrorCodePrefix + ErrorIDFor(problems[0])
	body["error_msg"] = msg
}

// ErrorVariants returns one field set per catalogue id, with a sample message, so the mock
// can prove at load that every body it may fill validates against the declared schema.
func (Profile) ErrorVariants() []map[string]any {
	out := make([]map[string]any, 0, len(errorCatalogue))
	for _, id := range errorCatalogue {
		out = append(out, map[string]any{"error_code": ErrorCodePrefix + id.ID, "error_msg": "header X-Auth-Token is required; body field /url is required"})
	}
	return out
}

// NotFoundBody is the body of the mock's 404 and 405 answers for a document whose errors
// use the ServiceStage format (the router's answers have no declared response).
func (p Profile) NotFoundBody(problems openapi.Problems) (contentType string, body []byte) {
	fields := make(map[string]any, 2)
	p.SetErrorFields(fields, problems, problems.Error())
	b, _ := json.Marshal(fields)
	return "application/json", b
}

// Typed reports whether the typed hook handler serves op: the hook API's
// createProjectHook with the path parameters, the X-Repo-Auth header and the body and 200
// shapes the generated code expects. A document that merely reuses the operationId is
// served generically instead.
func (Profile) Typed(op *openapi.Operation) bool {
	if op.ID != HookOperationID || op.Method != http.MethodPost {
		return false
	}
	want := map[string]string{"project_id": "path", "namespace": "path", "project": "path", "X-Repo-Auth": "header"}
	for _, p := range op.Parameters() {
		if in, ok := want[p.Value.Name]; ok && in == p.Value.In {
			delete(want, p.Value.Name)
		}
	}
	if len(want) > 0 || op.Path != HookPath {
		return false
	}
	rb := op.Operation.RequestBody
	if rb == nil || rb.Value == nil || !hasProps(rb.Value.Content.Get("application/json"), "secret", "url") {
		return false
	}
	ok := op.Operation.Responses.Status(200)
	return ok != nil && ok.Value != nil && hasProps(ok.Value.Content.Get("application/json"), "id", "type", "callback_url")
}

// HookOperationID is the operation the typed hook handler serves.
const HookOperationID = "createProjectHook"

// HookPath is the path the generated server registers for it.
const HookPath = "/v1/{project_id}/git/repos/{namespace}/{project}/hooks"

// hasProps reports whether a media type's schema declares every named property.
func hasProps(mt *openapi3.MediaType, names ...string) bool {
	if mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
		return false
	}
	for _, n := range names {
		if mt.Schema.Value.Properties[n] == nil {
			return false
		}
	}
	return true
}

func isStringProp(ref *openapi3.SchemaRef) bool {
	return ref != nil && ref.Value != nil && (ref.Value.Type == nil || ref.Value.Type.Is("string"))
}
