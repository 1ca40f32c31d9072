package contract

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/hookkit/hookkit/openapi"
)

// Exchange is one request and its answer as the validating [Transport] saw them, with
// everything found wrong. Every field is redacted: credentials, secret headers and secret
// body fields never appear in it, so it can be logged, journaled and reported as is.
type Exchange struct {
	// Operation is the operationId the request routed to, "" when it matched none.
	Operation string `json:"operation,omitempty"`
	// Unknown says why the request matched no operation (unknown path, method not allowed).
	Unknown string `json:"unknown,omitempty"`
	// Request is the request as sent.
	Request Message `json:"request"`
	// Response is the answer; nil when none came (see Err).
	Response *Message `json:"response,omitempty"`
	// Duration is the time from sending the request to reading its answer.
	Duration time.Duration `json:"duration_ns"`
	// RequestProblems are the ways the request breaks the document. The checker expects
	// them for negative cases; the proxy and HAR mode report them as request-valid.
	RequestProblems openapi.Problems `json:"request_problems,omitempty"`
	// Findings are the failed checks of the answer (status, content type, body, headers,
	// server error, response time).
	Findings []Finding `json:"findings,omitempty"`
	// Notes are facts worth knowing that are not failures, such as a body too large to
	// validate.
	Notes []string `json:"notes,omitempty"`
	// Err is the transport error when the target gave no answer.
	Err string `json:"error,omitempty"`
}

// Message is a redacted request or response.
type Message struct {
	Method string      `json:"method,omitempty"`
	URL    string      `json:"url,omitempty"`
	Status int         `json:"status,omitempty"`
	Header http.Header `json:"header,omitempty"`
	// Body is the body with secret fields redacted, as far as it was read (see Truncated).
	Body string `json:"body,omitempty"`
	// Truncated is set when the body was longer than the validation limit and Body holds
	// only its beginning.
	Truncated bool `json:"truncated,omitempty"`
}

// Violations returns every failed check of the exchange, request-valid included.
func (e *Exchange) Violations() []Finding {
	out := findingsOf(RequestValid, e.RequestProblems)
	return append(out, e.Findings...)
}

// slot carries the exchange of one request from the transport back to the code that sent
// it (the checker, the proxy) through the request's context, so concurrent requests never
// mix up their results.
type slot struct {
	// every asks for every exchange; otherwise the transport fills the slot only with the
	// exchanges it reports (violations, unknown paths), the rest being left unrendered.
	every bool
	mu    sync.Mutex
	ex    *Exchange
}

type slotKey struct{}

func withSlot(ctx context.Context, every bool) (context.Context, *slot) {
	s := &slot{every: every}
	return context.WithValue(ctx, slotKey{}, s), s
}

func (s *slot) set(ex *Exchange) {
	s.mu.Lock()
	s.ex = ex
	s.mu.Unlock()
}

func (s *slot) get() *Exchange {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ex
}

// Journal keeps the last violating exchanges, bounded so a long-running proxy cannot grow
// without limit. It is safe for concurrent use.
type Journal struct {
	mu       sync.Mutex
	max      int
	entries  []*Exchange
	sizes    []int64 // estimated bytes of each entry
	bytes    int64   // their sum
	maxBytes int64   // byte budget (0: none)
	dropped  int
	total    int
}

// SetMaxBytes sets the journal's byte budget: beyond it the oldest exchanges are dropped
// (the newest is always kept). The proxy sets DefaultJournalBytes, so that a flood of
// large violating exchanges cannot exhaust its memory.
func (j *Journal) SetMaxBytes(n int64) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.maxBytes = n
	j.trim()
}

// DefaultJournalBytes is the proxy journal's byte budget.
const DefaultJournalBytes = 32 << 20

// exchangeBytes estimates what an exchange holds.
func exchangeBytes(ex *Exchange) int64 {
	n := int64(512 + len(ex.Unknown) + messageBytes(&ex.Request))
	if ex.Response != nil {
		n += int64(messageBytes(ex.Response))
	}
	for _, p := range ex.RequestProblems {
		n += int64(len(p.Message) + len(p.Name) + 32)
	}
	for _, f := range ex.Findings {
		n += int64(len(f.Message) + len(f.Name) + 32)
	}
	return n
}

func messageBytes(m *Message) int {
	n := len(m.URL) + len(m.Body)
	for k, vs := range m.Header {
		for _, v := range vs {
			n += len(k) + len(v)
		}
	}
	return n
}

// trim drops the oldest entries while over the byte budget. Called with mu held.
func (j *Journal) trim() {
	for j.maxBytes > 0 && j.bytes > j.maxBytes && len(j.entries) > 1 {
		j.bytes -= j.sizes[0]
		j.entries[0] = nil
		j.entries, j.sizes = j.entries[1:], j.sizes[1:]
		j.dropped++
	}
}

// NewJournal returns a journal that keeps the last max exchanges (1000 when max <= 0).
func NewJournal(max int) *Journal {
	if max <= 0 {
		max = 1000
	}
	return &Journal{max: max}
}

// Add records an exchange, dropping the oldest when full.
func (j *Journal) Add(ex *Exchange) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.total++
	if len(j.entries) == j.max {
		j.bytes -= j.sizes[0]
		copy(j.entries, j.entries[1:])
		copy(j.sizes, j.sizes[1:])
		j.entries, j.sizes = j.entries[:j.max-1], j.sizes[:j.max-1]
		j.dropped++
	}
	size := exchangeBytes(ex)
	j.entries = append(j.entries, ex)
	j.sizes = append(j.sizes, size)
	j.bytes += size
	j.trim()
}

// Entries returns the kept exchanges, oldest first, and how many older ones were dropped.
func (j *Journal) Entries() (entries []*Exchange, dropped int) {
	j.mu.Lock()
	defer j.mu.Unlock()
	return append([]*Exchange(nil), j.entries...), j.dropped
}

// Reset empties the journal.
func (j *Journal) Reset() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.entries, j.sizes, j.bytes, j.dropped, j.total = nil, nil, 0, 0, 0
}
