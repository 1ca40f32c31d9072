// Package openapi loads an OpenAPI 3 document once and answers every question the mock
// server and the contract checker ask of it: which operation a request is for, whether a
// request or a response honours the document, which examples it declares and what a valid
// value of a schema looks like.
//
// It knows nothing of serving or checking. Both sides load the same [Document], so they can
// never disagree about what the document says.
//
// # Loading
//
// [Default] returns the embedded hook API document (hooks.yaml); [Load] reads any document
// a user names. Both validate the document with kin-openapi and report problems that make
// serving impossible as a [*LoadError] that names the file and, where the loader knows it,
// the line. Warnings get their lines from a line scan of the YAML (yamllines.go) rather
// than a second parse, so a document of thousands of operations loads in about the time
// kin-openapi takes.
//
// Loading is lenient about what published documents commonly get wrong and a mock can work
// around: examples and defaults that break their schemas, unknown keys, duplicate
// operationIds, 3.0 keywords in 3.1. Each becomes a [Warning] in [Document.Warnings] with
// file and line, and the part concerned is handled (an invalid example is removed, so it
// is never served or sent). [LoadWith] with [LoadOptions.Strict] refuses them instead.
//
// # Statuses of rejections
//
// [ClassOf] sorts a request's problems into credential, body and other problems, and
// [Operation.ErrorResponse] picks the declared response answering each class (401/403,
// 422, then 400, 4XX, default, the lowest 4xx), so the mock answers and the checker
// expects the same status.
//
// # One of each core concept
//
// The mock, the checker and the proxy share these instead of keeping their own copies, so
// they cannot drift apart: [IsJSON] (which media types are JSON), [Redactor.Body] (the one
// JSON redactor, a single byte-level pass in redactjson.go; [Redactor.BodyText] for text
// that is almost JSON), [Secrets] (scrubbing secret values), [ResponseKey] (which declared
// response answers a status), [TopFields] (the top-level fields of a JSON object),
// [Operation.Parameters] (the effective parameters in kin-openapi's order, the same list
// the fast path compiles). Both journals, the mock's and the proxy's, keep their entries in
// one ring with a byte budget, internal/ring under the module root.
//
// # Errors
//
// A document that cannot be served is a [LoadError] with file, line and a stable Code
// (the Code* constants, or kin-openapi's own code for a rule of the specification), so
// tools and tests match codes, not wording. The text of kin-openapi's and the YAML
// parser's messages is read in one adapter file each (kintext.go, yamltext.go), every
// string pinned by a test against the dependency.
//
// # Routing
//
// [Document.Find] matches a request against the document's path templates in a trie, so
// its cost depends on the number of path segments, not on the number of operations.
//
// # Validation
//
// [Document.ValidateRequest] and [Document.ValidateResponse] report every problem at once as
// [Problem] values with a stable [Kind], the place (header, query, body pointer) and a
// message that never repeats the offending value, so secrets cannot leak through them.
// Common requests are decided by a compiled fast path (internal/fastpath) that agrees with
// kin-openapi, which decides the rest.
//
// What kin-openapi cannot decode is decoded here: deepObject query parameters and
// form-urlencoded bodies with bracketed names (form.go), response bodies in XML, HTML, text
// and event streams (response_media.go). OpenAPI 3.1 failures are named like 3.0 ones
// (problems31.go). [Document.CheckCredentials] judges presented credentials against a
// list of accepted ones, for the mock's auth.tokens.
package openapi
