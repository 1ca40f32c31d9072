package contract_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
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

// checkStatefulMock runs the checker (o, its BaseURL set) against the stateful mock (mo)
// of doc, fails the test unless every case passed, and returns the mock, the report and
// its verbose text.
func checkStatefulMock(t *testing.T, doc *openapi.Document, mo mockserver.Options, o contract.Options) (*mocktest.Mock, *contract.Report, string) {
	t.Helper()
	mo.Stateful = true
	m := mocktest.Start(t, mocktest.WithDocument(doc), mocktest.WithOptions(mo))
	o.BaseURL = m.URL
	rep, err := contract.Check(context.Background(), doc, o)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	_ = rep.WriteText(&b, true)
	if !rep.Passed() {
		t.Fatalf("report:\n%s", b.String())
	}
	return m, rep, b.String()
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
			_, rep, b := checkStatefulMock(t, doc, mockserver.Options{}, contract.Options{Token: testToken})
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
				t.Fatalf("%d stateful cases, want %d:\n%s", n, tc.sequences, b)
			}
		})
	}
}

// TestStatefulCheckFindsFaults: purpose-built servers, each the stateful mock with one
// fault, are each caught by the check that names the fault: for projects.yaml, and for
// sequences.yaml, where requests and resources are shaped apart (a create answering an
// assignment record, a list with an array of names beside its page).
func TestStatefulCheckFindsFaults(t *testing.T) {
	t.Parallel()
	item := regexp.MustCompile(`^/projects/([^/]+)$`)
	role := regexp.MustCompile(`^/groups/[^/]+/roles/[^/]+$`)
	for _, tc := range []struct {
		name  string
		fault func(next http.Handler) http.Handler
		check contract.CheckName
		doc   string // "" for projects.yaml
	}{
		{"loses-created-resource", func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodGet && item.MatchString(r.URL.Path) && !strings.HasSuffix(r.URL.Path, "/prj-1") {
					r.URL.Path = "/projects/lost"
				}
				next.ServeHTTP(w, r)
			})
		}, contract.CreatedAvailable, ""},
		{"serves-after-delete", func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodDelete && item.MatchString(r.URL.Path) {
					w.WriteHeader(http.StatusNoContent) // says deleted, keeps it
					return
				}
				next.ServeHTTP(w, r)
			})
		}, contract.UseAfterDelete, ""},
		{"returns-another-resource", func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodGet && item.MatchString(r.URL.Path) {
					r.URL.Path = "/projects/prj-1" // the seeded project, whatever was asked
				}
				next.ServeHTTP(w, r)
			})
		}, contract.ResourceIdentity, ""},
		{"loses-assigned-role", func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodGet && role.MatchString(r.URL.Path) {
					r.URL.Path = r.URL.Path[:strings.LastIndex(r.URL.Path, "/")] + "/lost"
				}
				next.ServeHTTP(w, r)
			})
		}, contract.ResourceIdentity, "sequences"},
		{"lists-no-runs", func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodGet && r.URL.Path == "/runs" {
					w.Header().Set("Content-Type", "application/json")
					_, _ = w.Write([]byte(`{"available_statuses":["queued"],"runs":[]}`))
					return
				}
				next.ServeHTTP(w, r)
			})
		}, contract.ListContains, "sequences"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			doc := loadTestdata(t, "projects.yaml")
			if tc.doc != "" {
				var err error
				if doc, err = openapi.Load("../openapi/testdata/realworld/" + tc.doc + ".yaml"); err != nil {
					t.Fatal(err)
				}
			}
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
			if tc.doc == "" && !strings.Contains(b.String(), "# step 1: create a projects") {
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
	m, rep, b := checkStatefulMock(t, doc, mockserver.Options{Config: cfg}, contract.Options{AccessKey: "AKC", SecretKey: "contract-test-secret-key", Include: []string{"stateful"}})
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
	if n == 0 || !strings.Contains(b, "canonical request (SDK-HMAC-SHA256):") {
		t.Fatalf("%d stateful cases:\n%s", n, b)
	}
	if strings.Contains(b, "contract-test-secret-key") {
		t.Error("the report shows the secret key")
	}
	// Signed by the checker, verified by the mock: the journal says so.
	entries := m.Server.Journal().List(journal.Filter{})
	if len(entries) == 0 || !strings.Contains(entries[0].Auth, "signature verified") {
		t.Fatalf("the mock did not verify the signed steps: %+v", entries)
	}
}

// TestStatefulShapesApart: the sequences of collections whose requests and resources are
// shaped apart (sequences.yaml: a made-up parent id with a different example per
// operation, a list with an array of names beside its page, a GET at the create's path
// answering the resource, a create answering an assignment record, a form create with an
// empty object...) pass against the stateful mock, and each says what it could not
// judge, under its step.
func TestStatefulShapesApart(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Load("../openapi/testdata/realworld/sequences.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, rep, b := checkStatefulMock(t, doc, mockserver.Options{}, contract.Options{Token: testToken, Include: []string{"stateful"}})
	seqs := map[string]contract.Result{}
	for _, r := range rep.Results {
		seqs[strings.TrimPrefix(r.Case.ID, "stateful/")] = r
	}
	notes := func(name string) string {
		var out []string
		for _, s := range seqs[name].Steps {
			if s.Exchange != nil {
				out = append(out, s.Exchange.Notes...)
			}
		}
		return strings.Join(out, "\n")
	}
	// Every step of the sources sequence sends the parent id the first one sent, though
	// each operation's example of it differs.
	src := seqs["sources"]
	if len(src.Steps) < 4 {
		t.Fatalf("sources: %d steps:\n%s", len(src.Steps), b)
	}
	for _, s := range src.Steps {
		if s.Exchange == nil || !strings.Contains(s.Exchange.Request.URL, "/bases/base-a/sources") {
			t.Errorf("sources step %q was not sent under base-a: %+v", s.Name, s.Exchange)
		}
	}
	for name, want := range map[string]string{
		"account": "getAccount answers no array of account resources",
		"tokens":  "the list's tokens property is redacted",
	} {
		if got := notes(name); !strings.Contains(got, want) {
			t.Errorf("%s: notes %q, want %q", name, got, want)
		}
	}
	if !strings.Contains(b, "note: getAccount answers no array") {
		t.Errorf("the report does not show the step's note:\n%s", b)
	}
	// The role assigned is read back as the role the get declares, by the id the
	// create's Location gave.
	roles := seqs["roles"]
	var got *contract.Exchange
	for _, s := range roles.Steps {
		if s.Name == "get the created roles" {
			got = s.Exchange
		}
	}
	if got == nil || got.Response == nil || got.Response.Status != http.StatusOK || !strings.Contains(got.Response.Body, `"permissions"`) {
		t.Fatalf("roles: the created role was not read back:\n%s", b)
	}
}

// TestStatefulSkipsUnbuildableCreate: a sequence whose create requires a body the
// checker cannot send (a multipart upload: OpenAI's voice consents, Stripe's files) is
// skipped with the reason, not failed for a request it never sent; an optional one is
// left out (OpenAI's video characters).
func TestStatefulSkipsUnbuildableCreate(t *testing.T) {
	t.Parallel()
	src := filepath.Join(t.TempDir(), "uploads.yaml")
	if err := os.WriteFile(src, []byte(`openapi: 3.0.3
info: {title: uploads, version: "1"}
paths:
  /uploads:
    post:
      operationId: createUpload
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [file]
              properties:
                file: {type: string, format: binary}
      responses:
        "201":
          description: the upload
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Upload'}
  /uploads/{upload_id}:
    get:
      operationId: getUpload
      parameters:
        - {name: upload_id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: the upload
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Upload'}
        "404": {description: no such upload}
  /avatars:
    post:
      operationId: createAvatar
      requestBody:
        content:
          multipart/form-data:
            schema:
              type: object
              properties:
                image: {type: string, format: binary}
      responses:
        "201":
          description: the avatar
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Upload'}
  /avatars/{avatar_id}:
    get:
      operationId: getAvatar
      parameters:
        - {name: avatar_id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: the avatar
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Upload'}
        "404": {description: no such avatar}
components:
  schemas:
    Upload:
      type: object
      required: [id]
      properties:
        id: {type: string}
        bytes: {type: integer}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	doc, err := openapi.Load(src)
	if err != nil {
		t.Fatal(err)
	}
	m := mocktest.Start(t, mocktest.WithDocument(doc), mocktest.WithOptions(mockserver.Options{Stateful: true}))
	rep, err := contract.Check(context.Background(), doc, contract.Options{BaseURL: m.URL, Include: []string{"stateful"}})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	_ = rep.WriteText(&b, false)
	if len(rep.Results) != 2 {
		t.Fatalf("%d results, want the two sequences:\n%s", len(rep.Results), b.String())
	}
	seqs := map[string]contract.Result{}
	for _, r := range rep.Results {
		seqs[r.Case.ID] = r
	}
	// An optional body the checker cannot build is left out: the create is sent bare.
	if r := seqs["stateful/avatars"]; r.Outcome != contract.Pass || len(r.Steps) < 2 {
		t.Fatalf("avatars: outcome %s, %d steps; want a pass:\n%s", r.Outcome, len(r.Steps), b.String())
	}
	r := seqs["stateful/uploads"]
	want := "cannot build the create request of uploads (createUpload): request media type multipart/form-data"
	if r.Outcome != contract.Skipped || !strings.Contains(r.Reason, want) || len(r.Steps) != 0 {
		t.Fatalf("outcome %s, reason %q, %d steps; want skipped with %q:\n%s", r.Outcome, r.Reason, len(r.Steps), want, b.String())
	}
}
