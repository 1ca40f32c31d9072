package contract_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/hookkit/hookkit/contract"
	"github.com/hookkit/hookkit/openapi"
)

// A Go program validates its own traffic by wrapping its http.Client's transport.
func ExampleNewTransport() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id":1573,"type":"github"}`)) // id must be a string; callback_url is missing
	}))
	defer srv.Close()

	doc, _ := openapi.Default()
	journal := contract.NewJournal(100)
	client := &http.Client{Transport: contract.NewTransport(doc, nil, contract.TransportOptions{Journal: journal})}

	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/p1/git/repos/team/app/hooks",
		strings.NewReader(`{"secret":"s","url":"https://example.com/hook"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Auth-Token", "my-token")
	req.Header.Set("X-Repo-Auth", "my-auth")
	resp, err := client.Do(req)
	if err != nil {
		panic(err)
	}
	resp.Body.Close()

	entries, _ := journal.Entries()
	for _, ex := range entries {
		for _, v := range ex.Violations() {
			fmt.Println(v)
		}
	}
	// Output:
	// body-schema: response field /id must be of type string
	// body-schema: response field /callback_url is required
}
