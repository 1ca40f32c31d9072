package contract_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hookkit/hookkit/contract"
	"github.com/hookkit/hookkit/mockserver/mocktest"
	"github.com/hookkit/hookkit/openapi"
)

// TestCheckAgainstMock is the kit's self-test: the checker and the mock read the same
// document and must agree on every case, examples, synthesized and negative ones alike.
func TestCheckAgainstMock(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("../mockserver/testdata/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	docs := []string{openapi.DefaultSource}
	docs = append(docs, files...)
	for _, src := range docs {
		t.Run(filepath.Base(src), func(t *testing.T) {
			t.Parallel()
			doc := hookDoc(t)
			if src != openapi.DefaultSource {
				var err error
				if doc, err = openapi.Load(src); err != nil {
					t.Fatal(err)
				}
			}
			m := mocktest.Start(t, mocktest.WithDocument(doc), mocktest.WithConfig(tokenConfig(t)))
			start := time.Now()
			rep, err := contract.Check(context.Background(), doc, contract.Options{
				BaseURL: m.URL, Token: testToken, Positive: 5, Seed: 7,
				Stateful: contract.StatefulOff, // a stateless mock keeps nothing: see stateful_test.go
			})
			if err != nil {
				t.Fatal(err)
			}
			elapsed := time.Since(start)
			pass, fail, other := rep.Counts()
			if fail > 0 || other > 0 || pass == 0 {
				var b strings.Builder
				_ = rep.WriteText(&b, false)
				t.Fatalf("%d passed, %d failed, %d other:\n%s", pass, fail, other, b.String())
			}
			t.Logf("%d cases passed in %s", pass, elapsed)
		})
	}
}
