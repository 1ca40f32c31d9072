package mockserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"strconv"
	"strings"

	"github.com/hookkit/hookkit/mockserver/config"
	"github.com/hookkit/hookkit/mockserver/journal"
	"github.com/hookkit/hookkit/openapi"
)

// adminPrefix is WireMock's prefix for its admin API; hookkit keeps WireMock's paths where
// WireMock has one (requests, mappings, reset, health).
const adminPrefix = "/__admin/"

// adminCORS is what CORS allows on the admin API (for admin.origins only).
var adminCORS = &corsPath{methods: "DELETE, GET, POST, PUT", headers: "Authorization, Content-Type"}

// maxConfigBytes limits a config sent to PUT /__admin/config.
const maxConfigBytes = 1 << 20

// serveAdmin answers the admin API, then the profiles' admin routes. It is not journaled
// (reading the journal would otherwise fill it) and shows no secret: journal entries are
// redacted when recorded, and rule matchers on secret headers or fields are masked.
func (s *Server) serveAdmin(st *state, w http.ResponseWriter, r *http.Request) {
	path := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, adminPrefix), "/")
	route := r.Method + " " + path
	switch route {
	case "GET health":
		health := map[string]any{
			"status":     "ok",
			"document":   st.doc.Source,
			"operations": len(st.doc.Operations),
			"rules":      len(st.cfg.Rules),
			"journal":    s.journal.Len(),
			// A checker that finds stateful: false skips its stateful sequences: a
			// mock that keeps nothing cannot read back what it was sent.
			"stateful": st.stateful != nil,
		}
		for _, p := range s.profiles {
			maps.Copy(health, p.Health())
		}
		writeJSON(w, http.StatusOK, health)
	case "GET requests":
		f, err := journalFilter(r)
		if err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		entries := s.journal.List(f)
		writeJSON(w, http.StatusOK, map[string]any{"requests": entries, "meta": map[string]int{"total": len(entries)}})
	case "DELETE requests":
		s.journal.Clear()
		w.WriteHeader(http.StatusNoContent)
	case "GET mappings":
		writeJSON(w, http.StatusOK, map[string]any{"mappings": mappings(st), "meta": map[string]int{"total": len(st.cfg.Rules)}})
	case "GET config":
		writeJSON(w, http.StatusOK, s.configView(st))
	case "PUT config", "POST config":
		s.putConfig(w, r)
	case "POST reset":
		if err := s.ResetContext(r.Context()); err != nil {
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": err.Error()})
			return
		}
		w.WriteHeader(http.StatusNoContent)
	case "GET state", "DELETE state":
		s.serveAdminState(st, w, r, "")
	default:
		if coll, ok := strings.CutPrefix(path, "state/"); ok && (r.Method == http.MethodGet || r.Method == http.MethodDelete) {
			s.serveAdminState(st, w, r, coll)
			return
		}
		if s.serveProfileAdmin(st, w, r, path) {
			return
		}
		writeJSON(w, http.StatusNotFound, map[string]string{"error": fmt.Sprintf("no admin endpoint %s %s (see %s: GET health; GET, DELETE requests, state, state/{collection}; GET mappings; GET, PUT config; POST reset%s)", r.Method, r.URL.Path, adminPrefix, s.profileAdminHelp())})
	}
}

// serveProfileAdmin answers the profiles' admin routes (behind the same guard as every
// admin endpoint), reporting whether one matched. A profile's route gets the profile's
// part of the load in effect, nil when the document does not turn it on.
func (s *Server) serveProfileAdmin(st *state, w http.ResponseWriter, r *http.Request, path string) bool {
	for i, routes := range s.adminRoutes {
		for j := range routes {
			if !routes[j].match(r, path) {
				continue
			}
			var ld Loaded
			if st.profile == s.profiles[i] {
				ld = st.loaded
			}
			routes[j].Serve(w, r, ld)
			return true
		}
	}
	return false
}

// profileAdminHelp lists the profiles' admin routes for the not-found answer.
func (s *Server) profileAdminHelp() string {
	var b strings.Builder
	for i, routes := range s.adminRoutes {
		for _, rt := range routes {
			fmt.Fprintf(&b, "; %s %s (%s)", rt.Method, rt.Path, s.profiles[i].Name())
		}
	}
	return b.String()
}

// Reset forgets the journal, what the profiles keep (the hook API's stored hooks, their
// secrets and webhook deliveries) and the rules' scenario progress, so a test suite can
// start each test from a clean mock; the stateful mock's resources go back to the seed
// (on Redis: for every replica).
func (s *Server) Reset() { _ = s.ResetContext(context.Background()) }

// ResetContext is Reset, reporting a state store that cannot be reset.
func (s *Server) ResetContext(ctx context.Context) error {
	s.journal.Clear()
	for _, p := range s.profiles {
		if err := p.Reset(ctx); err != nil {
			return err
		}
	}
	st := s.state.Load()
	st.rules.Reset()
	if sf := st.stateful; sf != nil {
		for _, c := range sf.model.Collections {
			if err := sf.store.Clear(ctx, c.Name); err != nil {
				return err
			}
		}
		return sf.seed(ctx, st.cfg)
	}
	return nil
}

// putConfig replaces the config with the YAML body, validated against the document first;
// on any problem the old config stays and the answer lists every problem with its line.
func (s *Server) putConfig(w http.ResponseWriter, r *http.Request) {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxConfigBytes))
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "cannot read the config: " + err.Error()})
		return
	}
	if len(strings.TrimSpace(string(data))) == 0 {
		// An empty body is a mistake (a failed $(cat) in a script), not a request to go
		// back to the defaults: that would also drop the admin settings.
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "config rejected, the previous one stays in effect", "problems": []string{"the body is empty: send the whole config (an empty mapping {} restores the defaults)"}})
		return
	}
	cfg, err := config.Parse(data, "PUT "+adminPrefix+"config")
	if err == nil {
		err = s.Reload(nil, cfg)
	}
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "config rejected, the previous one stays in effect", "problems": errorLines(err)})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "rules": len(cfg.Rules)})
}

// errorLines splits joined errors into one message each.
func errorLines(err error) []string {
	var multi interface{ Unwrap() []error }
	if errors.As(err, &multi) {
		var out []string
		for _, e := range multi.Unwrap() {
			out = append(out, errorLines(e)...)
		}
		return out
	}
	return strings.Split(err.Error(), "\n")
}

func journalFilter(r *http.Request) (journal.Filter, error) {
	q := r.URL.Query()
	f := journal.Filter{Method: q.Get("method"), PathContains: q.Get("path"), OperationID: q.Get("operationId")}
	for name, dst := range map[string]*int{"status": &f.Status, "limit": &f.Limit} {
		if v := q.Get(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return f, fmt.Errorf("query parameter %s must be a non-negative number", name)
			}
			*dst = n
		}
	}
	return f, nil
}

// mapping is the admin view of a rule.
type mapping struct {
	Name     string            `json:"name"`
	Line     int               `json:"line,omitempty"`
	Match    map[string]any    `json:"match"`
	Steps    int               `json:"steps"`
	Repeat   string            `json:"repeat,omitempty"`
	Statuses []int             `json:"statuses,omitempty"`
	Extras   map[string]string `json:"extras,omitempty"`
}

func mappings(st *state) []mapping {
	out := []mapping{}
	for i, rule := range st.cfg.Rules {
		if rule == nil {
			continue
		}
		m := mapping{Name: st.cfg.RuleName(i), Line: rule.Line, Match: map[string]any{}, Repeat: rule.Repeat}
		mt := rule.Match
		for k, v := range map[string]string{"operation": mt.Operation, "method": mt.Method, "path": mt.Path} {
			if v != "" {
				m.Match[k] = v
			}
		}
		addMatchers(m.Match, "pathParams", mt.PathParams, func(string) bool { return false })
		addMatchers(m.Match, "query", mt.Query, st.redactor.IsSecretField)
		addMatchers(m.Match, "headers", mt.Headers, st.redactor.IsSecretHeader)
		addMatchers(m.Match, "body", mt.Body, func(name string) bool {
			parts := strings.FieldsFunc(name, func(r rune) bool { return r == '/' || r == '.' })
			return len(parts) > 0 && st.redactor.IsSecretField(parts[len(parts)-1])
		})
		steps := rule.Sequence
		if rule.Response != nil {
			steps = []*config.Response{rule.Response}
		}
		m.Steps = len(steps)
		for i, step := range steps {
			m.Statuses = append(m.Statuses, step.StatusCode())
			if step.Delay != nil {
				if m.Extras == nil {
					m.Extras = map[string]string{}
				}
				m.Extras["delay"+stepSuffix(i, len(steps))] = step.Delay.Min.String() + ".." + step.Delay.Max.String()
			}
			if step.Fault != nil {
				if m.Extras == nil {
					m.Extras = map[string]string{}
				}
				m.Extras["fault"+stepSuffix(i, len(steps))] = "yes"
			}
		}
		out = append(out, m)
	}
	return out
}

func stepSuffix(i, n int) string {
	if n == 1 {
		return ""
	}
	return "[" + strconv.Itoa(i+1) + "]"
}

// addMatchers shows matchers as "equals X" / "regex R" / "present", masking the values
// of secret names.
func addMatchers(dst map[string]any, key string, ms map[string]*config.Matcher, secret func(string) bool) {
	if len(ms) == 0 {
		return
	}
	view := map[string]string{}
	for name, m := range ms {
		var parts []string
		if m.Present != nil {
			parts = append(parts, "present="+strconv.FormatBool(*m.Present))
		}
		if m.Equals != nil {
			v := *m.Equals
			if secret(name) {
				v = openapi.Redacted
			}
			parts = append(parts, "equals "+v)
		}
		if m.Regex != "" {
			v := m.Regex
			if secret(name) {
				v = openapi.Redacted
			}
			parts = append(parts, "regex "+v)
		}
		view[name] = strings.Join(parts, ", ")
	}
	dst[key] = view
}

// configView is the admin view of the config in effect: its settings and its rules as
// GET /__admin/mappings shows them.
func (s *Server) configView(st *state) map[string]any {
	c := st.cfg
	view := map[string]any{
		"file": c.File,
		"seed": c.Seed,
		"cors": map[string]any{
			"enabled": c.CORSEnabled(),
			"origins": c.CORS.Origins,
			"maxAge":  c.CORS.MaxAge.String(),
		},
		"journal": map[string]any{"size": c.Journal.Size, "maxBytes": c.Journal.MaxBytes},
		"admin": map[string]any{"enabled": c.AdminEnabled(), "origins": c.Admin.Origins, "hosts": c.Admin.Hosts,
			"tokenEnv": c.Admin.TokenEnv, "loopbackOnly": st.guard.LoopbackOnly()},
		"limits": map[string]any{"templateOutput": c.Limits.TemplateOutput, "templateTime": c.Limits.TemplateTime.String()},
		"auth":   authView(c),
		"rules":  mappings(st),
	}
	// The profiles add their sections (the hook API's hooks), whether on or not, as
	// Configure applies the config to them either way; a section the generic view has
	// stays the generic one.
	for _, p := range s.profiles {
		for k, v := range p.ConfigView(c) {
			if _, taken := view[k]; !taken {
				view[k] = v
			}
		}
	}
	return view
}

// WriteAdminJSON writes an admin API answer: v as indented JSON, never cached. Profiles'
// admin routes answer with it, so every admin endpoint looks alike.
func WriteAdminJSON(w http.ResponseWriter, status int, v any) { writeJSON(w, status, v) }

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":"cannot encode the answer"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

// authView shows the AK/SK settings: access keys and where their secret keys come from,
// never the secret keys.
func authView(c *config.Config) map[string]any {
	keys := []map[string]string{}
	for _, k := range c.Auth.AKSK {
		v := map[string]string{"accessKey": k.AccessKey}
		if k.SecretKeyEnv != "" {
			v["secretKeyEnv"] = k.SecretKeyEnv
		}
		if k.SecretKeyFile != "" {
			v["secretKeyFile"] = k.SecretKeyFile
		}
		keys = append(keys, v)
	}
	return map[string]any{"aksk": keys, "maxSkew": c.Auth.MaxSkew.String()}
}
