package config

import (
	"net"
	"net/url"
	"strings"
)

// validateAdmin checks the admin section: explicit origins (no "*" or "null": the admin
// API can rewrite the mock, so a web page must be named to use it) and host names; Resolve
// reads the token variable.
func (c *Config) validateAdmin(add func(line int, format string, args ...any)) {
	for _, o := range c.Admin.Origins {
		u, err := url.Parse(o)
		if o == "*" || o == "null" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
			add(c.keyLine("admin", "origins"), "admin.origins: %q is not an origin such as http://localhost:3000 (\"*\" and \"null\" are not allowed for the admin API)", o)
		}
	}
	for _, h := range c.Admin.Hosts {
		if h == "" || strings.ContainsAny(h, "/:@ ") && net.ParseIP(h) == nil {
			add(c.keyLine("admin", "hosts"), "admin.hosts: %q is not a host name such as mock.internal (no scheme, port or path)", h)
		}
	}
}

// AdminToken returns the admin token that [Resolve] read from the variable admin.tokenEnv
// names ("" when none, or in a config that was not resolved).
func (c *Config) AdminToken() string { return c.adminToken }
