package mockserver

import (
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"

	"github.com/hookkit/hookkit/mockserver/config"
)

// adminGuard decides who may use the admin API, which can rewrite the mock and read
// every request it journaled. The threats (SECURITY.md): a web page in the developer's
// browser (cross-origin requests, DNS rebinding) and, when the mock is bound to a
// non-loopback address, anyone on the network. Everything it needs is worked out at load.
type adminGuard struct {
	origins map[string]bool // admin.origins: the only origins CORS answers for
	hosts   map[string]bool // Host names allowed besides loopback ones
	// tokenSum is the SHA-256 of the admin token (nil: no token). Comparing sums in
	// constant time hides both the token and its length.
	tokenSum []byte
	// loopbackOnly is set when the mock is bound to a non-loopback address without a
	// token: then only loopback clients may use the admin API.
	loopbackOnly bool
	bound        string // the bound address, for messages
}

// adminWriteTypes are the media types an admin write must carry. None is a "simple"
// Content-Type, so a browser must preflight them, and preflights from origins not in
// admin.origins are refused: a web page cannot write to the admin API.
var adminWriteTypes = map[string]bool{"application/yaml": true, "application/x-yaml": true, "application/json": true}

// newAdminGuard builds the guard from the config, the bound address ("" for a server
// whose address is unknown, as in tests on loopback) and the token of --admin-token-env
// (which wins over admin.tokenEnv).
func newAdminGuard(cfg *config.Config, addr, token string) *adminGuard {
	g := &adminGuard{origins: map[string]bool{}, hosts: map[string]bool{}, bound: addr}
	for _, o := range cfg.Admin.Origins {
		g.origins[strings.TrimRight(o, "/")] = true
	}
	for _, h := range cfg.Admin.Hosts {
		g.hosts[strings.ToLower(h)] = true
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	host = strings.ToLower(strings.Trim(host, "[]"))
	if token == "" {
		token = cfg.AdminToken()
	}
	if token != "" {
		sum := sha256.Sum256([]byte(token))
		g.tokenSum = sum[:]
	}
	switch ip := net.ParseIP(host); {
	case host == "" || isLoopbackName(host):
	case ip != nil && ip.IsUnspecified():
		// Bound to every interface: the machine's own addresses are its names.
		if addrs, err := net.InterfaceAddrs(); err == nil {
			for _, a := range addrs {
				if n, ok := a.(*net.IPNet); ok {
					g.hosts[n.IP.String()] = true
				}
			}
		}
		g.loopbackOnly = g.tokenSum == nil
	default:
		g.hosts[host] = true
		g.loopbackOnly = g.tokenSum == nil && (ip == nil || !ip.IsLoopback())
	}
	return g
}

// LoopbackOnly reports whether the admin API answers loopback clients only (bound to a
// non-loopback address without an admin token), for the banner's warning.
func (s *Server) LoopbackOnly() bool { return s.state.Load().guard.loopbackOnly }

// isLoopbackName reports whether host (no port) names this machine's loopback.
func isLoopbackName(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// check answers the request itself and returns false when it may not reach the admin
// API, or when it is a preflight (answered here). The order matters: the Host first (a
// rebinding page must learn nothing), then the Content-Type of writes (what a page can
// send without a preflight is refused whatever else it carries), then CORS, then who the
// client is.
func (g *adminGuard) check(w http.ResponseWriter, r *http.Request) bool {
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.ToLower(strings.Trim(host, "[]"))
	if !isLoopbackName(host) && !g.hosts[host] {
		adminRefuse(w, http.StatusForbidden, fmt.Sprintf("Host %q is not allowed for the admin API (DNS rebinding protection): use a loopback address, the bound address, or list the name in admin.hosts", clipHost(r.Host)))
		return false
	}
	if isAdminWrite(r) && !adminWriteTypes[baseMediaType(r.Header.Get("Content-Type"))] {
		adminRefuse(w, http.StatusUnsupportedMediaType, "admin writes need Content-Type application/yaml, application/x-yaml or application/json (a web page cannot send these without a preflight)")
		return false
	}
	origin := r.Header.Get("Origin")
	h := w.Header()
	if origin != "" {
		h.Add("Vary", "Origin")
		if !g.origins[origin] && !sameOrigin(origin, r.Host) {
			adminRefuse(w, http.StatusForbidden, "origin not allowed for the admin API (list it in admin.origins)")
			return false
		}
		h.Set("Access-Control-Allow-Origin", origin)
		if isPreflight(r) {
			h.Set("Access-Control-Allow-Methods", adminCORS.methods)
			h.Set("Access-Control-Allow-Headers", adminCORS.headers)
			h.Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return false
		}
	}
	if g.loopbackOnly && !loopbackClient(r) {
		adminRefuse(w, http.StatusForbidden, fmt.Sprintf("the admin API answers loopback clients only: the mock is bound to %s without an admin token (--admin-token-env)", g.bound))
		return false
	}
	if g.tokenSum != nil {
		given, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		sum := sha256.Sum256([]byte(strings.TrimSpace(given)))
		if !ok || subtle.ConstantTimeCompare(sum[:], g.tokenSum) != 1 {
			h.Set("WWW-Authenticate", `Bearer realm="hookkit admin"`)
			adminRefuse(w, http.StatusUnauthorized, "the admin API needs Authorization: Bearer <admin token>")
			return false
		}
	}
	return true
}

func adminRefuse(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

// isAdminWrite reports whether r changes the mock (anything but GET, HEAD, OPTIONS).
func isAdminWrite(r *http.Request) bool {
	return r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodOptions
}

func sameOrigin(origin, host string) bool {
	return origin == "http://"+host || origin == "https://"+host
}

func loopbackClient(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func clipHost(h string) string {
	if len(h) > 100 {
		return h[:100] + "…"
	}
	return h
}

// statusWriter remembers the status of an admin answer for the log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(p)
}

// serveAdminGuarded runs the guard, then the admin API. Every write and every refusal is
// logged (endpoint, client, outcome; never a body or a credential).
func (s *Server) serveAdminGuarded(st *state, w http.ResponseWriter, r *http.Request) {
	sw := &statusWriter{ResponseWriter: w}
	if st.guard.check(sw, r) {
		s.serveAdmin(st, sw, r)
	}
	refused := sw.status == http.StatusForbidden || sw.status == http.StatusUnauthorized || sw.status == http.StatusUnsupportedMediaType
	if !isAdminWrite(r) && !refused {
		return
	}
	level := slog.LevelInfo
	if refused || sw.status >= 400 {
		level = slog.LevelWarn
	}
	s.log.LogAttrs(r.Context(), level, "admin",
		slog.String("method", r.Method),
		slog.String("endpoint", clipHost(r.URL.Path)),
		slog.String("client", r.RemoteAddr),
		slog.Int("status", sw.status))
}
