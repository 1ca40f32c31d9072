package contract_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hookkit/hookkit/contract"
	"github.com/hookkit/hookkit/internal/specgen"
	"github.com/hookkit/hookkit/mockserver/mocktest"
	"github.com/hookkit/hookkit/openapi"
)

// realWorldDocuments are the documents reproducing constructs of published APIs (each
// loads with warnings), plus a generated document over 2 MB mixing them.
func realWorldDocuments(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("../openapi/testdata/realworld/*.yaml")
	if err != nil || len(files) < 3 {
		t.Fatalf("realworld documents: %v (%d found)", err, len(files))
	}
	big := filepath.Join(t.TempDir(), "mix.yaml")
	data := specgen.RealWorldMix(2 << 20)
	if err := os.WriteFile(big, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return append(files, big)
}

// TestSelfCheckRealWorld is the self-consistency test for documents users bring: the
// checker run against the mock of the same document, with three synthesized positive
// cases per operation, reports nothing.
func TestSelfCheckRealWorld(t *testing.T) {
	t.Parallel()
	for _, src := range realWorldDocuments(t) {
		t.Run(filepath.Base(src), func(t *testing.T) {
			t.Parallel()
			doc, err := openapi.Load(src)
			if err != nil {
				t.Fatal(err)
			}
			if len(doc.Warnings) == 0 {
				t.Error("no load warnings: the document no longer reproduces what it should")
			}
			m := mocktest.Start(t, mocktest.WithDocument(doc), mocktest.WithConfig(tokenConfig(t)))
			if w := m.Server.Warnings(); len(w) > 0 {
				t.Errorf("the mock cannot build every answer: %v", w)
			}
			rep, err := contract.Check(context.Background(), doc, contract.Options{BaseURL: m.URL, Token: testToken, Positive: 3, Seed: 7})
			if err != nil {
				t.Fatal(err)
			}
			pass, fail, other := rep.Counts()
			if fail > 0 || other > 0 || pass == 0 {
				var b strings.Builder
				_ = rep.WriteText(&b, false)
				t.Fatalf("%d passed, %d failed, %d other:\n%s", pass, fail, other, b.String())
			}
			t.Logf("%d operations, %d cases passed", len(doc.Operations), pass)
		})
	}
}
