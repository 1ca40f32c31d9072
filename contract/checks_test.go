package contract_test

import (
	"regexp"
	"slices"
	"testing"

	"github.com/hookkit/hookkit/contract"
)

// TestCheckCatalogue pins the check names: CI pipelines grep for them, so renaming one is a
// breaking change that must show up here.
func TestCheckCatalogue(t *testing.T) {
	t.Parallel()
	want := []string{"reachable", "request-valid", "status-declared", "no-server-error", "content-type",
		"body-schema", "headers", "response-time", "positive-accepted", "negative-rejected", "negative-status",
		"created-available", "resource-identity", "resource-equal", "list-contains", "use-after-delete"}
	var got []string
	kebab := regexp.MustCompile(`^[a-z]+(-[a-z]+)*$`)
	for _, c := range contract.Checks() {
		if !kebab.MatchString(string(c)) {
			t.Errorf("check %q is not kebab-case", c)
		}
		got = append(got, string(c))
	}
	if !slices.Equal(got, want) {
		t.Errorf("catalogue\n got %q\nwant %q", got, want)
	}
}
