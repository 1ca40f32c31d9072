package contract_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hookkit/hookkit/contract"
	"github.com/hookkit/hookkit/internal/specgen"
	"github.com/hookkit/hookkit/mockserver"
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

// selfCheckDocuments are every testdata document: the embedded hook API, the mock's
// testdata (the stateful mock's projects.yaml among them) and the real-world ones.
func selfCheckDocuments(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("../mockserver/testdata/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("mock testdata: %v (%d found)", err, len(files))
	}
	return append(append([]string{openapi.DefaultSource}, files...), realWorldDocuments(t)...)
}

// TestSelfCheckRealWorld is the self-consistency test for every testdata document (the
// hook API, the mock's testdata with the stateful mock's projects.yaml, the real-world
// ones): the checker run against the mock of the same document, with three synthesized
// positive cases per operation, reports nothing. It runs against two mocks of each
// document: the stateless one, which keeps nothing, so the stateful sequences (which the
// checker runs against loopback targets by default) are off; and the stateful one (memory
// store), with the sequences on, whose every answer (created, stored, listed, updated
// resources) must be as valid against the document as the stateless mock's. The document
// is loaded once per subtest and shared by both mocks, which keeps the 2 MB mix's cost to
// one load.
func TestSelfCheckRealWorld(t *testing.T) {
	t.Parallel()
	for _, src := range selfCheckDocuments(t) {
		realWorld := strings.Contains(src, "realworld") || filepath.Base(src) == "mix.yaml"
		t.Run(filepath.Base(src), func(t *testing.T) {
			t.Parallel()
			doc, err := loadSelfCheck(src)
			if err != nil {
				t.Fatal(err)
			}
			if realWorld && len(doc.Warnings) == 0 {
				t.Error("no load warnings: the document no longer reproduces what it should")
			}
			for _, mode := range []struct {
				name     string
				stateful bool
				checker  contract.StatefulMode
			}{
				{"stateless", false, contract.StatefulAuto},
				{"stateful", true, contract.StatefulAuto},
			} {
				t.Run(mode.name, func(t *testing.T) {
					m := mocktest.Start(t, mocktest.WithDocument(doc), mocktest.WithConfig(tokenConfig(t)), mocktest.WithOptions(mockserver.Options{Stateful: mode.stateful}))
					if w := m.Server.Warnings(); len(w) > 0 {
						t.Errorf("the mock cannot build every answer: %v", w)
					}
					rep, err := contract.Check(context.Background(), doc, contract.Options{BaseURL: m.URL, Token: testToken, Positive: 3, Seed: 7, Stateful: mode.checker})
					if err != nil {
						t.Fatal(err)
					}
					// Against the stateless mock, which says it keeps no state, the
					// sequences are skipped with that reason; nothing else may be.
					skippedStateless := 0
					for _, res := range rep.Results {
						if res.Case.Kind == contract.Stateful && res.Outcome == contract.Skipped && strings.Contains(res.Reason, "keeps no state") {
							skippedStateless++
						}
					}
					if mode.stateful && skippedStateless > 0 {
						t.Errorf("%d sequences skipped against the stateful mock", skippedStateless)
					}
					pass, fail, other := rep.Counts()
					other -= skippedStateless
					if fail > 0 || other > 0 || pass == 0 {
						var b strings.Builder
						_ = rep.WriteText(&b, false)
						t.Fatalf("%d passed, %d failed, %d other:\n%s", pass, fail, other, b.String())
					}
					t.Logf("%d operations, %d cases passed", len(doc.Operations), pass)
				})
			}
		})
	}
}

func loadSelfCheck(src string) (*openapi.Document, error) {
	if src == openapi.DefaultSource {
		return openapi.Default()
	}
	return openapi.Load(src)
}
