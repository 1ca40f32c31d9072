// Package contracttest lets a Go test assert that a server honours its OpenAPI document:
//
//	func TestServerHonoursTheDocument(t *testing.T) {
//		srv := httptest.NewServer(myHandler)
//		defer srv.Close()
//		doc, _ := openapi.Default()
//		rep, err := contract.Check(context.Background(), doc, contract.Options{BaseURL: srv.URL, Token: "t"})
//		contracttest.Require(t, rep, err)
//	}
//
// A failing check fails the test with the readable report, curl lines included, so the
// failure explains itself in CI logs.
package contracttest

import (
	"strings"

	"github.com/hookkit/hookkit/contract"
)

// TB is the part of testing.TB Require uses, so it can be tested itself.
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
}

// Require fails t when err is set or when rep has a failed case or an unreachable target.
func Require(t TB, rep *contract.Report, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("contract check could not run: %v", err)
		return
	}
	if rep == nil {
		t.Fatalf("contract check returned no report")
		return
	}
	if rep.ExitCode() == 0 {
		return
	}
	var b strings.Builder
	_ = rep.WriteText(&b, false)
	t.Fatalf("the target breaks the contract:\n%s", b.String())
}
