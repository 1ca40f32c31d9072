package hookapi_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hookkit/hookkit/mockserver"
	"github.com/hookkit/hookkit/mockserver/config"
	"github.com/hookkit/hookkit/mockserver/hookapi"
	"github.com/hookkit/hookkit/mockserver/mocktest"
	"github.com/hookkit/hookkit/webhook"
)

// received is one delivery a test receiver got.
type received struct {
	header http.Header
	body   []byte
}

// receiver answers the statuses given in turn (the last one from then on) and passes
// every delivery to the test.
type receiver struct {
	*httptest.Server
	mu       sync.Mutex
	statuses []int
	got      chan received
}

func newReceiver(t *testing.T, statuses ...int) *receiver {
	rc := &receiver{statuses: statuses, got: make(chan received, 16)}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.got <- received{header: r.Header.Clone(), body: body}
		rc.mu.Lock()
		status := rc.statuses[0]
		if len(rc.statuses) > 1 {
			rc.statuses = rc.statuses[1:]
		}
		rc.mu.Unlock()
		w.WriteHeader(status)
	}))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *receiver) next(t *testing.T) received {
	t.Helper()
	select {
	case r := <-rc.got:
		return r
	case <-time.After(10 * time.Second):
		t.Fatal("no delivery arrived")
		return received{}
	}
}

// fakeSleep records the waits between attempts and returns at once.
type fakeSleep struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (f *fakeSleep) sleep(_ context.Context, d time.Duration) error {
	f.mu.Lock()
	f.waits = append(f.waits, d)
	f.mu.Unlock()
	return nil
}

func startDelivering(t *testing.T, yaml string, sl *fakeSleep) *mocktest.Mock {
	t.Helper()
	cfg, err := config.Parse([]byte(yaml), "mock.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var popts hookapi.ProfileOptions
	if sl != nil {
		popts.Deliver.Sleep = sl.sleep
	}
	opts := mockserver.Options{Config: cfg, Profiles: []mockserver.Profile{hookapi.New(popts)}}
	return mocktest.Start(t, mocktest.WithOptions(opts))
}

// createHook creates a hook with the token credential and returns its id.
func createHook(t *testing.T, base, repoAuth, url, secret string) string {
	t.Helper()
	body := `{"secret":"` + secret + `","url":"` + url + `"}`
	req := hookRequest(t, base, "group:app", body)
	req.Header.Set("X-Auth-Token", "t")
	req.Header.Set("X-Repo-Auth", repoAuth)
	a := send(t, req, body)
	if a.status != http.StatusOK {
		t.Fatalf("create hook: %d %s", a.status, a.raw)
	}
	var h struct{ ID string }
	if err := json.Unmarshal([]byte(a.raw), &h); err != nil {
		t.Fatal(err)
	}
	return h.ID
}

func admin(t *testing.T, method, url, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(raw)
}

func decodeDelivery(t *testing.T, raw string) hookapi.Record {
	t.Helper()
	var out struct{ Delivery hookapi.Record }
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		t.Fatalf("%v: %s", err, raw)
	}
	return out.Delivery
}

// TestDeliveryRetries: a receiver that fails twice gets the delivery on the third
// attempt, after waits of 1s and 2s (the default backoff, doubling).
func TestDeliveryRetries(t *testing.T) {
	sl := &fakeSleep{}
	m := startDelivering(t, "", sl)
	rc := newReceiver(t, 500, 503, 200)
	id := createHook(t, m.URL, "my-github-auth", rc.URL+"/hook", "retry-secret-1")
	status, raw := admin(t, http.MethodPost, m.URL+"/__admin/hooks/"+id+"/deliveries?wait=10s", `{"event":"push"}`)
	if status != http.StatusOK {
		t.Fatalf("status %d: %s", status, raw)
	}
	d := decodeDelivery(t, raw)
	if d.Status != hookapi.StatusDelivered || len(d.Attempts) != 3 || d.Attempts[0].Status != 500 || d.Attempts[2].Status != 200 {
		t.Fatalf("delivery %+v", d)
	}
	sl.mu.Lock()
	waits := sl.waits
	sl.mu.Unlock()
	if len(waits) != 2 || waits[0] != time.Second || waits[1] != 2*time.Second {
		t.Errorf("waits %v, want [1s 2s]", waits)
	}
	var first []byte
	for range 3 {
		r := rc.next(t)
		if err := webhook.Verify("github", r.header, r.body, "retry-secret-1"); err != nil {
			t.Errorf("attempt not signed: %v", err)
		}
		if first != nil && string(r.body) != string(first) {
			t.Error("a retry sent another body")
		}
		first = r.body
	}
}

// TestDeliveryGivesUp: retries stop after hooks.deliver.retries, and 4xx is not retried.
func TestDeliveryGivesUp(t *testing.T) {
	sl := &fakeSleep{}
	m := startDelivering(t, "hooks:\n  deliver:\n    retries: 1\n    backoff: 250ms\n", sl)
	for _, tt := range []struct {
		status   int
		attempts int
	}{{500, 2}, {404, 1}} {
		rc := newReceiver(t, tt.status)
		id := createHook(t, m.URL, "my-github-auth", rc.URL+"/hook", "s")
		_, raw := admin(t, http.MethodPost, m.URL+"/__admin/hooks/"+id+"/deliveries?wait=10s", "")
		d := decodeDelivery(t, raw)
		if d.Status != hookapi.StatusFailed || len(d.Attempts) != tt.attempts {
			t.Errorf("receiver answering %d: delivery %+v", tt.status, d)
		}
	}
	if len(sl.waits) != 1 || sl.waits[0] != 250*time.Millisecond {
		t.Errorf("waits %v, want [250ms]", sl.waits)
	}
}

// TestDeliveryHostNotAllowed: a callback host that is not loopback is refused without a
// request, and the refusal is journaled.
func TestDeliveryHostNotAllowed(t *testing.T) {
	m := startDelivering(t, "hooks:\n  deliver:\n    onCreate: ping\n", nil)
	id := createHook(t, m.URL, "my-github-auth", "https://example.com/webhook", "s")
	status, raw := admin(t, http.MethodPost, m.URL+"/__admin/hooks/"+id+"/deliveries", "")
	if status != http.StatusBadRequest || !strings.Contains(raw, "callback host example.com is not loopback and not in hooks.deliver.allowHosts") {
		t.Fatalf("status %d: %s", status, raw)
	}
	_, list := admin(t, http.MethodGet, m.URL+"/__admin/deliveries", "")
	var out struct{ Deliveries []hookapi.Record }
	if err := json.Unmarshal([]byte(list), &out); err != nil {
		t.Fatal(err)
	}
	// The onCreate ping and the explicit delivery, both refused, newest first.
	if len(out.Deliveries) != 2 || out.Deliveries[0].Status != hookapi.StatusRefused || out.Deliveries[1].Event != "ping" || out.Deliveries[1].Status != hookapi.StatusRefused {
		t.Fatalf("deliveries: %s", list)
	}
}

// TestDeliveryOnCreate: hooks.deliver.onCreate sends GitHub's ping right after creation,
// and a gitlab hook gets its token; the admin API never shows the secret or a signature.
func TestDeliveryOnCreate(t *testing.T) {
	m := startDelivering(t, "hooks:\n  types: {my-gitlab-auth: gitlab}\n  deliver:\n    onCreate: ping\n", nil)
	rc := newReceiver(t, 200)
	createHook(t, m.URL, "my-github-auth", rc.URL+"/gh", "gh-secret-31")
	r := rc.next(t)
	if r.header.Get("X-GitHub-Event") != "ping" || webhook.Verify("github", r.header, r.body, "gh-secret-31") != nil {
		t.Errorf("ping: %v %s", r.header, r.body)
	}
	createHook(t, m.URL, "my-gitlab-auth", rc.URL+"/gl", "gl-secret-32")
	r = rc.next(t)
	if r.header.Get("X-Gitlab-Event") != "Push Hook" || r.header.Get("X-Gitlab-Token") != "gl-secret-32" {
		t.Errorf("gitlab: %v", r.header)
	}
	for _, path := range []string{"deliveries", "hooks", "requests"} {
		_, raw := admin(t, http.MethodGet, m.URL+"/__admin/"+path, "")
		for _, secret := range []string{"gh-secret-31", "gl-secret-32", "sha256="} {
			if strings.Contains(raw, secret) {
				t.Errorf("/__admin/%s shows %q: %s", path, secret, raw)
			}
		}
	}
}

func TestDeliveryRequestErrors(t *testing.T) {
	m := startDelivering(t, "", nil)
	id := createHook(t, m.URL, "my-github-auth", "http://127.0.0.1:1/h", "s")
	for _, tt := range []struct {
		path, body string
		status     int
		want       string
	}{
		{"hooks/9999/deliveries", "", 404, "no hook with id 9999"},
		{"hooks/" + id + "/deliveries", `{"event":"merge"}`, 400, "not one of ping, push"},
		{"hooks/" + id + "/deliveries", `{"evnt":"push"}`, 400, "unknown field"},
		{"hooks/" + id + "/deliveries?wait=2h", "", 400, "wait must be a duration"},
	} {
		status, raw := admin(t, http.MethodPost, m.URL+"/__admin/"+tt.path, tt.body)
		if status != tt.status || !strings.Contains(raw, tt.want) {
			t.Errorf("%s %s: %d %s, want %d %q", tt.path, tt.body, status, raw, tt.status, tt.want)
		}
	}
}

// TestDeliveriesInFlightBounded: with MaxInFlight deliveries waiting on a receiver that
// does not answer, the next one is refused instead of piling up.
func TestDeliveriesInFlightBounded(t *testing.T) {
	m := startDelivering(t, "hooks:\n  deliver:\n    retries: 0\n", nil)
	release := make(chan struct{})
	arrived := make(chan struct{}, hookapi.MaxInFlight)
	rc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		<-release
	}))
	t.Cleanup(rc.Close)
	t.Cleanup(func() { close(release) }) // runs first: lets the receiver close
	id := createHook(t, m.URL, "my-github-auth", rc.URL+"/slow", "s")
	for i := range hookapi.MaxInFlight {
		if status, raw := admin(t, http.MethodPost, m.URL+"/__admin/hooks/"+id+"/deliveries", ""); status != http.StatusAccepted {
			t.Fatalf("delivery %d: %d %s", i, status, raw)
		}
	}
	status, raw := admin(t, http.MethodPost, m.URL+"/__admin/hooks/"+id+"/deliveries", "")
	if status != http.StatusBadRequest || !strings.Contains(raw, "deliveries are already under way") {
		t.Fatalf("delivery over the limit: %d %s", status, raw)
	}
	for range hookapi.MaxInFlight {
		<-arrived
	}
}

// TestDeliveryTimeoutRetried: an attempt that outlives hooks.deliver.timeout is retried.
func TestDeliveryTimeoutRetried(t *testing.T) {
	sl := &fakeSleep{}
	m := startDelivering(t, "hooks:\n  deliver:\n    timeout: 100ms\n", sl)
	var mu sync.Mutex
	calls := 0
	release := make(chan struct{})
	rc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body) // the server notices a closed connection once the body is read
		mu.Lock()
		calls++
		first := calls == 1
		mu.Unlock()
		if first {
			select { // hold the first attempt until the mock gives up
			case <-r.Context().Done():
			case <-release:
			}
		}
	}))
	t.Cleanup(rc.Close)
	t.Cleanup(func() { close(release) })
	id := createHook(t, m.URL, "my-github-auth", rc.URL+"/hook", "s")
	_, raw := admin(t, http.MethodPost, m.URL+"/__admin/hooks/"+id+"/deliveries?wait=10s", "")
	d := decodeDelivery(t, raw)
	if d.Status != hookapi.StatusDelivered || len(d.Attempts) != 2 || d.Attempts[0].Error != "timeout" {
		t.Fatalf("delivery %+v", d)
	}
}

// roundTripper answers every delivery 200 and records the hosts it was asked for, so a
// test can allow a non-loopback host without any network.
type roundTripper struct {
	mu    sync.Mutex
	hosts []string
}

func (rt *roundTripper) RoundTrip(r *http.Request) (*http.Response, error) {
	rt.mu.Lock()
	rt.hosts = append(rt.hosts, r.URL.Host)
	rt.mu.Unlock()
	return &http.Response{StatusCode: 200, Body: http.NoBody, Header: http.Header{}, Request: r}, nil
}

// TestDeliveryAllowHosts: hooks.deliver.allowHosts opens exactly the hosts it lists.
func TestDeliveryAllowHosts(t *testing.T) {
	cfg, err := config.Parse([]byte("hooks:\n  deliver:\n    allowHosts: [ci.internal.example]\n"), "mock.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rt := &roundTripper{}
	m := mocktest.Start(t, mocktest.WithOptions(mockserver.Options{Config: cfg, Profiles: []mockserver.Profile{hookapi.New(hookapi.ProfileOptions{Deliver: hookapi.Options{Transport: rt}})}}))
	allowed := createHook(t, m.URL, "my-github-auth", "https://CI.internal.example/hook", "s")
	other := createHook(t, m.URL, "my-github-auth", "https://ci.internal.example.evil.test/hook", "s")
	if status, raw := admin(t, http.MethodPost, m.URL+"/__admin/hooks/"+allowed+"/deliveries?wait=10s", ""); status != http.StatusOK || decodeDelivery(t, raw).Status != hookapi.StatusDelivered {
		t.Errorf("allowed host: %d %s", status, raw)
	}
	if status, raw := admin(t, http.MethodPost, m.URL+"/__admin/hooks/"+other+"/deliveries", ""); status != http.StatusBadRequest {
		t.Errorf("other host: %d %s", status, raw)
	}
	if len(rt.hosts) != 1 || rt.hosts[0] != "CI.internal.example" {
		t.Errorf("requests went to %v", rt.hosts)
	}
	for _, bad := range []string{"https://x.example", "x.example:443", "x/y"} {
		_, err := config.Parse([]byte("hooks:\n  deliver:\n    allowHosts: ['"+bad+"']\n"), "mock.yaml")
		if err == nil || !strings.Contains(err.Error(), "mock.yaml:3: hooks.deliver.allowHosts") {
			t.Errorf("allowHosts %q: err = %v", bad, err)
		}
	}
}

// TestDeliveryRecordsScrubbed: a receiver that quotes the hook's secret (GitLab's token)
// or the signature it got in its answer does not make the admin API show them.
func TestDeliveryRecordsScrubbed(t *testing.T) {
	m := startDelivering(t, "hooks:\n  types: {my-gitlab-auth: gitlab}\n  deliver:\n    retries: 0\n", nil)
	rc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, "rejected: token "+r.Header.Get("X-Gitlab-Token")+", signature "+r.Header.Get("X-Hub-Signature-256"))
	}))
	t.Cleanup(rc.Close)
	var sigs []string
	for _, h := range []struct{ auth, secret string }{{"my-gitlab-auth", "gl-echoed-secret-41"}, {"my-github-auth", "gh-echoed-secret-42"}} {
		id := createHook(t, m.URL, h.auth, rc.URL+"/hook", h.secret)
		status, raw := admin(t, http.MethodPost, m.URL+"/__admin/hooks/"+id+"/deliveries?wait=10s", "")
		d := decodeDelivery(t, raw)
		if status != http.StatusOK || d.Status != hookapi.StatusFailed || !strings.Contains(d.Answer, "rejected: token ") {
			t.Fatalf("%s: %d %s", h.auth, status, raw)
		}
		if strings.Contains(d.Answer, h.secret) {
			t.Errorf("the delivery's answer shows the hook secret: %q", d.Answer)
		}
		if h.auth == "my-github-auth" {
			_, sig, _ := strings.Cut(d.Answer, "signature ")
			sigs = append(sigs, sig)
		}
	}
	_, list := admin(t, http.MethodGet, m.URL+"/__admin/deliveries", "")
	for _, leak := range []string{"gl-echoed-secret-41", "gh-echoed-secret-42", "sha256="} {
		if strings.Contains(list, leak) {
			t.Errorf("GET /__admin/deliveries shows %q: %s", leak, list)
		}
	}
	if len(sigs) != 1 || sigs[0] != "[REDACTED]" {
		t.Errorf("the echoed signature is not scrubbed: %q", sigs)
	}
}

// TestDeliveryRecordsBounded: the delivery records keep a bounded part of a huge callback
// url, so the most records (hookapi.MaxDeliveries) hold a bounded number of bytes
// whatever the hooks' urls.
func TestDeliveryRecordsBounded(t *testing.T) {
	m := startDelivering(t, "", nil)
	long := "https://ci.example.com/" + strings.Repeat("a", 256<<10)
	id := createHook(t, m.URL, "my-github-auth", long, "s3cr3t-bounded")
	const n = 20
	for range n {
		if status, raw := admin(t, http.MethodPost, m.URL+"/__admin/hooks/"+id+"/deliveries", ""); status != http.StatusBadRequest || len(raw) > 16<<10 {
			t.Fatalf("refused delivery: %d, %d bytes", status, len(raw))
		}
	}
	_, list := admin(t, http.MethodGet, m.URL+"/__admin/deliveries", "")
	var out struct{ Deliveries []hookapi.Record }
	if err := json.Unmarshal([]byte(list), &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Deliveries) != n {
		t.Fatalf("%d deliveries, want %d", len(out.Deliveries), n)
	}
	if len(list) > n*8<<10 {
		t.Errorf("%d records take %d bytes: the url is kept whole", n, len(list))
	}
	if u := out.Deliveries[0].URL; !strings.HasPrefix(u, "https://ci.example.com/aaa") || !strings.HasSuffix(u, "…[truncated]") || len(u) > 2<<10 {
		t.Errorf("the record's url is not cut and marked: %d bytes, ends %q", len(u), u[len(u)-20:])
	}
}

// TestDeliveryWaitsCapped: the wait between attempts doubles from hooks.deliver.backoff
// but never exceeds config.MaxDeliverWait, so even the longest settings end a delivery to
// a dead receiver within bounded time.
func TestDeliveryWaitsCapped(t *testing.T) {
	sl := &fakeSleep{}
	m := startDelivering(t, "hooks:\n  deliver:\n    retries: 6\n    backoff: 1m\n", sl)
	rc := newReceiver(t, 503)
	id := createHook(t, m.URL, "my-github-auth", rc.URL+"/hook", "s3cr3t-waits")
	_, raw := admin(t, http.MethodPost, m.URL+"/__admin/hooks/"+id+"/deliveries?wait=10s", "")
	if d := decodeDelivery(t, raw); d.Status != hookapi.StatusFailed || len(d.Attempts) != 7 {
		t.Fatalf("delivery %+v", d)
	}
	sl.mu.Lock()
	defer sl.mu.Unlock()
	want := []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, config.MaxDeliverWait, config.MaxDeliverWait, config.MaxDeliverWait}
	if len(sl.waits) != len(want) {
		t.Fatalf("waits %v, want %v", sl.waits, want)
	}
	for i := range want {
		if sl.waits[i] != want[i] {
			t.Fatalf("waits %v, want %v", sl.waits, want)
		}
	}
}

// TestDeliveryNeverToAnAdminAPI: any web page may create a hook (the mocked API answers
// CORS), so with onCreate on, a callback url on the mock's own admin API would turn a
// delivery (a JSON POST from loopback) into an admin write past the guard. Such deliveries
// are refused, however the path is spelled, and the journal survives.
func TestDeliveryNeverToAnAdminAPI(t *testing.T) {
	m := startDelivering(t, "hooks:\n  deliver:\n    onCreate: ping\n", nil)
	for _, p := range []string{"/__admin/reset", "/x/../__admin/reset", "/%5F%5Fadmin/reset", "/__admin"} {
		id := createHook(t, m.URL, "my-github-auth", m.URL+p, "s3cr3t-admin")
		status, raw := admin(t, http.MethodPost, m.URL+"/__admin/hooks/"+id+"/deliveries", "")
		if status != http.StatusBadRequest || !strings.Contains(raw, "is an admin API (/__admin/): the mock never delivers to one") {
			t.Errorf("%s: %d %s", p, status, raw)
		}
	}
	_, list := admin(t, http.MethodGet, m.URL+"/__admin/deliveries", "")
	var out struct{ Deliveries []hookapi.Record }
	if err := json.Unmarshal([]byte(list), &out); err != nil {
		t.Fatal(err)
	}
	for _, d := range out.Deliveries {
		if d.Status != hookapi.StatusRefused {
			t.Errorf("delivery to %s: %s", d.URL, d.Status)
		}
	}
	if _, raw := admin(t, http.MethodGet, m.URL+"/__admin/requests", ""); !strings.Contains(raw, `"total": 4`) {
		t.Errorf("the journal was reset: %.300s", raw)
	}
}
