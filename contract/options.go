package contract

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"time"
)

// Options configure [Check]. Only BaseURL is required.
type Options struct {
	// BaseURL is the target, e.g. https://staging.example.com/api. Its path is the prefix
	// of every operation's path.
	BaseURL string
	// Token is the credential applied to the document's security scheme (apiKey, bearer,
	// basic "user:pass"). It is never printed: reports and curl lines show $TOKEN.
	Token string
	// Set gives values to path, query and header parameters by name (--set name=value);
	// they win over the document's examples and synthesized values.
	Set map[string]string
	// Seed makes synthesized cases reproducible; the same seed gives the same plan.
	Seed uint64
	// Positive is how many synthesized positive cases to add per operation, on top of
	// the document's examples.
	Positive int
	// Include and Exclude select cases by operationId or case kind ("positive",
	// "negative"). An empty Include selects everything; Exclude wins.
	Include, Exclude []string
	// Rate is the most requests per second. 0 means the default: 10 per second, except for
	// loopback targets (127.0.0.0/8, ::1, localhost), which are not limited so a local
	// mock is checked at full speed. A negative Rate means no limit.
	Rate float64
	// MaxCasesPerOperation caps the cases planned per operation, in plan order (examples,
	// synthesized, basic negatives, constraint negatives, undeclared method, edge
	// positives). 0 means DefaultMaxCasesPerOperation; a negative value means no cap.
	MaxCasesPerOperation int
	// MaxRequests stops sending after that many requests (0: no limit); the remaining
	// cases are reported as skipped.
	MaxRequests int
	// MaxResponseTime, when positive, fails answers slower than it (response-time).
	MaxResponseTime time.Duration
	// Timeout bounds each request (default 10s).
	Timeout time.Duration
	// DryRun plans the cases and renders their curl commands without sending anything.
	DryRun bool
	// Transport is the base transport (http.DefaultTransport when nil); the validating
	// transport wraps it.
	Transport http.RoundTripper
	// Progress, when set, is called after each case with the number done and the total.
	Progress func(done, total int)
}

// DefaultRate is the rate limit for non-loopback targets when Options.Rate is 0.
const DefaultRate = 10

func (o *Options) validate() (*url.URL, error) {
	var errs []error
	u, err := url.Parse(o.BaseURL)
	switch {
	case o.BaseURL == "":
		errs = append(errs, errors.New("base URL is required (--base-url)"))
	case err != nil:
		errs = append(errs, fmt.Errorf("base URL: %w", err))
	case u.Scheme != "http" && u.Scheme != "https" || u.Host == "":
		errs = append(errs, fmt.Errorf("base URL %q: want http:// or https:// with a host", o.BaseURL))
	}
	if o.Positive < 0 {
		errs = append(errs, errors.New("positive: must not be negative"))
	}
	if o.MaxRequests < 0 {
		errs = append(errs, errors.New("max requests: must not be negative"))
	}
	for _, sel := range append(slices.Clone(o.Include), o.Exclude...) {
		if sel == "" {
			errs = append(errs, errors.New("include/exclude: empty selector"))
		}
	}
	return u, errors.Join(errs...)
}

// selected reports whether a case of operation op and kind k runs; k "" asks whether any
// case of the operation may run.
func (o *Options) selected(op string, k CaseKind) bool {
	if slices.Contains(o.Exclude, op) || (k != "" && slices.Contains(o.Exclude, string(k))) {
		return false
	}
	if len(o.Include) == 0 {
		return true
	}
	var hasOp, opMatch, hasKind, kindMatch bool
	for _, s := range o.Include {
		if s == string(Positive) || s == string(Negative) {
			hasKind = true
			kindMatch = kindMatch || k == "" || s == string(k)
		} else {
			hasOp = true
			opMatch = opMatch || s == op
		}
	}
	return (!hasOp || opMatch) && (!hasKind || kindMatch)
}

// rate returns the effective requests per second (0: unlimited) for host.
func (o *Options) rate(host string) float64 {
	switch {
	case o.Rate < 0:
		return 0
	case o.Rate > 0:
		return o.Rate
	case isLoopback(host):
		return 0
	}
	return DefaultRate
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
