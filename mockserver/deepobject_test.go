package mockserver_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestDeepObjectAndForms drives the mock of openapi/testdata/realworld/deepobject.yaml the
// way clients of payment APIs do: deepObject query arrays and objects, form bodies with
// bracketed objects and arrays of objects, a field without a type and a nullable enum.
// Valid requests get the declared 200; invalid ones a 4xx whose problems (in the journal)
// name the place. Subtests run in turn: each reads the journal's latest entry.
func TestDeepObjectAndForms(t *testing.T) {
	t.Parallel()
	m := startDocument(t, "../openapi/testdata/realworld/deepobject.yaml")
	tests := []struct {
		name, query, form string
		want              int
		problem           string // in the response body of a refusal
	}{
		{name: "expand[]", query: "expand[]=data.owner&expand[]=x", want: 200},
		{name: "expand indexed", query: "expand[0]=a&expand[1]=b", want: 200},
		{name: "expand plain", query: "expand=a", want: 200},
		{name: "object bounds", query: "created[gte]=5&created[lt]=9&limit=5", want: 200},
		{name: "no query", want: 200},
		{name: "bound not an integer", query: "created[gte]=soon", want: 400, problem: "query created"},
		{name: "expand item too long", query: "expand[0]=" + strings.Repeat("x", 5001), want: 400, problem: "query expand"},
		{name: "plain field", form: "description=x", want: 200},
		{name: "array of objects", form: "tax_id_data[0][type]=eu_vat&tax_id_data[0][value]=DE1&tax_id_data[1][type]=us_ein&tax_id_data[1][value]=1", want: 200},
		{name: "field without type", form: "source=tok_1", want: 200},
		{name: "map", form: "metadata[order]=42&address[city]=Berlin", want: 200},
		{name: "form array", form: "expand[0]=a&expand[1]=b", want: 200},
		{name: "nullable enum value", form: "tax_exempt=none", want: 200},
		{name: "nullable enum empty", form: "tax_exempt=", want: 400, problem: "/tax_exempt"},
		{name: "enum in array of objects", form: "tax_id_data[0][type]=bad&tax_id_data[0][value]=1", want: 400, problem: "/tax_id_data/0/type"},
		{name: "required in array of objects", form: "tax_id_data[0][type]=eu_vat", want: 400, problem: "/tax_id_data/0/value"},
		{name: "unknown field", form: "bogus=1", want: 400, problem: "body is invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method, body := "GET", io.Reader(nil)
			if tt.form != "" {
				method, body = "POST", strings.NewReader(tt.form)
			}
			req, err := http.NewRequest(method, m.URL+"/v1/customers?"+tt.query, body)
			if err != nil {
				t.Fatal(err)
			}
			if tt.form != "" {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			got, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.want {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.want, got)
			}
			if tt.problem != "" {
				if p := latestProblems(t, m.URL); !strings.Contains(p, tt.problem) {
					t.Errorf("problems do not name %q: %s", tt.problem, p)
				}
			}
		})
	}
}

// latestProblems returns the problem messages the mock journaled for its latest request.
func latestProblems(t *testing.T, base string) string {
	t.Helper()
	resp, err := http.Get(base + "/__admin/requests?limit=1")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var page struct {
		Requests []struct {
			Problems []struct{ Message string } `json:"problems"`
		} `json:"requests"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&page); err != nil || len(page.Requests) == 0 {
		t.Fatalf("journal: %v (%d entries)", err, len(page.Requests))
	}
	var msgs []string
	for _, p := range page.Requests[0].Problems {
		msgs = append(msgs, p.Message)
	}
	return strings.Join(msgs, "; ")
}
