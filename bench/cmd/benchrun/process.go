package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// binaries are the programs a run measures, built once into a temporary directory.
type binaries struct {
	hookkit, baseline, bombardier string
}

func buildAll(dir string) (binaries, error) {
	b := binaries{
		hookkit:    filepath.Join(dir, "hookkit"),
		baseline:   filepath.Join(dir, "baseline"),
		bombardier: filepath.Join(dir, "bombardier"),
	}
	for _, c := range []struct{ out, pkg, modfile string }{
		{b.hookkit, "./cmd/hookkit", ""},
		{b.baseline, "./bench/baseline", ""},
		{b.bombardier, "github.com/codesenberg/bombardier", "bench/tools/go.mod"},
	} {
		args := []string{"build", "-o", c.out}
		if c.modfile != "" {
			args = append(args, "-modfile", c.modfile)
		}
		cmd := exec.Command("go", append(args, c.pkg)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			return b, fmt.Errorf("go build %s: %v\n%s", c.pkg, err, out)
		}
	}
	return b, nil
}

func haveTaskset() bool {
	_, err := exec.LookPath("taskset")
	return err == nil
}

// server is a running process that serves HTTP on addr.
type server struct {
	cmd   *exec.Cmd
	addr  string // http://host:port
	start time.Time
}

var addrRE = regexp.MustCompile(`http://(127\.0\.0\.1|localhost|\[::1\]):\d+`)

// startServer starts argv (pinned to core 0 when pin is set) and waits for it to print the
// address it listens on.
func startServer(pin bool, argv ...string) (*server, error) {
	if pin {
		argv = append([]string{"taskset", "-c", "0"}, argv...)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	s := &server{cmd: cmd, start: time.Now()}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		sent := false
		for sc.Scan() {
			if m := addrRE.FindString(sc.Text()); m != "" && !sent {
				found <- m
				sent = true
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	select {
	case s.addr = <-found:
		return s, nil
	case <-time.After(10 * time.Second):
		s.stop()
		return nil, fmt.Errorf("%s printed no address within 10s; stderr: %s", argv, stderr.String())
	}
}

// peakRSS returns the process's peak resident set (VmHWM) in bytes.
func (s *server) peakRSS() int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb * 1024
		}
	}
	return 0
}

func (s *server) stop() {
	s.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
}

// request is one kind of request a scenario sends.
type request struct {
	method, path, body string
	header             map[string]string
}

var (
	hookPath  = "/v1/0b5f4e1a8a00d2a12f4bc0126b6b3a81/git/repos/devcloud-team/group:app/hooks"
	validHook = request{method: "POST", path: hookPath,
		body:   `{"secret":"**********","url":"https://example.com/webhook"}`,
		header: map[string]string{"Content-Type": "application/json;charset=utf8", "X-Auth-Token": "bench-token", "X-Repo-Auth": "bench-auth"}}
	missingToken = request{method: "POST", path: hookPath,
		body:   validHook.body,
		header: map[string]string{"Content-Type": "application/json;charset=utf8", "X-Repo-Auth": "bench-auth"}}
)

func (r request) send(ctx context.Context, base string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, r.method, base+r.path, strings.NewReader(r.body))
	if err != nil {
		return 0, err
	}
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// timeToFirst200 starts argv and measures from process start until a valid hook request
// is answered 200.
func timeToFirst200(argv ...string) (time.Duration, error) {
	s, err := startServer(false, argv...)
	if err != nil {
		return 0, err
	}
	defer s.stop()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for {
		code, err := validHook.send(ctx, s.addr)
		if err == nil && code == 200 {
			return time.Since(s.start), nil
		}
		if ctx.Err() != nil {
			return 0, errors.Join(errors.New("no 200 within 10s"), err)
		}
	}
}
