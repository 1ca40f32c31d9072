package mockserver_test

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hookkit/hookkit/mockserver/config"
	"github.com/hookkit/hookkit/mockserver/mocktest"
)

// TestAuthTokensRefuseWrongCredentials drives the hook API's mock with and without
// auth.tokens: with them, only a listed token gets through and a wrong one gets the
// credential error (400 SVCSTG.REPO.0401, the hook API's only 4xx) without its value; without
// them any token is accepted and the answer says it was not verified.
func TestAuthTokensRefuseWrongCredentials(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "tokens.txt")
	if err := os.WriteFile(path, []byte("tok-right\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse(fmt.Appendf(nil, "auth:\n  tokens:\n    - file: %q\n", path), "mock.yaml")
	if err != nil {
		t.Fatal(err)
	}
	with := mocktest.Start(t, mocktest.WithConfig(cfg))
	without := mocktest.Start(t)
	post := func(base, token string) (*http.Response, string) {
		req, _ := http.NewRequest("POST", base+"/v1/p1/git/repos/team/app/hooks", strings.NewReader(`{"secret":"s","url":"https://ci.example.com/h"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Repo-Auth", "a")
		req.Header.Set("X-Auth-Token", token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	tests := []struct {
		name, base, token string
		want              int
		wantBody          string
		verified          bool
	}{
		{name: "listed token", base: with.URL, token: "tok-right", want: 200, verified: true},
		{name: "wrong token", base: with.URL, token: "tok-wrong-SECRET", want: 400, wantBody: `"error_code":"SVCSTG.REPO.0401"`, verified: true},
		{name: "any token without tokens", base: without.URL, token: "tok-wrong-SECRET", want: 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			resp, body := post(tt.base, tt.token)
			if resp.StatusCode != tt.want || !strings.Contains(body, tt.wantBody) {
				t.Fatalf("%d %s, want %d with %s", resp.StatusCode, body, tt.want, tt.wantBody)
			}
			if strings.Contains(body, "SECRET") {
				t.Errorf("the answer shows the token: %s", body)
			}
			if got := resp.Header.Get("Hookkit-Auth-Verified"); (got == "no") == tt.verified {
				t.Errorf("Hookkit-Auth-Verified: %q", got)
			}
		})
	}
}
