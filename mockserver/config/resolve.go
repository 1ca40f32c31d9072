package config

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
)

// Resolve returns the config the mock serves with: a copy of c with every setting left at
// zero set to its default, and with what c names outside itself read in: the AK/SK secret
// keys (auth.aksk), the accepted tokens (auth.tokens), the admin token (admin.tokenEnv)
// and the state seed file (state.seed). It is the settings half of provisioning, beside
// [Compile] for the rules: [Config.Validate] stays pure, and the mock resolves every
// config it loads (New, Reload, PUT /__admin/config) before serving with it, so an unset
// variable or an unreadable file is still refused at load, with the config's file and
// line. c is left as it is.
//
// c should have passed Validate; Resolve reports only what reading finds (an unset
// variable, an unreadable or empty file, an over-long token), each an [*Error] joined with
// [errors.Join].
//
// A resolved config resolves to itself, so a reload of the document alone keeps what was
// read when its config was loaded.
func Resolve(c *Config) (*Config, error) {
	if c.resolved {
		return c, nil
	}
	r := c.withDefaults()
	var errs []error
	errs = append(errs, r.readSecretKeys()...)
	errs = append(errs, r.readTokens()...)
	errs = append(errs, r.readAdminToken()...)
	errs = append(errs, r.readSeedFile()...)
	if err := sortErrors(errors.Join(errs...)); err != nil {
		return nil, err
	}
	r.resolved = true
	return r, nil
}

// withDefaults returns a copy of c whose settings left at zero hold their defaults (those
// of [Default], for a Config built in Go or a file that wrote a zero). The copy shares
// c's rules, maps and parsed file, which nothing changes; its secrets are not yet read.
func (c *Config) withDefaults() *Config {
	d := *c
	d.tokens, d.adminToken, d.resolved = tokenSet{}, "", false
	orDefault(&d.Hooks.OnDuplicate, DuplicateCreate)
	orDefault(&d.Hooks.DefaultType, DefaultHookType)
	orDefault(&d.Hooks.Deliver.OnCreate, OnCreateNone)
	orDefault(&d.Hooks.Deliver.Backoff, DefaultDeliverBackoff)
	orDefault(&d.Hooks.Deliver.Timeout, DefaultDeliverTimeout)
	orDefault(&d.Auth.MaxSkew, DefaultMaxSkew)
	orDefault(&d.State.Prefix, DefaultStatePrefix)
	orDefault(&d.State.MaxItems, DefaultStateMaxItems)
	orDefault(&d.State.MaxBytes, DefaultStateMaxBytes)
	d.limitsDefaults()
	// The keys get their own array: Resolve writes their secrets into the copy only.
	d.Auth.AKSK = slices.Clone(d.Auth.AKSK)
	for i := range d.Auth.AKSK {
		d.Auth.AKSK[i].secret = ""
	}
	d.State.seedData = nil
	return &d
}

// orDefault sets *v to def when it holds the zero value.
func orDefault[T comparable](v *T, def T) {
	var zero T
	if *v == zero {
		*v = def
	}
}

// readSecretKeys reads each auth.aksk secret key from its variable or file.
func (c *Config) readSecretKeys() []error {
	var errs []error
	for i := range c.Auth.AKSK {
		k := &c.Auth.AKSK[i]
		line := c.seqLine(i, "auth", "aksk")
		where := "auth.aksk[" + strconv.Itoa(i) + "]"
		add := func(format string, args ...any) {
			errs = append(errs, &Error{File: c.File, Line: line, Code: CodeInvalid, Msg: where + ": " + fmt.Sprintf(format, args...)})
		}
		switch {
		case k.SecretKeyEnv != "" && k.SecretKeyFile != "":
			// Validate reports it.
		case k.SecretKeyEnv != "":
			if k.secret = os.Getenv(k.SecretKeyEnv); k.secret == "" {
				add("environment variable %s (secretKeyEnv) is not set or empty", k.SecretKeyEnv)
			}
		case k.SecretKeyFile != "":
			data, err := readLimited(k.SecretKeyFile, maxSecretKeyBytes)
			k.secret = strings.TrimRight(string(data), "\r\n")
			switch {
			case err != nil:
				add("secretKeyFile: %v", err)
			case k.secret == "":
				add("secretKeyFile %s is empty", k.SecretKeyFile)
			}
		}
	}
	return errs
}

// readAdminToken reads the admin token from the variable admin.tokenEnv names.
func (c *Config) readAdminToken() []error {
	name := c.Admin.TokenEnv
	if name == "" {
		return nil
	}
	if c.adminToken = strings.TrimSpace(os.Getenv(name)); c.adminToken == "" {
		return []error{&Error{File: c.File, Line: c.keyLine("admin", "tokenEnv"), Code: CodeInvalid,
			Msg: fmt.Sprintf("admin.tokenEnv: environment variable %s is not set or empty", name)}}
	}
	return nil
}
