// Package journal keeps a bounded ring of the requests the mock server answered, for the
// admin API (GET /__admin/requests) and for tests that assert what a client sent.
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
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hookkit/hookkit/openapi"
)

// DefaultSize is the number of entries kept when the config does not say.
const DefaultSize = 1000

// MaxSize is the most entries a journal may keep: a config asking for more is refused
// (the ring is allocated up front, so the number alone must not exhaust memory).
const MaxSize = 100_000

// DefaultMaxBytes is the byte budget of a journal when the config does not say: once the
// entries held are larger, the oldest are dropped, whatever Size allows.
const DefaultMaxBytes = 32 << 20

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
	// cost is what the entry holds in bytes, for the journal's byte budget.
	cost int64
}

// Journal is a bounded ring of entries, newest kept. It is safe for concurrent use; Add
// costs O(1) under a short lock, so it can sit on every request's path.
type Journal struct {
	mu       sync.Mutex
	ring     []Entry // capacity entries; ring[next] is the oldest once full
	next     int     // where the next entry goes
	count    int     // entries held, at most len(ring)
	lastID   uint64
	bytes    int64 // cost of the entries held
	maxBytes int64 // byte budget; the oldest entries go first when it is exceeded
}

// New returns a journal that keeps the last size entries (at most [MaxSize]) within
// [DefaultMaxBytes]. size 0 (or less) makes a journal that records nothing, which is how
// the config turns it off.
func New(size int) *Journal {
	return &Journal{ring: make([]Entry, min(max(size, 0), MaxSize)), maxBytes: DefaultMaxBytes}
}

// SetMaxBytes changes the byte budget (0 or less: DefaultMaxBytes) and drops the oldest
// entries until the rest fit.
func (j *Journal) SetMaxBytes(n int64) {
	if n <= 0 {
		n = DefaultMaxBytes
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	j.maxBytes = n
	j.trim()
}

// Bytes returns the estimated size of the entries held, which the budget bounds.
func (j *Journal) Bytes() int64 {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.bytes
}

// entryOverhead is the cost of an entry beyond its strings: the struct, slices, maps.
const entryOverhead = 512

// trim drops the oldest entries while the journal is over its byte budget, keeping the
// newest one whatever its size (each entry is bounded by the per-entry limits). Called
// with mu held.
func (j *Journal) trim() {
	for j.bytes > j.maxBytes && j.count > 1 {
		i := (j.next - j.count + len(j.ring)) % len(j.ring)
		j.bytes -= j.ring[i].cost
		j.ring[i] = Entry{}
		j.count--
	}
}

// Cap returns the number of entries the journal keeps.
func (j *Journal) Cap() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return len(j.ring)
}

// Add records e, dropping the oldest entry when the journal is full. It sets e.ID and,
// when zero, e.Time. Bodies longer than MaxBody are cut. Callers add after writing the
// response, so the journal never delays an answer.
func (j *Journal) Add(e Entry) {
	e.RequestBody = Truncate(e.RequestBody)
	e.ResponseBody = Truncate(e.ResponseBody)
	e.URL = openapi.Clip(e.URL, MaxValue)
	e.RequestHeader = ClipHeader(e.RequestHeader)
	e.ResponseHeader = ClipHeader(e.ResponseHeader)
	e.Problems = ClipProblems(e.Problems)
	if e.fill == nil {
		e.cost = entryOverhead + int64(len(e.URL)+len(e.RequestBody)+len(e.ResponseBody)) +
			HeaderBytes(e.RequestHeader) + HeaderBytes(e.ResponseHeader) + problemBytes(e.Problems)
	}
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	j.lastID++
	if len(j.ring) == 0 {
		return
	}
	e.ID = j.lastID
	if j.count == len(j.ring) {
		j.bytes -= j.ring[j.next].cost
	}
	j.ring[j.next] = e
	j.bytes += e.cost
	j.next = (j.next + 1) % len(j.ring)
	if j.count < len(j.ring) {
		j.count++
	}
	j.trim()
}

// HeaderBytes returns the bytes of h's names and values.
func HeaderBytes(h http.Header) int64 {
	var n int64
	for k, vs := range h {
		for _, v := range vs {
			n += int64(len(k) + len(v) + 4)
		}
	}
	return n
}

func problemBytes(ps []openapi.Problem) int64 {
	var n int64
	for _, p := range ps {
		n += int64(len(p.Kind) + len(p.In) + len(p.Name) + len(p.Message) + 32)
	}
	return n
}

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
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make(http.Header, len(h))
	total, left := 0, 0
	for _, k := range keys {
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
	e.cost = entryOverhead + int64(len(e.URL)) + problemBytes(e.Problems) + cost
	j.Add(e)
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
	for i := 1; i <= j.count; i++ {
		e := &j.ring[(j.next-i+len(j.ring))%len(j.ring)]
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
	if j.count == 0 {
		return
	}
	newest := j.ring[(j.next-1+len(j.ring))%len(j.ring)].ID
	for _, i := range pending {
		filled := &out[i]
		// IDs in the ring are consecutive, newest at next-1; the entry's slot is found
		// from its distance to the newest.
		back := newest - filled.ID
		if back >= uint64(j.count) {
			continue
		}
		slot := &j.ring[(j.next-1-int(back)+len(j.ring))%len(j.ring)]
		if slot.ID != filled.ID || slot.fill == nil {
			continue
		}
		cost := slot.cost
		*slot = *filled
		slot.cost = cost
	}
}

// Clear drops every entry. IDs keep counting, so a client polling with the last ID it saw
// is not confused.
func (j *Journal) Clear() {
	j.mu.Lock()
	defer j.mu.Unlock()
	clear(j.ring)
	j.next, j.count, j.bytes = 0, 0, 0
}

// Len returns the number of entries held.
func (j *Journal) Len() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.count
}

// Resize changes the number of entries kept (for a config reload), keeping the newest
// entries that fit. size 0 turns the journal off and drops everything.
func (j *Journal) Resize(size int) {
	size = min(max(size, 0), MaxSize)
	j.mu.Lock()
	defer j.mu.Unlock()
	if size == len(j.ring) {
		return
	}
	keep := min(j.count, size)
	ring := make([]Entry, size)
	// Oldest of the kept entries first.
	for i := range keep {
		ring[i] = j.ring[(j.next-keep+i+len(j.ring))%len(j.ring)]
	}
	j.ring, j.count = ring, keep
	j.bytes = 0
	for i := range keep {
		j.bytes += ring[i].cost
	}
	j.next = 0
	if size > 0 {
		j.next = keep % size
	}
}
