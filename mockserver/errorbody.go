package mockserver

import (
	"encoding/json"
	"maps"
	"net/http"
	"strconv"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/hookkit/hookkit/openapi"
)

// errorStyle is how an error body is written.
type errorStyle int

const (
	// styleProfile sets the profile's fields (such as the hook API's error_code and error_msg) in
	// a body synthesized from the declared schema: the document's profile recognises the
	// chosen error response's schema as its error body.
	styleProfile errorStyle = iota
	// styleDeclared fills a body synthesized from the declared schema, the message in a
	// string property such as message or detail when the schema has one.
	styleDeclared
	// styleProblem writes RFC 9457 application/problem+json because the operation declares
	// no error response at all.
	styleProblem
)

// messageFields are the property names that receive the message in a declared error body,
// in order of preference.
var messageFields = []string{"message", "detail", "error", "error_description", "title", "description", "msg", "error_msg", "reason"}

// errorPlan answers invalid requests of one operation.
type errorPlan struct {
	style       errorStyle
	status      int
	mediaType   string // "" for a response without body
	contentType string
	schema      *openapi3.Schema
	template    map[string]any // synthesized body to fill in (styleDeclared, styleProfile)
	fallback    []byte         // a valid body to send when the filled one does not validate
	msgField    string         // property receiving the message ("" for none)
	// trusted is set when every body errorBody can fill was shown valid at load: the
	// message property takes any text or, in the profile style, every field set the
	// profile may write validates. Then the per-request schema check is skipped.
	trusted bool
	// profile fills the body in the profile style.
	profile Profile
}

// errorsFor returns the plan answering problems.
func (p *opPlan) errorsFor(ps openapi.Problems) *errorPlan {
	switch openapi.ClassOf(ps) {
	case openapi.CredentialProblem:
		return p.credErrors
	case openapi.BodyProblem:
		return p.bodyErrors
	}
	return p.errors
}

// buildErrorPlan builds the answer to a class of invalid requests (see
// openapi.Operation.ErrorResponse); without any declared 4xx, RFC 9457 problem+json with
// status 400.
func buildErrorPlan(doc *openapi.Document, p *opPlan, class openapi.ProblemClass, seed uint64, prof Profile) (*errorPlan, error) {
	key, status, ok := p.op.ErrorResponse(class)
	if !ok {
		return problemPlan(http.StatusBadRequest), nil
	}
	rp := p.responses[key]
	ep := &errorPlan{style: styleDeclared, status: status}
	if len(rp.mediaTypes) == 0 {
		return ep, nil
	}
	mt := rp.mediaTypes[0]
	bp := rp.bodies[mt]
	ep.mediaType, ep.contentType = mt, bp.contentType
	ep.fallback = bp.def
	if bp.schema == nil || bp.schema.Value == nil {
		return ep, nil
	}
	ep.schema = bp.schema.Value
	if !openapi.IsJSON(baseMediaType(mt)) {
		if ep.schema.Type.Is("string") || ep.schema.Type == nil {
			ep.msgField = "."
		}
		return ep, nil
	}
	v, err := synthesize(doc, bp.schema, seed)
	if err != nil {
		return nil, err
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return ep, nil
	}
	if b, err := json.Marshal(obj); err == nil {
		ep.fallback = b
	}
	ep.template = obj
	props := ep.schema.Properties
	if prof != nil && prof.ErrorShape(ep.schema) {
		ep.style, ep.profile = styleProfile, prof
		ep.trusted = ep.provenValid(doc)
		return ep, nil
	}
	for _, name := range messageFields {
		if isStringProp(props[name]) {
			ep.msgField = name
			break
		}
	}
	ep.trusted = ep.provenValid(doc)
	return ep, nil
}

// problemPlan answers with RFC 9457 application/problem+json.
func problemPlan(status int) *errorPlan {
	return &errorPlan{style: styleProblem, status: status, mediaType: "application/problem+json", contentType: "application/problem+json"}
}

// provenValid reports whether every body errorBody can fill for this plan is valid, so
// requests need not check it: in the profile style, the template with each of the
// profile's field sets; otherwise the message property must take any string (no length,
// pattern, format or enum) and the template validate with a message in it.
func (ep *errorPlan) provenValid(doc *openapi.Document) bool {
	if ep.template == nil {
		return false
	}
	var variants []map[string]any
	if ep.style == styleProfile {
		variants = ep.profile.ErrorVariants()
	} else {
		if ep.msgField == "" {
			return false
		}
		m := ep.schema.Properties[ep.msgField].Value
		if m.MinLength > 0 || m.MaxLength != nil || m.Pattern != "" || m.Format != "" || len(m.Enum) > 0 || m.Not != nil ||
			len(m.AllOf)+len(m.AnyOf)+len(m.OneOf) > 0 {
			return false
		}
		variants = []map[string]any{{ep.msgField: "header X-Auth-Token is required; body field /url is required"}}
	}
	for _, fields := range variants {
		body := cloneMap(ep.template)
		maps.Copy(body, fields)
		b, err := json.Marshal(body)
		if err != nil {
			return false
		}
		var decoded any
		if json.Unmarshal(b, &decoded) != nil || doc.ValidateValue(ep.schema, decoded) != nil {
			return false
		}
	}
	return true
}

// profileErrors reports whether the error response answering the router's 404 and 405 has
// the profile's error shape, from the schema alone, so a lazily planned document knows its
// 404 format before any plan exists. An unknown path or method is a problem of the "other"
// class, so the response is the one openapi.Operation.ErrorResponse chooses for that class
// (400, 4XX, default, the lowest declared 4xx), the same resolver that picks the answer to
// the operation's own invalid parameters.
func profileErrors(prof Profile, op *openapi.Operation) bool {
	if prof == nil {
		return false
	}
	key, _, ok := op.ErrorResponse(openapi.OtherProblem)
	if !ok {
		return false
	}
	r := op.Operation.Responses.Value(key)
	if r == nil || r.Value == nil {
		return false
	}
	types := make([]string, 0, len(r.Value.Content))
	for mt := range r.Value.Content {
		types = append(types, mt)
	}
	if types = orderMediaTypes(types); len(types) == 0 {
		return false
	}
	media := r.Value.Content[types[0]]
	if !openapi.IsJSON(baseMediaType(types[0])) || media == nil || media.Schema == nil {
		return false
	}
	return prof.ErrorShape(media.Schema.Value)
}

func isStringProp(ref *openapi3.SchemaRef) bool {
	return ref != nil && ref.Value != nil && (ref.Value.Type == nil || ref.Value.Type.Is("string"))
}

// problemDetails is an RFC 9457 body with hookkit's list of problems as an extension.
type problemDetails struct {
	Type   string            `json:"type"`
	Title  string            `json:"title"`
	Status int               `json:"status"`
	Detail string            `json:"detail"`
	Errors []openapi.Problem `json:"errors,omitempty"`
}

// errorBody renders the body answering problems (at least one). The message joins every
// problem; problem messages never contain request values, so secrets cannot leak here.
func (s *state) errorBody(ep *errorPlan, problems openapi.Problems) []byte {
	msg := problems.Error()
	switch ep.style {
	case styleProblem:
		b, _ := json.Marshal(problemDetails{
			Type:   "about:blank",
			Title:  http.StatusText(ep.status),
			Status: ep.status,
			Detail: msg,
			Errors: problems,
		})
		return b
	case styleProfile:
		if ep.template == nil {
			// The router's 404 and 405 (see buildState): no declared schema to fill.
			_, b := ep.profile.NotFoundBody(problems)
			return b
		}
		body := cloneMap(ep.template)
		ep.profile.SetErrorFields(body, problems, msg)
		if b, ok := s.validBody(ep, body); ok {
			return b
		}
		return ep.fallback
	}
	if ep.msgField == "." {
		return []byte(msg)
	}
	if ep.template == nil || ep.msgField == "" {
		return ep.fallback
	}
	body := cloneMap(ep.template)
	body[ep.msgField] = msg
	if b, ok := s.validBody(ep, body); ok {
		return b
	}
	return ep.fallback
}

// validBody marshals body when it honours the error schema (a maxLength or pattern on the
// message property could forbid the text the mock wants to say).
func (s *state) validBody(ep *errorPlan, body map[string]any) ([]byte, bool) {
	b, ok := marshalFlat(body)
	if !ok {
		var err error
		if b, err = json.Marshal(body); err != nil {
			return nil, false
		}
	}
	if ep.schema == nil || ep.trusted {
		return b, true
	}
	var decoded any
	if err := json.Unmarshal(b, &decoded); err != nil {
		return nil, false
	}
	if err := s.doc.ValidateValue(ep.schema, decoded); err != nil {
		return nil, false
	}
	return b, true
}

func cloneMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m)+2)
	for k, v := range m {
		out[k] = v
	}
	return out
}

// writeError answers problems with the error plan.
func (s *state) writeError(w http.ResponseWriter, ep *errorPlan, problems openapi.Problems) {
	body := s.errorBody(ep, problems)
	h := w.Header()
	// The keys are canonical, so the values go in directly, sharing one backing array
	// (each capped at its length, so an Add elsewhere copies rather than overwrites).
	vals := make([]string, 2)
	if ep.contentType != "" && body != nil {
		vals[0] = ep.contentType
		h["Content-Type"] = vals[0:1:1]
	}
	if len(body) == 0 {
		// The declared error response has no content: the problems travel in a header,
		// so the client sees why without reading the mock's log.
		h.Set(ProblemsHeader, headerText(problems.Error()))
	}
	vals[1] = strconv.Itoa(len(body))
	h["Content-Length"] = vals[1:2:2]
	w.WriteHeader(ep.status)
	_, _ = w.Write(body)
}

// ProblemsHeader carries the problems of an invalid request when the declared error
// response has no body. Problem messages never hold request values, so it is safe to send.
const ProblemsHeader = "Hookkit-Problems"

// maxProblemsHeader bounds the header's length, far below common header limits.
const maxProblemsHeader = 2000

// headerText makes s a valid header value: control characters become spaces, and it is
// cut to maxProblemsHeader bytes at a rune boundary.
func headerText(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c < 0x20 || c == 0x7f {
			b[i] = ' '
		}
	}
	if len(b) > maxProblemsHeader {
		b = b[:maxProblemsHeader]
		for len(b) > 0 && !utf8.Valid(b) {
			b = b[:len(b)-1]
		}
	}
	return string(b)
}

// AuthVerifiedHeader is set to "no" on answers to operations that require a credential
// when no auth.tokens are configured: any present credential was accepted without judging
// its value. hookkit check reads it to skip, with a note, its invalid-credential case
// instead of failing it. (Its name avoids the words that make the redactor hide a value.)
const AuthVerifiedHeader = "Hookkit-Auth-Verified"
