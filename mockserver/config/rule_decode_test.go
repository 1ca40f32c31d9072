package config_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/hookkit/hookkit/mockserver/config"
)

// TestStrictRuleMappings: the matcher, delay and fault mappings are decoded strictly, like
// the rest of the file: an unknown key is an error with its line and the known keys, a
// value of the wrong type names its key (also when several keys share a line), and a
// file's problems come in one pass.
func TestStrictRuleMappings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		yaml string
		want []string // each a whole problem, "file:line: message"
		code []config.Code
	}{
		{
			name: "matcher",
			yaml: "rules:\n  - match:\n      query:\n        q: {equals: [a], present: maybe, regx: x}\n    respond: {status: 200}\n",
			want: []string{
				`m.yaml:4: unknown key "regx" in matcher (known keys: equals, present, regex)`,
				`m.yaml:4: rules[0].match.query.q.equals must be a text value, not a list`,
				`m.yaml:4: rules[0].match.query.q.present must be true or false, not "maybe"`,
			},
			code: []config.Code{config.CodeUnknownKey, config.CodeWrongType, config.CodeWrongType},
		},
		{
			name: "delay",
			yaml: "rules:\n  - respond:\n      status: 200\n      delay:\n        min: 5\n        max: 1s\n        avg: 2s\n",
			want: []string{
				`m.yaml:5: rules[0].respond.delay.min must be a duration such as 10m or 250ms, not "5"`,
				`m.yaml:7: unknown key "avg" in delay (known keys: max, min)`,
			},
			code: []config.Code{config.CodeWrongType, config.CodeUnknownKey},
		},
		{
			name: "fault",
			yaml: "rules:\n  - respond:\n      status: 200\n      fault: {type: timeout, probability: high, hold: 3, when: now}\n",
			want: []string{
				`m.yaml:4: unknown key "when" in fault (known keys: hold, probability, type)`,
				`m.yaml:4: rules[0].respond.fault.probability must be a number, not "high"`,
				`m.yaml:4: rules[0].respond.fault.hold must be a duration such as 10m or 250ms, not "3"`,
			},
			code: []config.Code{config.CodeUnknownKey, config.CodeWrongType, config.CodeWrongType},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := config.Parse([]byte(tt.yaml), "m.yaml")
			if err == nil {
				t.Fatal("accepted")
			}
			got := strings.Split(err.Error(), "\n")
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Fatalf("problems:\n%s\nwant:\n%s", err, strings.Join(tt.want, "\n"))
			}
			var codes []config.Code
			for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
				var ce *config.Error
				if errors.As(e, &ce) {
					codes = append(codes, ce.Code)
				}
			}
			if strings.Join(codeStrings(codes), " ") != strings.Join(codeStrings(tt.code), " ") {
				t.Errorf("codes %v, want %v", codes, tt.code)
			}
		})
	}
	// What the mappings accept is decoded as before.
	c, err := config.Parse([]byte("rules:\n  - match: {body: {a: {equals: null}, b: {regex: x, present: true}}}\n    respond:\n      delay: {min: 1ms, max: 2ms}\n      fault: {type: timeout, hold: 2s}\n"), "m.yaml")
	if err != nil {
		t.Fatal(err)
	}
	r := c.Rules[0]
	if a, b := r.Match.Body["a"], r.Match.Body["b"]; a.Equals == nil || *a.Equals != "null" || b.Regex != "x" || b.Present == nil || !*b.Present {
		t.Errorf("matchers %+v %+v", a, b)
	}
	if d, f := r.Response.Delay, r.Response.Fault; d.Min.String() != "1ms" || d.Max.String() != "2ms" || f.Type != "timeout" || f.Probability != 1 || f.Hold.String() != "2s" {
		t.Errorf("delay %+v fault %+v", d, f)
	}
}

func codeStrings(cs []config.Code) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = string(c)
	}
	return out
}
