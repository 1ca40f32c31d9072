package openapi

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hookkit/hookkit/internal/specgen"
)

// TestWarningCatalogue pins the warnings of each real-world test document: kind and line,
// in the order they are reported, and that strict loading refuses each document.
func TestWarningCatalogue(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file string
		want []string // "kind:line"
	}{
		{"examples.yaml", []string{
			"duplicate-required:111", "duplicate-operation-id:84", "invalid-example:17", "invalid-example:27",
			"invalid-example:47", "invalid-example:93", "invalid-default:123", "unknown-format:125",
		}},
		{"webhooks31.yaml", []string{"unknown-keys:71", "version-mismatch:60"}},
		{"statuses.yaml", []string{"no-client-error:103"}},
		{"deepobject.yaml", []string{"unknown-format:186"}},
		{"negotiation.yaml", []string{"no-client-error:90"}},
		{"descriptionrefs.yaml", []string{
			"description-ref:11", "description-ref:15", "description-ref:17", "description-ref:19",
			"description-ref:21", "description-ref:23", "description-ref:29", "description-ref:30",
			"description-ref:34", "description-ref:38",
		}},
		// invalid-example:13: a warning inside an inlined operation points at its $ref line.
		{"operationrefs.yaml", []string{"operation-ref:12", "operation-ref:14", "invalid-example:13"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			path := "testdata/realworld/" + tt.file
			d, err := Load(path)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, w := range d.Warnings {
				got = append(got, string(w.Kind)+":"+strconv.Itoa(w.Line))
				if w.File != path || !strings.HasPrefix(w.String(), path+":") {
					t.Errorf("warning %q does not name %s", w, path)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("warnings\n got %q\nwant %q\n%v", got, tt.want, d.Warnings)
			}
			_, err = LoadWith(path, LoadOptions{Strict: true})
			strict := slices.ContainsFunc(d.Warnings, Warning.strict)
			var le *LoadError
			if strict != errors.As(err, &le) {
				t.Errorf("strict load: %v (document has strict warnings: %v)", err, strict)
			}
		})
	}
}

// TestInvalidExamplesAreRemoved: no example the document declares and the loader warned
// about is left for the mock to serve or the checker to send.
func TestInvalidExamplesAreRemoved(t *testing.T) {
	t.Parallel()
	d, err := Load("testdata/realworld/examples.yaml")
	if err != nil {
		t.Fatal(err)
	}
	list, _ := d.Operation("listAccounts")
	names := func(exs []Example) (out []string) {
		for _, e := range exs {
			out = append(out, e.Name)
		}
		return out
	}
	if got := names(MediaExamples(list.Operation.Responses.Value("200").Value.Content["application/json"])); !slices.Equal(got, []string{"readEmpty"}) {
		t.Errorf("listAccounts 200 examples %q, want [readEmpty]", got)
	}
	create, _ := d.Operation("createAccount")
	if got := names(MediaExamples(create.Operation.RequestBody.Value.Content["application/json"])); !slices.Equal(got, []string{"complete"}) {
		t.Errorf("createAccount request examples %q, want [complete]", got)
	}
	if _, ok := ParameterExample(list.Operation.Parameters[0].Value); ok {
		t.Error("the status parameter's invalid example is still used")
	}
	if _, ok := d.Operation("GET /accounts/{sid}/balance"); !ok {
		t.Error("the duplicate operationId was not renamed to METHOD /path")
	}
}

// TestLoadRealWorldMix loads the generated 2 MB mix (loaded without element positions): every
// operation is there and warnings still get lines, from the document's text.
func TestLoadRealWorldMix(t *testing.T) {
	t.Parallel()
	data := specgen.RealWorldMix(2 << 20)
	d, err := Parse(data, "mix.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(data) <= originLimit || len(d.Operations) < 100 {
		t.Fatalf("%d bytes, %d operations: not the large document this test needs", len(data), len(d.Operations))
	}
	counts := map[WarningKind]int{}
	for _, w := range d.Warnings {
		counts[w.Kind]++
		if w.Line == 0 {
			t.Errorf("warning without a line: %v", w)
			break
		}
	}
	blocks := len(d.Operations) / 4
	if counts[InvalidExample] != 3*blocks || counts[NoClientError] != blocks || counts[InvalidDefault] != blocks || counts[DuplicateRequired] != blocks {
		t.Errorf("warnings by kind %v for %d blocks", counts, blocks)
	}
}
