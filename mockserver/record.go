package mockserver

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/hookkit/hookkit/mockserver/journal"
)

// finish journals and logs one exchange after its response was written, so neither
// delays the answer and no lock is held while writing to the client.
func (s *Server) finish(st *state, w *recorder, r *http.Request, ex *exchange) {
	dur := time.Since(ex.start)
	status := w.status
	if w.hijacked {
		status = 0
	}
	opID := ""
	if ex.match != nil {
		opID = ex.match.Operation.ID
	}
	if st.journalOn {
		e := st.redact.entry(r, status, ex.start)
		e.OperationID = opID
		e.Source = ex.source
		e.Rule = ex.rule
		e.Fault = ex.fault
		if e.Fault != "" {
			e.Source = journal.SourceFault
		}
		e.Problems = ex.problems
		e.Duration = dur
		e.Auth = ex.auth
		s.journal.AddDeferred(e, st.redact.deferred(r.Header, ex.reqBody, w.Header(), w.body, ex.respSafe))
	}
	if s.logOn {
		s.logRequest(st, r, ex, opID, status, dur)
	}
}

// logRequest writes the request's one log line. Attributes are built without reflection
// or maps, so the default text line costs little next to the request itself.
func (s *Server) logRequest(st *state, r *http.Request, ex *exchange, opID string, status int, dur time.Duration) {
	path := st.redact.url(r.URL)
	attrs := make([]slog.Attr, 0, 9)
	attrs = append(attrs,
		slog.String("method", r.Method),
		slog.String("path", path),
		slog.String("operationId", opID),
		slog.Int("status", status),
		slog.Duration("latency", dur),
		slog.String("source", ex.source),
	)
	if ex.rule != "" {
		attrs = append(attrs, slog.String("rule", ex.rule))
	}
	if ex.fault != "" {
		attrs = append(attrs, slog.String("fault", ex.fault))
	}
	if ex.auth != "" {
		attrs = append(attrs, slog.String("auth", ex.auth))
	}
	if len(ex.problems) > 0 {
		attrs = append(attrs, slog.String("problems", ex.problems.Error()))
	}
	level := slog.LevelInfo
	if status >= 500 || status == 0 {
		level = slog.LevelWarn
	}
	s.log.LogAttrs(context.Background(), level, "request", attrs...)
}
