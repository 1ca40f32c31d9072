// Package journal keeps a bounded ring of the requests the mock server answered, for the
// admin API (GET /__admin/requests) and for tests that assert what a client sent. The
// ring and its byte budget are internal/ring's, the store of the proxy's journal too; this
// package adds what is the mock's own: IDs, per-entry limits, filters and redaction
// deferred to the first listing.
//
// # Secrets
//
// The journal stores what it is given: it cannot tell a token from any other header. A
// journal is shown to anyone who can reach the admin API, so every Entry must be redacted
// before [Journal.Add]. [Capture] builds an Entry from a request and response through an
// [openapi.Redactor] and is the way to fill one; code that fills Entry fields by hand must
// pass URL, headers and bodies through the redactor itself.
package journal

import (
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hookkit/hookkit/internal/ring"
	"github.com/hookkit/hookkit/openapi"
)

// DefaultSize is the number of entries kept when the config does not say (the proxy's
// journal keeps as many: both are internal/ring's).
const DefaultSize = ring.DefaultSize

// MaxSize is the most entries a journal may keep: a config asking for more is refused
// (the ring is allocated up front, so the number alone must not exhaust memory).
const MaxSize = ring.MaxSize

// DefaultMaxBytes is the byte budget of a journal when the config does not say: once the
// entries held are larger, the oldest are dropped, whatever Size allows.
const DefaultMaxBytes = ring.DefaultMaxBytes

// MaxValue is the number of bytes of a URL, a header value or a problem message an Entry
// keeps; longer ones are cut and marked with [openapi.TruncatedMark].
const MaxValue = 1 << 10

// MaxHeaderBytes bounds the header bytes (names and values) an Entry keeps per header
// set; the headers beyond it are left out and counted in a Hookkit-Truncated header.
const MaxHeaderBytes = 8 << 10

// MaxProblems is the number of problems an Entry keeps; a note counts the rest.
const MaxProblems = 100

// MaxBody is the number of bytes of a request or response body an Entry keeps; longer
// bodies are cut and marked, so a journal of large uploads stays small.
const MaxBody = 16 << 10

// Sources of a response, for [Entry.Source] and the mock's log lines: the one set of them.
const (
	SourceRule        = "rule"        // a config rule answered
	SourcePrefer      = "prefer"      // the Prefer header chose the response
	SourceHook        = "hook"        // the typed hook handler answered
	SourceExample     = "example"     // an example of the document
	SourceSynthesized = "synthesized" // data synthesized from the schema
	SourceValidation  = "validation"  // the request was invalid
	SourceNotFound    = "not-found"   // no operation at the path (404) or method (405)
	SourceFault       = "fault"       // a rule injected a fault
	SourceCORS        = "cors"        // a CORS preflight
	SourceState       = "state"       // the stateful mock's store answered
)

// Entry is one request and the mock's answer. Every field must be redacted before Add (see
// the package documentation).
type Entry struct {
	// ID numbers entries from 1 in the order they were added; Add assigns it.
	ID uint64 `json:"id"`
	// Time is when the request arrived; Add sets it when zero.
	Time time.Time `json:"time"`
	// Method, URL (path and redacted query) and OperationID ("" when the path matched no
	// operation) describe the request.
	Method      string `json:"method"`
	URL         string `json:"url"`
	OperationID string `json:"operationId,omitempty"`
	// RequestHeader is the redacted request header.
	RequestHeader http.Header `json:"requestHeader,omitempty"`
	// RequestBody is the redacted request body, cut at MaxBody.
	RequestBody string `json:"requestBody,omitempty"`
	// Status is the status sent, 0 when a fault sent none.
	Status int `json:"status"`
	// ResponseHeader and ResponseBody are the answer (body cut at MaxBody).
	ResponseHeader http.Header `json:"responseHeader,omitempty"`
	ResponseBody   string      `json:"responseBody,omitempty"`
	// Source says what produced the answer: one of the Source* constants.
	Source string `json:"source"`
	// Rule names the config rule that answered, if any.
	Rule string `json:"rule,omitempty"`
	// Fault names the fault a rule injected, if any.
	Fault string `json:"fault,omitempty"`
	// Problems lists what was wrong with the request (or, when the mock validates its own
	// answers, with the response). Their messages never contain values.
	Problems []openapi.Problem `json:"problems,omitempty"`
	// Duration is the time from the request's arrival to the end of the answer.
	Duration time.Duration `json:"duration"`
	// Auth says how an AK/SK-signed request was judged: the access key and whether the
	// signature was verified (never the signature or the secret key).
	Auth string `json:"auth,omitempty"`

	// fill completes the header and body fields on first read (see AddDeferred).
	fill func(*Entry)
}

// Journal is a bounded ring of entries, newest kept, within a byte budget (internal/ring,
// the store the proxy's journal uses too). It is safe for concurrent use; Add costs O(1)
// under a short lock, so it can sit on every request's path.
type Journal struct {
	mu     sync.Mutex
	ring   *ring.Ring[Entry] // the entries' IDs are consecutive, the newest last
	lastID uint64
}

// New returns a journal that keeps the last size entries (at most [MaxSize]) within
// [DefaultMaxBytes]. size 0 (or less) makes a journal that records nothing, which is how
// the config turns it off.
func New(size int) *Journal {
	return &Journal{ring: ring.New[Entry](size, DefaultMaxBytes)}
}

// SetMaxBytes changes the byte budget (0 or less: DefaultMaxBytes) and drops the oldest
// entries until the rest fit.
func (j *Journal) SetMaxBytes(n int64) {
	if n <= 0 {
		n = DefaultMaxBytes
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	j.ring.SetMaxBytes(n)
}

// Bytes returns the estimated size of the entries held, which the budget bounds.
func (j *Journal) Bytes() int64 {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.ring.Bytes()
}

// Cap returns the number of entries the journal keeps.
func (j *Journal) Cap() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.ring.Cap()
}

// Add records e, dropping the oldest entry when the journal is full or over its byte
// budget (the newest is kept whatever its size: each entry is bounded by the per-entry
// limits). It sets e.ID and, when zero, e.Time. Bodies longer than MaxBody are cut.
// Callers add after writing the response, so the journal never delays an answer.
func (j *Journal) Add(e Entry) { j.add(e, 0) }

// add records e, which holds deferred bytes beyond its fields (see AddDeferred).
func (j *Journal) add(e Entry, deferred int64) {
	e.RequestBody = Truncate(e.RequestBody)
	e.ResponseBody = Truncate(e.ResponseBody)
	e.URL = openapi.Clip(e.URL, MaxValue)
	e.RequestHeader = ClipHeader(e.RequestHeader)
	e.ResponseHeader = ClipHeader(e.ResponseHeader)
	e.Problems = ClipProblems(e.Problems)
	cost := ring.EntryOverhead + int64(len(e.URL)+len(e.RequestBody)+len(e.ResponseBody)) +
		HeaderBytes(e.RequestHeader) + HeaderBytes(e.ResponseHeader) + ring.ProblemBytes(e.Problems) + deferred
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	j.lastID++
	e.ID = j.lastID
	j.ring.Push(e, cost)
}

// HeaderBytes returns the bytes of h's names and values, as the byte budget counts them
// (internal/ring.HeaderBytes, the estimate the proxy's journal uses too).
func HeaderBytes(h http.Header) int64 { return ring.HeaderBytes(h) }

// ClipHeader returns h with each value cut to MaxValue bytes and at most MaxHeaderBytes
// of names and values; the headers left out are counted in a Hookkit-Truncated header. h
// itself is returned when it fits.
func ClipHeader(h http.Header) http.Header {
	fits := true
	var total int
	for k, vs := range h {
		for _, v := range vs {
			total += len(k) + len(v)
			if len(v) > MaxValue {
				fits = false
			}
		}
	}
	if fits && total <= MaxHeaderBytes {
		return h
	}
	out := make(http.Header, len(h))
	total, left := 0, 0
	for _, k := range slices.Sorted(maps.Keys(h)) {
		for _, v := range h[k] {
			v = openapi.Clip(v, MaxValue)
			k := openapi.Clip(k, MaxValue)
			if total+len(k)+len(v) > MaxHeaderBytes {
				left++
				continue
			}
			total += len(k) + len(v)
			out[k] = append(out[k], v)
		}
	}
	if left > 0 {
		out.Set(TruncatedHeader, strconv.Itoa(left)+" header values left out (journal limit "+strconv.Itoa(MaxHeaderBytes)+" bytes)")
	}
	return out
}

// TruncatedHeader is the pseudo header an Entry's header set gets when some of its
// values were left out.
const TruncatedHeader = "Hookkit-Truncated"

// ClipProblems returns ps with messages and names cut to MaxValue bytes and at most
// MaxProblems problems (the last one then says how many were left out). ps itself is
// returned when it fits.
func ClipProblems(ps []openapi.Problem) []openapi.Problem {
	fits := len(ps) <= MaxProblems
	for _, p := range ps {
		if len(p.Message) > MaxValue || len(p.Name) > MaxValue {
			fits = false
			break
		}
	}
	if fits {
		return ps
	}
	n := min(len(ps), MaxProblems)
	out := make([]openapi.Problem, 0, n+1)
	for _, p := range ps[:n] {
		p.Message = openapi.Clip(p.Message, MaxValue)
		p.Name = openapi.Clip(p.Name, MaxValue)
		out = append(out, p)
	}
	if len(ps) > n {
		out = append(out, openapi.Problem{Kind: openapi.InvalidRequest, In: "journal",
			Message: strconv.Itoa(len(ps)-n) + " more problems left out (journal limit " + strconv.Itoa(MaxProblems) + ")"})
	}
	return out
}

// AddDeferred records e like Add, and leaves fill to complete its header and body fields
// when the entry is first listed. The journal is written on every request and read
// rarely, so the cost of redacting headers and bodies is better paid by the reader. fill
// must only use values nothing modifies after the call (a served request's header and
// body, the answer sent) and must redact them as Capture does. It runs outside the
// journal's lock, usually once; two concurrent listings may both run it on their own copies.
//
// cost is the number of bytes fill's references hold (bodies, headers), counted against
// the byte budget; the caller keeps them within the per-entry limits (MaxBody, ClipHeader).
func (j *Journal) AddDeferred(e Entry, cost int64, fill func(*Entry)) {
	e.fill = fill
	j.add(e, cost)
}

// Truncate cuts s to MaxBody bytes (at a UTF-8 boundary) and marks the cut.
func Truncate(s string) string { return openapi.Clip(s, MaxBody) }

// Filter selects entries for [Journal.List]. Zero fields select everything.
type Filter struct {
	// Method matches the request method, case-insensitively.
	Method string
	// PathContains matches entries whose URL contains it.
	PathContains string
	// OperationID matches the operation exactly.
	OperationID string
	// Status matches the status exactly.
	Status int
	// Source matches the source of the answer (a Source* constant); Rule the rule's name.
	Source, Rule string
	// Since keeps entries at or after it.
	Since time.Time
	// Limit caps the number of entries returned (0: no cap).
	Limit int
}

func (f *Filter) keep(e *Entry) bool {
	return (f.Method == "" || strings.EqualFold(f.Method, e.Method)) &&
		(f.PathContains == "" || strings.Contains(e.URL, f.PathContains)) &&
		(f.OperationID == "" || f.OperationID == e.OperationID) &&
		(f.Status == 0 || f.Status == e.Status) &&
		(f.Source == "" || f.Source == e.Source) &&
		(f.Rule == "" || f.Rule == e.Rule) &&
		(f.Since.IsZero() || !e.Time.Before(f.Since))
}

// List returns the entries f selects, newest first. The entries are copies; their headers
// and problems are shared with the journal and must not be modified.
//
// Entries added with [Journal.AddDeferred] are completed here, and completing one means
// redacting its headers and bodies: microseconds each, so tens of milliseconds for a
// thousand large entries. That work runs outside the lock that every request takes to
// record its exchange (List copies under the lock, fills the copies, then writes the
// results back under the lock again), so reading the journal never stalls traffic.
func (j *Journal) List(f Filter) []Entry {
	out, pending := j.selectEntries(f)
	if len(pending) == 0 {
		return out
	}
	for _, i := range pending {
		e := &out[i]
		e.fill(e)
		e.fill = nil
		e.RequestBody = Truncate(e.RequestBody)
		e.ResponseBody = Truncate(e.ResponseBody)
		e.RequestHeader = ClipHeader(e.RequestHeader)
		e.ResponseHeader = ClipHeader(e.ResponseHeader)
		e.Problems = ClipProblems(e.Problems)
	}
	j.writeBack(out, pending)
	return out
}

// selectEntries copies the entries f selects, newest first, and returns the indexes in out
// of those still to be filled.
func (j *Journal) selectEntries(f Filter) (out []Entry, pending []int) {
	j.mu.Lock()
	defer j.mu.Unlock()
	out = []Entry{}
	for i := j.ring.Len() - 1; i >= 0; i-- {
		e := j.ring.At(i)
		if !f.keep(e) {
			continue
		}
		if e.fill != nil {
			pending = append(pending, len(out))
		}
		out = append(out, *e)
		if f.Limit > 0 && len(out) == f.Limit {
			break
		}
	}
	return out, pending
}

// writeBack stores the filled copies out[pending] in the ring, so later listings do not
// fill them again. An entry dropped meanwhile (ring full, Clear, Resize) is skipped: the
// ring slot now holds another ID or none. An entry a concurrent List filled first keeps
// that result; both are the same, since fill reads only values nothing modifies.
func (j *Journal) writeBack(out []Entry, pending []int) {
	j.mu.Lock()
	defer j.mu.Unlock()
	n := j.ring.Len()
	if n == 0 {
		return
	}
	newest := j.ring.At(n - 1).ID
	for _, i := range pending {
		filled := &out[i]
		// IDs in the ring are consecutive, the newest last; the entry's slot is found
		// from its distance to the newest. Its cost, counted by the ring, stays.
		back := newest - filled.ID
		if back >= uint64(n) {
			continue
		}
		slot := j.ring.At(n - 1 - int(back))
		if slot.ID != filled.ID || slot.fill == nil {
			continue
		}
		*slot = *filled
	}
}

// Clear drops every entry. IDs keep counting, so a client polling with the last ID it saw
// is not confused.
func (j *Journal) Clear() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.ring.Clear()
}

// Len returns the number of entries held.
func (j *Journal) Len() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.ring.Len()
}

// Resize changes the number of entries kept (for a config reload), keeping the newest
// entries that fit. size 0 turns the journal off and drops everything.
func (j *Journal) Resize(size int) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.ring.Resize(size)
}
