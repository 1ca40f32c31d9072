package aksk_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hookkit/hookkit/aksk"
)

// vector is one entry of testdata/sdk-vectors.json (see testdata/README.md).
type vector struct {
	Name     string `json:"name"`
	AK       string `json:"ak"`
	SK       string `json:"sk"`
	Method   string `json:"method"`
	Endpoint string `json:"endpoint"`
	Path     string `json:"path"`
	Query    []struct {
		Name   string   `json:"name"`
		Values []string `json:"values"`
	} `json:"query"`
	Headers       map[string]string `json:"headers"`
	Body          string            `json:"body"`
	Date          string            `json:"x_sdk_date"`
	Authorization string            `json:"authorization"`
	ContentSHA256 string            `json:"x_sdk_content_sha256"`
}

func loadVectors(t *testing.T) []vector {
	t.Helper()
	data, err := os.ReadFile("testdata/sdk-vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var vs []vector
	if err := json.Unmarshal(data, &vs); err != nil {
		t.Fatal(err)
	}
	if len(vs) < 5 {
		t.Fatalf("only %d vectors", len(vs))
	}
	return vs
}

// request rebuilds a vector's request as net/http would send it.
func (v vector) request(t *testing.T) (*http.Request, []byte) {
	t.Helper()
	u, err := url.Parse(v.Endpoint)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = v.Path
	q := url.Values{}
	for _, p := range v.Query {
		q[p.Name] = p.Values
	}
	u.RawQuery = q.Encode()
	body := []byte(v.Body)
	req, err := http.NewRequest(v.Method, u.String(), bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, val := range v.Headers {
		if k != "Host" {
			req.Header.Set(k, val)
		}
	}
	return req, body
}

// TestSDKVectors requires the canonical request and signature of every vector to give the
// official SDK's Authorization header.
func TestSDKVectors(t *testing.T) {
	for _, v := range loadVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			req, body := v.request(t)
			if v.ContentSHA256 != "" {
				req.Header.Set(aksk.ContentSHA256Header, v.ContentSHA256)
			}
			want, err := aksk.ParseAuthorization(v.Authorization)
			if err != nil {
				t.Fatal(err)
			}
			cr := aksk.CanonicalRequest(req, body, want.SignedHeaders)
			got := aksk.Authorization{AccessKey: v.AK, SignedHeaders: want.SignedHeaders,
				Signature: aksk.Signature(v.SK, aksk.StringToSign(cr, v.Date))}
			if got.String() != v.Authorization {
				t.Errorf("Authorization\n got %s\nwant %s\ncanonical request:\n%s", got, v.Authorization, cr)
			}
		})
	}
}

// TestSignMatchesSDK signs each vector that has the SDK sign host with aksk.Sign itself:
// the same headers are chosen, the same date written, the same Authorization produced.
func TestSignMatchesSDK(t *testing.T) {
	n := 0
	for _, v := range loadVectors(t) {
		if _, ok := v.Headers["Host"]; !ok {
			continue
		}
		n++
		t.Run(v.Name, func(t *testing.T) {
			req, body := v.request(t)
			req.Header.Del(aksk.DateHeader)
			at, err := time.Parse(aksk.DateFormat, v.Date)
			if err != nil {
				t.Fatal(err)
			}
			s, err := aksk.Sign(req, body, v.AK, v.SK, at)
			if err != nil {
				t.Fatal(err)
			}
			if got := req.Header.Get("Authorization"); got != v.Authorization {
				t.Errorf("Authorization\n got %s\nwant %s\ncanonical request:\n%s", got, v.Authorization, s.CanonicalRequest)
			}
			if got := req.Header.Get(aksk.DateHeader); got != v.Date {
				t.Errorf("X-Sdk-Date = %q, want %q", got, v.Date)
			}
			if got := req.Header.Get(aksk.ContentSHA256Header); got != v.ContentSHA256 {
				t.Errorf("X-Sdk-Content-Sha256 = %q, want %q", got, v.ContentSHA256)
			}
		})
	}
	if n < 5 {
		t.Fatalf("only %d vectors sign host", n)
	}
}

func TestParseAuthorization(t *testing.T) {
	sig := strings.Repeat("ab", 32)
	tests := []struct {
		name, in, wantErr string
	}{
		{"ok", "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=" + sig, ""},
		{"other scheme", "Bearer abc", "not an SDK-HMAC-SHA256"},
		{"no access", "SDK-HMAC-SHA256 SignedHeaders=host, Signature=" + sig, "Access"},
		{"no headers", "SDK-HMAC-SHA256 Access=AK, Signature=" + sig, "SignedHeaders is missing"},
		{"short signature", "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=abc", "64 hex digits"},
		{"unknown part", "SDK-HMAC-SHA256 Access=AK, Foo=1, SignedHeaders=host, Signature=" + sig, "unknown part"},
		{"twice", "SDK-HMAC-SHA256 Access=AK, Access=B, SignedHeaders=host, Signature=" + sig, "twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := aksk.ParseAuthorization(tt.in)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), sig) {
				t.Errorf("error repeats the signature: %v", err)
			}
		})
	}
}
