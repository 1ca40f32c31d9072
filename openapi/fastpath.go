package openapi

import (
	"net/http"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/hookkit/hookkit/openapi/internal/fastpath"
)

// The fast path answers "is this request valid?", and names the problems of an invalid
// one, for the common case without kin-openapi: see package internal/fastpath for what it
// supports and which of kin-openapi's behaviours it mirrors. This file connects it to the
// Document: the options it mirrors (validate.go's formats and requireCredential), the body
// decoded as kin-openapi would (fastjson.go), and its failures turned into Problems by
// validate.go's own functions, so both paths word them alike.

type (
	requestPlan = fastpath.Plan
	verdict     = fastpath.Verdict
)

const (
	verdictUnknown = fastpath.Unknown
	verdictValid   = fastpath.Valid
	verdictInvalid = fastpath.Invalid
)

// fastpathOptions are validationOptions as the fast path needs them.
var fastpathOptions = &fastpath.Options{Formats: formatValidators, Credential: credentialPresent, CredentialMessage: credentialMessage, Pointer: Pointer}

// credentialMessage is the message of credentialProblem for scheme s, which the plan
// builds once per scheme.
func credentialMessage(s *openapi3.SecurityScheme) string {
	return credentialError("", s).Error()
}

// compilePlan returns the operation's plan, or nil when kin-openapi must decide its requests.
func compilePlan(t *openapi3.T, op *Operation) *fastpath.Plan {
	return fastpath.Compile(t, op.Operation, fastpath.Parameters(op.PathItem, op.Operation), fastpathOptions)
}

// fastInput prepares the plan's input. malformed is the problem of a body that is not
// JSON though its Content-Type says so: kin-openapi reports it, then validates the rest
// without the body. ok is false when the plan cannot decide.
func fastInput(r *http.Request, m *Match, body []byte) (in fastpath.Input, malformed *Problem, ok bool) {
	in = fastpath.Input{Request: r, PathParams: m.PathParams, Body: body}
	if len(body) == 0 {
		return in, nil, true
	}
	// ValidateRequest rejects a JSON-typed body that CheckJSON rejects; parseJSON accepts
	// exactly what CheckJSON accepts, and decodes it as kin-openapi would.
	if v, ok := parseJSON(body); ok {
		in.Value = v
		return in, nil, true
	}
	if p, ok := CheckJSON(body); !ok && IsJSON(r.Header.Get("Content-Type")) {
		in.SkipBody = true
		return in, &p, true
	}
	return in, nil, false
}

// planOf returns the plan of the matched operation, or nil.
func planOf(m *Match) *fastpath.Plan {
	if m == nil || m.Operation == nil {
		return nil
	}
	return m.Operation.plan
}

// fastVerdict runs only the operation's plan, stopping at the first failure; tests compare
// it with kin-openapi.
func (d *Document) fastVerdict(r *http.Request, m *Match, body []byte) verdict {
	p := planOf(m)
	if p == nil {
		return verdictUnknown
	}
	in, malformed, ok := fastInput(r, m, body)
	switch {
	case !ok:
		return verdictUnknown
	case malformed != nil:
		return verdictInvalid
	}
	v, _ := p.Decide(&in)
	return v
}

// fastProblems runs the operation's plan: verdictValid, or verdictInvalid with the problems
// when the plan can name them exactly as kin-openapi's path (validateRequestKin) would (nil
// when it cannot), or verdictUnknown.
func (d *Document) fastProblems(r *http.Request, m *Match, body []byte) (verdict, Problems) {
	p := planOf(m)
	if p == nil {
		return verdictUnknown, nil
	}
	in, malformed, ok := fastInput(r, m, body)
	if !ok {
		return verdictUnknown, nil
	}
	var out Problems
	from := -1 // the security requirements, then everything else
	if malformed != nil {
		out = append(out, *malformed)
	} else {
		v, part := p.Decide(&in)
		if v != verdictInvalid {
			return v, nil
		}
		from = part
	}
	failures, ok := p.Explain(&in, from)
	if !ok || len(out)+len(failures) == 0 {
		// Invalid, yet not nameable exactly (or nothing found): kin-openapi names them.
		return verdictInvalid, nil
	}
	for i := range failures {
		out = append(out, failureProblem(&failures[i]))
	}
	return verdictInvalid, out
}

// failureProblem is the Problem validate.go makes of the kin-openapi error f stands for.
func failureProblem(f *fastpath.Failure) Problem {
	switch f.Kind {
	case fastpath.MissingCredential:
		if f.Message != "" {
			ce := credentialError("", f.Scheme)
			return Problem{Kind: MissingCredential, In: ce.In, Name: ce.Name, Message: f.Message}
		}
		return credentialProblem(credentialError("", f.Scheme))
	case fastpath.MissingParameter:
		return missingParameterProblem(f.In, f.Name)
	case fastpath.InvalidParameter:
		if f.Schema.SchemaField == "" {
			return invalidParameterProblem(f.In, f.Name, invalidValueReason)
		}
		return invalidParameterProblem(f.In, f.Name, schemaReason(&f.Schema))
	case fastpath.MissingBody:
		return missingBodyProblem()
	case fastpath.ContentType:
		return contentTypeProblem(f.RequestBody)
	}
	return schemaProblemAt(f.Pointer, &f.Schema, "body field")
}
