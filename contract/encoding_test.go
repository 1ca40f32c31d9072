package contract_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/hookkit/hookkit/contract"
)

// TestProxyValidatesGzipAnswers: browsers ask for gzip, so a proxied answer often arrives
// compressed; the proxy forwards it compressed and validates the decoded body.
func TestProxyValidatesGzipAnswers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		body     string
		wantMark string
	}{
		{name: "valid", body: `{"id":"1","type":"github","callback_url":"https://example.com/"}`},
		{name: "wrong type", body: `{"id":1,"type":"github","callback_url":"https://example.com/"}`, wantMark: "1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var zipped bytes.Buffer
			zw := gzip.NewWriter(&zipped)
			_, _ = zw.Write([]byte(tt.body))
			_ = zw.Close()
			up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("Content-Encoding", "gzip")
				_, _ = w.Write(zipped.Bytes())
			}))
			defer up.Close()
			u, _ := url.Parse(up.URL)
			px := httptest.NewServer(contract.NewProxy(hookDoc(t), u, contract.ProxyOptions{}))
			defer px.Close()
			req, _ := http.NewRequest(http.MethodPost, px.URL+"/v1/p/git/repos/ns/app/hooks", strings.NewReader(`{"secret":"s","url":"https://example.com/"}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept-Encoding", "gzip")
			req.Header.Set("X-Auth-Token", "t0ken")
			req.Header.Set("X-Repo-Auth", "a")
			resp, err := (&http.Client{Transport: &http.Transport{DisableCompression: true}}).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := ioReadAll(resp)
			if got != zipped.String() {
				t.Error("the compressed body was not forwarded unchanged")
			}
			if mark := resp.Header.Get(contract.ViolationsHeader); mark != tt.wantMark {
				t.Errorf("%s = %q, want %q", contract.ViolationsHeader, mark, tt.wantMark)
			}
		})
	}
}

// TestCheckHARBase64Content reads a response body that devtools stored base64-encoded.
func TestCheckHARBase64Content(t *testing.T) {
	t.Parallel()
	body := base64.StdEncoding.EncodeToString([]byte(`{"id":7,"type":"github","callback_url":"https://example.com/"}`))
	har := `{"log":{"version":"1.2","entries":[{"time":3,"request":{"method":"POST",
		"url":"http://api.example/v1/p/git/repos/ns/app/hooks",
		"headers":[{"name":"X-Auth-Token","value":"t0ken"},{"name":"X-Repo-Auth","value":"a"}],
		"postData":{"mimeType":"application/json","text":"{\"secret\":\"s\",\"url\":\"https://example.com/\"}"}},
		"response":{"status":200,"headers":[],"content":{"mimeType":"application/json","encoding":"base64","text":"` + body + `"}}}]}}`
	rep, err := contract.CheckHAR(context.Background(), hookDoc(t), strings.NewReader(har), contract.HAROptions{Source: "inline"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := failed(rep), []string{"createProjectHook/recorded/1 body-schema"}; !slices.Equal(got, want) {
		t.Errorf("failures %q, want %q", got, want)
	}
}
