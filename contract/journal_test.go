package contract_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hookkit/hookkit/contract"
)

// violationsPage is the proxy's GET AdminPath answer.
type violationsPage struct {
	Violations []struct {
		Response struct {
			Body string `json:"body"`
		} `json:"response"`
	} `json:"violations"`
	Dropped int `json:"dropped"`
}

func getViolations(t *testing.T, base string) violationsPage {
	t.Helper()
	resp, err := http.Get(base + contract.AdminPath)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var page violationsPage
	if err := json.Unmarshal(raw, &page); err != nil {
		t.Fatalf("%v\n%s", err, raw)
	}
	return page
}

// TestProxyJournalKeepsNewest drives the proxy's journal as a user does: more violating
// exchanges than --journal-size keeps, then the admin endpoint lists the newest, oldest
// first, with the count of those dropped; DELETE empties it and resets the count.
func TestProxyJournalKeepsNewest(t *testing.T) {
	t.Parallel()
	var n atomic.Int64
	numbered := hookServer{ok: func(_ *http.Request, a *hookAnswer) {
		// id must be a string: every answer violates the document, each one recognisable.
		a.body = fmt.Sprintf(`{"id":%d,"type":"github","callback_url":"https://example.com/webhook"}`, n.Add(1))
	}}
	base, _ := startProxy(t, numbered, contract.ProxyOptions{JournalSize: 3})
	for range 5 {
		if resp := hookRequest(t, base, nil); resp.Header.Get(contract.ViolationsHeader) == "" {
			t.Fatal("the answer is not marked as violating")
		}
	}
	page := getViolations(t, base)
	var ids []string
	for _, v := range page.Violations {
		ids = append(ids, strings.SplitN(strings.TrimPrefix(v.Response.Body, `{"id":`), ",", 2)[0])
	}
	if strings.Join(ids, ",") != "3,4,5" || page.Dropped != 2 {
		t.Errorf("journal holds ids %v with %d dropped; want 3,4,5 with 2", ids, page.Dropped)
	}
	req, _ := http.NewRequest(http.MethodDelete, base+contract.AdminPath, nil)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if page := getViolations(t, base); resp.StatusCode != http.StatusNoContent || len(page.Violations) != 0 || page.Dropped != 0 {
		t.Errorf("after DELETE (%d): %d violations, %d dropped", resp.StatusCode, len(page.Violations), page.Dropped)
	}
}

// TestJournalBounds: a journal keeps DefaultJournalSize exchanges unless told, and within
// a byte budget drops the oldest exchanges, the newest always kept, counting every drop.
func TestJournalBounds(t *testing.T) {
	t.Parallel()
	j := contract.NewJournal(0)
	for i := range contract.DefaultJournalSize + 5 {
		j.Add(&contract.Exchange{Operation: fmt.Sprint(i)})
	}
	entries, dropped := j.Entries()
	if len(entries) != contract.DefaultJournalSize || dropped != 5 || entries[0].Operation != "5" {
		t.Errorf("default journal: %d kept, %d dropped, oldest %q", len(entries), dropped, entries[0].Operation)
	}

	j = contract.NewJournal(100)
	j.SetMaxBytes(64 << 10)
	body := strings.Repeat("b", 10<<10)
	for i := range 20 {
		j.Add(&contract.Exchange{Operation: fmt.Sprint(i), Request: contract.Message{Body: body}, Response: &contract.Message{Body: body}})
	}
	entries, dropped = j.Entries()
	if len(entries) < 2 || len(entries) > 4 || dropped != 20-len(entries) || entries[len(entries)-1].Operation != "19" {
		t.Errorf("64 KiB budget: %d exchanges of ~20 KiB kept, %d dropped", len(entries), dropped)
	}
	j.SetMaxBytes(1)
	if entries, dropped = j.Entries(); len(entries) != 1 || entries[0].Operation != "19" || dropped != 19 {
		t.Errorf("a budget below one exchange keeps %d (dropped %d), want the newest alone", len(entries), dropped)
	}
	j.Reset()
	if entries, dropped = j.Entries(); len(entries) != 0 || dropped != 0 {
		t.Errorf("after Reset: %d kept, %d dropped", len(entries), dropped)
	}
}
