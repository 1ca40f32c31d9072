package main

import (
	"fmt"
	"os"
	"strings"
	"time"
)

type results struct {
	When    time.Time
	GoVer   string
	CPUs    int
	CPU     string
	Quick   bool
	Conns   int
	Dur     time.Duration
	Rounds  int
	Pinned  bool
	Command string
	GoBench []goBench
	Startup []startupSummary
	Load    []loadSummary
	Check   checkSummary
	State   []stateResult
	// StateRatio is the stateful Go benchmark pair, run alternated several times.
	StateRatio stateRatio
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

func (r *results) markdown() string {
	var b strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	w("# hookkit benchmark results\n\n")
	w("Written by `%s` (bench/cmd/benchrun); do not edit by hand.\n\n", r.Command)
	if r.Quick {
		w("**Quick run (-quick): these numbers only prove the harness works; do not read them.**\n\n")
	}
	w("- date: %s\n- machine: %d × %s\n- Go: %s\n", r.When.Format(time.RFC3339), r.CPUs, r.CPU, r.GoVer)
	pin := "server on core 0, load generator on core 1 (taskset)"
	if !r.Pinned {
		pin = "not pinned (fewer than 2 cores or no taskset)"
	}
	w("- load: bombardier, %d keep-alive connections, %s per run, %d A/B rounds alternated, %s\n\n", r.Conns, r.Dur, r.Rounds, pin)

	w("## End to end (real processes over loopback)\n\n")
	w("Medians over the rounds; ratio = hookkit ÷ reference requests/s.\n\n")
	w("| scenario | reference req/s | hookkit req/s | ratio (target) | p50 ref / hookkit | p99 ref / hookkit | p99 ratio | non-2xx hookkit | peak RSS ref / hookkit |\n")
	w("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, l := range r.Load {
		a, bb := summarize(l.A), summarize(l.B)
		w("| %s (vs %s) | %.0f | %.0f | **%.2f** (≥ %.1f) | %s / %s | %s / %s | %.2f | %d | %s / %s |\n",
			l.Scenario.Target, l.Scenario.Reference, a.RPS, bb.RPS, bb.RPS/a.RPS, l.Scenario.Want,
			ms(a.P50), ms(bb.P50), ms(a.P99), ms(bb.P99), float64(bb.P99)/float64(max(a.P99, 1)), bb.Non2xx, mb(a.PeakRSS), mb(bb.PeakRSS))
	}
	w("\nnon-2xx of the 400 scenario are its expected answers.\n\n")

	w("## Start-up: process start to first valid 200\n\n| server | median | min | max |\n|---|---:|---:|---:|\n")
	for _, s := range r.Startup {
		lo, hi := minmax(s.Samples)
		w("| %s | %s | %s | %s |\n", s.Name, ms(median(s.Samples)), ms(lo), ms(hi))
	}

	w("\n## Contract checker: `hookkit check` default run against the local mock (hook document)\n\n")
	lo, hi := minmax(r.Check.Samples)
	w("wall time median %s (min %s, max %s) over %d runs.\n\n", ms(median(r.Check.Samples)), ms(lo), ms(hi), len(r.Check.Samples))
	if last := lastLine(r.Check.Output); last != "" {
		w("Its summary line: `%s`\n\n", last)
	}

	if len(r.State) > 0 {
		w("## Stateful mock: create then get (crud.yaml)\n\n")
		w("Real `hookkit mock --stateful` processes over loopback, %d workers of a Go load generator in the harness (not pinned, sharing the cores with the servers and redis-server), %s per run; each worker creates a to-do item and reads it back from the next replica.\n\n", stateWorkers, r.Dur)
		w("| store | req/s | p50 | p99 | requests | errors | created but not found |\n|---|---:|---:|---:|---:|---:|---:|\n")
		for _, s := range r.State {
			w("| %s | %.0f | %s | %s | %d | %d | %d |\n", s.Name, s.RPS, ms(s.P50), ms(s.P99), s.Requests, s.Errors, s.Lost)
		}
		w("\n")
	}

	w("## Go benchmarks (handler level, no network)\n\n")
	w("ratio = ns/op ÷ the `Handler/bare` baseline of the same run where one applies.\n\n")
	w("| benchmark | ns/op | B/op | allocs/op | ratio |\n|---|---:|---:|---:|---:|\n")
	var bare float64
	for _, g := range r.GoBench {
		if g.Name == "Handler/bare" {
			bare = g.NsPerOp
		}
	}
	for _, g := range r.GoBench {
		ratio := ""
		if bare > 0 && strings.HasPrefix(g.Name, "Handler/") {
			ratio = fmt.Sprintf("%.1f×", g.NsPerOp/bare)
		}
		w("| %s | %.0f | %d | %d | %s |\n", g.Name, g.NsPerOp, g.BytesPerOp, g.AllocsPerOp, ratio)
	}
	if sr := r.StateRatio; len(sr.Stateless) > 0 && len(sr.Memory) > 0 {
		sl, mem := median(sr.Stateless), median(sr.Memory)
		w("\nStateful mock, memory store: create+get costs **%.2f×** the stateless mock's create+get (target ≤ 1.3): medians of %d alternated runs of `BenchmarkStateful`, %.0f ns/op vs %.0f ns/op (runs: stateless %s; memory %s).\n",
			mem/sl, len(sr.Memory), mem, sl, nsList(sr.Stateless), nsList(sr.Memory))
	}
	w("%s", r.scaling())
	return b.String()
}

// scaling summarises the routing benchmarks at 10 and 5,000 operations.
func (r *results) scaling() string {
	get := func(name string) float64 {
		for _, g := range r.GoBench {
			if g.Name == name {
				return g.NsPerOp
			}
		}
		return 0
	}
	var b strings.Builder
	b.WriteString("\n## Scaling with the number of operations\n\n| measure | 10 ops | 5,000 ops | ratio (target ≤ 2) |\n|---|---:|---:|---:|\n")
	for _, m := range []string{"last", "notfound"} {
		lo, hi := get("Route/ops=10/"+m), get("Route/ops=5000/"+m)
		if lo > 0 && hi > 0 {
			fmt.Fprintf(&b, "| route+validate, %s | %.0f ns | %.0f ns | %.2f |\n", m, lo, hi, hi/lo)
		}
	}
	if l := get("Load/ops=5000"); l > 0 {
		fmt.Fprintf(&b, "| load + validate document | %s | %s | (target < 1 s at 5,000) |\n", ms(time.Duration(get("Load/ops=10"))), ms(time.Duration(l)))
	}
	return b.String()
}

func summarize(rs []loadResult) loadResult {
	var rps []float64
	var p50, p99 []time.Duration
	var rss []int64
	var s loadResult
	for _, r := range rs {
		rps = append(rps, r.RPS)
		p50 = append(p50, r.P50)
		p99 = append(p99, r.P99)
		rss = append(rss, r.PeakRSS)
		s.Non2xx += r.Non2xx
		s.Errors += r.Errors
	}
	s.RPS, s.P50, s.P99 = median(rps), median(p50), median(p99)
	for _, x := range rss {
		s.PeakRSS = max(s.PeakRSS, x)
	}
	return s
}

func minmax(ds []time.Duration) (time.Duration, time.Duration) {
	if len(ds) == 0 {
		return 0, 0
	}
	lo, hi := ds[0], ds[0]
	for _, d := range ds {
		lo, hi = min(lo, d), max(hi, d)
	}
	return lo, hi
}

func ms(d time.Duration) string {
	return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
}

func mb(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/(1<<20)) }

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

func nsList(xs []float64) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprintf("%.0f", x)
	}
	return strings.Join(parts, ", ")
}
