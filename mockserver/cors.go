package mockserver

import (
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/hookkit/hookkit/aksk"
	"github.com/hookkit/hookkit/mockserver/config"
	"github.com/hookkit/hookkit/openapi"
)

// corsPolicy answers browsers' cross-origin requests. Everything it sends is worked out at
// load: per path template, the methods and the request headers the document names.
type corsPolicy struct {
	anyOrigin bool
	origins   map[string]bool
	maxAge    string
	paths     map[string]*corsPath // by path template
}

type corsPath struct {
	methods string // "GET, POST"
	headers string // "Content-Type, X-Auth-Token, X-Repo-Auth"
	expose  string // response headers the document declares, for Expose-Headers
}

// newCORS returns nil when CORS is off.
func newCORS(doc *openapi.Document, cfg *config.Config) *corsPolicy {
	if !cfg.CORSEnabled() {
		return nil
	}
	c := &corsPolicy{origins: map[string]bool{}, paths: map[string]*corsPath{}}
	for _, o := range cfg.CORS.Origins {
		if o == "*" {
			c.anyOrigin = true
		}
		c.origins[strings.TrimRight(o, "/")] = true
	}
	if len(cfg.CORS.Origins) == 0 {
		c.anyOrigin = true
	}
	maxAge := cfg.CORS.MaxAge
	if maxAge <= 0 {
		maxAge = config.DefaultCORSMaxAge
	}
	c.maxAge = strconv.Itoa(int(maxAge.Seconds()))

	securityHeaders := map[string]bool{}
	if doc.T.Components != nil {
		for _, ref := range doc.T.Components.SecuritySchemes {
			if s := ref.Value; s != nil {
				switch {
				case s.Type == "apiKey" && s.In == "header":
					securityHeaders[http.CanonicalHeaderKey(s.Name)] = true
				case s.Type == "http" || s.Type == "oauth2" || s.Type == "openIdConnect":
					securityHeaders["Authorization"] = true
				}
				if s.Type == "http" && strings.EqualFold(s.Scheme, aksk.Algorithm) {
					// AK/SK signing also sends the signing date, and the SDK's payload
					// header for non-JSON bodies.
					securityHeaders[aksk.DateHeader] = true
					securityHeaders[aksk.ContentSHA256Header] = true
				}
			}
		}
	}
	type acc struct{ methods, headers, expose map[string]bool }
	byPath := map[string]*acc{}
	for _, op := range doc.Operations {
		a := byPath[op.Path]
		if a == nil {
			a = &acc{methods: map[string]bool{}, headers: map[string]bool{}, expose: map[string]bool{}}
			byPath[op.Path] = a
		}
		a.methods[op.Method] = true
		for _, p := range op.Parameters() {
			if p.Value.In == "header" {
				a.headers[http.CanonicalHeaderKey(p.Value.Name)] = true
			}
		}
		if rb := op.Operation.RequestBody; rb != nil && rb.Value != nil && len(rb.Value.Content) > 0 {
			a.headers["Content-Type"] = true
		}
		if usesSecurity(doc, op) {
			for h := range securityHeaders {
				a.headers[h] = true
			}
		}
		if op.Operation.Responses != nil {
			for key, ref := range op.Operation.Responses.Map() {
				if ref != nil && ref.Value != nil {
					for name := range ref.Value.Headers {
						a.expose[http.CanonicalHeaderKey(name)] = true
					}
					// An error response without content carries the problems in a header
					// a browser app must be allowed to read.
					if len(ref.Value.Content) == 0 && (key == "default" || strings.HasPrefix(strings.ToUpper(key), "4")) {
						a.expose[ProblemsHeader] = true
					}
				}
			}
		}
	}
	for path, a := range byPath {
		a.headers["Prefer"] = true // Prism-style response selection from browsers too
		c.paths[path] = &corsPath{methods: joinSorted(a.methods), headers: joinSorted(a.headers), expose: joinSorted(a.expose)}
	}
	return c
}

// usesSecurity reports whether an operation requires any security scheme (its own
// security, else the document's).
func usesSecurity(doc *openapi.Document, op *openapi.Operation) bool {
	if op.Operation.Security != nil {
		return len(*op.Operation.Security) > 0
	}
	return len(doc.T.Security) > 0
}

func joinSorted(set map[string]bool) string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

func (c *corsPolicy) allowed(origin string) bool {
	return c.anyOrigin || c.origins[origin]
}

// isPreflight reports whether r is a CORS preflight rather than an OPTIONS call of the API.
func isPreflight(r *http.Request) bool {
	return r.Method == http.MethodOptions && r.Header.Get("Origin") != "" && r.Header.Get("Access-Control-Request-Method") != ""
}

// preflight answers a preflight for a path template (nil path: the path is unknown, which
// gets the mock's ordinary 404 instead). An origin that is not allowed gets 403 without
// CORS headers, which browsers report as a CORS failure.
func (c *corsPolicy) preflight(w http.ResponseWriter, r *http.Request, p *corsPath) {
	origin := r.Header.Get("Origin")
	h := w.Header()
	h.Add("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers")
	if !c.allowed(origin) {
		w.WriteHeader(http.StatusForbidden)
		return
	}
	h.Set("Access-Control-Allow-Origin", origin)
	h.Set("Access-Control-Allow-Credentials", "true")
	h.Set("Access-Control-Allow-Methods", p.methods)
	if req := r.Header.Get("Access-Control-Request-Headers"); req != "" {
		// Echo what the browser asks for: the mock validates headers itself, so refusing
		// one here would only hide the validation error the developer needs to see.
		h.Set("Access-Control-Allow-Headers", req)
	} else {
		h.Set("Access-Control-Allow-Headers", p.headers)
	}
	h.Set("Access-Control-Max-Age", c.maxAge)
	w.WriteHeader(http.StatusNoContent)
}

// decorate adds the CORS headers of an actual (non-preflight) response.
func (c *corsPolicy) decorate(h http.Header, origin string, p *corsPath) {
	h.Add("Vary", "Origin")
	if !c.allowed(origin) {
		return
	}
	h.Set("Access-Control-Allow-Origin", origin)
	h.Set("Access-Control-Allow-Credentials", "true")
	if p != nil && p.expose != "" {
		h.Set("Access-Control-Expose-Headers", p.expose)
	}
}
