package config

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hookkit/hookkit/openapi"
)

// served is what the test handler saw for one request.
type served struct {
	rule string
	out  Outcome
	err  error
}

// serve starts a loopback server that answers like the mock server does with rules:
// route with the hook document, build the Input, let the first matching rule respond.
// Requests no rule matches get 418 so tests notice. Each answer's Outcome is sent on the
// returned channel.
func serve(t *testing.T, cfgYAML string) (*httptest.Server, *RuleSet, <-chan served) {
	t.Helper()
	c, err := Parse([]byte(cfgYAML), t.Name()+".yaml")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	doc, err := openapi.Default()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.CheckAgainst(doc); err != nil {
		t.Fatalf("CheckAgainst: %v", err)
	}
	rs := compile(t, c)
	results := make(chan served, 100)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		in := &Input{Method: r.Method, RawPath: r.URL.EscapedPath(), Query: r.URL.Query(), Header: r.Header}
		if m, err := doc.Find(r.Method, r.URL.EscapedPath()); err == nil {
			in.OperationID, in.Path, in.PathParams = m.Operation.ID, m.Operation.Path, m.PathParams
		}
		if len(body) > 0 {
			_ = json.Unmarshal(body, &in.Body)
		}
		rule := rs.Match(in)
		if rule == nil {
			w.WriteHeader(http.StatusTeapot)
			results <- served{}
			return
		}
		out, err := rule.Respond(w, r, in)
		results <- served{rule: rule.Name, out: out, err: err}
	}))
	t.Cleanup(srv.Close)
	return srv, rs, results
}

const hookPath = "/v1/p1/git/repos/ns/app-web/hooks"

// post sends a hook creation request with a fresh connection and returns the response
// (body read) or the client's error.
func post(t *testing.T, client *http.Client, base string, body string) (*http.Response, []byte, error) {
	t.Helper()
	req, err := http.NewRequest("POST", base+hookPath+"?page=3", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Auth-Token", "token-value")
	req.Header.Set("X-Repo-Auth", "my-gitlab-auth")
	if client == nil {
		client = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

const hookBody = `{"secret":"s3cr3t","url":"https://ci.example/hook?x=1"}`

func next(t *testing.T, ch <-chan served) served {
	t.Helper()
	select {
	case s := <-ch:
		return s
	case <-time.After(10 * time.Second):
		t.Fatal("the handler did not finish")
		return served{}
	}
}

func jsonObject(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("body %q is not a JSON object: %v", b, err)
	}
	return m
}

// compile compiles c's rules, failing the test on an error.
func compile(t testing.TB, c *Config) *RuleSet {
	t.Helper()
	rs, err := Compile(c)
	if err != nil {
		t.Fatalf("Compile: %v", err)
	}
	return rs
}
