// Command benchrun is `make bench`: it measures hookkit against the bare net/http baseline
// in one run and rewrites bench/RESULTS.md with the numbers and their ratios.
//
// It runs, in order:
//   - the Go benchmarks of package bench (handler level, routing at scale, validation),
//   - end-to-end load: the real `hookkit mock` / `hookkit proxy` binaries and the baseline,
//     each started as a process, driven by bombardier over loopback, alternated A B A B,
//     server and load generator pinned to separate cores when there are two or more,
//   - start-up: process start to the first valid 200,
//   - the stateful mock: create then get on the memory store, and on a real redis-server
//     with one and two replicas,
//   - the contract checker's default run against the mock.
//
// -quick shortens every phase so CI can run the harness in seconds; its numbers are not
// meant to be read.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"
)

func main() {
	var cfg config
	flag.StringVar(&cfg.out, "out", "bench/RESULTS.md", "file to write the results to")
	flag.BoolVar(&cfg.quick, "quick", false, "short runs that only prove the harness works (CI)")
	flag.DurationVar(&cfg.duration, "duration", 5*time.Second, "length of each load run")
	flag.IntVar(&cfg.rounds, "rounds", 2, "A B rounds per load scenario")
	flag.IntVar(&cfg.conns, "connections", 64, "keep-alive connections of the load generator")
	flag.StringVar(&cfg.benchtime, "benchtime", "1s", "go test -benchtime")
	flag.Parse()
	if cfg.quick {
		cfg.duration, cfg.rounds, cfg.benchtime = time.Second, 1, "1x"
	}
	if err := run(cfg); err != nil {
		fmt.Fprintln(os.Stderr, "benchrun:", err)
		os.Exit(1)
	}
}

type config struct {
	out       string
	quick     bool
	duration  time.Duration
	rounds    int
	conns     int
	benchtime string
}

func run(cfg config) error {
	tmp, err := os.MkdirTemp("", "hookkit-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	bins, err := buildAll(tmp)
	if err != nil {
		return err
	}
	res := &results{
		When:    time.Now().UTC(),
		GoVer:   runtime.Version(),
		CPUs:    runtime.NumCPU(),
		CPU:     cpuModel(),
		Quick:   cfg.quick,
		Conns:   cfg.conns,
		Dur:     cfg.duration,
		Rounds:  cfg.rounds,
		Pinned:  runtime.NumCPU() >= 2 && haveTaskset(),
		Command: "make bench",
	}
	step("Go benchmarks")
	if res.GoBench, err = goBenchmarks(cfg.benchtime); err != nil {
		return err
	}
	step("start-up")
	if res.Startup, err = startups(bins, cfg); err != nil {
		return err
	}
	step("load")
	if res.Load, err = loads(bins, cfg, res.Pinned); err != nil {
		return err
	}
	step("stateful load (memory, Redis 1 and 2 replicas)")
	if res.State, err = stateLoads(bins, cfg); err != nil {
		return err
	}
	if res.StateRatio, err = statefulRatio(cfg); err != nil {
		return err
	}
	step("contract checker")
	if res.Check, err = checkRuns(bins, cfg); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(cfg.out), 0o755); err != nil {
		return err
	}
	md := res.markdown()
	if err := os.WriteFile(cfg.out, []byte(md), 0o644); err != nil {
		return err
	}
	fmt.Print(md)
	return nil
}

func step(name string) { fmt.Fprintf(os.Stderr, "benchrun: %s\n", name) }
