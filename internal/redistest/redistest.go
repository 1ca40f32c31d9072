// Package redistest starts a real redis-server for tests: on a free loopback port, in a
// temporary directory, without persistence, stopped when the test ends. Tests of the Redis
// state store and of mock replicas sharing state use it; nothing mocks Redis.
//
// When redis-server is not installed the test is skipped with a message, except under CI
// (CI=true), where it fails: `make test` installs redis-server (scripts/ensure-redis.sh),
// so a missing one there is a broken setup, not a reason to test less.
package redistest

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Server is a running redis-server.
type Server struct {
	// Addr is host:port on loopback.
	Addr string
	// URL is redis://Addr/0.
	URL string

	stop func()
}

// Stop ends the server before the test does (to test what happens when Redis is gone).
func (s *Server) Stop() { s.stop() }

// Start runs redis-server for the test and returns it. A port taken between choosing and
// binding it is retried with another.
func Start(t testing.TB) *Server {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("redis-server is not installed; `make test` installs it (scripts/ensure-redis.sh)")
		}
		t.Skip("redis-server is not installed (run scripts/ensure-redis.sh, or make test)")
	}
	var lastErr error
	for range 5 {
		srv, err := start(t, bin)
		if err == nil {
			return srv
		}
		lastErr = err
	}
	t.Fatalf("redis-server did not start: %v", lastErr)
	return nil
}

func start(t testing.TB, bin string) (*Server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", t.TempDir(), "--loglevel", "notice",
		"--logfile", "", "--daemonize", "no")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	// Wait for the server to say it is ready, or to exit (a port clash): its log is the
	// event to wait for, so no polling interval is needed. A deadline guards a hung start.
	ready := make(chan error, 1)
	var log strings.Builder
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			line := sc.Text()
			if log.Len() < 4096 {
				log.WriteString(line + "\n")
			}
			if strings.Contains(line, "Ready to accept connections") {
				ready <- nil
				_, _ = io.Copy(io.Discard, out) // keep draining so the server never blocks on its log
				return
			}
		}
		ready <- fmt.Errorf("redis-server exited before it was ready:\n%s", log.String())
	}()
	timer := time.NewTimer(20 * time.Second)
	defer timer.Stop()
	select {
	case err := <-ready:
		if err != nil {
			_ = cmd.Wait()
			return nil, err
		}
	case <-timer.C:
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return nil, fmt.Errorf("redis-server not ready after 20s:\n%s", log.String())
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	if err := ping(addr); err != nil {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return nil, err
	}
	var once sync.Once
	stop := func() {
		once.Do(func() {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		})
	}
	t.Cleanup(stop)
	return &Server{Addr: addr, URL: "redis://" + addr + "/0", stop: stop}, nil
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// ping checks the server answers PING with +PONG (it could be another program that took
// the port first).
func ping(addr string) error {
	c, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if strings.TrimSpace(line) != "+PONG" {
		return fmt.Errorf("%s answered %q to PING, not +PONG", addr, line)
	}
	return nil
}
