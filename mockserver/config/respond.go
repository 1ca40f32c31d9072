package config

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Outcome is what [Rule.Respond] did, for the journal and the logs.
type Outcome struct {
	// Status is the status written, 0 when a fault sent none (reset, empty, timeout) or
	// nothing was written because of an error.
	Status int
	// Fault is the fault injected ("" for a normal answer).
	Fault string
	// Delay is how long the answer was delayed (the part waited when the client left).
	Delay time.Duration
	// Step is the 1-based step of the rule's sequence that answered, 0 for a rule with a
	// single respond.
	Step int
}

// Hijacked reports whether the connection was taken over by a fault: the caller must not
// write to the ResponseWriter any more.
func (o Outcome) Hijacked() bool {
	return o.Fault == FaultReset || o.Fault == FaultEmpty || o.Fault == FaultTimeout
}

// rendered is a response rendered for one request, before it is written.
type rendered struct {
	status int
	header http.Header
	body   []byte
}

// Respond writes the rule's answer to req: it picks the sequence step, renders status,
// headers and body from in, waits the delay (returning early with the context's error
// when the client goes away), then either injects the fault (with its probability) or
// writes the answer.
//
// It returns an error, having written nothing, when a template fails for this request or
// the client left during the delay; and an error after a fault that needed to take over
// the connection but could not (HTTP/2, or a ResponseWriter without Hijack).
func (r *LiveRule) Respond(w http.ResponseWriter, req *http.Request, in *Input) (Outcome, error) {
	n := r.calls.Add(1)
	resp, step := r.pick(n)
	out := Outcome{Step: step}
	data := &templateData{Input: *in, Seq: n, Step: step, budget: newBudget(&r.limits)}
	if data.Body == nil {
		data.Body = map[string]any{}
	}
	ans, err := resp.render(data)
	if err == nil && resp.status != nil {
		err = checkStatus(ans, in.statusOK)
	}
	if err != nil {
		return out, fmt.Errorf("rule %q (line %d): %w", r.Name, r.Line, err)
	}
	if d := r.delay(resp.src.Delay); d > 0 {
		start := time.Now()
		t := time.NewTimer(d)
		select {
		case <-t.C:
			out.Delay = d
		case <-req.Context().Done():
			t.Stop()
			out.Delay = time.Since(start)
			return out, fmt.Errorf("rule %q: client left during the %s delay: %w", r.Name, d, req.Context().Err())
		}
	}
	if f := resp.src.Fault; f != nil && r.roll(f.Probability) {
		out.Fault = f.Type
		status, err := injectFault(w, req, f, ans)
		out.Status = status
		if err != nil {
			return out, fmt.Errorf("rule %q: fault %s: %w", r.Name, f.Type, err)
		}
		return out, nil
	}
	writeAnswer(w, ans)
	out.Status = ans.status
	return out, nil
}

// pick returns the response for the n-th call (1-based) and its 1-based step. Compile
// gives every rule at least one step.
func (r *LiveRule) pick(n uint64) (*liveResponse, int) {
	if r.single {
		return r.steps[0], 0
	}
	i := int((n - 1) % uint64(len(r.steps)))
	if !r.cycle && n > uint64(len(r.steps)) {
		i = len(r.steps) - 1
	}
	return r.steps[i], i + 1
}

// roll reports whether an event of probability p happens, from the rule's seeded source.
func (r *LiveRule) roll(p float64) bool {
	switch {
	case p >= 1:
		return true
	case p <= 0:
		return false
	}
	r.rngMu.Lock()
	defer r.rngMu.Unlock()
	return r.rng.Float64() < p
}

// delay returns the wait for d: fixed, or drawn from the seeded source within the range.
func (r *LiveRule) delay(d *Delay) time.Duration {
	if d == nil || d.Max <= 0 {
		return 0
	}
	if d.Max <= d.Min {
		return d.Min
	}
	r.rngMu.Lock()
	defer r.rngMu.Unlock()
	return d.Min + time.Duration(r.rng.Int64N(int64(d.Max-d.Min)+1))
}

func (resp *liveResponse) render(data *templateData) (*rendered, error) {
	ans := &rendered{status: resp.src.StatusCode(), header: http.Header{}}
	if resp.status != nil {
		s, err := resp.status.render(data)
		if err != nil {
			return nil, fmt.Errorf("status: %w", err)
		}
		code, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || code < 100 || code > 599 {
			// The rendered text is not quoted: it may come from a secret request field.
			return nil, fmt.Errorf("status template (line %d) did not render an HTTP status (100-599)", resp.src.Status.Line)
		}
		ans.status = code
	}
	switch {
	case resp.body != nil:
		var buf bytes.Buffer
		if err := resp.body.render(&buf, data); err != nil {
			return nil, fmt.Errorf("body: %w", err)
		}
		ans.body = buf.Bytes()
		ans.header.Set("Content-Type", resp.src.contentType())
	case resp.bodyText != nil:
		s, err := resp.bodyText.render(data)
		if err != nil {
			return nil, fmt.Errorf("bodyText: %w", err)
		}
		ans.body = []byte(s)
		ans.header.Set("Content-Type", resp.src.contentType())
	}
	for name, t := range resp.headers {
		v, err := t.render(data)
		if err != nil {
			return nil, fmt.Errorf("header %s: %w", name, err)
		}
		ans.header.Set(name, v)
	}
	return ans, nil
}

// checkStatus refuses a templated status that the operation does not declare, an
// informational (1xx) one, whose answer would leave the client waiting, and a body on
// a status that cannot carry one (204, 304).
func checkStatus(ans *rendered, declared func(int) bool) error {
	switch {
	case ans.status < 200:
		return fmt.Errorf("status template rendered %d: informational statuses cannot be sent as an answer", ans.status)
	case (ans.status == http.StatusNoContent || ans.status == http.StatusNotModified) && len(ans.body) > 0:
		return fmt.Errorf("status template rendered %d, which cannot carry the rule's body", ans.status)
	case declared != nil && !declared(ans.status):
		return fmt.Errorf("status template rendered %d, which the operation does not declare", ans.status)
	}
	return nil
}

func writeAnswer(w http.ResponseWriter, ans *rendered) {
	h := w.Header()
	for k, vs := range ans.header {
		h[k] = vs
	}
	h.Set("Content-Length", strconv.Itoa(len(ans.body)))
	w.WriteHeader(ans.status)
	_, _ = w.Write(ans.body)
}
