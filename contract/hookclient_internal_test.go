package contract

import (
	"net/http"
	"testing"

	"github.com/hookkit/hookkit/openapi"
)

// TestHookCasesUseTheGeneratedClient pins which cases go through the generated client:
// the hook API's positive cases, and nothing of another document.
func TestHookCasesUseTheGeneratedClient(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Default()
	if err != nil {
		t.Fatal(err)
	}
	cases, err := Plan(doc, Options{BaseURL: "http://127.0.0.1:1", Positive: 2})
	if err != nil {
		t.Fatal(err)
	}
	h := newHookSender(doc, "http://127.0.0.1:1", http.DefaultClient, credentials{doc: doc})
	if h == nil {
		t.Fatal("the hook document is not recognised as the hook API")
	}
	typed := 0
	for _, c := range cases {
		if got, want := h.fits(c), c.Kind == Positive; got != want {
			t.Errorf("case %s: through the generated client = %v, want %v", c.ID, got, want)
		}
		if h.fits(c) {
			typed++
		}
	}
	if typed != 4 {
		t.Errorf("%d typed cases, want 4 (2 examples + 2 synthesized)", typed)
	}
	other, err := openapi.Load("testdata/inventory.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if newHookSender(other, "http://127.0.0.1:1", http.DefaultClient, credentials{doc: other}) != nil {
		t.Error("another document is sent through the hook client")
	}
}
