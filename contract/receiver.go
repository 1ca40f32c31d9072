package contract

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/hookkit/hookkit/openapi"
	"github.com/hookkit/hookkit/webhook"
)

// ReceiverOptions configure [CheckReceiver].
type ReceiverOptions struct {
	// URL is the receiver's endpoint, e.g. http://127.0.0.1:8080/webhook.
	URL string
	// Type is the delivery format: "github" or "gitlab".
	Type string
	// Secret is the hook's secret the receiver is configured with. Never printed.
	Secret string
	// Event is the event sent (default "push").
	Event string
	// Timeout bounds each request (default 10s).
	Timeout time.Duration
	// Transport sends the deliveries (default: a transport of the run's own).
	Transport http.RoundTripper
}

// receiverOperation names the receiver's cases in reports.
const receiverOperation = "receiver"

// receiverCase is one delivery sent to the receiver: the correctly signed one, or one of
// the forgeries a receiver must refuse.
type receiverCase struct {
	slug, name string
	kind       CaseKind
	// forge turns the correct delivery into this case's request.
	forge func(d *webhook.Delivery, secret string)
}

// forgedSecret is the secret of the case signed with another secret.
const forgedSecret = "hookkit-another-secret"

func receiverCases(typ string) []receiverCase {
	sigHeader := webhook.HeaderGitHubSignature
	if typ == webhook.GitLab {
		sigHeader = webhook.HeaderGitLabToken
	}
	return []receiverCase{
		{"signed", "delivery signed with the hook's secret", Positive, func(*webhook.Delivery, string) {}},
		{"unsigned", "delivery without " + sigHeader, Negative, func(d *webhook.Delivery, _ string) { d.Header.Del(sigHeader) }},
		{"wrong-signature", sigHeader + " with its last character changed", Negative, func(d *webhook.Delivery, _ string) {
			v := d.Header.Get(sigHeader)
			last := v[len(v)-1]
			repl := byte('0')
			if last == '0' {
				repl = '1'
			}
			d.Header.Set(sigHeader, v[:len(v)-1]+string(repl))
		}},
		{"other-secret", "delivery signed with another secret", Negative, func(d *webhook.Delivery, _ string) {
			if typ == webhook.GitLab {
				d.Header.Set(sigHeader, forgedSecret)
				return
			}
			d.Header.Set(sigHeader, webhook.GitHubSignature(forgedSecret, d.Body))
		}},
		{"truncated-body", "body cut in half after signing", Negative, func(d *webhook.Delivery, _ string) {
			d.Body = d.Body[:len(d.Body)/2]
		}},
	}
}

// CheckReceiver checks a webhook receiver: a delivery signed with the hook's secret must
// get a 2xx, and an unsigned one, a wrongly signed one, one signed with another secret
// and one whose body was cut after signing must each get a 4xx. The report has the shape
// of [Check]'s, so the same writers, exit codes and curl lines apply.
func CheckReceiver(ctx context.Context, opts ReceiverOptions) (*Report, error) {
	u, err := url.Parse(opts.URL)
	switch {
	case opts.URL == "":
		return nil, errors.New("the receiver's URL is required (--url)")
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return nil, fmt.Errorf("receiver URL %q: want http:// or https:// with a host", opts.URL)
	case opts.Type != webhook.GitHub && opts.Type != webhook.GitLab:
		return nil, fmt.Errorf("type %q: want github or gitlab", opts.Type)
	case opts.Secret == "":
		return nil, errors.New("the hook's secret is required (--secret-env or --secret-file)")
	}
	if opts.Event == "" {
		opts.Event = webhook.Push
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 10 * time.Second
	}
	hook := webhook.Hook{ID: "1", CallbackURL: opts.URL, Namespace: "devcloud-team", Project: "app"}
	if _, err := webhook.Build(opts.Type, opts.Event, hook, opts.Secret, nil); err != nil {
		return nil, err
	}
	tr := opts.Transport
	if tr == nil {
		own := http.DefaultTransport.(*http.Transport).Clone()
		defer own.CloseIdleConnections()
		tr = own
	}
	client := &http.Client{Transport: tr, Timeout: opts.Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	rep := &Report{Document: fmt.Sprintf("%s webhook receiver (%s event)", opts.Type, opts.Event), Target: opts.URL, Started: time.Now()}
	dialFailed, answered := false, 0
	for _, rc := range receiverCases(opts.Type) {
		d, err := webhook.Build(opts.Type, opts.Event, hook, opts.Secret, nil)
		if err != nil {
			return nil, err
		}
		rc.forge(d, opts.Secret)
		c := Case{ID: receiverOperation + "/" + string(rc.kind) + "/" + rc.slug, Operation: receiverOperation, Kind: rc.kind,
			Name: rc.name, Method: http.MethodPost, Path: u.Path, Header: redactDelivery(d.Header, opts.Secret)}
		res := Result{Case: c, Curl: receiverCurl(opts, d, rc.slug == "signed")}
		if dialFailed && answered == 0 {
			res.Outcome, res.Reason = Skipped, "target unreachable"
			rep.Results = append(rep.Results, res)
			continue
		}
		res.Exchange = sendDelivery(ctx, client, opts, d, c)
		if res.Exchange.Response == nil {
			dialFailed = true
		} else {
			answered++
		}
		judgeDelivery(&res)
		rep.Results = append(rep.Results, res)
	}
	rep.Duration = time.Since(rep.Started)
	return rep, nil
}

// sendDelivery posts one delivery and records the exchange, redacted: the secret and
// signatures never appear, and an answer echoing the secret is scrubbed.
func sendDelivery(ctx context.Context, client *http.Client, opts ReceiverOptions, d *webhook.Delivery, c Case) *Exchange {
	ex := &Exchange{Operation: receiverOperation, Request: Message{Method: http.MethodPost, URL: opts.URL, Header: c.Header, Body: trim(string(d.Body), 2000)}}
	req, err := d.Request(opts.URL)
	if err != nil {
		ex.Err = err.Error()
		return ex
	}
	start := time.Now()
	resp, err := client.Do(req.WithContext(ctx))
	ex.Duration = time.Since(start)
	if err != nil {
		ex.Err = strings.ReplaceAll(err.Error(), opts.Secret, openapi.Redacted)
		return ex
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	ex.Response = &Message{Status: resp.StatusCode, Header: resp.Header, Body: strings.ReplaceAll(string(body), opts.Secret, openapi.Redacted)}
	return ex
}

// judgeDelivery: the signed delivery must get a 2xx, every forgery a 4xx.
func judgeDelivery(res *Result) {
	ex := res.Exchange
	if ex.Response == nil {
		res.Failures = append(res.Failures, Finding{Check: Reachable, Message: "no answer: " + ex.Err})
		res.Outcome = Fail
		return
	}
	status := ex.Response.Status
	switch res.Case.Kind {
	case Positive:
		if status < 200 || status > 299 {
			msg := fmt.Sprintf("answered %d to a correctly signed delivery", status)
			if m := serverMessage(ex.Response.Body); m != "" {
				msg += ": " + m
			}
			res.Failures = append(res.Failures, Finding{Check: PositiveAccepted, In: "status", Name: fmt.Sprint(status), Message: msg})
		}
	case Negative:
		if status < 400 || status > 499 {
			msg := fmt.Sprintf("answered %d to a %s; want a 4xx: the receiver must verify every delivery", status, res.Case.Name)
			res.Failures = append(res.Failures, Finding{Check: NegativeRejected, In: "status", Name: fmt.Sprint(status), Message: msg})
		}
	}
	res.Outcome = Pass
	if len(res.Failures) > 0 {
		res.Outcome = Fail
	}
}

// redactDelivery shows a delivery's header without the secret or a signature.
func redactDelivery(h http.Header, secret string) http.Header {
	out := h.Clone()
	for _, name := range webhook.SecretHeaders() {
		if out.Get(name) != "" {
			out.Set(name, openapi.Redacted)
		}
	}
	for k, vs := range out {
		for i, v := range vs {
			vs[i] = strings.ReplaceAll(v, secret, openapi.Redacted)
		}
		out[k] = vs
	}
	return out
}

// receiverCurl reproduces a delivery. The secret is $WEBHOOK_SECRET: for the signed
// github delivery the shell recomputes the signature of the exact body with openssl; a
// forged signature shows as [REDACTED].
func receiverCurl(opts ReceiverOptions, d *webhook.Delivery, signed bool) string {
	var parts []string
	parts = append(parts, "curl -sS -i -X POST "+quote(opts.URL))
	prefix := ""
	for _, k := range slices.Sorted(maps.Keys(d.Header)) {
		v := d.Header.Get(k)
		switch {
		case k == webhook.HeaderGitHubSignature && signed:
			prefix = "body=" + quote(string(d.Body)) + "\n"
			parts = append(parts, `-H "`+k+`: sha256=$(printf %s "$body" | openssl dgst -sha256 -hmac "$WEBHOOK_SECRET" | sed 's/^.* //')"`)
			continue
		case k == webhook.HeaderGitLabToken && v == opts.Secret:
			parts = append(parts, `-H "`+k+`: $WEBHOOK_SECRET"`)
			continue
		case k == webhook.HeaderGitHubSignature || k == webhook.HeaderGitLabToken:
			v = openapi.Redacted
		}
		parts = append(parts, "-H "+quote(k+": "+v))
	}
	if prefix != "" {
		parts = append(parts, `--data-binary "$body"`)
	} else {
		parts = append(parts, "--data-binary "+quote(string(d.Body)))
	}
	return prefix + strings.Join(parts, " \\\n  ")
}
