package journal

import (
	"net/http"
	"strings"
	"testing"

	"github.com/hookkit/hookkit/openapi"
)

// TestByteBudgetDropsOldest: entries beyond the byte budget go, oldest first, whatever
// the entry count allows; the newest is always kept.
func TestByteBudgetDropsOldest(t *testing.T) {
	t.Parallel()
	j := New(100)
	j.SetMaxBytes(64 << 10)
	body := strings.Repeat("b", 10<<10)
	for range 20 {
		j.Add(Entry{Method: "POST", URL: "/x", RequestBody: body, ResponseBody: body})
	}
	if n := j.Len(); n < 2 || n > 4 {
		t.Errorf("%d entries of ~20 KiB kept in a 64 KiB budget", n)
	}
	if b := j.Bytes(); b > 64<<10 {
		t.Errorf("%d bytes held", b)
	}
	if es := j.List(Filter{}); es[0].ID != 20 {
		t.Errorf("newest kept is %d", es[0].ID)
	}
	j.SetMaxBytes(1)
	if j.Len() != 1 {
		t.Errorf("a budget below one entry keeps %d entries, want the newest alone", j.Len())
	}
	j.Clear()
	if j.Bytes() != 0 {
		t.Errorf("%d bytes after Clear", j.Bytes())
	}
	j.AddDeferred(Entry{URL: "/d"}, 40<<10, func(*Entry) {})
	if j.Bytes() < 40<<10 {
		t.Errorf("a deferred entry's references are not counted: %d", j.Bytes())
	}
}

// TestEntriesAreCut: URLs, header values, header sets, problem messages and problem lists
// beyond the per-entry limits are cut and marked.
func TestEntriesAreCut(t *testing.T) {
	t.Parallel()
	big := strings.Repeat("v", 5000)
	h := http.Header{"X-Big": {big}}
	for i := range 40 {
		h.Set("X-Many-"+strings.Repeat("n", i), strings.Repeat("m", 500))
	}
	var ps []openapi.Problem
	for range 150 {
		ps = append(ps, openapi.Problem{Kind: openapi.InvalidRequest, Message: big})
	}
	j := New(1)
	j.Add(Entry{URL: "/" + big, RequestHeader: h, Problems: ps})
	e := j.List(Filter{})[0]
	if len(e.URL) > MaxValue+20 || !strings.HasSuffix(e.URL, openapi.TruncatedMark) {
		t.Errorf("URL of %d bytes", len(e.URL))
	}
	if v := e.RequestHeader.Get("X-Big"); len(v) > MaxValue+20 || !strings.HasSuffix(v, openapi.TruncatedMark) {
		t.Errorf("header value of %d bytes", len(v))
	}
	if HeaderBytes(e.RequestHeader) > MaxHeaderBytes+1024 || e.RequestHeader.Get(TruncatedHeader) == "" {
		t.Errorf("header set of %d bytes, marker %q", HeaderBytes(e.RequestHeader), e.RequestHeader.Get(TruncatedHeader))
	}
	if len(e.Problems) != MaxProblems+1 || !strings.Contains(e.Problems[MaxProblems].Message, "50 more problems") {
		t.Errorf("%d problems kept", len(e.Problems))
	}
	if len(e.Problems[0].Message) > MaxValue+20 {
		t.Errorf("problem message of %d bytes", len(e.Problems[0].Message))
	}
	small := http.Header{"A": {"b"}}
	if got := ClipHeader(small); &got == &small || got.Get("A") != "b" {
		t.Error("a small header changed")
	}
}
