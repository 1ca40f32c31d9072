package hookapi

import (
	"net/http/httptest"
	"testing"

	"github.com/hookkit/hookkit/generated"
)

// TestWriteJSONAsGenerated pins the typed handler's response writing to the generated
// Visit methods it replaces: the same status, headers and bytes (trailing newline and
// HTML escaping included).
func TestWriteJSONAsGenerated(t *testing.T) {
	tests := []struct {
		name   string
		status int
		resp   generated.CreateProjectHookResponseObject
	}{
		{"200", 200, generated.CreateProjectHook200JSONResponse{Id: "1001", Type: "github", CallbackUrl: "https://example.com/hook?a=1&b=<2>"}},
		{"400", 400, generated.CreateProjectHook400JSONResponse{ErrorCode: "SVCSTG.REPO.0420", ErrorMsg: "a hook with this url already exists on repository \"x/y\" (id 7)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := httptest.NewRecorder()
			if err := tt.resp.VisitCreateProjectHookResponse(want); err != nil {
				t.Fatal(err)
			}
			for range 2 { // the second time through a pooled buffer
				got := httptest.NewRecorder()
				if err := writeJSON(got, tt.status, tt.resp); err != nil {
					t.Fatal(err)
				}
				if got.Code != want.Code || got.Body.String() != want.Body.String() {
					t.Errorf("writeJSON: %d %q, generated: %d %q", got.Code, got.Body, want.Code, want.Body)
				}
				if g, w := got.Header(), want.Header(); len(g) != len(w) || g.Get("Content-Type") != w.Get("Content-Type") {
					t.Errorf("headers %v, generated %v", g, w)
				}
			}
		})
	}
}
