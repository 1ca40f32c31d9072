package bench

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hookkit/hookkit/mockserver"
	"github.com/hookkit/hookkit/mockserver/mocktest"
	"github.com/hookkit/hookkit/openapi"
)

// BenchmarkStateful compares one create and one get of a to-do item on the stateless mock
// (example answers) with the same two requests on the stateful mock's memory store (the
// item is stored, then read back): what remembering costs per request pair. make bench
// reports the ratio memory ÷ stateless (target ≤ 1.3).
func BenchmarkStateful(b *testing.B) {
	doc, err := openapi.Load("../mockserver/testdata/crud.yaml")
	if err != nil {
		b.Fatal(err)
	}
	create := func() *http.Request {
		r := httptest.NewRequest("POST", "/todos", strings.NewReader(`{"title":"Buy groceries","due":"2026-12-01","tags":["home"]}`))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Authorization", "Bearer bench-token")
		return r
	}
	get := func(id string) *http.Request {
		r := httptest.NewRequest("GET", "/todos/"+id, nil)
		r.Header.Set("Authorization", "Bearer bench-token")
		return r
	}
	run := func(b *testing.B, h http.Handler) {
		b.ReportAllocs()
		for b.Loop() {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, create())
			if w.Code != 201 {
				b.Fatalf("create: %d %s", w.Code, w.Body)
			}
			var item struct{ ID string }
			if err := json.Unmarshal(w.Body.Bytes(), &item); err != nil {
				b.Fatal(err)
			}
			w = httptest.NewRecorder()
			h.ServeHTTP(w, get(item.ID))
			if w.Code != 200 {
				b.Fatalf("get: %d %s", w.Code, w.Body)
			}
		}
	}
	b.Run("stateless-create+get", func(b *testing.B) { run(b, newMock(b, doc)) })
	b.Run("memory-create+get", func(b *testing.B) {
		// A store large enough that eviction never runs during the benchmark's warm-up.
		s, err := mockserver.New(doc, mocktest.HookAPIOptions(mockserver.Options{Stateful: true}))
		if err != nil {
			b.Fatal(err)
		}
		run(b, s)
	})
}
