package mockserver

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/hookkit/hookkit/mockserver/journal"
	"github.com/hookkit/hookkit/openapi"
)

// journalStage wraps the client's writer in the call's recorder (status, a bounded copy
// of the body), lets the next stages answer, then journals and logs the exchange.
func (s *Server) journalStage(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := callOf(r)
		c.ex.start = time.Now()
		c.rec = recorder{ResponseWriter: w, keepBody: c.st.journalOn}
		next.ServeHTTP(&c.rec, r)
		s.finish(c.st, &c.rec, r, &c.ex)
	})
}

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
		cost, fill := st.redact.deferred(r.Header, r.URL.RawQuery, ex.reqBody, w.Header(), w.body, ex.respSafe)
		s.journal.AddDeferred(e, cost, fill)
	}
	if s.logOn {
		s.logRequest(st, r, ex, opID, status, dur)
	}
}

// maxLogField bounds each value a log line carries (path and query, problem messages),
// so a client cannot make the log grow by the size of what it sends.
const maxLogField = 1 << 10

// logProblems is the problems field of a log line: each message clipped, and the request's
// secret values scrubbed when a rule's template failed (its error may quote a value;
// validation problems never do, so the common 400 path pays nothing).
func logProblems(st *state, r *http.Request, ex *exchange) string {
	fits := len(ex.problems) <= 8
	for _, p := range ex.problems {
		if len(p.Message) > maxLogField || p.In == "rule" {
			fits = false
			break
		}
	}
	if fits {
		return ex.problems.Error() // the common case: a few short validation messages
	}
	var b strings.Builder
	var secrets *openapi.Secrets
	for i, p := range ex.problems {
		if i > 0 {
			b.WriteString("; ")
		}
		msg := p.Message
		if p.In == "rule" {
			if secrets == nil {
				s := st.redactor.RequestSecrets(r.Header, r.URL.Query(), ex.reqBody).Merge(st.redact.known)
				secrets = &s
			}
			msg = secrets.Scrub(msg)
		}
		b.WriteString(openapi.Clip(msg, maxLogField))
		if left := len(ex.problems) - i - 1; b.Len() > 8*maxLogField && left > 0 {
			fmt.Fprintf(&b, "; (%d more)", left)
			break
		}
	}
	return b.String()
}

// logRequest writes the request's one log line. Attributes are built without reflection
// or maps, so the default text line costs little next to the request itself.
func (s *Server) logRequest(st *state, r *http.Request, ex *exchange, opID string, status int, dur time.Duration) {
	path := openapi.Clip(st.redact.url(r.URL), maxLogField)
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
		attrs = append(attrs, slog.String("problems", logProblems(st, r, ex)))
	}
	level := slog.LevelInfo
	if status >= 500 || status == 0 {
		level = slog.LevelWarn
	}
	// The record goes to the handler directly: Logger.LogAttrs would also capture the
	// caller's program counter (runtime.Callers, for AddSource), a cost on every request
	// for a source line that would only ever name this function. Its time is the end of
	// the exchange, which ex.start and dur already give without another clock read.
	h := s.log.Handler()
	ctx := context.Background()
	if !h.Enabled(ctx, level) {
		return
	}
	rec := slog.NewRecord(ex.start.Add(dur), level, "request", 0)
	rec.AddAttrs(attrs...)
	_ = h.Handle(ctx, rec)
}
