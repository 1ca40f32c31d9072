// Command refgen writes SDK-HMAC-SHA256 test vectors with the official Huawei Cloud Go
// SDK signer (github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/signer), so hookkit's
// own signer (package aksk) can be pinned against it without depending on the SDK.
//
//	go run . > ../vectors.json
package main

import (
	"encoding/json"
	"net/url"
	"os"
	"reflect"
	"sort"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/signer"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/request"
)

// query is a parameter with one or more values, kept in a list so the output is stable.
type query struct {
	Name   string   `json:"name"`
	Values []string `json:"values"`
}

type vector struct {
	Name     string            `json:"name"`
	AK       string            `json:"ak"`
	SK       string            `json:"sk"`
	Method   string            `json:"method"`
	Endpoint string            `json:"endpoint"`
	Path     string            `json:"path"`
	Query    []query           `json:"query,omitempty"`
	Headers  map[string]string `json:"headers"`
	Body     string            `json:"body,omitempty"`
	// Outputs of the official signer.
	Date          string `json:"x_sdk_date"`
	Authorization string `json:"authorization"`
	ContentSHA256 string `json:"x_sdk_content_sha256,omitempty"`
}

func main() {
	hookBody := `{"secret":"s3cr3t-value","url":"https://example.com/webhook"}`
	in := []vector{
		{Name: "sdk-test1-get-query", AK: "AccessKey", SK: "SecretKey", Method: "GET", Endpoint: "https://example.huaweicloud.com", Path: "/path",
			Query: []query{{"limit", []string{"1"}}}, Headers: map[string]string{"X-Sdk-Date": "20060102T150405Z"}},
		{Name: "create-hook", AK: "HPUAEXAMPLEAK0001", SK: "exampleSecretKey0001", Method: "POST", Endpoint: "https://servicestage.cn-north-4.myhuaweicloud.com",
			Path:    "/v1/0b5f4e1a8a00d2a12f4bc0126b6b3a81/git/repos/devcloud-team/group:app/hooks",
			Headers: map[string]string{"Host": "", "X-Sdk-Date": "20261130T010203Z", "Content-Type": "application/json;charset=utf8", "X-Repo-Auth": "my-github-auth"},
			Body:    hookBody},
		{Name: "create-hook-loopback-port", AK: "AK2", SK: "sk-with-symbols/+=", Method: "POST", Endpoint: "http://127.0.0.1:4010",
			Path:    "/v1/p1/git/repos/team/app/hooks",
			Headers: map[string]string{"Host": "", "X-Sdk-Date": "20261130T000000Z", "Content-Type": "application/json", "X-Repo-Auth": "a"},
			Body:    `{"secret":"x","url":"http://127.0.0.1:9/hook"}`},
		{Name: "path-escaping", AK: "AK3", SK: "SK3", Method: "GET", Endpoint: "https://api.example.com",
			Path:    "/v1/devcloud team/名前/a+b(c)*!'~._-/",
			Headers: map[string]string{"Host": "", "X-Sdk-Date": "20260101T000000Z"}},
		{Name: "query-sorting-escaping", AK: "AK4", SK: "SK4", Method: "GET", Endpoint: "https://api.example.com",
			Path: "/v2/items",
			Query: []query{{"zeta", []string{"z"}}, {"alpha", []string{"b", "a", "c"}}, {"empty", []string{""}},
				{"path", []string{"/tmp/123"}}, {"text", []string{"一 (&=?!#%.*)"}}, {"tilde~key", []string{"v~._-"}}},
			Headers: map[string]string{"Host": "", "X-Sdk-Date": "20260101T000000Z"}},
		{Name: "header-trimming-and-case", AK: "AK5", SK: "SK5", Method: "PUT", Endpoint: "https://api.example.com:8443",
			Path:    "/v1/p/resource",
			Headers: map[string]string{"Host": "", "X-Sdk-Date": "20260615T235959Z", "X-Project-Id": "  0b5f  ", "x-lower-case": "Value With Spaces", "Content-Type": "application/json"},
			Body:    `{"a":1}`},
		{Name: "delete-no-body-root-path", AK: "AK6", SK: "SK6", Method: "DELETE", Endpoint: "https://api.example.com",
			Path: "/", Headers: map[string]string{"Host": "", "X-Sdk-Date": "20260101T120000Z"}},
		{Name: "non-json-unsigned-payload", AK: "AK7", SK: "SK7", Method: "POST", Endpoint: "https://api.example.com",
			Path:    "/v1/upload",
			Headers: map[string]string{"Host": "", "X-Sdk-Date": "20260101T120000Z", "Content-Type": "text/plain"},
			Body:    "plain text body"},
		{Name: "underscore-header-not-signed", AK: "AK8", SK: "SK8", Method: "GET", Endpoint: "https://api.example.com",
			Path: "/v1/x", Headers: map[string]string{"Host": "", "X-Sdk-Date": "20260101T120000Z", "TEST_UNDERSCORE": "TEST_VALUE"}},
	}
	for i := range in {
		v := &in[i]
		b := request.NewHttpRequestBuilder().WithMethod(v.Method).WithEndpoint(v.Endpoint).WithPath(v.Path)
		if v.Body != "" {
			b.WithBody("body", v.Body)
		}
		for _, q := range v.Query {
			if len(q.Values) == 1 {
				b.AddQueryParam(q.Name, reflect.ValueOf(q.Values[0]))
			} else {
				b.AddQueryParam(q.Name, reflect.ValueOf(q.Values))
			}
		}
		for k, val := range v.Headers {
			if k == "Host" && val == "" {
				// The SDK signs the Host header's own value (its substitution of the
				// endpoint's host comes too late to be used), so give it the real one.
				u, err := url.Parse(v.Endpoint)
				if err != nil {
					panic(err)
				}
				val = u.Host
				v.Headers[k] = val
			}
			b.AddHeaderParam(k, val)
		}
		req := b.Build()
		out, err := signer.Sign(req, v.AK, v.SK)
		if err != nil {
			panic(err)
		}
		v.Date = out["X-Sdk-Date"]
		v.Authorization = out["Authorization"]
		v.ContentSHA256 = req.GetHeaderParams()["X-Sdk-Content-Sha256"]
		for _, q := range v.Query {
			sort.Strings(q.Values) // the order of values does not matter to the signature
		}
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(in); err != nil {
		panic(err)
	}
}
