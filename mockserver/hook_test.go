package mockserver_test

import (
	"context"
	"net/http"
	"sync"
	"testing"

	"github.com/hookkit/hookkit/generated"
	"github.com/hookkit/hookkit/mockserver/mocktest"
)

func withToken(tok string) generated.ClientOption {
	return generated.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
		req.Header.Set("X-Auth-Token", tok)
		return nil
	})
}

// TestGeneratedClientRoundTrip drives the hook API the way a Go client does: path values
// with ":" and an encoded "/", headers, body, and both typed responses.
func TestGeneratedClientRoundTrip(t *testing.T) {
	t.Parallel()
	m := mocktest.Start(t, mocktest.WithConfig(mustConfig(t, "hooks:\n  types:\n    my-gitlab-auth: gitlab\n")))
	client, err := generated.NewClientWithResponses(m.URL, withToken(token))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	body := generated.HookCreate{Secret: hookSec, Url: "https://example.com/webhook"}

	first, err := client.CreateProjectHookWithResponse(ctx, "0b5f4e1a", "team/sub", "group:app", &generated.CreateProjectHookParams{XRepoAuth: "my-github-auth"}, body)
	if err != nil {
		t.Fatal(err)
	}
	if first.StatusCode() != http.StatusOK || first.JSON200 == nil {
		t.Fatalf("status %d, body %s", first.StatusCode(), first.Body)
	}
	if first.JSON200.CallbackUrl != body.Url || first.JSON200.Type != "github" || first.JSON200.Id == "" {
		t.Fatalf("hook = %+v", *first.JSON200)
	}

	second, err := client.CreateProjectHookWithResponse(ctx, "0b5f4e1a", "team/sub", "group:app", &generated.CreateProjectHookParams{XRepoAuth: "my-gitlab-auth"}, body)
	if err != nil {
		t.Fatal(err)
	}
	if second.JSON200 == nil || second.JSON200.Id == first.JSON200.Id || second.JSON200.Type != "gitlab" {
		t.Fatalf("second hook = %s (first id %s)", second.Body, first.JSON200.Id)
	}

	hooks := m.HookAPI.Hooks()
	if len(hooks) != 2 || hooks[0].Namespace != "team/sub" || hooks[0].Project != "group:app" || hooks[0].ProjectID != "0b5f4e1a" {
		t.Fatalf("stored hooks = %+v", hooks)
	}

	bad, err := client.CreateProjectHookWithResponse(ctx, "0b5f4e1a", "team/sub", "group:app", &generated.CreateProjectHookParams{XRepoAuth: "a"}, generated.HookCreate{Secret: hookSec, Url: "not a url"})
	if err != nil {
		t.Fatal(err)
	}
	if bad.StatusCode() != http.StatusBadRequest || bad.JSON400 == nil || bad.JSON400.ErrorCode != "SVCSTG.REPO.0422" {
		t.Fatalf("invalid url: status %d body %s", bad.StatusCode(), bad.Body)
	}

	anon, err := generated.NewClientWithResponses(m.URL)
	if err != nil {
		t.Fatal(err)
	}
	noToken, err := anon.CreateProjectHookWithResponse(ctx, "p", "n", "x", &generated.CreateProjectHookParams{XRepoAuth: "a"}, body)
	if err != nil {
		t.Fatal(err)
	}
	if noToken.JSON400 == nil || noToken.JSON400.ErrorCode != "SVCSTG.REPO.0401" || noToken.JSON400.ErrorMsg != "header X-Auth-Token is required" {
		t.Fatalf("no token: status %d body %s", noToken.StatusCode(), noToken.Body)
	}
}

func TestOnDuplicate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		policy     string
		wantStatus int
		sameID     bool
		stored     int
	}{
		{"create", http.StatusOK, false, 2},
		{"reuse", http.StatusOK, true, 1},
		{"reject", http.StatusBadRequest, false, 1},
	}
	for _, tc := range tests {
		t.Run(tc.policy, func(t *testing.T) {
			t.Parallel()
			m := mocktest.Start(t, mocktest.WithConfig(mustConfig(t, "hooks:\n  onDuplicate: "+tc.policy+"\n")))
			first := do(t, hookRequest(t, m.URL, validBody))
			second := do(t, hookRequest(t, m.URL, validBody))
			if first.status != http.StatusOK || second.status != tc.wantStatus {
				t.Fatalf("statuses %d, %d; want 200, %d: %s", first.status, second.status, tc.wantStatus, second.body)
			}
			if tc.wantStatus == http.StatusOK {
				if same := first.json(t)["id"] == second.json(t)["id"]; same != tc.sameID {
					t.Fatalf("same id = %v, want %v", same, tc.sameID)
				}
			} else if got := second.json(t)["error_code"]; got != "SVCSTG.REPO.0409" {
				t.Fatalf("error_code = %v", got)
			}
			// Another repository is never a duplicate.
			other := hookRequest(t, m.URL, validBody)
			other.URL.Path = "/v1/0b5f4e1a/git/repos/devcloud-team/other/hooks"
			if r := do(t, other); r.status != http.StatusOK {
				t.Fatalf("other repo: %d %s", r.status, r.body)
			}
			if got := len(m.HookAPI.Hooks()); got != tc.stored+1 {
				t.Fatalf("stored %d hooks, want %d", got, tc.stored+1)
			}
		})
	}
}

// TestConcurrentCreates creates hooks from many goroutines: every id is unique, and under
// the reject policy exactly one creation of the same url wins.
func TestConcurrentCreates(t *testing.T) {
	t.Parallel()
	for _, policy := range []string{"create", "reject"} {
		t.Run(policy, func(t *testing.T) {
			t.Parallel()
			m := mocktest.Start(t, mocktest.WithConfig(mustConfig(t, "hooks:\n  onDuplicate: "+policy+"\n")))
			const n = 40
			results := make(chan reply, n)
			var wg sync.WaitGroup
			for range n {
				wg.Go(func() { results <- do(t, hookRequest(t, m.URL, validBody)) })
			}
			wg.Wait()
			close(results)
			ids := map[string]bool{}
			created := 0
			for r := range results {
				if r.status == http.StatusOK {
					created++
					ids[r.json(t)["id"].(string)] = true
				}
			}
			want := n
			if policy == "reject" {
				want = 1
			}
			if created != want || len(ids) != want || len(m.HookAPI.Hooks()) != want {
				t.Fatalf("created %d hooks with %d distinct ids (%d stored), want %d", created, len(ids), len(m.HookAPI.Hooks()), want)
			}
		})
	}
}
