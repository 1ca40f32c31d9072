package mockserver_test

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"testing"
	"time"
)

// TestRealisticAnswers reads the mock's synthesized answers for testdata/realistic.yaml as a
// client would: the property's example, an ISO currency, a plausible Unix creation time, an
// email address, most optional properties, and the id the path asked for; for the default
// seed and for freshly synthesized (dynamic) answers alike.
func TestRealisticAnswers(t *testing.T) {
	t.Parallel()
	m := startDocument(t, "testdata/realistic.yaml")
	get := func(path string, dynamic bool) map[string]any {
		req, _ := http.NewRequest("GET", m.URL+path, nil)
		if dynamic {
			req.Header.Set("Prefer", "dynamic=true")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		var v map[string]any
		if resp.StatusCode != 200 || json.Unmarshal(b, &v) != nil {
			t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
		}
		return v
	}
	iso := regexp.MustCompile(`^[A-Z]{3}$`)
	email := regexp.MustCompile(`^[a-z]+\.[a-z]+@example\.com$`)
	from, to := float64(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).Unix()), float64(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Unix())
	examples, optional, total := 0, 0, 0
	for i, dynamic := range []bool{false, true, true, true, true} {
		c := get("/v1/charges/ch_3MmlLr", dynamic)
		if c["id"] != "ch_3MmlLr" {
			t.Errorf("answer %d: id %v, want the path's ch_3MmlLr", i, c["id"])
		}
		if s, _ := c["currency"].(string); !iso.MatchString(s) {
			t.Errorf("answer %d: currency %v is no ISO code", i, c["currency"])
		}
		if n, _ := c["created"].(float64); n < from || n >= to {
			t.Errorf("answer %d: created %v is no Unix time in 2020-2025", i, c["created"])
		}
		if s, ok := c["receipt_email"].(string); ok && !email.MatchString(s) {
			t.Errorf("answer %d: receipt_email %q is no address", i, s)
		}
		if c["statement_descriptor"] == "HOOKKIT*SHOP" {
			examples++
		}
		for _, k := range []string{"receipt_email", "description", "statement_descriptor", "country", "livemode", "metadata"} {
			total++
			if _, ok := c[k]; ok {
				optional++
			}
		}
	}
	if examples < 3 {
		t.Errorf("the property's example was used in %d of 5 answers; want most", examples)
	}
	if optional*4 < total*3 {
		t.Errorf("%d of %d optional properties present; want most", optional, total)
	}
	if item := get("/items/it-1", false); item["id"] != "it-1" {
		t.Errorf("GET /items/it-1 answered id %v", item["id"])
	}
	if item := get("/items/it%2F2", false); item["id"] != "it/2" {
		t.Errorf("GET /items/it%%2F2 answered id %v, want it/2", item["id"])
	}
}
