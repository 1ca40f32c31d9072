package config_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hookkit/hookkit/mockserver/config"
)

// parseResolved parses a config and resolves it, as the mock does with every config it
// loads: the problems of both steps, with file and line.
func parseResolved(data []byte, file string) (*config.Config, error) {
	c, err := config.Parse(data, file)
	if err != nil {
		return nil, err
	}
	return config.Resolve(c)
}

// loadResolved is parseResolved for a file on disk.
func loadResolved(path string) (*config.Config, error) {
	c, err := config.Load(path)
	if err != nil {
		return nil, err
	}
	return config.Resolve(c)
}

// TestValidatePure: Validate neither reads the environment nor changes the config, even a
// Config built in Go with settings left at zero; Resolve returns a copy with the defaults
// filled in and the credentials read, leaving its argument as it was, and resolves a
// resolved config to itself. Not parallel: it sets environment variables.
func TestValidatePure(t *testing.T) {
	t.Setenv("HOOKKIT_TEST_SK", "sk-value")
	t.Setenv("HOOKKIT_TEST_TOKEN", "tok-value")
	t.Setenv("HOOKKIT_TEST_ADMIN", "admin-value")
	t.Setenv("HOOKKIT_TEST_UNSET", "")
	built := &config.Config{
		Auth: config.AuthConfig{
			AKSK:   []config.AKSKKey{{AccessKey: "AK", SecretKeyEnv: "HOOKKIT_TEST_SK"}},
			Tokens: []config.TokenSource{{Env: "HOOKKIT_TEST_TOKEN"}},
		},
		Admin: config.AdminConfig{TokenEnv: "HOOKKIT_TEST_ADMIN"},
	}
	before := *built
	before.Auth.AKSK = append([]config.AKSKKey(nil), built.Auth.AKSK...)
	if err := built.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if !reflect.DeepEqual(*built, before) {
		t.Fatalf("Validate changed the config:\n%+v\nwant\n%+v", *built, before)
	}
	if built.ChecksTokens() || built.AdminToken() != "" || built.Auth.AKSK[0].SecretKey() != "" {
		t.Fatal("Validate read credentials into the config")
	}

	r, err := config.Resolve(built)
	if err != nil {
		t.Fatalf("Resolve: %v", err)
	}
	if !reflect.DeepEqual(*built, before) {
		t.Fatalf("Resolve changed its argument:\n%+v\nwant\n%+v", *built, before)
	}
	for _, c := range []struct {
		name      string
		got, want any
	}{
		{"hooks.onDuplicate", r.Hooks.OnDuplicate, config.DuplicateCreate},
		{"hooks.defaultType", r.Hooks.DefaultType, config.DefaultHookType},
		{"hooks.maxStored", r.Hooks.MaxStored, config.DefaultMaxStoredHooks},
		{"hooks.deliver.onCreate", r.Hooks.Deliver.OnCreate, config.OnCreateNone},
		{"hooks.deliver.timeout", r.Hooks.Deliver.Timeout, config.DefaultDeliverTimeout},
		{"auth.maxSkew", r.Auth.MaxSkew, config.DefaultMaxSkew},
		{"limits.templateTime", r.Limits.TemplateTime, time.Duration(config.DefaultTemplateTime)},
		{"journal.maxBytes", r.Journal.MaxBytes, int64(config.DefaultJournalBytes)},
		{"state.maxItems", r.State.MaxItems, config.DefaultStateMaxItems},
		{"secret key", r.Auth.AKSK[0].SecretKey(), "sk-value"},
		{"admin token", r.AdminToken(), "admin-value"},
		{"token accepted", r.AcceptsToken("tok-value"), true},
		{"secret values", strings.Join(r.SecretValues(), ","), "tok-value,sk-value"},
	} {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("resolved %s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if again, err := config.Resolve(r); err != nil || again != r {
		t.Errorf("Resolve of a resolved config = %p, %v; want itself", again, err)
	}

	// An unset variable passes Validate and is Resolve's error, with file and line.
	c, err := config.Parse([]byte("auth:\n  aksk:\n    - accessKey: AK\n      secretKeyEnv: HOOKKIT_TEST_UNSET\n"), "mock.yaml")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if _, err := config.Resolve(c); err == nil || err.Error() != "mock.yaml:3: auth.aksk[0]: environment variable HOOKKIT_TEST_UNSET (secretKeyEnv) is not set or empty" {
		t.Errorf("Resolve: %v", err)
	}
}
