package openapi

import "strings"

// Kind names one kind of problem with a request or a response. The values are stable: the
// mock maps them to error ids, the checker prints them, and tests pin the catalogue.
type Kind string

// Request problems.
const (
	MissingCredential    Kind = "missing-credential"     // a security scheme's credential is absent or empty
	InvalidSignature     Kind = "invalid-signature"      // a signed credential (AK/SK) is present but its signature is refused
	RejectedCredential   Kind = "rejected-credential"    // a credential is present but not accepted (the mock's auth.tokens)
	MissingParameter     Kind = "missing-parameter"      // a required path, query, header or cookie parameter is absent
	InvalidParameter     Kind = "invalid-parameter"      // a parameter's value breaks its schema
	UnsupportedMediaType Kind = "unsupported-media-type" // Content-Type absent or not declared for the body
	MissingBody          Kind = "missing-body"           // a required body is empty
	MalformedBody        Kind = "malformed-body"         // the body does not parse (JSON syntax, UTF-8, nesting)
	BodyTooLarge         Kind = "body-too-large"         // the body exceeds the size limit
	MissingField         Kind = "missing-field"          // a required body property is absent
	WrongType            Kind = "wrong-type"             // a body value has the wrong JSON type
	InvalidValue         Kind = "invalid-value"          // a body value breaks format, pattern, enum, bounds...
	InvalidRequest       Kind = "invalid-request"        // anything else the validator rejects
	UnknownPath          Kind = "unknown-path"           // no operation of the document matches the path (a server's 404)
	MethodNotAllowed     Kind = "method-not-allowed"     // the path exists, the method is not declared there (a server's 405)
)

// Response problems.
const (
	UndeclaredStatus  Kind = "undeclared-status"  // the status is not declared for the operation
	WrongContentType  Kind = "wrong-content-type" // Content-Type is not a declared media type
	MissingHeader     Kind = "missing-header"     // a required response header is absent
	InvalidHeader     Kind = "invalid-header"     // a response header breaks its schema
	InvalidBody       Kind = "invalid-body"       // the body breaks its schema
	MalformedResponse Kind = "malformed-response" // the body does not parse as its media type
)

// Problem is one way a request or response breaks the document. Message never contains the
// offending value, so a Problem is safe to log, journal and report even when the value is a
// secret.
type Problem struct {
	Kind Kind `json:"kind"`
	// In is where the problem is: "path", "query", "header", "cookie", "body" or "status".
	In string `json:"in"`
	// Name is the parameter or header name, or for the body a JSON pointer such as "/url"
	// ("" for the body as a whole).
	Name string `json:"name,omitempty"`
	// Message says what is wrong, in words a frontend developer understands.
	Message string `json:"message"`
}

func (p Problem) String() string { return p.Message }

// Problems is a list of problems; its Error joins their messages.
type Problems []Problem

func (ps Problems) Error() string {
	msgs := make([]string, len(ps))
	for i, p := range ps {
		msgs[i] = p.Message
	}
	return strings.Join(msgs, "; ")
}
