package main

import (
	"bytes"
	"net/url"
	"strings"
	"testing"

	"github.com/hookkit/hookkit/contract"
	"github.com/hookkit/hookkit/mockserver"
	"github.com/hookkit/hookkit/mockserver/mocktest"
	"github.com/hookkit/hookkit/openapi"
)

// TestBannerWarnsWhenAdminIsExposed: bound to every interface without a token, the mock's
// and the proxy's banners warn; on loopback, or with a token, they do not. (The servers
// are built, not started: tests bind loopback only.)
func TestBannerWarnsWhenAdminIsExposed(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Default()
	if err != nil {
		t.Fatal(err)
	}
	up, _ := url.Parse("http://127.0.0.1:1")
	for _, tc := range []struct {
		addr, token string
		warn        bool
	}{
		{"0.0.0.0:4010", "", true},
		{"[::]:4010", "", true},
		{"192.0.2.10:4010", "", true},
		{"0.0.0.0:4010", "adm-token", false},
		{"127.0.0.1:4010", "", false},
		{"localhost:4010", "", false},
	} {
		srv, err := mockserver.New(doc, mocktest.HookAPIOptions(mockserver.Options{Addr: tc.addr, AdminToken: tc.token}))
		if err != nil {
			t.Fatal(err)
		}
		px := contract.NewProxy(doc, up, contract.ProxyOptions{Addr: tc.addr, AdminToken: tc.token})
		for name, loopbackOnly := range map[string]bool{"the admin API": srv.LoopbackOnly(), contract.AdminPath: px.LoopbackOnly()} {
			var out bytes.Buffer
			adminWarning(&out, loopbackOnly, tc.addr, name)
			if got := strings.HasPrefix(out.String(), "WARNING: bound to "+tc.addr); got != tc.warn {
				t.Errorf("%s, token %q, %s: warning %v, want %v: %q", tc.addr, tc.token, name, got, tc.warn, out.String())
			}
		}
	}
}
