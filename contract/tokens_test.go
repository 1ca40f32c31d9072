package contract_test

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hookkit/hookkit/contract"
	"github.com/hookkit/hookkit/mockserver/config"
	"github.com/hookkit/hookkit/mockserver/mocktest"
	"github.com/hookkit/hookkit/openapi"
)

// tokenConfig is a mock config accepting only testToken, read from a file as users do.
func tokenConfig(t *testing.T) *config.Config {
	t.Helper()
	path := filepath.Join(t.TempDir(), "tokens.txt")
	if err := os.WriteFile(path, []byte("# accepted\n"+testToken+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse(fmt.Appendf(nil, "auth:\n  tokens:\n    - file: %q\n", path), "tokens.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestInvalidCredential: the invalid-credential case sends a well-formed wrong token. The
// mock with auth.tokens refuses it with the declared credential status; the mock without
// tokens accepts it, and the case is skipped with a note rather than failed; a server that
// accepts it without saying so fails negative-rejected.
func TestInvalidCredential(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Load("../openapi/testdata/realworld/statuses.yaml")
	if err != nil {
		t.Fatal(err)
	}
	const id = "createTodo/negative/invalid-credential"
	// The stateful sequences through createTodo are selected by its id too; they are not
	// this test's subject (and need a stateful mock).
	only := func(o *contract.Options) {
		o.Set, o.Include, o.Exclude = nil, []string{"createTodo"}, []string{"stateful"}
	}
	result := func(rep *contract.Report) contract.Result {
		for _, r := range rep.Results {
			if r.Case.ID == id {
				return r
			}
		}
		t.Fatalf("no %s case", id)
		return contract.Result{}
	}

	t.Run("mock with tokens refuses", func(t *testing.T) {
		t.Parallel()
		m := mocktest.Start(t, mocktest.WithDocument(doc), mocktest.WithConfig(tokenConfig(t)))
		rep := runCheck(t, doc, m.Server, only)
		r := result(rep)
		if r.Outcome != contract.Pass || r.Exchange.Response.Status != http.StatusUnauthorized {
			t.Errorf("%s: %s %d, want pass 401", id, r.Outcome, r.Exchange.Response.Status)
		}
		if got := failed(rep); len(got) > 0 {
			t.Errorf("failures %q", got)
		}
	})
	t.Run("mock without tokens: skipped with a note", func(t *testing.T) {
		t.Parallel()
		m := mocktest.Start(t, mocktest.WithDocument(doc))
		r := result(runCheck(t, doc, m.Server, only))
		if r.Outcome != contract.Skipped || !strings.Contains(r.Reason, "auth.tokens") {
			t.Errorf("%s: %s (%s), want skipped naming auth.tokens", id, r.Outcome, r.Reason)
		}
	})
	t.Run("server accepting a wrong token", func(t *testing.T) {
		t.Parallel()
		h := flawedTodos(t, doc, func(r *http.Request, _ map[string]any) (int, bool) {
			return 201, r.Header.Get("Authorization") == "Bearer "+contract.InvalidCredential
		})
		rep := runCheck(t, doc, h, only)
		if got, want := failed(rep), []string{id + " negative-rejected"}; !slices.Equal(got, want) {
			t.Errorf("failures %q, want %q", got, want)
		}
	})
}
