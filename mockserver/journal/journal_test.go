package journal

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

func ids(es []Entry) string {
	s := make([]string, len(es))
	for i, e := range es {
		s[i] = fmt.Sprint(e.ID)
	}
	return strings.Join(s, ",")
}

func TestRingKeepsNewest(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		size, add int
		want      string
	}{
		{"under capacity", 5, 3, "3,2,1"},
		{"exactly full", 3, 3, "3,2,1"},
		{"overflow drops oldest", 3, 7, "7,6,5"},
		{"size one", 1, 4, "4"},
		{"off", 0, 4, ""},
		{"negative is off", -2, 4, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			j := New(tc.size)
			for range tc.add {
				j.Add(Entry{Method: "GET", URL: "/x"})
			}
			got := j.List(Filter{})
			if ids(got) != tc.want {
				t.Errorf("List = %s, want %s", ids(got), tc.want)
			}
			if j.Len() != len(got) {
				t.Errorf("Len = %d, want %d", j.Len(), len(got))
			}
		})
	}
}

func TestFilters(t *testing.T) {
	t.Parallel()
	j := New(10)
	base := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	add := []Entry{
		{Method: "POST", URL: "/v1/p1/git/repos/ns/app/hooks", OperationID: "createProjectHook", Status: 200, Time: base, Source: SourceHook},
		{Method: "POST", URL: "/v1/p1/git/repos/ns/app/hooks", OperationID: "createProjectHook", Status: 400, Time: base.Add(time.Second), Source: SourceRule, Rule: "flaky"},
		{Method: "GET", URL: "/nowhere", Status: 404, Time: base.Add(2 * time.Second), Source: SourceNotFound},
		{Method: "POST", URL: "/v1/p2/git/repos/ns/other/hooks", OperationID: "createProjectHook", Status: 200, Time: base.Add(3 * time.Second), Source: SourceRule, Rule: "ok"},
	}
	for _, e := range add {
		j.Add(e)
	}
	for _, tc := range []struct {
		name string
		f    Filter
		want string
	}{
		{"all newest first", Filter{}, "4,3,2,1"},
		{"method any case", Filter{Method: "post"}, "4,2,1"},
		{"path contains", Filter{PathContains: "/p1/"}, "2,1"},
		{"operation", Filter{OperationID: "createProjectHook"}, "4,2,1"},
		{"status", Filter{Status: 200}, "4,1"},
		{"since inclusive", Filter{Since: base.Add(2 * time.Second)}, "4,3"},
		{"limit", Filter{Limit: 2}, "4,3"},
		{"source", Filter{Source: SourceRule}, "4,2"},
		{"rule", Filter{Rule: "flaky"}, "2"},
		{"combined", Filter{Method: "POST", Status: 200, Limit: 1}, "4"},
		{"nothing", Filter{Status: 500}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := ids(j.List(tc.f)); got != tc.want {
				t.Errorf("List(%+v) = %s, want %s", tc.f, got, tc.want)
			}
		})
	}
}

func TestClearKeepsCounting(t *testing.T) {
	t.Parallel()
	j := New(3)
	j.Add(Entry{})
	j.Add(Entry{})
	j.Clear()
	if j.Len() != 0 || len(j.List(Filter{})) != 0 {
		t.Fatalf("after Clear: Len %d, List %v", j.Len(), j.List(Filter{}))
	}
	j.Add(Entry{})
	if got := ids(j.List(Filter{})); got != "3" {
		t.Errorf("after Clear and Add: %s, want 3", got)
	}
}

func TestResize(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		from, add int
		to        int
		want      string
		thenAdd   string // ids after one more Add
	}{
		{"shrink keeps newest", 5, 5, 2, "5,4", "6,5"},
		{"grow keeps all", 2, 3, 4, "3,2", "4,3,2"},
		{"off drops all", 3, 3, 0, "", ""},
		{"on again", 0, 3, 2, "", "4"},
		{"same size", 3, 4, 3, "4,3,2", "5,4,3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			j := New(tc.from)
			for range tc.add {
				j.Add(Entry{})
			}
			j.Resize(tc.to)
			if got := ids(j.List(Filter{})); got != tc.want {
				t.Errorf("after Resize(%d): %s, want %s", tc.to, got, tc.want)
			}
			j.Add(Entry{})
			if got := ids(j.List(Filter{})); got != tc.thenAdd {
				t.Errorf("then Add: %s, want %s", got, tc.thenAdd)
			}
			if j.Cap() != tc.to {
				t.Errorf("Cap = %d, want %d", j.Cap(), tc.to)
			}
		})
	}
}

func TestAddTruncatesBodies(t *testing.T) {
	t.Parallel()
	j := New(1)
	long := strings.Repeat("é", MaxBody) // 2 bytes each: the cut lands inside a rune
	j.Add(Entry{RequestBody: long, ResponseBody: "short"})
	e := j.List(Filter{})[0]
	if len(e.RequestBody) > MaxBody+len("…[truncated]") || !strings.HasSuffix(e.RequestBody, "…[truncated]") {
		t.Errorf("request body not cut: %d bytes", len(e.RequestBody))
	}
	if !strings.HasPrefix(e.RequestBody, "éé") || strings.ContainsRune(e.RequestBody, '\uFFFD') {
		t.Errorf("cut broke a rune")
	}
	if e.ResponseBody != "short" {
		t.Errorf("short body changed: %q", e.ResponseBody)
	}
	if e.Time.IsZero() {
		t.Errorf("Time not set")
	}
}

// TestConcurrentUse adds, lists and clears from many goroutines; run with -race. IDs must
// stay unique and the ring must never hold more than its size.
func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	const writers, perWriter, size = 8, 500, 100
	j := New(size)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range perWriter {
				j.Add(Entry{Method: "GET", URL: fmt.Sprintf("/w%d/%d", w, i), Status: 200})
			}
		})
	}
	wg.Go(func() {
		for range 200 {
			es := j.List(Filter{Status: 200, Limit: 10})
			for k := 1; k < len(es); k++ {
				if es[k].ID >= es[k-1].ID {
					t.Errorf("List not newest first: %d then %d", es[k-1].ID, es[k].ID)
					return
				}
			}
			if j.Len() > size {
				t.Errorf("Len %d > size %d", j.Len(), size)
				return
			}
		}
	})
	wg.Wait()
	all := j.List(Filter{})
	if len(all) != size {
		t.Fatalf("kept %d entries, want %d", len(all), size)
	}
	if all[0].ID != writers*perWriter {
		t.Errorf("newest ID = %d, want %d", all[0].ID, writers*perWriter)
	}
	seen := map[uint64]bool{}
	for _, e := range all {
		if seen[e.ID] {
			t.Fatalf("duplicate ID %d", e.ID)
		}
		seen[e.ID] = true
	}
}

func TestAddDeferredFillsOnceOnRead(t *testing.T) {
	t.Parallel()
	j := New(2)
	calls := 0
	j.AddDeferred(Entry{Method: "POST", URL: "/a", Status: 200}, 0, func(e *Entry) {
		calls++
		e.RequestBody = strings.Repeat("x", MaxBody+10)
		e.ResponseBody = "{}"
	})
	if calls != 0 {
		t.Fatalf("fill ran %d times before any read", calls)
	}
	for range 3 {
		got := j.List(Filter{})
		if len(got) != 1 || got[0].ResponseBody != "{}" || !strings.HasSuffix(got[0].RequestBody, "…[truncated]") {
			t.Fatalf("List = %+v", got)
		}
	}
	if calls != 1 {
		t.Errorf("fill ran %d times, want once", calls)
	}
	// A filter that leaves an entry out does not fill it.
	j.AddDeferred(Entry{Method: "GET", URL: "/b"}, 0, func(*Entry) { t.Error("filled an entry the filter left out") })
	if got := j.List(Filter{Method: "POST"}); len(got) != 1 {
		t.Fatalf("List(POST) = %d entries", len(got))
	}
}

// TestListFillsOutsideTheLock pins the promise that reading the journal never stalls
// traffic: while List completes a deferred entry, the lock that every request's Add takes
// is free, and an Add or a Clear that happens during the fill is not lost or undone.
func TestListFillsOutsideTheLock(t *testing.T) {
	t.Parallel()
	j := New(4)
	j.AddDeferred(Entry{Method: "POST", URL: "/a"}, 0, func(e *Entry) {
		if !j.mu.TryLock() {
			t.Error("fill runs while the journal's lock is held")
			return
		}
		j.mu.Unlock()
		j.Add(Entry{Method: "GET", URL: "/during-fill"})
		e.ResponseBody = "filled"
	})
	got := j.List(Filter{Method: "POST"})
	if len(got) != 1 || got[0].ResponseBody != "filled" {
		t.Fatalf("List = %+v", got)
	}
	all := j.List(Filter{})
	if ids(all) != "2,1" || all[1].ResponseBody != "filled" {
		t.Fatalf("after the fill: ids %s, entry 1 %+v", ids(all), all[1])
	}

	// An entry cleared while it was being filled stays cleared; the listing still shows
	// the filled copy it took.
	j.AddDeferred(Entry{Method: "PUT", URL: "/b"}, 0, func(e *Entry) {
		j.Clear()
		e.ResponseBody = "filled"
	})
	if got := j.List(Filter{Method: "PUT"}); len(got) != 1 || got[0].ResponseBody != "filled" {
		t.Fatalf("List(PUT) = %+v", got)
	}
	if n := j.Len(); n != 0 {
		t.Fatalf("Clear during the fill was undone: %d entries", n)
	}
}

// TestConcurrentListsFillConsistently lists deferred entries from several goroutines while
// others add: every listing sees each entry filled, whichever goroutine filled it (run with
// -race).
func TestConcurrentListsFillConsistently(t *testing.T) {
	t.Parallel()
	j := New(64)
	for i := range 64 {
		body := fmt.Sprint("body-", i)
		j.AddDeferred(Entry{Method: "POST", URL: "/x"}, 0, func(e *Entry) { e.ResponseBody = body })
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 20 {
				for _, e := range j.List(Filter{Method: "POST"}) {
					if e.ResponseBody != fmt.Sprint("body-", e.ID-1) {
						t.Errorf("entry %d: body %q", e.ID, e.ResponseBody)
						return
					}
				}
			}
		})
	}
	wg.Go(func() {
		for range 200 {
			j.Add(Entry{Method: "GET", URL: "/y"})
		}
	})
	wg.Wait()
}
