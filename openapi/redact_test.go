package openapi

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestRedactor(t *testing.T) {
	t.Parallel()
	d, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	r := d.Redactor()
	for _, tt := range []struct {
		name   string
		secret bool
	}{
		{"X-Auth-Token", true}, {"x-auth-token", true}, {"Authorization", true}, {"Cookie", true},
		{"X-API-Key", true}, {"api_key", true}, {"apiKey", true}, {"client_secret", true},
		{"Password", true}, {"private-key", true}, {"X-Session-Id", true},
		{"X-Repo-Auth", false}, {"Content-Type", false}, {"url", false}, {"id", false},
		{"", false}, {strings.Repeat("a", 100) + "Token", true},
	} {
		if got := r.IsSecretHeader(tt.name); got != tt.secret {
			t.Errorf("IsSecretHeader(%q) = %v, want %v", tt.name, got, tt.secret)
		}
		if got := r.IsSecretField(tt.name); got != tt.secret {
			t.Errorf("IsSecretField(%q) = %v, want %v", tt.name, got, tt.secret)
		}
	}

	h := r.Header(http.Header{"X-Auth-Token": {"tok-123"}, "X-Repo-Auth": {"auth"}})
	if h.Get("X-Auth-Token") != Redacted || h.Get("X-Repo-Auth") != "auth" {
		t.Errorf("Header = %v", h)
	}
	body := string(r.Body("application/json", []byte(`{"secret":"hunter2","url":"https://e.com","nested":{"token":"t0k"}}`)))
	if strings.Contains(body, "hunter2") || strings.Contains(body, "t0k") || !strings.Contains(body, "https://e.com") {
		t.Errorf("Body = %s", body)
	}
	u, _ := url.Parse("http://h/p?access_token=abc&x=1")
	if got := r.URL(u); strings.Contains(got, "abc") || !strings.Contains(got, "x=1") {
		t.Errorf("URL = %s", got)
	}
	// Bodies that are neither JSON nor forms: values given to secret-named keys are hidden,
	// text that only names them stays readable.
	for _, tt := range []struct{ ct, body, want string }{
		{"text/plain", "password=hunter2", "password=[REDACTED]"},
		{"text/plain", "token=abc&x=1", "token=[REDACTED]&x=1"},
		{"text/plain", "Authorization: Bearer abc.def\nnext line", "Authorization: [REDACTED]\nnext line"},
		{"text/plain", "api_key: 'k-1 2'", "api_key: [REDACTED]"},
		{"text/html", "<h1>401</h1><p>The Authorization header is missing.</p>", "<h1>401</h1><p>The Authorization header is missing.</p>"},
		{"application/json", `{"token":"abc`, `{"token":[REDACTED]`},
		{"application/json", `{"x": 1, "secret" : "s3"`, `{"x": 1, "secret" : [REDACTED]`},
	} {
		if got := string(r.Body(tt.ct, []byte(tt.body))); got != tt.want {
			t.Errorf("%s body %q = %q, want %q", tt.ct, tt.body, got, tt.want)
		}
	}
}

func BenchmarkIsSecretHeader(b *testing.B) {
	d, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	r := d.Redactor()
	for b.Loop() {
		r.IsSecretHeader("X-Repo-Auth")
		r.IsSecretHeader("Content-Type")
	}
}

// TestRedactorNamedFields: a password-format property whose name holds no secret word
// ("pin") is redacted in free text too, and nothing else is.
func TestRedactorNamedFields(t *testing.T) {
	t.Parallel()
	r := inlineDoc(t, "S: {type: object, properties: {pin: {type: string, format: password}, holder: {type: string}}}").Redactor()
	if got, want := string(r.Body("text/plain", []byte("holder=Ada; pin: 1234; spin=5"))), "holder=Ada; pin: [REDACTED]; spin=5"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
