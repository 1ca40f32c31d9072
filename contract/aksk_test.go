package contract_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hookkit/hookkit/contract"
	"github.com/hookkit/hookkit/mockserver"
	"github.com/hookkit/hookkit/mockserver/config"
	"github.com/hookkit/hookkit/mockserver/mocktest"
	"github.com/hookkit/hookkit/openapi"
)

func TestPlanAKSKCases(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Default()
	if err != nil {
		t.Fatal(err)
	}
	ids := func(opts contract.Options) string {
		cases, err := contract.Plan(doc, opts)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, c := range cases {
			if strings.Contains(c.ID, "aksk") {
				out = append(out, c.ID+":"+c.Signing)
			}
		}
		return strings.Join(out, ",")
	}
	if got := ids(contract.Options{BaseURL: "http://x", Token: "t"}); got != "" {
		t.Errorf("token run plans AK/SK cases: %s", got)
	}
	want := "createProjectHook/negative/aksk-wrong-signature:wrong-signature,createProjectHook/negative/aksk-stale-date:stale-date"
	if got := ids(contract.Options{BaseURL: "http://x", AccessKey: "AK", SecretKey: "SK"}); got != want {
		t.Errorf("AK/SK cases %s, want %s", got, want)
	}
	if _, err := contract.Check(context.Background(), doc, contract.Options{BaseURL: "http://x", AccessKey: "AK"}); err == nil || !strings.Contains(err.Error(), "give both") {
		t.Errorf("access key alone: err = %v", err)
	}
}

// TestCheckAKSKAgainstMock: a checker signing with the key the mock reads from a file
// passes every case; with the checker's clock an hour behind the mock's, even correctly
// signed cases are refused as stale, which shows the date is really checked.
func TestCheckAKSKAgainstMock(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Default()
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse([]byte("auth:\n  aksk:\n    - accessKey: AKC\n      secretKeyFile: testdata/aksk-secret.txt\n"), "mock.yaml")
	if err != nil {
		t.Fatal(err)
	}
	m := mocktest.Start(t, mocktest.WithOptions(mockserver.Options{Config: cfg}))
	opts := contract.Options{BaseURL: m.URL, AccessKey: "AKC", SecretKey: "contract-test-secret-key"}
	rep, err := contract.Check(context.Background(), doc, opts)
	if err != nil {
		t.Fatal(err)
	}
	var text bytes.Buffer
	_ = rep.WriteText(&text, true)
	if !rep.Passed() {
		t.Fatalf("check failed:\n%s", text.String())
	}
	if strings.Contains(text.String(), "contract-test-secret-key") {
		t.Error("the report shows the secret key")
	}
	// -v shows what each signature covers, but not the SHA-256 of a body that holds the
	// hook's secret: it would let a reader test guesses of a weak secret offline.
	hidden := 0
	for _, r := range rep.Results {
		// Positive cases send a whole hook, secret included.
		if r.CanonicalRequest == "" || !strings.Contains(r.Case.ID, "/positive/") {
			continue
		}
		lines := strings.Split(r.CanonicalRequest, "\n")
		if last := lines[len(lines)-1]; last != openapi.Redacted+" (SHA-256 of a body with a secret field)" {
			t.Errorf("%s: canonical request ends with %q, want the body hash hidden", r.Case.ID, last)
		}
		hidden++
	}
	if hidden == 0 {
		t.Error("no signed positive case to look at")
	}
	opts.Clock = func() time.Time { return time.Now().Add(-time.Hour) }
	opts.Include = []string{"positive"}
	rep, err = contract.Check(context.Background(), doc, opts)
	if err != nil {
		t.Fatal(err)
	}
	text.Reset()
	_ = rep.WriteText(&text, false)
	if rep.Passed() || !strings.Contains(text.String(), "more than the allowed clock skew") {
		t.Errorf("signatures an hour old passed:\n%s", text.String())
	}
}

// TestNoAKSKSignatureInAnyOutput: a server that quotes the AK/SK signatures it got (the
// whole Authorization header, and the signature alone, in its body and a header) leaks
// none of them, nor the secret key, into any report.
func TestNoAKSKSignatureInAnyOutput(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var sigs []string
	echo := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		_, sig, _ := strings.Cut(auth, "Signature=")
		if sig != "" {
			mu.Lock()
			sigs = append(sigs, sig)
			mu.Unlock()
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Echo", sig)
		w.WriteHeader(400)
		_, _ = w.Write([]byte(`{"error_code":"SVCSTG.REPO.0401","error_msg":"signature ` + sig + ` does not match; header was ` + auth + `"}`))
	})
	rep := runCheck(t, hookDoc(t), echo, func(o *contract.Options) {
		o.Token, o.AccessKey, o.SecretKey = "", "HPUAEXAMPLEAK", "contract-test-secret-key"
	})
	out := renderAll(t, rep)
	mu.Lock()
	defer mu.Unlock()
	if len(sigs) < 3 {
		t.Fatalf("only %d signed requests reached the server", len(sigs))
	}
	for _, sig := range sigs {
		if strings.Contains(out, sig) {
			t.Fatalf("the signature %s leaked:\n%s", sig, out)
		}
	}
	if strings.Contains(out, "contract-test-secret-key") {
		t.Error("the secret key leaked")
	}
}

// TestAKSKRefusalIsACredentialProblem: a refused AK/SK signature is a credential problem
// like a missing credential. Where the operation declares 401 (statuses.yaml with AK/SK as
// an alternative to its bearer scheme), the mock answers it 401 and the checker's AK/SK
// negatives pass; a server that answers 400 to them breaks negative-status, case by case.
// (The hook API, which declares only 400, keeps 400 with SVCSTG.REPO.0401: hookapi tests.)
func TestAKSKRefusalIsACredentialProblem(t *testing.T) {
	t.Parallel()
	doc, cfg := withAKSK(t, "../openapi/testdata/realworld/statuses.yaml", "bearer")
	mock, err := mockserver.New(doc, mocktest.HookAPIOptions(mockserver.Options{Config: cfg}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = mock.Close() })
	// to400 answers 400 where the mock refuses a signed request with 401.
	to400 := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		mock.ServeHTTP(rec, r)
		status := rec.Code
		if status == http.StatusUnauthorized && strings.HasPrefix(r.Header.Get("Authorization"), "SDK-HMAC-SHA256") {
			status = http.StatusBadRequest
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(status)
		_, _ = w.Write(rec.Body.Bytes())
	})
	signed := func(o *contract.Options) {
		o.Token, o.AccessKey, o.SecretKey = "", "AKC", "contract-test-secret-key"
		o.Set, o.Include, o.Stateful = nil, []string{"createTodo"}, contract.StatefulOff
	}
	rep := runCheck(t, doc, mock, signed)
	statuses := map[string]int{}
	for _, r := range rep.Results {
		if r.Exchange != nil && r.Exchange.Response != nil {
			statuses[r.Case.ID] = r.Exchange.Response.Status
		}
	}
	if got := failed(rep); len(got) != 0 || statuses["createTodo/negative/aksk-wrong-signature"] != 401 || statuses["createTodo/negative/aksk-stale-date"] != 401 {
		var b strings.Builder
		_ = rep.WriteText(&b, false)
		t.Fatalf("against the mock: failures %q, statuses %v\n%s", got, statuses, b.String())
	}
	want := []string{"createTodo/negative/aksk-stale-date negative-status", "createTodo/negative/aksk-wrong-signature negative-status"}
	if got := failed(runCheck(t, doc, to400, signed)); !slices.Equal(got, want) {
		t.Fatalf("against a server answering 400: failures %q, want %q", got, want)
	}
}

// withAKSK loads the document at src with AK/SK (SDK-HMAC-SHA256) added as an alternative
// to its top-level security scheme named scheme, and returns it with a mock config that
// verifies the checker's test key (AKC, testdata/aksk-secret.txt).
func withAKSK(t *testing.T, src, scheme string) (*openapi.Document, *config.Config) {
	t.Helper()
	raw, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	security := "security:\n  - " + scheme + ": []\n"
	if !strings.Contains(string(raw), security) || !strings.Contains(string(raw), "  securitySchemes:\n") {
		t.Fatalf("%s has no top-level security %q", src, scheme)
	}
	text := strings.Replace(string(raw), security, security+"  - AKSK: []\n", 1)
	text = strings.Replace(text, "  securitySchemes:\n", "  securitySchemes:\n    AKSK:\n      type: http\n      scheme: SDK-HMAC-SHA256\n      description: AK/SK signature.\n", 1)
	path := filepath.Join(t.TempDir(), strings.TrimSuffix(filepath.Base(src), ".yaml")+"-aksk.yaml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	doc, err := openapi.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse([]byte("auth:\n  aksk:\n    - accessKey: AKC\n      secretKeyFile: testdata/aksk-secret.txt\n"), "mock.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return doc, cfg
}
