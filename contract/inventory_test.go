package contract_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/hookkit/hookkit/contract"
	"github.com/hookkit/hookkit/openapi"
)

func inventoryDoc(t testing.TB) *openapi.Document {
	t.Helper()
	doc, err := openapi.Load("testdata/inventory.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// inventoryServer implements testdata/inventory.yaml; missingHeader drops the declared
// X-Request-Id response header.
func inventoryServer(missingHeader bool) http.Handler {
	return inventoryServerWith(inventoryFlaws{missingHeader: missingHeader})
}

// inventoryFlaws are the ways the inventory test server can break the document.
type inventoryFlaws struct {
	missingHeader bool // no X-Request-Id on 200
	anyFields     bool // accepts a fields value outside its enum
	anyMethod     bool // answers 200 to every method
}

func inventoryServerWith(f inventoryFlaws) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		bad := func(title string) {
			w.WriteHeader(400)
			_, _ = w.Write([]byte(`{"title":"` + title + `"}`))
		}
		fields := r.URL.Query().Get("fields")
		switch {
		case r.Method != http.MethodGet && !f.anyMethod:
			w.Header().Set("Allow", "GET")
			w.WriteHeader(405)
			_, _ = w.Write([]byte(`{"title":"method not allowed"}`))
		case !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") || r.Header.Get("Authorization") == "Bearer "+contract.InvalidCredential:
			w.WriteHeader(401)
			_, _ = w.Write([]byte(`{"title":"unauthorized"}`))
		case fields == "":
			bad("fields is required")
		case fields != "all" && fields != "short" && !f.anyFields:
			bad("fields must be all or short")
		default:
			if !f.missingHeader {
				w.Header().Set("X-Request-Id", "r-1")
			}
			_, _ = w.Write([]byte(`{"id":7,"name":"hammer"}`))
		}
	})
}

// TestCheckGenericDocument runs the generic request builder (path, query, bearer token),
// the response header check, and the strict negatives against servers that break them.
func TestCheckGenericDocument(t *testing.T) {
	t.Parallel()
	doc := inventoryDoc(t)
	tests := []struct {
		name  string
		flaws inventoryFlaws
		want  []string
	}{
		{name: "compliant"},
		{name: "missing declared response header", flaws: inventoryFlaws{missingHeader: true}, want: []string{
			"getItem/positive/parameters headers",
			"getItem/positive/synthesized-1 headers",
			"getItem/positive/synthesized-2 headers",
		}},
		{name: "accepts a value outside the enum", flaws: inventoryFlaws{anyFields: true}, want: []string{
			"getItem/negative/query-fields-enum negative-rejected",
		}},
		{name: "answers 200 to an undeclared method", flaws: inventoryFlaws{anyMethod: true}, want: []string{
			"getItem/negative/undeclared-method-delete negative-rejected",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rep := runCheck(t, doc, inventoryServerWith(tt.flaws), func(o *contract.Options) {
				o.Set, o.Positive = nil, 2
			})
			if got := failed(rep); !slices.Equal(got, tt.want) {
				var b strings.Builder
				_ = rep.WriteText(&b, true)
				t.Errorf("failures\n got %q\nwant %q\n%s", got, tt.want, b.String())
			}
			var ids []string
			for _, r := range rep.Results {
				ids = append(ids, r.Case.ID)
			}
			wantIDs := []string{"getItem/positive/parameters", "getItem/positive/synthesized-1", "getItem/positive/synthesized-2",
				"getItem/negative/missing-query-fields", "getItem/negative/missing-credential", "getItem/negative/invalid-credential", "getItem/negative/query-fields-enum",
				"getItem/negative/undeclared-method-delete"}
			if !slices.Equal(ids, wantIDs) {
				t.Errorf("cases %q, want %q", ids, wantIDs)
			}
		})
	}
}

// TestTransportWrapsAnyClient uses the validating transport the way a Go program would:
// around its own http.Client, reading bodies normally.
func TestTransportWrapsAnyClient(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(inventoryServer(true))
	defer srv.Close()
	journal := contract.NewJournal(10)
	var seen []*contract.Exchange
	tr := contract.NewTransport(inventoryDoc(t), nil, contract.TransportOptions{Journal: journal,
		OnExchange: func(ex *contract.Exchange) { seen = append(seen, ex) }})
	client := &http.Client{Transport: tr}
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, srv.URL+"/items/7?fields=all", nil)
	req.Header.Set("Authorization", "Bearer "+testToken)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := ioReadAll(resp)
	if body != `{"id":7,"name":"hammer"}` {
		t.Errorf("the transport changed the body the caller reads: %q", body)
	}
	entries, _ := journal.Entries()
	if len(seen) != 1 || len(entries) != 1 {
		t.Fatalf("seen %d exchanges, journal %d; want 1 and 1", len(seen), len(entries))
	}
	ex := entries[0]
	if ex.Operation != "getItem" || len(ex.Findings) != 1 || ex.Findings[0].Check != contract.Headers || ex.Findings[0].Name != "X-Request-Id" {
		t.Errorf("exchange: %+v", ex)
	}
	if got := ex.Request.Header.Get("Authorization"); got != openapi.Redacted {
		t.Errorf("Authorization recorded as %q, want it redacted", got)
	}
}
