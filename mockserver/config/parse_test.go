package config

import (
	"strings"
	"testing"
)

func TestParseDefaults(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		data string
	}{
		{"empty", ""},
		{"comments only", "# nothing here\n---\n"},
		{"empty mapping", "{}\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := Parse([]byte(tc.data), "mock.yaml")
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if c.Seed != DefaultSeed || c.Hooks.DefaultType != "github" || c.Hooks.OnDuplicate != DuplicateCreate ||
				!c.CORSEnabled() || !c.AdminEnabled() || c.Journal.Size != DefaultJournalSize ||
				strings.Join(c.CORS.Origins, ",") != "*" || c.CORS.MaxAge != DefaultCORSMaxAge || len(c.Rules) != 0 {
				t.Errorf("defaults not applied: %+v", c)
			}
			if c.File != "mock.yaml" {
				t.Errorf("File = %q", c.File)
			}
		})
	}
}
