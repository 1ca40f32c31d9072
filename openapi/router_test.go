package openapi

import (
	"errors"
	"fmt"
	"reflect"

	"github.com/hookkit/hookkit/internal/specgen"
	"testing"
)

const routerDoc = `
openapi: 3.0.3
info: {title: router, version: "1"}
servers:
  - url: https://api.example.com/base/v2
paths:
  /users:
    get: {operationId: listUsers, responses: {"200": {description: ok}}}
    post: {operationId: createUser, responses: {"201": {description: ok}}}
  /users/me:
    get: {operationId: getMe, responses: {"200": {description: ok}}}
  /users/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
    get: {operationId: getUser, responses: {"200": {description: ok}}}
    delete: {operationId: deleteUser, responses: {"204": {description: ok}}}
  /users/{id}/files/{name}.json:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
      - {name: name, in: path, required: true, schema: {type: string}}
    get: {operationId: getFileJSON, responses: {"200": {description: ok}}}
  /users/{uid}/files/{name}:
    parameters:
      - {name: uid, in: path, required: true, schema: {type: string}}
      - {name: name, in: path, required: true, schema: {type: string}}
    get: {operationId: getFile, responses: {"200": {description: ok}}}
`

func TestFind(t *testing.T) {
	t.Parallel()
	d, err := Parse([]byte(routerDoc), "router.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, method, path string
		wantOp             string
		wantParams         map[string]string
		wantErr            error
		wantAllow          []string
	}{
		{name: "static", method: "GET", path: "/users", wantOp: "listUsers"},
		{name: "static wins over template", method: "GET", path: "/users/me", wantOp: "getMe"},
		{name: "template", method: "GET", path: "/users/42", wantOp: "getUser", wantParams: map[string]string{"id": "42"}},
		{name: "escaped slash stays in segment", method: "GET", path: "/users/a%2Fb", wantOp: "getUser", wantParams: map[string]string{"id": "a/b"}},
		{name: "colon in segment", method: "GET", path: "/users/group:app", wantOp: "getUser", wantParams: map[string]string{"id": "group:app"}},
		{name: "partial segment preferred", method: "GET", path: "/users/7/files/report.json", wantOp: "getFileJSON", wantParams: map[string]string{"id": "7", "name": "report"}},
		{name: "other name falls back to whole segment", method: "GET", path: "/users/7/files/report.txt", wantOp: "getFile", wantParams: map[string]string{"uid": "7", "name": "report.txt"}},
		{name: "template path falls through to method on other template", method: "DELETE", path: "/users/me", wantOp: "deleteUser", wantParams: map[string]string{"id": "me"}},
		{name: "HEAD served by GET", method: "HEAD", path: "/users", wantOp: "listUsers"},
		{name: "server base path", method: "GET", path: "/base/v2/users/9", wantOp: "getUser", wantParams: map[string]string{"id": "9"}},
		{name: "method not allowed", method: "PUT", path: "/users", wantAllow: []string{"GET", "POST"}},
		{name: "not found", method: "GET", path: "/nope", wantErr: ErrNotFound},
		{name: "trailing slash is another path", method: "GET", path: "/users/", wantErr: ErrNotFound},
		{name: "empty segment never matches a parameter", method: "GET", path: "/users//files/x", wantErr: ErrNotFound},
		{name: "relative path", method: "GET", path: "users", wantErr: ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, err := d.Find(tt.method, tt.path)
			if tt.wantAllow != nil {
				var mna *MethodNotAllowedError
				if !errors.As(err, &mna) || !reflect.DeepEqual(mna.Allow, tt.wantAllow) {
					t.Fatalf("Find(%s %s) error = %v, want method not allowed with Allow %v", tt.method, tt.path, err, tt.wantAllow)
				}
				return
			}
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Find(%s %s) error = %v, want %v", tt.method, tt.path, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Find(%s %s): %v", tt.method, tt.path, err)
			}
			if m.Operation.ID != tt.wantOp {
				t.Errorf("operation = %s, want %s", m.Operation.ID, tt.wantOp)
			}
			if len(tt.wantParams) > 0 && !reflect.DeepEqual(m.PathParams, tt.wantParams) {
				t.Errorf("params = %v, want %v", m.PathParams, tt.wantParams)
			}
		})
	}
}

func TestFindManyOperations(t *testing.T) {
	t.Parallel()
	const n = 1000
	d, err := Parse(specgen.Operations(n), "synthetic.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Operations) != n {
		t.Fatalf("operations = %d, want %d", len(d.Operations), n)
	}
	for _, i := range []int{0, 1, n - 2, n - 1} {
		path := specgen.Path(i)
		m, err := d.Find("GET", path)
		if err != nil || m.Operation.ID != fmt.Sprintf("op%d", i) {
			t.Errorf("Find(GET %s) = %v, %v; want op%d", path, m, err, i)
		}
	}
}

func FuzzFind(f *testing.F) {
	for _, p := range []string{"/users", "/users/me", "/users/a%2Fb", "/users/7/files/r.json", "//", "/users/%zz", ""} {
		f.Add("GET", p)
	}
	d, err := Parse([]byte(routerDoc), "router.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, method, path string) {
		m, err := d.Find(method, path)
		if err == nil && m.Operation == nil {
			t.Fatalf("Find(%q, %q) matched without an operation", method, path)
		}
	})
}
