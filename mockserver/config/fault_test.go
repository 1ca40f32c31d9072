package config

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestDelay(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		delay    string
		min, max time.Duration
	}{
		{"fixed", "150ms", 150 * time.Millisecond, 150 * time.Millisecond},
		{"range", "{min: 50ms, max: 120ms}", 50 * time.Millisecond, 120 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, _, results := serve(t, `rules:
  - match: {operation: createProjectHook}
    respond:
      status: 200
      body: {id: "1", type: github, callback_url: "{{ .Body.url }}"}
      delay: `+tc.delay+`
`)
			for range 3 {
				start := time.Now()
				resp, _, err := post(t, nil, srv.URL, hookBody)
				elapsed := time.Since(start)
				if err != nil {
					t.Fatal(err)
				}
				s := next(t, results)
				if resp.StatusCode != 200 || s.out.Delay < tc.min || s.out.Delay > tc.max {
					t.Errorf("status %d, outcome delay %s, want %s..%s", resp.StatusCode, s.out.Delay, tc.min, tc.max)
				}
				if elapsed < s.out.Delay {
					t.Errorf("answered after %s, before the %s delay", elapsed, s.out.Delay)
				}
			}
		})
	}
}

// TestDelayStopsWhenClientLeaves: a client that gives up during a long delay frees the
// handler at once instead of after the delay.
func TestDelayStopsWhenClientLeaves(t *testing.T) {
	t.Parallel()
	srv, _, results := serve(t, `rules:
  - match: {operation: createProjectHook}
    respond: {status: 200, delay: 1m}
`)
	client := &http.Client{Timeout: 100 * time.Millisecond, Transport: &http.Transport{DisableKeepAlives: true}}
	start := time.Now()
	if _, _, err := post(t, client, srv.URL, hookBody); err == nil {
		t.Fatal("request succeeded despite the 1m delay")
	}
	s := next(t, results)
	if !errors.Is(s.err, context.Canceled) || s.out.Status != 0 {
		t.Errorf("served %+v", s)
	}
	if waited := time.Since(start); waited > 30*time.Second {
		t.Errorf("handler held for %s", waited)
	}
}

func TestFaults(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		fault   string
		timeout time.Duration // client timeout, 0 for none
		check   func(t *testing.T, resp *http.Response, body []byte, err error)
		status  int // outcome status
	}{
		{name: "http-500", fault: "http-500", status: 500, check: func(t *testing.T, resp *http.Response, body []byte, err error) {
			if err != nil || resp.StatusCode != 500 || !strings.Contains(string(body), "http-500") {
				t.Errorf("got %v %v %q", resp, err, body)
			}
		}},
		{name: "http-503", fault: "http-503", status: 503, check: func(t *testing.T, resp *http.Response, body []byte, err error) {
			if err != nil || resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" {
				t.Errorf("got %v %v %q", resp, err, body)
			}
		}},
		{name: "reset", fault: "reset", check: func(t *testing.T, resp *http.Response, body []byte, err error) {
			if !errors.Is(err, syscall.ECONNRESET) {
				t.Errorf("want connection reset, got %v (response %v)", err, resp)
			}
		}},
		{name: "empty", fault: "empty", check: func(t *testing.T, resp *http.Response, body []byte, err error) {
			if !errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET) {
				t.Errorf("want EOF, got %v (response %v)", err, resp)
			}
		}},
		{name: "malformed", fault: "malformed", status: 200, check: func(t *testing.T, resp *http.Response, body []byte, err error) {
			if err != nil || resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" {
				t.Fatalf("got %v %v", resp, err)
			}
			if json.Valid(body) || len(body) == 0 {
				t.Errorf("body %q parses as JSON", body)
			}
			if !strings.HasPrefix(`{"id":"1","type":"github","callback_url":"https://ci.example/hook?x=1"}`, string(body[:len(body)/2])) {
				t.Errorf("body %q is not a cut of the answer", body)
			}
		}},
		{name: "timeout", fault: "timeout", timeout: time.Second, check: func(t *testing.T, resp *http.Response, body []byte, err error) {
			var ne net.Error
			if !errors.As(err, &ne) || !ne.Timeout() {
				t.Errorf("want a client timeout, got %v (response %v)", err, resp)
			}
		}},
		{name: "timeout hold ends", fault: "{type: timeout, hold: 100ms}", check: func(t *testing.T, resp *http.Response, body []byte, err error) {
			if !errors.Is(err, io.EOF) {
				t.Errorf("want EOF after the hold, got %v (response %v)", err, resp)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, _, results := serve(t, `rules:
  - match: {operation: createProjectHook}
    respond:
      status: 200
      body: {id: "1", type: github, callback_url: "{{ .Body.url }}"}
      fault: `+tc.fault+`
`)
			client := &http.Client{Timeout: tc.timeout, Transport: &http.Transport{DisableKeepAlives: true}}
			start := time.Now()
			resp, body, err := post(t, client, srv.URL, hookBody)
			tc.check(t, resp, body, err)
			s := next(t, results)
			if s.err != nil || s.out.Status != tc.status || s.out.Fault == "" {
				t.Errorf("served %+v", s)
			}
			if s.out.Hijacked() != (tc.status == 0) {
				t.Errorf("Hijacked = %v", s.out.Hijacked())
			}
			if strings.HasPrefix(tc.name, "timeout") && time.Since(start) < 100*time.Millisecond {
				t.Errorf("timeout fault answered after %s", time.Since(start))
			}
		})
	}
}

// TestFaultProbability: 0 never fires, 1 always does, and a value between fires for a
// mix of requests that the seed fixes: the same seed replays the same pattern.
func TestFaultProbability(t *testing.T) {
	t.Parallel()
	const n = 40
	pattern := func(seed string, p string) string {
		srv, _, results := serve(t, `seed: `+seed+`
rules:
  - match: {operation: createProjectHook}
    respond:
      status: 200
      body: {id: "1", type: github, callback_url: x}
      fault: {type: http-500, probability: `+p+`}
`)
		client := &http.Client{}
		var b strings.Builder
		for range n {
			resp, _, err := post(t, client, srv.URL, hookBody)
			if err != nil {
				t.Fatal(err)
			}
			next(t, results)
			if resp.StatusCode == 500 {
				b.WriteByte('F')
			} else {
				b.WriteByte('.')
			}
		}
		return b.String()
	}
	if got := pattern("1", "0"); strings.Contains(got, "F") {
		t.Errorf("probability 0 fired: %s", got)
	}
	if got := pattern("1", "1"); strings.Contains(got, ".") {
		t.Errorf("probability 1 did not always fire: %s", got)
	}
	a, b := pattern("7", "0.5"), pattern("7", "0.5")
	if a != b {
		t.Errorf("same seed, different patterns:\n%s\n%s", a, b)
	}
	if fired := strings.Count(a, "F"); fired < n/5 || fired > n*4/5 {
		t.Errorf("probability 0.5 fired %d of %d: %s", fired, n, a)
	}
	if c := pattern("8", "0.5"); c == a {
		t.Errorf("seeds 7 and 8 gave the same pattern %s", a)
	}
}
