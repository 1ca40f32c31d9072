package openapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// ValidateResponse checks a response to req, which was routed to m, and returns every
// problem found, or nil: an undeclared status, a Content-Type the status does not declare,
// missing or invalid declared headers, and a body that breaks its schema.
func (d *Document) ValidateResponse(ctx context.Context, req *http.Request, m *Match, status int, header http.Header, body []byte) Problems {
	op := m.Operation.Operation
	if op.Responses == nil || op.Responses.Len() == 0 {
		return nil
	}
	resp := ResponseFor(op, status)
	if resp == nil {
		return Problems{{Kind: UndeclaredStatus, In: "status", Name: strconv.Itoa(status),
			Message: fmt.Sprintf("status %d is not declared for %s (declared: %s)", status, m.Operation.ID, strings.Join(slices.Sorted(maps.Keys(op.Responses.Map())), ", "))}}
	}
	var problems Problems
	opts := d.options
	if len(resp.Content) > 0 && (len(body) > 0 || header.Get("Content-Type") != "") {
		ct := header.Get("Content-Type")
		if resp.Content.Get(ct) == nil {
			return append(problems, Problem{Kind: WrongContentType, In: "header", Name: "Content-Type",
				Message: fmt.Sprintf("Content-Type %q is not declared for status %d (declared: %s)", ct, status, strings.Join(slices.Sorted(maps.Keys(resp.Content)), ", "))})
		}
		if IsJSON(ct) {
			if len(body) == 0 {
				return append(problems, Problem{Kind: MalformedResponse, In: "body", Message: "body is empty but a JSON body is declared"})
			}
			if p, ok := CheckJSON(body); !ok {
				p.Kind = MalformedResponse
				return append(problems, p)
			}
		}
		if ownDecoded(ct) {
			// XML, HTML, event streams...: judged by response_media.go.
			problems = append(problems, d.opaqueBodyProblems(ct, resp.Content.Get(ct), body)...)
			o := *d.options
			o.ExcludeResponseBody = true
			opts = &o
		}
	}
	if req == nil {
		req, _ = http.NewRequestWithContext(ctx, m.Operation.Method, m.Operation.Path, nil)
	}
	err := openapi3filter.ValidateResponse(ctx, &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: req, PathParams: m.PathParams, Route: m.Operation.route, Options: opts,
		},
		Status:  status,
		Header:  header,
		Body:    io.NopCloser(bytes.NewReader(body)),
		Options: opts,
	})
	return append(problems, responseProblems(err)...)
}

// ResponseFor returns the response an operation declares for status: the exact code, else
// its range (4XX), else default; nil when none applies.
func ResponseFor(op *openapi3.Operation, status int) *openapi3.Response {
	key, ok := ResponseKey(op, status)
	if !ok {
		return nil
	}
	return op.Responses.Value(key).Value
}

// ResponseKey resolves a status to the key of the response that declares it, as OpenAPI
// defines it: the exact code, else its range (4XX), else default. It is the kit's one
// status-to-response resolver: the validator, the checker and the mock's plans use it.
func ResponseKey(op *openapi3.Operation, status int) (string, bool) {
	if op.Responses == nil {
		return "", false
	}
	for _, key := range []string{strconv.Itoa(status), fmt.Sprintf("%dXX", status/100), "default"} {
		if r := op.Responses.Value(key); r != nil && r.Value != nil {
			return key, true
		}
	}
	return "", false
}

func responseProblems(err error) Problems {
	if err == nil {
		return nil
	}
	var out Problems
	for _, e := range flatten(err) {
		var re *openapi3filter.ResponseError
		if !errors.As(e, &re) {
			out = append(out, Problem{Kind: InvalidBody, In: "body", Message: "response is invalid"})
			continue
		}
		switch {
		case isMissingHeader(re.Reason):
			name, _ := missingResponseHeader(re.Reason)
			out = append(out, Problem{Kind: MissingHeader, In: "header", Name: name, Message: "response header " + name + " is required"})
		case invalidResponseHeader(re.Reason):
			out = append(out, Problem{Kind: InvalidHeader, In: "header", Message: re.Reason})
		case undecodableBody(re.Reason):
			out = append(out, Problem{Kind: MalformedResponse, In: "body", Message: "body cannot be parsed as its media type"})
		case re.Err != nil:
			for _, leaf := range flatten(re.Err) {
				var se *openapi3.SchemaError
				if errors.As(leaf, &se) {
					for _, p := range schemaProblemsOf(se, "response field") {
						p.Kind = InvalidBody
						out = append(out, p)
					}
				} else {
					out = append(out, Problem{Kind: InvalidBody, In: "body", Message: "response body is invalid"})
				}
			}
		default:
			out = append(out, Problem{Kind: InvalidBody, In: "body", Message: re.Reason})
		}
	}
	return out
}
