package contract

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hookkit/hookkit/openapi"
)

// Check plans the cases of every selected operation, sends them to opts.BaseURL through
// the validating [Transport] and returns the report. It returns an error only for unusable
// options; everything the target does wrong is in the report. Cases run one after the
// other so a live target sees at most one request at a time.
func Check(ctx context.Context, doc *openapi.Document, opts Options) (*Report, error) {
	base, err := opts.validate(doc)
	if err != nil {
		return nil, err
	}
	cases, err := Plan(doc, opts)
	if err != nil {
		return nil, err
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 10 * time.Second
	}
	rep := &Report{Document: doc.Source, Target: opts.BaseURL, Seed: opts.Seed, DryRun: opts.DryRun, Started: time.Now()}
	red := doc.Redactor()
	cr := credentials{token: opts.Token, doc: doc, accessKey: opts.AccessKey, secretKey: opts.SecretKey, now: opts.Clock}
	var secrets []string
	if opts.Token != "" {
		secrets = []string{opts.Token}
	}
	if opts.SecretKey != "" {
		secrets = append(secrets, opts.SecretKey)
	}
	baseRT := opts.Transport
	if baseRT == nil {
		// A transport of its own: no idle connection from another user of the default
		// transport can go stale under a POST (which Go does not retry), and the run's
		// connections are closed when it ends.
		own := http.DefaultTransport.(*http.Transport).Clone()
		defer own.CloseIdleConnections()
		baseRT = own
	}
	tr := NewTransport(doc, baseRT, TransportOptions{BasePath: base.Path, MaxResponseTime: opts.MaxResponseTime, Secrets: secrets})
	client := &http.Client{
		Transport: tr,
		Timeout:   opts.Timeout,
		// A redirect is an answer to judge, not to follow.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	hook := newHookSender(doc, opts.BaseURL, client, cr)
	lim := newLimiter(opts.rate(base.Hostname()))

	items := itemOperations(doc, opts.Set)
	sent, answered, dialFailed := 0, 0, false
	for i, c := range cases {
		if c.Unbuildable != "" {
			rep.Results = append(rep.Results, Result{Case: c, Outcome: Skipped, Reason: "cannot build: " + c.Unbuildable})
			continue
		}
		req, err := c.request(ctx, opts.BaseURL, cr)
		if err != nil {
			return nil, err
		}
		res := Result{Case: c.redacted(red), Curl: curl(req, c.Body, opts.Token, red)}
		if res.CanonicalRequest = canonicalForReport(req, c.Body, red); res.CanonicalRequest != "" {
			res.Curl = akskCurlNote + "\n" + res.Curl
		}
		switch {
		case opts.DryRun:
			res.Outcome = Planned
		case ctx.Err() != nil:
			res.Outcome, res.Reason = Skipped, "cancelled"
		case opts.MaxRequests > 0 && sent >= opts.MaxRequests:
			res.Outcome, res.Reason = Skipped, fmt.Sprintf("--max-requests %d reached", opts.MaxRequests)
		case dialFailed && answered == 0:
			res.Outcome, res.Reason = Skipped, "target unreachable"
		default:
			if err := lim.wait(ctx); err != nil {
				res.Outcome, res.Reason = Skipped, "cancelled"
				break
			}
			sent++
			res.Exchange = send(ctx, hook, client, c, req, opts.Token)
			if res.Exchange.Response != nil {
				answered++
			} else {
				dialFailed = true
			}
			judgeCase(&res, red)
			items.excuse(&res)
		}
		rep.Results = append(rep.Results, res)
		if opts.Progress != nil {
			opts.Progress(i+1, len(cases))
		}
	}
	runSequences(ctx, doc, &opts, base.Hostname(), rep, client, hook, cr, red, lim, sent)
	rep.Duration = time.Since(rep.Started)
	return rep, nil
}

// send sends one case, through the generated client when the case fits it, and returns the
// exchange the transport recorded.
func send(ctx context.Context, hook *hookSender, client *http.Client, c Case, req *http.Request, token string) *Exchange {
	ctx, s := withSlot(ctx, true)
	var err error
	if hook != nil && hook.fits(c) {
		err = hook.send(ctx, c)
	} else {
		var resp *http.Response
		resp, err = client.Do(req.WithContext(ctx))
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}
	ex := s.get()
	if ex == nil {
		// The request failed before reaching the transport (a client timeout can also end
		// it there): record the failure as an exchange without answer.
		msg := "request failed"
		if err != nil && token != "" {
			msg = strings.ReplaceAll(err.Error(), token, openapi.Redacted)
		} else if err != nil {
			msg = err.Error()
		}
		ex = &Exchange{Operation: c.Operation, Request: Message{Method: c.Method, URL: c.Path}, Err: msg}
	}
	return ex
}

// judgeCase turns the exchange of a case into its outcome and failures.
func judgeCase(res *Result, red *openapi.Redactor) {
	ex, c := res.Exchange, res.Case
	if ex.Response == nil {
		res.Failures = append(res.Failures, Finding{Check: Reachable, Message: "no answer: " + ex.Err})
		res.Outcome = Fail
		return
	}
	res.Failures = append(res.Failures, ex.Findings...)
	status := ex.Response.Status
	switch c.Kind {
	case Positive:
		// A positive request the document rejects (a bad --set value) fails request-valid;
		// its rejection by the server is then right, not a positive-accepted failure.
		res.Failures = append(res.Failures, findingsOf(RequestValid, ex.RequestProblems)...)
		if !successful(c.op, status) && (len(ex.RequestProblems) == 0 || status < 400 || status > 499) {
			msg := fmt.Sprintf("answered %d to a valid request", status)
			if m := serverMessage(ex.Response.Body); m != "" {
				msg += ": " + m
			}
			res.Failures = append(res.Failures, Finding{Check: PositiveAccepted, In: "status", Name: fmt.Sprint(status), Message: msg})
		}
	case Negative:
		if c.allow != nil {
			judgeUndeclaredMethod(res, c)
			break
		}
		if c.WrongCredential && ex.Response.Header.Get(mockAuthVerifiedHeader) == "no" {
			res.Outcome, res.Reason = Skipped, "the target (hookkit mock) does not verify credentials: configure auth.tokens there to have a wrong one refused"
			res.Failures = nil
			return
		}
		if status >= 400 && status <= 499 && !c.op.DeclaresAny4xx() {
			res.Failures = slices.DeleteFunc(res.Failures, func(f Finding) bool { return f.Check == StatusDeclared })
			ex.Notes = append(ex.Notes, "the operation declares no 4xx response: any 4xx rejects an invalid request")
		}
		if want := c.op.ClassStatuses(c.class); status >= 400 && status <= 499 && len(want) > 0 && !slices.Contains(want, status) {
			res.Failures = append(res.Failures, Finding{Check: NegativeStatus, In: "status", Name: fmt.Sprint(status),
				Message: fmt.Sprintf("answered %d to a request with a %s problem (%s); the document declares %s for it", status, c.class, c.Name, joinInts(want))})
		}
		if status < 400 || status > 499 {
			res.Failures = append(res.Failures, Finding{Check: NegativeRejected, In: "status", Name: fmt.Sprint(status),
				Message: fmt.Sprintf("answered %d to an invalid request (%s); want a declared 4xx", status, c.Name)})
		}
	}
	res.Outcome = Pass
	if len(res.Failures) > 0 {
		res.Outcome = Fail
	}
}

// mockAuthVerifiedHeader is mockserver.AuthVerifiedHeader (not imported: the checker does
// not depend on the mock).
const mockAuthVerifiedHeader = "Hookkit-Auth-Verified"

// successful reports whether status answers a valid request: a 2xx, or, for an operation
// that declares no 2xx (only a redirect, say a 307), the 3xx it declares.
func successful(op *openapi.Operation, status int) bool {
	if status >= 200 && status <= 299 {
		return true
	}
	if status < 300 || status > 399 || op == nil || op.Operation.Responses == nil {
		return false
	}
	for key := range op.Operation.Responses.Map() {
		if key[0] == '2' || key == "default" {
			return false
		}
	}
	_, declared := openapi.ResponseKey(op.Operation, status)
	return declared
}

func joinInts(ns []int) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, " or ")
}

// serverMessage extracts the error message of a JSON error body (error_msg, message,
// detail, title, error), or returns the body trimmed.
func serverMessage(body string) string {
	if body == "" {
		return ""
	}
	if v, err := openapi.DecodeJSONObject([]byte(body)); err == nil {
		for _, k := range []string{"error_msg", "message", "detail", "title", "error", "error_description"} {
			if s, ok := v[k].(string); ok && s != "" {
				return s
			}
		}
	}
	return trim(strings.TrimSpace(body), 200)
}

func trim(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
