package journal

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hookkit/hookkit/openapi"
)

// TestCaptureRedacts sends a real request carrying every kind of secret the hook API has
// (the X-Auth-Token credential, the hook's secret field, a token in the query, a cookie)
// through a loopback server that journals it with Capture, then checks that no secret
// survives anywhere in the journal, even in its JSON form served by the admin API.
func TestCaptureRedacts(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Default()
	if err != nil {
		t.Fatal(err)
	}
	red := doc.Redactor()
	j := New(10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		// A careless answer that echoes the secret back: the journal must still hide it.
		respBody := []byte(`{"id":"1","type":"github","callback_url":"https://x.example","secret":"hook-secret-123"}`)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Set-Cookie", "session=cookie-secret-456")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(respBody)
		e := Capture(red, r, body, http.StatusOK, w.Header(), respBody)
		e.OperationID, e.Source = "createProjectHook", SourceHook
		j.Add(e)
	}))
	defer srv.Close()

	secrets := []string{"iam-token-789", "hook-secret-123", "query-token-000", "cookie-secret-456"}
	req, _ := http.NewRequest("POST", srv.URL+"/v1/p1/git/repos/ns/app/hooks?access_token=query-token-000&page=2",
		strings.NewReader(`{"secret":"hook-secret-123","url":"https://x.example"}`))
	req.Header.Set("Content-Type", "application/json;charset=utf8")
	req.Header.Set("X-Auth-Token", "iam-token-789")
	req.Header.Set("X-Repo-Auth", "my-auth")
	req.Header.Set("Cookie", "session=cookie-secret-456")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	entries := j.List(Filter{})
	if len(entries) != 1 {
		t.Fatalf("%d entries", len(entries))
	}
	e := entries[0]
	dump, err := json.Marshal(entries)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range secrets {
		if bytes.Contains(dump, []byte(s)) {
			t.Errorf("journal leaks %q: %s", s, dump)
		}
	}
	// Redaction must not throw away what users look for.
	for _, keep := range []struct{ what, got, want string }{
		{"method", e.Method, "POST"},
		{"non-secret query kept", e.URL, "page=2"},
		{"non-secret header kept", e.RequestHeader.Get("X-Repo-Auth"), "my-auth"},
		{"token redacted", e.RequestHeader.Get("X-Auth-Token"), openapi.Redacted},
		{"url field kept", e.RequestBody, `"url":"https://x.example"`},
		{"secret field marked", e.RequestBody, openapi.Redacted},
		{"response kept", e.ResponseBody, `"callback_url":"https://x.example"`},
	} {
		if !strings.Contains(keep.got, keep.want) {
			t.Errorf("%s: %q lacks %q", keep.what, keep.got, keep.want)
		}
	}
}
