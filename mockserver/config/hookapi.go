package config

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
)

// AuthConfig configures how the mock judges the credentials requests carry: AK/SK
// (SDK-HMAC-SHA256) signatures and tokens (bearer tokens, API keys, basic auth). Without
// keys, any well-formed signature with a fresh date is accepted and journaled as "signature
// not verified"; with keys, signatures are verified. Without tokens any present token is
// accepted (the document only says it must be there) and answers carry
// "Hookkit-Auth-Verified: no", so a checker knows a wrong one cannot be refused; with
// tokens, one not among them is refused with the status the operation declares for
// credentials (401, else 403...).
type AuthConfig struct {
	// AKSK lists the access keys the mock knows. Default none.
	AKSK []AKSKKey `yaml:"aksk"`
	// MaxSkew is how far X-Sdk-Date may be from the mock's clock, either way. Default 15m,
	// API Gateway's.
	MaxSkew time.Duration `yaml:"maxSkew"`
	// Tokens lists where the accepted tokens (bearer tokens, API keys, the user:password
	// of basic auth) are read from: environment variables or files, never the config
	// itself (configs are shared, journaled and shown by the admin API). Default none
	// (see tokens.go).
	Tokens []TokenSource `yaml:"tokens"`
}

// AKSKKey is one access key and where its secret key is read from: an environment
// variable or a file, never the config itself (configs are shared, journaled and shown by
// the admin API).
type AKSKKey struct {
	// AccessKey is the AK, the Access= of the Authorization header.
	AccessKey string `yaml:"accessKey"`
	// SecretKeyEnv names the environment variable holding the SK.
	SecretKeyEnv string `yaml:"secretKeyEnv"`
	// SecretKeyFile is a file holding the SK (trailing newlines ignored).
	SecretKeyFile string `yaml:"secretKeyFile"`

	secret string // read by Resolve; unexported, so no encoder ever shows it
}

// SecretKey returns the secret key that [Resolve] read from the environment or the file
// ("" in a config that was not resolved).
func (k *AKSKKey) SecretKey() string { return k.secret }

// DeliverConfig configures the webhook deliveries the mock sends to created hooks.
type DeliverConfig struct {
	// OnCreate sends a delivery right after a hook is created: "ping" (what GitHub does),
	// "push", or "none". Default "none".
	OnCreate string `yaml:"onCreate"`
	// AllowHosts lists callback hosts (names or IP addresses) the mock may deliver to
	// besides loopback ones. Default none: only 127.0.0.0/8, ::1 and localhost, so the mock
	// cannot be made to send requests into a network.
	AllowHosts []string `yaml:"allowHosts"`
	// Retries is how many times a failed delivery (5xx, timeout, connection error) is
	// retried. Default 3.
	Retries *int `yaml:"retries"`
	// Backoff is the wait before the first retry; each later wait doubles. Default 1s.
	Backoff time.Duration `yaml:"backoff"`
	// Timeout bounds each attempt. Default 10s.
	Timeout time.Duration `yaml:"timeout"`
}

// Defaults of the delivery and auth settings.
const (
	// DefaultMaxSkew is API Gateway's allowed distance of X-Sdk-Date from the clock.
	DefaultMaxSkew        = 15 * time.Minute
	DefaultDeliverRetries = 3
	DefaultDeliverBackoff = time.Second
	DefaultDeliverTimeout = 10 * time.Second
	// MaxDeliverRetries, MaxDeliverBackoff and MaxDeliverTimeout bound Retries, Backoff
	// and Timeout, and MaxDeliverWait each wait between attempts however often it doubled,
	// so a dead receiver cannot keep a delivery alive for more than about 1h45m.
	MaxDeliverRetries = 10
	MaxDeliverBackoff = time.Minute
	MaxDeliverTimeout = 5 * time.Minute
	MaxDeliverWait    = 5 * time.Minute
)

// Delivery events of [DeliverConfig.OnCreate].
const (
	OnCreateNone = "none"
	OnCreatePing = "ping"
	OnCreatePush = "push"
)

// RetryCount returns Retries with its default.
func (d *DeliverConfig) RetryCount() int {
	if d.Retries == nil {
		return DefaultDeliverRetries
	}
	return *d.Retries
}

// validateHookAPI checks auth and hooks.deliver (with their defaults filled in); Resolve
// reads the secret keys.
func (c *Config) validateHookAPI() []error {
	var errs []error
	add := func(line int, format string, args ...any) {
		errs = append(errs, &Error{File: c.File, Line: line, Code: CodeInvalid, Msg: fmt.Sprintf(format, args...)})
	}
	if c.Auth.MaxSkew < 0 {
		add(c.keyLine("auth", "maxSkew"), "auth.maxSkew must not be negative")
	}
	seen := map[string]bool{}
	for i := range c.Auth.AKSK {
		k := &c.Auth.AKSK[i]
		line := c.seqLine(i, "auth", "aksk")
		where := "auth.aksk[" + strconv.Itoa(i) + "]"
		switch {
		case strings.TrimSpace(k.AccessKey) == "":
			add(line, "%s: accessKey is required", where)
		case seen[k.AccessKey]:
			add(line, "%s: access key %s is listed twice", where, k.AccessKey)
		}
		seen[k.AccessKey] = true
		switch {
		case k.SecretKeyEnv != "" && k.SecretKeyFile != "":
			add(line, "%s: give secretKeyEnv or secretKeyFile, not both", where)
		case k.SecretKeyEnv != "", k.SecretKeyFile != "":
		default:
			add(line, "%s: the secret key must come from secretKeyEnv or secretKeyFile (never inline)", where)
		}
	}
	d := &c.Hooks.Deliver
	switch d.OnCreate {
	case OnCreateNone, OnCreatePing, OnCreatePush:
	default:
		add(c.keyLine("hooks", "deliver", "onCreate"), "hooks.deliver.onCreate must be one of ping, push, none, not %q", d.OnCreate)
	}
	if n := d.RetryCount(); n < 0 || n > MaxDeliverRetries {
		add(c.keyLine("hooks", "deliver", "retries"), "hooks.deliver.retries must be between 0 and %d, not %d", MaxDeliverRetries, n)
	}
	if d.Backoff < 0 || d.Backoff > MaxDeliverBackoff {
		add(c.keyLine("hooks", "deliver", "backoff"), "hooks.deliver.backoff must be between 0 and %s, not %s", MaxDeliverBackoff, d.Backoff)
	}
	if d.Timeout < 0 || d.Timeout > MaxDeliverTimeout {
		add(c.keyLine("hooks", "deliver", "timeout"), "hooks.deliver.timeout must be between 0 and %s, not %s", MaxDeliverTimeout, d.Timeout)
	}
	for _, h := range d.AllowHosts {
		if h == "" || strings.ContainsAny(h, "/:@ ") && net.ParseIP(h) == nil {
			add(c.keyLine("hooks", "deliver", "allowHosts"), "hooks.deliver.allowHosts: %q is not a host name or IP address (no scheme, port or path)", h)
		}
	}
	return errs
}

// seqLine is the line of item i of the sequence at path, or the sequence's line.
func (c *Config) seqLine(i int, path ...string) int {
	line := c.keyLine(path...)
	if c.root == nil || len(c.root.Content) == 0 {
		return line
	}
	n := c.root.Content[0]
	for _, key := range path {
		if n = mapValue(n, key); n == nil {
			return line
		}
	}
	if i < len(n.Content) {
		return n.Content[i].Line
	}
	return line
}
