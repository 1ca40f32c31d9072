package openapi

import (
	"bytes"
	"encoding/json"
)

// DecodeJSON decodes the first JSON value of b the way kin-openapi's body decoder does
// (encoding/json with UseNumber: map[string]any, []any, string, json.Number, bool, nil), so
// numbers stay exact: 9007199254740993 is not rounded to a float64, and a rule, a stored
// resource or a report shows the digits the client sent. It is the one such decoder of the
// tree; the checker's report, the mock's rule input and its stateful store all use it.
//
// What follows the first value is not read, as with json.Decoder; callers that must refuse
// trailing data check the whole body first (CheckJSON, or the fast path's parser).
func DecodeJSON(b []byte) (any, error) {
	var v any
	if err := decodeNumbers(b, &v); err != nil {
		return nil, err
	}
	return v, nil
}

// DecodeJSONObject is DecodeJSON for a value that must be a JSON object. null decodes to an
// empty map, so a caller can add members without a nil check; any other kind is an error.
func DecodeJSONObject(b []byte) (map[string]any, error) {
	var m map[string]any
	if err := decodeNumbers(b, &m); err != nil {
		return nil, err
	}
	if m == nil {
		m = map[string]any{}
	}
	return m, nil
}

func decodeNumbers(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	return dec.Decode(v)
}
