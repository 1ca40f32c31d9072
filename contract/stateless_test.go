package contract_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hookkit/hookkit/contract"
	"github.com/hookkit/hookkit/mockserver"
	"github.com/hookkit/hookkit/mockserver/mocktest"
	"github.com/hookkit/hookkit/openapi"
)

// TestStatefulSkipsStatelessMock: `hookkit check` against `hookkit mock` of the same
// document, both with their defaults, reports nothing: the mock keeps no state unless
// asked, says so on its health endpoint, and the checker then skips its sequences with a
// reason naming the remedy. Asked for them (--stateful=true) it runs them and they fail
// there; a target that is not a hookkit mock gets them as before, and so does a stateful
// mock.
func TestStatefulSkipsStatelessMock(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Load("../mockserver/testdata/crud.yaml")
	if err != nil {
		t.Fatal(err)
	}
	stateless := mocktest.Start(t, mocktest.WithDocument(doc))
	stateful := mocktest.Start(t, mocktest.WithDocument(doc), mocktest.WithOptions(mockserver.Options{Stateful: true}))
	// The stateless mock behind a server without the admin API: not known to be a mock.
	hidden := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/__admin/") {
			http.NotFound(w, r)
			return
		}
		stateless.Server.ServeHTTP(w, r)
	}))
	t.Cleanup(hidden.Close)
	tests := []struct {
		name        string
		url         string
		mode        contract.StatefulMode
		wantOutcome contract.Outcome
	}{
		{"stateless mock, auto", stateless.URL, contract.StatefulAuto, contract.Skipped},
		{"stateless mock, on", stateless.URL, contract.StatefulOn, contract.Fail},
		{"not a hookkit mock, auto", hidden.URL, contract.StatefulAuto, contract.Fail},
		{"stateful mock, auto", stateful.URL, contract.StatefulAuto, contract.Pass},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := contract.Check(context.Background(), doc, contract.Options{BaseURL: tt.url, Token: testToken, Stateful: tt.mode, Include: []string{"stateful"}})
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Results) == 0 {
				t.Fatal("no sequence planned")
			}
			for _, res := range rep.Results {
				if res.Outcome != tt.wantOutcome {
					t.Errorf("%s: %s (%s), want %s", res.Case.ID, res.Outcome, res.Reason, tt.wantOutcome)
				}
				if tt.wantOutcome == contract.Skipped && !strings.Contains(res.Reason, "--stateful") {
					t.Errorf("the reason does not name the remedy: %q", res.Reason)
				}
			}
		})
	}
}
