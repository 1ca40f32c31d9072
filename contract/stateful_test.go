package contract_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hookkit/hookkit/contract"
	"github.com/hookkit/hookkit/mockserver"
	"github.com/hookkit/hookkit/mockserver/journal"
	"github.com/hookkit/hookkit/mockserver/mocktest"
	"github.com/hookkit/hookkit/openapi"
)

func loadTestdata(t *testing.T, name string) *openapi.Document {
	t.Helper()
	if name == "hooks" {
		return hookDoc(t)
	}
	doc, err := openapi.Load("../mockserver/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestStatefulCheckAgainstStatefulMock: every sequence passes against the stateful mock,
// for a document with links and nested collections, one inferred from path shapes alone,
// and the hook API (whose only operation is a create: nothing to sequence).
func TestStatefulCheckAgainstStatefulMock(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		doc       string
		sequences int
	}{
		{"projects.yaml", 2},
		{"crud.yaml", 1},
		{"hooks", 0},
	} {
		t.Run(tc.doc, func(t *testing.T) {
			t.Parallel()
			doc := loadTestdata(t, tc.doc)
			m := mocktest.Start(t, mocktest.WithDocument(doc), mocktest.WithOptions(mockserver.Options{Stateful: true}))
			rep, err := contract.Check(context.Background(), doc, contract.Options{BaseURL: m.URL, Token: testToken})
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			_ = rep.WriteText(&b, true)
			if !rep.Passed() {
				t.Fatalf("report:\n%s", b.String())
			}
			n := 0
			for _, r := range rep.Results {
				if r.Case.Kind == contract.Stateful {
					n++
					if len(r.Steps) < 3 || len(r.Resources) == 0 || !strings.Contains(r.Curl, "# step 2:") {
						t.Errorf("sequence %s: %d steps, resources %v, curl:\n%s", r.Case.ID, len(r.Steps), r.Resources, r.Curl)
					}
				}
			}
			if n != tc.sequences {
				t.Fatalf("%d stateful cases, want %d:\n%s", n, tc.sequences, b.String())
			}
		})
	}
}

// TestStatefulCheckFindsFaults: purpose-built servers, each the stateful mock with one
// fault, are each caught by the check that names the fault.
func TestStatefulCheckFindsFaults(t *testing.T) {
	t.Parallel()
	item := regexp.MustCompile(`^/projects/([^/]+)$`)
	for _, tc := range []struct {
		name  string
		fault func(next http.Handler) http.Handler
		check contract.CheckName
	}{
		{"loses-created-resource", func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodGet && item.MatchString(r.URL.Path) && !strings.HasSuffix(r.URL.Path, "/prj-1") {
					r.URL.Path = "/projects/lost"
				}
				next.ServeHTTP(w, r)
			})
		}, contract.CreatedAvailable},
		{"serves-after-delete", func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodDelete && item.MatchString(r.URL.Path) {
					w.WriteHeader(http.StatusNoContent) // says deleted, keeps it
					return
				}
				next.ServeHTTP(w, r)
			})
		}, contract.UseAfterDelete},
		{"returns-another-resource", func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodGet && item.MatchString(r.URL.Path) {
					r.URL.Path = "/projects/prj-1" // the seeded project, whatever was asked
				}
				next.ServeHTTP(w, r)
			})
		}, contract.ResourceIdentity},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			doc := loadTestdata(t, "projects.yaml")
			mock, err := mockserver.New(doc, mocktest.HookAPIOptions(mockserver.Options{Stateful: true}))
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(tc.fault(mock))
			t.Cleanup(srv.Close)
			rep, err := contract.Check(context.Background(), doc, contract.Options{BaseURL: srv.URL, Token: testToken, Include: []string{"stateful"}})
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			_ = rep.WriteText(&b, false)
			if rep.Passed() || rep.ExitCode() != 1 {
				t.Fatalf("the fault went unnoticed:\n%s", b.String())
			}
			var checks []contract.CheckName
			for _, r := range rep.Results {
				for _, f := range r.Failures {
					checks = append(checks, f.Check)
				}
			}
			if !slices.Contains(checks, tc.check) {
				t.Fatalf("failed checks %v, want %s among them:\n%s", checks, tc.check, b.String())
			}
			if !strings.Contains(b.String(), "# step 1: create a projects") {
				t.Fatalf("no multi-step reproduction in the report:\n%s", b.String())
			}
		})
	}
}

// TestStatefulOptIn: against a live (non-loopback) target, sequences run only when asked;
// a dry run lists them.
func TestStatefulOptIn(t *testing.T) {
	t.Parallel()
	doc := loadTestdata(t, "projects.yaml")
	count := func(o contract.Options) int {
		rep, err := contract.Check(context.Background(), doc, o)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, r := range rep.Results {
			if r.Case.Kind == contract.Stateful {
				n++
			}
		}
		return n
	}
	live := contract.Options{BaseURL: "https://staging.example.com", DryRun: true}
	if n := count(live); n != 0 {
		t.Fatalf("%d stateful cases planned against a live target by default", n)
	}
	live.Stateful = contract.StatefulOn
	if n := count(live); n != 2 {
		t.Fatalf("%d stateful cases planned with --stateful, want 2", n)
	}
}

// TestStatefulCheckSignedAKSK: against a document that accepts AK/SK, the steps of a
// stateful sequence are signed, pass against the stateful mock that verifies them, and
// the case's curl says the steps must be re-signed, with each step's canonical request
// for -v.
func TestStatefulCheckSignedAKSK(t *testing.T) {
	t.Parallel()
	doc, cfg := withAKSK(t, "../mockserver/testdata/projects.yaml", "ApiKey")
	m := mocktest.Start(t, mocktest.WithDocument(doc), mocktest.WithOptions(mockserver.Options{Config: cfg, Stateful: true}))
	rep, err := contract.Check(context.Background(), doc, contract.Options{BaseURL: m.URL, AccessKey: "AKC", SecretKey: "contract-test-secret-key", Include: []string{"stateful"}})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	_ = rep.WriteText(&b, true)
	if !rep.Passed() {
		t.Fatalf("report:\n%s", b.String())
	}
	n := 0
	for _, r := range rep.Results {
		if r.Case.Kind != contract.Stateful {
			continue
		}
		n++
		if !strings.HasPrefix(r.Curl, "# signed with AK/SK (SDK-HMAC-SHA256)") || !strings.Contains(r.CanonicalRequest, "# step 2:") {
			t.Errorf("sequence %s: curl or canonical request do not show the signing:\n%s\n%s", r.Case.ID, r.Curl, r.CanonicalRequest)
		}
	}
	if n == 0 || !strings.Contains(b.String(), "canonical request (SDK-HMAC-SHA256):") {
		t.Fatalf("%d stateful cases:\n%s", n, b.String())
	}
	if strings.Contains(b.String(), "contract-test-secret-key") {
		t.Error("the report shows the secret key")
	}
	// Signed by the checker, verified by the mock: the journal says so.
	entries := m.Server.Journal().List(journal.Filter{})
	if len(entries) == 0 || !strings.Contains(entries[0].Auth, "signature verified") {
		t.Fatalf("the mock did not verify the signed steps: %+v", entries)
	}
}
