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
	if got := string(r.Body("text/plain", []byte("password=hunter2"))); got != Redacted {
		t.Errorf("text body = %q, want it hidden whole", got)
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
