package mockserver

import (
	"bufio"
	"errors"
	"net"
	"net/http"

	"github.com/hookkit/hookkit/mockserver/journal"
)

// maxJournalBody bounds how much of a response body is kept for the journal; the client
// still gets all of it.
const maxJournalBody = journal.MaxBody

// recorder wraps the client's ResponseWriter to learn the status and keep a bounded copy
// of the body for the journal, without buffering what the client receives. It passes
// Flush and Hijack through (and Unwrap for http.ResponseController), so configured faults
// can still reset the connection or stream a slow reply.
type recorder struct {
	http.ResponseWriter
	status   int
	written  int64
	body     []byte
	keepBody bool
	hijacked bool
}

func (w *recorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *recorder) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if w.keepBody && len(w.body) < maxJournalBody {
		room := maxJournalBody - len(w.body)
		if room > len(p) {
			room = len(p)
		}
		w.body = append(w.body, p[:room]...)
	}
	n, err := w.ResponseWriter.Write(p)
	w.written += int64(n)
	return n, err
}

func (w *recorder) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (w *recorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	h, ok := w.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("mockserver: the connection cannot be hijacked")
	}
	c, rw, err := h.Hijack()
	if err == nil {
		w.hijacked = true
	}
	return c, rw, err
}

func (w *recorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }
