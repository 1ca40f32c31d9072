package contract_test

import (
	"context"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hookkit/hookkit/contract"
)

// counting counts the requests a handler receives.
type counting struct {
	n atomic.Int64
	h http.Handler
}

func (c *counting) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.n.Add(1)
	c.h.ServeHTTP(w, r)
}

func outcomes(rep *contract.Report) map[contract.Outcome]int {
	m := map[contract.Outcome]int{}
	for _, r := range rep.Results {
		m[r.Outcome]++
	}
	return m
}

func TestCheckOptions(t *testing.T) {
	t.Parallel()
	doc := hookDoc(t)
	tests := []struct {
		name      string
		opts      func(*contract.Options)
		wantSent  int64
		wantCount map[contract.Outcome]int
		wantKinds []contract.CaseKind
	}{
		{name: "dry run sends nothing", opts: func(o *contract.Options) { o.DryRun = true },
			wantSent: 0, wantCount: map[contract.Outcome]int{contract.Planned: 15}},
		{name: "max requests", opts: func(o *contract.Options) { o.MaxRequests = 3 },
			wantSent: 3, wantCount: map[contract.Outcome]int{contract.Pass: 3, contract.Skipped: 12}},
		{name: "only negative cases", opts: func(o *contract.Options) { o.Include = []string{"negative"} },
			wantSent: 13, wantCount: map[contract.Outcome]int{contract.Pass: 13}, wantKinds: []contract.CaseKind{contract.Negative}},
		{name: "exclude negative, add synthesized positives", opts: func(o *contract.Options) {
			o.Exclude, o.Positive = []string{"negative"}, 3
		}, wantSent: 5, wantCount: map[contract.Outcome]int{contract.Pass: 5}, wantKinds: []contract.CaseKind{contract.Positive}},
		{name: "at most 4 cases per operation", opts: func(o *contract.Options) { o.MaxCasesPerOperation = 4 },
			wantSent: 4, wantCount: map[contract.Outcome]int{contract.Pass: 4}},
		{name: "exclude the operation", opts: func(o *contract.Options) { o.Exclude = []string{"createProjectHook"} },
			wantSent: 0, wantCount: map[contract.Outcome]int{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := &counting{h: hookServer{}}
			rep := runCheck(t, doc, srv, tt.opts)
			if got := srv.n.Load(); got != tt.wantSent {
				t.Errorf("sent %d requests, want %d", got, tt.wantSent)
			}
			got := outcomes(rep)
			for k, v := range tt.wantCount {
				if got[k] != v {
					t.Errorf("outcomes %v, want %v", got, tt.wantCount)
				}
			}
			if len(got) != len(tt.wantCount) {
				t.Errorf("outcomes %v, want %v", got, tt.wantCount)
			}
			for _, r := range rep.Results {
				if len(tt.wantKinds) > 0 && r.Case.Kind != tt.wantKinds[0] {
					t.Errorf("case %s of kind %s selected", r.Case.ID, r.Case.Kind)
				}
			}
		})
	}
}

func TestCheckIsDeterministicForASeed(t *testing.T) {
	t.Parallel()
	doc := inventoryDoc(t)
	plan := func(seed uint64) string {
		cases, err := contract.Plan(doc, contract.Options{BaseURL: "http://127.0.0.1:1", Seed: seed, Positive: 4})
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for _, c := range cases {
			b.WriteString(c.ID + " " + c.Path + " " + c.Query.Encode() + "\n")
		}
		return b.String()
	}
	if a, b := plan(1), plan(1); a != b {
		t.Errorf("same seed, different plans:\n%s\n%s", a, b)
	}
	if a, b := plan(1), plan(2); a == b {
		t.Errorf("different seeds, same synthesized plan:\n%s", a)
	}
}

func TestCheckUsageErrors(t *testing.T) {
	t.Parallel()
	doc := hookDoc(t)
	tests := []struct {
		name string
		opts contract.Options
		want string
	}{
		{name: "no base URL", opts: contract.Options{}, want: "base URL is required"},
		{name: "not http", opts: contract.Options{BaseURL: "ftp://x"}, want: `base URL "ftp://x": scheme "ftp" is not supported: use http:// or https://`},
		{name: "no scheme", opts: contract.Options{BaseURL: "127.0.0.1:4010"}, want: `base URL "127.0.0.1:4010" has no scheme: add http:// or https:// (e.g. http://127.0.0.1:4010)`},
		{name: "no scheme, host name", opts: contract.Options{BaseURL: "localhost:4010"}, want: `base URL "localhost:4010" has no scheme: add http:// or https://`},
		{name: "no host", opts: contract.Options{BaseURL: "http:///v1"}, want: `base URL "http:///v1" has no host`},
		{name: "unparsable", opts: contract.Options{BaseURL: "http://[::1"}, want: `base URL "http://[::1" is not a URL: missing ']' in host`},
		{name: "unknown --set", opts: contract.Options{BaseURL: "http://127.0.0.1:1", Set: map[string]string{"projectid": "x"}},
			want: "--set projectid: no parameter of that name in embedded:hooks.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := contract.Check(context.Background(), doc, tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestCheckUnreachableTarget(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there any more
	start := time.Now()
	rep, err := contract.Check(context.Background(), hookDoc(t), contract.Options{BaseURL: "http://" + addr, Token: testToken})
	if err != nil {
		t.Fatal(err)
	}
	if rep.ExitCode() != 3 {
		t.Errorf("exit code %d, want 3", rep.ExitCode())
	}
	got := outcomes(rep)
	if got[contract.Fail] != 1 || got[contract.Skipped] != len(rep.Results)-1 {
		t.Errorf("want one failed case then the rest skipped, got %v", got)
	}
	if f := rep.Results[0].Failures; len(f) != 1 || f[0].Check != contract.Reachable {
		t.Errorf("failures %+v", f)
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("an unreachable target took %s", time.Since(start))
	}
}

// TestNoSecretInAnyOutput runs with a distinctive token against a server that echoes it
// (and the hook secret) back everywhere it can, and greps every output.
func TestNoSecretInAnyOutput(t *testing.T) {
	t.Parallel()
	echo := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := ioReadAllReq(r)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Echo", r.Header.Get("X-Auth-Token"))
		w.WriteHeader(500)
		_, _ = w.Write([]byte(`{"error_code":"x","error_msg":"token ` + r.Header.Get("X-Auth-Token") + ` body ` + strings.ReplaceAll(body, `"`, `'`) + `"}`))
	})
	rep := runCheck(t, hookDoc(t), echo, func(o *contract.Options) {
		o.Positive = 2
		o.Set["X-Repo-Auth"] = "auth"
	})
	out := renderAll(t, rep)
	if strings.Contains(out, testToken) {
		t.Errorf("the token leaked:\n%s", out)
	}
	if strings.Contains(out, "s3cr3t-value") {
		t.Errorf("the example hook secret leaked:\n%s", out)
	}
	if !strings.Contains(out, `-H "X-Auth-Token: $TOKEN"`) {
		t.Errorf("curl lines do not use $TOKEN:\n%s", out)
	}
}

func ioReadAllReq(r *http.Request) (string, error) {
	b := new(strings.Builder)
	_, err := ioCopy(b, r)
	return b.String(), err
}

// TestCheckRate spaces requests at the given rate (an explicit rate applies to loopback
// targets too).
func TestCheckRate(t *testing.T) {
	t.Parallel()
	start := time.Now()
	rep := runCheck(t, hookDoc(t), hookServer{}, func(o *contract.Options) { o.Rate = 200 })
	elapsed := time.Since(start)
	// n requests at 200/s need at least (n-1) * 5ms.
	if min := time.Duration(len(rep.Results)-1) * 5 * time.Millisecond; elapsed < min {
		t.Errorf("%d requests took %s, less than %s at 200/s", len(rep.Results), elapsed, min)
	}
	if !rep.Passed() {
		t.Error("the compliant server failed")
	}
}

// TestSecretSetValuesStayOutOfReports passes a secret query parameter with --set: it is
// sent, but no report shows it.
func TestSecretSetValuesStayOutOfReports(t *testing.T) {
	t.Parallel()
	const value = "session-VALUE-9d1f-DISTINCTIVE"
	var sent atomic.Int64
	srv := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("session_token") == value {
			sent.Add(1)
		}
		inventoryServer(false).ServeHTTP(w, r)
	})
	rep := runCheck(t, inventoryDoc(t), srv, func(o *contract.Options) {
		o.Set = map[string]string{"session_token": value}
	})
	if sent.Load() == 0 {
		t.Fatal("the --set value was never sent")
	}
	if out := renderAll(t, rep); strings.Contains(out, value) {
		t.Errorf("the secret --set value leaked:\n%s", out)
	}
}
