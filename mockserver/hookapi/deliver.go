package hookapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"path"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/hookkit/hookkit/internal/uuid"
	"github.com/hookkit/hookkit/mockserver/config"
	"github.com/hookkit/hookkit/openapi"
	"github.com/hookkit/hookkit/webhook"
)

// MaxDeliveries bounds the delivery records kept for the admin API, oldest dropped first.
const MaxDeliveries = 1000

// maxAnswerBytes is how much of a receiver's answer is read and kept.
const maxAnswerBytes = 1024

// maxPayloadShown is how much of a delivery's payload its record keeps: a thousand
// records of 1 MiB payloads would hold a gigabyte.
const maxPayloadShown = 4096

// maxFieldShown bounds each other text a record or a log line keeps (the callback url, the
// event, the reason, an attempt's error): a hook's url may be as long as a request body,
// and a thousand records must not hold a thousand of them. With at most 11 attempts, a
// record holds about 20 KiB at most, so the records about 20 MiB.
const maxFieldShown = 1024

// MaxInFlight bounds the deliveries being sent or waiting for a retry at once; more are
// refused, so a flood of admin requests cannot pile up goroutines and connections.
const MaxInFlight = 64

// Delivery statuses.
const (
	StatusPending   = "pending"   // being sent or waiting for a retry
	StatusDelivered = "delivered" // a 2xx answer
	StatusFailed    = "failed"    // no 2xx after every attempt, or a non-retried answer
	StatusRefused   = "refused"   // not sent: the callback host is not allowed, or the hook cannot be delivered
)

// Target is the hook a delivery goes to. Secret is used to sign and never recorded.
type Target struct {
	HookID      string
	Type        string
	CallbackURL string
	Namespace   string
	Project     string
	Secret      string
}

// Attempt is one try of a delivery.
type Attempt struct {
	Status   int           `json:"status,omitempty"`
	Error    string        `json:"error,omitempty"`
	Duration time.Duration `json:"duration"`
}

// Record is a delivery as the admin API shows it: redacted (the secret-bearing headers
// show as [REDACTED], and the hook's secret and signature are scrubbed from the payload and
// the receiver's answer, should either quote them), each text bounded (see maxFieldShown).
type Record struct {
	ID       string        `json:"id"`
	HookID   string        `json:"hook_id"`
	Type     string        `json:"type"`
	Event    string        `json:"event"`
	URL      string        `json:"url"`
	Status   string        `json:"status"`
	Reason   string        `json:"reason,omitempty"`
	Attempts []Attempt     `json:"attempts"`
	Started  time.Time     `json:"started"`
	Duration time.Duration `json:"duration"`
	Header   http.Header   `json:"request_header,omitempty"`
	Payload  string        `json:"payload,omitempty"`
	Answer   string        `json:"answer,omitempty"`
}

// Options configure a Deliverer.
type Options struct {
	// Logger receives one line per finished delivery; nil discards them.
	Logger *slog.Logger
	// Sleep waits between attempts; nil waits on a timer. Tests inject one that returns at
	// once and records the waits.
	Sleep func(ctx context.Context, d time.Duration) error
	// Transport sends the deliveries; nil means a transport whose dialer refuses every
	// address that is not loopback or allowed (checked again after name resolution).
	Transport http.RoundTripper
}

// Deliverer sends webhook deliveries off the request path and records them.
type Deliverer struct {
	cfg    atomic.Pointer[config.DeliverConfig]
	log    *slog.Logger
	sleep  func(ctx context.Context, d time.Duration) error
	client *http.Client
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu       sync.Mutex
	records  []*Record // oldest first
	done     map[string]chan struct{}
	inFlight int
}

// NewDeliverer returns a Deliverer using cfg (see Configure).
func NewDeliverer(cfg config.DeliverConfig, opts Options) *Deliverer {
	d := &Deliverer{log: opts.Logger, sleep: opts.Sleep, done: map[string]chan struct{}{}}
	if d.log == nil {
		d.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if d.sleep == nil {
		d.sleep = sleepCtx
	}
	d.ctx, d.cancel = context.WithCancel(context.Background())
	d.Configure(cfg)
	tr := opts.Transport
	if tr == nil {
		tr = d.guardedTransport()
	}
	// A redirect is the receiver's answer: following it could lead the mock anywhere.
	d.client = &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return d
}

// Configure swaps in a new config (on reload); deliveries under way keep theirs.
func (d *Deliverer) Configure(cfg config.DeliverConfig) {
	if cfg.Backoff <= 0 {
		cfg.Backoff = config.DefaultDeliverBackoff
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = config.DefaultDeliverTimeout
	}
	d.cfg.Store(&cfg)
}

// OnCreate is the event to send when a hook is created, "" for none.
func (d *Deliverer) OnCreate() string {
	switch e := d.cfg.Load().OnCreate; e {
	case config.OnCreatePing, config.OnCreatePush:
		return e
	}
	return ""
}

// Close cancels pending retries and waits for every delivery goroutine to end.
func (d *Deliverer) Close() {
	d.cancel()
	d.wg.Wait()
}

// Deliver starts a delivery of event (default push) to the hook and returns its record
// at once; payload, when not nil, replaces the built-in one. A delivery the mock refuses
// to send (host not allowed, no format for the hook's type, bad event) is recorded with
// status refused and returned with an error saying why.
func (d *Deliverer) Deliver(t Target, event string, payload json.RawMessage) (Record, error) {
	cfg := d.cfg.Load()
	rec := &Record{HookID: openapi.Clip(t.HookID, maxFieldShown), Type: openapi.Clip(t.Type, maxFieldShown), Event: openapi.Clip(event, maxFieldShown),
		URL: openapi.Clip(t.CallbackURL, maxFieldShown), Status: StatusPending, Started: time.Now().UTC(), Attempts: []Attempt{}}
	secrets := openapi.Secrets{}.With(t.Secret)
	del, err := webhook.Build(t.Type, event, webhook.Hook{ID: t.HookID, CallbackURL: t.CallbackURL, Namespace: t.Namespace, Project: t.Project}, t.Secret, payload)
	if err == nil {
		secrets = secrets.Merge(signatures(del.Header))
		rec.ID, rec.Event = del.ID, del.Event
		rec.Header = redactHeader(del.Header)
		rec.Payload = secrets.Scrub(openapi.Clip(string(del.Body), maxPayloadShown))
		err = allowed(cfg, t.CallbackURL)
	} else {
		rec.ID = uuid.New()
	}
	if err != nil {
		rec.Status, rec.Reason = StatusRefused, secrets.Scrub(openapi.Clip(err.Error(), maxFieldShown))
		d.add(rec, nil)
		d.log.Warn("delivery refused", "delivery", rec.ID, "hook", rec.HookID, "url", rec.URL, "reason", rec.Reason)
		return d.snapshot(rec), errors.New(rec.Reason)
	}
	d.mu.Lock()
	busy := d.inFlight >= MaxInFlight
	if !busy {
		d.inFlight++
	}
	d.mu.Unlock()
	if busy {
		err := fmt.Errorf("%d deliveries are already under way: try again when some have finished", MaxInFlight)
		rec.Status, rec.Reason = StatusRefused, err.Error()
		d.add(rec, nil)
		return d.snapshot(rec), err
	}
	done := make(chan struct{})
	d.add(rec, done)
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		defer close(done)
		defer func() {
			d.mu.Lock()
			d.inFlight--
			d.mu.Unlock()
		}()
		d.run(cfg, rec, del, t.CallbackURL, secrets)
	}()
	return d.snapshot(rec), nil
}

// Wait waits until the delivery id finishes, ctx ends, or the Deliverer closes, and
// returns its record.
func (d *Deliverer) Wait(ctx context.Context, id string) (Record, bool) {
	d.mu.Lock()
	ch := d.done[id]
	d.mu.Unlock()
	if ch != nil {
		select {
		case <-ch:
		case <-ctx.Done():
		case <-d.ctx.Done():
		}
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, r := range d.records {
		if r.ID == id {
			return d.copyLocked(r), true
		}
	}
	return Record{}, false
}

// List returns the records, newest first.
func (d *Deliverer) List() []Record {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]Record, 0, len(d.records))
	for i := len(d.records) - 1; i >= 0; i-- {
		out = append(out, d.copyLocked(d.records[i]))
	}
	return out
}

// Reset forgets the records (deliveries under way go on, unrecorded).
func (d *Deliverer) Reset() {
	d.mu.Lock()
	d.records = nil
	d.mu.Unlock()
}

func (d *Deliverer) add(rec *Record, done chan struct{}) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.records = append(d.records, rec)
	if done != nil {
		d.done[rec.ID] = done
	}
	if len(d.records) > MaxDeliveries {
		delete(d.done, d.records[0].ID)
		d.records = d.records[1:]
	}
}

func (d *Deliverer) snapshot(rec *Record) Record {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.copyLocked(rec)
}

func (d *Deliverer) copyLocked(rec *Record) Record {
	c := *rec
	c.Attempts = append([]Attempt{}, rec.Attempts...)
	return c
}

// run sends the delivery, retrying with a doubling backoff. secrets are scrubbed from what
// the receiver answers.
func (d *Deliverer) run(cfg *config.DeliverConfig, rec *Record, del *webhook.Delivery, target string, secrets openapi.Secrets) {
	start := time.Now()
	wait := cfg.Backoff
	retries := cfg.RetryCount()
	status, reason := StatusFailed, ""
	for attempt := 0; ; attempt++ {
		a, answer, retry := d.attempt(cfg, del, target)
		a.Error = secrets.Scrub(openapi.Clip(a.Error, maxFieldShown))
		answer = secrets.Scrub(answer)
		d.mu.Lock()
		rec.Attempts = append(rec.Attempts, a)
		rec.Answer = answer
		d.mu.Unlock()
		if a.Status >= 200 && a.Status <= 299 {
			status, reason = StatusDelivered, ""
			break
		}
		reason = a.Error
		if a.Status != 0 {
			reason = fmt.Sprintf("answered %d", a.Status)
		}
		if !retry || attempt >= retries {
			break
		}
		if err := d.sleep(d.ctx, wait); err != nil {
			reason += "; retries cancelled (mock shutting down)"
			break
		}
		wait = min(2*wait, config.MaxDeliverWait)
	}
	d.mu.Lock()
	rec.Status, rec.Reason, rec.Duration = status, reason, time.Since(start)
	n := len(rec.Attempts)
	d.mu.Unlock()
	d.log.Info("delivery", "delivery", rec.ID, "hook", rec.HookID, "type", rec.Type, "event", rec.Event,
		"url", rec.URL, "status", status, "attempts", n, "reason", reason)
}

// attempt sends once; retry says whether a failure is worth another try (5xx, timeout,
// connection error).
func (d *Deliverer) attempt(cfg *config.DeliverConfig, del *webhook.Delivery, target string) (Attempt, string, bool) {
	ctx, cancel := context.WithTimeout(d.ctx, cfg.Timeout)
	defer cancel()
	start := time.Now()
	req, err := del.Request(target)
	if err != nil {
		return Attempt{Error: "cannot build the request: " + err.Error()}, "", false
	}
	resp, err := d.client.Do(req.WithContext(ctx))
	if err != nil {
		return Attempt{Error: describeErr(err), Duration: time.Since(start)}, "", true
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxAnswerBytes))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	a := Attempt{Status: resp.StatusCode, Duration: time.Since(start)}
	return a, string(body), resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests
}

// describeErr shortens a transport error: the URL is in the record already.
func describeErr(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "timeout"
	}
	return err.Error()
}

// allowed reports whether the mock may send to rawURL: http(s), and a loopback host or one
// of allowHosts.
func allowed(cfg *config.DeliverConfig, rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("callback url %q is not an http or https URL", rawURL)
	}
	if p := path.Clean("/" + u.Path); p == "/__admin" || strings.HasPrefix(p, "/__admin/") {
		// The mocked API lets any web page create hooks (CORS), so a delivery must never
		// be a way around the admin guard: a JSON POST from loopback passes it.
		return fmt.Errorf("callback url path %s is an admin API (/__admin/): the mock never delivers to one", openapi.Clip(p, 100))
	}
	if hostAllowed(cfg, u.Hostname()) {
		return nil
	}
	return fmt.Errorf("callback host %s is not loopback and not in hooks.deliver.allowHosts: the mock delivers only to loopback hosts unless told otherwise", u.Hostname())
}

func hostAllowed(cfg *config.DeliverConfig, host string) bool {
	if isLoopback(host) {
		return true
	}
	for _, h := range cfg.AllowHosts {
		if strings.EqualFold(strings.Trim(h, "[]"), host) {
			return true
		}
	}
	return false
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// guardedTransport dials only loopback addresses, or addresses of allowed hosts: a
// loopback name that resolves elsewhere is refused at the socket.
func (d *Deliverer) guardedTransport() http.RoundTripper {
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil // a proxy would put another host between the check and the receiver
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, _, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		cfg := d.cfg.Load()
		if !hostAllowed(cfg, host) || isLoopback(host) {
			// Check the address actually dialled: localhost must really be loopback.
			dl := *dialer
			dl.Control = func(_, address string, _ syscall.RawConn) error {
				h, _, _ := net.SplitHostPort(address)
				if ip := net.ParseIP(h); ip == nil || !ip.IsLoopback() {
					return fmt.Errorf("address %s is not loopback", h)
				}
				return nil
			}
			return dl.DialContext(ctx, network, addr)
		}
		return dialer.DialContext(ctx, network, addr)
	}
	return tr
}

// signatures are the values of a delivery's secret-bearing headers, as secrets to scrub:
// the whole value ("sha256=HEX") and the digest alone.
func signatures(h http.Header) openapi.Secrets {
	var s openapi.Secrets
	for _, name := range webhook.SecretHeaders() {
		if v := h.Get(name); v != "" {
			s = s.With(v)
			if _, digest, ok := strings.Cut(v, "="); ok {
				s = s.With(digest)
			}
		}
	}
	return s
}

func redactHeader(h http.Header) http.Header {
	out := h.Clone()
	for _, name := range webhook.SecretHeaders() {
		if out.Get(name) != "" {
			out.Set(name, openapi.Redacted)
		}
	}
	return out
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
