package contract_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hookkit/hookkit/contract"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// TestReportGolden pins the shape of the three report formats on inputs that involve no
// network and no clock: the HAR in testdata and a dry-run plan.
func TestReportGolden(t *testing.T) {
	t.Parallel()
	doc := hookDoc(t)
	har := func(t *testing.T) *contract.Report {
		f, err := os.Open("testdata/hooks.har")
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rep, err := contract.CheckHAR(context.Background(), doc, f, contract.HAROptions{Source: "testdata/hooks.har", MaxResponseTime: 10 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	plan := func(t *testing.T) *contract.Report {
		rep, err := contract.Check(context.Background(), doc, contract.Options{BaseURL: "https://staging.example.com/api", DryRun: true, Token: "t", Seed: 3, Positive: 1})
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	tests := []struct {
		file   string
		report func(*testing.T) *contract.Report
		write  func(*contract.Report, *bytes.Buffer) error
	}{
		{"har.txt", har, func(r *contract.Report, b *bytes.Buffer) error { return r.WriteText(b, false) }},
		{"har.json", har, func(r *contract.Report, b *bytes.Buffer) error { return r.WriteJSON(b) }},
		{"har.junit.xml", har, func(r *contract.Report, b *bytes.Buffer) error { return r.WriteJUnit(b) }},
		{"dry-run.txt", plan, func(r *contract.Report, b *bytes.Buffer) error { return r.WriteText(b, false) }},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			rep := tt.report(t)
			rep.Started, rep.Duration = time.Time{}, 0
			var b bytes.Buffer
			if err := tt.write(rep, &b); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", "golden", tt.file)
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(b.Bytes(), want) {
				t.Errorf("%s differs from the golden file (go test -update rewrites it):\n%s", path, b.String())
			}
		})
	}
}
