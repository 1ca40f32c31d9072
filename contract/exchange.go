package contract

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/hookkit/hookkit/internal/ring"
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
// without limit: a number of exchanges and a byte budget, in the ring the mock's journal
// uses too (internal/ring), so a drop costs O(1) whatever the size. It is safe for
// concurrent use.
type Journal struct {
	mu      sync.Mutex
	ring    *ring.Ring[*Exchange]
	dropped int
}

// DefaultJournalBytes is the proxy journal's byte budget (the mock journal's default too).
const DefaultJournalBytes = ring.DefaultMaxBytes

// DefaultJournalSize is the number of exchanges a journal keeps when NewJournal is not told
// (the mock journal's default too); MaxJournalSize is the most it keeps.
const (
	DefaultJournalSize = ring.DefaultSize
	MaxJournalSize     = ring.MaxSize
)

// NewJournal returns a journal that keeps the last max exchanges (DefaultJournalSize when
// max <= 0, at most MaxJournalSize), with no byte budget until SetMaxBytes.
func NewJournal(max int) *Journal {
	if max <= 0 {
		max = DefaultJournalSize
	}
	return &Journal{ring: ring.New[*Exchange](max, 0)}
}

// SetMaxBytes sets the journal's byte budget (0 or less: none): beyond it the oldest
// exchanges are dropped (the newest is always kept). The proxy sets DefaultJournalBytes,
// so that a flood of large violating exchanges cannot exhaust its memory.
func (j *Journal) SetMaxBytes(n int64) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.dropped += j.ring.SetMaxBytes(n)
}

// exchangeBytes estimates what an exchange holds, as the mock's journal estimates its
// entries.
func exchangeBytes(ex *Exchange) int64 {
	n := ring.EntryOverhead + int64(len(ex.Unknown)) + messageBytes(&ex.Request) + ring.ProblemBytes(ex.RequestProblems)
	if ex.Response != nil {
		n += messageBytes(ex.Response)
	}
	for _, f := range ex.Findings {
		n += int64(len(f.Message) + len(f.Name) + 32)
	}
	return n
}

func messageBytes(m *Message) int64 {
	return int64(len(m.URL)+len(m.Body)) + ring.HeaderBytes(m.Header)
}

// Add records an exchange, dropping the oldest when full or over the byte budget.
func (j *Journal) Add(ex *Exchange) {
	size := exchangeBytes(ex)
	j.mu.Lock()
	defer j.mu.Unlock()
	j.dropped += j.ring.Push(ex, size)
}

// Entries returns the kept exchanges, oldest first, and how many older ones were dropped.
func (j *Journal) Entries() (entries []*Exchange, dropped int) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if n := j.ring.Len(); n > 0 {
		entries = make([]*Exchange, n)
		for i := range n {
			entries[i] = *j.ring.At(i)
		}
	}
	return entries, j.dropped
}

// Reset empties the journal and its count of dropped exchanges.
func (j *Journal) Reset() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.ring.Clear()
	j.dropped = 0
}
