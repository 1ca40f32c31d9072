package config

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse feeds arbitrary files to Parse, seeded with the example and the broken
// testdata: Parse must return a config or an error, never panic, and a config it accepts
// must answer a request without panicking.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("..", "testdata", "config", "*.yaml"))
	seeds = append(seeds, filepath.Join("..", "config.example.yaml"))
	for _, p := range seeds {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("rules:\n  - respond: {status: '{{ seq }}', body: [{a: '{{ .Body.x }}'}]}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data, "fuzz.yaml")
		if err != nil {
			return
		}
		in := hookInput(nil)
		rs, err := Compile(c)
		if err != nil {
			t.Fatalf("a config that parsed does not compile: %v", err)
		}
		r := rs.Match(in)
		if r == nil {
			return
		}
		for _, resp := range r.Rule().responses() {
			if resp.Fault != nil || resp.Delay != nil {
				return // faults hijack and delays wait: not for a recorder
			}
		}
		req := httptest.NewRequest("POST", hookPath, nil)
		_, _ = r.Respond(httptest.NewRecorder(), req, in)
	})
}
