package openapi

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// ProblemClass groups request problems by the status family that answers them. The mock
// chooses its answer by class and the checker expects the same, so both read it here.
type ProblemClass int

const (
	// OtherProblem: parameters, Content-Type and anything else: 400, 4XX, default, the
	// lowest declared 4xx.
	OtherProblem ProblemClass = iota
	// CredentialProblem: a missing or rejected credential (a refused AK/SK signature too):
	// 401, else 403, else as other.
	CredentialProblem
	// BodyProblem: the body is missing, malformed or breaks its schema: 422, else as other.
	BodyProblem
)

func (c ProblemClass) String() string {
	switch c {
	case CredentialProblem:
		return "credential"
	case BodyProblem:
		return "body"
	}
	return "other"
}

// ClassOf is the class of a request's problems: that of the first, which validation
// reports in the order security, parameters, Content-Type, body.
func ClassOf(ps Problems) ProblemClass {
	if len(ps) == 0 {
		return OtherProblem
	}
	switch ps[0].Kind {
	case MissingCredential, InvalidSignature, RejectedCredential:
		return CredentialProblem
	case MissingBody, MalformedBody, BodyTooLarge, MissingField, WrongType, InvalidValue:
		return BodyProblem
	}
	return OtherProblem
}

// classStatuses are the statuses that answer a class before the common ones.
func classStatuses(c ProblemClass) []string {
	switch c {
	case CredentialProblem:
		return []string{"401", "403"}
	case BodyProblem:
		return []string{"422"}
	}
	return nil
}

// ErrorResponse chooses the response key and the status answering a class of problems
// from what the operation declares: 401 then 403 for a credential, 422 for a body; then
// for every class 400, 4XX, default, and the lowest declared 4xx. ok is false when the
// operation declares no 4xx at all (the mock then answers 400 application/problem+json).
func (op *Operation) ErrorResponse(c ProblemClass) (key string, status int, ok bool) {
	if op.Operation.Responses == nil {
		return "", http.StatusBadRequest, false
	}
	resps := op.Operation.Responses.Map()
	for _, k := range append(classStatuses(c), "400", "4XX", "4xx", "default") {
		if _, declared := resps[k]; declared {
			if n, err := strconv.Atoi(k); err == nil {
				return k, n, true
			}
			return k, http.StatusBadRequest, true
		}
	}
	var codes []int
	for k := range resps {
		if n, err := strconv.Atoi(k); err == nil && n >= 400 && n < 500 {
			codes = append(codes, n)
		}
	}
	if len(codes) == 0 {
		return "", http.StatusBadRequest, false
	}
	sort.Ints(codes)
	return strconv.Itoa(codes[0]), codes[0], true
}

// ClassStatuses returns the statuses the operation declares for the class itself (401
// and 403 for a credential, 422 for a body): when there are any, a rejection with another
// status breaks the document's promise.
func (op *Operation) ClassStatuses(c ProblemClass) []int {
	if op.Operation.Responses == nil {
		return nil
	}
	var out []int
	for _, k := range classStatuses(c) {
		if op.Operation.Responses.Value(k) != nil {
			n, _ := strconv.Atoi(k)
			out = append(out, n)
		}
	}
	return out
}

// DeclaresAny4xx reports whether the operation declares a 4xx code, the 4XX range or
// default; without any, no status of a rejection is declared.
func (op *Operation) DeclaresAny4xx() bool {
	if op.Operation.Responses == nil {
		return false
	}
	for key := range op.Operation.Responses.Map() {
		if key == "default" || strings.EqualFold(key, "4XX") {
			return true
		}
		if n, err := strconv.Atoi(key); err == nil && n >= 400 && n < 500 {
			return true
		}
	}
	return false
}
