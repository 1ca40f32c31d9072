package openapi

import (
	"encoding/json"
	"errors"
	"fmt"
)

func jsonValid(b []byte) bool { return json.Valid(b) }

// jsonSyntaxError describes why b is not JSON, with the byte offset but none of the content.
func jsonSyntaxError(b []byte) string {
	var v any
	err := json.Unmarshal(b, &v)
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("syntax error at offset %d", se.Offset)
	}
	if err != nil {
		return "unexpected end of input"
	}
	return "invalid"
}
