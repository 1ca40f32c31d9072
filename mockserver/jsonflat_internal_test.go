package mockserver

import (
	"encoding/json"
	"testing"
)

// TestMarshalFlatAsJSON pins marshalFlat to json.Marshal: the same bytes for objects of
// strings (escaping, HTML characters, invalid UTF-8, key order), and no answer for others.
func TestMarshalFlatAsJSON(t *testing.T) {
	tests := []struct {
		name string
		m    map[string]any
		ok   bool
	}{
		{"empty", map[string]any{}, true},
		{"profile error", map[string]any{"error_code": "SVCSTG.REPO.0400", "error_msg": "header X-Auth-Token is required; body field /url is required"}, true},
		{"escapes", map[string]any{"b": "quote \" backslash \\ tab \t nl \n <script>&</script> \u2028 \x7f é", "a": "\xff\xfe bad utf-8", "<k>": "v"}, true},
		{"many keys", map[string]any{"k9": "9", "k1": "1", "k5": "5", "k3": "3", "k7": "7", "k2": "2", "k8": "8", "k4": "4", "k6": "6", "k0": "0"}, true},
		{"number", map[string]any{"code": 400, "msg": "x"}, false},
		{"nested", map[string]any{"msg": "x", "detail": map[string]any{"a": "b"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for range 2 { // the second time through pooled scratch space
				got, ok := marshalFlat(tt.m)
				if ok != tt.ok {
					t.Fatalf("ok = %v, want %v", ok, tt.ok)
				}
				if !ok {
					return
				}
				want, err := json.Marshal(tt.m)
				if err != nil {
					t.Fatal(err)
				}
				if string(got) != string(want) {
					t.Errorf("marshalFlat = %s\njson.Marshal = %s", got, want)
				}
			}
		})
	}
}
