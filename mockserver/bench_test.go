package mockserver_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hookkit/hookkit/mockserver"
	"github.com/hookkit/hookkit/mockserver/mocktest"
)

// benchLoopback measures requests per second over loopback with keep-alive clients, the
// way a frontend's test suite hits the mock.
func benchLoopback(b *testing.B, url string, prefer string) {
	b.Helper()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest(http.MethodPost, url+hookPath, strings.NewReader(validBody))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Auth-Token", token)
			req.Header.Set("X-Repo-Auth", "my-github-auth")
			if prefer != "" {
				req.Header.Set("Prefer", prefer)
			}
			resp, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Fatalf("status %d", resp.StatusCode)
			}
		}
	})
}

// BenchmarkBareHandler is the baseline: a net/http handler that reads the body and writes
// fixed JSON, with no validation at all.
func BenchmarkBareHandler(b *testing.B) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id":"1573","type":"github","callback_url":"https://example.com/webhook"}`))
	}))
	defer ts.Close()
	benchLoopback(b, ts.URL, "")
}

func BenchmarkMockTypedHook(b *testing.B) {
	m := mocktest.Start(b)
	benchLoopback(b, m.URL, "")
}

func BenchmarkMockExample(b *testing.B) {
	m := mocktest.Start(b)
	benchLoopback(b, m.URL, "code=200")
}

func BenchmarkMockTypedHookWithLog(b *testing.B) {
	m := mocktest.Start(b, mocktest.WithOptions(mockserver.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	benchLoopback(b, m.URL, "")
}
