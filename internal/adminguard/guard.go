// Package adminguard decides who may use an admin API (the mock's /__admin/, the proxy's
// /__admin/violations): the one implementation of the rules SECURITY.md promises, shared
// by the mock and the proxy so that they cannot drift apart.
//
// The threats: a web page in the developer's browser (cross-origin requests, DNS
// rebinding) and, when a server is bound to a non-loopback address, anyone on the
// network. The rules, in the order they are applied: the Host must be a loopback name or
// address, the bound address or a listed host (403); writes need a YAML or JSON
// Content-Type, which no page can send without a preflight (415); a request with an
// Origin must come from a listed origin (403), and only those get CORS answers; when bound
// to a non-loopback address without a token, only loopback clients are served (403); with
// a token, every request needs "Authorization: Bearer <token>" (401).
package adminguard

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
)

// Guard holds the rules of one admin API, worked out once.
type Guard struct {
	origins map[string]bool // the only origins CORS answers for
	hosts   map[string]bool // Host names allowed besides loopback ones
	// tokenSum is the SHA-256 of the admin token (nil: no token). Comparing sums in
	// constant time hides both the token and its length.
	tokenSum []byte
	// loopbackOnly is set when the server is bound to a non-loopback address without a
	// token: then only loopback clients may use the admin API.
	loopbackOnly bool
	bound        string // the bound address, for messages
	methods      string // Access-Control-Allow-Methods of preflights
	// hints for refusals: where to allow a host or an origin, how to set a token
	hostHint, originHint, tokenHint string
}

// Options describe an admin API.
type Options struct {
	// Origins are the browser origins allowed to call it cross-origin.
	Origins []string
	// Hosts are Host names allowed besides loopback names and addresses.
	Hosts []string
	// Addr is the address the server is bound to ("" for a loopback address).
	Addr string
	// Token protects every endpoint ("" for none).
	Token string
	// Methods is what preflights allow, e.g. "DELETE, GET".
	Methods string
	// HostsSetting, OriginsSetting and TokenSetting name, in refusals, where a user allows
	// a host, an origin or sets a token ("" when the server has no such setting).
	HostsSetting, OriginsSetting, TokenSetting string
}

// writeTypes are the media types an admin write must carry. None is a "simple"
// Content-Type, so a browser must preflight them, and preflights from origins not listed
// are refused: a web page cannot write to an admin API.
var writeTypes = map[string]bool{"application/yaml": true, "application/x-yaml": true, "application/json": true}

// New builds the guard of an admin API.
func New(o Options) *Guard {
	g := &Guard{origins: map[string]bool{}, hosts: map[string]bool{}, bound: o.Addr, methods: o.Methods,
		hostHint: "use a loopback address or the bound address", originHint: "admin requests from web pages are refused"}
	if o.HostsSetting != "" {
		g.hostHint += ", or list the name in " + o.HostsSetting
	}
	if o.OriginsSetting != "" {
		g.originHint = "list the origin in " + o.OriginsSetting
	}
	if o.TokenSetting != "" {
		g.tokenHint = " (" + o.TokenSetting + ")"
	}
	for _, origin := range o.Origins {
		g.origins[strings.TrimRight(origin, "/")] = true
	}
	for _, h := range o.Hosts {
		g.hosts[strings.ToLower(h)] = true
	}
	host, _, err := net.SplitHostPort(o.Addr)
	if err != nil {
		host = o.Addr
	}
	host = strings.ToLower(strings.Trim(host, "[]"))
	if o.Token != "" {
		sum := sha256.Sum256([]byte(o.Token))
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
// non-loopback address without a token), for a start banner's warning.
func (g *Guard) LoopbackOnly() bool { return g.loopbackOnly }

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
func (g *Guard) check(w http.ResponseWriter, r *http.Request) bool {
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.ToLower(strings.Trim(host, "[]"))
	if !isLoopbackName(host) && !g.hosts[host] {
		refuse(w, http.StatusForbidden, fmt.Sprintf("Host %q is not allowed for the admin API (DNS rebinding protection): %s", clipHost(r.Host), g.hostHint))
		return false
	}
	if isWrite(r) && !writeTypes[baseMediaType(r.Header.Get("Content-Type"))] {
		refuse(w, http.StatusUnsupportedMediaType, "admin writes need Content-Type application/yaml, application/x-yaml or application/json (a web page cannot send these without a preflight)")
		return false
	}
	origin := r.Header.Get("Origin")
	h := w.Header()
	if origin != "" {
		h.Add("Vary", "Origin")
		if !g.origins[origin] && !sameOrigin(origin, r.Host) {
			refuse(w, http.StatusForbidden, "origin not allowed for the admin API: "+g.originHint)
			return false
		}
		h.Set("Access-Control-Allow-Origin", origin)
		if isPreflight(r) {
			h.Set("Access-Control-Allow-Methods", g.methods)
			h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type")
			h.Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return false
		}
	}
	if g.loopbackOnly && !loopbackClient(r) {
		refuse(w, http.StatusForbidden, fmt.Sprintf("the admin API answers loopback clients only: the server is bound to %s without an admin token%s", g.bound, g.tokenHint))
		return false
	}
	if g.tokenSum != nil {
		given, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		sum := sha256.Sum256([]byte(strings.TrimSpace(given)))
		if !ok || subtle.ConstantTimeCompare(sum[:], g.tokenSum) != 1 {
			h.Set("WWW-Authenticate", `Bearer realm="hookkit admin"`)
			refuse(w, http.StatusUnauthorized, "the admin API needs Authorization: Bearer <admin token>")
			return false
		}
	}
	return true
}

func refuse(w http.ResponseWriter, status int, msg string) {
	b, _ := json.Marshal(map[string]string{"error": msg})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

// baseMediaType is the media type of a Content-Type without parameters, lower-cased.
func baseMediaType(ct string) string {
	mt, _, _ := strings.Cut(ct, ";")
	return strings.ToLower(strings.TrimSpace(mt))
}

// isPreflight reports whether r is a CORS preflight.
func isPreflight(r *http.Request) bool {
	return r.Method == http.MethodOptions && r.Header.Get("Origin") != "" && r.Header.Get("Access-Control-Request-Method") != ""
}

// isWrite reports whether r changes something (anything but GET, HEAD, OPTIONS).
func isWrite(r *http.Request) bool {
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

// Serve runs the guard, then next. Every write and every refusal is logged to log
// (method, endpoint, client, outcome; never a body or a credential).
func (g *Guard) Serve(w http.ResponseWriter, r *http.Request, log *slog.Logger, next http.HandlerFunc) {
	sw := &statusWriter{ResponseWriter: w}
	if g.check(sw, r) {
		next(sw, r)
	}
	refused := sw.status == http.StatusForbidden || sw.status == http.StatusUnauthorized || sw.status == http.StatusUnsupportedMediaType
	if !isWrite(r) && !refused {
		return
	}
	level := slog.LevelInfo
	if refused || sw.status >= 400 {
		level = slog.LevelWarn
	}
	log.LogAttrs(r.Context(), level, "admin",
		slog.String("method", r.Method),
		slog.String("endpoint", clipHost(r.URL.Path)),
		slog.String("client", r.RemoteAddr),
		slog.Int("status", sw.status))
}
