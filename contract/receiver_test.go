package contract_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/hookkit/hookkit/contract"
	"github.com/hookkit/hookkit/webhook"
)

const receiverSecret = "receiver-SECRET-4411"

// signatureRE finds a GitHub signature value.
var signatureRE = regexp.MustCompile(`sha256=[0-9a-f]{64}`)

// receivers of increasing sloppiness, each a handler a team might write.
func correctReceiver(typ string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := webhook.Verify(typ, r.Header, body, receiverSecret); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		if !json.Valid(body) {
			http.Error(w, "bad JSON", http.StatusBadRequest)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
}

// ignoresSignature accepts everything.
var ignoresSignature = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.Copy(io.Discard, r.Body) })

// presenceOnly checks that a signature is there and looks right, not that it is right:
// it accepts another secret's signature.
var presenceOnly = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if !strings.HasPrefix(r.Header.Get("X-Hub-Signature-256"), "sha256=") || !json.Valid(body) {
		http.Error(w, "unsigned", http.StatusUnauthorized)
	}
})

func TestCheckReceiver(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		typ     string
		handler http.Handler
		exit    int
		failed  []string // case ids that must fail
	}{
		{"github correct", "github", correctReceiver("github"), 0, nil},
		{"gitlab correct", "gitlab", correctReceiver("gitlab"), 0, nil},
		{"ignores the signature", "github", ignoresSignature, 1, []string{"unsigned", "wrong-signature", "other-secret", "truncated-body"}},
		{"accepts another secret", "github", presenceOnly, 1, []string{"wrong-signature", "other-secret"}},
		{"wrong secret configured", "github", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			if webhook.Verify("github", r.Header, body, "not-the-hook-secret") != nil {
				w.WriteHeader(http.StatusForbidden)
			}
		}), 1, []string{"signed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(tt.handler)
			t.Cleanup(srv.Close)
			rep, err := contract.CheckReceiver(context.Background(), contract.ReceiverOptions{URL: srv.URL + "/hook", Type: tt.typ, Secret: receiverSecret})
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Results) != 5 {
				t.Fatalf("%d cases", len(rep.Results))
			}
			if got := rep.ExitCode(); got != tt.exit {
				t.Errorf("exit code %d, want %d", got, tt.exit)
			}
			var failed []string
			for _, res := range rep.Results {
				if res.Outcome == contract.Fail {
					failed = append(failed, strings.TrimPrefix(res.Case.ID, "receiver/"+string(res.Case.Kind)+"/"))
				}
			}
			if strings.Join(failed, ",") != strings.Join(tt.failed, ",") {
				t.Errorf("failed cases %v, want %v", failed, tt.failed)
			}
			var text, js bytes.Buffer
			if err := rep.WriteText(&text, true); err != nil {
				t.Fatal(err)
			}
			if err := rep.WriteJSON(&js); err != nil {
				t.Fatal(err)
			}
			for _, out := range []string{text.String(), js.String()} {
				if strings.Contains(out, receiverSecret) || signatureRE.MatchString(out) {
					t.Errorf("report shows the secret or a signature:\n%s", out)
				}
			}
			if !strings.Contains(text.String(), "$WEBHOOK_SECRET") {
				t.Errorf("curl lines do not use $WEBHOOK_SECRET:\n%s", text.String())
			}
		})
	}
}

func TestCheckReceiverUnreachable(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	rep, err := contract.CheckReceiver(context.Background(), contract.ReceiverOptions{URL: "http://" + addr + "/hook", Type: "gitlab", Secret: "s"})
	if err != nil {
		t.Fatal(err)
	}
	if rep.ExitCode() != 3 {
		t.Errorf("exit code %d, want 3", rep.ExitCode())
	}
}

func TestCheckReceiverOptions(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		opts contract.ReceiverOptions
		want string
	}{
		{contract.ReceiverOptions{Type: "github", Secret: "s"}, "URL is required"},
		{contract.ReceiverOptions{URL: "ftp://x", Type: "github", Secret: "s"}, "want http:// or https://"},
		{contract.ReceiverOptions{URL: "http://x", Type: "bitbucket", Secret: "s"}, "want github or gitlab"},
		{contract.ReceiverOptions{URL: "http://x", Type: "github"}, "secret is required"},
		{contract.ReceiverOptions{URL: "http://x", Type: "gitlab", Secret: "s", Event: "ping-pong"}, "not one of"},
	} {
		if _, err := contract.CheckReceiver(context.Background(), tt.opts); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: err = %v, want %q", tt.opts, err, tt.want)
		}
	}
}
