package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// stateResult is one run of the stateful load: workers create a to-do item on one replica
// and read it back from the next one (the same one when there is one replica).
type stateResult struct {
	Name     string
	Replicas int
	RPS      float64
	P50, P99 time.Duration
	Requests int
	Errors   int
	// Lost counts reads of a just-created item that did not find it: must be 0.
	Lost int
}

// stateWorkers is the number of concurrent clients of the stateful load.
const stateWorkers = 32

// stateLoads measures the stateful mock: memory store (one replica, the reference), then a
// real redis-server with one and two replicas.
func stateLoads(bins binaries, cfg config) ([]stateResult, error) {
	redisURL, stop, err := startRedis()
	if err != nil {
		return nil, err
	}
	defer stop()
	base := []string{bins.hookkit, "mock", "--addr", "127.0.0.1:0", "--no-watch", "--log-level", "warn", "--spec", "mockserver/testdata/crud.yaml", "--stateful"}
	runs := []struct {
		name     string
		replicas int
		redis    bool
	}{
		{"memory store, 1 replica", 1, false},
		{"Redis store, 1 replica", 1, true},
		{"Redis store, 2 replicas (create on one, get on the other)", 2, true},
	}
	var out []stateResult
	for _, run := range runs {
		argv := base
		if run.redis {
			if err := flushRedis(redisURL); err != nil {
				return nil, err
			}
			argv = append(append([]string(nil), base...), "--state-redis", redisURL)
		}
		var servers []*server
		for range run.replicas {
			s, err := startServer(false, argv...)
			if err != nil {
				for _, s := range servers {
					s.stop()
				}
				return nil, err
			}
			servers = append(servers, s)
		}
		var addrs []string
		for _, s := range servers {
			addrs = append(addrs, s.addr)
		}
		r := driveState(addrs, cfg.duration)
		for _, s := range servers {
			s.stop()
		}
		r.Name, r.Replicas = run.name, run.replicas
		out = append(out, r)
	}
	return out, nil
}

// driveState runs the workers for d and collects every request's latency.
func driveState(addrs []string, d time.Duration) stateResult {
	tr := &http.Transport{MaxIdleConnsPerHost: stateWorkers, MaxConnsPerHost: stateWorkers}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var mu sync.Mutex
	var lat []time.Duration
	var res stateResult
	var wg sync.WaitGroup
	start := time.Now()
	for w := range stateWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			errs, lost := 0, 0
			for i := 0; ctx.Err() == nil; i++ {
				a, b := addrs[(w+i)%len(addrs)], addrs[(w+i+1)%len(addrs)]
				t0 := time.Now()
				code, body, err := doState(ctx, client, "POST", a+"/todos", `{"title":"bench","tags":["home"]}`)
				if ctx.Err() != nil {
					break
				}
				mine = append(mine, time.Since(t0))
				var item struct{ ID string }
				if err != nil || code != 201 || json.Unmarshal(body, &item) != nil {
					errs++
					continue
				}
				t1 := time.Now()
				code, _, err = doState(ctx, client, "GET", b+"/todos/"+item.ID, "")
				if ctx.Err() != nil {
					break
				}
				mine = append(mine, time.Since(t1))
				switch {
				case err != nil:
					errs++
				case code == 404:
					lost++
				case code != 200:
					errs++
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			res.Errors += errs
			res.Lost += lost
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	res.Requests = len(lat)
	if len(lat) > 0 {
		res.RPS = float64(len(lat)) / elapsed.Seconds()
		res.P50 = lat[len(lat)/2]
		res.P99 = lat[min(len(lat)-1, len(lat)*99/100)]
	}
	return res
}

func doState(ctx context.Context, c *http.Client, method, url, body string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, strings.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer bench-token")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// startRedis runs redis-server on a free loopback port without persistence and waits for
// its ready line (a port clash makes it exit: another port is tried).
func startRedis() (string, func(), error) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		return "", nil, fmt.Errorf("redis-server is needed for the stateful load (scripts/ensure-redis.sh installs it): %w", err)
	}
	var last error
	for range 5 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return "", nil, err
		}
		port := ln.Addr().(*net.TCPAddr).Port
		ln.Close()
		dir, err := os.MkdirTemp("", "hookkit-bench-redis-")
		if err != nil {
			return "", nil, err
		}
		cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir, "--logfile", "")
		out, err := cmd.StdoutPipe()
		if err != nil {
			return "", nil, err
		}
		if err := cmd.Start(); err != nil {
			return "", nil, err
		}
		ready := make(chan bool, 1)
		go func() {
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				if strings.Contains(sc.Text(), "Ready to accept connections") {
					ready <- true
					_, _ = io.Copy(io.Discard, out)
					return
				}
			}
			ready <- false
		}()
		stop := func() {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			os.RemoveAll(dir)
		}
		select {
		case ok := <-ready:
			if ok {
				return fmt.Sprintf("redis://127.0.0.1:%d/0", port), stop, nil
			}
			last = fmt.Errorf("redis-server exited on port %d", port)
		case <-time.After(20 * time.Second):
			last = fmt.Errorf("redis-server not ready after 20s")
		}
		stop()
	}
	return "", nil, last
}

func flushRedis(url string) error {
	opts, err := goredis.ParseURL(url)
	if err != nil {
		return err
	}
	c := goredis.NewClient(opts)
	defer c.Close()
	return c.FlushAll(context.Background()).Err()
}

// stateRatio is the Go benchmark pair of the stateful mock, run several times alternated
// (stateless, memory, stateless, ...) so a noisy machine moves both sides alike; the
// report uses the medians.
type stateRatio struct {
	Stateless, Memory []float64 // ns/op of each run
}

func statefulRatio(cfg config) (stateRatio, error) {
	count, benchtime := "5", "1s"
	if cfg.quick {
		count, benchtime = "1", "1x"
	}
	cmd := exec.Command("go", "test", "-run", "^$", "-bench", "^BenchmarkStateful$", "-benchmem", "-count", count, "-benchtime", benchtime, "./bench/")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return stateRatio{}, fmt.Errorf("go test -bench Stateful: %v\n%s", err, out)
	}
	var r stateRatio
	for _, b := range parseGoBench(out) {
		switch b.Name {
		case "Stateful/stateless-create+get":
			r.Stateless = append(r.Stateless, b.NsPerOp)
		case "Stateful/memory-create+get":
			r.Memory = append(r.Memory, b.NsPerOp)
		}
	}
	if len(r.Stateless) == 0 || len(r.Memory) == 0 {
		return r, fmt.Errorf("go test -bench Stateful: no results in\n%s", out)
	}
	return r, nil
}
