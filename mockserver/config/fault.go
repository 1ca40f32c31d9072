package config

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"
)

// injectFault breaks the answer as f says and returns the status it wrote (0 for none).
// Faults that must not answer at all (reset, empty, timeout) take over the connection
// with Hijack, which HTTP/1 servers support; under HTTP/2 they fail with an error and the
// caller decides.
func injectFault(w http.ResponseWriter, req *http.Request, f *Fault, ans *rendered) (int, error) {
	switch f.Type {
	case FaultHTTP500, FaultHTTP503:
		status := http.StatusInternalServerError
		if f.Type == FaultHTTP503 {
			status = http.StatusServiceUnavailable
			w.Header().Set("Retry-After", "1")
		}
		body := []byte(fmt.Sprintf("hookkit mock: injected fault %s\n", f.Type))
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(status)
		_, _ = w.Write(body)
		return status, nil
	case FaultMalformed:
		garbled := &rendered{status: ans.status, header: ans.header.Clone(), body: garble(ans.body)}
		if garbled.header.Get("Content-Type") == "" {
			garbled.header.Set("Content-Type", "application/json")
		}
		writeAnswer(w, garbled)
		return ans.status, nil
	case FaultReset:
		return 0, hijackClose(w, true)
	case FaultEmpty:
		return 0, hijackClose(w, false)
	case FaultTimeout:
		hold := f.Hold
		if hold <= 0 {
			hold = DefaultHold
		}
		t := time.NewTimer(hold)
		defer t.Stop()
		select {
		case <-req.Context().Done():
			// The client gave up, as intended; its connection is already gone.
			return 0, nil
		case <-t.C:
		}
		return 0, hijackClose(w, false)
	}
	return 0, fmt.Errorf("unknown fault %q", f.Type)
}

// garble returns a truncated copy of a JSON body that no JSON parser accepts.
func garble(body []byte) []byte {
	cut := append([]byte(nil), body[:len(body)/2]...)
	for json.Valid(cut) || len(cut) == 0 {
		// Half of a short body may still parse ("1" of "12"); an unterminated object never does.
		cut = append(cut, `{"`...)
	}
	return cut
}

// hijackClose takes over the connection and closes it without a reply; with reset, the
// close sends a TCP RST (SO_LINGER 0) instead of a FIN, so the client sees "connection
// reset by peer".
func hijackClose(w http.ResponseWriter, reset bool) error {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return fmt.Errorf("cannot take over the connection: %w", err)
	}
	if reset {
		if tc := tcpConn(conn); tc != nil {
			_ = tc.SetLinger(0)
		}
	}
	return conn.Close()
}

func tcpConn(c net.Conn) *net.TCPConn {
	for {
		switch t := c.(type) {
		case *net.TCPConn:
			return t
		case interface{ NetConn() net.Conn }: // *tls.Conn
			c = t.NetConn()
		default:
			return nil
		}
	}
}
