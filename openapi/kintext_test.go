package openapi

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

const kinTextDoc = `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object}
      responses:
        "200":
          description: ok
          headers:
            X-Rate: {required: true, schema: {type: integer}}
          content:
            application/json:
              schema: {type: object}
`

// TestKinTextPinned drives kin-openapi to each message whose text kintext.go reads, so an
// upgrade that rewords one fails here rather than in a user's report.
func TestKinTextPinned(t *testing.T) {
	t.Parallel()
	doc, err := Parse([]byte(kinTextDoc), "kintext.yaml")
	if err != nil {
		t.Fatal(err)
	}
	op := doc.Operations[0]
	ctx := context.Background()

	request := func(contentType string) *openapi3filter.RequestError {
		t.Helper()
		r := httptest.NewRequest(http.MethodPost, "/a", strings.NewReader(`{}`))
		if contentType != "" {
			r.Header.Set("Content-Type", contentType)
		}
		err := openapi3filter.ValidateRequest(ctx, &openapi3filter.RequestValidationInput{Request: r, Route: op.route, Options: &openapi3filter.Options{}})
		var re *openapi3filter.RequestError
		if !errors.As(err, &re) {
			t.Fatalf("Content-Type %q: %v, want a RequestError", contentType, err)
		}
		return re
	}
	response := func(header http.Header, body string) *openapi3filter.ResponseError {
		t.Helper()
		in := &openapi3filter.RequestValidationInput{Request: httptest.NewRequest(http.MethodPost, "/a", nil), Route: op.route}
		header.Set("Content-Type", "application/json")
		err := openapi3filter.ValidateResponse(ctx, &openapi3filter.ResponseValidationInput{
			RequestValidationInput: in, Status: 200, Header: header, Body: io.NopCloser(bytes.NewReader([]byte(body))),
			Options: &openapi3filter.Options{IncludeResponseStatus: true},
		})
		var re *openapi3filter.ResponseError
		if !errors.As(err, &re) {
			t.Fatalf("response %v %q: %v, want a ResponseError", header, body, err)
		}
		return re
	}

	if re := request("text/plain"); !unexpectedContentType(re.Reason) {
		t.Errorf("undeclared Content-Type: reason %q", re.Reason)
	}
	if re := request(""); !contentTypeReason(re.Reason) {
		t.Errorf("absent Content-Type: reason %q", re.Reason)
	}
	if re := response(http.Header{}, `{}`); !isMissingHeader(re.Reason) {
		t.Errorf("missing header: reason %q", re.Reason)
	} else if name, _ := missingResponseHeader(re.Reason); name != "X-Rate" {
		t.Errorf("missing header named %q in %q", name, re.Reason)
	}
	if re := response(http.Header{"X-Rate": {"many"}}, `{}`); isMissingHeader(re.Reason) || !invalidResponseHeader(re.Reason) {
		t.Errorf("invalid header: reason %q", re.Reason)
	}
	if re := response(http.Header{"X-Rate": {"1"}}, `{not json`); !undecodableBody(re.Reason) {
		t.Errorf("undecodable body: reason %q", re.Reason)
	}

	str := &openapi3.Schema{Type: &openapi3.Types{"string"}}
	if err := str.VisitJSON(1.0); err == nil || !strings.Contains(err.Error(), kinSchemaDump) || strings.Contains(cutSchemaDump(err.Error()), "\n") {
		t.Errorf("schema error %q: no dump starting with %q, or not cut", err, kinSchemaDump)
	}
	closed := &openapi3.Schema{Type: &openapi3.Types{"object"}, AdditionalProperties: openapi3.AdditionalProperties{Has: new(false)}}
	var se *openapi3.SchemaError
	if err := closed.VisitJSON(map[string]any{"extra": 1.0}); !errors.As(err, &se) || !unsupportedProperty(se) {
		t.Errorf("additionalProperties: %v (field %q)", err, se.SchemaField)
	}
}
