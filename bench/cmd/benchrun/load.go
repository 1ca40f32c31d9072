package main

import (
	"encoding/json"
	"fmt"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"time"
)

// loadResult is one bombardier run against one server.
type loadResult struct {
	RPS            float64
	P50, P99       time.Duration
	Non2xx, Errors int64
	PeakRSS        int64
}

// scenario compares a hookkit server with a reference server under the same load.
type scenario struct {
	Name      string
	Target    string   // what is measured, e.g. "hookkit mock, valid request"
	Reference string   // what it is compared with
	Want      float64  // target ratio of requests/s (informational)
	A, B      []string // argv of the reference (A) and of hookkit (B); "{upstream}" is replaced
	Req       request
	Upstream  bool // B needs a baseline upstream started first
}

type loadSummary struct {
	Scenario scenario
	A, B     []loadResult
}

func loads(bins binaries, cfg config, pin bool) ([]loadSummary, error) {
	mock := []string{bins.hookkit, "mock", "--addr", "127.0.0.1:0", "--no-watch"}
	base := []string{bins.baseline}
	scenarios := []scenario{
		{Name: "mock-valid", Target: "hookkit mock, valid hook request (200)", Reference: "bare net/http", Want: 0.7, A: base, B: mock, Req: validHook},
		{Name: "mock-invalid", Target: "hookkit mock, missing token (400)", Reference: "bare net/http", Want: 0.7, A: base, B: mock, Req: missingToken},
		{Name: "proxy", Target: "hookkit proxy in front of the baseline", Reference: "baseline direct", Want: 0.5, A: base,
			B: []string{bins.hookkit, "proxy", "--addr", "127.0.0.1:0", "--upstream", "{upstream}"}, Req: validHook, Upstream: true},
	}
	var out []loadSummary
	for _, sc := range scenarios {
		sum := loadSummary{Scenario: sc}
		for round := 0; round < cfg.rounds; round++ {
			for _, side := range []string{"A", "B"} {
				argv := sc.A
				if side == "B" {
					argv = sc.B
				}
				r, err := loadOnce(bins, cfg, pin, sc, argv)
				if err != nil {
					return nil, fmt.Errorf("%s %s: %w", sc.Name, side, err)
				}
				if side == "A" {
					sum.A = append(sum.A, r)
				} else {
					sum.B = append(sum.B, r)
				}
			}
		}
		out = append(out, sum)
	}
	return out, nil
}

func loadOnce(bins binaries, cfg config, pin bool, sc scenario, argv []string) (loadResult, error) {
	argv = append([]string(nil), argv...)
	if sc.Upstream {
		up, err := startServer(pin, bins.baseline)
		if err != nil {
			return loadResult{}, err
		}
		defer up.stop()
		for i, a := range argv {
			if a == "{upstream}" {
				argv[i] = up.addr
			}
		}
	}
	s, err := startServer(pin, argv...)
	if err != nil {
		return loadResult{}, err
	}
	defer s.stop()
	r, err := bombard(bins, cfg, pin, s.addr, sc.Req)
	if err != nil {
		return r, err
	}
	r.PeakRSS = s.peakRSS()
	return r, nil
}

func bombard(bins binaries, cfg config, pin bool, addr string, req request) (loadResult, error) {
	args := []string{bins.bombardier, "-c", strconv.Itoa(cfg.conns), "-d", cfg.duration.String(), "-l", "-o", "json", "-p", "r", "-m", req.method, "-b", req.body}
	for k, v := range req.header {
		args = append(args, "-H", k+": "+v)
	}
	args = append(args, addr+req.path)
	if pin {
		args = append([]string{"taskset", "-c", "1"}, args...)
	}
	cmd := exec.Command(args[0], args[1:]...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return loadResult{}, fmt.Errorf("bombardier: %v: %s%s", err, out, stderr.String())
	}
	var rep struct {
		Result struct {
			Req1xx, Req2xx, Req3xx, Req4xx, Req5xx, Others int64
			Latency                                        struct {
				Percentiles map[string]float64
			}
			RPS struct{ Mean float64 }
		}
	}
	if err := json.Unmarshal(out, &rep); err != nil {
		return loadResult{}, fmt.Errorf("bombardier output: %v", err)
	}
	r := rep.Result
	return loadResult{
		RPS:    r.RPS.Mean,
		P50:    time.Duration(r.Latency.Percentiles["50"] * float64(time.Microsecond)),
		P99:    time.Duration(r.Latency.Percentiles["99"] * float64(time.Microsecond)),
		Non2xx: r.Req1xx + r.Req3xx + r.Req4xx + r.Req5xx,
		Errors: r.Others,
	}, nil
}

// startupSummary is the time from process start to the first valid 200, over several runs.
type startupSummary struct {
	Name    string
	Samples []time.Duration
}

func startups(bins binaries, cfg config) ([]startupSummary, error) {
	n := 7
	if cfg.quick {
		n = 1
	}
	servers := []startupSummary{{Name: "bare net/http"}, {Name: "hookkit mock (embedded document)"}}
	argvs := [][]string{{bins.baseline}, {bins.hookkit, "mock", "--addr", "127.0.0.1:0", "--no-watch"}}
	for i := 0; i < n; i++ {
		for j := range servers {
			d, err := timeToFirst200(argvs[j]...)
			if err != nil {
				return nil, fmt.Errorf("start-up of %s: %w", servers[j].Name, err)
			}
			servers[j].Samples = append(servers[j].Samples, d)
		}
	}
	return servers, nil
}

// checkSummary is the wall time of `hookkit check` against a local mock.
type checkSummary struct {
	Samples []time.Duration
	Output  string
}

func checkRuns(bins binaries, cfg config) (checkSummary, error) {
	var sum checkSummary
	s, err := startServer(false, bins.hookkit, "mock", "--addr", "127.0.0.1:0", "--no-watch")
	if err != nil {
		return sum, err
	}
	defer s.stop()
	n := 5
	if cfg.quick {
		n = 1
	}
	for i := 0; i < n; i++ {
		cmd := exec.Command(bins.hookkit, "check", "--base-url", s.addr, "--token-env", "BENCH_TOKEN")
		cmd.Env = append(cmd.Environ(), "BENCH_TOKEN=bench-token")
		start := time.Now()
		out, err := cmd.CombinedOutput()
		d := time.Since(start)
		if err != nil {
			return sum, fmt.Errorf("hookkit check against the mock: %v\n%s", err, out)
		}
		sum.Samples = append(sum.Samples, d)
		sum.Output = string(out)
	}
	return sum, nil
}

func median[T int64 | float64 | time.Duration](xs []T) T {
	if len(xs) == 0 {
		return 0
	}
	s := append([]T(nil), xs...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}
