package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hookkit/hookkit/webhook"
)

const (
	flowAK = "HPUAFLOWAK42"
	flowSK = "flow-SK-9d1e77-DISTINCTIVE"
)

// akskConfig writes a mock config that knows flowAK, its secret key read from the
// environment variable FLOW_MOCK_SK.
func akskConfig(t *testing.T, extra string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "mock.yaml")
	yaml := "auth:\n  aksk:\n    - accessKey: " + flowAK + "\n      secretKeyEnv: FLOW_MOCK_SK\n" + extra
	if err := os.WriteFile(p, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// runCheckBinary runs the real hookkit check with extra environment variables.
func runCheckBinary(t *testing.T, env []string, args ...string) (int, string, string) {
	t.Helper()
	return runBinary(t, env, append([]string{"check"}, args...)...)
}

// runBinary runs the real hookkit with extra environment variables (NAME=value) and
// returns its exit code, stdout and stderr.
func runBinary(t *testing.T, env []string, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, hookkitBin, args...)
	cmd.Env = append(os.Environ(), env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, out.String(), errOut.String()
}

// TestCheckAKSKBinary: hookkit check --ak-env --sk-env passes against a mock that knows
// the key, with the AK/SK negative cases, and fails against a mock configured with
// another secret key. The secret key appears in no output.
func TestCheckAKSKBinary(t *testing.T) {
	t.Parallel()
	env := []string{"FLOW_AK=" + flowAK, "FLOW_SK=" + flowSK}
	good := startMockEnv(t, []string{"FLOW_MOCK_SK=" + flowSK}, "--config", akskConfig(t, ""))
	report := filepath.Join(t.TempDir(), "report.json")
	code, out, errOut := runCheckBinary(t, env, "--base-url", good.url, "--ak-env", "FLOW_AK", "--sk-env", "FLOW_SK", "-v", "--report", "json="+report)
	if code != 0 {
		t.Fatalf("exit %d against the mock that knows the key\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{
		"PASS    createProjectHook/negative/aksk-wrong-signature -> 400",
		"PASS    createProjectHook/negative/aksk-stale-date -> 400",
		"PASS    createProjectHook/negative/missing-credential -> 400",
		"# signed with AK/SK (SDK-HMAC-SHA256)",
		"canonical request (SDK-HMAC-SHA256):",
		"host;x-repo-auth;x-sdk-date",
		"-H 'Authorization: [REDACTED]'",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	js, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	// The mock batches its log lines: wait for the one of a signed request.
	good.stderr.waitFor(t, "auth=\"aksk "+flowAK+": signature verified\"")
	good.stderr.waitFor(t, flowAK+": signature refused (invalid-signature)")
	logs := good.stderr.String()
	for name, text := range map[string]string{"stdout": out, "stderr": errOut, "report": string(js), "mock log": logs} {
		if strings.Contains(text, flowSK) || strings.Contains(text, "Signature=") {
			t.Errorf("%s shows the secret key or a signature", name)
		}
	}

	other := startMockEnv(t, []string{"FLOW_MOCK_SK=another-secret-key"}, "--config", akskConfig(t, ""))
	code, out, _ = runCheckBinary(t, env, "--base-url", other.url, "--ak-env", "FLOW_AK", "--sk-env", "FLOW_SK")
	if code != 1 || !strings.Contains(out, "FAIL    createProjectHook/positive/github-webhook -> 400") ||
		!strings.Contains(out, "signature does not match (access key "+flowAK+")") {
		t.Fatalf("exit %d against a mock with another secret key, want 1 and refused positives:\n%s", code, out)
	}
}

// TestCheckAKSKFlags: the keys come only from the environment or a credentials.csv.
func TestCheckAKSKFlags(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	csvFile := filepath.Join(dir, "credentials.csv")
	if err := os.WriteFile(csvFile, []byte("User Name,Access Key Id,Secret Access Key\nci,"+flowAK+","+flowSK+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(bad, []byte("name,key\nci,"+flowSK+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	good := startMockEnv(t, []string{"FLOW_MOCK_SK=" + flowSK}, "--config", akskConfig(t, ""))
	code, out, errOut := runCheckBinary(t, nil, "--base-url", good.url, "--aksk-file", csvFile)
	if code != 0 {
		t.Fatalf("--aksk-file: exit %d\n%s\n%s", code, out, errOut)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--ak-env", "FLOW_AK"}, "--ak-env and --sk-env go together"},
		{[]string{"--ak-env", "FLOW_UNSET_AK", "--sk-env", "FLOW_UNSET_SK"}, "environment variable FLOW_UNSET_AK is not set"},
		{[]string{"--aksk-file", bad}, `must name the columns "Access Key Id" and "Secret Access Key"`},
		{[]string{"--aksk-file", csvFile, "--ak-env", "A"}, "--aksk-file excludes"},
	} {
		code, _, errOut := runCheckBinary(t, nil, append([]string{"--base-url", good.url}, tt.args...)...)
		if code != 2 || !strings.Contains(errOut, tt.want) || strings.Contains(errOut, flowSK) {
			t.Errorf("%v: exit %d, stderr %q, want 2 and %q", tt.args, code, errOut, tt.want)
		}
	}
}

// TestWebhookDeliveryBinary registers hooks on the real binary whose url is a local
// receiver, triggers deliveries through the admin API and verifies each signature from
// the bytes received: github (X-Hub-Signature-256) and gitlab (X-Gitlab-Token). A hook on
// another host is refused and journaled.
func TestWebhookDeliveryBinary(t *testing.T) {
	t.Parallel()
	type got struct {
		header http.Header
		body   []byte
	}
	ch := make(chan got, 8)
	rc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		ch <- got{r.Header.Clone(), body}
	}))
	t.Cleanup(rc.Close)
	p := filepath.Join(t.TempDir(), "mock.yaml")
	if err := os.WriteFile(p, []byte("hooks:\n  types: {my-gitlab-auth: gitlab}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	mock := startMock(t, "--config", p)
	post := func(url, body string, header map[string]string) (int, string) {
		t.Helper()
		code, b := stateCall(t, http.MethodPost, url, body, header)
		return code, string(b)
	}
	create := func(repoAuth, url, secret string) string {
		t.Helper()
		status, raw := post(mock.url+"/v1/p1/git/repos/team/group:app/hooks", `{"secret":"`+secret+`","url":"`+url+`"}`,
			map[string]string{"X-Auth-Token": "t", "X-Repo-Auth": repoAuth})
		var h struct{ ID string }
		if status != 200 || json.Unmarshal([]byte(raw), &h) != nil {
			t.Fatalf("create: %d %s", status, raw)
		}
		return h.ID
	}
	for _, tt := range []struct{ typ, repoAuth, secret string }{
		{"github", "my-github-auth", "gh-DELIVERY-secret-1"},
		{"gitlab", "my-gitlab-auth", "gl-DELIVERY-secret-2"},
	} {
		id := create(tt.repoAuth, rc.URL+"/receive", tt.secret)
		status, raw := post(mock.url+"/__admin/hooks/"+id+"/deliveries?wait=10s", `{"event":"push"}`, nil)
		if status != 200 || !strings.Contains(raw, `"status": "delivered"`) {
			t.Fatalf("%s delivery: %d %s", tt.typ, status, raw)
		}
		var g got
		select {
		case g = <-ch:
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: nothing received", tt.typ)
		}
		if err := webhook.Verify(tt.typ, g.header, g.body, tt.secret); err != nil {
			t.Errorf("%s: %v", tt.typ, err)
		}
		var payload map[string]any
		if err := json.Unmarshal(g.body, &payload); err != nil || payload["ref"] != "refs/heads/main" {
			t.Errorf("%s payload: %s", tt.typ, g.body)
		}
		if strings.Contains(raw, tt.secret) {
			t.Errorf("%s: the admin answer shows the secret", tt.typ)
		}
	}
	id := create("my-github-auth", "https://hooks.example.com/receive", "x")
	status, raw := post(mock.url+"/__admin/hooks/"+id+"/deliveries", "", nil)
	if status != 400 || !strings.Contains(raw, "not loopback") {
		t.Fatalf("delivery to another host: %d %s", status, raw)
	}
	resp, err := http.Get(mock.url + "/__admin/deliveries")
	if err != nil {
		t.Fatal(err)
	}
	list, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(list), `"status": "refused"`) || !strings.Contains(string(list), "hooks.example.com") {
		t.Errorf("refusal not journaled: %s", list)
	}
	for _, s := range []string{"gh-DELIVERY-secret-1", "gl-DELIVERY-secret-2"} {
		if strings.Contains(string(list), s) || strings.Contains(mock.stderr.String(), s) {
			t.Errorf("secret %s shown by the deliveries or the log", s)
		}
	}
}

// TestCheckReceiverBinary runs the real hookkit check-receiver against a correct
// receiver (exit 0) and one that ignores signatures (exit 1, the forgeries flagged).
func TestCheckReceiverBinary(t *testing.T) {
	t.Parallel()
	const secret = "recv-BINARY-secret-6c"
	correct := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if webhook.Verify("github", r.Header, body, secret) != nil || !json.Valid(body) {
			w.WriteHeader(http.StatusUnauthorized)
		}
	}))
	t.Cleanup(correct.Close)
	careless := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	t.Cleanup(careless.Close)
	run := func(url string, extra ...string) (int, string, string) {
		return runBinary(t, []string{"RECV_SECRET=" + secret},
			append([]string{"check-receiver", "--url", url, "--type", "github", "--secret-env", "RECV_SECRET"}, extra...)...)
	}
	junit := filepath.Join(t.TempDir(), "receiver.xml")
	code, out, errOut := run(correct.URL, "--report", "junit="+junit)
	if code != 0 || !strings.Contains(out, "5 cases: 5 passed, 0 failed") {
		t.Fatalf("correct receiver: exit %d\n%s\n%s", code, out, errOut)
	}
	if x, err := os.ReadFile(junit); err != nil || !strings.Contains(string(x), `tests="5"`) {
		t.Errorf("junit report: %v %s", err, x)
	}
	code, out, _ = run(careless.URL, "-v")
	if code != 1 {
		t.Fatalf("careless receiver: exit %d, want 1\n%s", code, out)
	}
	for _, want := range []string{
		"PASS    receiver/positive/signed -> 200",
		"FAIL    receiver/negative/unsigned -> 200",
		"FAIL    receiver/negative/other-secret -> 200",
		"✗ negative-rejected: answered 200 to a delivery signed with another secret; want a 4xx",
		`-H "X-Hub-Signature-256: sha256=$(printf %s "$body" | openssl dgst -sha256 -hmac "$WEBHOOK_SECRET"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, secret) {
		t.Error("the output shows the secret")
	}
	if code, _, errOut := run(correct.URL, "--type", "bitbucket"); code != 2 || !strings.Contains(errOut, "want github or gitlab") {
		t.Errorf("bad type: exit %d %s", code, errOut)
	}
}
