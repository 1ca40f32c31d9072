package openapi_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/hookkit/hookkit/openapi"
)

func TestDecodeJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		want    any
		wantErr bool
	}{
		{name: "big integer kept exact", in: `9007199254740993`, want: json.Number("9007199254740993")},
		{name: "decimal kept as written", in: `{"a":[1.50,true,null,"x"]}`, want: map[string]any{"a": []any{json.Number("1.50"), true, nil, "x"}}},
		{name: "only the first value is read", in: `{"a":1} {"b":2}`, want: map[string]any{"a": json.Number("1")}},
		{name: "syntax error", in: `{"a":`, wantErr: true},
		{name: "empty", in: ``, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := openapi.DecodeJSON([]byte(tt.in))
			if (err != nil) != tt.wantErr {
				t.Fatalf("DecodeJSON(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("DecodeJSON(%q) = %#v, want %#v", tt.in, got, tt.want)
			}
		})
	}
}

func TestDecodeJSONObject(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		want    map[string]any
		wantErr bool
	}{
		{name: "object", in: `{"id":12345678901234567890}`, want: map[string]any{"id": json.Number("12345678901234567890")}},
		{name: "null is an empty object", in: `null`, want: map[string]any{}},
		{name: "array is refused", in: `[1]`, wantErr: true},
		{name: "string is refused", in: `"x"`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := openapi.DecodeJSONObject([]byte(tt.in))
			if (err != nil) != tt.wantErr {
				t.Fatalf("DecodeJSONObject(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			}
			if !tt.wantErr && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("DecodeJSONObject(%q) = %#v, want %#v", tt.in, got, tt.want)
			}
		})
	}
}
