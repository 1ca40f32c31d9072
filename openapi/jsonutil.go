package openapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
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

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
