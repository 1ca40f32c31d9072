package contract

import (
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/hookkit/hookkit/openapi"
)

// Options configure [Check]. Only BaseURL is required.
type Options struct {
	// BaseURL is the target, e.g. https://staging.example.com/api. Its path is the prefix
	// of every operation's path.
	BaseURL string
	// Token is the credential applied to the document's security scheme (apiKey, bearer,
	// basic "user:pass"). It is never printed: reports and curl lines show $TOKEN.
	Token string
	// AccessKey and SecretKey, when both set, sign every request of an operation that
	// accepts AK/SK (SDK-HMAC-SHA256) instead of sending Token, and add the AK/SK negative
	// cases. The secret key is never printed.
	AccessKey, SecretKey string
	// Clock is the signing time (nil: time.Now).
	Clock func() time.Time
	// Set gives values to path, query and header parameters by name (--set name=value);
	// they win over the document's examples and synthesized values.
	Set map[string]string
	// Seed makes synthesized cases reproducible; the same seed gives the same plan.
	Seed uint64
	// Positive is how many synthesized positive cases to add per operation, on top of
	// the document's examples.
	Positive int
	// Include and Exclude select cases by operationId or case kind ("positive",
	// "negative", "stateful"). An empty Include selects everything; Exclude wins.
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
	// Stateful says when to run stateful sequences (create, get, list, update, delete,
	// get after delete) over the document's collections; the default runs them against
	// loopback targets only, since they create data.
	Stateful StatefulMode
}

// DefaultRate is the rate limit for non-loopback targets when Options.Rate is 0.
const DefaultRate = 10

func (o *Options) validate(doc *openapi.Document) (*url.URL, error) {
	var errs []error
	var u *url.URL
	if o.BaseURL == "" {
		errs = append(errs, errors.New("base URL is required (--base-url)"))
	} else if parsed, err := ParseBaseURL(o.BaseURL); err != nil {
		errs = append(errs, fmt.Errorf("base URL %w", err))
	} else {
		u = parsed
	}
	if (o.AccessKey == "") != (o.SecretKey == "") {
		errs = append(errs, errors.New("AK/SK: give both the access key and the secret key"))
	}
	if o.Positive < 0 {
		errs = append(errs, errors.New("positive: must not be negative"))
	}
	if o.MaxRequests < 0 {
		errs = append(errs, errors.New("max requests: must not be negative"))
	}
	if math.IsNaN(o.Rate) || math.IsInf(o.Rate, 0) {
		errs = append(errs, fmt.Errorf("rate: %v is not a number of requests per second", o.Rate))
	}
	if o.Timeout < 0 || o.MaxResponseTime < 0 {
		errs = append(errs, errors.New("timeout and max response time: must not be negative"))
	}
	errs = append(errs, checkSelectors(doc, o.Include, o.Exclude)...)
	return u, errors.Join(errs...)
}

// selectableKinds are the case kinds --include and --exclude accept.
var selectableKinds = []CaseKind{Positive, Negative, Stateful}

// isSelectableKind reports whether sel names one of selectableKinds.
func isSelectableKind(sel string) bool {
	return slices.Contains(selectableKinds, CaseKind(sel))
}

// checkSelectors refuses --include and --exclude values that name neither an operation of
// the document nor a case kind: a typo would otherwise select nothing and pass in CI.
func checkSelectors(doc *openapi.Document, include, exclude []string) []error {
	known := map[string]bool{}
	kinds := make([]string, 0, len(selectableKinds))
	for _, k := range selectableKinds {
		known[string(k)] = true
		kinds = append(kinds, string(k))
	}
	for _, op := range doc.Operations {
		known[op.ID] = true
	}
	var errs []error
	for _, group := range []struct {
		flag string
		sels []string
	}{{"include", include}, {"exclude", exclude}} {
		for _, sel := range group.sels {
			switch {
			case sel == "":
				errs = append(errs, fmt.Errorf("%s: empty selector", group.flag))
			case !known[sel]:
				ids := make([]string, 0, len(doc.Operations))
				for _, op := range doc.Operations {
					ids = append(ids, op.ID)
				}
				errs = append(errs, fmt.Errorf("%s: %q is neither an operationId nor a case kind (operations: %s; kinds: %s)", group.flag, sel, strings.Join(ids, ", "), strings.Join(kinds, ", ")))
			}
		}
	}
	return errs
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
		if isSelectableKind(s) {
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
