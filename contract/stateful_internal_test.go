package contract

import (
	"encoding/json"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// TestSharedEqual pins what the stateful sequences compare between what was sent and
// what was read back: fields the server sets (readOnly) or never returns (writeOnly) are
// skipped at every depth; everything else sent must come back equal.
func TestSharedEqual(t *testing.T) {
	t.Parallel()
	var owner openapi3.Schema
	if err := json.Unmarshal([]byte(`{"type":"object","properties":{
		"id":{"type":"integer","readOnly":true},
		"password":{"type":"string","writeOnly":true},
		"email":{"type":"string"},
		"pets":{"type":"array","items":{"allOf":[{"type":"object","properties":{"tag":{"type":"string","readOnly":true}}}],
			"properties":{"name":{"type":"string"}}}}}}`), &owner); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		sent, got string
		equal     bool
	}{
		{"same", `{"email":"a@x"}`, `{"email":"a@x"}`, true},
		{"server fields added, writeOnly held back", `{"email":"a@x","password":"pw"}`, `{"email":"a@x","id":7}`, true},
		{"a shared field changed", `{"email":"a@x","password":"pw"}`, `{"email":"b@x","id":7}`, false},
		{"readOnly in array items through allOf", `{"pets":[{"name":"rex","tag":"t1"}]}`, `{"pets":[{"name":"rex","tag":"t9"}]}`, true},
		{"array item changed", `{"pets":[{"name":"rex"}]}`, `{"pets":[{"name":"max"}]}`, false},
		{"array item lost", `{"pets":[{"name":"rex"},{"name":"max"}]}`, `{"pets":[{"name":"rex"}]}`, false},
		{"object replaced by a scalar", `{"email":"a@x"}`, `"a@x"`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var sent, got any
			if json.Unmarshal([]byte(tc.sent), &sent) != nil || json.Unmarshal([]byte(tc.got), &got) != nil {
				t.Fatal("bad test JSON")
			}
			if eq := sharedEqual(sent, got, &owner, 0); eq != tc.equal {
				t.Errorf("sharedEqual(%s, %s) = %v, want %v", tc.sent, tc.got, eq, tc.equal)
			}
		})
	}
}
