package mocktest_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/hookkit/hookkit/generated"
	"github.com/hookkit/hookkit/mockserver/config"
	"github.com/hookkit/hookkit/mockserver/mocktest"
	"github.com/hookkit/hookkit/openapi"
)

// TestStart uses the mock the way a Go team would in its own tests.
func TestStart(t *testing.T) {
	t.Parallel()
	m := mocktest.Start(t)
	client, err := generated.NewClientWithResponses(m.URL, generated.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
		r.Header.Set("X-Auth-Token", "t")
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := client.CreateProjectHookWithResponse(context.Background(), "p", "n", "x",
		&generated.CreateProjectHookParams{XRepoAuth: "a"}, generated.HookCreate{Secret: "s", Url: "https://a.example"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.JSON200 == nil || resp.JSON200.CallbackUrl != "https://a.example" {
		t.Fatalf("%d %s", resp.StatusCode(), resp.Body)
	}
	if n := m.Server.Journal().Len(); n != 1 {
		t.Fatalf("journal holds %d entries, want 1", n)
	}
}

func TestStartWithDocumentAndConfig(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Load("../testdata/crud.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse([]byte("journal:\n  size: 0\n"), "inline")
	if err != nil {
		t.Fatal(err)
	}
	m := mocktest.Start(t, mocktest.WithDocument(doc), mocktest.WithConfig(cfg))
	if m.Server.Document() != doc || m.Server.Journal().Cap() != 0 {
		t.Fatal("document or config not used")
	}
	resp, err := http.Get(m.URL + "/nothing")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("status %d", resp.StatusCode)
	}
}
