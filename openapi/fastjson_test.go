package openapi

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// decodeLikeKin decodes body as kin-openapi's JSON body decoder does, after CheckJSON.
func decodeLikeKin(body []byte) (any, bool) {
	if _, ok := CheckJSON(body); !ok {
		return nil, false
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	return v, true
}

func checkParseJSON(t *testing.T, body []byte) {
	t.Helper()
	got, ok := parseJSON(body)
	want, wantOK := decodeLikeKin(body)
	if ok != wantOK {
		t.Fatalf("parseJSON(%q) ok=%v, CheckJSON and encoding/json ok=%v", body, ok, wantOK)
	}
	if ok && !reflect.DeepEqual(got, want) {
		t.Fatalf("parseJSON(%q) = %#v, encoding/json %#v", body, got, want)
	}
}

var jsonSeeds = []string{
	``, ` `, `null`, `true`, `false`, `0`, `-0`, `01`, `-`, `1.`, `.5`, `1e`, `1e+`, `1E-2`, `-12.5e3`, `1e400`,
	`"a"`, `"\u00e9\ud83d\ude00"`, `"\ud800"`, `"\udc00\ud800x"`, `"\x"`, `"\u12"`, "\"a\tb\"", `"\/\b\f\n\r\t\\\""`,
	`[]`, `[1,]`, `[,1]`, `[1 2]`, `{}`, `{"a":1,}`, `{"a" 1}`, `{a:1}`, `{"a":1,"a":2}`, `{"a":{"b":[1,{"c":null}]}}`,
	`{"k\u0041":1,"kA":2}`, ` {"a" : [ true , false ] } `, `{} {}`, `[1]x`, `nul`, `tru`, "\xff", `"` + "\xc3\xa9" + `"`,
	strings.Repeat("[", 64) + strings.Repeat("]", 64), strings.Repeat("[", 65) + strings.Repeat("]", 65),
	strings.Repeat(`{"a":`, 64) + "1" + strings.Repeat("}", 64), strings.Repeat(`{"a":`, 65) + "1" + strings.Repeat("}", 65),
}

func TestParseJSONMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	for _, s := range jsonSeeds {
		checkParseJSON(t, []byte(s))
	}
}

// FuzzParseJSON checks parseJSON accepts exactly what CheckJSON accepts and decodes it as
// encoding/json with UseNumber does.
func FuzzParseJSON(f *testing.F) {
	for _, s := range jsonSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) { checkParseJSON(t, body) })
}
