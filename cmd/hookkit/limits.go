package main

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"time"
)

// serverFlags are the connection limits of the serving commands (mock, proxy): a slow or
// idle client cannot hold a connection, and a header cannot be larger than the limit.
type serverFlags struct {
	readHeaderTimeout, readTimeout, idleTimeout time.Duration
	maxHeaderBytes                              int
}

// Defaults of the connection limits.
const (
	defaultReadHeaderTimeout = 10 * time.Second
	defaultReadTimeout       = 30 * time.Second
	defaultIdleTimeout       = 60 * time.Second
	defaultMaxHeaderBytes    = 64 << 10
)

func (sf *serverFlags) register(fs *flag.FlagSet) {
	fs.DurationVar(&sf.readHeaderTimeout, "read-header-timeout", defaultReadHeaderTimeout, "longest time a client may take to send a request's headers")
	fs.DurationVar(&sf.readTimeout, "read-timeout", defaultReadTimeout, "longest time a client may take to send a request's body")
	fs.DurationVar(&sf.idleTimeout, "idle-timeout", defaultIdleTimeout, "how long an idle keep-alive connection is kept open")
	fs.IntVar(&sf.maxHeaderBytes, "max-header-bytes", defaultMaxHeaderBytes, "largest request header block accepted, in bytes (larger ones get 431)")
}

// check returns the first flag with a value that means nothing.
func (sf *serverFlags) check() error {
	for name, d := range map[string]time.Duration{"--read-header-timeout": sf.readHeaderTimeout, "--read-timeout": sf.readTimeout, "--idle-timeout": sf.idleTimeout} {
		if d <= 0 {
			return fmt.Errorf("%s must be a positive duration, not %s", name, d)
		}
	}
	if sf.maxHeaderBytes < 4<<10 || sf.maxHeaderBytes > 16<<20 {
		return fmt.Errorf("--max-header-bytes must be between 4096 and %d, not %d", 16<<20, sf.maxHeaderBytes)
	}
	return nil
}

// server returns the http.Server for h with the limits. There is no ReadTimeout: it
// would also cut off a handler that answers late on purpose (a rule's delay); bodies get
// their own deadline from bodyDeadline instead.
func (sf *serverFlags) server(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           bodyDeadline(h, sf.readTimeout),
		ReadHeaderTimeout: sf.readHeaderTimeout,
		IdleTimeout:       sf.idleTimeout,
		MaxHeaderBytes:    sf.maxHeaderBytes,
	}
}

// bodyDeadline gives a request's body d to arrive: the connection's read deadline is set
// when the handler starts and lifted once the body has been read to its end, so a client
// that trickles a body is cut off, while a handler that takes its time answering (a
// delay rule, a slow upstream) is not.
func bodyDeadline(h http.Handler, d time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody || r.ContentLength == 0 {
			h.ServeHTTP(w, r)
			return
		}
		rc := http.NewResponseController(w)
		if rc.SetReadDeadline(time.Now().Add(d)) != nil {
			h.ServeHTTP(w, r)
			return
		}
		r.Body = &deadlineBody{ReadCloser: r.Body, rc: rc}
		h.ServeHTTP(w, r)
	})
}

// deadlineBody lifts the read deadline when the body has been read to its end.
type deadlineBody struct {
	io.ReadCloser
	rc   *http.ResponseController
	done bool
}

func (b *deadlineBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF && !b.done {
		b.done = true
		_ = b.rc.SetReadDeadline(time.Time{})
	}
	return n, err
}
