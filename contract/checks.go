package contract

import "github.com/hookkit/hookkit/openapi"

// CheckName names one rule the checker applies. The names are stable kebab-case strings:
// CI systems grep for them, reports print them and a test pins the catalogue, so a rename
// is a breaking change.
type CheckName string

// The catalogue, in the order reports list them.
const (
	// Reachable fails when the target gives no HTTP answer (connection refused, DNS,
	// timeout, TLS).
	Reachable CheckName = "reachable"
	// RequestValid fails when a request that should honour the document does not: a
	// positive case built from --set values the document rejects, or, in proxy and HAR
	// mode, a client's request.
	RequestValid CheckName = "request-valid"
	// StatusDeclared fails when the status is declared neither exactly, nor by range
	// (4XX), nor by default.
	StatusDeclared CheckName = "status-declared"
	// NoServerError fails on any 5xx: a server must never fail on any input.
	NoServerError CheckName = "no-server-error"
	// ContentType fails when the response's Content-Type is not a declared media type
	// (parameters such as charset are tolerated).
	ContentType CheckName = "content-type"
	// BodySchema fails when the body does not parse or breaks its schema; each error
	// carries its JSON pointer.
	BodySchema CheckName = "body-schema"
	// Headers fails when a declared response header is missing or invalid.
	Headers CheckName = "headers"
	// ResponseTime fails when the answer took longer than Options.MaxResponseTime.
	ResponseTime CheckName = "response-time"
	// PositiveAccepted fails when a valid request is not answered with a 2xx; the
	// server's error message is part of the failure.
	PositiveAccepted CheckName = "positive-accepted"
	// NegativeRejected fails when an invalid request is not answered with a 4xx.
	NegativeRejected CheckName = "negative-rejected"
	// NegativeStatus fails when an invalid request is rejected with another 4xx than the
	// one the document declares for its kind of problem: 401 (or 403) for a credential,
	// 422 for a body.
	NegativeStatus CheckName = "negative-status"
	// CreatedAvailable fails when a resource the server created cannot be read back (or
	// the create answer names no id to read it by).
	CreatedAvailable CheckName = "created-available"
	// ResourceIdentity fails when reading a resource by id returns another resource.
	ResourceIdentity CheckName = "resource-identity"
	// ResourceEqual fails when a resource read back does not hold the values sent for the
	// fields the request and the resource share.
	ResourceEqual CheckName = "resource-equal"
	// ListContains fails when the list of a collection does not hold a resource just
	// created in it.
	ListContains CheckName = "list-contains"
	// UseAfterDelete fails when a deleted resource is still served (not 404 or 410).
	UseAfterDelete CheckName = "use-after-delete"
)

// Checks returns the catalogue in report order.
func Checks() []CheckName {
	return []CheckName{Reachable, RequestValid, StatusDeclared, NoServerError, ContentType,
		BodySchema, Headers, ResponseTime, PositiveAccepted, NegativeRejected, NegativeStatus,
		CreatedAvailable, ResourceIdentity, ResourceEqual, ListContains, UseAfterDelete}
}

// checkFor maps a response problem found by package openapi to the check it fails.
func checkFor(k openapi.Kind) CheckName {
	switch k {
	case openapi.UndeclaredStatus:
		return StatusDeclared
	case openapi.WrongContentType:
		return ContentType
	case openapi.MissingHeader, openapi.InvalidHeader:
		return Headers
	default:
		return BodySchema
	}
}

// Finding is one failed check. It is safe to print: messages never hold a credential and
// secrets in quoted server answers are redacted before a Finding is built.
type Finding struct {
	Check CheckName `json:"check"`
	// Kind is package openapi's problem kind when the finding comes from validation.
	Kind openapi.Kind `json:"kind,omitempty"`
	// In and Name locate the problem: "body" and a JSON pointer, "header" and a name...
	In   string `json:"in,omitempty"`
	Name string `json:"name,omitempty"`
	// Message says what is wrong.
	Message string `json:"message"`
}

func (f Finding) String() string { return string(f.Check) + ": " + f.Message }

func findingsOf(check CheckName, ps openapi.Problems) []Finding {
	out := make([]Finding, 0, len(ps))
	for _, p := range ps {
		c := check
		if c == "" {
			c = checkFor(p.Kind)
		}
		out = append(out, Finding{Check: c, Kind: p.Kind, In: p.In, Name: p.Name, Message: p.Message})
	}
	return out
}
