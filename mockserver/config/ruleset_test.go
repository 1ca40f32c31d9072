package config

import (
	"bytes"
	"net/http/httptest"
	"reflect"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestConfigIsData: validating, compiling and serving leave a parsed Config exactly as
// parsed (no compiled template, regex, counter, random source or normalised value is
// stored on it), and each compiled RuleSet starts its own counters.
func TestConfigIsData(t *testing.T) {
	t.Parallel()
	src := []byte(`seed: 7
rules:
  - name: r
    match: {method: post, headers: {x-repo-auth: {regex: "^my-"}}, body: {url: {present: true}}}
    sequence:
      - status: '{{ if .Body.url }}200{{ else }}400{{ end }}'
        headers: {x-seq: "{{ seq }}"}
        body: {id: "{{ .Seq }}", type: github, callback_url: "{{ .Body.url }}"}
      - {status: 200, bodyText: "{{ .Step }}", delay: {min: 0s, max: 1ms}, fault: {type: http-500, probability: 0.5}}
`)
	c, err := Parse(src, "data.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// What Parse decodes before it validates: the reference of an untouched Config.
	fresh := Default()
	fresh.File = "data.yaml"
	fresh.root = &yaml.Node{}
	if err := yaml.Unmarshal(src, fresh.root); err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(src))
	dec.KnownFields(true)
	if err := dec.Decode(fresh); err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	first, second := compile(t, c), compile(t, c)
	in := hookInput(nil)
	for range 3 {
		if _, err := first.Match(in).Respond(httptest.NewRecorder(), httptest.NewRequest("POST", hookPath, nil), in); err != nil {
			t.Fatal(err)
		}
	}
	if !reflect.DeepEqual(c, fresh) {
		t.Errorf("validating, compiling and serving changed the Config:\n%+v\nwant\n%+v", c.Rules[0], fresh.Rules[0])
	}
	if first.Rules()[0].Calls() != 3 || second.Rules()[0].Calls() != 0 {
		t.Errorf("calls %d and %d, want 3 and 0: each RuleSet counts its own", first.Rules()[0].Calls(), second.Rules()[0].Calls())
	}
	w := httptest.NewRecorder()
	if out, err := second.Match(in).Respond(w, httptest.NewRequest("POST", hookPath, nil), in); err != nil || out.Step != 1 || w.Header().Get("X-Seq") != "1" {
		t.Errorf("a new RuleSet answered step %d seq %q (%v), want its first step", out.Step, w.Header().Get("X-Seq"), err)
	}
}
