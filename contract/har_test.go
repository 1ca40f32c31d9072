package contract_test

import (
	"bytes"
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/hookkit/hookkit/contract"
)

// The HAR in testdata carries this token and hook secret; neither may reach any output.
const (
	harToken  = "har-token-7c1e0b-DISTINCTIVE"
	harSecret = "har-hook-secret-DISTINCTIVE"
)

func TestCheckHAR(t *testing.T) {
	t.Parallel()
	f, err := os.Open("testdata/hooks.har")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := contract.CheckHAR(context.Background(), hookDoc(t), f, contract.HAROptions{Source: "testdata/hooks.har"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"createProjectHook/recorded/2 body-schema",
		"createProjectHook/recorded/3 request-valid",
		"createProjectHook/recorded/5 no-server-error",
		"createProjectHook/recorded/5 status-declared",
	}
	if got := failed(rep); !slices.Equal(got, want) {
		t.Errorf("failures\n got %q\nwant %q", got, want)
	}
	if len(rep.Results) != 4 || rep.Results[0].Outcome != contract.Pass {
		t.Errorf("want 4 recorded cases, the first passing; got %d", len(rep.Results))
	}
	if len(rep.Unknown) != 1 || !strings.Contains(rep.Unknown[0].Request.URL, "/favicon.ico") {
		t.Errorf("unknown entries: %+v", rep.Unknown)
	}
	if rep.ExitCode() != 1 {
		t.Errorf("exit code %d, want 1", rep.ExitCode())
	}
	out := renderAll(t, rep)
	for _, secret := range []string{harToken, harSecret} {
		if strings.Contains(out, secret) {
			t.Errorf("a secret leaked into the reports:\n%s", out)
		}
	}
	if !strings.Contains(out, "UNKNOWN GET https://servicestage.cn-north-4.myhuaweicloud.com/favicon.ico") {
		t.Errorf("text report does not list the unknown entry:\n%s", out)
	}
}

func TestCheckHARRejectsNonHAR(t *testing.T) {
	t.Parallel()
	_, err := contract.CheckHAR(context.Background(), hookDoc(t), strings.NewReader(`{"openapi":"3.0.0"}`), contract.HAROptions{Source: "x.json"})
	if err == nil || !strings.Contains(err.Error(), "x.json: not a HAR file") {
		t.Errorf("err = %v", err)
	}
}

// renderAll renders the text (verbose), JSON and JUnit reports into one string.
func renderAll(t *testing.T, rep *contract.Report) string {
	t.Helper()
	var b bytes.Buffer
	if err := rep.WriteText(&b, true); err != nil {
		t.Fatal(err)
	}
	if err := rep.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	if err := rep.WriteJUnit(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
