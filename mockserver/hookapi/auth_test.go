package hookapi_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hookkit/hookkit/aksk"
	"github.com/hookkit/hookkit/mockserver"
	"github.com/hookkit/hookkit/mockserver/config"
	"github.com/hookkit/hookkit/mockserver/journal"
	"github.com/hookkit/hookkit/mockserver/mocktest"
	"github.com/hookkit/hookkit/openapi"
)

const (
	testAK = "HPUATESTAK01"
	testSK = "test-SK-5f2c9e-secret"
)

// now is the mock's clock in these tests: signature dates are judged against it.
var now = time.Date(2026, 11, 30, 1, 2, 3, 0, time.UTC)

// startSigned starts the mock with the access key testAK, its secret key in an
// environment variable, on a fixed clock.
func startSigned(t *testing.T, yaml string) *mocktest.Mock {
	t.Helper()
	t.Setenv("HOOKAPI_TEST_SK", testSK)
	cfg, err := config.Parse([]byte(yaml), "mock.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return mocktest.Start(t, mocktest.WithOptions(mockserver.Options{Config: cfg, Clock: func() time.Time { return now }}))
}

const keysYAML = `
auth:
  aksk:
    - accessKey: ` + testAK + `
      secretKeyEnv: HOOKAPI_TEST_SK
`

const hookBody = `{"secret":"hook-secret-77","url":"https://example.com/webhook"}`

// hookRequest is a valid createProjectHook request without credential.
func hookRequest(t *testing.T, base, project, body string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, base+"/v1/p1/git/repos/team/"+project+"/hooks", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Repo-Auth", "my-github-auth")
	return req
}

type answer struct {
	status int
	code   string
	msg    string
	raw    string
}

func send(t *testing.T, req *http.Request, body string) answer {
	t.Helper()
	req.Body = io.NopCloser(strings.NewReader(body))
	req.ContentLength = int64(len(body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var e struct {
		Code string `json:"error_code"`
		Msg  string `json:"error_msg"`
	}
	_ = json.Unmarshal(raw, &e)
	return answer{status: resp.StatusCode, code: e.Code, msg: e.Msg, raw: string(raw)}
}

// independentSign signs req without package aksk, written from the algorithm's
// description alone, so a shared mistake in aksk cannot make both sides agree.
func independentSign(req *http.Request, body, ak, sk string, at time.Time) {
	date := at.UTC().Format("20060102T150405Z")
	req.Header.Set("X-Sdk-Date", date)
	enc := func(s string) string {
		// url.QueryEscape encodes everything but unreserved characters, except that it
		// writes a space as "+": fix that one.
		return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
	}
	var segs []string
	for _, s := range strings.Split(req.URL.Path, "/") {
		segs = append(segs, enc(s))
	}
	uri := strings.Join(segs, "/")
	if !strings.HasSuffix(uri, "/") {
		uri += "/"
	}
	// Names, then each name's values, sorted before encoding (as the official SDK does).
	q := req.URL.Query()
	var keys, qs []string
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		vs := q[k]
		sort.Strings(vs)
		for _, v := range vs {
			qs = append(qs, enc(k)+"="+enc(v))
		}
	}
	headers := map[string]string{"host": req.URL.Host}
	for k := range req.Header {
		if !strings.EqualFold(k, "Content-Type") {
			headers[strings.ToLower(k)] = strings.TrimSpace(req.Header.Get(k))
		}
	}
	var names []string
	for k := range headers {
		names = append(names, k)
	}
	sort.Strings(names)
	var canon strings.Builder
	for _, n := range names {
		canon.WriteString(n + ":" + headers[n] + "\n")
	}
	bodySum := sha256.Sum256([]byte(body))
	cr := strings.Join([]string{req.Method, uri, strings.Join(qs, "&"), canon.String(), strings.Join(names, ";"), hex.EncodeToString(bodySum[:])}, "\n")
	crSum := sha256.Sum256([]byte(cr))
	mac := hmac.New(sha256.New, []byte(sk))
	mac.Write([]byte("SDK-HMAC-SHA256\n" + date + "\n" + hex.EncodeToString(crSum[:])))
	req.Header.Set("Authorization", fmt.Sprintf("SDK-HMAC-SHA256 Access=%s, SignedHeaders=%s, Signature=%s", ak, strings.Join(names, ";"), hex.EncodeToString(mac.Sum(nil))))
}

func TestSignedRequestsAccepted(t *testing.T) {
	m := startSigned(t, keysYAML)
	for _, tt := range []struct {
		name string
		sign func(req *http.Request)
	}{
		{"aksk signer", func(req *http.Request) {
			if _, err := aksk.Sign(req, []byte(hookBody), testAK, testSK, now); err != nil {
				t.Fatal(err)
			}
		}},
		{"independent signer", func(req *http.Request) { independentSign(req, hookBody, testAK, testSK, now) }},
		{"independent signer, escaped path and query", func(req *http.Request) {
			req.URL.Path = "/v1/p1/git/repos/dev team/group:app/hooks"
			req.URL.RawPath = ""
			req.URL.RawQuery = "b=2&a=x+y&a=%C3%A9"
			independentSign(req, hookBody, testAK, testSK, now.Add(-10*time.Minute))
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req := hookRequest(t, m.URL, "app", hookBody)
			tt.sign(req)
			if a := send(t, req, hookBody); a.status != http.StatusOK {
				t.Fatalf("status %d: %s", a.status, a.raw)
			}
		})
	}
	entries := m.Server.Journal().List(journal.Filter{})
	if len(entries) != 3 {
		t.Fatalf("%d journal entries", len(entries))
	}
	for _, e := range entries {
		if e.Auth != "aksk "+testAK+": signature verified" {
			t.Errorf("journal auth = %q", e.Auth)
		}
	}
}

// TestTamperingRefused signs a request, changes one part of it, and requires a refusal
// under SVCSTG.REPO.0401 whose message is distinct for each tampering, names what the mock
// signed, and reveals neither the expected signature nor the secret key.
func TestTamperingRefused(t *testing.T) {
	m := startSigned(t, keysYAML)
	tests := []struct {
		name string
		// prepare changes the request before signing, tamper after; the body sent is
		// returned by tamper.
		prepare func(req *http.Request)
		tamper  func(req *http.Request) string
		// want is a part of the message that shows the tampering.
		want string
		at   time.Time
		ak   string
		sk   string
	}{
		{name: "method", prepare: func(req *http.Request) { req.Method = http.MethodPut },
			tamper: func(req *http.Request) string { req.Method = http.MethodPost; return hookBody }, want: "made for method PUT, but the request is POST"},
		{name: "path", tamper: func(req *http.Request) string { req.URL.Path = "/v1/p1/git/repos/team/other/hooks"; return hookBody }, want: "/other/hooks/"},
		{name: "query", tamper: func(req *http.Request) string { req.URL.RawQuery = "page=2"; return hookBody }, want: "query page=2"},
		{name: "signed header", tamper: func(req *http.Request) string { req.Header.Set("X-Repo-Auth", "another-auth"); return hookBody }, want: "values digest"},
		{name: "body", tamper: func(*http.Request) string { return `{"secret":"hook-secret-77","url":"https://evil.example/w"}` }, want: "58-byte body"},
		{name: "date", tamper: func(req *http.Request) string { req.Header.Set("X-Sdk-Date", "20261130T010000Z"); return hookBody }, want: "X-Sdk-Date 20261130T010000Z"},
		{name: "stale date", at: now.Add(-16 * time.Minute), tamper: func(*http.Request) string { return hookBody }, want: "more than the allowed clock skew of 15m0s"},
		{name: "future date", at: now.Add(time.Hour), tamper: func(*http.Request) string { return hookBody }, want: "in the future"},
		{name: "unknown key", ak: "HPUAUNKNOWN", tamper: func(*http.Request) string { return hookBody }, want: "unknown access key HPUAUNKNOWN"},
		{name: "other secret key", sk: "another-secret-key", tamper: func(*http.Request) string { return hookBody }, want: "signed with another secret key"},
		{name: "host unsigned", tamper: func(req *http.Request) string {
			a, _ := aksk.ParseAuthorization(req.Header.Get("Authorization"))
			a.SignedHeaders = []string{"x-repo-auth", "x-sdk-date"}
			req.Header.Set("Authorization", a.String())
			return hookBody
		}, want: "does not sign host"},
		{name: "malformed", tamper: func(req *http.Request) string {
			req.Header.Set("Authorization", "SDK-HMAC-SHA256 Access="+testAK+", Signature=abc")
			return hookBody
		}, want: "header Authorization: SDK-HMAC-SHA256"},
	}
	seen := map[string]string{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := hookRequest(t, m.URL, "app", hookBody)
			if tt.prepare != nil {
				tt.prepare(req)
			}
			at, ak, sk := now, testAK, testSK
			if !tt.at.IsZero() {
				at = tt.at
			}
			if tt.ak != "" {
				ak = tt.ak
			}
			if tt.sk != "" {
				sk = tt.sk
			}
			signed, err := aksk.Sign(req, []byte(hookBody), ak, sk, at)
			if err != nil {
				t.Fatal(err)
			}
			body := tt.tamper(req)
			// The signature the mock would have wanted for what it received.
			sent := req.Clone(req.Context())
			want := aksk.Signature(testSK, aksk.StringToSign(aksk.CanonicalRequest(sent, []byte(body), signed.Authorization.SignedHeaders), req.Header.Get("X-Sdk-Date")))
			a := send(t, req, body)
			if a.status != http.StatusBadRequest || a.code != "SVCSTG.REPO.0401" {
				t.Fatalf("answer %d %s, want 400 SVCSTG.REPO.0401: %s", a.status, a.code, a.raw)
			}
			if !strings.Contains(a.msg, tt.want) {
				t.Errorf("message %q does not contain %q", a.msg, tt.want)
			}
			for _, secret := range []string{want, signed.Authorization.Signature, testSK, sk} {
				if strings.Contains(a.raw, secret) {
					t.Errorf("answer reveals a secret or signature: %s", a.raw)
				}
			}
			if prev, dup := seen[a.msg]; dup {
				t.Errorf("same message as %s: %s", prev, a.msg)
			}
			seen[a.msg] = tt.name
		})
	}
	// Journal: the access key shows, the signatures and the secret key never do.
	raw, _ := json.Marshal(m.Server.Journal().List(journal.Filter{}))
	if !bytes.Contains(raw, []byte(testAK+": signature refused (invalid-signature)")) {
		t.Errorf("journal does not name the access key and the refusal: %s", raw)
	}
	if bytes.Contains(raw, []byte(testSK)) || bytes.Contains(raw, []byte("Signature=")) {
		t.Errorf("journal holds a secret key or signature: %s", raw)
	}
}

// TestUnverifiedSignatures: without configured keys, a well-formed fresh signature passes
// and is journaled as not verified; a stale one is still refused.
func TestUnverifiedSignatures(t *testing.T) {
	m := startSigned(t, "")
	req := hookRequest(t, m.URL, "app", hookBody)
	if _, err := aksk.Sign(req, []byte(hookBody), "ANYKEY", "any-secret", now); err != nil {
		t.Fatal(err)
	}
	if a := send(t, req, hookBody); a.status != http.StatusOK {
		t.Fatalf("status %d: %s", a.status, a.raw)
	}
	if e := m.Server.Journal().List(journal.Filter{})[0]; !strings.Contains(e.Auth, "ANYKEY: signature not verified") {
		t.Errorf("journal auth = %q", e.Auth)
	}
	req = hookRequest(t, m.URL, "app", hookBody)
	if _, err := aksk.Sign(req, []byte(hookBody), "ANYKEY", "any-secret", now.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	if a := send(t, req, hookBody); a.status != http.StatusBadRequest || !strings.Contains(a.msg, "allowed clock skew") {
		t.Fatalf("stale signature: %d %s", a.status, a.raw)
	}
}

func TestAuthConfigErrors(t *testing.T) {
	t.Setenv("HOOKAPI_EMPTY", "")
	doc, err := openapi.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ yaml, want string }{
		{"auth:\n  aksk:\n    - accessKey: A\n      secretKeyEnv: HOOKAPI_EMPTY\n", "mock.yaml:3: auth.aksk[0]: environment variable HOOKAPI_EMPTY (secretKeyEnv) is not set or empty"},
		{"auth:\n  aksk:\n    - accessKey: A\n      secretKey: inline\n", `unknown key "secretKey"`},
		{"auth:\n  aksk:\n    - accessKey: A\n", "never inline"},
		{"auth:\n  aksk:\n    - accessKey: A\n      secretKeyFile: /nonexistent/sk\n", "secretKeyFile: stat /nonexistent/sk: no such file or directory"},
		{"auth:\n  maxSkew: -1m\n", "auth.maxSkew must not be negative"},
	} {
		// Parse reports what the file says; what it names (a variable, a file) is read when
		// the mock loads the config, before it serves.
		cfg, err := config.Parse([]byte(tt.yaml), "mock.yaml")
		if err == nil {
			var srv *mockserver.Server
			if srv, err = mockserver.New(doc, mocktest.HookAPIOptions(mockserver.Options{Config: cfg})); err == nil {
				_ = srv.Close()
			}
		}
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: err = %v, want %q", tt.yaml, err, tt.want)
		}
	}
}
