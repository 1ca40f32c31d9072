package openapi

import (
	"encoding/base64"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// RequiresCredential reports whether the operation has a security requirement whose schemes
// carry a value a server can judge (an API key, an Authorization credential).
func (op *Operation) RequiresCredential() bool { return op.credential }

// requiresCredential computes Operation.RequiresCredential once, at load.
func (d *Document) requiresCredential(op *Operation) bool {
	for _, alt := range d.securityOf(op) {
		for _, s := range alt {
			if valued(s.scheme) {
				return true
			}
		}
	}
	return false
}

type namedScheme struct {
	name   string
	scheme *openapi3.SecurityScheme
}

// securityOf lists op's security alternatives (its own, else the document's) with their
// schemes resolved; a scheme the components do not define is left out.
func (d *Document) securityOf(op *Operation) [][]namedScheme {
	reqs := op.Operation.Security
	if reqs == nil {
		reqs = &d.T.Security
	}
	var out [][]namedScheme
	for _, req := range *reqs {
		var alt []namedScheme
		for _, name := range slices.Sorted(maps.Keys(req)) {
			if d.T.Components == nil {
				continue
			}
			if ref := d.T.Components.SecuritySchemes[name]; ref != nil && ref.Value != nil {
				alt = append(alt, namedScheme{name, ref.Value})
			}
		}
		out = append(out, alt)
	}
	return out
}

func valued(s *openapi3.SecurityScheme) bool {
	switch s.Type {
	case "apiKey", "http", "oauth2", "openIdConnect":
		return true
	}
	return false
}

// tokenValued reports whether a scheme's credential is a token a list can judge: an API
// key, a bearer token (http bearer, oauth2, openIdConnect) or basic auth's user:password.
// Other http schemes (signatures such as SDK-HMAC-SHA256, digest) are not.
func tokenValued(s *openapi3.SecurityScheme) bool {
	switch s.Type {
	case "apiKey", "oauth2", "openIdConnect":
		return true
	case "http":
		return s.Scheme == "" || strings.EqualFold(s.Scheme, "bearer") || strings.EqualFold(s.Scheme, "basic")
	}
	return false
}

// credentialValue returns the credential r presents for scheme s: an apiKey's header,
// query parameter or cookie; the credentials of the Authorization header (decoded to
// user:password for basic auth).
func credentialValue(s *openapi3.SecurityScheme, r *http.Request) (string, bool) {
	if !credentialPresent(s, r) {
		return "", false
	}
	switch s.Type {
	case "apiKey":
		switch s.In {
		case "header":
			return strings.TrimSpace(r.Header.Get(s.Name)), true
		case "query":
			return strings.TrimSpace(r.URL.Query().Get(s.Name)), true
		case "cookie":
			c, err := r.Cookie(s.Name)
			if err != nil {
				return "", false
			}
			return strings.TrimSpace(c.Value), true
		}
		return "", false
	}
	scheme, cred, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	cred = strings.TrimSpace(cred)
	if strings.EqualFold(scheme, "basic") {
		dec, err := base64.StdEncoding.DecodeString(cred)
		if err != nil {
			return "", true // present but not even base64: accepted by nothing
		}
		return string(dec), true
	}
	return cred, true
}

// CheckCredentials judges the credentials r presents for op with accepts (the mock's
// auth.tokens). It returns nil when one security alternative has every credential present
// and accepted, or when no alternative has its credentials present (validation reports
// those as missing), and otherwise one rejected-credential problem naming where the first
// rejected credential was sent, never its value.
func (d *Document) CheckCredentials(r *http.Request, op *Operation, accepts func(string) bool) Problems {
	var rejected *Problem
	for _, alt := range d.securityOf(op) {
		ok, present := true, true
		var first *Problem
		for _, s := range alt {
			if !tokenValued(s.scheme) {
				// A signature scheme (AK/SK's SDK-HMAC-SHA256) is judged by its verifier,
				// not by a token list: a signed request passes here when present.
				if valued(s.scheme) && !credentialPresent(s.scheme, r) {
					present = false
					break
				}
				continue
			}
			v, found := credentialValue(s.scheme, r)
			if !found {
				present = false
				break
			}
			if !accepts(v) {
				ok = false
				if first == nil {
					ce := credentialError(s.name, s.scheme)
					first = &Problem{Kind: RejectedCredential, In: ce.In, Name: ce.Name, Message: ce.In + " " + ce.Name + " is not an accepted credential"}
				}
			}
		}
		if !present {
			continue
		}
		if ok {
			return nil
		}
		if rejected == nil {
			rejected = first
		}
	}
	if rejected == nil {
		return nil
	}
	return Problems{*rejected}
}
