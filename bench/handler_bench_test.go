package bench

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hookkit/hookkit/aksk"
	"github.com/hookkit/hookkit/contract"
	"github.com/hookkit/hookkit/mockserver"
	"github.com/hookkit/hookkit/mockserver/config"
	"github.com/hookkit/hookkit/mockserver/mocktest"
	"github.com/hookkit/hookkit/openapi"
)

const validHook = `{"secret":"**********","url":"https://example.com/webhook"}`

// hookRequest builds a hook request; drop names headers to leave out.
func hookRequest(body string, extra map[string]string, drop ...string) *http.Request {
	r := httptest.NewRequest("POST", hookPath, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json;charset=utf8")
	r.Header.Set("X-Auth-Token", "bench-token")
	r.Header.Set("X-Repo-Auth", "bench-auth")
	for k, v := range extra {
		r.Header.Set(k, v)
	}
	for _, k := range drop {
		r.Header.Del(k)
	}
	return r
}

// serve runs h on requests made by newReq and checks the status.
func serve(b *testing.B, h http.Handler, want int, newReq func() *http.Request) {
	b.Helper()
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, newReq())
		if w.Code != want {
			b.Fatalf("status %d, want %d: %s", w.Code, want, w.Body)
		}
	}
}

func newMock(b *testing.B, doc *openapi.Document) *mockserver.Server {
	b.Helper()
	s, err := mockserver.New(doc, mocktest.HookAPIOptions(mockserver.Options{}))
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkHandler compares the mock's handler with the bare baseline, in process (no
// network): what hookkit adds per request.
func BenchmarkHandler(b *testing.B) {
	hooks, err := openapi.Default()
	if err != nil {
		b.Fatal(err)
	}
	mock := newMock(b, hooks)
	b.Run("bare", func(b *testing.B) {
		serve(b, Bare(), 200, func() *http.Request { return hookRequest(validHook, nil) })
	})
	b.Run("mock-valid", func(b *testing.B) {
		serve(b, mock, 200, func() *http.Request { return hookRequest(validHook, nil) })
	})
	b.Run("mock-missing-token", func(b *testing.B) {
		serve(b, mock, 400, func() *http.Request { return hookRequest(validHook, nil, "X-Auth-Token") })
	})
	b.Run("mock-missing-secret", func(b *testing.B) {
		serve(b, mock, 400, func() *http.Request { return hookRequest(`{"url":"https://example.com/webhook"}`, nil) })
	})
	b.Run("mock-prefer-example", func(b *testing.B) {
		serve(b, mock, 200, func() *http.Request {
			return hookRequest(validHook, map[string]string{"Prefer": "example=created-gitlab"})
		})
	})
	// AK/SK: the same valid request signed instead of carrying a token, verified by a
	// mock that knows the key (signed once; the mock's clock is the signing time).
	b.Setenv("BENCH_SK", "bench-secret-key")
	cfg, err := config.Parse([]byte("auth:\n  aksk:\n    - accessKey: BENCHAK\n      secretKeyEnv: BENCH_SK\n"), "bench.yaml")
	if err != nil {
		b.Fatal(err)
	}
	at := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	signedMock, err := mockserver.New(hooks, mocktest.HookAPIOptions(mockserver.Options{Config: cfg, Clock: func() time.Time { return at }}))
	if err != nil {
		b.Fatal(err)
	}
	signed := hookRequest(validHook, nil, "X-Auth-Token")
	if _, err := aksk.Sign(signed, []byte(validHook), "BENCHAK", "bench-secret-key", at); err != nil {
		b.Fatal(err)
	}
	b.Run("mock-aksk-valid", func(b *testing.B) {
		serve(b, signedMock, 200, func() *http.Request {
			r := hookRequest(validHook, nil, "X-Auth-Token")
			r.Header = signed.Header.Clone()
			return r
		})
	})
	pets, err := openapi.Load("../mockserver/testdata/schemas.yaml")
	if err != nil {
		b.Fatal(err)
	}
	petMock := newMock(b, pets)
	b.Run("mock-synthesized", func(b *testing.B) {
		serve(b, petMock, 200, func() *http.Request {
			r := httptest.NewRequest("GET", "/pets/7", nil)
			r.Header.Set("X-API-Key", "bench-key")
			return r
		})
	})
}

// recorded is a RoundTripper that answers every request with the same recorded response.
type recorded struct{ body []byte }

func (rt recorded) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		io.Copy(io.Discard, r.Body)
		r.Body.Close()
	}
	return &http.Response{
		StatusCode: 200, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:        http.Header{"Content-Type": {"application/json"}},
		Body:          io.NopCloser(bytes.NewReader(rt.body)),
		ContentLength: int64(len(rt.body)),
		Request:       r,
	}, nil
}

// BenchmarkTransport measures the validating transport on a recorded response: what
// `hookkit check` and any Go client wrapped with it pay per exchange.
func BenchmarkTransport(b *testing.B) {
	doc, err := openapi.Default()
	if err != nil {
		b.Fatal(err)
	}
	client := &http.Client{Transport: contract.NewTransport(doc, recorded{HookJSON}, contract.TransportOptions{})}
	b.ReportAllocs()
	for b.Loop() {
		req, _ := http.NewRequest("POST", "http://target"+hookPath, strings.NewReader(validHook))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Auth-Token", "bench-token")
		req.Header.Set("X-Repo-Auth", "bench-auth")
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

// BenchmarkProxy measures the validating proxy in process, forwarding to a recorded
// upstream.
func BenchmarkProxy(b *testing.B) {
	doc, err := openapi.Default()
	if err != nil {
		b.Fatal(err)
	}
	up, _ := url.Parse("http://upstream")
	p := contract.NewProxy(doc, up, contract.ProxyOptions{Transport: recorded{HookJSON}})
	serve(b, p, 200, func() *http.Request { return hookRequest(validHook, nil) })
}
