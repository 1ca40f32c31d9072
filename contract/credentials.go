package contract

import (
	"maps"
	"slices"
	"strings"

	"github.com/hookkit/hookkit/openapi"
)

// RequiredCredentials describes the credentials that the document's operations cannot do
// without, one per security scheme, e.g. "apiKey header X-Auth-Token" or "http bearer",
// sorted; nil when every operation works without one. hookkit check uses it to tell a user
// who gave no --token-file or --token-env why the positive cases were rejected.
func RequiredCredentials(doc *openapi.Document) []string {
	var out []string
	for _, op := range doc.Operations {
		if !requiresCredential(doc, op) || doc.T.Components == nil {
			continue
		}
		reqs := op.Operation.Security
		if reqs == nil {
			reqs = &doc.T.Security
		}
		// The first alternative is the one a token is applied to (credentials.apply).
		for _, name := range slices.Sorted(maps.Keys((*reqs)[0])) {
			ref := doc.T.Components.SecuritySchemes[name]
			if ref == nil || ref.Value == nil {
				continue
			}
			s := ref.Value
			d := s.Type
			switch s.Type {
			case "apiKey":
				d += " " + s.In + " " + s.Name
			case "http":
				d += " " + strings.ToLower(s.Scheme)
			}
			if !slices.Contains(out, d) {
				out = append(out, d)
			}
		}
	}
	slices.Sort(out)
	return out
}
