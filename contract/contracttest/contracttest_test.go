package contracttest_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hookkit/hookkit/contract"
	"github.com/hookkit/hookkit/contract/contracttest"
	"github.com/hookkit/hookkit/openapi"
)

type fakeT struct {
	failed bool
	msg    string
}

func (f *fakeT) Helper() {}
func (f *fakeT) Fatalf(format string, args ...any) {
	f.failed = true
	f.msg = fmt.Sprintf(format, args...)
}

func TestRequire(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Default()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		status   int
		body     string
		wantFail bool
		wantText string
	}{
		{name: "server honours the document", status: 400, body: `{"error_code":"SVCSTG.REPO.0400","error_msg":"bad"}`},
		{name: "server breaks it", status: 400, body: `{"code":1}`, wantFail: true, wantText: "body-schema"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}))
			defer srv.Close()
			// Only negative cases: this server rejects everything.
			rep, err := contract.Check(context.Background(), doc, contract.Options{BaseURL: srv.URL, Token: "t0ken", Include: []string{"negative"}})
			ft := &fakeT{}
			contracttest.Require(ft, rep, err)
			if ft.failed != tt.wantFail || !strings.Contains(ft.msg, tt.wantText) {
				t.Errorf("failed=%v msg=%q, want failed=%v containing %q", ft.failed, ft.msg, tt.wantFail, tt.wantText)
			}
		})
	}
}
