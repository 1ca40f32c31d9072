package mockserver

import (
	"fmt"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/hookkit/hookkit/mockserver/config"
	"github.com/hookkit/hookkit/mockserver/hookapi"
	"github.com/hookkit/hookkit/openapi"
)

// Profile is an API's conventions beyond what its document declares, which the generic
// mock calls at a few fixed seams: the error body answering a request's problems, the
// operations a typed handler serves, and the body of the router's own 404 and 405 answers.
// The generic mock knows no profile's conventions; a profile is on for a document when the
// config says `profile: NAME` or the document `x-hookkit-profile: NAME`.
//
// ServiceStage's hook API ([hookapi.Profile]) is the one profile today: the embedded
// document declares it.
type Profile interface {
	// Name is the profile's name in config and document.
	Name() string
	// ErrorShape reports whether a declared error schema is the profile's error body; only
	// such bodies get SetErrorFields, others are filled by the generic mock.
	ErrorShape(schema *openapi3.Schema) bool
	// SetErrorFields sets, in body (a copy of one synthesized from the declared schema),
	// the fields answering problems (at least one); msg is problems.Error(), which the
	// caller has at hand. It writes into the caller's map: this runs for every invalid
	// request.
	SetErrorFields(body map[string]any, problems openapi.Problems, msg string)
	// ErrorVariants returns every field set SetErrorFields may produce (with a sample
	// message), so the mock can prove at load that each validates.
	ErrorVariants() []map[string]any
	// NotFoundBody is the body of the router's 404 and 405 answers (which no operation
	// declares) for a document whose errors have the profile's shape.
	NotFoundBody(problems openapi.Problems) (contentType string, body []byte)
	// Typed reports whether the profile's typed handler serves op.
	Typed(op *openapi.Operation) bool
}

// profiles are the known profiles by name.
var profiles = map[string]Profile{
	hookapi.ProfileName: hookapi.Profile{},
}

// ProfileExtension is the document extension naming a profile.
const ProfileExtension = "x-hookkit-profile"

// profileFor returns the profile the config (first) or the document names, nil for none.
// An unknown name is an error naming where it was given.
func profileFor(doc *openapi.Document, cfg *config.Config) (Profile, error) {
	name, where := cfg.Profile, "config "+cfg.File+": profile"
	if cfg.File == "" {
		where = "config: profile"
	}
	if name == "" {
		v, ok := doc.T.Extensions[ProfileExtension]
		if !ok {
			return nil, nil
		}
		s, isString := v.(string)
		if !isString {
			return nil, fmt.Errorf("%s: %s must be a string (known profiles: %s)", doc.Source, ProfileExtension, knownProfiles())
		}
		name, where = s, doc.Source+": "+ProfileExtension
	}
	p, ok := profiles[name]
	if !ok {
		return nil, fmt.Errorf("%s: unknown profile %q (known profiles: %s)", where, name, knownProfiles())
	}
	return p, nil
}

func knownProfiles() string {
	names := make([]string, 0, len(profiles))
	for n := range profiles {
		names = append(names, n)
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}
