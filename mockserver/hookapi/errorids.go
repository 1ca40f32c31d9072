package hookapi

import (
	"github.com/hookkit/hookkit/openapi"
)

// ErrorCodePrefix starts every error_code of a ServiceStage-style error body.
const ErrorCodePrefix = "SVCSTG.REPO."

// KindDuplicateHook is the failure of the hook store's duplicate check
// (hooks.onDuplicate: reject), which gets an error id like the validation problems.
const KindDuplicateHook openapi.Kind = "duplicate-hook"

// ErrorID is one row of the error id catalogue: the numeric id the mock puts after
// ErrorCodePrefix for the first problem of a request.
type ErrorID struct {
	ID      string // four digits, e.g. "0401"
	Meaning string // the row of the table in hooks.yaml's 400 description and the README
}

// errorCatalogue is the single source of the ids. The table in the 400 description of
// openapi/hooks.yaml and the README's "Error ids" list the same rows in the same order; a
// test parses the document and fails when they drift apart. Ids are stable: clients match
// on them, so a row may be added but never renumbered.
var errorCatalogue = []ErrorID{
	{"0400", "other invalid request"},
	{"0401", "credential missing, empty or refused (X-Auth-Token, or an AK/SK signature that does not verify)"},
	{"0402", "header parameter (X-Repo-Auth) missing, empty or invalid"},
	{"0403", "path, query or cookie parameter missing or invalid"},
	{"0404", "no operation at this path"},
	{"0405", "method not allowed at this path"},
	{"0409", "a hook with this url already exists on this repository (hooks.onDuplicate: reject)"},
	{"0410", "Content-Type missing or not JSON"},
	{"0411", "body missing or not well-formed JSON (syntax, UTF-8, nesting)"},
	{"0412", "body too large"},
	{"0420", "required body field missing"},
	{"0421", "body field has the wrong type"},
	{"0422", "body field has an invalid value (format, pattern, length, enum)"},
}

// errorCodes holds the full error_code of every catalogue id, already stored in an
// interface value: SetErrorFields runs on every invalid request, and building the string
// and boxing it there cost two allocations per answer.
var errorCodes = func() map[string]any {
	m := make(map[string]any, len(errorCatalogue))
	for _, id := range errorCatalogue {
		m[id.ID] = ErrorCodePrefix + id.ID
	}
	return m
}()

// ErrorCatalogue returns the error ids the mock uses, in id order, for documentation and
// for clients that want to match on them.
func ErrorCatalogue() []ErrorID { return append([]ErrorID(nil), errorCatalogue...) }

// ErrorIDFor maps a problem to its id. Only the first problem of a request chooses the id;
// the message lists them all.
func ErrorIDFor(p openapi.Problem) string {
	switch p.Kind {
	case openapi.MissingCredential, KindInvalidSignature, openapi.RejectedCredential:
		return "0401"
	case openapi.MissingParameter, openapi.InvalidParameter:
		if p.In == "header" {
			return "0402"
		}
		return "0403"
	case openapi.UnknownPath:
		return "0404"
	case openapi.MethodNotAllowed:
		return "0405"
	case KindDuplicateHook:
		return "0409"
	case openapi.UnsupportedMediaType:
		return "0410"
	case openapi.MalformedBody, openapi.MissingBody:
		return "0411"
	case openapi.BodyTooLarge:
		return "0412"
	case openapi.MissingField:
		return "0420"
	case openapi.WrongType:
		return "0421"
	case openapi.InvalidValue:
		return "0422"
	}
	return "0400"
}

// KindInvalidSignature is the problem kind of a refused AK/SK signature (the generic
// mock verifies signatures for any document declaring SDK-HMAC-SHA256): a credential
// problem (openapi.ClassOf), answered 401/403 where the operation declares them, and
// with the credential error id (SVCSTG.REPO.0401) by the hook API.
const KindInvalidSignature = openapi.InvalidSignature
