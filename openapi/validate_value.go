package openapi

import "github.com/getkin/kin-openapi/openapi3"

// ValidateValueAs checks a decoded JSON value against a schema as a request or a response
// value, with the same options (formats included) as exchanges: a response value may
// leave out a required writeOnly property and must not hold one, a request value the
// same for readOnly. The stateful mock checks what it stores and returns with it, since
// a resource merged from a request and a template is only known valid once checked.
func (d *Document) ValidateValueAs(s *openapi3.Schema, v any, dir Direction) error {
	return d.validateFor(s, v, dir)
}

// DescribeInvalid says which places of a value break their schema and why, from the
// error of [Document.ValidateValueAs], without quoting any value (a value may be a
// secret a client sent).
func DescribeInvalid(err error) string { return describeInvalid(err) }
