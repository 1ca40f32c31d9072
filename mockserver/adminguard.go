package mockserver

import (
	"net/http"

	"github.com/hookkit/hookkit/internal/adminguard"
	"github.com/hookkit/hookkit/mockserver/config"
)

// newAdminGuard builds the admin API's guard (package adminguard, shared with the proxy)
// from the config, the bound address ("" for a server whose address is unknown, as in
// tests on loopback) and the token of --admin-token-env, which wins over admin.tokenEnv.
func newAdminGuard(cfg *config.Config, addr, token string) *adminguard.Guard {
	if token == "" {
		token = cfg.AdminToken()
	}
	return adminguard.New(adminguard.Options{
		Origins: cfg.Admin.Origins, Hosts: cfg.Admin.Hosts, Addr: addr, Token: token, Methods: adminCORS.methods,
		HostsSetting: "admin.hosts", OriginsSetting: "admin.origins", TokenSetting: "--admin-token-env or admin.tokenEnv",
	})
}

// LoopbackOnly reports whether the admin API answers loopback clients only (bound to a
// non-loopback address without an admin token), for the banner's warning.
func (s *Server) LoopbackOnly() bool { return s.state.Load().guard.LoopbackOnly() }

// serveAdminGuarded runs the guard, then the admin API; writes and refusals are logged.
func (s *Server) serveAdminGuarded(st *state, w http.ResponseWriter, r *http.Request) {
	st.guard.Serve(w, r, s.log, func(w http.ResponseWriter, r *http.Request) { s.serveAdmin(st, w, r) })
}
